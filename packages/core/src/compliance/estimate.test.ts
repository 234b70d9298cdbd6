// The lazy greedy of the new-facility estimate against the eager greedy it replaced (every gain
// recomputed at every step), on random covers: the same count on every area.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { greedyCoverCount } from './estimate.js';

// The eager greedy as it was written before (Sets, every allowed candidate's gain each step; the
// first of the largest gains wins).
function eagerCount(
  candidates: readonly number[],
  covers: readonly Uint32Array[],
  failingSet: ReadonlySet<number>,
  subset: readonly number[],
): number {
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
}

const instance = fc.integer({ min: 1, max: 40 }).chain((communityCount) =>
  fc.record({
    communityCount: fc.constant(communityCount),
    // Failing communities (some of them without a candidate site) and each candidate's reach.
    failing: fc.uniqueArray(fc.integer({ min: 0, max: communityCount - 1 }), { minLength: 1 }),
    reach: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: communityCount - 1 }), { maxLength: 8 }), {
      maxLength: communityCount,
    }),
    subset: fc.array(fc.integer({ min: 0, max: communityCount + 2 }), { maxLength: 50 }),
  }),
);

describe('greedyCoverCount', () => {
  it('counts what the eager greedy counts, on every area', () => {
    fc.assert(
      fc.property(instance, ({ failing, reach, subset }) => {
        const failingSet = new Set(failing);
        const candidates = failing.slice(0, reach.length);
        // As facilityEstimates builds them: a candidate covers its own community and the failing
        // communities within its reach.
        const covers = candidates.map((c, k) =>
          Uint32Array.from(new Set([c, ...reach[k]!.filter((r) => failingSet.has(r))])),
        );
        const slots = Math.max(...failing) + 1;
        for (const area of [subset, failing, failing.slice(0, failing.length >> 1)]) {
          expect(greedyCoverCount(candidates, covers, slots, failingSet, area)).toBe(
            eagerCount(candidates, covers, failingSet, area),
          );
        }
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
});
