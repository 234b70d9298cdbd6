// NetworkSource against an independent shortest-path implementation (graphology's Dijkstra on a
// graph built straight from the generator, with a brute-force snap), and the properties the issue
// asks for, checked with fast-check on seeded random networks.
import fc from 'fast-check';
import { DirectedGraph, UndirectedGraph } from 'graphology';
import { dijkstra } from 'graphology-shortest-path';
import { describe, expect, it, vi } from 'vitest';
import { referenceHaversine, seededRandom } from '../../test/reference.js';
import { haversineM, METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { RoadGraph } from '../network/graph.js';
import { edgeTerrain, walkerGraph } from '../network/terrain.js';
import { WalkerSet } from '../network/walkers.js';
import { NetworkSource } from './network-source.js';
import type { Origins, Targets } from './types.js';

const O = [106.66, 35.54] as const;
const at = (x: number, y: number): [number, number] => [
  O[0] + x / metresPerDegreeLon(O[1]),
  O[1] + y / METRES_PER_DEGREE,
];

interface Line {
  readonly a: number;
  readonly b: number;
  readonly coords: [number, number][];
  readonly oneway: boolean;
}

interface RandomNetwork {
  readonly nodes: [number, number][];
  readonly lines: Line[];
  readonly degree: number[];
}

/**
 * A jittered grid of `count` nodes 60 m apart with most neighbour links, some diagonals, a few
 * longer links, bends in half the lines and (optionally) one-way lines. Lines meet only at nodes.
 */
function randomNetwork(seed: number, count: number, onewayShare = 0): RandomNetwork {
  const random = seededRandom(seed);
  const side = Math.ceil(Math.sqrt(count));
  const nodes: [number, number][] = [];
  for (let k = 0; k < count; k++) {
    const x = (k % side) * 60 + (random() - 0.5) * 40;
    const y = Math.floor(k / side) * 60 + (random() - 0.5) * 40;
    nodes.push(at(x, y));
  }
  const lines: Line[] = [];
  const link = (a: number, b: number) => {
    if (b >= count || a === b) return;
    const [ax, ay] = nodes[a]!;
    const [bx, by] = nodes[b]!;
    const coords: [number, number][] = [[ax, ay]];
    if (random() < 0.5) {
      const bend = (random() - 0.5) * 0.3;
      coords.push([(ax + bx) / 2 - (by - ay) * bend, (ay + by) / 2 + (bx - ax) * bend]);
    }
    coords.push([bx, by]);
    lines.push({ a, b, coords, oneway: random() < onewayShare });
  };
  for (let k = 0; k < count; k++) {
    if (k % side < side - 1 && random() < 0.8) link(k, k + 1);
    if (random() < 0.8) link(k, k + side);
    if (k % side < side - 1 && random() < 0.15) link(k, k + side + 1);
    if (random() < 0.04) link(k, Math.floor(random() * count));
  }
  const degree = new Array<number>(count).fill(0);
  for (const l of lines) {
    degree[l.a]!++;
    degree[l.b]!++;
  }
  return { nodes, lines, degree };
}

const toGeoJSON = (lines: readonly Line[]) => ({
  type: 'FeatureCollection',
  features: lines.map((l, k) => ({
    type: 'Feature',
    properties: { id: `L${k}`, ...(l.oneway ? { oneway: 'yes' } : {}) },
    geometry: { type: 'LineString', coordinates: l.coords },
  })),
});

function polylineLength(coords: readonly [number, number][]): number {
  let total = 0;
  for (let k = 1; k < coords.length; k++) {
    total += referenceHaversine(coords[k - 1]![0], coords[k - 1]![1], coords[k]![0], coords[k]![1]);
  }
  return total;
}

/**
 * Shortest walking distances between generator nodes by graphology's Dijkstra: to a node from every
 * node, by a search from it on the reversed graph.
 */
class Reference {
  private readonly backward: DirectedGraph | UndirectedGraph;
  private readonly cache = new Map<number, Map<number, number>>();
  constructor(network: RandomNetwork, directed: boolean) {
    this.backward = directed ? new DirectedGraph() : new UndirectedGraph();
    for (let k = 0; k < network.nodes.length; k++) this.backward.addNode(String(k));
    const addArc = (u: number, v: number, weight: number) => {
      const g = this.backward;
      const existing = g.edge(String(v), String(u));
      if (existing === undefined) g.addEdge(String(v), String(u), { weight });
      else if (g.getEdgeAttribute(existing, 'weight') > weight)
        g.setEdgeAttribute(existing, 'weight', weight);
    };
    for (const l of network.lines) {
      const weight = polylineLength(l.coords);
      addArc(l.a, l.b, weight);
      if (directed && !l.oneway) addArc(l.b, l.a, weight);
    }
  }

  /** Distance to node `v` from every node that reaches it. */
  to(v: number): Map<number, number> {
    const hit = this.cache.get(v);
    if (hit) return hit;
    const graph = this.backward;
    const paths = dijkstra.singleSource(graph, String(v), 'weight') as Record<string, string[]>;
    const out = new Map<number, number>();
    for (const [node, path] of Object.entries(paths)) {
      let cost = 0;
      for (let k = 1; k < path.length; k++) {
        cost += graph.getEdgeAttribute(graph.edge(path[k - 1]!, path[k]!)!, 'weight') as number;
      }
      out.set(Number(node), cost);
    }
    this.cache.set(v, out);
    return out;
  }
}

/** Brute-force snap: the nearest point of every segment of every line, in the same local frame. */
const snapCache = new WeakMap<RandomNetwork, Map<string, ReturnType<typeof bruteSnapUncached>>>();
function bruteSnap(network: RandomNetwork, lon: number, lat: number) {
  let cache = snapCache.get(network);
  if (!cache) {
    cache = new Map();
    snapCache.set(network, cache);
  }
  const key = `${lon},${lat}`;
  if (!cache.has(key)) cache.set(key, bruteSnapUncached(network, lon, lat));
  return cache.get(key)!;
}

function bruteSnapUncached(network: RandomNetwork, lon: number, lat: number, maxSnapM = 200) {
  const kx = metresPerDegreeLon(lat);
  const ky = METRES_PER_DEGREE;
  let best = { d2: Number.POSITIVE_INFINITY, line: -1, along: 0, foot: [0, 0] as [number, number] };
  network.lines.forEach((l, li) => {
    let prefix = 0;
    for (let k = 1; k < l.coords.length; k++) {
      const [x0, y0] = l.coords[k - 1]!;
      const [x1, y1] = l.coords[k]!;
      const ax = (x0 - lon) * kx;
      const ay = (y0 - lat) * ky;
      const dx = (x1 - x0) * kx;
      const dy = (y1 - y0) * ky;
      const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy)));
      const d2 = (ax + t * dx) ** 2 + (ay + t * dy) ** 2;
      const segment = referenceHaversine(x0, y0, x1, y1);
      if (d2 < best.d2) {
        best = { d2, line: li, along: prefix + t * segment, foot: [x0 + t * (x1 - x0), y0 + t * (y1 - y0)] };
      }
      prefix += segment;
    }
  });
  if (best.d2 > maxSnapM * maxSnapM) return null;
  const line = network.lines[best.line]!;
  return {
    line: best.line,
    along: best.along,
    length: polylineLength(line.coords),
    leg: referenceHaversine(lon, lat, best.foot[0], best.foot[1]),
  };
}

