import type { CostTable, DistanceSource, RowsThenInput, Targets } from '../distance/types.js';
import {
  balancedRanges,
  type KernelRange,
  onSharedMemory,
  rangeCount,
  sharedArray,
  splitsWork,
  type WorkPool,
} from '../parallel/pool.js';

/** Column status: may be chosen. */
export const ELIGIBLE = 0;
/** Column status: an existing facility, always open. */
export const FIXED = 1;
/** Column status: excluded, or too close to an existing facility. */
export const UNAVAILABLE = 2;

/** Pool kernel: the merged rows of a range of demand points (see {@link aggregateRows}). */
export const AGGREGATE_ROWS_KERNEL = 'siting-aggregate-rows';
/** Pool kernel: entries per column of a range of rows (the first pass of {@link transposeRows}). */
export const TRANSPOSE_COUNT_KERNEL = 'siting-transpose-count';
/** Pool kernel: a range of rows scattered into the column lists (the second pass). */
export const TRANSPOSE_SCATTER_KERNEL = 'siting-transpose-scatter';
/** Pool kernel: a batch of owners' coverage rows merged (see {@link coverageRowsRange}). */
export const COVERAGE_ROWS_KERNEL = 'siting-coverage-rows';
/** Pool kernel: kept chunks copied into the merged rows (see {@link copyKept}). */
export const JOIN_KEPT_KERNEL = 'siting-join-kept';

/** The kept, merged rows of a coverage model's table. */
export interface MergedRows {
  readonly rows: number;
  readonly rowStart: Uint32Array;
  readonly rowCol: Uint32Array;
  readonly weight: Float64Array;
  readonly rowOwner: Uint32Array | null;
}

/** What {@link aggregateRange} reads, and where it writes the rows' columns. */
export interface AggregateInput {
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  /** The table's costs, or null when every entry is kept whatever its cost. */
  readonly costs: Float64Array | null;
  readonly demandWeight: Float64Array;
  readonly status: Uint8Array;
  readonly maxCost: number;
  readonly owner: Uint32Array | null;
  readonly nCols: number;
  /** A range `[from, to)` writes its rows' columns from `offsets[from]` on: never past `offsets[to]`. */
  readonly outCol: Uint32Array;
  /** The demand point of `offsets[0]` (row i's entries start at `offsets[i − firstRow]`); 0 if not given. */
  readonly firstRow?: number;
}

/** The merged rows of one range of demand points, their columns in the input's `outCol`. */
export interface AggregatePart {
  readonly rows: number;
  /** Start of each row in `outCol` (absolute), and the end of the last: `rows + 1` entries. */
  readonly rowStart: Uint32Array;
  readonly weight: Float64Array;
  readonly owner: Uint32Array | null;
}

