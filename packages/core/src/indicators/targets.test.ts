import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeTarget } from './targets.js';

describe('judgeTarget', () => {
  it('says how many places are missing to reach a figure per 1,000', () => {
    // 2,293 places for 612,001 residents; 4.5 per 1,000 needs 2,754.0045.
    expect(judgeTarget(2293, 612001, 1000, 4.5)).toEqual({
      value: (2293 / 612001) * 1000,
      met: false,
      shortfall: 462,
    });
    expect(judgeTarget(3000, 612001, 1000, 4.5)).toMatchObject({ met: true, shortfall: 0 });
    expect(judgeTarget(5, 0, 1000, 4.5)).toEqual({ value: null, met: null, shortfall: null });
    expect(judgeTarget(5, 10, 1, null)).toEqual({ value: 0.5, met: null, shortfall: null });
    // At most: the excess.
    expect(judgeTarget(12, 10, 1, 1, '<=')).toMatchObject({ met: false, shortfall: 2 });
  });

  it('gives a zero shortfall exactly when the target is met, and enough to meet it otherwise', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
        fc.constantFrom(1, 100, 1000, 10000),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (amount, base, scale, target) => {
          const j = judgeTarget(amount, base, scale, target);
          expect(j.shortfall === 0).toBe(j.met === true);
          if (!j.met) {
            expect(j.shortfall).toBeGreaterThanOrEqual(1);
            expect(Number.isInteger(j.shortfall)).toBe(true);
            expect(judgeTarget(amount + j.shortfall!, base, scale, target).met).toBe(true);
          }
        },
      ),
      { seed: 3, numRuns: 500 },
    );
  });
});
