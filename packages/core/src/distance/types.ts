import type { SnapTo } from '../network/pieces.js';
import type { KernelInput } from '../parallel/pool.js';
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
  /**
   * For a source in minutes: metres walked per minute on the flat by whoever walks to `targets`
   * (their walker), so a radius in minutes can be laid out as a distance (a siting grid's spacing).
   */
  metresPerCost?(targets: Targets): number;
  checkTargets?(targets: Targets, file: string, what: string): Warning[];
  /**
   * Problems with the destinations the source was given: ids (of a cost matrix's rows) that match
   * none of `knownIds`, the ids of every facility and candidate of the run.
   */
  checkDestinations?(knownIds: Iterable<string>): Warning[];
  /** On a walking network: its pieces, the snapping rules and where each origin joined. */
  readonly networkFacts?: NetworkFacts;
  /** On a walking network: the targets that reach no one, by reason (see `TargetFacts`). */
  targetFacts?(targets: Targets): TargetFacts;
  /**
   * `within` for a model that needs only which targets each origin reaches, fused with the model's
   * next step: in one pass over the origins (no counting pass first), the source gathers the rows
   * of a batch of whole owners (targets only, ascending, the same targets as `within`'s row) in
   * memory the thread reuses, and at once runs the pool kernel `then` over them, while they are in
   * cache; the kernel appends what it keeps to its range's `KeptEntries` (the kernel's input
   * is a `RowsThenInput`, exported with the pool kernels from `@lifecircle/core/internal`, which
   * the pool runs by name). Null when the source cannot split its work that way (no pool, one
   * thread, owners not in ascending runs, no targets): ask `within` instead. Offered by
   * `GreatCircleSource`; a source without it is always asked `within`.
   */
  withinThen?<Part>(targets: Targets, bound: number, then: string, input: KernelInput): RowsThen<Part> | null;
}

/** What a source's `withinThen` kept, per range of origins, in the order of the origins. */
export interface RowsThen<Part> {
  /**
   * Each range's kept entries (what its `then` kernel appended), in chunks put end to end, on
   * shared memory when there is one.
   */
  readonly kept: Uint32Array[][];
  /** Each range's parts: what its `then` kernel returned for each of its batches, in order. */
  readonly parts: Part[][];
}

/** Entries a `withinThen` kernel keeps: appended in order, one list per range of origins. */
export interface KeptEntries {
  /** Entries appended so far: where the next append starts. */
  readonly length: number;
  /** Appends `entries[from … to)`. */
  append(entries: Uint32Array, from: number, to: number): void;
}

/**
 * What the `then` kernel of `withinThen` is given: a batch's rows (in the thread's own memory, gone
 * once the kernel returns), the list its range keeps entries in, and its own input. It is called as
 * `kernel(input, first, end)` for the origins `[first, end)` whose rows were just gathered, a run
 * of whole owners; it may rewrite those rows' entries in place.
 */
export interface RowsThenInput<Then extends KernelInput = KernelInput> {
  /** Row i (`first ≤ i < end`) is `targets[offsets[i − first] … offsets[i − first + 1])`. */
  readonly rows: { readonly offsets: Uint32Array; readonly targets: Uint32Array; readonly first: number };
  readonly kept: KeptEntries;
  /** The kernel's own input. */
  readonly next: Then;
}

/** Whether the walk from a point to its road counts against the radius (`'walk'`) or not (`'free'`). */
export type SnapCost = 'walk' | 'free';

/** What a walking-network source knows about its network and its origins, for the summary. */
export interface NetworkFacts {
  readonly snapTo: SnapTo;
  readonly snapCost: SnapCost;
  readonly maxSnapM: number;
  /** Street length in metres of each piece (connected component) of the network. */
  readonly pieceLength: Float64Array;
  /** 1 for each piece points may snap onto under `snapTo`. */
  readonly allowedPiece: Uint8Array;
  /** The piece with the most street length. */
  readonly largestPiece: number;
  /** Piece each origin snapped onto; -1 for an origin left unsnapped (it reaches nothing). */
  readonly originPiece: Int32Array;
  /** 1 for an unsnapped origin outside the network's extent (the convex hull of its nodes widened by `maxSnapM`). */
  readonly originBeyondExtent: Uint8Array;
}

/** Targets (by index) that reach no one on a walking network, by reason. */
export interface TargetFacts {
  /** Outside the network's extent: the network was cut before them. */
  readonly beyondExtent: readonly number[];
  /** Inside the extent but farther than the snapping limit from every road they may snap onto. */
  readonly offRoad: readonly number[];
  /** On a piece of network no demand point is on. */
  readonly stranded: readonly number[];
}

/** What a distance-source factory learns about the demand besides the points themselves. */
export interface DistanceContext {
  /** Community id of each owner index, for sources that match or name communities. */
  readonly communityIds: readonly string[];
}
