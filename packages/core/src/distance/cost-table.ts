import type { CostTable } from './types.js';

/**
 * Growable (origin, target, value) triples: what a distance source collects while answering
 * `within`, before laying them out as a cost table. `value` is whatever the source measures in
 * (metres, or a squared chord the great-circle source converts before building the table).
 */
export class PairBuffer {
  origin: Uint32Array = new Uint32Array(1024);
  target: Uint32Array = new Uint32Array(1024);
  value: Float64Array = new Float64Array(1024);
  length = 0;

  push(origin: number, target: number, value: number): void {
    if (this.length === this.origin.length) {
      const size = this.length * 2;
      const grownOrigin = new Uint32Array(size);
      grownOrigin.set(this.origin);
      this.origin = grownOrigin;
      const grownTarget = new Uint32Array(size);
      grownTarget.set(this.target);
      this.target = grownTarget;
      const grownValue = new Float64Array(size);
      grownValue.set(this.value);
      this.value = grownValue;
    }
    this.origin[this.length] = origin;
    this.target[this.length] = target;
    this.value[this.length++] = value;
  }
}

/** Pairs one range of a search found (see `parallel/`), trimmed to their length. */
export interface PairRows {
  readonly origin: Uint32Array;
  readonly target: Uint32Array;
  readonly value: Float64Array;
  readonly length: number;
}

/** A buffer's pairs as trimmed copies (which another thread can be sent whole); none for null. */
export function pairRows(pairs: PairBuffer | null): PairRows {
  if (pairs === null)
    return { origin: new Uint32Array(0), target: new Uint32Array(0), value: new Float64Array(0), length: 0 };
  return {
    origin: pairs.origin.slice(0, pairs.length),
    target: pairs.target.slice(0, pairs.length),
    value: pairs.value.slice(0, pairs.length),
    length: pairs.length,
  };
}

/**
 * The ranges' pairs one after another, as one buffer for the cost-table builder (which sorts each
 * row, so the order the ranges found them in does not show).
 */
export function concatPairs(parts: readonly PairRows[]): PairRows {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.length;
  const origin = new Uint32Array(length);
  const target = new Uint32Array(length);
  const value = new Float64Array(length);
  let at = 0;
  for (const part of parts) {
    origin.set(part.origin.subarray(0, part.length), at);
    target.set(part.target.subarray(0, part.length), at);
    value.set(part.value.subarray(0, part.length), at);
    at += part.length;
  }
  return { origin, target, value, length };
}

/**
 * The one cost-table builder: lays collected pairs out as rows per origin (`withinCount[i]` pairs
 * for origin i), each row in target-index order. Sources search targets in whatever order suits
 * them (grid cells, a space-filling curve); sorting the rows makes the table, and everything listed
 * from it (facility ids in a reason, say), independent of that order. Rows are short (the targets
 * within a walk), so an insertion sort is the cheapest.
 */
export function costTableFromPairs(pairs: PairRows, withinCount: Uint32Array, bound: number): CostTable {
  const n = withinCount.length;
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + withinCount[i]!;
  const total = offsets[n]!;
  const cursor = offsets.slice(0, n);
  const targets = new Uint32Array(total);
  const costs = new Float64Array(total);
  for (let k = 0; k < pairs.length; k++) {
    const o = pairs.origin[k]!;
    const at = cursor[o]!++;
    targets[at] = pairs.target[k]!;
    costs[at] = pairs.value[k]!;
  }
  for (let row = 0; row < n; row++) sortRow(targets, costs, offsets[row]!, offsets[row + 1]!);
  return { bound, offsets, targets, costs };
}

// Rows up to this long are sorted in place by insertion (most rows of a city's tables); longer ones
// (hundreds of candidate sites within a kilometre of a dense city's point) through a sorted order,
// where insertion's quadratic moves took most of a 20,000-community check.
const INSERTION_SORT_MAX = 32;
// Rows shorter than this sort as target × span + place, exact in a double (targets < 2³², so < 2⁵³).
const ROW_INDEX_SPAN = 2 ** 21;

/** Sorts one row `[start, end)` of a cost table by target index (stable: equal targets keep their order). */
export function sortRow(targets: Uint32Array, costs: Float64Array, start: number, end: number): void {
  if (end - start > INSERTION_SORT_MAX) {
    const n = end - start;
    const rowCosts = costs.slice(start, end);
    if (n < ROW_INDEX_SPAN) {
      // Each pair as one exact number, target × span + its place in the row, sorted numerically
      // (a typed array's own sort, no comparator; the place keeps equal targets in order).
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) keys[i] = targets[start + i]! * ROW_INDEX_SPAN + i;
      keys.sort();
      for (let i = 0; i < n; i++) {
        const place = keys[i]! % ROW_INDEX_SPAN;
        targets[start + i] = (keys[i]! - place) / ROW_INDEX_SPAN;
        costs[start + i] = rowCosts[place]!;
      }
      return;
    }
    const rowTargets = targets.slice(start, end);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => rowTargets[a]! - rowTargets[b]! || a - b);
    for (let i = 0; i < n; i++) {
      targets[start + i] = rowTargets[order[i]!]!;
      costs[start + i] = rowCosts[order[i]!]!;
    }
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const target = targets[i]!;
    const cost = costs[i]!;
    let j = i - 1;
    while (j >= start && targets[j]! > target) {
      targets[j + 1] = targets[j]!;
      costs[j + 1] = costs[j]!;
      j--;
    }
    targets[j + 1] = target;
    costs[j + 1] = cost;
  }
}

/** Sorts one row `[start, end)` of target indices alone (a table without costs; see {@link sortRow}). */
export function sortTargets(targets: Uint32Array, start: number, end: number): void {
  if (end - start > INSERTION_SORT_MAX) {
    targets.subarray(start, end).sort();
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const target = targets[i]!;
    let j = i - 1;
    while (j >= start && targets[j]! > target) {
      targets[j + 1] = targets[j]!;
      j--;
    }
    targets[j + 1] = target;
  }
}
