import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/reference.js';
import { NetworkSource } from '../distance/network-source.js';
import { haversineM, METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { catchmentStreets, catchments } from './catchments.js';
import { RoadGraph } from './graph.js';

const O = [106.66, 35.54] as const;
const kx = metresPerDegreeLon(O[1]);
const at = (x: number, y: number): [number, number] => [O[0] + x / kx, O[1] + y / METRES_PER_DEGREE];
/** Local metres of a position (inverse of `at`). */
const metres = (p: Position): [number, number] => [(p[0]! - O[0]) * kx, (p[1]! - O[1]) * METRES_PER_DEGREE];
const roadsOf = (lines: [number, number][][], props: Record<string, unknown>[] = []) => ({
  type: 'FeatureCollection',
  features: lines.map((coordinates, k) => ({
    type: 'Feature',
    properties: props[k] ?? {},
    geometry: { type: 'LineString', coordinates },
  })),
});
const targetsOf = (points: [number, number][], ids?: string[]) => ({
  coords: Float64Array.from(points.flat()),
  ...(ids ? { ids } : {}),
});
/** [start, end] x-extents in metres of each line of a MultiLineString along the x axis. */
const extents = (f: Feature<MultiLineString>) =>
  f.geometry.coordinates
    .map((line) => line.map((p) => metres(p)[0]))
    .map((xs) => [Math.min(...xs), Math.max(...xs)].map((x) => Math.round(x * 1000) / 1000))
    .sort((a, b) => a[0]! - b[0]!);
const inside = (f: Feature<Polygon | MultiPolygon>, p: [number, number]) => booleanPointInPolygon(p, f);

describe('catchmentStreets: the reached streets, cut at the exact remaining distance', () => {
  // One street along y = 0 from x = 0 to 1,000 m.
  const { graph } = RoadGraph.fromGeoJSON(roadsOf([[at(0, 0), at(250, 0), at(1000, 0)]]));

  it('cuts a street at the remaining distance on both sides of a facility (10 m off the street)', () => {
    const fc = catchmentStreets(graph, targetsOf([at(300, 10)], ['K']), 400);
    expect(fc.features).toHaveLength(1);
    const f = fc.features[0]!;
    // 10 m leg, then 390 m either way: x from 0 (the street's end) to 690.
    expect(extents(f)).toEqual([[0, 690]]);
    expect(f.properties).toEqual({
      facility_id: 'K',
      facility_index: 0,
      type: null,
      mode: 'per-facility',
      bound_m: 400,
      buffer_m: 25,
      facilities: 1,
      street_m: expect.closeTo(690, 6),
    });
  });

  it('dissolves overlapping reaches into their union and splits them at the midpoint for nearest', () => {
    const targets = targetsOf([at(200, 0), at(700, 0)], ['A', 'B']);
    const per = catchmentStreets(graph, targets, 300);
    expect(per.features.map(extents)).toEqual([[[0, 500]], [[400, 1000]]]);
    const dissolved = catchmentStreets(graph, targets, 300, { mode: 'dissolved', type: 'clinic' });
    expect(dissolved.features.map(extents)).toEqual([[[0, 1000]]]);
    expect(dissolved.features[0]!.properties).toMatchObject({
      facility_id: null,
      facilities: 2,
      type: 'clinic',
    });
    const nearest = catchmentStreets(graph, targets, 300, { mode: 'nearest' });
    expect(nearest.features.map(extents)).toEqual([[[0, 450]], [[450, 1000]]]);
    expect(nearest.features.map((f) => f.properties.facility_id)).toEqual(['A', 'B']);
  });

  it('follows one-way streets when the graph honours them', () => {
    const oneway = RoadGraph.fromGeoJSON(roadsOf([[at(0, 0), at(1000, 0)]], [{ oneway: 'yes' }]), {
      oneway: true,
    }).graph;
    // Walking towards the facility is allowed only eastwards: places west of it reach it.
    const fc = catchmentStreets(oneway, targetsOf([at(500, 0)]), 200);
    expect(fc.features.map(extents)).toEqual([[[300, 500]]]);
  });

  it('leaves out facilities off the network and throws on bad options', () => {
    expect(catchmentStreets(graph, targetsOf([at(500, 900)]), 300).features).toEqual([]);
    expect(() => catchments(graph, targetsOf([at(0, 0)]), 300, { mode: 'nope' as 'nearest' })).toThrowError(
      'Catchment mode must be one of: per-facility, dissolved, nearest; got nope.',
    );
    expect(() => catchments(graph, targetsOf([at(0, 0)]), -1)).toThrowError(
      'Catchment bound must be a finite number of metres >= 0, got -1.',
    );
    expect(() =>
      catchments(graph, targetsOf([at(0, 0)]), 300, { mode: 'nearest', shape: 'buffer' }),
    ).toThrowError(
      "Nearest catchments are drawn on a grid (buffers of neighbouring facilities overlap); use shape 'grid'.",
    );
  });
});

/** A small jittered grid of streets with some links missing, as GeoJSON, and a river of missing links. */
function town(seed: number) {
  const random = seededRandom(seed);
  const lines: [number, number][][] = [];
  const node = (c: number, r: number) => at(c * 120 + (random() - 0.5) * 30, r * 120 + (random() - 0.5) * 30);
  const nodes = Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, c) => node(c, r)));
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 8; c++) {
      if (c < 7 && random() < 0.85) lines.push([nodes[r]![c]!, nodes[r]![c + 1]!]);
      // A river between rows 3 and 4 with one bridge at column 5.
      if (r < 7 && (r !== 3 || c === 5) && random() < 0.9) lines.push([nodes[r]![c]!, nodes[r + 1]![c]!]);
    }
  }
  return { graph: RoadGraph.fromGeoJSON(roadsOf(lines)).graph, random };
}

