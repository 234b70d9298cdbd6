// The counts' owner structures (network-count.ts) against brute force: owners ranked for words of
// bits, each edge's owners as (word, mask) pairs, and the set of one target's owners.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OwnerBits, rankOwners } from './network-count.js';

// Snapped origins grouped by edge: per edge, the owners of its origins (any order, repeats allowed).
const edgesArb = (ownerCount: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: ownerCount - 1 }), { maxLength: 12 }), { maxLength: 40 });

function grouped(edges: readonly (readonly number[])[]) {
  const edgeStart = new Uint32Array(edges.length + 1);
  edges.forEach((owners, e) => {
    edgeStart[e + 1] = edgeStart[e]! + owners.length;
  });
  return { edgeStart, byEdgeOwner: Uint32Array.from(edges.flat()) };
}

describe('rankOwners', () => {
  it('ranks every owner once, in order of first appearance, and lists each edge’s owners once as words', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 300 })
          .chain((ownerCount) => fc.tuple(fc.constant(ownerCount), edgesArb(ownerCount))),
        ([ownerCount, edges]) => {
          const { edgeStart, byEdgeOwner } = grouped(edges);
          const ranked = rankOwners(edgeStart, byEdgeOwner, ownerCount);
          // A permutation of the owners, first the ones with origins in order of first appearance.
          const appearing = [...new Set(byEdgeOwner)];
          const rest = Array.from({ length: ownerCount }, (_, o) => o).filter((o) => !appearing.includes(o));
          expect(Array.from(ranked.ownerOfRank)).toEqual([...appearing, ...rest]);
          // Each origin carries its owner's rank.
          byEdgeOwner.forEach((owner, j) => {
            expect(ranked.ownerOfRank[ranked.byEdgeOwnerRank[j]!]).toBe(owner);
          });
          // Each edge's pairs name distinct words whose bits are exactly the ranks of its owners.
          edges.forEach((owners, e) => {
            const words: number[] = [];
            const ranks: number[] = [];
            for (let q = ranked.edgeWordStart[e]!; q < ranked.edgeWordStart[e + 1]!; q++) {
              const w = ranked.edgeWordMasks[2 * q]!;
              const mask = ranked.edgeWordMasks[2 * q + 1]!;
              expect(mask).not.toBe(0);
              words.push(w);
              for (let bit = 0; bit < 32; bit++) if ((mask >>> bit) & 1) ranks.push(32 * w + bit);
            }
            expect(new Set(words).size).toBe(words.length);
            const expected = [...new Set(owners)].map((o) => ranked.ownerOfRank.indexOf(o));
            expect(ranks.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
          });
          expect(ranked.edgeWordStart[edges.length]).toBe(ranked.edgeWordMasks.length / 2);
        },
      ),
      { seed: 20261207, numRuns: 200 },
    );
  });
});

describe('OwnerBits', () => {
  it('adds one to each owner set, however often it was set, and is empty again after a flush', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }).chain((owners) =>
          fc.tuple(
            fc.constant(owners),
            fc.array(fc.array(fc.integer({ min: 0, max: owners - 1 }), { maxLength: 60 }), {
              maxLength: 5,
            }),
          ),
        ),
        ([owners, targets]) => {
          const set = new OwnerBits(owners);
          const counts = new Uint32Array(owners);
          const expected = new Uint32Array(owners);
          for (const reached of targets) {
            // As the count kernel lists words: once, when a word stops being empty.
            let wordCount = 0;
            for (const owner of reached) {
              const w = owner >>> 5;
              if (set.bits[w] === 0) set.words[wordCount++] = w;
              set.bits[w]! |= 1 << (owner & 31);
            }
            set.flush(wordCount, counts);
            for (const owner of new Set(reached)) expected[owner]!++;
            expect(set.bits.every((word) => word === 0)).toBe(true);
          }
          expect(Array.from(counts)).toEqual(Array.from(expected));
        },
      ),
      { seed: 20261207, numRuns: 200 },
    );
  });
});
