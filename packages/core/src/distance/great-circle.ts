import {
  chord2ToMetres,
  coordsBBox,
  EARTH_RADIUS_M,
  enclosingCap,
  METRES_PER_DEGREE,
  metresPerDegreeLon,
  metresToChord2,
  unitVectorInto,
} from '../geodesy/index.js';
import { ownScratch, releaseScratch, scratchArray } from '../parallel/arena.js';
import {
  balancedRanges,
  type KernelInput,
  type KernelRange,
  rangeCount,
  sharedArray,
  splitsWork,
  type WorkPool,
} from '../parallel/pool.js';
import { OptionError } from '../validate/problems.js';
import {
  addCellCounts,
  CELL_COUNT_KERNEL,
  type CellCountInput,
  type CellCountPart,
  countByCells,
  type DemandCells,
  demandCellGrid,
  demandCells,
  demandCellsBytes,
  planCellCount,
} from './cell-counts.js';
import {
  concatPairs,
  costTableFromPairs,
  PairBuffer,
  type PairRows,
  pairRows,
  sortRow,
  sortTargets,
} from './cost-table.js';
import type {
  CostTable,
  DistanceSource,
  KeptEntries,
  Origins,
  Reach,
  RowsThen,
  RowsThenInput,
  Targets,
} from './types.js';

/** Options of {@link GreatCircleSource}. */
export interface GreatCircleOptions {
  /**
   * Side of the cells (metres) that group nearby origins (of one owner, where the group also counts
   * targets within the bound; of any owner for the nearest search alone). A group shares one
   * candidate list, so larger groups mean fewer grid searches but longer lists. Default 200
   * (measured best on the coverage benchmark among 100–400 m).
   */
  groupCellM?: number;
  /**
   * Threads to split each search over (by ranges of demand groups, each owner's in one range); the
   * answers are the same as without. Default: none, everything runs on the calling thread.
   */
  pool?: WorkPool;
  /**
   * Fewest origins worth splitting over the pool: smaller searches take milliseconds, less than
   * waking other threads. Default 20,000; tests set 0 to split even tiny instances.
   */
  minOriginsToSplit?: number;
  /**
   * How `reach` counts the targets within the bound: `'cells'` from the targets' side over small
   * demand cells, each classified as wholly inside, outside or partial (see `cell-counts.ts`), with
   * the nearest from origin groups of any owner; `'groups'` in one scan of the origin groups of one
   * owner each, nearest and counts together. Same answers, bit for bit; default `'cells'` (1.4×
   * faster on the coverage benchmark), which falls back to `'groups'` where the grid's bound is not
   * trusted (across the antimeridian, bounds over 200 km) and at bound 0, where nothing lies within
   * but targets on a point itself. `within` always scans the groups.
   */
  countKernel?: 'cells' | 'groups';
  /**
   * Side (metres) of the demand cells `'cells'` counts over. Default: a sixth of the bound, in
   * steps of 25 m doubled (25, 50, 100, 200, 400 m).
   */
  countCellM?: number;
  /**
   * Bytes of demand-cell grids (`'cells'`) kept between searches, for later types whose bound asks
   * for the same cell side. Beyond it the kept grids are dropped before the next is built, so that
   * only one is held at a time: a grid costs about 40 bytes a demand point, which a province's 20
   * million points multiply. Default 256 MiB (every grid of a city of a few million points).
   */
  cellCacheBytes?: number;
  /**
   * Pairs `withinThen` gathers on a thread before it hands the rows of those owners to its next
   * kernel (at the next owner's start): the batch's memory stays in the thread's cache. Default
   * 262,144 (1 MiB of targets); tests make it small so that a town takes several batches.
   */
  batchEntries?: number;
}

const defaultOptions: Required<Omit<GreatCircleOptions, 'pool' | 'countCellM'>> = {
  groupCellM: 200,
  cellCacheBytes: 256 * 2 ** 20,
  minOriginsToSplit: 20_000,
  countKernel: 'cells',
  batchEntries: 1 << 18,
};

// Demand cells for counting are about a sixth of the bound: smaller cells test fewer points one by
// one but make each target classify more cells.
const COUNT_CELLS_PER_BOUND = 6;
const MIN_COUNT_CELL_M = 25;
const MAX_COUNT_CELL_M = 400;
// Ranges of targets per thread for the cell counts: each range has its own count per point.
const COUNT_RANGES_PER_THREAD = 3;

// The grid keeps latitudes away from the poles so that a degree of longitude never shrinks to zero.
const MAX_ABS_LATITUDE = 89;
const MIN_TARGET_CELL_M = 25;
// Grid cells are a quarter of the bound on a side: a disc search then over-reads by little, and
// reading a row costs the same however many cells it spans.
const TARGET_CELLS_PER_BOUND = 4;
const MAX_TARGET_CELLS_PER_TARGET = 16;
const MIN_TARGET_CELL_LIMIT = 4096;
// The disc search's lower bound sqrt(Δy² + Δx²), with Δx measured at the largest cosine of
// latitude in the data, undershoots the great circle by under 2e-4 while both angles stay below
// 0.1 rad (see the note on `searchLimitM`); it is shrunk by this factor so it stays a lower bound.
const DISC_BOUND_SAFETY = 0.999;
// Searches wider than this many radians of longitude scan every target instead.
const MAX_SEARCH_LONGITUDE_RAD = 0.05;
const MAX_SEARCH_M = 200_000;
// Triangle-inequality thresholds are widened by this much so that rounding never drops a candidate.
const THRESHOLD_SLACK = 1 + 1e-9;
const THRESHOLD_SLACK_M = 1e-6;
const MAX_RUN_FOR_PACKED_SORT = 1 << 21;
const MAX_CELLS_PER_RUN_FOR_BUCKETS = 32;

/**
 * Straight-line distance on the sphere (haversine, R = 6,371,008.8 m), answered with a uniform grid
 * over the targets and origins grouped by owner and cell.
 *
 * Each group of origins (one owner, one cell) gathers its candidate targets once, by a ring search
 * around the group's centre bounded with the triangle inequality; each origin then scans only that
 * list with chord arithmetic on unit vectors (no trigonometry in the inner loop). The work grows
 * with the answer, not with origins × targets.
 *
 * @example
 * const source = new GreatCircleSource(demand);
 * const reach = source.reach({ coords: clinics }, 300);
 * reach.withinCount[0]; // clinics within 300 m of the first demand point
 */
export class GreatCircleSource implements DistanceSource {
  readonly kind = 'great-circle' as const;
  readonly costUnit = 'm' as const;
  readonly origins: Origins;

  private readonly groupCellM: number;
  // Built on first use: `reach` with the cell counts never needs the groups of one owner each.
  private ownerGroups: OriginGroups | undefined;
  private readonly originBBox: [number, number, number, number];
  private readonly pool: WorkPool | undefined;
  private readonly countKernel: 'cells' | 'groups';
  private readonly batchEntries: number;
  private readonly countCellM: number | undefined;
  // Demand cells by the side they were binned at, while they fit in `cellCacheBytes`.
  private readonly cellsBySide = new Map<number, DemandCells>();
  private readonly cellCacheBytes: number;
  private ownerFreeGroups: OriginGroups | undefined;
  private readonly nearestCellM: number;

  constructor(origins: Origins, options: GreatCircleOptions = {}) {
    const { groupCellM, minOriginsToSplit, countKernel, cellCacheBytes, batchEntries } = {
      ...defaultOptions,
      ...options,
    };
    if (!(batchEntries >= 1)) throw new Error(`batchEntries must be at least 1, got ${batchEntries}.`);
    this.batchEntries = batchEntries;
    this.countKernel = countKernel;
    this.cellCacheBytes = cellCacheBytes;
    this.countCellM = options.countCellM;
    this.nearestCellM = groupCellM;
    const n = origins.coords.length >> 1;
    if (origins.owner.length !== n) {
      throw new Error(`Origins have ${n} points but ${origins.owner.length} owners.`);
    }
    if (!(groupCellM > 0)) throw new Error(`groupCellM must be positive, got ${groupCellM}.`);
    assertLonLat(origins.coords, 'origins');
    this.origins = origins;
    this.pool = n >= minOriginsToSplit ? options.pool : undefined;
    this.originBBox = coordsBBox(origins.coords);
    this.groupCellM = groupCellM;
    assertOwners(origins);
  }

