import type { SitingResult, TradeoffPoint } from './types.js';

/** Where a point of a reconciled trade-off curve comes from. */
export type TradeoffSolution = 'answer' | 'answer-prefix' | 'greedy';

/** A point of the curve {@link reconcileTradeoff} returns: the best solution found for its k. */
export interface ReconciledTradeoffPoint extends TradeoffPoint {
  /**
   * Which solution the point is: `answer` (the ranked answer itself, at its number of sites),
   * `answer-prefix` (the answer's first k sites in rank order, as in the ranked table's cumulative
   * figures) or `greedy` (the greedy's first k sites, when they do better than the answer's prefix).
   */
  readonly solution: TradeoffSolution;
}

/**
 * One answer per question: the greedy curve of a model's `tradeoff()` and the ranked answer of its
 * `solve()` are two sets of solutions for the same k values; this keeps, for each k, the better of
 * the greedy's first k sites and the answer's first k sites, so that
 *
 * - at the answer's number of sites the curve is the answer (objective and covered population),
 * - wherever the answer's prefix is at least as good as the greedy's, the curve equals the ranked
 *   table's cumulative figures,
 * - the bound at every k is the tighter of the greedy's online bound for k and the answer's bound
 *   for its own (larger) k: coverage can only grow with k and cost only fall, so a bound for the
 *   largest k bounds every smaller k too. It never falls on the wrong side of the point.
 */
export function reconcileTradeoff(
  greedy: readonly TradeoffPoint[],
  result: Pick<SitingResult, 'sense' | 'sites' | 'objective' | 'bound' | 'coveredAfter' | 'population'>,
): ReconciledTradeoffPoint[] {
  const better = (a: number, b: number) => (result.sense === 'max' ? a > b + 1e-9 : a < b - 1e-9);
  const tighter = (a: number, b: number) => (result.sense === 'max' ? Math.min(a, b) : Math.max(a, b));
  const share = (covered: number) => (result.population > 0 ? covered / result.population : 0);
  const answerK = result.sites.length;
  return greedy.map((point) => {
    let chosen: ReconciledTradeoffPoint = { ...point, solution: 'greedy' };
    const prefix = point.k >= 1 && point.k <= answerK ? result.sites[point.k - 1]! : undefined;
    if (point.k === answerK) {
      chosen = {
        k: point.k,
        objective: result.objective,
        coveredWeight: result.coveredAfter,
        coveredShare: share(result.coveredAfter),
        bound: point.bound,
        solution: 'answer',
      };
    } else if (prefix && !better(point.objective, prefix.objective)) {
      chosen = {
        k: point.k,
        objective: prefix.objective,
        coveredWeight: prefix.cumulativeWeight,
        coveredShare: prefix.cumulativeShare,
        bound: point.bound,
        solution: 'answer-prefix',
      };
    }
    let bound = chosen.bound;
    if (point.k <= answerK && Number.isFinite(result.bound)) {
      bound = Number.isFinite(bound) ? tighter(bound, result.bound) : result.bound;
    }
    // A bound is never on the wrong side of a solution found.
    if (Number.isFinite(bound)) {
      bound = result.sense === 'max' ? Math.max(bound, chosen.objective) : Math.min(bound, chosen.objective);
    }
    return { ...chosen, bound };
  });
}
