import { enclosingCap, METRES_PER_DEGREE, metresToChord2, toUnitVectors } from '../geodesy/index.js';
import { sharedArray, type WorkPool } from '../parallel/pool.js';
import type { Origins } from './types.js';

/**
 * Counting targets within a bound from the targets' side, over demand gathered by cell: the part
 * of the great-circle source's `reach` that counts (its nearest search stays with the origin
 * groups). Each target visits the demand cells around it and classifies each one by its centre
 * and radius as wholly inside the bound (one addition for the whole cell, none per point), wholly
 * outside (skipped) or partial (each point of the cell tested by its squared chord). Cells are
 * small (about 50 m), so the band of points tested one by one is narrow.
 */

// A cell is wholly inside (or outside) the bound when the triangle inequality says so with this
// relative margin to spare: far above the rounding of a squared chord (about 1e-11 relative at
// city distances), so that a cell classified whole holds no point the per-point test would judge
// otherwise.
const CELL_MARGIN = 1e-7;
// The degree box around a target is widened by this factor: the planar bound on the great-circle
// distance it relies on undershoots by under 2e-4 within the searches the caller allows.
const BOX_SAFETY = 0.999;
const MAX_ABS_LATITUDE = 89;
// More cells than this many per point make a sparse, wide extent's grid mostly empty: cells grow.
const MAX_CELLS_PER_POINT = 4;
const MIN_CELL_LIMIT = 4096;

/** Demand points binned into a uniform lon/lat grid, in cell order, with each cell's centre, radius and owners. */
export interface DemandCells {
  readonly cellM: number;
  readonly cols: number;
  readonly rows: number;
  readonly lon0: number;
  readonly lat0: number;
  readonly dLon: number;
  readonly dLat: number;
  /** Points of cell c are at positions `cellStart[c] … cellStart[c + 1] - 1` of the cell order. */
  readonly cellStart: Uint32Array;
  /** Origin index at each position of the cell order. */
  readonly order: Uint32Array;
  /** Unit vectors in cell order. */
  readonly xyz: Float64Array;
  /** Owner of each point, in cell order. */
  readonly owner: Uint32Array;
  /** Normalised mean unit vector of each non-empty cell. */
  readonly cellCentre: Float64Array;
  /** Largest chord from a cell's centre to one of its points. */
  readonly cellRadiusChord: Float64Array;
  /** Distinct owners of cell c: `cellOwners[cellOwnerStart[c] … cellOwnerStart[c + 1] - 1]`. */
  readonly cellOwnerStart: Uint32Array;
  readonly cellOwners: Uint32Array;
  readonly ownerCount: number;
}

/**
 * Bins `origins` (lon/lat inside `bbox`) into cells at least `cellM` metres on a side at the
 * extent's highest latitude. On shared memory when `pool` runs several threads.
 */