  /** Number of origin groups of one owner each, the grid searches of `within` run for (diagnostics and benchmarks). */
  get groupCount(): number {
    return this.groups.groupOwner.length;
  }

  // Origins grouped by owner and lattice cell.
  private get groups(): OriginGroups {
    this.ownerGroups ??= originGroups(
      this.origins,
      latticeKeys(this.origins.coords, this.originBBox, this.groupCellM),
      this.pool,
    );
    return this.ownerGroups;
  }

  reach(targets: Targets, bound: number): Reach {
    const { reach } = this.scan(targets, bound, { countByCells: this.countKernel === 'cells' });
    // On a pool the outputs were written on the pool's scratch memory: the caller gets its own copy.
    const pool = this.pool;
    return {
      bound,
      nearestCost: ownScratch(pool, reach.nearestCost),
      nearestIndex: ownScratch(pool, reach.nearestIndex),
      withinCount: ownScratch(pool, reach.withinCount),
      ownerWithinCount: ownScratch(pool, reach.ownerWithinCount),
    };
  }

  within(targets: Targets, bound: number): CostTable {
    const pool = this.pool;
    if (!splitsWork(pool)) {
      const { reach, pairs } = this.scan(targets, bound, { collectPairs: true });
      return costTableFromPairs(concatPairs(pairs), reach.withinCount, bound);
    }
    // On a pool the threads lay the table out themselves: a first scan counts each origin's row,
    // a second writes every row in place on shared memory and sorts it, so no pair is sent between
    // threads or gathered on the calling one. Each origin's row is written by the range holding it.
    const { offsets, rows } = this.rowsOnPool(targets, bound, pool);
    releaseReach(pool, this.scan(targets, bound, { testEachPair: true, rows }).reach);
    return { bound, offsets, targets: rows.targets, costs: rows.costs };
  }

  /**
   * See {@link DistanceSource.withinThen}: on a pool of two or more threads, when every owner's
   * origins are one run and the owners ascend (as the demand builders lay them out), one scan (no
   * counting scan first: each origin's pairs come out in one run) gathers the rows of a batch of
   * whole owners in memory its thread reuses (targets only, in target order, as `within` sorts
   * them) and at once runs kernel `then` over the origins of the batch.
   */
  withinThen<Part>(targets: Targets, bound: number, then: string, input: KernelInput): RowsThen<Part> | null {
    const pool = this.pool;
    const { owner } = this.origins;
    if (!splitsWork(pool)) return null;
    for (let i = 1; i < owner.length; i++) if (owner[i]! < owner[i - 1]!) return null;
    const prepared = this.scanInput(targets, bound, { testEachPair: true });
    // No targets or no origins: nothing to scan.
    if (prepared.input === null) {
      releaseReach(pool, prepared.reach);
      return null;
    }
    const ranges = pool.run<RangeThen<Part>>(
      GREAT_CIRCLE_SCAN_THEN_KERNEL,
      { scan: prepared.input, then, next: input, batchEntries: this.batchEntries } satisfies ScanThenInput,
      prepared.ranges,
    );
    // The scan's per-origin outputs and target grid are scratch here (only the kept entries are
    // kept): back to the pool's arena, so that the next search reuses their pages.
    const { grid } = prepared;
    releaseScratch(pool, grid!.cellStart, grid!.cellXyz, grid!.cellTarget);
    releaseReach(pool, prepared.reach);
    return { kept: ranges.map((range) => range.kept), parts: ranges.map((range) => range.parts) };
  }

  /**
   * The first of a pool's two scans: counts each origin's row and lays the rows out on shared
   * memory (offsets, and a write cursor per origin at its row's start) for the second to fill.
   */
  private rowsOnPool(
    targets: Targets,
    bound: number,
    pool: WorkPool,
  ): { offsets: Uint32Array; rows: TableRows } {
    const { reach } = this.scan(targets, bound, { testEachPair: true });
    const { withinCount } = reach;
    const n = withinCount.length;
    const offsets = sharedArray(Uint32Array, n + 1, pool);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + withinCount[i]!;
    releaseReach(pool, reach);
    const rows: TableRows = {
      cursor: sharedArray(Uint32Array, n, pool),
      targets: sharedArray(Uint32Array, offsets[n]!, pool),
      costs: sharedArray(Float64Array, offsets[n]!, pool),
    };
    rows.cursor.set(offsets.subarray(0, n));
    return { offsets, rows };
  }

  private scan(
    targets: Targets,
    bound: number,
    pairs: ScanRequest = {},
  ): { reach: Reach; pairs: PairRows[] } {
    const { reach, input, ranges, countApart, grid } = this.scanInput(targets, bound, pairs);
    if (input === null) return { reach, pairs: [] };
    const pool = this.pool;
    const found = !splitsWork(pool)
      ? [scanGreatCircleGroups(input, 0, input.origins.groupOwner.length)]
      : pool.run<PairRows>(GREAT_CIRCLE_SCAN_KERNEL, input, ranges);
    if (countApart) this.countWithinByCells(targets.coords, grid!, bound, reach);
    releaseScratch(pool, grid!.cellStart, grid!.cellXyz, grid!.cellTarget);
    return { reach, pairs: found };
  }

  // The scan's input and, on a pool, its ranges of groups; a null input when there are no targets
  // or no origins (the reach is then already filled).
  private scanInput(
    targets: Targets,
    bound: number,
    pairs: ScanRequest,
  ): {
    reach: Reach;
    input: GreatCircleScanInput | null;
    ranges: KernelRange[];
    countApart: boolean;
    grid: TargetGrid | null;
  } {
    if (Number.isNaN(bound)) throw new Error('Reach bound must be a number, got NaN.');
    const n = this.origins.owner.length;
    const pool = this.pool;
    // Every origin's nearest is written by the scan; only without targets do these stay as filled.
    // On a pool, on its scratch memory: `reach` hands the caller copies and gives these back. The
    // scan writes these three for every origin (and they are filled below when there is no scan),
    // so reused memory need not be zeroed first.
    const nearestCost = scratchArray(Float64Array, n, pool, 'overwritten');
    const nearestIndex = scratchArray(Int32Array, n, pool, 'overwritten');
    const withinCount = scratchArray(Uint32Array, n, pool, 'overwritten');
    const ownerWithinCount = scratchArray(Uint32Array, this.origins.ownerCount, pool);
    const reach: Reach = { bound, nearestCost, nearestIndex, withinCount, ownerWithinCount };
    assertLonLat(targets.coords, 'targets');
    const nT = targets.coords.length >> 1;
    if (nT === 0 || n === 0) {
      nearestCost.fill(Number.POSITIVE_INFINITY);
      nearestIndex.fill(-1);
      withinCount.fill(0);
      return { reach, input: null, ranges: [], countApart: false, grid: null };
    }
    const grid = targetGrid(targets.coords, bound, this.originBBox, pool);
    // Counting from the targets' side leaves the origin groups only the nearest to find. At bound 0
    // (a nearest search, such as the district rule's) the only targets within are those on a point
    // itself, which the groups' scan counts on the way; demand cells for them would cost a pass over
    // every origin and target for nothing.
    const countApart =
      pairs.countByCells === true && bound > 0 && !grid.wrapsAround && bound <= grid.searchLimitM;
    const origins = countApart ? this.nearestGroups() : this.groups;
    const input: GreatCircleScanInput = {
      origins,
      grid,
      bound: countApart ? -1 : bound,
      collectPairs: pairs.collectPairs === true,
      testEachPair: pairs.collectPairs === true || pairs.testEachPair === true,
      rows: pairs.rows,
      reach,
    };
    if (!splitsWork(pool)) return { reach, input, ranges: [], countApart, grid };
    // Each owner's groups stay in one range: the distinct targets an owner reaches are counted with
    // one stamp array, which two threads could not share (a nearest search alone may cut anywhere).
    const { groupStart, groupOwner } = origins;
    const ranges = balancedRanges(
      groupStart,
      rangeCount(pool),
      (g) => countApart || groupOwner[g] !== groupOwner[g - 1],
    );
    return { reach, input, ranges, countApart, grid };
  }

