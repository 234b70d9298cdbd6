import { describe, expect, it } from 'vitest';
import { decayFromSpec, gaussianDecay, gravityDecay, stepDecay } from './decay.js';

// Reference values: the examples in pysal/access `weights.py` docstrings.
describe('distance decay factories', () => {
  it('steps like pysal step_fn({20: 1, 40: 0.68, 60: 0.22})', () => {
    const w = stepDecay([
      [40, 0.68],
      [20, 1],
      [60, 0.22],
    ]);
    expect([0, 10, 20, 30, 40, 50, 60, 70].map(w)).toEqual([1, 1, 1, 0.68, 0.68, 0.22, 0.22, 0]);
  });

  it('is Gaussian like pysal gaussian(sigma=20)', () => {
    const w = gaussianDecay(20);
    expect(w(0)).toBe(1);
    expect(w(20)).toBeCloseTo(0.6065306597126334, 15);
    expect(w(40)).toBeCloseTo(0.1353352832366127, 15);
    expect(w(60)).toBeCloseTo(0.011108996538242306, 15);
  });

  it('is gravity like pysal gravity(scale=20, alpha=-2, min_dist=1)', () => {
    const w = gravityDecay(20, -2, 1);
    expect([0, 1, 2, 20, 40, 60].map((x) => Math.round(w(x) * 100) / 100)).toEqual([
      400, 400, 100, 1, 0.25, 0.11,
    ]);
  });

  it('builds from a profile spec, none for plain 2SFCA', () => {
    expect(decayFromSpec(null)).toBeNull();
    expect(decayFromSpec({ kind: 'gaussian', sigma_m: 300 })!(300)).toBeCloseTo(Math.exp(-0.5), 15);
    expect(decayFromSpec({ kind: 'step', steps: [[300, 1]] })!(301)).toBe(0);
    expect(decayFromSpec({ kind: 'gravity', scale_m: 100, alpha: -1, min_m: 10 })!(0)).toBe(10);
  });

  it('rejects unusable parameters with the value in the message', () => {
    expect(() => gaussianDecay(0)).toThrowError('gaussianDecay needs a positive sigma, got 0.');
    expect(() => stepDecay([])).toThrowError('stepDecay needs at least one [threshold, weight] step.');
    expect(() => gravityDecay(20, -2)).toThrowError('needs minCost > 0');
  });
});
