import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/reference.js';
import { GreatCircleSource } from './great-circle.js';

/**
 * A guard on what a great-circle source keeps per demand point between types (issue #16): a
 * province's 20 million points multiply every byte kept per point by 20 million. On 7 December
 * 2026 a run of six types had come to keep two grids of demand cells (one per cell side, alike in
 * a sparse extent) with 40 bytes for every cell, empty or not, up to four cells a point, and a
 * copy of the unit vectors: about 380 bytes a point here, where the province's whole run had
 * needed 250. Counted from the typed arrays themselves, so it needs no memory measurement.
 */

/** Bytes of the distinct buffers behind every typed array reachable from `root`'s fields. */
function typedArrayBytes(root: unknown, skip: ReadonlySet<ArrayBufferLike>): number {
  const buffers = new Set<ArrayBufferLike>();
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      if (!skip.has(value.buffer)) buffers.add(value.buffer);
      return;
    }
    const values = value instanceof Map ? value.values() : Object.values(value);
    for (const v of values) visit(v);
  };
  visit(root);
  let bytes = 0;
  for (const buffer of buffers) bytes += buffer.byteLength;
  return bytes;
}

/** Points around `clusters` settlements spread over about 4 × 3 degrees: a province's sparse extent. */
function province(
  points: number,
  clusters: number,
  seed: number,
): { coords: Float64Array; owner: Uint32Array } {
  const random = seededRandom(seed);
  const centres = Array.from({ length: clusters }, () => [104 + 4 * random(), 34 + 3 * random()] as const);
  const coords = new Float64Array(2 * points);
  const owner = new Uint32Array(points);
  for (let i = 0; i < points; i++) {
    const c = Math.floor((i * clusters) / points);
    coords[2 * i] = centres[c]![0] + (random() - 0.5) * 0.02;
    coords[2 * i + 1] = centres[c]![1] + (random() - 0.5) * 0.02;
    owner[i] = c;
  }
  return { coords, owner };
}

describe('what a great-circle source keeps per demand point', () => {
  it('stays within 150 bytes a point over the six types of a province run (radii 300 to 1,000 m)', () => {
    const n = 40_000;
    const { coords, owner } = province(n, 400, 7);
    // A province's grids pass the cache's budget (256 MiB by default, about 40 bytes a point a grid):
    // a budget of 0 makes this small job keep what a province's does.
    const source = new GreatCircleSource({ coords, owner, ownerCount: 400 }, { cellCacheBytes: 0 });
    const facilities = province(600, 600, 8).coords;
    for (const radius of [300, 300, 300, 1000, 500, 500]) source.reach({ coords: facilities }, radius);
    const kept = typedArrayBytes(source, new Set([coords.buffer, owner.buffer]));
    // Now: demand cells of one side (order, unit vectors and owner, 32 bytes a point; start and slot,
    // 8 bytes a cell; centre, radius and owners of the occupied cells) and the nearest search's
    // groups (order and unit vectors, 28 bytes a point).
    expect(kept / n).toBeLessThan(150);
  });

  it('keeps the grids of every cell side within its budget, and one at a time beyond it', () => {
    // A city: 40,000 points within about 5 km, where 300 m and 1,000 m ask for two grids (cells of
    // 50 and 100 m; a province's sparse extent grows both to one).
    const n = 40_000;
    const random = seededRandom(9);
    const coords = new Float64Array(2 * n);
    const owner = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      coords[2 * i] = 106.6 + 0.05 * random();
      coords[2 * i + 1] = 35.5 + 0.05 * random();
      owner[i] = i % 400;
    }
    const facilities = province(600, 600, 8).coords.map((v, i) => (i % 2 === 0 ? 106.6 : 35.5) + (v % 0.05));
    const kept = (options: { cellCacheBytes?: number }): number => {
      const source = new GreatCircleSource({ coords, owner, ownerCount: 400 }, options);
      for (const radius of [300, 1000, 300, 1000]) source.reach({ coords: facilities }, radius);
      return typedArrayBytes(source, new Set([coords.buffer, owner.buffer]));
    };
    const oneGrid = kept({ cellCacheBytes: 0 });
    const bothGrids = kept({});
    // A grid holds at least its points' order, unit vectors and owners (32 bytes a point).
    expect(bothGrids - oneGrid).toBeGreaterThanOrEqual(32 * n);
  });
});
