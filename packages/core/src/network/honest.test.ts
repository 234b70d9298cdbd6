// Issue #13's network figures: the hand-made network-honest town (fixtures/network-honest/README.md
// works every figure out by hand) and fast-check properties of a network cut into pieces.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCoverage } from '../analysis/index.js';
import { NetworkSource, type NetworkSourceOptions } from '../distance/network-source.js';
import { headlineNotes } from '../report/notes.js';
import { RoadGraph } from './graph.js';
import { allowedPieces, parseSnapTo } from './pieces.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../../fixtures/network-honest/${name}`, import.meta.url), 'utf8'));
const input = { communities: fixture('communities.geojson'), facilities: fixture('facilities.geojson') };
const { graph, warnings: graphWarnings } = RoadGraph.fromGeoJSON(fixture('roads.geojson'));

function run(options: NetworkSourceOptions = {}) {
  return analyzeCoverage(input, {
    radii: { kindergarten: 500 },
    distance: (origins) => new NetworkSource(graph, origins, options),
  });
}
const community = (r: ReturnType<typeof run>, id: string) => r.communities.find((c) => c.record.id === id)!;

describe('network-honest town, worked by hand', () => {
  it('warns of a drive-only extract in two pieces', () => {
    expect(graphWarnings.map((w) => w.code)).toEqual(['network-drive-only', 'network-disconnected']);
  });

  it('default (--snap-to min-share=0.01, --snap-cost walk): B passes the 10 m stub over and walks 395 m', () => {
    const r = run();
    const n = r.summary.network!;
    expect(n.snap_to).toBe('min-share=0.01');
    expect(n.snap_cost).toBe('walk');
    expect(n.pieces).toEqual({
      count: 2,
      snap_allowed: 1,
      largest: [
        { length_m: 1500, length_share: 0.9934, demand_share: 0.8571, snap_allowed: true },
        { length_m: 10, length_share: 0.0066, demand_share: 0, snap_allowed: false },
      ],
    });
    expect(n.population_reached).toBe(300);
    expect(n.population_outside).toBe(50);
    expect(n.population_beyond_extent).toBe(50);
    expect(n.small_piece_communities).toBe(0);
    // K2 and K3 lie outside the roads' convex hull widened by 200 m (K3 by 12 m); K4 inside it, 240 m off road.
    expect([n.facilities_beyond_extent, n.facilities_off_road, n.facilities_stranded]).toEqual([2, 1, 0]);
    // A: 20 m leg + 100 m along the road + K1's 10 m leg; B: 190 + 195 + 10.
    expect(community(r, 'A').types.kindergarten!.nearestM).toBeCloseTo(130, 0);
    expect(community(r, 'B').types.kindergarten!.nearestM).toBeCloseTo(395, 0);
    expect(community(r, 'C').types.kindergarten!.nearestM).toBeNull();
    const k = r.summary.types.kindergarten!;
    expect(k.coveredPopulation).toBe(300);
    expect(k.coveredShare).toBe(300 / 350);
    expect(k.coveredShareOfReached).toBe(1);
    expect(r.summary.headlineNotes?.map((x) => x.code)).toEqual(['residents-outside-network']);
    const codes = r.summary.warnings.map((w) => w.code);
    expect(codes).toContain('beyond-network-extent');
    expect(r.summary.warnings.find((w) => w.code === 'beyond-network-extent')!.message).toMatch(
      /2 of 4 kindergarten.*: K2, K3$/,
    );
    expect(
      r.summary.warnings.find((w) => w.code === 'off-network' && w.message.endsWith(': K4')),
    ).toBeDefined();
  });

  it('--snap-to all: B joins the stub, reaches nothing and carries a note', () => {
    const r = run({ snapTo: 'all' });
    const n = r.summary.network!;
    expect(n.pieces.snap_allowed).toBe(2);
    expect(n.population_reached).toBe(300);
    expect(n.small_piece_communities).toBe(1);
    expect(community(r, 'B').networkNote).toContain('0.66 %');
    expect(community(r, 'B').types.kindergarten!.nearestM).toBeNull();
    expect(r.summary.types.kindergarten!.coveredShare).toBe(100 / 350);
    expect(r.summary.types.kindergarten!.coveredShareOfReached).toBe(100 / 300);
  });

  it('--snap-to largest gives the default answer here; --snap-cost free leaves the legs out', () => {
    expect(run({ snapTo: 'largest' }).summary.types).toEqual(run().summary.types);
    const free = run({ snapCost: 'free' });
    expect(free.summary.network!.snap_cost).toBe('free');
    expect(community(free, 'A').types.kindergarten!.nearestM).toBeCloseTo(100, 0);
    expect(community(free, 'B').types.kindergarten!.nearestM).toBeCloseTo(195, 0);
  });
});

