import { validateDemandPoints } from '@lifecircle/core';
import { demandColumnsOf } from '@lifecircle/core/internal';
import fc from 'fast-check';
import { serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { pushInPieces } from '../../test/pieces.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { readInput } from '../read/input.js';
import { FlatGeobufDemandReader } from './demand.js';

const point = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: 'Feature' as const,
  properties,
  geometry: { type: 'Point' as const, coordinates: [lon, lat] },
});

// Past the first hundred features (whose fields validation looks at for a web map's export) come
// the problems: a negative population, swapped coordinates, a point without a community.
const FEATURES = [
  ...Array.from({ length: 130 }, (_, i) =>
    point(106.6 + (i % 10) * 0.0002, 35.5 + (i % 7) * 0.0001, {
      id: `p${i}`,
      population: 1 + (i % 5),
      community_id: ['C1', 'C2', 'C3'][i % 3]!,
    }),
  ),
  point(106.6, 35.5, { id: 'negative', population: -3, community_id: 'C1' }),
  point(35.5, 106.6, { id: 'swapped', population: 2, community_id: 'C2' }),
  point(106.61, 35.51, { id: 'alone', population: 4, community_id: null }),
  point(106.62, 35.52, { id: 'huge', population: 1e12, community_id: 'C3' }),
];
const BYTES = serialize({ type: 'FeatureCollection', features: FEATURES } as FeatureCollection, 4326);

function streamed(cuts: readonly number[]) {
  const reader = new FlatGeobufDemandReader('d.fgb', DEFAULT_LIMITS, BYTES.byteLength);
  // Each piece in a buffer of its own at any offset, as a file read into one reused buffer gives it.
  pushInPieces(BYTES, cuts, (piece) => reader.pushBytes(piece));
  return reader.end();
}

describe('FlatGeobufDemandReader', () => {
  it('gives the columns, rejections, ids and warnings of reading the whole file and validating it', async () => {
    const read = await readInput(BYTES, 'd.fgb');
    expect(read.crs?.used.id).toBe('EPSG:4326');
    const whole = validateDemandPoints(read.features, 'd.fgb');
    const expected = demandColumnsOf(whole.records);
    const columns = streamed([]);
    expect(columns.count).toBe(131);
    expect(columns.coords).toEqual(expected.coords);
    expect(columns.population).toEqual(expected.population);
    expect(columns.community).toEqual(expected.community);
    expect(columns.communityIds).toEqual(expected.communityIds);
    expect(columns.sourceIndex).toEqual(expected.sourceIndex);
    expect(columns.rejected).toEqual(whole.rejected);
    expect(columns.warnings).toEqual(whole.warnings);
    expect(columns.rejected.map((r) => [r.index, r.id, r.field])).toEqual([
      [130, 'negative', 'population'],
      [131, 'swapped', 'geometry'],
      [133, 'huge', 'population'],
    ]);
  });

  it('reads the same whatever the pieces the bytes arrive in', () => {
    const once = streamed([]);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: BYTES.byteLength }), { maxLength: 10 }), (cuts) => {
        expect(streamed(cuts)).toEqual(once);
      }),
      { numRuns: 100 },
    );
  });

  it('a file cut part way is the error reading it whole gives, naming the byte', async () => {
    for (const length of [5, 40, BYTES.byteLength - 3]) {
      const cut = BYTES.slice(0, length);
      const whole = await readInput(cut, 'd.fgb').then(
        () => null,
        (error: Error) => error.message,
      );
      const reader = new FlatGeobufDemandReader('d.fgb');
      let message: string | null = null;
      try {
        reader.pushBytes(cut);
        reader.end();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^d\.fgb: is a (corrupt or )?truncated FlatGeobuf file/);
      expect(message).toBe(whole);
    }
  });
});
