import type { DemandPoints } from '../demand/index.js';
import type { DistanceSource, Targets } from '../distance/types.js';
import { type Coverage, type CoverageOptions, measureCoverage } from './index.js';

/** What one proposed facility adds, given the existing facilities and the proposals before it. */
export interface ProposalMeasure {
  /** 1 for the first proposal, in the order given. */
  readonly rank: number;
  /** Residents within the radius of this proposal and of no existing facility or earlier proposal. */
  readonly addedPopulation: number;
  /** The city's covered share once this proposal and the ones before it are open (NaN: no residents). */
  readonly cumulativeShare: number;
  /** Communities with at least one of those newly covered residents. */
  readonly newlyServedCommunities: number;
}

/** Result of {@link evaluateProposals}. */
export interface ProposalEvaluation {
  /** Coverage by the existing facilities and every proposal together. */
  readonly after: Coverage;
  /** Per proposal, in the order given. */
  readonly proposals: readonly ProposalMeasure[];
}

/**
 * Measures facilities a planner proposes for one type: the coverage once they are open alongside the
 * existing ones, and what each proposal adds in the order given (a proposal gets the residents that
 * no existing facility and no earlier proposal reaches). No siting model is involved: the proposals
 * are where the planner put them.
 *
 * @param source - the distance source the existing coverage was measured on.
 * @param demand - the demand points of that source's origins.
 * @param before - the coverage by the existing facilities (from {@link measureCoverage} or an analysis).
 * @param existing - the existing facilities of the type.
 * @param proposed - proposed positions, interleaved `[lon0, lat0, lon1, lat1, …]` in WGS84 degrees.
 *
 * @example
 * const source = new GreatCircleSource(demand);
 * const before = measureCoverage(source, demand, { coords: kindergartens }, 300);
 * const { after, proposals } = evaluateProposals(
 *   source, demand, before, { coords: kindergartens }, Float64Array.of(106.68, 35.54),
 * );
 * proposals[0]!.addedPopulation; // residents the new kindergarten newly reaches
 * after.coveredPopulation - before.coveredPopulation; // the same figure for the whole set
 */
export function evaluateProposals(
  source: DistanceSource,
  demand: DemandPoints,
  before: Coverage,
  existing: Targets,
  proposed: Float64Array,
  options: CoverageOptions = { gapThreshold: before.gapThreshold },
): ProposalEvaluation {
  if (proposed.length % 2 !== 0) {
    throw new Error(`Proposed positions come as lon, lat pairs; got ${proposed.length} numbers.`);
  }
  const radius = before.radius;
  const after = measureCoverage(
    source,
    demand,
    { coords: concat(existing.coords, proposed) },
    radius,
    options,
  );
  const count = proposed.length >> 1;
  const table = source.within({ coords: proposed }, radius);
  // Each demand point outside every existing facility's radius goes to the first proposal reaching it.
  const added = new Float64Array(count);
  const served = Array.from({ length: count }, () => new Set<number>());
  const existingWithin = before.reach.withinCount;
  for (let i = 0; i < demand.weight.length; i++) {
    if (existingWithin[i]! > 0) continue;
    let first = -1;
    for (let e = table.offsets[i]!; e < table.offsets[i + 1]!; e++) {
      const j = table.targets[e]!;
      if (first < 0 || j < first) first = j;
    }
    if (first < 0) continue;
    added[first]! += demand.weight[i]!;
    served[first]!.add(demand.owner[i]!);
  }
  let covered = before.coveredPopulation;
  const population = before.population;
  const proposals = Array.from(added, (residents, j) => {
    covered += residents;
    return {
      rank: j + 1,
      addedPopulation: residents,
      cumulativeShare: population > 0 ? Math.min(covered, population) / population : Number.NaN,
      newlyServedCommunities: served[j]!.size,
    };
  });
  return { after, proposals };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