describe('parseSnapTo', () => {
  it('reads the three forms and refuses others', () => {
    expect(parseSnapTo('largest')).toBe('largest');
    expect(parseSnapTo('all')).toBe('all');
    expect(parseSnapTo('min-share=0.05')).toEqual({ minShare: 0.05 });
    expect(parseSnapTo('min-share=5%')).toEqual({ minShare: 0.05 });
    expect(() => parseSnapTo('min-share=2')).toThrow(/between 0 and 1/);
    expect(() => parseSnapTo('biggest')).toThrow(/largest, all or min-share/);
  });
});

// A road of `pieces` east–west segments, each 100·(k+1) m long, 300 m apart north to south; one
// demand point 50 m north of each piece's middle and a facility on each piece's west end.
function cutNetwork(pieces: number) {
  const kx = 111_195 * Math.cos((30 * Math.PI) / 180);
  const at = (x: number, y: number) => [120 + x / kx, 30 + y / 111_195];
  const roads = [];
  const communities = [];
  const facilities = [];
  for (let k = 0; k < pieces; k++) {
    const length = 100 * (k + 1);
    roads.push({
      type: 'Feature',
      properties: { highway: 'footway' },
      geometry: { type: 'LineString', coordinates: [at(0, 300 * k), at(length, 300 * k)] },
    });
    communities.push({
      type: 'Feature',
      properties: { id: `c${k}`, population: 10 + k },
      geometry: { type: 'Point', coordinates: at(length / 2, 300 * k + 50) },
    });
    facilities.push({
      type: 'Feature',
      properties: { id: `f${k}`, type: 'kindergarten' },
      geometry: { type: 'Point', coordinates: at(0, 300 * k) },
    });
  }
  return {
    roads: { type: 'FeatureCollection', features: roads },
    input: {
      communities: { type: 'FeatureCollection', features: communities },
      facilities: { type: 'FeatureCollection', features: facilities },
    },
  };
}

describe('a network cut into pieces (properties)', () => {
  const rule = fc.oneof(
    fc.constant('largest' as const),
    fc.constant('all' as const),
    fc.double({ min: 0, max: 0.6, noNaN: true }).map((minShare) => ({ minShare })),
  );

  it('a community is reached exactly when its piece is allowed by --snap-to, and the figures add up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), rule, (pieces, snapTo) => {
        const { roads, input: cut } = cutNetwork(pieces);
        const g = RoadGraph.fromGeoJSON(roads).graph;
        const lengths = Float64Array.from({ length: pieces }, (_, k) => 100 * (k + 1));
        const total = lengths.reduce((a, b) => a + b, 0);
        // The rule as documented, worked out without the code under test: the largest piece always,
        // every piece with `all`, and the pieces holding at least minShare of the length.
        const expected = Array.from(
          { length: pieces },
          (_, k) =>
            snapTo === 'all' ||
            k === pieces - 1 ||
            (typeof snapTo === 'object' && lengths[k]! / total >= snapTo.minShare),
        );
        const r = analyzeCoverage(cut, {
          radii: { kindergarten: 5000 },
          distance: (origins) => new NetworkSource(g, origins, { snapTo, maxSnapM: 100 }),
        });
        const n = r.summary.network!;
        r.communities.forEach((c, k) => {
          expect(c.types.kindergarten!.nearestM !== null).toBe(expected[k]);
        });
        expect(n.pieces.snap_allowed).toBe(expected.filter(Boolean).length);
        expect(n.population_reached + n.population_outside).toBeCloseTo(r.summary.population, 6);
        const t = r.summary.types.kindergarten!;
        expect(t.coveredShare!).toBeLessThanOrEqual(t.coveredShareOfReached ?? 1);
        expect(headlineNotes(r.summary).length > 0).toBe(n.population_outside > 0);
      }),
      { numRuns: 60 },
    );
  });

  it('allowedPieces keeps the largest piece under every rule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 20 }),
        rule,
        (lengths, snapTo) => {
          const allowed = allowedPieces(Float64Array.from(lengths), snapTo);
          const largest = lengths.indexOf(Math.max(...lengths));
          expect(allowed[largest]).toBe(1);
        },
      ),
    );
  });
});