  // Origins grouped by lattice cell alone, for the nearest search when the counts are made apart:
  // owners no longer matter there, and groups that ignore them are fewer and fuller.
  private nearestGroups(): OriginGroups {
    if (this.ownerFreeGroups === undefined) {
      const n = this.origins.owner.length;
      const oneOwner = { coords: this.origins.coords, owner: new Uint32Array(n), ownerCount: 1 };
      this.ownerFreeGroups = originGroups(
        oneOwner,
        latticeKeys(this.origins.coords, this.originBBox, this.nearestCellM),
        this.pool,
      );
    }
    return this.ownerFreeGroups;
  }

  // Fills `reach.withinCount` and `ownerWithinCount` by the cell counts (see `cell-counts.ts`),
  // over ranges of targets in the grid's order, so that each range's targets lie near each other.
  private countWithinByCells(coords: Float64Array, grid: TargetGrid, bound: number, reach: Reach): void {
    const pool = this.pool;
    const side =
      this.countCellM ??
      Math.min(
        MAX_COUNT_CELL_M,
        MIN_COUNT_CELL_M *
          2 ** Math.max(0, Math.floor(Math.log2(bound / COUNT_CELLS_PER_BOUND / MIN_COUNT_CELL_M))),
      );
    // Keyed by the side binned at: cells asked for at two sides are often one grid (a sparse
    // extent's cells grow alike).
    const gridSide = demandCellGrid(this.originBBox, side, this.origins.owner.length).side;
    let cells = this.cellsBySide.get(gridSide);
    if (cells === undefined) {
      // A new grid costs about what a kept one does: drop them all first when both would not fit,
      // so that the peak holds one grid, not two.
      let kept = 0;
      for (const grid of this.cellsBySide.values()) kept += demandCellsBytes(grid);
      const next = kept / Math.max(1, this.cellsBySide.size);
      if (kept + next > this.cellCacheBytes) this.cellsBySide.clear();
      cells = demandCells(this.origins, this.originBBox, side, pool);
      this.cellsBySide.set(gridSide, cells);
    }
    const { cellTarget, cellXyz } = grid;
    const nT = cellTarget.length;
    const targetLonLat = scratchArray(Float64Array, 2 * nT, pool, 'overwritten');
    for (let k = 0; k < nT; k++) {
      const t = cellTarget[k]!;
      targetLonLat[2 * k] = coords[2 * t]!;
      targetLonLat[2 * k + 1] = coords[2 * t + 1]!;
    }
    const split = splitsWork(pool);
    const metresPerLon = metresPerDegreeLon(grid.maxAbsLat);
    const plan = planCellCount(
      cells,
      targetLonLat,
      bound,
      metresPerLon,
      split ? rangeCount(pool, COUNT_RANGES_PER_THREAD) : 1,
    );
    const rangeStarts = scratchArray(Int32Array, plan.ranges.length, pool, 'overwritten');
    plan.ranges.forEach(([from], k) => {
      rangeStarts[k] = from;
    });
    // The plan's small arrays are copied to each thread with the job; the slices are shared.
    const input: CellCountInput = {
      cells,
      targetLonLat,
      targetXyz: cellXyz,
      targetIndex: cellTarget,
      bound,
      metresPerLon,
      rangeStarts,
      bandFirstCell: plan.bandFirstCell,
      bandEndCell: plan.bandEndCell,
      cellOffset: plan.cellOffset,
      pointOffset: plan.pointOffset,
      cellInside: scratchArray(Uint32Array, plan.cellSlots, pool),
      pointCounts: scratchArray(Uint32Array, plan.pointSlots, pool),
    };
    const parts = split
      ? pool.run<CellCountPart>(CELL_COUNT_KERNEL, input, plan.ranges)
      : plan.ranges.map(([from, to]) => countByCells(input, from, to));
    addCellCounts(cells, input, parts, reach.withinCount, reach.ownerWithinCount);
    releaseScratch(pool, targetLonLat, rangeStarts, input.cellInside, input.pointCounts);
  }
}

/** The arrays a great-circle scan reads of its origins: points in group order and their groups. */
interface OriginGroups {
  /** Origins in group order: position p holds origin order[p]. */
  readonly order: Uint32Array;
  readonly xyz: Float64Array;
  readonly groupStart: Uint32Array;
  readonly groupOwner: Uint32Array;
  readonly groupCenter: Float64Array;
  readonly groupLonLat: Float64Array;
  readonly groupRadiusM: Float64Array;
  /** The same radius as a chord on the unit sphere (max |p − centre|), rounded up. */
  readonly groupRadiusChord: Float64Array;
  readonly ownerCount: number;
}

/** The input of {@link scanGreatCircleGroups}: everything one range of groups needs, as plain data a pool can share. */
export interface GreatCircleScanInput {
  readonly origins: OriginGroups;
  readonly grid: TargetGrid;
  readonly bound: number;
  /** Whether to list every (origin, target, squared chord) within the bound (for `within`). */
  readonly collectPairs: boolean;
  /**
   * Whether to test every origin against every target near the bound, without counting the targets
   * within it of a whole group at once: the counts `within` lays its rows out by.
   */
  readonly testEachPair: boolean;
  /** Rows of a cost table to write every pair within the bound into, and sort (see `within`). */
  readonly rows: TableRows | undefined;
  /** Outputs, written at the positions of the range's origins and owners only. */
  readonly reach: Reach;
}

/** Name under which {@link scanGreatCircleGroups} is registered for work pools. */
export const GREAT_CIRCLE_SCAN_KERNEL = 'great-circle-scan';

/**
 * The great-circle source's search over groups `[from, to)`: nearest target, counts within the bound
 * and (when asked) the pairs within it, for every origin of those groups. Ranges must not split an
 * owner's groups. Writes into `input.reach`; returns the pairs found.
 */
