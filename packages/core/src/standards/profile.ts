import {
  type BuiltInCondition,
  type BuiltInIndicator,
  conditionKind,
  conditionKindNames,
  INDICATOR_KINDS,
  indicatorKind,
  indicatorKindNames,
  type KindFieldReader,
} from '../kinds/index.js';
import { isRecord, OptionError } from '../validate/problems.js';
import { FacilityCatalog, type LifeCircleTier, type RadiusStatus } from './catalog.js';
import completeCommunity from './profiles/complete-community.json' with { type: 'json' };
import gb50180 from './profiles/gb50180-2018.json' with { type: 'json' };
import pingliang2025 from './profiles/pingliang-2025.json' with { type: 'json' };

/**
 * How far a profile value (a radius, an area, a target) can be trusted, in the catalog's vocabulary:
 * `standard` is the figure the standards facts give, `unverified` is the value in common use that could
 * not be confirmed against the official text, `assumed` is a project default where no source gives
 * one, `user` was set by whoever wrote the profile. Every report marks the values that are not
 * `standard`.
 */
export type ValueStatus = RadiusStatus;

/**
 * Who a per-capita figure counts: all residents, households, an age group carried by each community
 * (`children_0_3`, `elderly_60plus`), or a fixed share of the residents.
 */
export type DemandSpec =
  | { readonly kind: 'population' }
  | { readonly kind: 'households' }
  | {
      readonly kind: 'property';
      /** Community property holding the group's head count. */
      readonly property: string;
      /** Share of the residents used where a community lacks the property; null: such a community is unknown. */
      readonly fallback_share: number | null;
    }
  | { readonly kind: 'share'; readonly share: number };

/**
 * Condition a community must meet for a requirement, beyond having a facility within the radius: one
 * type per kind module in `kinds/conditions/`.
 */
export type ProfileCondition = BuiltInCondition;

/** One item of a profile, judged for every community. */
export interface ProfileRequirement {
  readonly id: string;
  readonly name_zh: string;
  readonly name_en: string;
  /** Catalog ids of the facility types that satisfy it (any of them); empty for an attribute-only item. */
  readonly facilities: readonly string[];
  /** Walking radius in metres for every listed type; null uses each type's catalog radius. */
  readonly radius_m: number | null;
  readonly radius_status: ValueStatus | null;
  /** Life-circle tier; null takes the first facility type's catalog tier. */
  readonly tier: LifeCircleTier | null;
  /** Whether a complete community must pass it. */
  readonly required: boolean;
  /** Share of residents that must have a facility within the radius; null uses the profile's. */
  readonly min_covered_share: number | null;
  readonly conditions: readonly ProfileCondition[];
  readonly source: string | null;
  readonly note: string | null;
}

/** Filter on the communities an indicator counts. */
export interface CommunityFilter {
  /** Only communities with `built` in this year or later. */
  readonly built_from: number | null;
  /** Only communities whose property equals the value. */
  readonly property: string | null;
  readonly equals: boolean | string | number | null;
}

/** The fields every indicator has, whatever its kind. */
export interface IndicatorBase {
  readonly id: string;
  readonly name_zh: string;
  readonly name_en: string;
  /** Short column label for tables. */
  readonly label: string;
  /** The figure to reach; null when the plan names no figure (e.g. "raise steadily"). */
  readonly target: number | null;
  readonly comparison: '>=' | '<=';
  /** Unit of the value, for reports. */
  readonly unit: string;
  readonly status: ValueStatus;
  /** The year the target is set for. */
  readonly year: number | null;
  readonly baseline: { readonly year: number; readonly value: number } | null;
  readonly source: string | null;
  readonly note: string | null;
}

/** An area-level figure (county, city) with its target: one type per kind module in `kinds/indicators/`. */
export type ProfileIndicator = BuiltInIndicator;

/** Kind of every indicator. */
export type IndicatorKind = ProfileIndicator['kind'];