export function demandCells(
  origins: Origins,
  bbox: readonly number[],
  cellM: number,
  pool: WorkPool | undefined,
): DemandCells {
  const { coords, ownerCount } = origins;
  const n = origins.owner.length;
  const maxAbsLat = Math.min(MAX_ABS_LATITUDE, Math.max(Math.abs(bbox[1]!), Math.abs(bbox[3]!)));
  const metresPerLon = METRES_PER_DEGREE * Math.cos((maxAbsLat * Math.PI) / 180);
  const widthM = (bbox[2]! - bbox[0]!) * metresPerLon;
  const heightM = (bbox[3]! - bbox[1]!) * METRES_PER_DEGREE;
  let side = cellM;
  let cols = Math.floor(widthM / side) + 1;
  let rows = Math.floor(heightM / side) + 1;
  const maxCells = Math.max(MAX_CELLS_PER_POINT * n, MIN_CELL_LIMIT);
  while (cols * rows > maxCells) {
    side *= 2;
    cols = Math.floor(widthM / side) + 1;
    rows = Math.floor(heightM / side) + 1;
  }
  const dLon = side / metresPerLon;
  const dLat = side / METRES_PER_DEGREE;
  const cells = cols * rows;
  const cellOf = new Uint32Array(n);
  const cellStart = sharedArray(Uint32Array, cells + 1, pool);
  for (let i = 0; i < n; i++) {
    const x = Math.min(cols - 1, Math.floor((coords[2 * i]! - bbox[0]!) / dLon));
    const y = Math.min(rows - 1, Math.floor((coords[2 * i + 1]! - bbox[1]!) / dLat));
    const cell = y * cols + x;
    cellOf[i] = cell;
    cellStart[cell + 1]!++;
  }
  for (let c = 0; c < cells; c++) cellStart[c + 1]! += cellStart[c]!;
  const cursor = cellStart.slice(0, cells);
  const order = sharedArray(Uint32Array, n, pool);
  for (let i = 0; i < n; i++) order[cursor[cellOf[i]!]!++] = i;

  const xyzAll = toUnitVectors(coords);
  const xyz = sharedArray(Float64Array, 3 * n, pool);
  const owner = sharedArray(Uint32Array, n, pool);
  for (let q = 0; q < n; q++) {
    const i = order[q]!;
    xyz[3 * q] = xyzAll[3 * i]!;
    xyz[3 * q + 1] = xyzAll[3 * i + 1]!;
    xyz[3 * q + 2] = xyzAll[3 * i + 2]!;
    owner[q] = origins.owner[i]!;
  }

  const cellCentre = sharedArray(Float64Array, 3 * cells, pool);
  const cellRadiusChord = sharedArray(Float64Array, cells, pool);
  const cellOwnerStart = sharedArray(Uint32Array, cells + 1, pool);
  const owners: number[] = [];
  const seenInCell = new Int32Array(ownerCount).fill(-1);
  for (let c = 0; c < cells; c++) {
    const a = cellStart[c]!;
    const b = cellStart[c + 1]!;
    cellOwnerStart[c] = owners.length;
    if (a === b) continue;
    for (let q = a; q < b; q++) {
      const o = owner[q]!;
      if (seenInCell[o] !== c) {
        seenInCell[o] = c;
        owners.push(o);
      }
    }
    const max2 = enclosingCap(xyz, a, b, cellCentre, c);
    cellRadiusChord[c] = Math.sqrt(max2);
  }
  cellOwnerStart[cells] = owners.length;
  const cellOwners = sharedArray(Uint32Array, owners.length, pool);
  cellOwners.set(owners);
  return {
    cellM: side,
    cols,
    rows,
    lon0: bbox[0]!,
    lat0: bbox[1]!,
    dLon,
    dLat,
    cellStart,
    order,
    xyz,
    owner,
    cellCentre,
    cellRadiusChord,
    cellOwnerStart,
    cellOwners,
    ownerCount,
  };
}

/** The input of {@link countByCells}: plain data a pool can share. */
export interface CellCountInput {
  readonly cells: DemandCells;
  /** Targets' lon/lat and unit vectors, in the order the ranges cut (near ones together). */
  readonly targetLonLat: Float64Array;
  readonly targetXyz: Float64Array;
  /** Target index at each position of that order. */
  readonly targetIndex: Uint32Array;
  readonly bound: number;
  /** Metres per degree of longitude at the highest latitude of origins and targets. */
  readonly metresPerLon: number;
  /** Where each range of targets starts, in order: range k counts into slice k of `pointCounts`. */
  readonly rangeStarts: Int32Array;
  /**
   * Per range k, counts per position of the cell order at `[k·n, (k + 1)·n)`: the targets that
   * range's partial cells put within the bound of each point.
   */
  readonly pointCounts: Uint32Array;
}

/** What one range of targets adds up: per cell the targets wholly inside, per owner the distinct targets. */
export interface CellCountPart {
  readonly cellInside: Uint32Array;
  readonly ownerCounts: Uint32Array;
}

