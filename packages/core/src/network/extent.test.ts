// The network's extent (issue #13): the convex hull of its nodes widened by the snapping limit,
// checked on hand-worked shapes and against an independent hull and distance in local metres.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeCoverage } from '../analysis/index.js';
import { checkStandards } from '../compliance/check.js';
import { NetworkSource } from '../distance/network-source.js';
import { RoadGraph } from './graph.js';
import { networkExtent } from './pieces.js';

// Metres east (x) and north (y) of 120 E, 30 N, converted at that latitude (as the fixtures do).
const KX = 111_195 * Math.cos((30 * Math.PI) / 180);
const KY = 111_195;
const at = (x: number, y: number): [number, number] => [120 + x / KX, 30 + y / KY];
const road = (...points: [number, number][]) => ({
  type: 'Feature',
  properties: { highway: 'footway' },
  geometry: { type: 'LineString', coordinates: points.map(([x, y]) => at(x, y)) },
});
const graphOf = (...roads: ReturnType<typeof road>[]) =>
  RoadGraph.fromGeoJSON({ type: 'FeatureCollection', features: roads }).graph;
const inside = (test: (lon: number, lat: number) => boolean, x: number, y: number) => test(...at(x, y));

describe('networkExtent', () => {
  it('leaves out the empty corner of an L-shaped extract that its box would count', () => {
    // Roads along x = 0 and y = 0, 1,000 m each: the hull is the triangle (0,0), (1000,0), (0,1000).
    const extent = networkExtent(graphOf(road([1000, 0], [0, 0], [0, 1000])), 200);
    expect(inside(extent, 400, 400)).toBe(true); // inside the triangle, 400 m from either road
    // (900, 900) lies (1800 − 1000) / √2 = 566 m beyond the hull's long edge, inside the box.
    expect(inside(extent, 900, 900)).toBe(false);
    // 150 m past the hull's long edge (x + y = 1000 + 150·√2): within the 200 m margin.
    expect(inside(extent, 500 + 106, 500 + 106)).toBe(true);
    expect(inside(extent, 500 + 150, 500 + 150)).toBe(false); // 212 m past it
    expect(inside(extent, -190, 500)).toBe(true);
    expect(inside(extent, -210, 500)).toBe(false);
  });

  it('widens a straight road, which has no hull, by the margin on every side', () => {
    const extent = networkExtent(graphOf(road([0, 0], [500, 0], [1000, 0])), 200);
    expect(inside(extent, 500, 190)).toBe(true);
    expect(inside(extent, 500, -210)).toBe(false);
    expect(inside(extent, 1190, 0)).toBe(true);
    expect(inside(extent, 1210, 0)).toBe(false);
  });
});

// --- An independent reference: Andrew's monotone chain and point-to-polygon distance in metres. ---
type XY = readonly [number, number];
const cross = (o: XY, a: XY, b: XY) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
function hullOf(points: readonly XY[]): XY[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const half = (list: readonly XY[]) => {
    const h: XY[] = [];
    for (const p of list) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p) <= 0) h.pop();
      h.push(p);
    }
    h.pop();
    return h;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}
function segmentDistance(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = dx === 0 && dy === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy);
  const u = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - a[0] - u * dx, p[1] - a[1] - u * dy);
}
/** Metres from p to the hull (0 inside it). */
function hullDistance(hull: readonly XY[], p: XY): number {
  if (hull.length === 1) return Math.hypot(p[0] - hull[0]![0], p[1] - hull[0]![1]);
  if (hull.length >= 3 && hull.every((a, i) => cross(a, hull[(i + 1) % hull.length]!, p) >= 0)) return 0;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < hull.length; i++)
    best = Math.min(best, segmentDistance(p, hull[i]!, hull[(i + 1) % hull.length]!));
  return best;
}

