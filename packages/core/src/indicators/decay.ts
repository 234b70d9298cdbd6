import type { DecaySpec } from '../standards/profile.js';

/** Weight of a facility at a cost (metres, or minutes): 1 near, falling with distance. */
export type DecayFunction = (cost: number) => number;

/**
 * A step function: the weight of the first threshold at or above the cost, 0 beyond the last, like
 * pysal/access `weights.step_fn` (thresholds are sorted; the input is not modified).
 *
 * @example
 * const w = stepDecay([[300, 1], [600, 0.68], [900, 0.22]]);
 * [w(0), w(300), w(450), w(900), w(901)]; // [1, 1, 0.68, 0.22, 0]
 */
export function stepDecay(steps: readonly (readonly [number, number])[]): DecayFunction {
  if (steps.length === 0) throw new Error('stepDecay needs at least one [threshold, weight] step.');
  for (const [threshold, weight] of steps) {
    if (!(threshold >= 0) || !(weight >= 0)) {
      throw new Error(`stepDecay steps need thresholds and weights ≥ 0, got [${threshold}, ${weight}].`);
    }
  }
  const sorted = [...steps].sort((a, b) => a[0] - b[0]);
  const thresholds = Float64Array.from(sorted, (s) => s[0]);
  const weights = Float64Array.from(sorted, (s) => s[1]);
  return (cost) => {
    for (let k = 0; k < thresholds.length; k++) if (cost <= thresholds[k]!) return weights[k]!;
    return 0;
  };
}

/**
 * A Gaussian weight exp(−x² / 2σ²) with weight 1 at 0 (no normalising constant), like pysal/access
 * `weights.gaussian`.
 *
 * @example
 * const w = gaussianDecay(20);
 * w(20); // 0.6065306597126334
 */
export function gaussianDecay(sigma: number): DecayFunction {
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new Error(`gaussianDecay needs a positive sigma, got ${sigma}.`);
  }
  const twoSigma2 = 2 * sigma * sigma;
  return (cost) => Math.exp(-(cost * cost) / twoSigma2);
}

/**
 * A gravity weight (max(x, min) / scale)^alpha, like pysal/access `weights.gravity`; alpha is not
 * negated for you (use −1 or −2 for a falling weight), and `minCost` keeps it finite at 0.
 *
 * @example
 * const w = gravityDecay(20, -2, 1);
 * [w(0), w(2), w(40)]; // [400, 100, 0.25]
 */
export function gravityDecay(scale: number, alpha: number, minCost = 0): DecayFunction {
  if (!(scale > 0) || !Number.isFinite(alpha) || !(minCost >= 0)) {
    throw new Error(
      `gravityDecay needs scale > 0, a finite alpha and minCost ≥ 0, got ${scale}, ${alpha}, ${minCost}.`,
    );
  }
  if (alpha < 0 && minCost === 0) {
    throw new Error('gravityDecay with a negative alpha needs minCost > 0, or the weight at 0 is infinite.');
  }
  return (cost) => (Math.max(cost, minCost) / scale) ** alpha;
}

/**
 * The decay function a profile's `decay` entry describes; null (no decay) for plain 2SFCA.
 *
 * @example
 * decayFromSpec({ kind: 'gaussian', sigma_m: 300 })?.(300); // 0.6065…
 */
export function decayFromSpec(spec: DecaySpec | null): DecayFunction | null {
  if (spec === null) return null;
  switch (spec.kind) {
    case 'step':
      return stepDecay(spec.steps);
    case 'gaussian':
      return gaussianDecay(spec.sigma_m);
    case 'gravity':
      return gravityDecay(spec.scale_m, spec.alpha, spec.min_m);
  }
}
