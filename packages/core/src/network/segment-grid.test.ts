// Snapping through the segment grid against a scan of every segment: the same nearest segment,
// position and leg, on random networks of short, long, diagonal and axis-parallel roads.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collection, line } from '../../test/features.js';
import { seedArb, seededRandom } from '../../test/reference.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { RoadGraph } from './graph.js';
import { segmentGrid } from './segment-grid.js';
import { projectOntoSegment, snapToNetwork } from './snap.js';

const O = [106.66, 35.54] as const;
const at = (x: number, y: number): [number, number] => [
  O[0] + x / metresPerDegreeLon(O[1]),
  O[1] + y / METRES_PER_DEGREE,
];

// Roads over a box of `sizeM`: most a few dozen metres long, some crossing the whole box (diagonal,
// east–west, north–south), a few steps (not walkable, so never snapped onto).
function randomRoads(random: () => number, count: number, sizeM: number) {
  const roads = [];
  for (let k = 0; k < count; k++) {
    const x = random() * sizeM;
    const y = random() * sizeM;
    const kind = random();
    let end: [number, number];
    if (kind < 0.1) end = [random() * sizeM, random() * sizeM];
    else if (kind < 0.15) end = [x + sizeM * (random() - 0.5), y];
    else if (kind < 0.2) end = [x, y + sizeM * (random() - 0.5)];
    else end = [x + 60 * (random() - 0.5), y + 60 * (random() - 0.5)];
    const highway = random() < 0.05 ? 'steps' : 'residential';
    roads.push(line([at(x, y), at(...end)], { highway }));
  }
  return collection(roads);
}

// The nearest walkable segment by scanning all of them, with snap.ts's projection.
function scanNearest(graph: RoadGraph, lon: number, lat: number, maxSnapM: number): number {
  const kx = metresPerDegreeLon(lat);
  const { vertexCoords, segmentVertex, segmentEdge, edgeDirection } = graph;
  let best2 = Number.POSITIVE_INFINITY;
  let best = -1;
  for (let s = 0; s < segmentVertex.length; s++) {
    if (edgeDirection[segmentEdge[s]!] === 0) continue;
    const d2 = projectOntoSegment(vertexCoords, segmentVertex[s]!, lon, lat, kx);
    if (d2 < best2 || (d2 === best2 && s < best)) {
      best2 = d2;
      best = s;
    }
  }
  return best2 <= maxSnapM * maxSnapM ? best : -1;
}

describe('snapping through the segment grid', () => {
  it('finds the segment a scan of every segment finds, for points on and off the network', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom(200, 1_500, 8_000),
        fc.constantFrom(0, 30, 200, 1_000),
        (seed, count, sizeM, maxSnapM) => {
          const random = seededRandom(seed);
          const { graph } = RoadGraph.fromGeoJSON(randomRoads(random, count, sizeM));
          const n = 150;
          const coords = new Float64Array(2 * n);
          for (let i = 0; i < n; i++) {
            // Some beyond the roads' box, where the grid's cells are clipped.
            const [lon, lat] = at((random() * 1.4 - 0.2) * sizeM, (random() * 1.4 - 0.2) * sizeM);
            coords[2 * i] = lon;
            coords[2 * i + 1] = lat;
          }
          const snap = snapToNetwork(graph, coords, { maxSnapM });
          for (let i = 0; i < n; i++) {
            expect(snap.segment[i]).toBe(scanNearest(graph, coords[2 * i]!, coords[2 * i + 1]!, maxSnapM));
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('lists a long diagonal road in the cells along it, not in its whole box', () => {
    const { graph } = RoadGraph.fromGeoJSON(
      collection([
        line([at(0, 0), at(20_000, 20_000)]),
        ...Array.from({ length: 200 }, (_, k) => line([at(100 * k, 0), at(100 * k + 30, 0)])),
      ]),
    );
    const grid = segmentGrid(graph);
    const listed = new Map<number, number>();
    for (const s of grid.cellSegment) listed.set(s, (listed.get(s) ?? 0) + 1);
    // The diagonal, listed most: in about 3 cells per column it crosses, not in its box's cells.
    const diagonal = Math.max(...listed.values());
    expect(grid.cols).toBeGreaterThan(10);
    expect(diagonal).toBeGreaterThanOrEqual(grid.cols);
    expect(diagonal).toBeLessThanOrEqual(3 * grid.cols);
    expect(diagonal).toBeLessThan((grid.cols * grid.rows) / 4);
    expect(segmentGrid(graph)).toBe(grid);
  });
});
