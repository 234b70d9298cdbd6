import { distance } from 'fastest-levenshtein';
import { isRecord } from '../validate/problems.js';
import builtInCatalog from './catalog.json' with { type: 'json' };

/** Life-circle tier of GB 50180-2018, plus the block (居住街坊) level. */
export type LifeCircleTier = 'block' | '5min' | '10min' | '15min' | 'street';

/**
 * How far a radius can be trusted: `standard` comes from a standard's text, `unverified` is the value
 * in common use that could not be confirmed against the official text, `assumed` is a project
 * default where no source gives one, `user` was set by the user.
 */
export type RadiusStatus = 'standard' | 'unverified' | 'assumed' | 'user';

/** What a facility's `capacity` counts. */
export type CapacityUnit = 'places' | 'beds' | 'm2' | null;

/** One facility type of a catalog, in the catalog file's own field names. */
export interface FacilityType {
  /** Stable id used in options and output field names, e.g. `nursery_childcare`. */
  readonly id: string;
  readonly name_zh: string;
  readonly name_en: string;
  /** Other names a facility's `type` may carry (POI categories, Chinese and English). */
  readonly aliases: readonly string[];
  /** Walking radius in metres. */
  readonly radius_m: number;
  readonly radius_status: RadiusStatus;
  readonly tier: LifeCircleTier;
  readonly required_in_complete_community: boolean;
  readonly capacity_unit: CapacityUnit;
  /** Record id in the standards facts this type was built from, or null. */
  readonly standard_id: string | null;
}

const TIERS: readonly LifeCircleTier[] = ['block', '5min', '10min', '15min', 'street'];
const RADIUS_STATUSES: readonly RadiusStatus[] = ['standard', 'unverified', 'assumed', 'user'];
const CAPACITY_UNITS: readonly CapacityUnit[] = ['places', 'beds', 'm2', null];

/** A problem found in a catalog file: which type, which field, what was expected. */
export interface CatalogProblem {
  readonly index: number;
  readonly id: string | null;
  readonly field: string;
  readonly reason: string;
}

// Matching ignores case, surrounding space and the separators POI exports vary on.
function matchKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_\-/·()（）]+/g, '');
}

/**
 * The facility types an analysis knows, and the names that resolve to them.
 *
 * @example
 * const catalog = FacilityCatalog.builtIn().withRadius('kindergarten', 500);
 * catalog.resolve('托儿所')?.id; // 'nursery_childcare'
 */
export class FacilityCatalog {
  readonly types: readonly FacilityType[];
  private readonly byKey: Map<string, FacilityType>;

  constructor(types: readonly FacilityType[]) {
    const seen = new Set<string>();
    for (const type of types) {
      if (seen.has(type.id)) throw new Error(`Facility type id '${type.id}' appears twice in the catalog.`);
      seen.add(type.id);
    }
    this.types = types;
    this.byKey = new Map();
    // Ids win over names and names over aliases, so an alias never hides another type's id.
    for (const pick of [
      (t: FacilityType) => t.aliases,
      (t: FacilityType) => [t.name_zh, t.name_en],
      (t: FacilityType) => [t.id],
    ]) {
      for (const type of types) for (const name of pick(type)) this.byKey.set(matchKey(name), type);
    }
  }

  /** The catalog built from the national standards and the Pingliang plan (see docs/standards.md). */
  static builtIn(): FacilityCatalog {
    return new FacilityCatalog(builtInCatalog.types as FacilityType[]);
  }

  /** The type with this id, or undefined. */
  get(id: string): FacilityType | undefined {
    return this.types.find((t) => t.id === id);
  }

  /** The type a facility's `type` text names: an id, a Chinese or English name, or an alias. */
  resolve(text: string): FacilityType | undefined {
    return this.byKey.get(matchKey(text));
  }

  /**
   * Ids of the types whose id, names or aliases are spelt within a small edit distance of `text`
   * (1 for up to 4 characters, 2 up to 8, 3 beyond), closest first: a misspelling such as 幼儿圆 or
   * kindergardn gets a suggestion, an unrelated word gets none.
   */
  suggest(text: string, count = 3): string[] {
    const key = matchKey(text);
    if (key === '') return [];
    const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
    const nearest = new Map<string, number>();
    for (const type of this.types) {
      for (const name of [type.id, type.name_zh, type.name_en, ...type.aliases]) {
        const d = distance(key, matchKey(name));
        if (d <= limit && d < (nearest.get(type.id) ?? Number.POSITIVE_INFINITY)) nearest.set(type.id, d);
      }
    }
    return [...nearest]
      .sort((a, b) => a[1] - b[1])
      .slice(0, count)
      .map(([id]) => id);
  }

