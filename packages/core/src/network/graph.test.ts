// Road graph construction from small hand-made networks whose nodes and edges can be counted by eye.
import { describe, expect, it } from 'vitest';
import { collection, line } from '../../test/features.js';
import { haversineM, METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { InputError } from '../validate/problems.js';
import { GRAPH_SECTIONS, RoadGraph } from './graph.js';
import { snapToNetwork } from './snap.js';
import { BACKWARD, FORWARD } from './tags.js';

const O = [106.66, 35.54] as const;
/** The position `x` metres east and `y` metres north of O (local equirectangular, exact enough here). */
const at = (x: number, y: number): [number, number] => [
  O[0] + x / metresPerDegreeLon(O[1]),
  O[1] + y / METRES_PER_DEGREE,
];

/** Sorted [from, to] node-coordinate pairs of every edge, for order-independent comparisons. */
function degreeOf(graph: RoadGraph): number[] {
  const degree = new Array<number>(graph.nodeCount).fill(0);
  for (let e = 0; e < graph.edgeCount; e++) {
    degree[graph.edgeFrom[e]!]!++;
    degree[graph.edgeTo[e]!]!++;
  }
  return degree.sort((a, b) => a - b);
}

describe('RoadGraph.fromGeoJSON: topology', () => {
  it('joins lines at a shared coordinate and cuts a line at a vertex another line ends on', () => {
    // A west–east street with a vertex at 0; a north street ending on that vertex (a T junction);
    // a south street starting there too.
    const { graph, rejected, warnings, stats } = RoadGraph.fromGeoJSON(
      collection([
        line([at(-100, 0), at(0, 0), at(100, 0)]),
        line([at(0, 0), at(0, 100)]),
        line([at(0, -80), at(0, 0)]),
      ]),
    );
    expect(rejected).toEqual([]);
    expect(warnings).toEqual([]);
    expect(graph.nodeCount).toBe(5);
    expect(graph.edgeCount).toBe(4);
    expect(degreeOf(graph)).toEqual([1, 1, 1, 1, 4]);
    expect(graph.componentCount).toBe(1);
    expect(stats).toMatchObject({ features: 3, lines: 3, nodes: 5, edges: 4, components: 1, joinedEnds: 0 });
  });

  it('keeps vertices between junctions inside one edge, with haversine lengths', () => {
    const coords = [at(0, 0), at(30, 10), at(60, -5), at(100, 0)];
    const { graph } = RoadGraph.fromGeoJSON(collection([line(coords)]));
    expect(graph.nodeCount).toBe(2);
    expect(graph.edgeCount).toBe(1);
    let expected = 0;
    for (let k = 1; k < coords.length; k++) {
      expected += haversineM(coords[k - 1]![0], coords[k - 1]![1], coords[k]![0], coords[k]![1]);
    }
    expect(graph.edgeLength[0]).toBeCloseTo(expected, 9);
    expect(graph.edgeCoordinates(0)).toEqual(coords);
    expect(
      Array.from(graph.vertexDistance.slice(graph.edgeVertexStart[0]!, graph.edgeVertexStart[1]!))[3],
    ).toBeCloseTo(expected, 9);
    expect(graph.segmentCount).toBe(3);
  });

  it('does not join lines that cross without a shared coordinate (a bridge over a street)', () => {
    const { graph, warnings } = RoadGraph.fromGeoJSON(
      collection([line([at(-100, 0), at(100, 0)]), line([at(0, -100), at(0, 100)], { bridge: 'yes' })]),
    );
    expect(graph.nodeCount).toBe(4);
    expect(graph.componentCount).toBe(2);
    expect(warnings.map((w) => w.message)).toEqual([
      'the walkable network falls into 2 pieces not joined to each other; the largest holds 50.0% of the street length. Points on a smaller piece reach only what lies on the same piece.',
    ]);
  });

  it('reads each part of a MultiLineString as a line', () => {
    const { graph } = RoadGraph.fromGeoJSON(
      collection([
        {
          type: 'Feature',
          properties: { id: 'M' },
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [at(0, 0), at(100, 0)],
              [at(100, 0), at(100, 100)],
            ],
          },
        },
      ]),
    );
    expect(graph.edgeCount).toBe(2);
    expect(graph.nodeCount).toBe(3);
    expect(Array.from(graph.edgeFeature)).toEqual([0, 0]);
  });

  it('keeps a closed ring as a loop edge on one node', () => {
    const ring = [at(0, 0), at(50, 0), at(50, 50), at(0, 50), at(0, 0)];
    const { graph } = RoadGraph.fromGeoJSON(collection([line(ring)]));
    expect(graph.nodeCount).toBe(1);
    expect(graph.edgeCount).toBe(1);
    expect(graph.edgeFrom[0]).toBe(graph.edgeTo[0]);
    expect(graph.edgeLength[0]).toBeCloseTo(200, 0);
  });
});