/** Reference walking distance from point p to point q: the snap legs added by hand to graphology's node distances. */
function referenceCost(
  network: RandomNetwork,
  reference: Reference,
  p: [number, number],
  q: [number, number],
): number {
  const sp = bruteSnap(network, p[0], p[1]);
  const sq = bruteSnap(network, q[0], q[1]);
  if (!sp || !sq) return Number.POSITIVE_INFINITY;
  const lp = network.lines[sp.line]!;
  const lq = network.lines[sq.line]!;
  // Leave p's line by either end (against a one-way line is not allowed); enter q's line by either end.
  // A point standing on a line's end node may use the node whatever the line's direction.
  const exits: [number, number][] = [[lp.b, sp.length - sp.along]];
  if (!lp.oneway || sp.along === 0) exits.push([lp.a, sp.along]);
  const entries: [number, number][] = [[lq.a, sq.along]];
  if (!lq.oneway || sq.along === sq.length) entries.push([lq.b, sq.length - sq.along]);
  let best = Number.POSITIVE_INFINITY;
  for (const [v, cv] of entries) {
    const to = reference.to(v);
    for (const [u, cu] of exits) {
      const d = u === v ? 0 : to.get(u);
      if (d !== undefined) best = Math.min(best, cu + d + cv);
    }
  }
  if (sp.line === sq.line) {
    if (sq.along >= sp.along) best = Math.min(best, sq.along - sp.along);
    else if (!lp.oneway) best = Math.min(best, sp.along - sq.along);
  }
  return best + sp.leg + sq.leg;
}

