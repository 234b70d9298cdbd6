// Sorting a table's rows: short rows by insertion, long ones through a sorted order; both against
// a stable sort of the row's (target, cost) pairs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortRow, sortTargets } from './cost-table.js';

const row = fc.array(
  fc.record({ target: fc.integer({ min: 0, max: 60 }), cost: fc.double({ noNaN: true }) }),
  {
    maxLength: 150,
    // The default size keeps arrays to about 10: long rows (over 32) take the sorted-order path.
    size: 'max',
  },
);

describe('sortRow and sortTargets', () => {
  it('sort a row by target, equal targets in their order, and leave the rest of the table alone', () => {
    fc.assert(
      fc.property(row, fc.nat(5), fc.nat(5), (pairs, before, after) => {
        const n = before + pairs.length + after;
        const targets = new Uint32Array(n).fill(999);
        const costs = new Float64Array(n).fill(-1);
        pairs.forEach((p, i) => {
          targets[before + i] = p.target;
          costs[before + i] = p.cost;
        });
        const alone = targets.slice();
        sortRow(targets, costs, before, before + pairs.length);
        sortTargets(alone, before, before + pairs.length);
        const expected = pairs.map((p, i) => ({ ...p, i })).sort((a, b) => a.target - b.target || a.i - b.i);
        expect(Array.from(targets.subarray(before, before + pairs.length))).toEqual(
          expected.map((p) => p.target),
        );
        expect(Array.from(costs.subarray(before, before + pairs.length))).toEqual(
          expected.map((p) => p.cost),
        );
        expect(Array.from(alone)).toEqual(Array.from(targets));
        for (const k of [...Array(before).keys(), ...Array.from({ length: after }, (_, j) => n - 1 - j)]) {
          expect(targets[k]).toBe(999);
          expect(costs[k]).toBe(-1);
        }
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
  it('sorts a row too long to number its places in a double (over 2²¹ pairs), stably', () => {
    const n = 2 ** 21 + 3;
    const targets = new Uint32Array(n);
    const costs = new Float64Array(n);
    // Each cost names its target and its first place, so that order and pairing can be read back.
    const PLACES = 2 ** 22;
    for (let i = 0; i < n; i++) {
      targets[i] = (i * 2654435761) % 100_003;
      costs[i] = targets[i]! * PLACES + i;
    }
    sortRow(targets, costs, 0, n);
    for (let i = 0; i < n; i++) {
      if (Math.floor(costs[i]! / PLACES) !== targets[i])
        expect.unreachable(`cost apart from its target at ${i}`);
      if (
        i > 0 &&
        !(targets[i - 1]! < targets[i]! || (targets[i - 1] === targets[i] && costs[i - 1]! < costs[i]!))
      )
        expect.unreachable(`row out of order at ${i}`);
    }
  });
});