describe('RoadGraph.fromGeoJSON: near-misses', () => {
  // A street along y = 0 with a vertex at x = 0; a lane from the north stops `gap` metres short.
  const build = (gap: number, x = 0, joinToleranceM?: number) =>
    RoadGraph.fromGeoJSON(
      collection([
        line([at(-100, 0), at(0, 0), at(100, 0)], { id: 'street' }),
        line([at(x, 100), at(x, gap)], { id: 'lane' }),
      ]),
      joinToleranceM === undefined ? {} : { joinToleranceM },
    );

  it('joins a line end 0.6 m from a vertex to that vertex, with a warning', () => {
    const { graph, warnings, stats } = build(0.6);
    expect(graph.componentCount).toBe(1);
    expect(graph.nodeCount).toBe(4);
    expect(stats.joinedEnds).toBe(1);
    expect(stats.splitSegments).toBe(0);
    expect(warnings).toEqual([
      {
        code: 'network-near-miss',
        file: 'roads',
        field: 'geometry',
        message:
          '1 line end lay within 1 m of another line without touching it and was joined to it (0 mid-segment): #1 (lane)',
      },
    ]);
    // The lane now ends on the street's vertex: its length grew by the 0.6 m gap.
    const lane = [...graph.edgeFeature].indexOf(1);
    expect(graph.edgeLength[lane]).toBeCloseTo(100, 3);
  });

  it('leaves a line end 1.5 m away alone (beyond the 1 m default)', () => {
    const { graph, stats } = build(1.5);
    expect(graph.componentCount).toBe(2);
    expect(stats.joinedEnds).toBe(0);
  });

  it('joins at any tolerance asked for, and only exactly at 0', () => {
    expect(build(1.5, 0, 2).graph.componentCount).toBe(1);
    expect(build(0.2, 0, 0).graph.componentCount).toBe(2);
  });

  it('splits a segment when the line end is near its middle, not near a vertex', () => {
    const { graph, stats } = build(0.5, 40);
    expect(stats.splitSegments).toBe(1);
    expect(graph.componentCount).toBe(1);
    // The street is cut at x = 40 into two edges (-100…40 and 40…100), plus the lane; the vertex
    // at x = 0 stays inside the first edge.
    expect(graph.edgeCount).toBe(3);
    expect(degreeOf(graph)).toEqual([1, 1, 1, 3]);
  });
});