const coordsOf = (points: readonly (readonly [number, number])[]) => Float64Array.from(points.flat());
function originsOf(points: readonly (readonly [number, number])[], perOwner = 3): Origins {
  return {
    coords: coordsOf(points),
    owner: Uint32Array.from(points, (_, i) => Math.floor(i / perOwner)),
    ownerCount: Math.ceil(points.length / perOwner),
  };
}

function randomPoints(random: () => number, network: RandomNetwork, n: number): [number, number][] {
  const side = Math.ceil(Math.sqrt(network.nodes.length));
  return Array.from({ length: n }, () => at(random() * side * 60 - 30, random() * side * 60 - 30));
}

/**
 * Whether `reach`'s counts are `table`'s (within's rows, which test each point on its exact
 * figures): every origin's row length, and every owner's distinct targets over its origins' rows.
 */
function countsAreWithinRows(
  origins: Origins,
  reach: { readonly withinCount: Uint32Array; readonly ownerWithinCount: Uint32Array },
  table: { readonly offsets: ArrayLike<number>; readonly targets: ArrayLike<number> },
): boolean {
  const perOwner = Array.from({ length: origins.ownerCount }, () => new Set<number>());
  for (let i = 0; i < origins.owner.length; i++) {
    const start = table.offsets[i]!;
    const end = table.offsets[i + 1]!;
    if (reach.withinCount[i] !== end - start) return false;
    for (let k = start; k < end; k++) perOwner[origins.owner[i]!]!.add(table.targets[k]!);
  }
  return perOwner.every((set, o) => set.size === reach.ownerWithinCount[o]);
}

const relClose = (actual: number, expected: number, what: string) => {
  if (expected === Number.POSITIVE_INFINITY) expect(actual, what).toBe(Number.POSITIVE_INFINITY);
  else expect(Math.abs(actual - expected), what).toBeLessThanOrEqual(1e-9 * expected + 1e-7);
};

