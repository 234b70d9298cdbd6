import { MaxHeap } from '../siting/heap.js';
import type { FacilityEstimates } from './areas.js';
import type { MeasureBase, ResolvedRequirement } from './base.js';

/**
 * Estimates how many new facilities would put one within the radius of every community that fails
 * a requirement's access condition: candidate sites are each failing community's most populous
 * demand point; a site covers every failing community with a demand point within the (smallest)
 * radius of it; sites are picked greedily, most newly covered communities first (ties: input order).
 * A greedy set cover, so an upper estimate of the minimum; it needs one `within` query per
 * requirement on the distance source.
 */
export function facilityEstimates(
  base: MeasureBase,
  failing: ReadonlyMap<string, readonly number[]>,
): FacilityEstimates {
  const out = new Map<string, (communities: readonly number[]) => number>();
  for (const rr of base.requirements) {
    const communities = failing.get(rr.info.id) ?? [];
    if (!rr.facilities || communities.length === 0) {
      out.set(rr.info.id, () => 0);
      continue;
    }
    out.set(rr.info.id, coverEstimator(base, rr, communities));
  }
  return out;
}

function coverEstimator(
  base: MeasureBase,
  rr: ResolvedRequirement,
  communities: readonly number[],
): (subset: readonly number[]) => number {
  const { demand } = base.analysis;
  // The most populous demand point of each failing community is its candidate site.
  const site = new Map<number, number>();
  for (let i = 0; i < demand.owner.length; i++) {
    const c = demand.owner[i]!;
    const best = site.get(c);
    if (best === undefined || demand.weight[i]! > demand.weight[best]!) site.set(c, i);
  }
  const candidates = communities.filter((c) => site.has(c));
  const coords = new Float64Array(candidates.length * 2);
  candidates.forEach((c, k) => {
    const i = site.get(c)!;
    coords[2 * k] = demand.coords[2 * i]!;
    coords[2 * k + 1] = demand.coords[2 * i + 1]!;
  });
  const radius = Math.min(...rr.info.radii.map((r) => r.radius));
  const table = base.source.within({ coords }, radius);
  const failingSet = new Set(communities);
  // covers[k]: failing communities with a demand point within the radius of candidate k.
  const coverSets: Set<number>[] = candidates.map((c) => new Set([c]));
  for (let i = 0; i < demand.owner.length; i++) {
    const c = demand.owner[i]!;
    if (!failingSet.has(c)) continue;
    for (let k = table.offsets[i]!; k < table.offsets[i + 1]!; k++) coverSets[table.targets[k]!]!.add(c);
  }
  const covers = coverSets.map((set) => Uint32Array.from(set));
  let communitySlots = 0;
  for (const c of communities) communitySlots = Math.max(communitySlots, c + 1);
  return (subset) => greedyCoverCount(candidates, covers, communitySlots, failingSet, subset);
}

/**
 * The greedy of {@link facilityEstimates} on one area (`subset`): candidates allowed are those whose
 * own community is uncovered in it; each pick the candidate covering most uncovered communities
 * (ties: the lower candidate index); picks plus the communities no candidate reaches.
 *
 * Lazily evaluated (CELF): a candidate's gain only falls as communities are covered, so a gain
 * computed earlier bounds it from above, and a candidate whose fresh gain still leads the heap's
 * stale ones (gain, then index) is the eager greedy's pick. Same picks as recomputing every gain at
 * every step, without its picks × candidates × cover cost (20,000 failing communities took minutes).
 */
export function greedyCoverCount(
  candidates: readonly number[],
  covers: readonly Uint32Array[],
  communitySlots: number,
  failingSet: ReadonlySet<number>,
  subset: readonly number[],
): number {
  const uncovered = new Uint8Array(communitySlots);
  let remaining = 0;
  for (const c of subset) {
    if (!failingSet.has(c) || uncovered[c] === 1) continue;
    uncovered[c] = 1;
    remaining++;
  }
  const gainOf = (k: number): number => {
    let gain = 0;
    for (const c of covers[k]!) gain += uncovered[c]!;
    return gain;
  };
  const heap = new MaxHeap(candidates.length);
  candidates.forEach((c, k) => {
    if (uncovered[c] === 1) heap.push(gainOf(k), k);
  });
  let picks = 0;
  while (remaining > 0 && heap.size > 0) {
    const k = heap.pop();
    const gain = gainOf(k);
    // Stale: its fresh gain no longer leads the others' bounds (ties go to the lower index).
    if (heap.size > 0 && (gain < heap.topKey() || (gain === heap.topKey() && heap.topItem() < k))) {
      heap.push(gain, k);
      continue;
    }
    if (gain === 0) break;
    for (const c of covers[k]!) {
      remaining -= uncovered[c]!;
      uncovered[c] = 0;
    }
    picks++;
  }
  return picks + remaining;
}