/** Distance in metres from a point to the nearest line of a MultiLineString (local frame, brute force). */
function distanceToLines(p: [number, number], lines: readonly Position[][]): number {
  const [px, py] = metres(p);
  let best = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    for (let k = 0; k + 1 < line.length; k++) {
      const [ax, ay] = metres(line[k]!);
      const [bx, by] = metres(line[k + 1]!);
      const dx = bx - ax;
      const dy = by - ay;
      const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
      best = Math.min(best, Math.hypot(ax + t * dx - px, ay + t * dy - py));
    }
  }
  return best;
}

describe('catchments: shapes hold every reached street and no unreachable place', () => {
  for (const seed of [11]) {
    const { graph, random } = town(seed);
    const facilities = targetsOf([at(200, 200), at(600, 250), at(350, 700)], ['K1', 'K2', 'K3']);
    const bound = 300;
    const bufferM = 25;
    const cellM = 5;
    const reach = (p: [number, number]) =>
      new NetworkSource(graph, {
        coords: Float64Array.from(p),
        owner: Uint32Array.of(0),
        ownerCount: 1,
      }).within(facilities, bound + 5);

    it(`per-facility shapes (seed ${seed}): reached street points inside, far places outside`, () => {
      const shapes = catchments(graph, facilities, bound, { bufferM, cellM });
      const streets = catchmentStreets(graph, facilities, bound);
      expect(shapes.features.map((f) => f.properties.facility_id)).toEqual(['K1', 'K2', 'K3']);
      // Points along every edge: each one the network says is within the bound of a facility is
      // inside that facility's shape.
      let checked = 0;
      for (let e = 0; e < graph.edgeCount; e++) {
        const coords = graph.edgeCoordinates(e);
        for (let k = 1; k < 8; k++) {
          const t = k / 8;
          const p: [number, number] = [
            coords[0]![0] + t * (coords[1]![0] - coords[0]![0]),
            coords[0]![1] + t * (coords[1]![1] - coords[0]![1]),
          ];
          const table = reach(p);
          for (let j = table.offsets[0]!; j < table.offsets[1]!; j++) {
            if (table.costs[j]! > bound - 0.5) continue;
            const label = table.targets[j]!;
            const shape = shapes.features.find((f) => f.properties.facility_index === label)!;
            expect(inside(shape, p), `street point on edge ${e} reached by ${label}`).toBe(true);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(50);
      // Random places: farther than the buffer (plus half a cell diagonal) from every reached street
      // means outside; well within the buffer means inside.
      for (let s = 0; s < 400; s++) {
        const p = at(random() * 900 - 50, random() * 900 - 50);
        shapes.features.forEach((shape, i) => {
          const d = distanceToLines(p, streets.features[i]!.geometry.coordinates);
          if (d > bufferM + cellM) expect(inside(shape, p), `place ${p} at ${d} m`).toBe(false);
          if (d < bufferM - cellM) expect(inside(shape, p), `place ${p} at ${d} m`).toBe(true);
        });
      }
    });

    it(`nearest shapes (seed ${seed}) never overlap and cover what the dissolved shape covers`, () => {
      const nearest = catchments(graph, facilities, bound, { mode: 'nearest', bufferM, cellM });
      const dissolved = catchments(graph, facilities, bound, { mode: 'dissolved', bufferM, cellM });
      expect(dissolved.features).toHaveLength(1);
      for (let s = 0; s < 1500; s++) {
        const p = at(random() * 900 - 50, random() * 900 - 50);
        const owners = nearest.features.filter((f) => inside(f, p)).length;
        expect(owners).toBeLessThanOrEqual(1);
        expect(owners).toBe(inside(dissolved.features[0]!, p) ? 1 : 0);
      }
    });
  }

  it('draws smooth @turf/buffer shapes on request, holding the reached streets', () => {
    const { graph } = RoadGraph.fromGeoJSON(
      roadsOf([
        [at(0, 0), at(1000, 0)],
        [at(500, 0), at(500, 400)],
      ]),
    );
    const [shape] = catchments(graph, targetsOf([at(480, 5)]), 300, { shape: 'buffer' }).features;
    expect(shape!.geometry.type).toBe('Polygon');
    for (const [x, y, expected] of [
      [190, 0, true],
      [770, 0, true],
      [500, 270, true],
      [500, 300, true], // 3.6 m past the end of the reached street, inside its round cap
      [500, 340, false],
      [150, 0, false],
      [400, 24, true],
      [400, 27, false],
    ] as const) {
      expect(inside(shape!, at(x, y)), `(${x}, ${y})`).toBe(expected);
    }
  });

  it('does not depend on where a facility lies along the list, and does not mutate its input', () => {
    const { graph } = town(5);
    const facilities = targetsOf([at(200, 200), at(600, 250)], ['a', 'b']);
    const copy = structuredClone(facilities);
    const one = catchments(graph, facilities, 250, { mode: 'nearest' });
    expect(facilities).toEqual(copy);
    const swapped = catchments(graph, targetsOf([at(600, 250), at(200, 200)], ['b', 'a']), 250, {
      mode: 'nearest',
    });
    const byId = (fc: typeof one) =>
      Object.fromEntries(fc.features.map((f) => [f.properties.facility_id, f.geometry]));
    expect(byId(swapped)).toEqual(byId(one));
    // Sanity: the shapes' extent is the walk plus the buffer, not more.
    for (const f of one.features) {
      const ring = (
        f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0]![0]
      )!;
      const centre = f.properties.facility_id === 'a' ? at(200, 200) : at(600, 250);
      for (const p of ring)
        expect(haversineM(centre[0], centre[1], p[0]!, p[1]!)).toBeLessThan(250 + 25 + 60);
    }
  });
});