describe('NetworkSource against graphology Dijkstra (500-node seeded networks)', () => {
  for (const [seed, onewayShare] of [
    [1, 0],
    [3, 0.3],
  ] as const) {
    const network = randomNetwork(seed, 500, onewayShare);
    const directed = onewayShare > 0;
    const { graph } = RoadGraph.fromGeoJSON(toGeoJSON(network.lines), {
      joinToleranceM: 0,
      oneway: directed,
    });
    const reference = new Reference(network, directed);
    const random = seededRandom(seed * 7919);
    const used = network.nodes.map((_, k) => k).filter((k) => network.degree[k]! > 0);
    const pick = () => used[Math.floor(random() * used.length)]!;

    it(`node to node (seed ${seed}, ${directed ? 'one-way lines honoured' : 'undirected'})`, () => {
      const originNodes = Array.from({ length: 60 }, pick);
      const targetNodes = Array.from({ length: 8 }, pick);
      const source = new NetworkSource(graph, originsOf(originNodes.map((k) => network.nodes[k]!)));
      const targets: Targets = { coords: coordsOf(targetNodes.map((k) => network.nodes[k]!)) };
      const bound = 400;
      const reach = source.reach(targets, bound);
      const table = source.within(targets, bound);
      originNodes.forEach((o, i) => {
        const costs = targetNodes.map((t) =>
          t === o ? 0 : (reference.to(t).get(o) ?? Number.POSITIVE_INFINITY),
        );
        const min = Math.min(...costs);
        relClose(reach.nearestCost[i]!, min, `nearest of origin ${i}`);
        if (min < Number.POSITIVE_INFINITY)
          relClose(costs[reach.nearestIndex[i]!]!, min, `nearest index of ${i}`);
        else expect(reach.nearestIndex[i]).toBe(-1);
        const inside = costs.flatMap((c, t) => (c <= bound ? [t] : []));
        expect([...table.targets.slice(table.offsets[i], table.offsets[i + 1])], `within of ${i}`).toEqual(
          inside,
        );
        expect(reach.withinCount[i]).toBe(inside.length);
        inside.forEach((t, k) => {
          relClose(table.costs[table.offsets[i]! + k]!, costs[t]!, `cost ${i}→${t}`);
        });
      });
    });

    it(`point to point with snapping (seed ${seed}, ${directed ? 'one-way lines honoured' : 'undirected'})`, () => {
      const points = randomPoints(random, network, 150);
      const facilities = randomPoints(random, network, 10);
      // Two points far outside the network: more than 200 m from every line.
      points.push(at(-2000, -2000), at(5000, 300));
      const source = new NetworkSource(graph, originsOf(points));
      expect([...source.originSnap.unsnapped]).toEqual([150, 151]);
      points.slice(0, 150).forEach((p, i) => {
        relClose(source.originSnap.offsetM[i]!, bruteSnap(network, p[0], p[1])!.leg, `snap leg of ${i}`);
      });
      const reach = source.reach({ coords: coordsOf(facilities) }, 500);
      points.forEach((p, i) => {
        const costs = facilities.map((q) => referenceCost(network, reference, p, q));
        const min = Math.min(...costs);
        relClose(reach.nearestCost[i]!, min, `nearest of ${i}`);
        expect(reach.withinCount[i], `within count of ${i}`).toBe(costs.filter((c) => c <= 500).length);
      });
    });
  }
});

