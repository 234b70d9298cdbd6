// communityFeatureChunks and eachGapRow must write exactly what communityFeatureCollection and
// gapRows give (the CLI streams with the first two; the goldens were made with the others).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCoverage } from '../analysis/index.js';
import { communityFeatureChunks, communityFeatureCollection, eachGapRow, gapRows } from './analysis.js';

const O = [106.66, 35.54] as const;

/** Property names that exercise JSON's key order and the figures' own keys. */
const propertyName = fc.constantFrom(
  'name',
  'district',
  '2020',
  '7',
  '__proto__',
  'kindergarten_nearest_m',
  'gaps',
  'fresh_market_covered_share',
  '名称',
  'a"b',
);
const propertyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.array(fc.integer()),
);

const city = fc.record({
  communities: fc.array(
    fc.record({
      at: fc.tuple(
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
      ),
      population: fc.integer({ min: 0, max: 5000 }),
      extra: fc.dictionary(propertyName, propertyValue, { maxKeys: 4 }),
      bbox: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  facilities: fc.array(
    fc.record({
      at: fc.tuple(
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
      ),
      type: fc.constantFrom('kindergarten', 'fresh_market'),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});

type City = typeof city extends fc.Arbitrary<infer T> ? T : never;

function analyse(c: City) {
  const communities = {
    type: 'FeatureCollection',
    features: c.communities.map((community, i) => {
      const properties: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(community.extra)) {
        Object.defineProperty(properties, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      properties.id = `c${i}`;
      properties.population = community.population;
      const coordinates = [O[0] + community.at[0], O[1] + community.at[1]];
      return {
        type: 'Feature',
        properties,
        geometry: community.bbox
          ? { type: 'Point', bbox: [...coordinates, ...coordinates], coordinates }
          : { type: 'Point', coordinates },
      };
    }),
  };
  const facilities = {
    type: 'FeatureCollection',
    features: c.facilities.map((f, i) => ({
      type: 'Feature',
      properties: { id: `f${i}`, type: f.type },
      geometry: { type: 'Point', coordinates: [O[0] + f.at[0], O[1] + f.at[1]] },
    })),
  };
  return analyzeCoverage({ communities, facilities }, { types: ['kindergarten', 'fresh_market'] });
}

describe('communityFeatureChunks', () => {
  it('joins to JSON.stringify(communityFeatureCollection(result)), whatever the properties', () => {
    fc.assert(
      fc.property(city, (c) => {
        const result = analyse(c);
        expect([...communityFeatureChunks(result)].join('')).toBe(
          JSON.stringify(communityFeatureCollection(result)),
        );
        expect([...eachGapRow(result)]).toEqual(gapRows(result));
      }),
      { numRuns: 150 },
    );
  });

  it('writes each geometry as options.geometry maps it and the members after features', () => {
    const result = analyse({
      communities: [{ at: [0, 0], population: 10, extra: {}, bbox: false }],
      facilities: [{ at: [0.001, 0], type: 'kindergarten' }],
    });
    const crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4524' } };
    const text = [
      ...communityFeatureChunks(result, {
        geometry: () => ({ type: 'Point', coordinates: [1, 2] }),
        members: { crs },
      }),
    ].join('');
    const expected = communityFeatureCollection(result) as unknown as Record<string, unknown>;
    (expected.features as { geometry: unknown }[])[0]!.geometry = { type: 'Point', coordinates: [1, 2] };
    expect(text).toBe(JSON.stringify({ ...expected, crs }));
  });
});