/** Name under which {@link countByCells} is registered for work pools. */
export const CELL_COUNT_KERNEL = 'great-circle-cell-count';

/**
 * Counts, for the targets at positions `[from, to)` of `input`'s order, which demand points lie
 * within the bound: cells wholly inside add to `cellInside`, partial cells add per point to the
 * range's slice of `pointCounts`, and every owner reached counts each target once.
 */
export function countByCells(input: CellCountInput, from: number, to: number): CellCountPart {
  const { cells, targetLonLat, targetXyz, targetIndex, bound, metresPerLon } = input;
  const { cols, rows, lon0, lat0, dLon, dLat, cellStart, xyz, owner } = cells;
  const { cellCentre, cellRadiusChord, cellOwnerStart, cellOwners } = cells;
  const n = owner.length;
  const range = input.rangeStarts.indexOf(from);
  if (range < 0) throw new Error(`No range of the cell count starts at ${from}.`);
  const counts = input.pointCounts.subarray(range * n, (range + 1) * n);
  const cellInside = new Uint32Array(cols * rows);
  const ownerCounts = new Uint32Array(cells.ownerCount);
  const ownerStamp = new Int32Array(cells.ownerCount).fill(-1);
  const bound2 = metresToChord2(bound);
  const boundChord = Math.sqrt(bound2);
  const insideChord = boundChord * (1 - CELL_MARGIN);
  const outsideChord = boundChord * (1 + CELL_MARGIN);
  const spanRows = bound / BOX_SAFETY / METRES_PER_DEGREE / dLat;
  const spanCols = bound / BOX_SAFETY / metresPerLon / dLon;
  for (let k = from; k < to; k++) {
    const t = targetIndex[k]!;
    const fx = targetXyz[3 * k]!;
    const fy = targetXyz[3 * k + 1]!;
    const fz = targetXyz[3 * k + 2]!;
    const column = (targetLonLat[2 * k]! - lon0) / dLon;
    const row = (targetLonLat[2 * k + 1]! - lat0) / dLat;
    const firstRow = Math.max(0, Math.floor(row - spanRows));
    const lastRow = Math.min(rows - 1, Math.floor(row + spanRows));
    const firstColumn = Math.max(0, Math.floor(column - spanCols));
    const lastColumn = Math.min(cols - 1, Math.floor(column + spanCols));
    for (let y = firstRow; y <= lastRow; y++) {
      for (let c = y * cols + firstColumn, end = y * cols + lastColumn; c <= end; c++) {
        const a = cellStart[c]!;
        const b = cellStart[c + 1]!;
        if (a === b) continue;
        const cx = cellCentre[3 * c]! - fx;
        const cy = cellCentre[3 * c + 1]! - fy;
        const cz = cellCentre[3 * c + 2]! - fz;
        const toCentre = Math.sqrt(cx * cx + cy * cy + cz * cz);
        const radius = cellRadiusChord[c]!;
        if (toCentre - radius > outsideChord) continue;
        if (toCentre + radius <= insideChord) {
          cellInside[c]!++;
          for (let j = cellOwnerStart[c]!, last = cellOwnerStart[c + 1]!; j < last; j++) {
            const o = cellOwners[j]!;
            if (ownerStamp[o] !== t) {
              ownerStamp[o] = t;
              ownerCounts[o]!++;
            }
          }
          continue;
        }
        // The same arithmetic, in the same order, as the origin groups' per-point test.
        for (let q = a; q < b; q++) {
          const dx = fx - xyz[3 * q]!;
          const dy = fy - xyz[3 * q + 1]!;
          const dz = fz - xyz[3 * q + 2]!;
          if (dx * dx + dy * dy + dz * dz <= bound2) {
            counts[q]!++;
            const o = owner[q]!;
            if (ownerStamp[o] !== t) {
              ownerStamp[o] = t;
              ownerCounts[o]!++;
            }
          }
        }
      }
    }
  }
  return { cellInside, ownerCounts };
}