describe('NetworkSource: reporting and options', () => {
  // Two streets that do not meet: a long west–east street and a short island street far north.
  const roads = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: {},
        geometry: { type: 'LineString', coordinates: [at(0, 0), at(1000, 0)] },
      },
      {
        type: 'Feature',
        properties: {},
        geometry: { type: 'LineString', coordinates: [at(0, 900), at(100, 900)] },
      },
    ],
  };
  const { graph } = RoadGraph.fromGeoJSON(roads);
  const origins = originsOf([at(0, 10), at(500, -20), at(300, 450), at(900, 5)], 1);

  it('reports demand points beyond maxSnapM by community and makes them reach nothing', () => {
    const source = new NetworkSource(graph, origins, {
      ownerNames: ['A', 'B', 'C', 'D'],
      file: 'communities',
    });
    expect(source.warnings).toEqual([
      {
        code: 'off-network',
        file: 'communities',
        field: 'geometry',
        message:
          '1 of 4 demand points lie farther than 200 m from every walkable road and reach nothing on foot; they belong to 1 community: C',
      },
    ]);
    const reach = source.reach({ coords: coordsOf([at(600, 0)]) }, 1000);
    expect([...reach.nearestIndex]).toEqual([0, 0, -1, 0]);
    expect(reach.nearestCost[2]).toBe(Number.POSITIVE_INFINITY);
    expect(reach.nearestCost[0]).toBeCloseTo(610, 3);
    expect(reach.nearestCost[1]).toBeCloseTo(120, 3);
    expect([...reach.withinCount]).toEqual([1, 1, 0, 1]);
    expect(new NetworkSource(graph, origins, { maxSnapM: 500 }).originSnap.unsnapped.length).toBe(0);
  });

  it('reports facilities off the network and on a piece no demand point is on', () => {
    const source = new NetworkSource(graph, origins);
    const warnings = source.checkTargets(
      { coords: coordsOf([at(600, 0), at(50, 905), at(3000, 3000)]), ids: ['K1', 'K2', 'K3'] },
      'facilities.geojson',
      'kindergartens',
    );
    expect(warnings.map((w) => w.message)).toEqual([
      // (3000, 3000) is far outside the roads' hull: beyond the extent, not merely off road (#13).
      "1 of 3 kindergartens lie beyond the road network's extent (more than 200 m outside the convex hull of its roads) and serve no one: the network was cut before them, so extend it to count them: K3",
      '1 of 3 kindergartens stand on a piece of road network that no demand point can walk to: K2',
    ]);
  });

  it('caps the nearest search at max(bound, nearestCapM)', () => {
    const source = new NetworkSource(graph, origins, { nearestCapM: 300 });
    const targets = { coords: coordsOf([at(600, 0)]) };
    // Origin 3 is 305 m away: beyond a cap of 300 m.
    expect([...source.reach(targets, 200).nearestIndex]).toEqual([-1, 0, -1, -1]);
    expect([...source.reach(targets, 700).nearestIndex]).toEqual([0, 0, -1, 0]);
    expect(source.nearest(targets, 50).nearestCost[1]).toBe(Number.POSITIVE_INFINITY);
  });

  it('snaps a target set once for repeated searches, and again once its coordinates change in place', () => {
    const source = new NetworkSource(graph, origins);
    const snapped = vi.spyOn(source, 'snapTargets');
    const coords = coordsOf([at(600, 0), at(850, 10)]);
    source.checkTargets({ coords });
    const first = source.reach({ coords }, 1000);
    source.nearest({ coords: coords.slice() }, 400);
    source.within({ coords }, 700);
    expect(snapped).toHaveBeenCalledTimes(1);
    // A snap handed to a caller is the caller's: changing it changes no later search.
    source.snapTargets({ coords }).edge.fill(-1);
    expect(source.reach({ coords }, 1000)).toEqual(first);
    // The same array moved in place: snapped again, and answered as a fresh source answers it.
    coords.set(at(100, 0), 0);
    const moved = source.reach({ coords }, 1000);
    expect(moved).toEqual(new NetworkSource(graph, origins).reach({ coords: coords.slice() }, 1000));
    expect(moved.nearestCost[0]).toBeCloseTo(110, 3);
    // Five other sets in between push the first out of the recent ones.
    for (let k = 0; k < 5; k++) source.reach({ coords: coordsOf([at(100 * k, 0)]) }, 500);
    const calls = snapped.mock.calls.length;
    source.reach({ coords }, 1000);
    expect(snapped).toHaveBeenCalledTimes(calls + 1);
  });

  it('throws on misuse, with the value in the message', () => {
    expect(() => new NetworkSource(graph, { ...origins, ownerCount: 2 })).toThrowError(
      'Origin 2 has owner 2, but ownerCount is 2.',
    );
    expect(() =>
      new NetworkSource(graph, origins).reach({ coords: new Float64Array() }, Number.NaN),
    ).toThrowError('Reach bound must be a number, got NaN.');
  });
});

