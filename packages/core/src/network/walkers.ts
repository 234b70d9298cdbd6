// Walker profiles: who walks, how fast on the flat, how slopes slow them, and which ways they cannot
// use. The built-in profiles and the default walker of each facility type are data (walkers.json).

import { isRecord, OptionError } from '../validate/problems.js';
import builtIn from './walkers.json' with { type: 'json' };

/** How a walker copes with a kind of way: passes at normal speed, or cannot use it at all. */
export type Passage = 'passable' | 'impassable';

/** Named slope responses (see {@link slopeSpeedFactor} and docs/network.md). */
export type SlopeFunction = 'tobler' | 'flat';

/** One walker: speed on the flat, slope response, ways it cannot use, and where the figures come from. */
export interface WalkerProfile {
  /** Stable id used in options and outputs: `adult`, `elderly`, `pram`, `wheelchair`, `child`. */
  readonly id: string;
  readonly name_en: string;
  readonly name_zh: string;
  /** Walking speed on level ground, km/h. */
  readonly flat_speed_kmh: number;
  /** `sourced` when a study gives the speed, `assumed` when the project chose it. */
  readonly speed_status: 'sourced' | 'assumed';
  readonly speed_source: string;
  /** How speed changes with the gradient walked, scaled to `flat_speed_kmh` on level ground. */
  readonly slope: SlopeFunction;
  /**
   * Steps (`highway=steps`): walked at `speed_factor` × the flat speed along their horizontal length
   * (the slope function does not apply on steps), or not usable at all.
   */
  readonly steps: { readonly speed_factor: number; readonly status: 'sourced' | 'assumed' } | 'impassable';
  /** Ways with a raised kerb (`kerb=raised`). */
  readonly raised_kerb: Passage;
  /** Ways tagged `wheelchair=no`. */
  readonly wheelchair_no: Passage;
  /**
   * The steepest gradient (rise over horizontal run, either way) the walker can use; a stretch of
   * way steeper than this cannot be used in either direction. `null`: no limit.
   */
  readonly max_grade: number | null;
  readonly max_grade_status?: 'sourced' | 'assumed';
  readonly max_grade_source?: string;
}

/** A problem in a walker file: which profile, which field, what was expected. */
export interface WalkerProblem {
  readonly index: number;
  readonly id: string | null;
  readonly field: string;
  readonly reason: string;
}

const SLOPES: readonly SlopeFunction[] = ['tobler', 'flat'];

/**
 * A walker file's problems, one line each (`  walker 2 (hiker), field flat_speed_kmh: …`), as the
 * CLI's `--walker-file` and the viewer list them after the file's name.
 *
 * @example
 * formatWalkerProblems([{ index: 0, id: 'hiker', field: 'flat_speed_kmh', reason: 'expected a number' }]);
 * // '  walker 0 (hiker), field flat_speed_kmh: expected a number'
 */
export function formatWalkerProblems(problems: readonly WalkerProblem[]): string {
  return problems
    .map((p) => `  walker ${p.index}${p.id ? ` (${p.id})` : ''}, field ${p.field}: ${p.reason}`)
    .join('\n');
}

/**
 * Reads walker profiles (`{ "walkers": [ … ] }` or a bare array, in the form of walkers.json);
 * never throws: what cannot be used is listed in `problems`.
 *
 * @example
 * const { walkers, problems } = parseWalkerProfiles({ walkers: [{ id: 'hiker', flat_speed_kmh: 5 }] });
 * walkers[0]?.slope; // 'tobler'
 */
export function parseWalkerProfiles(value: unknown): { walkers: WalkerProfile[]; problems: WalkerProblem[] } {
  const list = Array.isArray(value) ? value : isRecord(value) ? value.walkers : undefined;
  const walkers: WalkerProfile[] = [];
  const problems: WalkerProblem[] = [];
  if (!Array.isArray(list)) {
    problems.push({ index: -1, id: null, field: 'walkers', reason: 'expected an array of walker profiles' });
    return { walkers, problems };
  }
  list.forEach((raw, index) => {
    const walker = parseWalker(raw, (field, reason, id = null) => {
      problems.push({ index, id, field, reason });
      return null;
    });
    if (walker) walkers.push(walker);
  });
  return { walkers, problems };
}