/** Distance decay of an accessibility score, as data (see `stepDecay`, `gaussianDecay`, `gravityDecay`). */
export type DecaySpec =
  | { readonly kind: 'step'; readonly steps: readonly (readonly [number, number])[] }
  | { readonly kind: 'gaussian'; readonly sigma_m: number }
  | { readonly kind: 'gravity'; readonly scale_m: number; readonly alpha: number; readonly min_m: number };

/** A crowding-aware accessibility score to report per community and area. */
export interface ProfileAccess {
  readonly id: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly facilities: readonly string[];
  /** Facility field supplying the capacity. */
  readonly field: string;
  readonly per: DemandSpec;
  /** Catchment in metres; null uses each type's catalog radius. */
  readonly catchment_m: number | null;
  /** Null: plain two-step floating catchment (weight 1 inside the catchment). */
  readonly decay: DecaySpec | null;
  /** The score is supply per `scale` demand (1,000: places per 1,000 children). */
  readonly scale: number;
  /** Also assign demand to facilities up to their capacity (served / over capacity / outside). */
  readonly assignment: boolean;
  readonly note: string | null;
}

/** A target or item of the source document that this profile cannot judge from facility data. */
export interface NotAssessed {
  readonly id: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly target: number | null;
  readonly unit: string | null;
  readonly reason: string;
}

/** Ordered life-circle tiers; with `nested`, a community attains a tier only with every lower one. */
export interface ProfileTiers {
  readonly order: readonly LifeCircleTier[];
  readonly nested: boolean;
}

/** A standard as data: what every community must have, and the area figures with their targets. */
export interface StandardProfile {
  readonly id: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly source: string | null;
  readonly note: string | null;
  /** Profiles this one extends, nearest first (empty for a base profile). */
  readonly lineage: readonly string[];
  /** The year the targets are set for; `monitor` runs to it. */
  readonly target_year: number | null;
  /** Default share of residents that must have a facility within the radius. */
  readonly min_covered_share: number;
  /**
   * The facility file is the whole inventory: a requirement whose facility types are absent from it
   * fails (there are none) instead of being unknown (none in the data). Default false.
   */
  readonly complete_inventory: boolean;
  readonly tiers: ProfileTiers | null;
  readonly requirements: readonly ProfileRequirement[];
  readonly indicators: readonly ProfileIndicator[];
  readonly access: readonly ProfileAccess[];
  readonly not_assessed: readonly NotAssessed[];
}

/** A problem in a profile: the field (a path such as `requirements.kindergarten.radius_m`) and why. */
export interface ProfileProblem {
  readonly path: string;
  readonly reason: string;
}

/** Ids of the built-in profiles. */
export const BUILT_IN_PROFILE_IDS: readonly string[] = [
  'gb50180-2018',
  'complete-community',
  'pingliang-2025',
];

const BUILT_IN_SOURCES: Readonly<Record<string, unknown>> = {
  'gb50180-2018': gb50180,
  'complete-community': completeCommunity,
  'pingliang-2025': pingliang2025,
};

const TIERS: readonly LifeCircleTier[] = ['block', '5min', '10min', '15min', 'street'];
const STATUSES: readonly ValueStatus[] = ['standard', 'unverified', 'assumed', 'user'];
const LISTS = ['requirements', 'indicators', 'access', 'not_assessed'] as const;
const MAX_EXTENDS_DEPTH = 8;

/** Scale of each built-in per-capita indicator kind (from the kind registry, `INDICATOR_KINDS`). */
export const INDICATOR_SCALE: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(INDICATOR_KINDS).flatMap(([kind, info]) =>
    info.scale === null ? [] : [[kind, info.scale]],
  ),
);

/** Options of {@link parseProfile}. */
export interface ParseProfileOptions {
  /** Catalog the facility ids must come from. Default: the built-in catalog. */
  catalog?: FacilityCatalog;
  /**
   * Raw JSON of a profile named by `extends`, or undefined when unknown. Default: the built-in
   * profiles.
   */
  resolve?: (id: string) => unknown;
}

