import type { DemandPoints } from '../demand/index.js';
import type { DistanceSource, Reach, Targets } from '../distance/types.js';

/** Options of {@link measureCoverage}. */
export interface CoverageOptions {
  /**
   * A community has a gap when the share of its population within the radius is below this.
   * Default 0.5.
   */
  gapThreshold?: number;
}

const defaultOptions: Required<CoverageOptions> = {
  gapThreshold: 0.5,
};

/** Coverage of one facility type, per community. Arrays are indexed by community. */
export interface CommunityCoverage {
  /** Cost from the community's closest demand point to its nearest target; Infinity when none. */
  readonly nearestCost: Float64Array;
  /** Target index of that nearest target; -1 when none. */
  readonly nearestTarget: Int32Array;
  /**
   * When the source costs minutes on a walking network: the length in metres of that quickest walk
   * (from `Reach.nearestLengthM`); absent otherwise.
   */
  readonly nearestLengthM?: Float64Array;
  /** Distinct targets within the radius of at least one of the community's demand points. */
  readonly withinCount: Uint32Array;
  /** Residents on the community's demand points. */
  readonly population: Float64Array;
  /** Residents on demand points with at least one target within the radius. */
  readonly coveredPopulation: Float64Array;
  /** coveredPopulation / population; NaN for a community with no residents. */
  readonly coveredShare: Float64Array;
  /** 1 where the covered share is below the gap threshold, else 0 (never for 0 residents). */
  readonly gap: Uint8Array;
}

/** Result of {@link measureCoverage}: per demand point and per community. */
export interface Coverage {
  readonly radius: number;
  readonly gapThreshold: number;
  readonly reach: Reach;
  readonly community: CommunityCoverage;
  /** Sum over communities. */
  readonly population: number;
  readonly coveredPopulation: number;
}

/**
 * Measures who is served by one set of targets (the open facilities of one type) within `radius`:
 * per demand point the nearest target and how many lie within the radius, per community the covered
 * population and share, and whether it has a gap.
 *
 * @example
 * const source = new GreatCircleSource(demand);
 * const coverage = measureCoverage(source, demand, { coords: kindergartens }, 300);
 * coverage.community.gap; // 1 for communities with a kindergarten gap
 */
export function measureCoverage(
  source: DistanceSource,
  demand: DemandPoints,
  targets: Targets,
  radius: number,
  options: CoverageOptions = {},
): Coverage {
  const { gapThreshold } = { ...defaultOptions, ...options };
  if (source.origins.owner.length !== demand.owner.length) {
    throw new Error(
      `The distance source measures from ${source.origins.owner.length} origins but the demand has ${demand.owner.length} points.`,
    );
  }
  const reach = source.reach(targets, radius);
  const communities = demand.ownerCount;
  const nearestCost = new Float64Array(communities).fill(Number.POSITIVE_INFINITY);
  const nearestTarget = new Int32Array(communities).fill(-1);
  const lengths = reach.nearestLengthM;
  const nearestLengthM = lengths ? new Float64Array(communities).fill(Number.POSITIVE_INFINITY) : null;
  const population = new Float64Array(communities);
  const coveredPopulation = new Float64Array(communities);
  const { owner, weight } = demand;
  for (let i = 0; i < owner.length; i++) {
    const c = owner[i]!;
    const w = weight[i]!;
    population[c]! += w;
    if (reach.withinCount[i]! > 0) coveredPopulation[c]! += w;
    const cost = reach.nearestCost[i]!;
    if (cost < nearestCost[c]!) {
      nearestCost[c] = cost;
      nearestTarget[c] = reach.nearestIndex[i]!;
      if (nearestLengthM && lengths) nearestLengthM[c] = lengths[i]!;
    }
  }
  const coveredShare = new Float64Array(communities);
  const gap = new Uint8Array(communities);
  let populationTotal = 0;
  let coveredTotal = 0;
  for (let c = 0; c < communities; c++) {
    const p = population[c]!;
    // Rounding in the per-point shares can push the sum a hair over the total.
    const covered = Math.min(coveredPopulation[c]!, p);
    coveredPopulation[c] = covered;
    populationTotal += p;
    coveredTotal += covered;
    coveredShare[c] = p > 0 ? covered / p : Number.NaN;
    gap[c] = p > 0 && covered / p < gapThreshold ? 1 : 0;
  }
  return {
    radius,
    gapThreshold,
    reach,
    community: {
      nearestCost,
      nearestTarget,
      ...(nearestLengthM ? { nearestLengthM } : {}),
      withinCount: reach.ownerWithinCount,
      population,
      coveredPopulation,
      coveredShare,
      gap,
    },
    population: populationTotal,
    coveredPopulation: coveredTotal,
  };
}
