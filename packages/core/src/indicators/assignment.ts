import type { CostTable } from '../distance/types.js';
import type { CatchmentOptions } from './fca.js';

/** Result of {@link capacitatedAssignment}; every per-origin array sums with the others to the demand. */
export interface CapacitatedAssignment {
  /** Per origin: demand given a place. */
  readonly served: Float64Array;
  /** Per origin: demand with a target in its catchment, all of them full. */
  readonly overCapacity: Float64Array;
  /** Per origin: demand with no target in its catchment. */
  readonly outside: Float64Array;
  /** Per origin: demand left where the only targets with room have an unknown capacity. */
  readonly unknown: Float64Array;
  /** Per target: demand assigned to it (never above its capacity). */
  readonly load: Float64Array;
}

/**
 * Assigns demand to the targets within each one's catchment, up to their capacity, nearest pairs
 * first: all (origin, target) pairs are taken in order of cost (ties by origin, then target), and each
 * gives the origin as much of the target's remaining capacity as it still needs. Every origin's
 * demand ends up `served`, `overCapacity` (catchment reached but full), `outside` (no target in
 * reach) or `unknown` (only targets of unknown capacity had room). Simple to follow by hand, and
 * not an optimum: a maximum-flow assignment can serve more where catchments overlap.
 *
 * @example
 * // 30 children at one point, 20 places in reach: 20 served, 10 over capacity.
 * const table = { bound: 300, offsets: Uint32Array.of(0, 1), targets: Uint32Array.of(0), costs: Float64Array.of(120) };
 * capacitatedAssignment(table, [20], [30]).overCapacity[0]; // 10
 */
export function capacitatedAssignment(
  table: CostTable,
  capacity: ArrayLike<number>,
  demand: ArrayLike<number>,
  options: Pick<CatchmentOptions, 'catchment'> & {
    /** Per target: 0 leaves it out (not open in the year evaluated). Default: every target serves. */
    serving?: ArrayLike<number>;
  } = {},
): CapacitatedAssignment {
  const origins = table.offsets.length - 1;
  if (demand.length !== origins) {
    throw new Error(`The table has ${origins} origins but ${demand.length} demand values were given.`);
  }
  const { offsets, targets, costs } = table;
  const catchment = options.catchment;
  const bound =
    catchment === undefined
      ? () => table.bound
      : typeof catchment === 'number'
        ? () => catchment
        : (j: number) => catchment[j] ?? 0;
  const pairs: number[] = [];
  const reachesAny = new Uint8Array(origins);
  const reachesUnknown = new Uint8Array(origins);
  for (let i = 0; i < origins; i++) {
    if (!(demand[i]! > 0)) continue;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const j = targets[k]!;
      if (!(costs[k]! <= bound(j)) || options.serving?.[j] === 0) continue;
      reachesAny[i] = 1;
      if (Number.isNaN(capacity[j]!)) reachesUnknown[i] = 1;
      else pairs.push(k);
    }
  }
  // Pair k belongs to the origin whose row holds it; rows are in origin order, so k breaks ties by
  // origin and then by the table's target order.
  const ownerOf = new Uint32Array(table.targets.length);
  for (let i = 0; i < origins; i++) for (let k = offsets[i]!; k < offsets[i + 1]!; k++) ownerOf[k] = i;
  pairs.sort((a, b) => costs[a]! - costs[b]! || a - b);

  const remaining = Float64Array.from({ length: origins }, (_, i) => Math.max(0, demand[i]! || 0));
  const room = Float64Array.from({ length: capacity.length }, (_, j) => Math.max(0, capacity[j]! || 0));
  const served = new Float64Array(origins);
  const load = new Float64Array(capacity.length);
  for (const k of pairs) {
    const i = ownerOf[k]!;
    const j = targets[k]!;
    const give = Math.min(remaining[i]!, room[j]!);
    if (give <= 0) continue;
    remaining[i]! -= give;
    room[j]! -= give;
    served[i]! += give;
    load[j]! += give;
  }
  const overCapacity = new Float64Array(origins);
  const outside = new Float64Array(origins);
  const unknown = new Float64Array(origins);
  for (let i = 0; i < origins; i++) {
    const left = remaining[i]!;
    if (left <= 0) continue;
    if (!reachesAny[i]) outside[i] = left;
    else if (reachesUnknown[i]) unknown[i] = left;
    else overCapacity[i] = left;
  }
  return { served, overCapacity, outside, unknown, load };
}