export function scanGreatCircleGroups(
  input: GreatCircleScanInput,
  from: number,
  to: number,
  batches?: ScanBatches,
): PairRows {
  const { origins, grid, bound, reach: result } = input;
  const { groupCenter, groupRadiusM, groupRadiusChord, groupLonLat, groupOwner, groupStart } = origins;
  const { xyz, order } = origins;
  const collected = input.collectPairs ? new PairBuffer() : null;
  const pairs = input.rows !== undefined ? new TableRowWriter(input.rows) : collected;
  const { ownerWithinCount } = result;
  const nT = grid.cellTarget.length;
  // A `withinThen` batch wants only the pairs within the bound, each origin's in target order (its
  // row): no target is checked for the nearest, so every origin's pairs come from one block of
  // candidates, which sorted by target gives the rows sorted (see `sortTestedByTarget`).
  const pairsOnly = batches !== undefined;
  const gridAt = pairsOnly ? gridPositions(grid.cellTarget) : null;
  const bound2 = bound < 0 ? -1 : metresToChord2(bound);
  const candidate = new Uint32Array(nT);
  const candidateChord2 = new Float64Array(nT);
  const candidateXyz = new Float64Array(nT * 3);
  const candidateTarget = new Uint32Array(nT);
  const candidateRole = new Uint8Array(nT);
  const stamp = new Int32Array(nT).fill(-1);
  const { cellStart, cellXyz, cellTarget, cols, rows } = grid;
  const boundOrZero = Math.max(bound, 0);

  for (let g = from; g < to; g++) {
    const cx = groupCenter[3 * g]!;
    const cy = groupCenter[3 * g + 1]!;
    const cz = groupCenter[3 * g + 2]!;
    const radiusM = groupRadiusM[g]!;
    const column = columnOf(grid, groupLonLat[2 * g]!);
    const row = rowOf(grid, groupLonLat[2 * g + 1]!);

    // Disc search: gather every target within searchM of the centre, widening the disc until it
    // holds every target that can be nearest to an origin of the group or within the bound of
    // one: those lie within max(bound, nearest-to-centre + r) + r of the centre (triangle
    // inequality). Each widening reads only the annulus it adds.
    let best2 = Number.POSITIVE_INFINITY;
    let found = 0;
    let searchM = bound >= 0 ? bound + radiusM : grid.cellM;
    let searchedCells = -1;
    let scanAll = grid.wrapsAround;
    while (!scanAll) {
      if (searchM > grid.searchLimitM) {
        scanAll = true;
        break;
      }
      const discCells = searchM / DISC_BOUND_SAFETY / grid.cellM;
      const firstRow = Math.max(0, Math.floor(row - discCells));
      const lastRow = Math.min(rows - 1, Math.floor(row + discCells));
      for (let y = firstRow; y <= lastRow; y++) {
        // Whole rows between the centre and row y: a lower bound on the latitude gap, in cells.
        const gapY = y > row ? y - row : y + 1 < row ? row - y - 1 : 0;
        const halfWidth = Math.sqrt(discCells * discCells - gapY * gapY);
        const firstColumn = Math.max(0, Math.floor(column - halfWidth));
        const lastColumn = Math.min(cols - 1, Math.floor(column + halfWidth));
        if (firstColumn > lastColumn) continue;
        const rowStart = y * cols;
        const from = cellStart[rowStart + firstColumn]!;
        const to = cellStart[rowStart + lastColumn + 1]!;
        // The part of the row an earlier, narrower disc already read.
        let skipFrom = to;
        let skipTo = to;
        if (searchedCells >= gapY) {
          const oldHalfWidth = Math.sqrt(searchedCells * searchedCells - gapY * gapY);
          const oldFirst = Math.max(firstColumn, Math.floor(column - oldHalfWidth));
          const oldLast = Math.min(lastColumn, Math.floor(column + oldHalfWidth));
          if (oldFirst <= oldLast) {
            skipFrom = cellStart[rowStart + oldFirst]!;
            skipTo = cellStart[rowStart + oldLast + 1]!;
          }
        }
        const before = found;
        found = gatherTargets(cellXyz, from, skipFrom, cx, cy, cz, candidate, candidateChord2, found);
        found = gatherTargets(cellXyz, skipTo, to, cx, cy, cz, candidate, candidateChord2, found);
        for (let c = before; c < found; c++) best2 = Math.min(best2, candidateChord2[c]!);
      }
      searchedCells = discCells;
      // Pairs only: the first disc, within bound + r of the centre, holds every target in reach.
      const neededM = pairsOnly
        ? searchM
        : best2 === Number.POSITIVE_INFINITY
          ? 2 * searchM
          : Math.max(boundOrZero, chord2ToMetres(best2) + radiusM) + radiusM;
      if (neededM <= searchM) break;
      searchM = neededM;
    }
    if (scanAll) {
      found = gatherTargets(cellXyz, 0, nT, cx, cy, cz, candidate, candidateChord2, 0);
      best2 = Number.POSITIVE_INFINITY;
      for (let c = 0; c < found; c++) best2 = Math.min(best2, candidateChord2[c]!);
    }
    // Sort the candidates by what each origin of the group must check. A target within
    // bound − r of the centre is within the bound of every origin, one beyond bound + r of none;
    // only the band between needs a per-origin test. The nearest target of any origin lies within
    // nearest-to-centre + 2r, and is not one that the target nearest the centre beats on the whole
    // group (see `beatenOnGroup`): those few are checked for distance.
    const owner = groupOwner[g]!;
    const nearest2 = metresToChord2(
      (chord2ToMetres(best2) + 2 * radiusM) * THRESHOLD_SLACK + THRESHOLD_SLACK_M,
    );
    const outside2 = metresToChord2((boundOrZero + radiusM) * THRESHOLD_SLACK + THRESHOLD_SLACK_M);
    const insideM = (bound - radiusM) * (2 - THRESHOLD_SLACK) - THRESHOLD_SLACK_M;
    const inside2 = insideM < 0 || input.testEachPair ? -1 : metresToChord2(insideM);
    let bestAt = 0;
    while (bestAt < found && candidateChord2[bestAt] !== best2) bestAt++;
    const best = candidate[bestAt]!;
    const radiusChord = groupRadiusChord[g]!;
    // Each candidate's role: counted against the bound per origin (TESTED), checked for each
    // origin's nearest (NEAREST), both, or neither.
    let testedOnly = 0;
    let both = 0;
    let nearestOnly = 0;
    let allInside = 0;
    for (let c = 0; c < found; c++) {
      const d2 = candidateChord2[c]!;
      let role = 0;
      if (d2 <= inside2) {
        allInside++;
        const s = cellTarget[candidate[c]!]!;
        if (stamp[s] !== owner) {
          stamp[s] = owner;
          ownerWithinCount[owner]!++;
        }
      } else if (d2 <= outside2 && bound >= 0) role = TESTED;
      if (
        !pairsOnly &&
        d2 <= nearest2 &&
        (c === bestAt || !beatenOnGroup(cellXyz, candidate[c]!, best, d2, best2, radiusChord))
      )
        role |= NEAREST;
      candidateRole[c] = role;
      if (role === TESTED) testedOnly++;
      else if (role === NEAREST) nearestOnly++;
      else if (role !== 0) both++;
    }
    // The scratch holds the tested-only candidates, then those in both roles, then the
    // nearest-only ones, so that each origin computes every candidate's chord once.
    let nextTested = 0;
    let nextBoth = testedOnly;
    let nextNearest = testedOnly + both;
    for (let c = 0; c < found; c++) {
      const role = candidateRole[c]!;
      if (role === 0) continue;
      const slot = role === TESTED ? nextTested++ : role === NEAREST ? nextNearest++ : nextBoth++;
      const at = candidate[c]!;
      copyCandidate(cellXyz, at, cellTarget[at]!, slot, candidateTarget, candidateXyz);
    }
    if (batches !== undefined) {
      sortTestedByTarget(testedOnly, cellXyz, gridAt!, candidateTarget, candidateXyz);
      scanGroupPairs(
        groupStart[g]!,
        groupStart[g + 1]!,
        xyz,
        order,
        candidateTarget,
        candidateXyz,
        testedOnly,
        bound2,
        result.withinCount,
        batches.stream,
      );
    } else {
      scanGroupOrigins(
        groupStart[g]!,
        groupStart[g + 1]!,
        owner,
        xyz,
        order,
        candidateTarget,
        candidateXyz,
        testedOnly,
        testedOnly + both,
        testedOnly + both + nearestOnly,
        allInside,
        bound2,
        stamp,
        result,
        pairs,
      );
    }
    if (
      batches !== undefined &&
      (g + 1 === to || (batches.stream.length >= batches.entries && groupOwner[g + 1] !== owner))
    ) {
      batches.flush(g + 1);
    }
  }
  // The scan collects squared chords; the table holds metres.
  if (collected !== null)
    for (let k = 0; k < collected.length; k++) collected.value[k] = chord2ToMetres(collected.value[k]!);
  if (input.rows !== undefined) {
    const { cursor, targets, costs } = input.rows;
    for (let p = groupStart[from]!, end = groupStart[to]!; p < end; p++) {
      const origin = order[p]!;
      const rowEnd = cursor[origin]!;
      const rowStart = rowEnd - result.withinCount[origin]!;
      sortRow(targets, costs, rowStart, rowEnd);
    }
  }
  return pairRows(collected);
}