describe('RoadGraph.fromGeoJSON: walkability and direction', () => {
  const roads = collection([
    line([at(0, 0), at(100, 0)], { highway: 'residential' }),
    line([at(100, 0), at(200, 0)], { highway: 'motorway' }),
    line([at(100, 0), at(100, 100)], { highway: 'trunk' }),
    line([at(100, 0), at(100, -100)], { highway: 'trunk', sidewalk: 'both' }),
    line([at(0, 0), at(0, 100)], { highway: 'footway', foot: 'no' }),
    line([at(0, 0), at(0, -100)], { highway: 'service', access: 'no', foot: 'yes' }),
    line([at(0, 0), at(-100, 0)], { highway: 'residential', oneway: 'yes' }),
  ]);

  it('leaves out motorways, trunk roads without a pavement and foot=no', () => {
    const { graph, stats } = RoadGraph.fromGeoJSON(roads);
    expect(stats.notWalkable).toBe(3);
    expect([...graph.edgeFeature].sort()).toEqual([0, 3, 5, 6]);
  });

  it('counts the lines left out by the tag that closes them, with their length', () => {
    const { stats } = RoadGraph.fromGeoJSON(roads);
    // Each closed line is 100 m long (at() places points in metres).
    expect(Object.keys(stats.notWalkableByReason).sort()).toEqual([
      'foot=no',
      'highway=motorway',
      'highway=trunk',
    ]);
    for (const count of Object.values(stats.notWalkableByReason)) {
      expect(count.features).toBe(1);
      expect(count.length_m).toBeCloseTo(100, 0);
    }
  });

  it('names a custom walkable rule as the reason for what it leaves out', () => {
    const { stats } = RoadGraph.fromGeoJSON(roads, { walkable: (p) => p.highway !== 'residential' });
    expect(stats.notWalkableByReason).toEqual({
      'walkable option': { features: 2, length_m: expect.closeTo(200, 0) },
    });
  });

  it('ignores one-way tags by default: walkers use both directions', () => {
    const { graph } = RoadGraph.fromGeoJSON(roads);
    expect(graph.directed).toBe(false);
    expect(graph.reverseOffsets).toBe(graph.offsets);
    expect(graph.target.length).toBe(2 * graph.edgeCount);
  });

  it('honours one-way tags when asked: one arc, reverse adjacency of its own', () => {
    const { graph } = RoadGraph.fromGeoJSON(roads, { oneway: true });
    expect(graph.directed).toBe(true);
    const e = [...graph.edgeFeature].indexOf(6);
    expect(graph.edgeDirection[e]).toBe(FORWARD);
    expect(graph.target.length).toBe(2 * graph.edgeCount - 1);
    expect(graph.reverseSource.length).toBe(2 * graph.edgeCount - 1);
    // The only arc of the one-way edge leaves its start and enters its end.
    const from = graph.edgeFrom[e]!;
    const to = graph.edgeTo[e]!;
    const out = (u: number) => [...graph.arcEdge.slice(graph.offsets[u], graph.offsets[u + 1])];
    const into = (u: number) => [
      ...graph.reverseArcEdge.slice(graph.reverseOffsets[u], graph.reverseOffsets[u + 1]),
    ];
    expect(out(from)).toContain(e);
    expect(out(to)).not.toContain(e);
    expect(into(to)).toContain(e);
    expect(into(from)).not.toContain(e);
    expect(graph.edgeDirection.filter((d) => d === (FORWARD | BACKWARD)).length).toBe(graph.edgeCount - 1);
  });
});

