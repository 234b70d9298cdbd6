// Walking times over terrain and for each walker: hand-worked cases (a uniform slope, a stair
// shortcut, a DEM covering half the network), an independent Dijkstra on seeded networks, and the
// properties issue #14 asks for, checked with fast-check.
import fc from 'fast-check';
import { DirectedGraph } from 'graphology';
import { dijkstra } from 'graphology-shortest-path';
import { describe, expect, it } from 'vitest';
import { collection, line } from '../../test/features.js';
import { seededRandom } from '../../test/reference.js';
import { at, metresPerMinute, O, roadUpSlope, tobler } from '../../test/slope.js';
import { NetworkSource } from '../distance/network-source.js';
import type { Origins } from '../distance/types.js';
import { haversineM, METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { OptionError } from '../validate/problems.js';
import { RoadGraph } from './graph.js';
import {
  ELEVATION_SOURCE,
  type ElevationSampler,
  edgeTerrain,
  networkElevations,
  terrainWarning,
  walkerCosts,
  walkerGraph,
} from './terrain.js';
import { maxSlopeSpeedFactor, parseWalkerProfiles, WalkerSet } from './walkers.js';

const walkers = new WalkerSet();
const adult = walkers.get('adult');
const elderly = walkers.get('elderly');
const pram = walkers.get('pram');

const origins = (points: [number, number][]): Origins => ({
  coords: Float64Array.from(points.flat()),
  owner: Uint32Array.from(points.map((_, i) => i)),
  ownerCount: points.length,
});

describe('a straight road up a uniform slope (hand-worked)', () => {
  // A road due north, 1,200 m long, climbing 8 % all the way.
  const grade = 0.08;
  const { dem, south, north, length, graph } = roadUpSlope(grade);
  const terrain = edgeTerrain(graph, dem);
  // Tobler's speeds scaled to the walker's flat speed: uphill s = 0.08, downhill s = −0.08.
  const up = length / (metresPerMinute(adult.flat_speed_kmh) * (tobler(grade) / tobler(0)));
  const down = length / (metresPerMinute(adult.flat_speed_kmh) * (tobler(-grade) / tobler(0)));

  it('rises 96 m one way and falls 96 m the other', () => {
    expect(terrain.rise[0]).toBeCloseTo(0.08 * length, 6);
    expect(terrain.fall[0]).toBeCloseTo(0, 9);
    expect(terrain.uncovered.edges).toBe(0);
  });

  it('takes Tobler’s time each way, to 0.1 %', () => {
    const costs = walkerCosts(graph, adult, terrain);
    // The edge may have been stored either way round; its forward direction is from edgeFrom.
    const northward =
      graph.nodeCoords[2 * graph.edgeFrom[0]! + 1]! < graph.nodeCoords[2 * graph.edgeTo[0]! + 1]!;
    const [upCost, downCost] = northward
      ? [costs.edgeForwardCost[0]!, costs.edgeBackwardCost[0]!]
      : [costs.edgeBackwardCost[0]!, costs.edgeForwardCost[0]!];
    expect(Math.abs(upCost / up - 1)).toBeLessThan(1e-3);
    expect(Math.abs(downCost / down - 1)).toBeLessThan(1e-3);
    // By hand: 1,200 m ÷ (75 m/min × e^(−3.5·0.08)) = 21.17 min up; ÷ (75 × e^(3.5·0.02)) = 14.92 min down.
    expect(up).toBeCloseTo(21.17, 1);
    expect(down).toBeCloseTo(14.92, 1);
  });

  it('measures the walk from home to the facility: uphill from the bottom, downhill from the top', () => {
    const adultGraph = walkerGraph(graph, adult, terrain);
    const homes = new NetworkSource(adultGraph, origins([south, north]));
    const toTop = homes.reach({ coords: Float64Array.from(north) }, 30);
    const toBottom = homes.reach({ coords: Float64Array.from(south) }, 30);
    expect(homes.costUnit).toBe('min');
    expect(Math.abs(toTop.nearestCost[0]! / up - 1)).toBeLessThan(1e-3);
    expect(Math.abs(toBottom.nearestCost[1]! / down - 1)).toBeLessThan(1e-3);
    // The length of the quickest walk is the road's length, whichever way.
    expect(toTop.nearestLengthM?.[0]).toBeCloseTo(length, 6);
    expect(toBottom.nearestLengthM?.[1]).toBeCloseTo(length, 6);
    // A 15-minute bound holds the walk down but not the walk up.
    const within = homes.reach({ coords: Float64Array.from(north) }, 15);
    expect(within.withinCount[0]).toBe(0);
    expect(homes.reach({ coords: Float64Array.from(south) }, 15).withinCount[1]).toBe(1);
  });

  it('halfway up, the walk to the top takes half the climb (snap positions on a costed edge)', () => {
    const middle = at(0, 600);
    const source = new NetworkSource(walkerGraph(graph, adult, terrain), origins([middle]));
    const reach = source.reach({ coords: Float64Array.from(north) }, 60);
    expect(Math.abs(reach.nearestCost[0]! / (up / 2) - 1)).toBeLessThan(2e-3);
  });
});

describe('a stair shortcut (hand-worked)', () => {
  // Home at A, facility at B, 100 m apart by a flight of steps; the street round is A–C–B, 300 m.
  const A = at(0, 0);
  const B = at(100, 0);
  const C1 = at(0, 100);
  const C2 = at(100, 100);
  const roads = collection([
    line([A, B], { highway: 'steps' }),
    line([A, C1, C2, B], { highway: 'residential' }),
  ]);
  const { graph } = RoadGraph.fromGeoJSON(roads);
  const steps = haversineM(A[0], A[1], B[0], B[1]);
  const street =
    haversineM(A[0], A[1], C1[0], C1[1]) +
    haversineM(C1[0], C1[1], C2[0], C2[1]) +
    haversineM(C2[0], C2[1], B[0], B[1]);
  const nearest = (walker: typeof adult) => {
    const source = new NetworkSource(walkerGraph(graph, walker), origins([A]));
    const reach = source.reach({ coords: Float64Array.from(B) }, 60);
    return { minutes: reach.nearestCost[0]!, metres: reach.nearestLengthM![0]! };
  };

  it('the adult takes the steps (at half speed, still quicker)', () => {
    const { minutes, metres } = nearest(adult);
    expect(minutes).toBeCloseTo(steps / (metresPerMinute(4.5) * 0.5), 9);
    expect(metres).toBeCloseTo(steps, 6);
  });

  it('the pram walks round by the street', () => {
    const { minutes, metres } = nearest(pram);
    expect(minutes).toBeCloseTo(street / metresPerMinute(pram.flat_speed_kmh), 9);
    expect(metres).toBeCloseTo(street, 6);
  });

  it('a pram standing by the steps joins the street, not the steps', () => {
    const source = new NetworkSource(walkerGraph(graph, pram), origins([at(50, 5)]));
    expect(source.originSnap.edge[0]).not.toBe(-1);
    const e = source.originSnap.edge[0]!;
    expect(graph.edgeKind[e]).toBe(0);
  });
});

describe('a DEM covering half the network (hand-worked)', () => {
  // Two streets in a row, west 0…400 m and east 400…800 m; the DEM stops at x = 400 m.
  const west = [at(0, 0), at(400, 0)] as [number, number][];
  const east = [at(400, 0), at(800, 0)] as [number, number][];
  const edge = at(400, 0)[0];
  const dem: ElevationSampler = {
    sample: (lon) => (lon <= edge + 1e-12 ? 1300 + (lon - O[0]) * 1000 : Number.NaN),
    file: 'half.tif',
  };
  const { graph } = RoadGraph.fromGeoJSON(collection([line(west), line(east)]));
  const terrain = edgeTerrain(graph, dem);

  it('says where and how much it does not cover', () => {
    expect(terrain.uncovered.edges).toBe(1);
    expect(terrain.uncovered.lengthM).toBeCloseTo(haversineM(...east[0]!, ...east[1]!), 6);
    const [w, s, e, n] = terrain.uncovered.bbox!;
    expect([w, s, e, n]).toEqual([east[0]![0], east[0]![1], east[1]![0], east[1]![1]]);
    const warning = terrainWarning(terrain, graph);
    expect(warning?.code).toBe('terrain-no-data');
    expect(warning?.file).toBe('half.tif');
    expect(warning?.message).toMatch(/no data along 1 of 2 road edges \(0\.40 km, 50\.0% of the network\)/);
  });

  it('walks the uncovered street as flat and the covered one with its slope', () => {
    const costs = walkerCosts(graph, adult, terrain);
    const flat = metresPerMinute(adult.flat_speed_kmh);
    for (let e = 0; e < graph.edgeCount; e++) {
      const expected = graph.edgeLength[e]! / flat;
      if (terrain.covered[e]) expect(costs.edgeForwardCost[e]).not.toBeCloseTo(costs.edgeBackwardCost[e]!, 3);
      else {
        expect(costs.edgeForwardCost[e]).toBeCloseTo(expected, 9);
        expect(costs.edgeBackwardCost[e]).toBeCloseTo(expected, 9);
      }
    }
  });
});

describe('walker profiles', () => {
  it('an unknown walker name is refused with the known ones', () => {
    expect(() => walkers.get('jogger')).toThrow(OptionError);
    expect(() => walkers.get('jogger')).toThrow(
      "--walker: unknown walker 'jogger'; known walkers: adult, elderly, child, pram, wheelchair (add one with --walker-file).",
    );
  });

  it('facility types default to the people who walk to them', () => {
    expect(walkers.forType('elderly_day_care_center').id).toBe('elderly');
    expect(walkers.forType('nursery_childcare').id).toBe('pram');
    expect(walkers.forType('primary_school').id).toBe('child');
    expect(walkers.forType('fresh_market').id).toBe('adult');
  });

  it('a walker file adds a profile and names what is wrong in a bad one', () => {
    const { walkers: added, problems } = parseWalkerProfiles({
      walkers: [
        { id: 'hiker', flat_speed_kmh: 5.2 },
        { id: 'slow', flat_speed_kmh: -1 },
        { id: 'roller', flat_speed_kmh: 4, steps: 'fly' },
      ],
    });
    expect(added.map((w) => w.id)).toEqual(['hiker']);
    expect(new WalkerSet(added).get('hiker').slope).toBe('tobler');
    expect(problems).toEqual([
      {
        index: 1,
        id: 'slow',
        field: 'flat_speed_kmh',
        reason: 'expected a walking speed in km/h above 0 and at most 20, got -1',
      },
      { index: 2, id: 'roller', field: 'steps', reason: 'expected "impassable" or { "speed_factor": 0.5 }' },
    ]);
  });

  it('every built-in speed is sourced or marked assumed, with a source text', () => {
    for (const walker of walkers.ids.map((id) => walkers.get(id))) {
      expect(['sourced', 'assumed']).toContain(walker.speed_status);
      expect(walker.speed_source.length).toBeGreaterThan(20);
    }
  });
});

// ---- Seeded random towns on a random smooth terrain -------------------------------------------

interface Town {
  readonly roads: ReturnType<typeof collection>;
  readonly nodes: [number, number][];
  readonly links: { a: number; b: number; steps: boolean }[];
  readonly dem: ElevationSampler;
}

/** A jittered grid of straight streets 80 m apart, some of them steps, on hills of up to ~15 %. */
function town(seed: number, side = 8, stepsShare = 0.15): Town {
  const random = seededRandom(seed);
  const nodes: [number, number][] = [];
  for (let k = 0; k < side * side; k++) {
    nodes.push(
      at((k % side) * 80 + (random() - 0.5) * 30, Math.floor(k / side) * 80 + (random() - 0.5) * 30),
    );
  }
  const links: { a: number; b: number; steps: boolean }[] = [];
  for (let k = 0; k < side * side; k++) {
    if (k % side < side - 1 && random() < 0.85) links.push({ a: k, b: k + 1, steps: random() < stepsShare });
    if (k + side < side * side && random() < 0.85)
      links.push({ a: k, b: k + side, steps: random() < stepsShare });
  }
  const amplitude = 5 + random() * 15;
  const wave = 150 + random() * 300;
  const phase = random() * 6;
  const dem: ElevationSampler = {
    sample: (lon, lat) => {
      const x = (lon - O[0]) * metresPerDegreeLon(O[1]);
      const y = (lat - O[1]) * METRES_PER_DEGREE;
      return 1300 + amplitude * Math.sin(x / wave + phase) * Math.cos(y / (wave * 1.3)) + 0.03 * y;
    },
  };
  const roads = collection(
    links.map((l) =>
      line([nodes[l.a]!, nodes[l.b]!], l.steps ? { highway: 'steps' } : { highway: 'footway' }),
    ),
  );
  return { roads, nodes, links, dem };
}

/** Node-to-node minutes by graphology's Dijkstra, each street's time worked out from its end elevations. */
function referenceMinutes(t: Town, walker: typeof adult, from: number, to: number): number {
  const g = new DirectedGraph();
  for (let k = 0; k < t.nodes.length; k++) g.addNode(String(k));
  const flat = metresPerMinute(walker.flat_speed_kmh);
  const addArc = (a: number, b: number, steps: boolean) => {
    const [ax, ay] = t.nodes[a]!;
    const [bx, by] = t.nodes[b]!;
    const length = haversineM(ax, ay, bx, by);
    let minutes: number;
    if (steps) {
      if (walker.steps === 'impassable') return;
      minutes = length / (flat * walker.steps.speed_factor);
    } else {
      const s = (t.dem.sample(bx, by) - t.dem.sample(ax, ay)) / length;
      minutes = length / (flat * (tobler(s) / tobler(0)));
    }
    const key = `${a}>${b}`;
    if (!g.hasEdge(key)) g.addDirectedEdgeWithKey(key, String(a), String(b), { minutes });
  };
  for (const l of t.links) {
    addArc(l.a, l.b, l.steps);
    addArc(l.b, l.a, l.steps);
  }
  const path = dijkstra.bidirectional(g, String(from), String(to), 'minutes');
  if (!path) return Number.POSITIVE_INFINITY;
  let total = 0;
  for (let k = 1; k < path.length; k++) total += g.getEdgeAttribute(`${path[k - 1]}>${path[k]}`, 'minutes');
  return total;
}

describe('walking minutes on seeded towns', () => {
  it('agree node to node with an independent Dijkstra (each street one profile piece)', () => {
    for (const seed of [1, 2, 3]) {
      const t = town(seed);
      const { graph } = RoadGraph.fromGeoJSON(t.roads);
      // A step longer than any street: each straight street is one piece, as in the reference.
      const terrain = edgeTerrain(graph, t.dem, { stepM: 1e6 });
      for (const walker of [adult, elderly, pram]) {
        const source = new NetworkSource(walkerGraph(graph, walker, terrain), origins(t.nodes));
        const random = seededRandom(seed * 7);
        for (let q = 0; q < 5; q++) {
          const target = Math.floor(random() * t.nodes.length);
          const reach = source.reach({ coords: Float64Array.from(t.nodes[target]!) }, 1e9);
          for (let from = 0; from < t.nodes.length; from += 5) {
            const expected = referenceMinutes(t, walker, from, target);
            const got = reach.nearestCost[from]!;
            if (expected === Number.POSITIVE_INFINITY) expect(got).toBe(Number.POSITIVE_INFINITY);
            else expect(Math.abs(got - expected)).toBeLessThan(1e-9 * Math.max(1, expected));
          }
        }
      }
    }
  });

  it('with a flat DEM, times are length ÷ speed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (seed, pick) => {
        const t = town(seed, 6, 0);
        const { graph } = RoadGraph.fromGeoJSON(t.roads);
        const terrain = edgeTerrain(graph, { sample: () => 1400 });
        const homes = origins(t.nodes.map(([x, y], k) => [x + ((k % 3) - 1) * 1e-4, y + 2e-5]));
        const minutes = new NetworkSource(walkerGraph(graph, adult, terrain), homes);
        const metres = new NetworkSource(graph, homes);
        const target = { coords: Float64Array.from(t.nodes[pick % t.nodes.length]!) };
        const a = minutes.reach(target, 10);
        const b = metres.reach(target, 750);
        const flat = metresPerMinute(adult.flat_speed_kmh);
        for (let i = 0; i < t.nodes.length; i++) {
          const m = b.nearestCost[i]!;
          if (m === Number.POSITIVE_INFINITY) expect(a.nearestCost[i]).toBe(Number.POSITIVE_INFINITY);
          else {
            expect(a.nearestCost[i]! * flat).toBeCloseTo(m, 6);
            expect(a.nearestLengthM![i]).toBeCloseTo(m, 6);
          }
        }
        expect(Array.from(a.withinCount)).toEqual(Array.from(b.withinCount));
      }),
      { numRuns: 25 },
    );
  });

  it('an older person’s walk is never quicker than an adult’s; removing steps never shortens a pram’s walk; no walk beats the straight line at the fastest speed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (seed, pick) => {
        const t = town(seed, 7);
        const { graph } = RoadGraph.fromGeoJSON(t.roads);
        const terrain = edgeTerrain(graph, t.dem);
        const random = seededRandom(pick);
        const homes = origins(Array.from({ length: 20 }, () => at(random() * 480, random() * 480)));
        const facility = at(random() * 480, random() * 480);
        const target = { coords: Float64Array.from(facility) };
        const reachOf = (g: RoadGraph) => new NetworkSource(g, homes).reach(target, 12);
        const adultReach = reachOf(walkerGraph(graph, adult, terrain));
        const elderlyReach = reachOf(walkerGraph(graph, elderly, terrain));
        const pramReach = reachOf(walkerGraph(graph, pram, terrain));
        const withoutSteps = t.links.flatMap((l) =>
          l.steps ? [] : [line([t.nodes[l.a]!, t.nodes[l.b]!], { highway: 'footway' })],
        );
        const pramWithout =
          withoutSteps.length > 0
            ? reachOf(
                walkerGraph(
                  RoadGraph.fromGeoJSON(collection(withoutSteps)).graph,
                  pram,
                  edgeTerrain(RoadGraph.fromGeoJSON(collection(withoutSteps)).graph, t.dem),
                ),
              )
            : null;
        for (let i = 0; i < 20; i++) {
          const a = adultReach.nearestCost[i]!;
          const e = elderlyReach.nearestCost[i]!;
          expect(e).toBeGreaterThanOrEqual(a - 1e-9);
          if (pramWithout)
            expect(pramWithout.nearestCost[i]!).toBeGreaterThanOrEqual(pramReach.nearestCost[i]! - 1e-9);
          for (const [reach, walker] of [
            [adultReach, adult],
            [elderlyReach, elderly],
            [pramReach, pram],
          ] as const) {
            const cost = reach.nearestCost[i]!;
            if (cost === Number.POSITIVE_INFINITY) continue;
            const straight = haversineM(
              homes.coords[2 * i]!,
              homes.coords[2 * i + 1]!,
              facility[0],
              facility[1],
            );
            const fastest = metresPerMinute(walker.flat_speed_kmh) * maxSlopeSpeedFactor(walker.slope);
            expect(cost).toBeGreaterThanOrEqual(straight / fastest - 1e-6);
          }
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('a walker graph moves to a worker whole', () => {
  it('round-trips its direction-dependent costs and unit', () => {
    const t = town(5, 5);
    const { graph } = RoadGraph.fromGeoJSON(t.roads);
    const elderlyGraph = walkerGraph(graph, elderly, edgeTerrain(graph, t.dem));
    const copy = RoadGraph.fromTransferable(structuredClone(elderlyGraph.toTransferable()));
    expect([copy.costUnit, copy.legCostPerM]).toEqual(['min', elderlyGraph.legCostPerM]);
    for (const key of [
      'length',
      'reverseLength',
      'edgeForwardCost',
      'edgeBackwardCost',
      'vertexForwardCost',
      'vertexBackwardCost',
      'edgeDirection',
    ] as const) {
      expect(Array.from(copy[key]), key).toEqual(Array.from(elderlyGraph[key]));
    }
    const homes = origins(t.nodes);
    const target = { coords: Float64Array.from(t.nodes[7]!) };
    expect(new NetworkSource(copy, homes).reach(target, 5)).toEqual(
      new NetworkSource(elderlyGraph, homes).reach(target, 5),
    );
  });
});

describe("elevations the network carries itself (3D positions, OSM 'ele')", () => {
  // Two roads of 1,200 m due north, side by side: the west one has z on every position (1350 m at
  // its south end, 1446 m at its north end: 8 %), the east one has none.
  const grade = 0.08;
  const southWest = at(0, 0);
  const northWest: [number, number] = [southWest[0], southWest[1] + 1200 / METRES_PER_DEGREE];
  const southEast = at(500, 0);
  const northEast: [number, number] = [southEast[0], southEast[1] + 1200 / METRES_PER_DEGREE];
  const length = haversineM(southWest[0], southWest[1], northWest[0], northWest[1]);
  const roads = collection([
    {
      ...line([]),
      geometry: {
        type: 'LineString',
        coordinates: [
          [...southWest, 1350],
          [...northWest, 1350 + grade * length],
        ],
      },
    },
    line([southEast, northEast]),
  ]);
  const { graph } = RoadGraph.fromGeoJSON(roads);
  const own = networkElevations(roads)!;
  const westEdge = graph.vertexCoords[2 * graph.edgeVertexStart[0]!] === southWest[0] ? 0 : 1;

  it('reads z of the positions, and nothing from a network without any', () => {
    expect(own.positions).toBe(2);
    expect(own.at(northWest[0], northWest[1])).toBeCloseTo(1350 + grade * length, 9);
    expect(Number.isNaN(own.at(southEast[0], southEast[1]))).toBe(true);
    expect(networkElevations(collection([line([southEast, northEast])]))).toBeNull();
    expect(networkElevations({ features: 'not a list' })).toBeNull();
  });

  it('without a DEM the 3D road climbs as its positions say and the other is flat, counted', () => {
    const terrain = edgeTerrain(graph, null, { network: own });
    expect(terrain.sources).toEqual({ network: 1, dem: 0, flat: 1 });
    expect(terrain.edgeSource[westEdge]).toBe(ELEVATION_SOURCE.network);
    expect(terrain.edgeSource[1 - westEdge]).toBe(ELEVATION_SOURCE.flat);
    // Forward is south → north or north → south depending on how the graph stored the edge.
    expect(terrain.rise[westEdge]! + terrain.fall[westEdge]!).toBeCloseTo(grade * length, 6);
    expect(Math.min(terrain.rise[westEdge]!, terrain.fall[westEdge]!)).toBeCloseTo(0, 9);
    const warning = terrainWarning(terrain, graph)!;
    expect(warning.message).toMatch(/^the network carries no elevation along 1 of 2 road edges/);
    // Tobler's time each way on the 3D road, to 0.1 %.
    const costs = walkerCosts(graph, adult, terrain);
    const up = length / (metresPerMinute(adult.flat_speed_kmh) * (tobler(grade) / tobler(0)));
    const down = length / (metresPerMinute(adult.flat_speed_kmh) * (tobler(-grade) / tobler(0)));
    const times = [costs.edgeForwardCost[westEdge]!, costs.edgeBackwardCost[westEdge]!].sort((a, b) => a - b);
    expect(Math.abs(times[0]! - down) / down).toBeLessThan(1e-3);
    expect(Math.abs(times[1]! - up) / up).toBeLessThan(1e-3);
  });

  it("with a DEM the network's own elevations win where they cover an edge; the DEM fills the rest", () => {
    // A DEM flat at 900 m: the 3D road still climbs, the other road is sampled (flat) from the DEM.
    const terrain = edgeTerrain(graph, { sample: () => 900, cellSizeM: 30 }, { network: own });
    expect(terrain.sources).toEqual({ network: 1, dem: 1, flat: 0 });
    expect(terrain.rise[westEdge]! + terrain.fall[westEdge]!).toBeCloseTo(grade * length, 6);
    expect(terrain.rise[1 - westEdge]! + terrain.fall[1 - westEdge]!).toBe(0);
    expect(terrainWarning(terrain, graph)).toBeNull();
  });
});