const xy = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }));
const segment = fc.tuple(xy, xy).filter(([a, b]) => a[0] !== b[0] || a[1] !== b[1]);
const MARGIN_M = 200;
// Turf's buffer draws corners with 8 steps per quarter circle: its arc lies up to 200·(1 − cos(π/16))
// = 3.9 m inside the true one, and the metre conversion differs from Turf's projection by less than
// a metre over 3 km. Points nearer the edge than this are not judged.
const SLACK_M = 8;

describe('the network extent and the figures resting on it (properties on random networks)', () => {
  it('is the convex hull widened by the margin, as an independent hull says', () => {
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        fc.array(xy, { maxLength: 20 }),
        (roads, probes) => {
          const extent = networkExtent(graphOf(...roads.map(([a, b]) => road(a, b))), MARGIN_M);
          const hull = hullOf(roads.flat());
          for (const p of probes.map(([x, y]) => [x * 1.5 - 750, y * 1.5 - 750] as XY)) {
            const d = hullDistance(hull, p);
            if (Math.abs(d - MARGIN_M) < SLACK_M) continue;
            expect(inside(extent, p[0], p[1])).toBe(d < MARGIN_M);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('per type: reached + outside = all, beyond ≤ outside, covered of all ≤ covered of reached', () => {
    const community = ([x, y]: XY, k: number, population: number) => ({
      type: 'Feature',
      properties: { id: `c${k}`, population },
      geometry: { type: 'Point', coordinates: at(x * 1.5 - 750, y * 1.5 - 750) },
    });
    const facility = ([x, y]: XY, k: number, type: string) => ({
      type: 'Feature',
      properties: { id: `f${k}`, type },
      geometry: { type: 'Point', coordinates: at(x * 1.5 - 750, y * 1.5 - 750) },
    });
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(xy, fc.integer({ min: 1, max: 500 })), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(xy, fc.constantFrom('kindergarten', 'elderly_service_station')), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 100, max: 2000 }),
        (roads, places, sites, radius) => {
          const graph = graphOf(...roads.map(([a, b]) => road(a, b)));
          const input = {
            communities: {
              type: 'FeatureCollection',
              features: places.map(([p, population], k) => community(p, k, population)),
            },
            facilities: {
              type: 'FeatureCollection',
              features: sites.map(([p, type], k) => facility(p, k, type)),
            },
          };
          const distance = (origins: ConstructorParameters<typeof NetworkSource>[1]) =>
            new NetworkSource(graph, origins, { snapTo: 'all' });
          const radii = { kindergarten: radius, elderly_service_station: radius };
          const r = analyzeCoverage(input, { radii, distance });
          const n = r.summary.network!;
          // Rounded to 0.1 each: the two add up to the rounded population exactly.
          expect(n.population_reached + n.population_outside).toBeCloseTo(r.summary.population, 6);
          expect(n.population_beyond_extent).toBeLessThanOrEqual(n.population_outside);
          for (const t of Object.values(r.summary.types)) {
            expect(t.coveredPopulation).toBeLessThanOrEqual(n.population_reached + 0.05);
            if (t.coveredShare !== null && t.coveredShareOfReached != null) {
              expect(t.coveredShare).toBeLessThanOrEqual(t.coveredShareOfReached);
            }
          }
          // Reached, by an independent reference: with snapTo 'all', a point is reached exactly when a
          // road lies within the 200 m snapping limit (points within the slack of it not judged).
          places.forEach(([[x, y]], k) => {
            const p: XY = [x * 1.5 - 750, y * 1.5 - 750];
            const d = Math.min(...roads.map(([a, b]) => segmentDistance(p, a, b)));
            if (Math.abs(d - MARGIN_M) < SLACK_M) return;
            expect(r.reachedPopulation![k]! > 0).toBe(d < MARGIN_M);
          });
          const checked = checkStandards(input, 'complete-community', { radii, distance });
          for (const item of ['kindergarten', 'elderly_service_station']) {
            const s = checked.city.requirements[item]!;
            if (s.coveredShare != null && s.coveredShareOfReached != null) {
              expect(s.coveredShare).toBeLessThanOrEqual(s.coveredShareOfReached + 1e-12);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