/** One walker profile, or null after reporting what is wrong through `problem`. */
function parseWalker(
  raw: unknown,
  problem: (field: string, reason: string, id?: string | null) => null,
): WalkerProfile | null {
  if (!isRecord(raw)) return problem('walker', 'expected an object');
  const id = typeof raw.id === 'string' && /^[a-z][a-z0-9_-]*$/.test(raw.id) ? raw.id : null;
  if (id === null) return problem('id', 'expected a lower-case id such as "elderly"');
  const speed = raw.flat_speed_kmh;
  if (typeof speed !== 'number' || !(speed > 0 && speed <= 20)) {
    return problem(
      'flat_speed_kmh',
      `expected a walking speed in km/h above 0 and at most 20, got ${JSON.stringify(speed)}`,
      id,
    );
  }
  const slope = raw.slope ?? 'tobler';
  if (!SLOPES.includes(slope as SlopeFunction)) {
    return problem('slope', `expected one of ${SLOPES.join(', ')}, got ${JSON.stringify(slope)}`, id);
  }
  let steps: WalkerProfile['steps'] = { speed_factor: 0.5, status: 'assumed' };
  if (raw.steps === 'impassable') steps = 'impassable';
  else if (isRecord(raw.steps)) {
    const factor = raw.steps.speed_factor;
    if (typeof factor !== 'number' || !(factor > 0 && factor <= 1)) {
      return problem(
        'steps.speed_factor',
        `expected a number above 0 and at most 1, got ${JSON.stringify(factor)}`,
        id,
      );
    }
    steps = { speed_factor: factor, status: raw.steps.status === 'sourced' ? 'sourced' : 'assumed' };
  } else if (raw.steps !== undefined) {
    return problem('steps', 'expected "impassable" or { "speed_factor": 0.5 }', id);
  }
  const passage = (field: 'raised_kerb' | 'wheelchair_no'): Passage | null => {
    const v = raw[field] ?? 'passable';
    if (v === 'passable' || v === 'impassable') return v;
    problem(field, `expected "passable" or "impassable", got ${JSON.stringify(v)}`, id);
    return null;
  };
  const raisedKerb = passage('raised_kerb');
  const wheelchairNo = passage('wheelchair_no');
  if (raisedKerb === null || wheelchairNo === null) return null;
  const maxGrade = raw.max_grade ?? null;
  if (maxGrade !== null && (typeof maxGrade !== 'number' || !(maxGrade > 0 && maxGrade < 2))) {
    return problem(
      'max_grade',
      `expected null or a gradient such as 0.08 (8 %), got ${JSON.stringify(maxGrade)}`,
      id,
    );
  }
  return {
    id,
    name_en: typeof raw.name_en === 'string' ? raw.name_en : id,
    name_zh: typeof raw.name_zh === 'string' ? raw.name_zh : id,
    flat_speed_kmh: speed,
    speed_status: raw.speed_status === 'sourced' ? 'sourced' : 'assumed',
    speed_source: typeof raw.speed_source === 'string' ? raw.speed_source : 'given by the user',
    slope: slope as SlopeFunction,
    steps,
    raised_kerb: raisedKerb,
    wheelchair_no: wheelchairNo,
    max_grade: maxGrade,
    ...(raw.max_grade_status === 'sourced' || raw.max_grade_status === 'assumed'
      ? { max_grade_status: raw.max_grade_status }
      : {}),
    ...(typeof raw.max_grade_source === 'string' ? { max_grade_source: raw.max_grade_source } : {}),
  };
}

const parsedBuiltIn = parseWalkerProfiles(builtIn);
if (parsedBuiltIn.problems.length > 0) {
  throw new Error(`walkers.json is broken: ${JSON.stringify(parsedBuiltIn.problems)}`);
}

/** The built-in walker profiles: `adult`, `elderly`, `child`, `pram`, `wheelchair`. */
export const BUILT_IN_WALKERS: readonly WalkerProfile[] = parsedBuiltIn.walkers;

/** The default walker of each facility type (types not listed: `adult`), from walkers.json. */
export const DEFAULT_TYPE_WALKERS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(builtIn.type_defaults).filter(([key]) => !key.startsWith('$')),
);

/**
 * A set of walker profiles to look ids up in: the built-in ones, plus or replaced by a user's.
 *
 * @example
 * const walkers = new WalkerSet();
 * walkers.get('elderly').flat_speed_kmh; // 3.5
 * walkers.forType('nursery_childcare').id; // 'pram'
 */
export class WalkerSet {
  private readonly byId: Map<string, WalkerProfile>;

  constructor(extra: readonly WalkerProfile[] = []) {
    this.byId = new Map(BUILT_IN_WALKERS.map((w) => [w.id, w]));
    for (const walker of extra) this.byId.set(walker.id, walker);
  }

  /** Ids of every profile, built-in first. */
  get ids(): string[] {
    return [...this.byId.keys()];
  }

  /**
   * The profile with this id.
   *
   * @throws {OptionError} for an unknown id, listing the known ones.
   */
  get(id: string, option = '--walker'): WalkerProfile {
    const walker = this.byId.get(id.trim());
    if (!walker) {
      throw new OptionError(
        option,
        `unknown walker '${id}'; known walkers: ${this.ids.join(', ')} (add one with --walker-file).`,
      );
    }
    return walker;
  }

  /** The default walker of a facility type (walkers.json `type_defaults`, else `adult`). */
  forType(typeId: string): WalkerProfile {
    return this.get(DEFAULT_TYPE_WALKERS[typeId] ?? 'adult');
  }
}

/**
 * The factor by which a walker's flat speed is multiplied on a gradient `grade` (rise over
 * horizontal run, positive uphill in the direction walked).
 *
 * - `tobler`: Tobler's hiking function, W = 6·exp(−3.5·|grade + 0.05|) km/h (Tobler 1993), divided
 *   by its value on the flat so that the walker's own flat speed is kept: the fastest walk is on a
 *   gentle 5 % descent, and each direction of a slope has its own speed.
 * - `flat`: 1 whatever the gradient.
 *
 * @example
 * slopeSpeedFactor('tobler', 0); // 1
 * slopeSpeedFactor('tobler', 0.1); // ≈ 0.705 (a 10 % climb)
 * slopeSpeedFactor('tobler', -0.05); // ≈ 1.191 (the fastest descent)
 */
export function slopeSpeedFactor(fn: SlopeFunction, grade: number): number {
  if (fn === 'flat') return 1;
  return Math.exp(-3.5 * (Math.abs(grade + 0.05) - 0.05));
}

/** The highest factor {@link slopeSpeedFactor} reaches: a walker never goes faster than flat speed × this. */
export function maxSlopeSpeedFactor(fn: SlopeFunction): number {
  return fn === 'flat' ? 1 : Math.exp(3.5 * 0.05);
}
