// lost_to_terrain by hand: three point communities 0, 200 and 400 m (east, about) from one
// kindergarten. The "flat" analysis reaches 300 m, the "walked" one 100 m (a slow walker, or a hill):
// only the community at 200 m is served flat and lost walking; the one at 400 m was never served.
import { describe, expect, it } from 'vitest';
import { analyzeCoverage, communityFeatureCollection, GreatCircleSource } from '../index.js';
import { lostToTerrain, lostToTerrainOfRun, terrainLossOf, withTerrainLoss } from './terrain-loss.js';

const metresEast = (m: number): [number, number] => [106.66 + m / 90_600, 35.54];
const point = (coordinates: [number, number], properties: Record<string, unknown>) => ({
  type: 'Feature' as const,
  properties,
  geometry: { type: 'Point' as const, coordinates },
});
const input = {
  communities: {
    type: 'FeatureCollection',
    features: [0, 200, 400].map((m) => point(metresEast(m), { id: `C${m}`, population: 1000 + m })),
  },
  facilities: {
    type: 'FeatureCollection',
    features: [point(metresEast(0), { id: 'K', type: 'kindergarten' })],
  },
};

describe('lostToTerrain', () => {
  const flat = analyzeCoverage(input, { types: ['kindergarten'], radii: { kindergarten: 300 } });
  const walked = analyzeCoverage(input, { types: ['kindergarten'], radii: { kindergarten: 100 } });

  it('names the communities served flat and not walked, with their residents', () => {
    const loss = lostToTerrain(flat, walked).kindergarten!;
    expect(loss.ids).toEqual(['C200']);
    expect(loss.communities).toBe(1);
    expect(loss.residents).toBe(1200);
    expect([...loss.lost]).toEqual([0, 1, 0]);
  });

  it('counts no community the walk gains', () => {
    expect(lostToTerrain(walked, flat).kindergarten!.communities).toBe(0);
  });

  it('flags each community per type in communities.geojson', () => {
    const marked = withTerrainLoss(walked, lostToTerrain(flat, walked));
    const flags = communityFeatureCollection(marked).features.map(
      (f) => f.properties?.kindergarten_lost_to_terrain,
    );
    expect(flags).toEqual([false, true, false]);
    // Without a comparison there is no flag.
    expect(communityFeatureCollection(walked).features[0]!.properties).not.toHaveProperty(
      'kindergarten_lost_to_terrain',
    );
  });

  it('refuses analyses of different communities', () => {
    const fewer = analyzeCoverage(
      { ...input, communities: { ...input.communities, features: input.communities.features.slice(1) } },
      { types: ['kindergarten'] },
    );
    expect(() => lostToTerrain(flat, fewer)).toThrow(/same communities, got 3 and 2/);
  });

  it('runs the flat walk itself from the walked run (as check, monitor and site do)', () => {
    const losses = lostToTerrainOfRun(
      walked,
      input,
      {},
      {
        distance: (origins) => new GreatCircleSource(origins),
        radii: { kindergarten: 300 },
      },
    );
    expect(losses).toEqual(lostToTerrain(flat, walked));
  });
});

describe('terrainLossOf', () => {
  it('counts a community with no gap flat and a gap walked, never one with a gap on both walks', () => {
    const loss = terrainLossOf([0, 0, 1, false], [1, 0, 1, true], [120, 80, 50, 10], ['A', 'B', 'C', 'D']);
    expect(loss.ids).toEqual(['A', 'D']);
    expect(loss.residents).toBe(130);
    expect([...loss.lost]).toEqual([1, 0, 0, 1]);
    expect(() => terrainLossOf([0], [0, 1], [1, 1], ['A', 'B'])).toThrow(/same communities/);
  });
});