/** A cost table's rows being written: `cursor[i]` is where origin i's next pair goes. */
interface TableRows {
  readonly cursor: Uint32Array;
  readonly targets: Uint32Array;
  readonly costs: Float64Array;
}

// Writes pairs straight into their origin's row, in metres (the scan gives squared chords).
class TableRowWriter {
  constructor(private readonly rows: TableRows) {}

  push(origin: number, target: number, chord2: number): void {
    const at = this.rows.cursor[origin]!++;
    this.rows.targets[at] = target;
    this.rows.costs[at] = chord2ToMetres(chord2);
  }
}

/** What a scan is asked for besides each origin's reach: its pairs, collected or written as rows, and how to count. */
interface ScanRequest {
  readonly collectPairs?: boolean;
  readonly testEachPair?: boolean;
  readonly rows?: TableRows;
  readonly countByCells?: boolean;
}

/** Pool kernel: a `withinThen` range scanned, its rows handed batch by batch to its `then` kernel (see {@link scanRowsThen}). */
export const GREAT_CIRCLE_SCAN_THEN_KERNEL = 'great-circle-scan-then';

/** The input of {@link GREAT_CIRCLE_SCAN_THEN_KERNEL}: the scan, and the `then` kernel's own input. */
export interface ScanThenInput<Then extends KernelInput = KernelInput> {
  readonly scan: GreatCircleScanInput;
  /** The pool kernel to run over each batch's origins once their rows are gathered. */
  readonly then: string;
  /** The `then` kernel's own input. */
  readonly next: Then;
  /** Pairs a batch gathers before its owners' rows go to `then` (see `GreatCircleOptions`). */
  readonly batchEntries: number;
}

// The origins of groups [from, to): owners ascend with the origins' index and the groups with the
// owners (see `withinThen`), so a range of whole owners holds one run of origins.
function originRun(origins: OriginGroups, from: number, to: number): KernelRange {
  const { groupStart, order } = origins;
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  for (let p = groupStart[from]!, e = groupStart[to]!; p < e; p++) {
    const i = order[p]!;
    if (i < first) first = i;
    if (i > last) last = i;
  }
  if (last < 0) return [0, 0];
  if (last + 1 - first !== groupStart[to]! - groupStart[from]!) {
    throw new Error(`Groups ${from}…${to - 1} do not hold one run of origins.`);
  }
  return [first, last + 1];
}

/** What one range of {@link GREAT_CIRCLE_SCAN_THEN_KERNEL} kept, and its `then` kernel's parts. */
export interface RangeThen<Part> {
  /** The kept entries, in chunks. */
  readonly kept: Uint32Array[];
  readonly parts: Part[];
}

/**
 * The scan's hook for `withinThen`: pairs go to `stream`; once it holds `entries`, `flush(g)` ends
 * the batch before group g, the next owner's first (and at the range's end).
 */
interface ScanBatches {
  readonly stream: TargetStream;
  readonly entries: number;
  flush(groupEnd: number): void;
}

// A batch's pairs in the order the scan finds them: group by group, origin by origin, so that each
// origin's pairs are one run (the scan tests each origin against its group's candidates in turn).
class TargetStream {
  targets: Uint32Array;
  length: number = 0;

  constructor(capacity: number) {
    this.targets = new Uint32Array(capacity);
  }

  /** Room for at least `entries` pairs in all. */
  reserve(entries: number): void {
    if (entries <= this.targets.length) return;
    const grown = new Uint32Array(Math.max(entries, 2 * this.targets.length));
    grown.set(this.targets.subarray(0, this.length));
    this.targets = grown;
  }
}

// Entries of a chunk of a range's kept list: 4 MB.
const KEPT_CHUNK = 1 << 20;

// A range's kept entries, written once, into chunks on shared memory where there is one (so that
// the calling thread reads them without a copy), each full before the next is begun.
class KeptChunks implements KeptEntries {
  readonly chunks: Uint32Array[] = [];
  length: number = 0;
  private chunk: Uint32Array = new Uint32Array(0);
  private used = 0;

  append(entries: Uint32Array, from: number, to: number): void {
    this.length += to - from;
    while (from < to) {
      if (this.used === this.chunk.length) this.begin();
      const n = Math.min(to - from, this.chunk.length - this.used);
      this.chunk.set(entries.subarray(from, from + n), this.used);
      this.used += n;
      from += n;
    }
  }

  /** The chunks, the last cut to its entries. */
  done(): Uint32Array[] {
    if (this.chunks.length > 0) this.chunks[this.chunks.length - 1] = this.chunk.subarray(0, this.used);
    return this.chunks;
  }

  private begin(): void {
    this.chunk =
      typeof SharedArrayBuffer === 'undefined'
        ? new Uint32Array(KEPT_CHUNK)
        : new Uint32Array(new SharedArrayBuffer(4 * KEPT_CHUNK));
    this.chunks.push(this.chunk);
    this.used = 0;
  }
}

/**
 * {@link GREAT_CIRCLE_SCAN_THEN_KERNEL} over groups `[from, to)`, given how to run the `then`
 * kernel (the pool's kernel table does, so that this module does not import the siting kernels):
 * one scan, whose pairs are laid out as rows batch by batch (each batch whole owners) and handed to
 * `then` with the origins of the batch, `[first, end)`.
 */
export function scanRowsThen(
  input: ScanThenInput,
  from: number,
  to: number,
  then: (rows: RowsThenInput, first: number, end: number) => unknown,
): RangeThen<unknown> {
  const { origins, reach } = input.scan;
  const { groupStart, order } = origins;
  const { withinCount } = reach;
  // Room for a batch and the owner that ends it, most of the time.
  const stream = new TargetStream(2 * input.batchEntries);
  const kept = new KeptChunks();
  const parts: unknown[] = [];
  let rowTargets = new Uint32Array(stream.targets.length);
  let batchFrom = from;
  const flush = (groupEnd: number) => {
    const [first, end] = originRun(origins, batchFrom, groupEnd);
    // Rows in the order of the origins; each origin's run of pairs (in target order: the scan tests
    // a batch's candidates sorted by target, see `sortTestedByTarget`) copied to its row.
    const offsets = new Uint32Array(end - first + 1);
    for (let i = first; i < end; i++) offsets[i - first + 1] = offsets[i - first]! + withinCount[i]!;
    if (rowTargets.length < stream.length) rowTargets = new Uint32Array(stream.targets.length);
    const found = stream.targets;
    let at = 0;
    for (let p = groupStart[batchFrom]!, e = groupStart[groupEnd]!; p < e; p++) {
      const origin = order[p]!;
      const rowStart = offsets[origin - first]!;
      const count = withinCount[origin]!;
      for (let q = 0; q < count; q++) rowTargets[rowStart + q] = found[at + q]!;
      at += count;
    }
    parts.push(then({ rows: { offsets, targets: rowTargets, first }, kept, next: input.next }, first, end));
    stream.length = 0;
    batchFrom = groupEnd;
  };
  if (from < to) scanGreatCircleGroups(input.scan, from, to, { stream, entries: input.batchEntries, flush });
  return { kept: kept.done(), parts };
}

/**
 * Origins ordered by owner and lattice cell, as unit vectors, with one group per (owner, cell): its
 * centre, its radius and its owner. On shared memory when a pool will read them from several threads.
 */