// Order-independent hash of a set of columns: the table lists a row's targets in the order its
// source found them, which differs between rows with the same set.
function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The kept entries of every positive-weight demand point of `[from, to)`, with points of one owner
 * that have the same set of columns merged and their weights summed: a coverage model cannot tell
 * them apart, and dense demand (a point per building) often repeats sets. An open-addressing table on
 * typed arrays keys the rows by an order-independent hash; a stamp array confirms equal sets without
 * sorting. Rows come out in the order of their first point, so ranges cut between owners (each
 * owner's points in one range) give, put end to end, the rows of the whole table in one range.
 */
export function aggregateRange(input: AggregateInput, from: number, to: number): AggregatePart {
  const { offsets, targets, costs, demandWeight, status, maxCost, owner, nCols, outCol } = input;
  const firstRow = input.firstRow ?? 0;
  const m = to - from;
  let size = 1024;
  while (size < 2 * m) size *= 2;
  const mask = size - 1;
  const slotRow = new Int32Array(size).fill(-1);
  const slotHash = new Uint32Array(size);
  const outStart = new Uint32Array(m + 1);
  const outWeight = new Float64Array(m);
  const outOwner = owner ? new Uint32Array(m) : null;
  const stamp = new Int32Array(nCols).fill(-1);
  outStart[0] = offsets[from - firstRow]!;
  let out = 0;
  for (let i = from; i < to; i++) {
    const w = demandWeight[i]!;
    if (w === 0) continue;
    // Write the row's kept columns after the last output row; keep them only if the set is new.
    const a = outStart[out]!;
    let b = a;
    if (costs === null) {
      for (let p = offsets[i - firstRow]!, e = offsets[i + 1 - firstRow]!; p < e; p++) {
        const t = targets[p]!;
        if (status[t] !== UNAVAILABLE) outCol[b++] = t;
      }
    } else {
      for (let p = offsets[i - firstRow]!, e = offsets[i + 1 - firstRow]!; p < e; p++) {
        const t = targets[p]!;
        if (status[t] !== UNAVAILABLE && costs[p]! <= maxCost) outCol[b++] = t;
      }
    }
    const o = owner ? owner[i]! : 0;
    // Sum and xor of a multiplicative hash of each column do not depend on the order.
    let sum = 0;
    let xor = b - a;
    for (let p = a; p < b; p++) {
      const h = Math.imul(outCol[p]! + 0x7f4a7c15, 0x9e3779b1);
      sum = (sum + h) | 0;
      xor ^= h;
    }
    const h = mix((sum ^ mix(xor ^ o)) >>> 0);
    let slot = h & mask;
    let found = -1;
    let stamped = false;
    for (;;) {
      const r = slotRow[slot]!;
      if (r < 0) break;
      if (slotHash[slot] === h) {
        const fa = outStart[r]!;
        const fb = outStart[r + 1]!;
        if (fb - fa === b - a && (!outOwner || outOwner[r] === o)) {
          if (!stamped) {
            for (let p = a; p < b; p++) stamp[outCol[p]!] = i;
            stamped = true;
          }
          let same = true;
          for (let p = fa; p < fb; p++) {
            if (stamp[outCol[p]!] !== i) {
              same = false;
              break;
            }
          }
          if (same) {
            found = r;
            break;
          }
        }
      }
      slot = (slot + 1) & mask;
    }
    if (found < 0) {
      found = out++;
      outStart[out] = b;
      slotRow[slot] = found;
      slotHash[slot] = h;
      if (outOwner) outOwner[found] = o;
    }
    outWeight[found]! += w;
  }
  return {
    rows: out,
    rowStart: outStart.slice(0, out + 1),
    weight: outWeight.slice(0, out),
    owner: outOwner ? outOwner.slice(0, out) : null,
  };
}

/**
 * Ranges of demand points cut only between owners, or null when some owner's points are not one
 * contiguous run (then a range could split an owner, whose rows must merge in one table).
 */
function ownerRanges(
  offsets: Uint32Array,
  owner: Uint32Array,
  ownerCount: number,
  parts: number,
): KernelRange[] | null {
  const seen = new Uint8Array(ownerCount);
  let previous = -1;
  for (let i = 0; i < owner.length; i++) {
    const o = owner[i]!;
    if (o === previous) continue;
    if (o >= ownerCount || seen[o] === 1) return null;
    seen[o] = 1;
    previous = o;
  }
  return balancedRanges(offsets, parts, (i) => owner[i] !== owner[i - 1]);
}

/**
 * The merged rows of a coverage model (see {@link aggregateRange}). On a pool of two or more threads,
 * when each owner's demand points are one contiguous run (as every demand builder lays them out),
 * the threads merge ranges of owners side by side and the calling thread puts the ranges end to end:
 * the same rows, in the same order, with the same weights as on one thread. The output then lives
 * on shared memory, ready for the next kernels.
 */
export function aggregateRows(
  table: CostTable,
  demandWeight: Float64Array,
  status: Uint8Array,
  maxCost: number,
  owner: Uint32Array | null,
  ownerCount: number,
  nCols: number,
  pool: WorkPool | undefined,
): MergedRows {
  const { offsets } = table;
  const n = demandWeight.length;
  const nnz = offsets[n]!;
  const costs = maxCost === Number.POSITIVE_INFINITY ? null : table.costs;
  const ranges =
    splitsWork(pool) && owner !== null && n > 1
      ? ownerRanges(offsets, owner, ownerCount, rangeCount(pool))
      : null;
  if (pool === undefined || ranges === null || ranges.length < 2) {
    const outCol = new Uint32Array(nnz);
    const part = aggregateRange(
      { offsets, targets: table.targets, costs, demandWeight, status, maxCost, owner, nCols, outCol },
      0,
      n,
    );
    const base = part.rowStart[0]!;
    const end = part.rowStart[part.rows]!;
    return {
      rows: part.rows,
      rowStart: base === 0 ? part.rowStart : part.rowStart.map((s) => s - base),
      rowCol: outCol.slice(base, end),
      weight: part.weight,
      rowOwner: part.owner,
    };
  }
  const input: AggregateInput = {
    ...onSharedMemory({ offsets, targets: table.targets, costs, demandWeight, status, owner }, pool),
    maxCost,
    nCols,
    outCol: sharedArray(Uint32Array, nnz, pool),
  };
  return joinParts(pool.run<AggregatePart>(AGGREGATE_ROWS_KERNEL, input, ranges), input.outCol, pool);
}

/**
 * The merged rows of ranges of owners put end to end, in range order, on shared memory: each part's
 * columns are in `outCol` from its first row's start on (ranges leave gaps where rows merged). The
 * columns are moved down in place (a part never starts before the entries of the parts before it
 * end), so that no second array of every entry is allocated and filled: `rowCol` is the start of
 * `outCol`, which the caller gives up.
 */
function joinParts(parts: readonly AggregatePart[], outCol: Uint32Array, pool: WorkPool): MergedRows {
  let rows = 0;
  let entries = 0;
  for (const part of parts) {
    rows += part.rows;
    entries += part.rowStart[part.rows]! - part.rowStart[0]!;
  }
  const rowStart = sharedArray(Uint32Array, rows + 1, pool);
  const rowCol = outCol.subarray(0, entries);
  const weight = sharedArray(Float64Array, rows, pool);
  const rowOwner = sharedArray(Uint32Array, rows, pool);
  let row = 0;
  let at = 0;
  for (const part of parts) {
    const base = part.rowStart[0]!;
    const end = part.rowStart[part.rows]!;
    if (base !== at) outCol.copyWithin(at, base, end);
    const shift = at - base;
    for (let r = 0; r < part.rows; r++) rowStart[row + r] = part.rowStart[r]! + shift;
    weight.set(part.weight, row);
    rowOwner.set(part.owner!, row);
    row += part.rows;
    at += end - base;
  }
  rowStart[rows] = at;
  return { rows, rowStart, rowCol, weight, rowOwner };
}

/** What {@link coverageRowsRange} needs beside the rows: the same as {@link aggregateRange}'s. */
export interface CoverageRowsThen {
  readonly demandWeight: Float64Array;
  readonly status: Uint8Array;
  readonly owner: Uint32Array;
  readonly nCols: number;
}

/**
 * Pool kernel run as a source's `withinThen` kernel (see {@link DistanceSource.withinThen}): the
 * rows of the demand points `[first, end)`, a batch of whole owners just gathered (targets only),
 * merged in place while they are in cache, as {@link aggregateRange} merges a cost table's rows
 * with every entry kept (the table's bound is the radius), and the merged rows' columns appended to
 * the range's kept entries: the same rows. The part's `rowStart` is in the range's kept entries.
 */
export function coverageRowsRange(
  input: RowsThenInput<CoverageRowsThen>,
  first: number,
  end: number,
): AggregatePart {
  const { offsets, targets } = input.rows;
  const { demandWeight, status, owner, nCols } = input.next;
  // In place: a merged row is written at or before where it was read (rows only shrink).
  const part = aggregateRange(
    {
      offsets,
      targets,
      costs: null,
      demandWeight,
      status,
      maxCost: Number.POSITIVE_INFINITY,
      owner,
      nCols,
      outCol: targets,
      firstRow: first,
    },
    first,
    end,
  );
  const { kept } = input;
  const from = part.rowStart[0]!;
  const shift = kept.length - from;
  kept.append(targets, from, part.rowStart[part.rows]!);
  for (let r = 0; r <= part.rows; r++) part.rowStart[r]! += shift;
  return part;
}

/**
 * The merged rows of a coverage model with radius `bound`, straight from a source that offers
 * `withinThen` (see {@link DistanceSource.withinThen}): no costs, no table of pairs, the merge fused
 * with the source's pass. The same rows as `aggregateRows(source.within(targets, bound), …)`; null
 * when the source cannot split its work that way (then build the table).
 */
export function coverageRowsFromSource(
  source: DistanceSource,
  targets: Targets,
  bound: number,
  demandWeight: Float64Array,
  status: Uint8Array,
  nCols: number,
  pool: WorkPool,
): MergedRows | null {
  if (source.withinThen === undefined) return null;
  const then: CoverageRowsThen = { demandWeight, status, owner: source.origins.owner, nCols };
  const found = source.withinThen<AggregatePart>(
    targets,
    bound,
    COVERAGE_ROWS_KERNEL,
    onSharedMemory(then, pool),
  );
  if (found === null) return null;
  return joinKept(found.kept, found.parts, pool);
}

/**
 * The merged rows of ranges of owners put end to end, in range order, on shared memory: range r's
 * columns are the chunks `kept[r]` end to end, and its parts' `rowStart` point into them. The
 * chunks are copied into place by the pool's threads (about 80 MB at 1M × 20k: on one thread, the
 * first touch of the new memory kept the other thread waiting).
 */
function joinKept(
  kept: readonly Uint32Array[][],
  parts: readonly AggregatePart[][],
  pool: WorkPool,
): MergedRows {
  let rows = 0;
  for (const list of parts) for (const part of list) rows += part.rows;
  const chunks = kept.flat();
  const at = new Float64Array(chunks.length + 1);
  chunks.forEach((chunk, c) => {
    at[c + 1] = at[c]! + chunk.length;
  });
  const entries = at[chunks.length]!;
  const rowCol = sharedArray(Uint32Array, entries, pool);
  pool.run(
    JOIN_KEPT_KERNEL,
    { chunks, at, rowCol } satisfies KeptCopyInput,
    chunks.map((_, c): KernelRange => [c, c + 1]),
  );
  const rowStart = sharedArray(Uint32Array, rows + 1, pool);
  const weight = sharedArray(Float64Array, rows, pool);
  const rowOwner = sharedArray(Uint32Array, rows, pool);
  let row = 0;
  let rangeAt = 0;
  kept.forEach((list, r) => {
    for (const part of parts[r]!) {
      for (let k = 0; k < part.rows; k++) rowStart[row + k] = part.rowStart[k]! + rangeAt;
      weight.set(part.weight, row);
      rowOwner.set(part.owner!, row);
      row += part.rows;
    }
    for (const chunk of list) rangeAt += chunk.length;
  });
  rowStart[rows] = entries;
  return { rows, rowStart, rowCol, weight, rowOwner };
}

/** What {@link copyKept} reads and writes: the chunks, where each goes (and the end), the rows. */
export interface KeptCopyInput {
  readonly chunks: readonly Uint32Array[];
  readonly at: Float64Array;
  readonly rowCol: Uint32Array;
}

/** Pool kernel: chunks `[from, to)` of a `withinThen`'s kept entries copied into the merged rows. */
export function copyKept(input: KeptCopyInput, from: number, to: number): null {
  for (let c = from; c < to; c++) input.rowCol.set(input.chunks[c]!, input.at[c]!);
  return null;
}

/** The column lists of a problem's rows: `colStart`, `colRow`, and `colCost` when asked for. */
export interface Columns {
  readonly colStart: Uint32Array;
  readonly colRow: Uint32Array;
  readonly colCost: Float64Array | null;
}

/** What the transpose kernels read and write; range r of `cuts` owns row `r` of `cursor`. */
interface TransposeInput {
  readonly rowStart: Uint32Array;
  readonly rowCol: Uint32Array;
  readonly rowCost: Float64Array | null;
  readonly nCols: number;
  /** First row of each range, in order. */
  readonly cuts: Uint32Array;
  /** Per range and column (range-major): its count, then where it writes next. */
  readonly cursor: Uint32Array;
  readonly colRow: Uint32Array;
  readonly colCost: Float64Array | null;
}

function rangeIndex(cuts: Uint32Array, from: number): number {
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cuts[mid]! <= from) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Pool kernel: counts the entries of rows `[from, to)` per column into the range's row of `cursor`. */
export function countColumns(input: TransposeInput, from: number, to: number): null {
  const { rowStart, rowCol, nCols, cursor } = input;
  const r = rangeIndex(input.cuts, from);
  const counts = cursor.subarray(r * nCols, (r + 1) * nCols);
  for (let p = rowStart[from]!, e = rowStart[to]!; p < e; p++) counts[rowCol[p]!]!++;
  return null;
}

/** Pool kernel: scatters rows `[from, to)` into the column lists at the range's cursors. */
export function scatterColumns(input: TransposeInput, from: number, to: number): null {
  const { rowStart, rowCol, rowCost, nCols, colRow, colCost } = input;
  const r = rangeIndex(input.cuts, from);
  const cursor = input.cursor.subarray(r * nCols, (r + 1) * nCols);
  if (rowCost && colCost) scatterWithCosts(from, to, rowStart, rowCol, rowCost, cursor, colRow, colCost);
  else scatter(from, to, rowStart, rowCol, cursor, colRow);
  return null;
}

/**
 * The transpose of a problem's rows (a counting sort by column; each column lists its rows in
 * increasing order). On a pool of two or more threads the threads count and scatter ranges of rows
 * side by side, each range into its own slots of every column, found from the counts of the ranges
 * before it: the same lists as on one thread, on shared memory.
 */
export function transposeRows(
  rows: number,
  rowStart: Uint32Array,
  rowCol: Uint32Array,
  rowCost: Float64Array | null,
  nCols: number,
  columnCosts: boolean,
  pool: WorkPool | undefined,
): Columns {
  const total = rowStart[rows]!;
  const colStart = new Uint32Array(nCols + 1);
  const colRow = sharedArray(Uint32Array, total, pool);
  const colCost = rowCost && columnCosts ? sharedArray(Float64Array, total, pool) : null;
  const ranges = splitsWork(pool) ? balancedRanges(rowStart.subarray(0, rows + 1), rangeCount(pool)) : [];
  if (pool === undefined || ranges.length < 2) {
    for (let p = 0; p < total; p++) colStart[rowCol[p]! + 1]!++;
    for (let j = 0; j < nCols; j++) colStart[j + 1]! += colStart[j]!;
    const cursor = colStart.slice(0, nCols);
    if (rowCost && colCost) scatterWithCosts(0, rows, rowStart, rowCol, rowCost, cursor, colRow, colCost);
    else scatter(0, rows, rowStart, rowCol, cursor, colRow);
    return { colStart, colRow, colCost };
  }
  const input: TransposeInput = {
    ...onSharedMemory({ rowStart, rowCol, rowCost: colCost ? rowCost : null }, pool),
    nCols,
    cuts: Uint32Array.from(ranges, ([from]) => from),
    cursor: sharedArray(Uint32Array, ranges.length * nCols, pool),
    colRow,
    colCost,
  };
  pool.run(TRANSPOSE_COUNT_KERNEL, input, ranges);
  // Column j's slots: the ranges in order, each after the ones before it.
  const { cursor } = input;
  let at = 0;
  for (let j = 0; j < nCols; j++) {
    colStart[j] = at;
    for (let r = j; r < cursor.length; r += nCols) {
      const count = cursor[r]!;
      cursor[r] = at;
      at += count;
    }
  }
  colStart[nCols] = at;
  pool.run(TRANSPOSE_SCATTER_KERNEL, input, ranges);
  return { colStart, colRow, colCost };
}

// The scatter is memory-bound (every write lands in a different column); two copies keep the loop
// without costs free of the second stream.
function scatter(
  from: number,
  to: number,
  rowStart: Uint32Array,
  rowCol: Uint32Array,
  cursor: Uint32Array,
  colRow: Uint32Array,
): void {
  for (let i = from; i < to; i++) {
    for (let p = rowStart[i]!, e = rowStart[i + 1]!; p < e; p++) colRow[cursor[rowCol[p]!]!++] = i;
  }
}

function scatterWithCosts(
  from: number,
  to: number,
  rowStart: Uint32Array,
  rowCol: Uint32Array,
  rowCost: Float64Array,
  cursor: Uint32Array,
  colRow: Uint32Array,
  colCost: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    for (let p = rowStart[i]!, e = rowStart[i + 1]!; p < e; p++) {
      const q = cursor[rowCol[p]!]!++;
      colRow[q] = i;
      colCost[q] = rowCost[p]!;
    }
  }
}