describe('RoadGraph.fromGeoJSON: bad input', () => {
  it('rejects features that are not usable lines, with the reason, and keeps the rest', () => {
    const { graph, rejected } = RoadGraph.fromGeoJSON(
      collection([
        line([at(0, 0), at(100, 0)], { id: 'ok' }),
        { type: 'Feature', properties: { id: 'p' }, geometry: { type: 'Point', coordinates: at(0, 0) } },
        line([at(0, 0), [Number.NaN, 35.54]], { id: 'nan' }),
        line([at(0, 0), at(0, 0)], { id: 'dot' }),
        { type: 'Feature', properties: {}, geometry: null },
        'not a feature',
        line([[35.54, 106.66], at(0, 0)], { id: 'swapped' }),
        {
          type: 'Feature',
          properties: { id: 'multi' },
          geometry: { type: 'MultiLineString', coordinates: [[at(0, 0), at(1, 1)], [at(5, 5)]] },
        },
      ]),
      { file: 'roads.geojson' },
    );
    expect(graph.edgeCount).toBe(1);
    expect(rejected).toEqual([
      {
        file: 'roads.geojson',
        index: 1,
        id: 'p',
        field: 'geometry',
        reason: 'geometry type "Point" is not a road line; expected LineString or MultiLineString',
      },
      {
        file: 'roads.geojson',
        index: 2,
        id: 'nan',
        field: 'geometry',
        reason: expect.stringContaining('line: coordinates must be finite numbers'),
      },
      {
        file: 'roads.geojson',
        index: 3,
        id: 'dot',
        field: 'geometry',
        reason: 'line has 1 distinct position; a line needs 2',
      },
      { file: 'roads.geojson', index: 4, id: null, field: 'geometry', reason: 'missing or null geometry' },
      {
        file: 'roads.geojson',
        index: 5,
        id: null,
        field: 'type',
        reason: 'expected a GeoJSON Feature object',
      },
      {
        file: 'roads.geojson',
        index: 6,
        id: 'swapped',
        field: 'geometry',
        reason:
          'line: [35.54, 106.66] looks swapped: latitude 106.66 is out of range; write positions as [longitude, latitude]',
      },
      {
        file: 'roads.geojson',
        index: 7,
        id: 'multi',
        field: 'geometry',
        reason: 'line 1 has 1 distinct position; a line needs 2',
      },
    ]);
  });

  it('stops with an InputError for input that is not a FeatureCollection or has no walkable line', () => {
    expect(() => RoadGraph.fromGeoJSON([])).toThrowError(
      'roads: expected a GeoJSON FeatureCollection with a "features" array, got an array.',
    );
    expect(() =>
      RoadGraph.fromGeoJSON(collection([line([at(0, 0), at(100, 0)], { highway: 'motorway' })])),
    ).toThrowError(InputError);
    expect(() =>
      RoadGraph.fromGeoJSON(collection([line([at(0, 0), at(100, 0)], { highway: 'motorway' })])),
    ).toThrowError('roads: no walkable line: 1 features, 1 not walkable, 0 rejected.');
  });

  it('throws on a bad option, naming the value', () => {
    expect(() => RoadGraph.fromGeoJSON(collection([]), { joinToleranceM: -1 })).toThrowError(
      'joinToleranceM must be a finite number of metres >= 0, got -1.',
    );
  });

  it('does not mutate its input', () => {
    const roads = collection([
      line([at(-100, 0), at(0, 0), at(100, 0)]),
      line([at(40, 100), at(40, 0.5)]),
      line([at(0, 0), at(0, -100)], { oneway: '-1' }),
    ]);
    const before = structuredClone(roads);
    RoadGraph.fromGeoJSON(roads, { oneway: true });
    expect(roads).toEqual(before);
  });
});

describe('RoadGraph transferable', () => {
  const roads = collection([
    line([at(-100, 0), at(0, 0), at(100, 0)]),
    line([at(0, 0), at(0, 100), at(50, 150)], { oneway: 'yes' }),
    line([at(300, 300), at(400, 300)]),
  ]);

  for (const oneway of [false, true]) {
    it(`round-trips every array and the snapping index (oneway ${oneway})`, () => {
      const { graph } = RoadGraph.fromGeoJSON(roads, { oneway });
      const buffer = graph.toTransferable();
      expect(buffer).toBeInstanceOf(ArrayBuffer);
      const copy = RoadGraph.fromTransferable(structuredClone(buffer));
      // Every section of the one layout table, aliased or not.
      for (const { name: key } of GRAPH_SECTIONS) {
        expect(Array.from(copy[key]), key).toEqual(Array.from(graph[key]));
      }
      expect(copy.componentCount).toBe(2);
      expect(copy.directed).toBe(oneway);
      expect([copy.costUnit, copy.legCostPerM]).toEqual(['m', 1]);
      const point = Float64Array.from([...at(30, 20), ...at(350, 310)]);
      expect(snapToNetwork(copy, point)).toEqual(snapToNetwork(graph, point));
    });
  }

  it('refuses a buffer that is not a road graph', () => {
    expect(() => RoadGraph.fromTransferable(new ArrayBuffer(64))).toThrowError(
      'RoadGraph.fromTransferable: the buffer is not a road graph.',
    );
  });
});