  /**
   * A catalog with one type's radius set (status `user`), or with a new custom type of that id when
   * the catalog has none.
   */
  withRadius(id: string, radiusM: number): FacilityCatalog {
    if (!(radiusM > 0) || !Number.isFinite(radiusM)) {
      throw new Error(`Radius for '${id}' must be a positive number of metres, got ${radiusM}.`);
    }
    const existing = this.get(id) ?? this.resolve(id);
    if (existing) {
      return new FacilityCatalog(
        this.types.map((t) => (t === existing ? { ...t, radius_m: radiusM, radius_status: 'user' } : t)),
      );
    }
    const custom: FacilityType = {
      id,
      name_zh: id,
      name_en: id,
      aliases: [],
      radius_m: radiusM,
      radius_status: 'user',
      tier: '5min',
      required_in_complete_community: false,
      capacity_unit: null,
      standard_id: null,
    };
    return new FacilityCatalog([...this.types, custom]);
  }

  /** A catalog with `types` added; a type whose id exists replaces the existing one. */
  extend(types: readonly FacilityType[]): FacilityCatalog {
    const replaced = new Map(types.map((t) => [t.id, t]));
    const kept = this.types.map((t) => replaced.get(t.id) ?? t);
    const added = types.filter((t) => !this.get(t.id));
    return new FacilityCatalog([...kept, ...added]);
  }
}

/**
 * Checks a catalog file's content (`{ "types": [...] }` in the built-in catalog's field names) and
 * returns its types with every problem found. Optional fields take the defaults of a custom type.
 */
export function parseCatalogTypes(value: unknown): { types: FacilityType[]; problems: CatalogProblem[] } {
  const problems: CatalogProblem[] = [];
  const list = Array.isArray(value) ? value : isRecord(value) ? value.types : undefined;
  if (!Array.isArray(list)) {
    problems.push({ index: -1, id: null, field: 'types', reason: 'expected an object with a "types" array' });
    return { types: [], problems };
  }
  const types: FacilityType[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of (list as unknown[]).entries()) {
    const problem = (field: string, reason: string, id: string | null = null): void => {
      problems.push({ index, id, field, reason });
    };
    if (!isRecord(raw)) {
      problem(`types[${index}]`, 'expected an object');
      continue;
    }
    const id = typeof raw.id === 'string' && raw.id.trim() !== '' ? raw.id.trim() : null;
    if (id === null) {
      problem('id', 'expected a non-empty string');
      continue;
    }
    if (seen.has(id)) {
      problem('id', `id '${id}' is defined twice in this catalog`, id);
      continue;
    }
    seen.add(id);
    const radius = raw.radius_m;
    if (typeof radius !== 'number' || !(radius > 0) || !Number.isFinite(radius)) {
      problem('radius_m', `expected a positive number of metres, got ${JSON.stringify(radius)}`, id);
      continue;
    }
    const tier = raw.tier ?? '5min';
    if (!TIERS.includes(tier as LifeCircleTier)) {
      problem('tier', `expected one of ${TIERS.join(', ')}, got ${JSON.stringify(tier)}`, id);
      continue;
    }
    const status = raw.radius_status ?? 'user';
    if (!RADIUS_STATUSES.includes(status as RadiusStatus)) {
      problem('radius_status', `expected one of ${RADIUS_STATUSES.join(', ')}`, id);
      continue;
    }
    const unit = raw.capacity_unit ?? null;
    if (!CAPACITY_UNITS.includes(unit as CapacityUnit)) {
      problem('capacity_unit', 'expected one of places, beds, m2 or null', id);
      continue;
    }
    const aliases = raw.aliases ?? [];
    if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string')) {
      problem('aliases', 'expected an array of strings', id);
      continue;
    }
    types.push({
      id,
      name_zh: typeof raw.name_zh === 'string' ? raw.name_zh : id,
      name_en: typeof raw.name_en === 'string' ? raw.name_en : id,
      aliases: aliases as string[],
      radius_m: radius,
      radius_status: status as RadiusStatus,
      tier: tier as LifeCircleTier,
      required_in_complete_community: raw.required_in_complete_community === true,
      capacity_unit: unit as CapacityUnit,
      standard_id: typeof raw.standard_id === 'string' ? raw.standard_id : null,
    });
  }
  return { types, problems };
}
