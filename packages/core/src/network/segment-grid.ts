// A uniform grid over a road graph's segments, for snapping many points.
//
// Snapping a million demand points asked the graph's flatbush tree for the segments near each one:
// a walk down the tree and two arrays per query, most of the snapping's time. A grid of square
// cells (in metres at the network's middle latitude) answers the same question with arithmetic:
// the cells a box covers are a rectangle of rows and columns, and each cell lists the segments that
// pass through it (the cells the segment's line crosses, not its bounding box, so a long diagonal
// road costs cells in proportion to its length).
//
// The grid's candidates for a box include every segment that meets the box; the extra ones (passing
// a covered cell outside the box) lie farther from the point than the box's half-width, which is all
// snapToNetwork needs for its answer to be the same as with the tree (see snap.ts).

import { emptyBBox, extendBBox, METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { sharedArray, splitsWork, type WorkPool } from '../parallel/pool.js';
import type { RoadGraph } from './graph.js';

/** Segments by grid cell: those passing cell (col, row) are `cellSegment[cellStart[c] … cellStart[c + 1] - 1]`, `c = row · cols + col`. */
export interface SegmentGrid {
  readonly minLon: number;
  readonly minLat: number;
  /** Cell size in degrees of longitude and latitude. */
  readonly cellLon: number;
  readonly cellLat: number;
  readonly cols: number;
  readonly rows: number;
  readonly cellStart: Uint32Array;
  readonly cellSegment: Uint32Array;
}

/**
 * Half-width in metres of snapToNetwork's first search box: most demand points and facilities in a
 * city lie within a few dozen metres of a street, so a small box finds the answer without reading
 * many segments. The grid's cells are sized after it.
 */
export const FIRST_SNAP_RADIUS_M = 40;
// The smallest cell side: smaller cells only add cells to visit for the first snapping box.
const MIN_CELL_M = 50;
// At most this many cells per segment on average (a sparse network over a wide box gets wider cells).
const MAX_CELLS_PER_SEGMENT = 2;
// A segment's cells in a column are widened by this fraction of a cell on each side, so that rounding
// in the line's crossing of the column can only add cells, never leave one out.
const WIDEN = 1e-6;

const grids = new WeakMap<RoadGraph, SegmentGrid>();

/**
 * The segment grid of `graph`, built on the first call and kept while the graph is (on shared memory
 * when `pool` runs more than one thread, so that the pool's threads read the same grid).
 */
export function segmentGrid(graph: RoadGraph, pool?: WorkPool): SegmentGrid {
  const known = grids.get(graph);
  const shared = splitsWork(pool) ? pool : undefined;
  if (known !== undefined && (shared === undefined || known.cellStart.buffer instanceof SharedArrayBuffer))
    return known;
  const grid = buildSegmentGrid(graph, shared);
  grids.set(graph, grid);
  return grid;
}

function buildSegmentGrid(graph: RoadGraph, pool: WorkPool | undefined): SegmentGrid {
  const { vertexCoords, segmentVertex } = graph;
  const segments = segmentVertex.length;
  const box = emptyBBox();
  for (let s = 0; s < segments; s++) extendBBox(box, vertexCoords, segmentVertex[s]!, segmentVertex[s]! + 2);
  const [minLon, minLat, maxLon, maxLat] = segments === 0 ? [0, 0, 0, 0] : box;
  const kx = metresPerDegreeLon((minLat + maxLat) / 2);
  const widthM = (maxLon - minLon) * kx;
  const heightM = (maxLat - minLat) * METRES_PER_DEGREE;
  const cellM = Math.max(
    MIN_CELL_M,
    Math.sqrt((widthM * heightM) / Math.max(1, MAX_CELLS_PER_SEGMENT * segments)),
  );
  const cellLon = cellM / kx;
  const cellLat = cellM / METRES_PER_DEGREE;
  const cols = Math.max(1, Math.floor((maxLon - minLon) / cellLon) + 1);
  const rows = Math.max(1, Math.floor((maxLat - minLat) / cellLat) + 1);
  const cellStart = sharedArray(Uint32Array, cols * rows + 1, pool);
  // Calls `visit` with every cell segment s passes through (a cell may come twice).
  const cellsOf = (s: number, visit: (cell: number) => void): void => {
    const v = segmentVertex[s]!;
    const x0 = (vertexCoords[2 * v]! - minLon) / cellLon;
    const y0 = (vertexCoords[2 * v + 1]! - minLat) / cellLat;
    const x1 = (vertexCoords[2 * v + 2]! - minLon) / cellLon;
    const y1 = (vertexCoords[2 * v + 3]! - minLat) / cellLat;
    const left = Math.min(x0, x1);
    const right = Math.max(x0, x1);
    const firstCol = Math.max(0, Math.floor(left - WIDEN));
    const lastCol = Math.min(cols - 1, Math.floor(right + WIDEN));
    const slope = right > left ? (y1 - y0) / (x1 - x0) : 0;
    for (let col = firstCol; col <= lastCol; col++) {
      // The part of the segment within this column.
      const a = Math.max(left, col);
      const b = Math.min(right, col + 1);
      const ya = right > left ? y0 + (a - x0) * slope : y0;
      const yb = right > left ? y0 + (b - x0) * slope : y1;
      const firstRow = Math.max(0, Math.floor(Math.min(ya, yb) - WIDEN));
      const lastRow = Math.min(rows - 1, Math.floor(Math.max(ya, yb) + WIDEN));
      for (let row = firstRow; row <= lastRow; row++) visit(row * cols + col);
    }
  };
  for (let s = 0; s < segments; s++) cellsOf(s, (cell) => cellStart[cell + 1]!++);
  for (let c = 0; c < cols * rows; c++) cellStart[c + 1]! += cellStart[c]!;
  const cellSegment = sharedArray(Uint32Array, cellStart[cols * rows]!, pool);
  const cursor = cellStart.slice(0, cols * rows);
  for (let s = 0; s < segments; s++) cellsOf(s, (cell) => (cellSegment[cursor[cell]!++] = s));
  return { minLon, minLat, cellLon, cellLat, cols, rows, cellStart, cellSegment };
}