/**
 * Checks a profile's content (parsed JSON) and returns the profile with every problem found, each
 * naming its field. A profile with `extends` is laid over the named one first: its scalar fields
 * replace the base's, and in `requirements`, `indicators`, `access` and `not_assessed` an entry with
 * a base entry's id replaces the fields it gives (`"remove": true` drops the entry) while new ids are
 * added. The profile is null when any problem was found.
 *
 * @example
 * const { profile, problems } = parseProfile({
 *   id: 'my-town', extends: 'complete-community',
 *   requirements: [{ id: 'kindergarten', radius_m: 500, radius_status: 'user' }],
 * });
 * problems; // []
 * profile?.requirements.find((r) => r.id === 'kindergarten')?.radius_m; // 500
 */
export function parseProfile(
  value: unknown,
  options: ParseProfileOptions = {},
): { profile: StandardProfile | null; problems: ProfileProblem[] } {
  const catalog = options.catalog ?? FacilityCatalog.builtIn();
  const resolve = options.resolve ?? ((id: string) => BUILT_IN_SOURCES[id]);
  const problems: ProfileProblem[] = [];
  const merged = mergeExtends(value, resolve, problems);
  if (merged === null) return { profile: null, problems };
  const profile = new ProfileReader(catalog, problems).read(merged.raw, merged.lineage);
  return { profile: problems.length === 0 ? profile : null, problems };
}

/**
 * A built-in profile: `gb50180-2018` (5-, 10- and 15-minute life circles, each tier also needing the
 * lower ones), `complete-community` (the 2020 checklist) or `pingliang-2025` (the Pingliang plan's
 * 2025 targets, on top of the checklist). Throws an {@link OptionError} (`profile`) with the valid
 * ids for any other id.
 *
 * @example
 * const profile = builtInProfile('pingliang-2025');
 * profile.indicators.find((i) => i.id === 'childcare_places_per_1000')?.target; // 4.5
 */
export function builtInProfile(id: string, catalog?: FacilityCatalog): StandardProfile {
  if (!(id in BUILT_IN_SOURCES)) {
    throw new OptionError(
      'profile',
      `Unknown profile '${id}'. Use one of: ${BUILT_IN_PROFILE_IDS.join(', ')}.`,
    );
  }
  const { profile, problems } = parseProfile(BUILT_IN_SOURCES[id], catalog ? { catalog } : {});
  if (!profile) {
    throw new Error(
      `Built-in profile '${id}' does not fit this catalog: ${problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`,
    );
  }
  return profile;
}