function originGroups(origins: Origins, cellKey: Float64Array, pool: WorkPool | undefined): OriginGroups {
  const n = origins.owner.length;
  const order = groupOrder(origins, cellKey);
  const xyz = sharedArray(Float64Array, n * 3, pool);
  const starts: number[] = [];
  for (let p = 0; p < n; p++) {
    const i = order[p]!;
    unitVectorInto(origins.coords, i, xyz, p);
    if (p === 0) {
      starts.push(0);
      continue;
    }
    const prev = order[p - 1]!;
    if (origins.owner[i] !== origins.owner[prev] || cellKey[i] !== cellKey[prev]) starts.push(p);
  }
  starts.push(n);
  const groups = Math.max(0, starts.length - 1);
  const sharedOrder = sharedArray(Uint32Array, n, pool);
  sharedOrder.set(order);
  const groupStart = sharedArray(Uint32Array, groups + 1, pool);
  groupStart.set(n === 0 ? [0] : starts);
  const result: OriginGroups = {
    order: sharedOrder,
    xyz,
    groupStart,
    groupOwner: sharedArray(Uint32Array, groups, pool),
    groupCenter: sharedArray(Float64Array, groups * 3, pool),
    groupLonLat: sharedArray(Float64Array, groups * 2, pool),
    groupRadiusM: sharedArray(Float64Array, groups, pool),
    groupRadiusChord: sharedArray(Float64Array, groups, pool),
    ownerCount: origins.ownerCount,
  };
  for (let g = 0; g < groups; g++) describeGroup(result, origins.owner, g);
  return result;
}

// The centre (normalised mean of the unit vectors), radius and owner of group g.
function describeGroup(groups: OriginGroups, owners: Uint32Array, g: number): void {
  const { xyz, groupStart, groupCenter, groupLonLat } = groups;
  const a = groupStart[g]!;
  const b = groupStart[g + 1]!;
  const max2 = enclosingCap(xyz, a, b, groupCenter, g);
  groups.groupOwner[g] = owners[groups.order[a]!]!;
  const cx = groupCenter[3 * g]!;
  const cy = groupCenter[3 * g + 1]!;
  const cz = groupCenter[3 * g + 2]!;
  groupLonLat[2 * g] = (Math.atan2(cy, cx) * 180) / Math.PI;
  groupLonLat[2 * g + 1] = (Math.asin(Math.max(-1, Math.min(1, cz))) * 180) / Math.PI;
  groups.groupRadiusM[g] = chord2ToMetres(max2) * THRESHOLD_SLACK + THRESHOLD_SLACK_M;
  groups.groupRadiusChord[g] = Math.sqrt(max2) * THRESHOLD_SLACK;
}

// Appends the grid's targets [from, to) to the candidates with their squared chords to the centre;
// returns the new number of candidates.
function gatherTargets(
  cellXyz: Float64Array,
  from: number,
  to: number,
  cx: number,
  cy: number,
  cz: number,
  candidate: Uint32Array,
  candidateChord2: Float64Array,
  found: number,
): number {
  for (let s = from; s < to; s++) {
    const dx = cellXyz[3 * s]! - cx;
    const dy = cellXyz[3 * s + 1]! - cy;
    const dz = cellXyz[3 * s + 2]! - cz;
    candidate[found] = s;
    candidateChord2[found++] = dx * dx + dy * dy + dz * dz;
  }
  return found;
}

/**
 * `withinThen`'s per-origin scan (see {@link scanGroupOrigins}): each origin of `[start, end)`
 * tested against the group's first `tested` candidates, its targets within the bound appended to
 * `stream` in the candidates' order and their number written to `withinCount`; nothing else of the
 * reach (no nearest, no counts per owner: a `withinThen` reads only its rows and their counts).
 * The per-origin loop is about two fifths of `withinThen`'s CPU; without the other roles' branches,
 * the stamps and a method call per pair, `MaximalCovering.fromSource` took about a tenth less CPU.
 */
function scanGroupPairs(
  start: number,
  end: number,
  xyz: Float64Array,
  order: Uint32Array,
  candidateTarget: Uint32Array,
  candidateXyz: Float64Array,
  tested: number,
  bound2: number,
  withinCount: Uint32Array,
  stream: TargetStream,
): void {
  let out = stream.targets;
  let at = stream.length;
  for (let p = start; p < end; p++) {
    if (at + tested > out.length) {
      stream.length = at;
      stream.reserve(at + tested);
      out = stream.targets;
    }
    const px = xyz[3 * p]!;
    const py = xyz[3 * p + 1]!;
    const pz = xyz[3 * p + 2]!;
    const first = at;
    for (let c = 0; c < tested; c++) {
      const dx = candidateXyz[3 * c]! - px;
      const dy = candidateXyz[3 * c + 1]! - py;
      const dz = candidateXyz[3 * c + 2]! - pz;
      if (dx * dx + dy * dy + dz * dz <= bound2) out[at++] = candidateTarget[c]!;
    }
    withinCount[order[p]!] = at - first;
  }
  stream.length = at;
}

// Position of each target in the grid's cell order: the inverse of `cellTarget`.
function gridPositions(cellTarget: Uint32Array): Uint32Array {
  const at = new Uint32Array(cellTarget.length);
  for (let s = 0; s < cellTarget.length; s++) at[cellTarget[s]!] = s;
  return at;
}

/**
 * The first `count` candidates of a group's scratch (its tested-only block) put in ascending target
 * order, their unit vectors with them: each origin, testing them in turn, then finds its pairs in
 * target order, its row already sorted (a row's sort took about a tenth of `withinThen`'s time;
 * this is one sort per group of about a hundred origins).
 */
function sortTestedByTarget(
  count: number,
  cellXyz: Float64Array,
  gridAt: Uint32Array,
  candidateTarget: Uint32Array,
  candidateXyz: Float64Array,
): void {
  sortTargets(candidateTarget, 0, count);
  for (let slot = 0; slot < count; slot++) {
    const target = candidateTarget[slot]!;
    copyCandidate(cellXyz, gridAt[target]!, target, slot, candidateTarget, candidateXyz);
  }
}

// Copies grid target `at` (target index `target`) into slot `slot` of a group's candidate scratch.
function copyCandidate(
  cellXyz: Float64Array,
  at: number,
  target: number,
  slot: number,
  candidateTarget: Uint32Array,
  candidateXyz: Float64Array,
): void {
  candidateTarget[slot] = target;
  candidateXyz[3 * slot] = cellXyz[3 * at]!;
  candidateXyz[3 * slot + 1] = cellXyz[3 * at + 1]!;
  candidateXyz[3 * slot + 2] = cellXyz[3 * at + 2]!;
}

// Roles of a group's candidates (bits): tested against the bound per origin, checked for the nearest.
const TESTED = 1;
const NEAREST = 2;

// Relative margin by which `beatenOnGroup` asks a target to lose: far above the rounding of the
// squared chords it compares (about 1e-16 relative), so that no origin's computed distances tie.
const BEATEN_MARGIN = 1e-9;

/**
 * Whether grid target `at` (squared chord `d2` to the group's centre c) is farther than target
 * `best` (squared chord `best2`, the nearest to c) from every origin of the group, the origins
 * lying within chord `radiusChord` of c. For an origin p = c + δ,
 * |p − f|² − |p − b|² = (|c − f|² − |c − b|²) − 2δ·(f − b) ≥ d2 − best2 − 2·radiusChord·|f − b|,
 * an identity of vectors (no unit length assumed): when that lower bound is positive, f is never
 * an origin's nearest, nor tied with it. Sharper than the triangle inequality for targets on the
 * far side of b, which it cannot tell from those beside the group.
 */
function beatenOnGroup(
  cellXyz: Float64Array,
  at: number,
  best: number,
  d2: number,
  best2: number,
  radiusChord: number,
): boolean {
  const dx = cellXyz[3 * at]! - cellXyz[3 * best]!;
  const dy = cellXyz[3 * at + 1]! - cellXyz[3 * best + 1]!;
  const dz = cellXyz[3 * at + 2]! - cellXyz[3 * best + 2]!;
  return d2 - best2 - 2 * radiusChord * Math.sqrt(dx * dx + dy * dy + dz * dz) > BEATEN_MARGIN * d2;
}