describe('NetworkSource properties (fast-check, seeded)', () => {
  const settings = { seed: 20240603, numRuns: 12 };

  it('a walking distance is never shorter than the great-circle distance', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const network = randomNetwork(seed, 150);
        const { graph } = RoadGraph.fromGeoJSON(toGeoJSON(network.lines));
        const random = seededRandom(seed);
        const points = randomPoints(random, network, 40);
        const facilities = randomPoints(random, network, 8);
        const table = new NetworkSource(graph, originsOf(points)).within(
          { coords: coordsOf(facilities) },
          Number.POSITIVE_INFINITY,
        );
        for (let i = 0; i < points.length; i++) {
          for (let k = table.offsets[i]!; k < table.offsets[i + 1]!; k++) {
            const q = facilities[table.targets[k]!]!;
            const straight = haversineM(points[i]![0], points[i]![1], q[0], q[1]);
            // A snap position is interpolated linearly in lon/lat along its segment, which can put
            // it a hair (under a millimetre on these 60 m segments) closer than the true path.
            if (table.costs[k]! < straight - 1e-3) return false;
          }
        }
        return true;
      }),
      settings,
    );
  });

  it('adding a street never makes any walk longer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (seed, pickSeed) => {
        const network = randomNetwork(seed, 150);
        const random = seededRandom(pickSeed);
        const used = network.nodes.map((_, k) => k).filter((k) => network.degree[k]! > 0);
        const pick = () => used[Math.floor(random() * used.length)]!;
        // Origins and facilities on nodes, so that the new street cannot change where they snap.
        const points = Array.from({ length: 30 }, () => network.nodes[pick()]!);
        const facilities = { coords: coordsOf(Array.from({ length: 5 }, () => network.nodes[pick()]!)) };
        const a = pick();
        const b = pick();
        const extra: Line = { a, b, coords: [network.nodes[a]!, network.nodes[b]!], oneway: false };
        // Joining near-misses could move a line end by up to a metre; this property is about topology.
        const before = RoadGraph.fromGeoJSON(toGeoJSON(network.lines), { joinToleranceM: 0 }).graph;
        const after = RoadGraph.fromGeoJSON(toGeoJSON([...network.lines, extra]), {
          joinToleranceM: 0,
        }).graph;
        const old = new NetworkSource(before, originsOf(points)).within(facilities, Number.POSITIVE_INFINITY);
        const now = new NetworkSource(after, originsOf(points)).within(facilities, Number.POSITIVE_INFINITY);
        for (let i = 0; i < points.length; i++) {
          const newCost = new Map<number, number>();
          for (let k = now.offsets[i]!; k < now.offsets[i + 1]!; k++)
            newCost.set(now.targets[k]!, now.costs[k]!);
          for (let k = old.offsets[i]!; k < old.offsets[i + 1]!; k++) {
            const c = newCost.get(old.targets[k]!);
            if (c === undefined || c > old.costs[k]! + 1e-9) return false;
          }
        }
        return true;
      }),
      settings,
    );
  });

  it('adding a facility never lowers coverage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 50, max: 800 }), (seed, bound) => {
        const network = randomNetwork(seed, 150);
        const { graph } = RoadGraph.fromGeoJSON(toGeoJSON(network.lines));
        const random = seededRandom(seed + 1);
        const source = new NetworkSource(graph, originsOf(randomPoints(random, network, 60)));
        const facilities = randomPoints(random, network, 6);
        const before = source.reach({ coords: coordsOf(facilities) }, bound);
        const after = source.reach(
          { coords: coordsOf([...facilities, ...randomPoints(random, network, 1)]) },
          bound,
        );
        for (let i = 0; i < 60; i++) {
          if (after.withinCount[i]! < before.withinCount[i]!) return false;
          if (after.nearestCost[i]! > before.nearestCost[i]!) return false;
        }
        for (let o = 0; o < before.ownerWithinCount.length; o++) {
          if (after.ownerWithinCount[o]! < before.ownerWithinCount[o]!) return false;
        }
        return true;
      }),
      settings,
    );
  });

  it('reach agrees with within: counts are row lengths, the nearest is the row minimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 0, max: 900 }),
        fc.boolean(),
        (seed, bound, oneway) => {
          const network = randomNetwork(seed, 150, oneway ? 0.3 : 0);
          const { graph } = RoadGraph.fromGeoJSON(toGeoJSON(network.lines), { oneway });
          const random = seededRandom(seed + 2);
          const origins = originsOf(randomPoints(random, network, 60), 4);
          const source = new NetworkSource(graph, origins);
          const targets = { coords: coordsOf(randomPoints(random, network, 12)) };
          const reach = source.reach(targets, bound);
          const table = source.within(targets, bound);
          const perOwner = Array.from({ length: origins.ownerCount }, () => new Set<number>());
          for (let i = 0; i < 60; i++) {
            const start = table.offsets[i]!;
            const end = table.offsets[i + 1]!;
            if (reach.withinCount[i] !== end - start) return false;
            let min = Number.POSITIVE_INFINITY;
            for (let k = start; k < end; k++) {
              min = Math.min(min, table.costs[k]!);
              perOwner[origins.owner[i]!]!.add(table.targets[k]!);
              if (table.costs[k]! > bound) return false;
            }
            if (end > start) {
              if (Math.abs(reach.nearestCost[i]! - min) > 1e-9) return false;
              const k = [...table.targets.slice(start, end)].indexOf(reach.nearestIndex[i]!);
              if (k < 0 || Math.abs(table.costs[start + k]! - min) > 1e-9) return false;
            } else if (reach.nearestCost[i]! <= bound) return false;
          }
          return perOwner.every((set, o) => set.size === reach.ownerWithinCount[o]);
        },
      ),
      settings,
    );
  });
  it('counts owners by their distinct targets when owners are many, shuffled, and some have no snapped origin', () => {
    // Owners are counted in words of 32 ranks (rankOwners): 40–300 owners in random order over the
    // origins, some owning nothing and some owning only points off the network.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 40, max: 300 }),
        fc.boolean(),
        (seed, bound, ownerCount, oneway) => {
          const network = randomNetwork(seed, 150, oneway ? 0.3 : 0);
          const { graph } = RoadGraph.fromGeoJSON(toGeoJSON(network.lines), { oneway });
          const random = seededRandom(seed + 5);
          const points = [...randomPoints(random, network, 300), at(-5000, -5000), at(9000, 200)];
          const origins: Origins = {
            coords: coordsOf(points),
            owner: Uint32Array.from(points, () => Math.floor(random() * ownerCount)),
            ownerCount,
          };
          const source = new NetworkSource(graph, origins);
          const targets = { coords: coordsOf(randomPoints(random, network, 15)) };
          return countsAreWithinRows(origins, source.reach(targets, bound), source.within(targets, bound));
        },
      ),
      settings,
    );
  });
  it("reach's counts (a Float32 first test near the bound) are within's per-point rows, at any bound", () => {
    // One-way edges, costs in metres or in a walker's minutes over a slope (fractional, and different
    // each way along an edge), origins on nodes (whose first-test keys are NaN), and bounds equal to
    // an origin's exact cost, the cost one step below it, or arbitrary: every origin's count and every
    // owner's count as within's rows (which test each point on its exact figures) give them.
    const adult = new WalkerSet().get('adult');
    const dem = {
      sample: (lon: number, lat: number) => 1300 + 4e4 * (lon - O[0]) + 2e4 * (lat - O[1]),
      cellSizeM: 30,
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('exact', 'below', 'arbitrary'),
        (seed, oneway, minutes, boundKind) => {
          const network = randomNetwork(seed, 120, oneway ? 0.3 : 0);
          const built = RoadGraph.fromGeoJSON(toGeoJSON(network.lines), { oneway }).graph;
          const graph = minutes ? walkerGraph(built, adult, edgeTerrain(built, dem)) : built;
          const random = seededRandom(seed + 3);
          const onNodes = network.nodes.filter(() => random() < 0.1);
          const origins = originsOf([...randomPoints(random, network, 60), ...onNodes], 5);
          const source = new NetworkSource(graph, origins);
          const targets = { coords: coordsOf(randomPoints(random, network, 10)) };
          const wide = source.within(targets, minutes ? 20 : 1500);
          let bound = (minutes ? 20 : 1500) * random();
          if (boundKind !== 'arbitrary' && wide.costs.length > 0) {
            const cost = wide.costs[Math.floor(random() * wide.costs.length)]!;
            bound = boundKind === 'exact' ? cost : cost - cost * Number.EPSILON;
          }
          return countsAreWithinRows(origins, source.reach(targets, bound), source.within(targets, bound));
        },
      ),
      { ...settings, numRuns: 40 },
    );
  });
});
