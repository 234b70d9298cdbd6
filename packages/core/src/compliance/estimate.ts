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
  const covers: Set<number>[] = candidates.map((c) => new Set([c]));
  for (let i = 0; i < demand.owner.length; i++) {
    const c = demand.owner[i]!;
    if (!failingSet.has(c)) continue;
    for (let k = table.offsets[i]!; k < table.offsets[i + 1]!; k++) covers[table.targets[k]!]!.add(c);
  }
  return (subset) => {
    const uncovered = new Set(subset.filter((c) => failingSet.has(c)));
    const allowed = candidates.map((c) => uncovered.has(c));
    let picks = 0;
    while (uncovered.size > 0) {
      let best = -1;
      let bestGain = 0;
      for (let k = 0; k < candidates.length; k++) {
        if (!allowed[k]) continue;
        let gain = 0;
        for (const c of covers[k]!) if (uncovered.has(c)) gain++;
        if (gain > bestGain) {
          best = k;
          bestGain = gain;
        }
      }
      if (best < 0) break;
      for (const c of covers[best]!) uncovered.delete(c);
      allowed[best] = false;
      picks++;
    }
    return picks + uncovered.size;
  };
}