// The per-origin scan over a group's candidates: the innermost loop of every coverage run. Kept in
// a function of its own with monomorphic typed-array arguments so the JIT compiles it tightly.
// Candidates [0, bothFrom) are only tested against the bound, [bothFrom, nearestFrom) also checked
// for the nearest, [nearestFrom, end) only checked for the nearest.
function scanGroupOrigins(
  start: number,
  end: number,
  owner: number,
  xyz: Float64Array,
  order: Uint32Array,
  candidateTarget: Uint32Array,
  candidateXyz: Float64Array,
  bothFrom: number,
  nearestFrom: number,
  candidateEnd: number,
  allInside: number,
  bound2: number,
  stamp: Int32Array,
  result: Reach,
  pairs: PairBuffer | TableRowWriter | null,
): void {
  const { nearestCost, nearestIndex, withinCount, ownerWithinCount } = result;
  for (let p = start; p < end; p++) {
    const px = xyz[3 * p]!;
    const py = xyz[3 * p + 1]!;
    const pz = xyz[3 * p + 2]!;
    let count = allInside;
    let min2 = Number.POSITIVE_INFINITY;
    let minTarget = -1;
    for (let c = 0; c < bothFrom; c++) {
      const dx = candidateXyz[3 * c]! - px;
      const dy = candidateXyz[3 * c + 1]! - py;
      const dz = candidateXyz[3 * c + 2]! - pz;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 <= bound2) {
        count++;
        const t = candidateTarget[c]!;
        if (stamp[t] !== owner) {
          stamp[t] = owner;
          ownerWithinCount[owner]!++;
        }
        if (pairs !== null) pairs.push(order[p]!, t, d2);
      }
    }
    for (let c = bothFrom; c < nearestFrom; c++) {
      const dx = candidateXyz[3 * c]! - px;
      const dy = candidateXyz[3 * c + 1]! - py;
      const dz = candidateXyz[3 * c + 2]! - pz;
      const d2 = dx * dx + dy * dy + dz * dz;
      const t = candidateTarget[c]!;
      if (d2 <= bound2) {
        count++;
        if (stamp[t] !== owner) {
          stamp[t] = owner;
          ownerWithinCount[owner]!++;
        }
        if (pairs !== null) pairs.push(order[p]!, t, d2);
      }
      if (d2 < min2 || (d2 === min2 && t < minTarget)) {
        min2 = d2;
        minTarget = t;
      }
    }
    for (let c = nearestFrom; c < candidateEnd; c++) {
      const dx = candidateXyz[3 * c]! - px;
      const dy = candidateXyz[3 * c + 1]! - py;
      const dz = candidateXyz[3 * c + 2]! - pz;
      const d2 = dx * dx + dy * dy + dz * dz;
      const t = candidateTarget[c]!;
      if (d2 < min2 || (d2 === min2 && t < minTarget)) {
        min2 = d2;
        minTarget = t;
      }
    }
    const origin = order[p]!;
    withinCount[origin] = count;
    nearestIndex[origin] = minTarget;
    nearestCost[origin] = minTarget < 0 ? Number.POSITIVE_INFINITY : chord2ToMetres(min2);
  }
}

/** Builds a {@link GreatCircleSource}: straight-line distances from `origins`. */
export function greatCircleSource(origins: Origins, options?: GreatCircleOptions): GreatCircleSource {
  return new GreatCircleSource(origins, options);
}

/**
 * Targets binned into a uniform lon/lat grid whose cells are at least `cellM` metres on each side
 * everywhere in the data's latitude range, with the targets' unit vectors stored in cell order
 * (row-major, so the targets of any run of cells in one row are contiguous).
 */
interface TargetGrid {
  readonly cellM: number;
  readonly cols: number;
  readonly rows: number;
  /** Targets of cell c are at positions `cellStart[c] … cellStart[c + 1] - 1`. */
  readonly cellStart: Uint32Array;
  /** Unit vectors of the targets in cell order. */
  readonly cellXyz: Float64Array;
  /** Target index at each position of the cell order. */
  readonly cellTarget: Uint32Array;
  /** Disc searches wider than this (metres) are not trusted to the grid: scan every target. */
  readonly searchLimitM: number;
  /** Targets and origins span more than 180° of longitude: the grid cannot see across ±180°. */
  readonly wrapsAround: boolean;
  /** Highest absolute latitude of targets and origins (capped at 89°), where a degree of longitude is shortest. */
  readonly maxAbsLat: number;
  readonly lon0: number;
  readonly lat0: number;
  readonly dLon: number;
  readonly dLat: number;
}

// Gives a search's outputs back to the pool's scratch memory, when no result refers to them.
function releaseReach(pool: WorkPool | undefined, reach: Reach): void {
  releaseScratch(pool, reach.nearestCost, reach.nearestIndex, reach.withinCount, reach.ownerWithinCount);
}

// A plain object rather than a class, so that a pool can hand it to other threads.
function targetGrid(
  coords: Float64Array,
  bound: number,
  originBBox: readonly number[],
  pool: WorkPool | undefined,
): TargetGrid {
  const n = coords.length >> 1;
  const [minLon, minLat, maxLon, maxLat] = coordsBBox(coords);
  const maxAbsLat = Math.min(
    MAX_ABS_LATITUDE,
    Math.max(Math.abs(minLat), Math.abs(maxLat), Math.abs(originBBox[1]!), Math.abs(originBBox[3]!)),
  );
  const metresPerLon = metresPerDegreeLon(maxAbsLat);
  // A target the disc bound leaves out is more than 0.1 rad of latitude, or of longitude times
  // the smallest cosine, away from the centre, or else within the range where the bound holds.
  const searchLimitM = Math.min(
    MAX_SEARCH_M,
    MAX_SEARCH_LONGITUDE_RAD * EARTH_RADIUS_M * (metresPerLon / METRES_PER_DEGREE),
  );
  const wrapsAround = Math.max(maxLon, originBBox[2]!) - Math.min(minLon, originBBox[0]!) > 180;
  const widthM = (maxLon - minLon) * metresPerLon;
  const heightM = (maxLat - minLat) * METRES_PER_DEGREE;
  // A quarter of the bound (about four targets per cell where there is no bound); a cap on the
  // number of cells keeps sparse, wide target sets from allocating a huge empty grid.
  const densityCellM = 2 * Math.sqrt(Math.max(widthM * heightM, 1) / n);
  let cellM = Math.max(
    MIN_TARGET_CELL_M,
    Math.min(bound > 0 ? bound / TARGET_CELLS_PER_BOUND : densityCellM, densityCellM),
  );
  let cols = Math.floor(widthM / cellM) + 1;
  let rows = Math.floor(heightM / cellM) + 1;
  const maxCells = Math.max(MAX_TARGET_CELLS_PER_TARGET * n, MIN_TARGET_CELL_LIMIT);
  if (cols * rows > maxCells) {
    cellM *= Math.sqrt((cols * rows) / maxCells);
    cols = Math.floor(widthM / cellM) + 1;
    rows = Math.floor(heightM / cellM) + 1;
  }
  const dLon = cellM / metresPerLon;
  const dLat = cellM / METRES_PER_DEGREE;
  const place = { lon0: minLon, lat0: minLat, dLon, dLat };

  const cellOfTarget = new Uint32Array(n);
  // On the pool's scratch memory: given back once the search that made the grid is done.
  const cellStart = scratchArray(Uint32Array, cols * rows + 1, pool);
  for (let i = 0; i < n; i++) {
    const x = Math.floor(columnOf(place, coords[2 * i]!));
    const y = Math.floor(rowOf(place, coords[2 * i + 1]!));
    const cell = Math.min(rows - 1, y) * cols + Math.min(cols - 1, x);
    cellOfTarget[i] = cell;
    cellStart[cell + 1]!++;
  }
  for (let c = 0; c < cols * rows; c++) cellStart[c + 1]! += cellStart[c]!;
  const cursor = cellStart.slice(0, cols * rows);
  const cellXyz = scratchArray(Float64Array, n * 3, pool, 'overwritten');
  const cellTarget = scratchArray(Uint32Array, n, pool, 'overwritten');
  for (let i = 0; i < n; i++) {
    const cell = cellOfTarget[i]!;
    const at = cursor[cell]!;
    cursor[cell] = at + 1;
    cellTarget[at] = i;
    unitVectorInto(coords, i, cellXyz, at);
  }
  return {
    cellM,
    cols,
    rows,
    cellStart,
    cellXyz,
    cellTarget,
    searchLimitM,
    wrapsAround,
    maxAbsLat,
    ...place,
  };
}

