import type { Warning } from '../validate/problems.js';

/**
 * Demand points an analysis measures from. Every point belongs to one owner (a community), so
 * figures can be summed back to communities, districts and the city.
 */
export interface Origins {
  /** Interleaved `[lon0, lat0, lon1, lat1, …]` in WGS84 degrees. */
  readonly coords: Float64Array;
  /** Owner (community) index of each point, `0 <= owner[i] < ownerCount`. */
  readonly owner: Uint32Array;
  /** Number of owners. */
  readonly ownerCount: number;
}

/** Points an origin can reach: the facilities of one type, or siting candidates. */
export interface Targets {
  /** Interleaved `[lon0, lat0, lon1, lat1, …]` in WGS84 degrees. */
  readonly coords: Float64Array;
  /** Target ids; sources that look targets up by id (a cost matrix) need them. */
  readonly ids?: readonly string[];
  /** Facility type of the targets, for sources that measure each type for its own walker. */
  readonly type?: string;
}

/** What every origin reaches of one target set within a bound. */
export interface Reach {
  /** The bound the counts were taken at, in the source's cost unit. */
  readonly bound: number;
  /** Cost to the nearest target per origin; `Infinity` when none can be reached. */
  readonly nearestCost: Float64Array;
  /** Index (into the targets) of the nearest target per origin; `-1` when none. */
  readonly nearestIndex: Int32Array;
  /**
   * When costs are minutes on a walking network (a walker's graph): the length in metres of each
   * origin's quickest walk to its nearest target; Infinity where none. Absent otherwise.
   */
  readonly nearestLengthM?: Float64Array;
  /** Number of targets within the bound per origin. */
  readonly withinCount: Uint32Array;
  /** Per owner: distinct targets within the bound of at least one of its origins. */
  readonly ownerWithinCount: Uint32Array;
}

/**
 * Every origin's targets within a bound, as compressed sparse rows: the targets of origin `i` are
 * `targets[offsets[i]] … targets[offsets[i + 1] - 1]`, with their costs at the same positions.
 */
export interface CostTable {
  readonly bound: number;
  /** Length `origins + 1`. */
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  readonly costs: Float64Array;
}

/** Which kind of distance a source measures. */
export type DistanceKind = 'great-circle' | 'network' | 'cost-matrix';

/**
 * The one interface every distance stage implements: straight-line (great-circle), walking network
 * and precomputed cost matrix. Coverage, capacity and siting ask these questions and never learn
 * which kind answered.
 */
export interface DistanceSource {
  readonly kind: DistanceKind;
  /** Unit of every cost and bound: metres, or minutes for a cost matrix given in minutes. */
  readonly costUnit: 'm' | 'min';
  readonly origins: Origins;
  /** Nearest target and counts within `bound` for every origin. */
  reach(targets: Targets, bound: number): Reach;
  /** All targets within `bound` of every origin, with their costs. */
  within(targets: Targets, bound: number): CostTable;
  /** Problems found while building the source (demand points off the network, unmatched ids). */
  readonly warnings?: readonly Warning[];
  /** Problems with a target set: targets nobody can reach (off the network, not in the matrix). */
  checkTargets?(targets: Targets, file: string, what: string): Warning[];
  /**
   * Problems with the destinations the source was given: ids (of a cost matrix's rows) that match
   * none of `knownIds`, the ids of every facility and candidate of the run.
   */
  checkDestinations?(knownIds: Iterable<string>): Warning[];
}

/** What a distance-source factory learns about the demand besides the points themselves. */
export interface DistanceContext {
  /** Community id of each owner index, for sources that match or name communities. */
  readonly communityIds: readonly string[];
}