/** Formats problems one per line, as a user fixes them. */
export function formatProfileProblems(problems: readonly ProfileProblem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.reason}`).join('\n');
}

// ---------------------------------------------------------------------------------------------------
// extends

function mergeExtends(
  value: unknown,
  resolve: (id: string) => unknown,
  problems: ProfileProblem[],
): { raw: Record<string, unknown>; lineage: string[] } | null {
  if (!isRecord(value)) {
    problems.push({ path: '(profile)', reason: `expected a JSON object, got ${describe(value)}` });
    return null;
  }
  const chain: Record<string, unknown>[] = [value];
  const lineage: string[] = [];
  let current = value;
  while (current.extends !== undefined && current.extends !== null) {
    const base = current.extends;
    const path = chain.length === 1 ? 'extends' : `extends (in '${lineage[lineage.length - 1]}')`;
    if (typeof base !== 'string' || base.trim() === '') {
      problems.push({ path, reason: `expected the id of a profile, got ${describe(base)}` });
      return null;
    }
    if (lineage.includes(base) || chain.length > MAX_EXTENDS_DEPTH) {
      problems.push({
        path,
        reason: `profiles extend each other in a loop: ${[...lineage, base].join(' → ')}`,
      });
      return null;
    }
    const raw = resolve(base);
    if (!isRecord(raw)) {
      problems.push({
        path,
        reason: `unknown profile '${base}'. Use one of: ${BUILT_IN_PROFILE_IDS.join(', ')}`,
      });
      return null;
    }
    lineage.push(base);
    chain.push(raw);
    current = raw;
  }
  // Lay each profile over its base, from the root down.
  let raw: Record<string, unknown> = { ...chain[chain.length - 1]! };
  for (let k = chain.length - 2; k >= 0; k--) raw = overlay(raw, chain[k]!, problems);
  return { raw, lineage };
}

function overlay(
  base: Record<string, unknown>,
  top: Record<string, unknown>,
  problems: ProfileProblem[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    if (key === 'extends' || key === '$comment') continue;
    if ((LISTS as readonly string[]).includes(key) && Array.isArray(base[key])) {
      if (!Array.isArray(value)) {
        problems.push({ path: key, reason: `expected an array, got ${describe(value)}` });
        continue;
      }
      const list = [...(base[key] as unknown[])];
      for (const [index, entry] of value.entries()) {
        const id = isRecord(entry) && typeof entry.id === 'string' ? entry.id : null;
        const at = id === null ? -1 : list.findIndex((e) => isRecord(e) && e.id === id);
        if (isRecord(entry) && entry.remove === true) {
          if (at < 0) problems.push({ path: `${key}[${index}].id`, reason: `no entry '${id}' to remove` });
          else list.splice(at, 1);
        } else if (at >= 0) {
          list[at] = { ...(list[at] as Record<string, unknown>), ...(entry as Record<string, unknown>) };
        } else {
          list.push(entry);
        }
      }
      out[key] = list;
    } else {
      out[key] = value;
    }
  }
  out.id = top.id ?? base.id;
  return out;
}

// ---------------------------------------------------------------------------------------------------
// reading and checking

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (isRecord(value)) return 'an object';
  return JSON.stringify(value) ?? String(value);
}

class ProfileReader implements KindFieldReader {
  constructor(
    private readonly catalog: FacilityCatalog,
    private readonly problems: ProfileProblem[],
  ) {}

  problem(path: string, reason: string): void {
    this.problems.push({ path, reason });
  }

  describe(value: unknown): string {
    return describe(value);
  }

  read(raw: Record<string, unknown>, lineage: string[]): StandardProfile {
    const id = this.string(raw, 'id', '(profile)', { required: true }) ?? '';
    const tiers = this.tiers(raw.tiers);
    const requirements = this.list(raw.requirements, 'requirements', (r, path) => this.requirement(r, path));
    const requirementIds = new Set(requirements.map((r) => r.id));
    const indicators = this.list(raw.indicators, 'indicators', (r, path) =>
      this.indicator(r, path, requirementIds, tiers),
    );
    const access = this.list(raw.access, 'access', (r, path) => this.access(r, path));
    const notAssessed = this.list(raw.not_assessed, 'not_assessed', (r, path) => this.notAssessed(r, path));
    for (const key of Object.keys(raw)) {
      if (
        ![
          '$comment',
          'id',
          'name_zh',
          'name_en',
          'source',
          'note',
          'extends',
          'target_year',
          'min_covered_share',
          'complete_inventory',
          'tiers',
          ...LISTS,
        ].includes(key)
      ) {
        this.problem(key, 'unknown field');
      }
    }
    return {
      id,
      name_zh: this.string(raw, 'name_zh', '') ?? id,
      name_en: this.string(raw, 'name_en', '') ?? id,
      source: this.string(raw, 'source', ''),
      note: this.string(raw, 'note', ''),
      lineage,
      target_year: this.year(raw, 'target_year', ''),
      min_covered_share: this.share(raw, 'min_covered_share', '') ?? 0.5,
      complete_inventory: this.boolean(raw, 'complete_inventory', '', false),
      tiers,
      requirements,
      indicators,
      access,
      not_assessed: notAssessed,
    };
  }

  private list<T>(
    value: unknown,
    key: string,
    read: (entry: Record<string, unknown>, path: string) => T | null,
  ): T[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(key, `expected an array, got ${describe(value)}`);
      return [];
    }
    const out: T[] = [];
    const seen = new Set<string>();
    for (const [index, entry] of value.entries()) {
      if (!isRecord(entry)) {
        this.problem(`${key}[${index}]`, `expected an object, got ${describe(entry)}`);
        continue;
      }
      const id = typeof entry.id === 'string' && entry.id.trim() !== '' ? entry.id.trim() : null;
      if (id === null) {
        this.problem(`${key}[${index}].id`, `expected a non-empty string, got ${describe(entry.id)}`);
        continue;
      }
      const path = `${key}.${id}`;
      if (seen.has(id)) {
        this.problem(`${path}.id`, `id '${id}' appears twice`);
        continue;
      }
      seen.add(id);
      const read1 = read(entry, path);
      if (read1 !== null) out.push(read1);
    }
    return out;
  }

  allowOnly(entry: Record<string, unknown>, path: string, fields: readonly string[]): void {
    for (const key of Object.keys(entry)) {
      if (!fields.includes(key) && key !== '$comment') {
        this.problem(`${path}.${key}`, `unknown field; expected one of ${fields.join(', ')}`);
      }
    }
  }

  string(raw: Record<string, unknown>, key: string, path: string, { required = false } = {}): string | null {
    const value = raw[key];
    const at = path ? `${path}.${key}` : key;
    if (value === undefined || value === null) {
      if (required) this.problem(at, 'expected a non-empty string');
      return null;
    }
    if (typeof value !== 'string' || (required && value.trim() === '')) {
      this.problem(at, `expected a string, got ${describe(value)}`);
      return null;
    }
    return value;
  }

  number(
    raw: Record<string, unknown>,
    key: string,
    path: string,
    check: (n: number) => boolean,
    expected: string,
    { required = false } = {},
  ): number | null {
    const value = raw[key];
    const at = path ? `${path}.${key}` : key;
    if (value === undefined || value === null) {
      if (required) this.problem(at, `expected ${expected}, got nothing`);
      return null;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
      this.problem(at, `expected ${expected}, got ${describe(value)}`);
      return null;
    }
    return value;
  }

  positive(raw: Record<string, unknown>, key: string, path: string, required = false): number | null {
    return this.number(raw, key, path, (n) => n > 0, 'a positive number', { required });
  }

  share(raw: Record<string, unknown>, key: string, path: string, required = false): number | null {
    return this.number(raw, key, path, (n) => n >= 0 && n <= 1, 'a share between 0 and 1', { required });
  }

  year(raw: Record<string, unknown>, key: string, path: string): number | null {
    return this.number(
      raw,
      key,
      path,
      (n) => Number.isInteger(n) && n >= 1900 && n <= 2200,
      'a year such as 2025',
    );
  }

  boolean(raw: Record<string, unknown>, key: string, path: string, fallback: boolean): boolean {
    const value = raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(`${path}.${key}`, `expected true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  private status(raw: Record<string, unknown>, key: string, path: string): ValueStatus {
    const value = raw[key];
    if (value === undefined || value === null) return 'user';
    if (!STATUSES.includes(value as ValueStatus)) {
      this.problem(`${path}.${key}`, `expected one of ${STATUSES.join(', ')}, got ${describe(value)}`);
      return 'user';
    }
    return value as ValueStatus;
  }

  tier(value: unknown, path: string): LifeCircleTier | null {
    if (value === undefined || value === null) return null;
    if (!TIERS.includes(value as LifeCircleTier)) {
      this.problem(path, `expected one of ${TIERS.join(', ')}, got ${describe(value)}`);
      return null;
    }
    return value as LifeCircleTier;
  }

  private tiers(value: unknown): ProfileTiers | null {
    if (value === undefined || value === null) return null;
    if (!isRecord(value)) {
      this.problem('tiers', `expected an object {"order": [...], "nested": true}, got ${describe(value)}`);
      return null;
    }
    this.allowOnly(value, 'tiers', ['order', 'nested']);
    if (!Array.isArray(value.order) || value.order.length === 0) {
      this.problem(
        'tiers.order',
        `expected a list of tiers (${TIERS.join(', ')}), got ${describe(value.order)}`,
      );
      return null;
    }
    const order: LifeCircleTier[] = [];
    for (const [k, t] of value.order.entries()) {
      const tier = this.tier(t, `tiers.order[${k}]`);
      if (tier) order.push(tier);
    }
    return { order, nested: this.boolean(value, 'nested', 'tiers', true) };
  }

  facilities(raw: Record<string, unknown>, path: string, required: boolean): string[] {
    const value = raw.facilities;
    if (value === undefined || value === null) {
      if (required) this.problem(`${path}.facilities`, 'expected a list of facility type ids');
      return [];
    }
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
      this.problem(`${path}.facilities`, `expected a list of facility type ids, got ${describe(value)}`);
      return [];
    }
    const ids: string[] = [];
    for (const [k, text] of (list as string[]).entries()) {
      const type = this.catalog.get(text) ?? this.catalog.resolve(text);
      if (!type) {
        const hint = this.catalog.suggest(text);
        this.problem(
          `${path}.facilities[${k}]`,
          `unknown facility type '${text}'${hint.length > 0 ? ` (did you mean ${hint.join(', ')}?)` : ''}; add it to the catalog with --catalog, or use one of: ${this.catalog.types.map((t) => t.id).join(', ')}`,
        );
      } else if (!ids.includes(type.id)) {
        ids.push(type.id);
      }
    }
    if (required && ids.length === 0 && (list as string[]).length === 0) {
      this.problem(`${path}.facilities`, 'expected at least one facility type id');
    }
    return ids;
  }

  demand(value: unknown, path: string, fallback: DemandSpec): DemandSpec {
    if (value === undefined || value === null) return fallback;
    if (value === 'population' || value === 'residents') return { kind: 'population' };
    if (value === 'households') return { kind: 'households' };
    if (isRecord(value)) {
      if (typeof value.property === 'string' && value.property !== '') {
        this.allowOnly(value, path, ['property', 'fallback_share']);
        const fallbackShare = this.share(value, 'fallback_share', path);
        return { kind: 'property', property: value.property, fallback_share: fallbackShare };
      }
      if (value.share !== undefined) {
        this.allowOnly(value, path, ['share']);
        const share = this.share(value, 'share', path, true);
        return { kind: 'share', share: share ?? 0 };
      }
    }
    this.problem(
      path,
      `expected "population", "households", {"property": "children_0_3"} or {"share": 0.03}, got ${describe(value)}`,
    );
    return fallback;
  }

  scalar(value: unknown, path: string): boolean | string | number | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number') return value;
    this.problem(path, `expected true, false, a number or a string, got ${describe(value)}`);
    return null;
  }

  communityFilter(value: unknown, path: string): CommunityFilter {
    const none: CommunityFilter = { built_from: null, property: null, equals: null };
    if (value === undefined || value === null) return none;
    if (!isRecord(value)) {
      this.problem(path, `expected an object such as {"built_from": 2022}, got ${describe(value)}`);
      return none;
    }
    this.allowOnly(value, path, ['built_from', 'property', 'equals']);
    const property = this.string(value, 'property', path);
    const equals = this.scalar(value.equals, `${path}.equals`);
    if (property !== null && equals === null) this.problem(`${path}.equals`, 'expected the value to match');
    return { built_from: this.year(value, 'built_from', path), property, equals };
  }

  /** The registered kind `raw.kind` names, or undefined after naming the kinds there are. */
  private kindNamed<Kind>(
    raw: Record<string, unknown>,
    path: string,
    lookup: (name: string) => Kind | undefined,
    names: () => readonly string[],
  ): Kind | undefined {
    const kind = typeof raw.kind === 'string' ? lookup(raw.kind) : undefined;
    if (kind === undefined) {
      this.problem(`${path}.kind`, `expected one of ${names().join(', ')}, got ${describe(raw.kind)}`);
    }
    return kind;
  }

  private condition(raw: unknown, path: string): ProfileCondition | null {
    if (!isRecord(raw)) {
      this.problem(path, `expected an object, got ${describe(raw)}`);
      return null;
    }
    const kind = this.kindNamed(raw, path, conditionKind, conditionKindNames);
    if (kind === undefined) return null;
    const status = this.status(raw, 'status', path);
    const source = this.string(raw, 'source', path);
    this.allowOnly(raw, path, kind.fields);
    return kind.read(raw.kind as string, raw, path, this, { status, source }) as ProfileCondition | null;
  }

  private requirement(raw: Record<string, unknown>, path: string): ProfileRequirement | null {
    this.allowOnly(raw, path, [
      'id',
      'name_zh',
      'name_en',
      'facilities',
      'radius_m',
      'radius_status',
      'tier',
      'required',
      'min_covered_share',
      'conditions',
      'source',
      'note',
    ]);
    const id = raw.id as string;
    const facilities = this.facilities(raw, path, false);
    const conditions: ProfileCondition[] = [];
    if (raw.conditions !== undefined && raw.conditions !== null) {
      if (!Array.isArray(raw.conditions)) {
        this.problem(`${path}.conditions`, `expected an array, got ${describe(raw.conditions)}`);
      } else {
        for (const [k, c] of raw.conditions.entries()) {
          const condition = this.condition(c, `${path}.conditions[${k}]`);
          if (!condition) continue;
          if (conditionKind(condition.kind)!.needsFacilities && facilities.length === 0) {
            this.problem(
              `${path}.conditions[${k}].kind`,
              `a ${condition.kind} condition needs facility types in ${path}.facilities`,
            );
          }
          conditions.push(condition);
        }
      }
    }
    if (facilities.length === 0 && conditions.length === 0 && raw.facilities === undefined) {
      this.problem(path, 'a requirement needs "facilities" (catalog ids) or an attribute condition');
    }
    const radius = this.positive(raw, 'radius_m', path);
    const firstType = facilities[0] === undefined ? undefined : this.catalog.get(facilities[0]);
    return {
      id,
      name_zh: this.string(raw, 'name_zh', path) ?? firstType?.name_zh ?? id,
      name_en: this.string(raw, 'name_en', path) ?? firstType?.name_en ?? id,
      facilities,
      radius_m: radius,
      radius_status: radius === null ? null : this.status(raw, 'radius_status', path),
      tier: this.tier(raw.tier, `${path}.tier`),
      required: this.boolean(raw, 'required', path, true),
      min_covered_share: this.share(raw, 'min_covered_share', path),
      conditions,
      source: this.string(raw, 'source', path),
      note: this.string(raw, 'note', path),
    };
  }

  private indicator(
    raw: Record<string, unknown>,
    path: string,
    requirements: ReadonlySet<string>,
    tiers: ProfileTiers | null,
  ): ProfileIndicator | null {
    const kind = this.kindNamed(raw, path, indicatorKind, indicatorKindNames);
    if (kind === undefined) return null;
    const commonFields = [
      'id',
      'kind',
      'name_zh',
      'name_en',
      'label',
      'target',
      'comparison',
      'unit',
      'status',
      'year',
      'baseline',
      'source',
      'note',
    ];
    const id = raw.id as string;
    const comparison = raw.comparison ?? '>=';
    if (comparison !== '>=' && comparison !== '<=') {
      this.problem(`${path}.comparison`, `expected ">=" or "<=", got ${describe(comparison)}`);
    }
    let baseline: IndicatorBase['baseline'] = null;
    if (raw.baseline !== undefined && raw.baseline !== null) {
      if (!isRecord(raw.baseline)) {
        this.problem(
          `${path}.baseline`,
          `expected {"year": 2020, "value": 1.8}, got ${describe(raw.baseline)}`,
        );
      } else {
        const year = this.year(raw.baseline, 'year', `${path}.baseline`);
        const value = this.number(raw.baseline, 'value', `${path}.baseline`, () => true, 'a number', {
          required: true,
        });
        if (year !== null && value !== null) baseline = { year, value };
      }
    }
    const base: IndicatorBase = {
      id,
      name_zh: this.string(raw, 'name_zh', path) ?? id,
      name_en: this.string(raw, 'name_en', path) ?? id,
      label: this.string(raw, 'label', path) ?? id,
      target: this.number(raw, 'target', path, (n) => n >= 0, 'a number ≥ 0 or null'),
      comparison: comparison === '<=' ? '<=' : '>=',
      unit: this.string(raw, 'unit', path) ?? '',
      status: this.status(raw, 'status', path),
      year: this.year(raw, 'year', path),
      baseline,
      source: this.string(raw, 'source', path),
      note: this.string(raw, 'note', path),
    };
    this.allowOnly(raw, path, [...commonFields, ...kind.fields]);
    const own = kind.read(raw.kind as string, raw, path, this, { requirements, tiers });
    return own === null ? null : ({ ...base, ...own } as ProfileIndicator);
  }

  private decay(value: unknown, path: string): DecaySpec | null {
    if (value === undefined || value === null || value === 'none') return null;
    if (!isRecord(value)) {
      this.problem(path, `expected {"kind": "step" | "gaussian" | "gravity", ...}, got ${describe(value)}`);
      return null;
    }
    switch (value.kind) {
      case 'step': {
        this.allowOnly(value, path, ['kind', 'steps']);
        const steps = value.steps;
        const ok =
          Array.isArray(steps) &&
          steps.length > 0 &&
          steps.every(
            (s) =>
              Array.isArray(s) &&
              s.length === 2 &&
              typeof s[0] === 'number' &&
              s[0] > 0 &&
              typeof s[1] === 'number' &&
              s[1] >= 0,
          );
        if (!ok) {
          this.problem(
            `${path}.steps`,
            `expected [[metres, weight], ...] with positive metres and weights ≥ 0, got ${describe(steps)}`,
          );
          return null;
        }
        return { kind: 'step', steps: (steps as [number, number][]).map(([m, w]) => [m, w] as const) };
      }
      case 'gaussian': {
        this.allowOnly(value, path, ['kind', 'sigma_m']);
        const sigma = this.positive(value, 'sigma_m', path, true);
        return sigma === null ? null : { kind: 'gaussian', sigma_m: sigma };
      }
      case 'gravity': {
        this.allowOnly(value, path, ['kind', 'scale_m', 'alpha', 'min_m']);
        const scale = this.positive(value, 'scale_m', path, true);
        const alpha = this.number(value, 'alpha', path, () => true, 'a number', { required: true });
        const min = this.number(value, 'min_m', path, (n) => n >= 0, 'metres ≥ 0') ?? 0;
        if (alpha !== null && alpha < 0 && min <= 0) {
          this.problem(`${path}.min_m`, 'a negative alpha needs min_m > 0, or the weight at 0 m is infinite');
        }
        return scale === null || alpha === null
          ? null
          : { kind: 'gravity', scale_m: scale, alpha, min_m: min };
      }
      default:
        this.problem(`${path}.kind`, `expected "step", "gaussian" or "gravity", got ${describe(value.kind)}`);
        return null;
    }
  }

  private access(raw: Record<string, unknown>, path: string): ProfileAccess | null {
    this.allowOnly(raw, path, [
      'id',
      'name_zh',
      'name_en',
      'facilities',
      'field',
      'per',
      'catchment_m',
      'decay',
      'scale',
      'assignment',
      'note',
    ]);
    const id = raw.id as string;
    return {
      id,
      name_zh: this.string(raw, 'name_zh', path) ?? id,
      name_en: this.string(raw, 'name_en', path) ?? id,
      facilities: this.facilities(raw, path, true),
      field: this.string(raw, 'field', path) ?? 'capacity',
      per: this.demand(raw.per, `${path}.per`, { kind: 'population' }),
      catchment_m: this.positive(raw, 'catchment_m', path),
      decay: this.decay(raw.decay, `${path}.decay`),
      scale: this.positive(raw, 'scale', path) ?? 1000,
      assignment: this.boolean(raw, 'assignment', path, true),
      note: this.string(raw, 'note', path),
    };
  }

  private notAssessed(raw: Record<string, unknown>, path: string): NotAssessed | null {
    this.allowOnly(raw, path, ['id', 'name_zh', 'name_en', 'target', 'unit', 'reason']);
    const id = raw.id as string;
    return {
      id,
      name_zh: this.string(raw, 'name_zh', path) ?? id,
      name_en: this.string(raw, 'name_en', path) ?? id,
      target: this.number(raw, 'target', path, () => true, 'a number'),
      unit: this.string(raw, 'unit', path),
      reason: this.string(raw, 'reason', path, { required: true }) ?? '',
    };
  }
}