/** Fractional grid column of a longitude (column x spans [x, x + 1)); may lie outside the grid. */
function columnOf(grid: { readonly lon0: number; readonly dLon: number }, lon: number): number {
  return (lon - grid.lon0) / grid.dLon;
}

/** Fractional grid row of a latitude (row y spans [y, y + 1)); may lie outside the grid. */
function rowOf(grid: { readonly lat0: number; readonly dLat: number }, lat: number): number {
  return (lat - grid.lat0) / grid.dLat;
}

/**
 * Cell index of every point in a lattice of cells at least `cellM` metres on a side over `bbox`;
 * cells grow for continent-sized extents so that every key stays below 2^31.
 */
function latticeKeys(coords: Float64Array, bbox: readonly number[], cellM: number): Float64Array {
  const n = coords.length >> 1;
  const keys = new Float64Array(n);
  if (n === 0) return keys;
  const maxAbsLat = Math.min(MAX_ABS_LATITUDE, Math.max(Math.abs(bbox[1]!), Math.abs(bbox[3]!)));
  let dLat = cellM / METRES_PER_DEGREE;
  let dLon = cellM / metresPerDegreeLon(maxAbsLat);
  let cols = Math.floor((bbox[2]! - bbox[0]!) / dLon) + 1;
  while (cols * (Math.floor((bbox[3]! - bbox[1]!) / dLat) + 1) > 2 ** 31) {
    dLat *= 2;
    dLon *= 2;
    cols = Math.floor((bbox[2]! - bbox[0]!) / dLon) + 1;
  }
  for (let i = 0; i < n; i++) {
    const x = Math.floor((coords[2 * i]! - bbox[0]!) / dLon);
    const y = Math.floor((coords[2 * i + 1]! - bbox[1]!) / dLat);
    keys[i] = y * cols + x;
  }
  return keys;
}

/**
 * Origin order that puts each owner's points together and, within an owner, each lattice cell's
 * points together: owners first so that a target is counted once per owner with a stamp array.
 */
function groupOrder(origins: Origins, keys: Float64Array): Uint32Array {
  const n = origins.owner.length;
  const { owner, ownerCount } = origins;
  const ownerStart = new Uint32Array(ownerCount + 1);
  for (let i = 0; i < n; i++) {
    const o = owner[i]!;
    if (o >= ownerCount) throw new Error(`Origin ${i} has owner ${o}, but ownerCount is ${ownerCount}.`);
    ownerStart[o + 1]!++;
  }
  for (let o = 0; o < ownerCount; o++) ownerStart[o + 1]! += ownerStart[o]!;
  const order = new Uint32Array(n);
  const cursor = ownerStart.slice(0, ownerCount);
  for (let i = 0; i < n; i++) {
    const o = owner[i]!;
    order[cursor[o]!] = i;
    cursor[o]!++;
  }
  const buckets = new CellBuckets();
  for (let o = 0; o < ownerCount; o++) {
    for (let a = ownerStart[o]!, end = ownerStart[o + 1]!; a < end; a += MAX_RUN_FOR_PACKED_SORT) {
      const b = Math.min(end, a + MAX_RUN_FOR_PACKED_SORT);
      if (!buckets.orderRunByKey(order, a, b, keys)) sortRunByKey(order, a, b, keys);
    }
  }
  return order;
}

/**
 * Orders a run by cell key, stably, when it spans few cells (as a community's points do): one pass
 * finds each point's cell among the few distinct keys, a second places the points. Reuses its
 * buffers across runs, where a sort per run would allocate two arrays each time.
 */
class CellBuckets {
  private readonly distinct = new Float64Array(MAX_CELLS_PER_RUN_FOR_BUCKETS);
  private readonly size = new Uint32Array(MAX_CELLS_PER_RUN_FOR_BUCKETS);
  private readonly start = new Uint32Array(MAX_CELLS_PER_RUN_FOR_BUCKETS);
  private run = new Uint32Array(256);
  private bucket = new Uint8Array(256);

  /** False, leaving the run untouched, when it spans more cells than the buckets hold. */
  orderRunByKey(order: Uint32Array, a: number, b: number, keys: Float64Array): boolean {
    const len = b - a;
    if (len < 2) return true;
    if (this.run.length < len) {
      this.run = new Uint32Array(2 * len);
      this.bucket = new Uint8Array(2 * len);
    }
    const { distinct, size, start, run, bucket } = this;
    let cells = 0;
    for (let j = 0; j < len; j++) {
      const key = keys[order[a + j]!]!;
      let c = 0;
      while (c < cells && distinct[c] !== key) c++;
      if (c === cells) {
        if (cells === MAX_CELLS_PER_RUN_FOR_BUCKETS) return false;
        distinct[cells++] = key;
      }
      bucket[j] = c;
      run[j] = order[a + j]!;
    }
    size.fill(0, 0, cells);
    for (let j = 0; j < len; j++) size[bucket[j]!]!++;
    // Each cell starts after the points of every cell with a smaller key.
    for (let c = 0; c < cells; c++) {
      let before = 0;
      for (let other = 0; other < cells; other++) {
        if (distinct[other]! < distinct[c]!) before += size[other]!;
      }
      start[c] = before;
    }
    for (let j = 0; j < len; j++) {
      const c = bucket[j]!;
      order[a + start[c]!] = run[j]!;
      start[c]!++;
    }
    return true;
  }
}

// Packs (cell key, position in run) into one double so a numeric typed-array sort orders the run
// by cell and keeps the run's order inside a cell; exact while key · 2^21 stays below 2^53.
function sortRunByKey(order: Uint32Array, a: number, b: number, keys: Float64Array): void {
  const len = b - a;
  if (len < 2) return;
  const packed = new Float64Array(len);
  for (let j = 0; j < len; j++) packed[j] = keys[order[a + j]!]! * MAX_RUN_FOR_PACKED_SORT + j;
  packed.sort();
  const run = order.slice(a, b);
  for (let j = 0; j < len; j++) order[a + j] = run[packed[j]! % MAX_RUN_FOR_PACKED_SORT]!;
}

// Every owner lies below ownerCount: the groups and cells index per-owner arrays by it.
function assertOwners(origins: Origins): void {
  const { owner, ownerCount } = origins;
  for (let i = 0; i < owner.length; i++) {
    if (owner[i]! >= ownerCount)
      throw new Error(`Origin ${i} has owner ${owner[i]}, but ownerCount is ${ownerCount}.`);
  }
}

/**
 * Every point has finite coordinates. A NaN or infinite coordinate would make the ring
 * search's bound NaN, and the search would never settle; the CLI's readers reject such features
 * first, this guards a library caller.
 */
function assertLonLat(coords: ArrayLike<number>, what: 'origins' | 'targets'): void {
  for (let i = 0; i < coords.length; i += 2) {
    const lon = coords[i]!;
    const lat = coords[i + 1]!;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      throw new OptionError(
        what,
        `point ${i >> 1} is (${lon}, ${lat}); expected finite longitude and latitude in degrees`,
      );
    }
  }
}
