/**
 * Reductions of a set-covering instance (every row must be covered by one of its columns) that keep
 * the answer to "can m columns cover every row?": the classic dominance rules (Toregas & ReVelle
 * 1973; Beasley 1987). A row whose columns include all of another row's columns is met whenever that
 * row is, so it goes; with unit column costs and no other constraint on the columns, a column whose
 * rows are all rows of another column can be swapped for it in any cover, so it goes too. HiGHS's
 * presolve does some of this, but only after the model is built and loaded, which on covering
 * problems of p-center's size costs more than the reductions.
 */

/** A covering instance in CSR: row i may be covered by `col[start[i] … start[i+1]-1]`, sorted. */
export interface CoverRows {
  readonly start: Uint32Array;
  readonly col: Uint32Array;
}

/** Rows of `rows` kept by `keep` (1) and their columns kept by `keepCol` (1), in CSR again. */
function filterRows(rows: CoverRows, keep: Uint8Array, keepCol: Uint8Array | null): CoverRows {
  const n = keep.length;
  let kept = 0;
  let entries = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    kept++;
    for (let q = rows.start[i]!, e = rows.start[i + 1]!; q < e; q++)
      if (!keepCol || keepCol[rows.col[q]!]) entries++;
  }
  const start = new Uint32Array(kept + 1);
  const col = new Uint32Array(entries);
  let r = 0;
  let w = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    for (let q = rows.start[i]!, e = rows.start[i + 1]!; q < e; q++) {
      const j = rows.col[q]!;
      if (!keepCol || keepCol[j]) col[w++] = j;
    }
    start[++r] = w;
  }
  return { start, col };
}

/** Whether the sorted list a[as … ae) is a subset of the sorted list b[bs … be) (a merge). */
function sortedSubset(
  a: Uint32Array,
  as: number,
  ae: number,
  b: Uint32Array,
  bs: number,
  be: number,
): boolean {
  if (ae - as > be - bs) return false;
  let p = bs;
  for (let q = as; q < ae; q++) {
    const v = a[q]!;
    while (p < be && b[p]! < v) p++;
    if (p === be || b[p] !== v) return false;
    p++;
  }
  return true;
}

/**
 * Which members of a family of sorted lists are implied: list s goes when another kept list is a
 * subset of it (`keepSmall`: rows, the smaller set is the stronger constraint) or a superset of it
 * (columns, the larger set covers more). Equal lists keep the first. A subset of list s must contain
 * its own first element, so only lists indexed under one of s's elements (rows) or under s's first
 * element (columns) are compared.
 */
function dominated(lists: CoverRows, universe: number, keepSmall: boolean): Uint8Array {
  const n = lists.start.length - 1;
  const order = Array.from({ length: n }, (_, i) => i);
  const len = (i: number) => lists.start[i + 1]! - lists.start[i]!;
  // Stronger lists first (shorter rows, longer columns), index breaking ties, so that a list is
  // compared only against lists already kept.
  order.sort((a, b) => (keepSmall ? len(a) - len(b) : len(b) - len(a)) || a - b);
  const drop = new Uint8Array(n);
  // Kept lists by their first element (rows) or by every element (columns).
  const byElement: number[][] = Array.from({ length: universe }, () => []);
  for (const s of order) {
    const ss = lists.start[s]!;
    const se = lists.start[s + 1]!;
    let implied = false;
    if (keepSmall) {
      // A kept row r ⊆ s has its first column among s's columns.
      for (let q = ss; q < se && !implied; q++) {
        for (const r of byElement[lists.col[q]!]!) {
          if (sortedSubset(lists.col, lists.start[r]!, lists.start[r + 1]!, lists.col, ss, se)) {
            implied = true;
            break;
          }
        }
      }
      if (!implied && se > ss) byElement[lists.col[ss]!]!.push(s);
    } else if (se > ss) {
      // A kept column l ⊇ s covers s's first row.
      for (const l of byElement[lists.col[ss]!]!) {
        if (sortedSubset(lists.col, ss, se, lists.col, lists.start[l]!, lists.start[l + 1]!)) {
          implied = true;
          break;
        }
      }
      if (!implied) for (let q = ss; q < se; q++) byElement[lists.col[q]!]!.push(s);
    } else implied = true; // a column that covers nothing
    if (implied) drop[s] = 1;
  }
  return drop;
}

/** The transpose of a CSR list family over `universe` elements. */
function transpose(lists: CoverRows, universe: number): CoverRows {
  const n = lists.start.length - 1;
  const start = new Uint32Array(universe + 1);
  for (let q = 0; q < lists.col.length; q++) start[lists.col[q]! + 1]!++;
  for (let j = 0; j < universe; j++) start[j + 1]! += start[j]!;
  const fill = start.slice(0, universe);
  const col = new Uint32Array(lists.col.length);
  // Rows in increasing order, so every column's list comes out sorted.
  for (let i = 0; i < n; i++) {
    for (let q = lists.start[i]!, e = lists.start[i + 1]!; q < e; q++) col[fill[lists.col[q]!]!++] = i;
  }
  return { start, col };
}

/** A covering instance after {@link reduceCover}. */
export interface ReducedCover {
  /** The rows left, each with its columns left. */
  readonly rows: CoverRows;
  /** 1 for the columns a cover may still need. */
  readonly columns: Uint8Array;
}

/**
 * Drops implied rows and, when `dropColumns` (unit costs, no constraint on the columns but their
 * number), dominated columns, alternately until nothing changes: a column that goes can make rows
 * equal, and a row that goes can make a column dominated. Some cover of the reduced rows by at most
 * m of the columns left exists exactly when some cover of the original rows by at most m exists, and
 * a cover of the reduced rows covers the original ones.
 */
export function reduceCover(rows: CoverRows, nCols: number, dropColumns: boolean): ReducedCover {
  let current = rows;
  const columns = new Uint8Array(nCols);
  for (let q = 0; q < rows.col.length; q++) columns[rows.col[q]!] = 1;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const n = current.start.length - 1;
    const rowDrop = dominated(current, nCols, true);
    let changed = false;
    const keepRow = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      keepRow[i] = rowDrop[i] ? 0 : 1;
      if (rowDrop[i]) changed = true;
    }
    let keepCol: Uint8Array | null = null;
    if (dropColumns) {
      const keptRows = filterRows(current, keepRow, null);
      const colDrop = dominated(transpose(keptRows, nCols), keptRows.start.length - 1, false);
      keepCol = new Uint8Array(nCols);
      for (let j = 0; j < nCols; j++) {
        keepCol[j] = columns[j] && !colDrop[j] ? 1 : 0;
        if (columns[j] && colDrop[j]) {
          columns[j] = 0;
          changed = true;
        }
      }
    }
    current = filterRows(current, keepRow, keepCol);
    if (!changed) break;
  }
  return { rows: current, columns };
}

/** Rounds of {@link reduceCover}: measured on p-center's covering problems, a third round rarely drops anything. */
const MAX_ROUNDS = 4;
