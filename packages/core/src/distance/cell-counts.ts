import { enclosingCap, METRES_PER_DEGREE, metresToChord2, unitVectorInto } from '../geodesy/index.js';
import { balancedRanges, type KernelRange, sharedArray, type WorkPool } from '../parallel/pool.js';
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
  /**
   * Slot of each non-empty cell in the per-cell arrays below (what an empty cell holds is never
   * read). A province's grid is mostly empty: its 40 bytes a cell of centre, radius and owners'
   * start would be kept for every cell otherwise (up to four cells a point; issue #16's memory).
   */
  readonly cellSlot: Uint32Array;
  /** Origin index at each position of the cell order. */
  readonly order: Uint32Array;
  /** Unit vectors in cell order. */
  readonly xyz: Float64Array;
  /** Owner of each point, in cell order. */
  readonly owner: Uint32Array;
  /** Normalised mean unit vector of each non-empty cell, by slot. */
  readonly cellCentre: Float64Array;
  /** Largest chord from a cell's centre to one of its points, by slot. */
  readonly cellRadiusChord: Float64Array;
  /** Distinct owners of the cell at slot s: `cellOwners[cellOwnerStart[s] … cellOwnerStart[s + 1] - 1]`. */
  readonly cellOwnerStart: Uint32Array;
  readonly cellOwners: Uint32Array;
  readonly ownerCount: number;
}

/** Bytes of the typed arrays a grid of demand cells holds (what keeping it costs). */
export function demandCellsBytes(cells: DemandCells): number {
  return (
    cells.cellStart.byteLength +
    cells.cellSlot.byteLength +
    cells.order.byteLength +
    cells.xyz.byteLength +
    cells.owner.byteLength +
    cells.cellCentre.byteLength +
    cells.cellRadiusChord.byteLength +
    cells.cellOwnerStart.byteLength +
    cells.cellOwners.byteLength
  );
}

/**
 * The grid `n` points in `bbox` are binned into for cells of `cellM` metres asked for: cells at
 * least that wide at the extent's highest latitude, doubled until there are at most a few a point.
 */
export function demandCellGrid(
  bbox: readonly number[],
  cellM: number,
  n: number,
): { readonly side: number; readonly cols: number; readonly rows: number; readonly metresPerLon: number } {
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
  return { side, cols, rows, metresPerLon };
}

/**
 * Bins `origins` (lon/lat inside `bbox`) into the cells of
 * {@link demandCellGrid}. On shared memory when `pool` runs several threads.
 */
export function demandCells(
  origins: Origins,
  bbox: readonly number[],
  cellM: number,
  pool: WorkPool | undefined,
): DemandCells {
  const { coords, ownerCount } = origins;
  const n = origins.owner.length;
  const { side, cols, rows, metresPerLon } = demandCellGrid(bbox, cellM, n);
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
  const cellSlot = sharedArray(Uint32Array, cells, pool);
  let occupied = 0;
  for (let c = 0; c < cells; c++) {
    if (cellStart[c + 1]! > 0) cellSlot[c] = occupied++;
    cellStart[c + 1]! += cellStart[c]!;
  }
  // Each point is written to its place in the cell order in one pass over the input, read in order:
  // scattered writes stall less than the scattered reads of a gather by `order` (about a tenth less
  // CPU for the whole binning of a million points listed in community order, as demand files are).
  const cursor = cellStart.slice(0, cells);
  const order = sharedArray(Uint32Array, n, pool);
  const xyz = sharedArray(Float64Array, 3 * n, pool);
  const owner = sharedArray(Uint32Array, n, pool);
  const ownerIn = origins.owner;
  for (let i = 0; i < n; i++) {
    const q = cursor[cellOf[i]!]!++;
    order[q] = i;
    unitVectorInto(coords, i, xyz, q);
    owner[q] = ownerIn[i]!;
  }

  const cellCentre = sharedArray(Float64Array, 3 * occupied, pool);
  const cellRadiusChord = sharedArray(Float64Array, occupied, pool);
  const cellOwnerStart = sharedArray(Uint32Array, occupied + 1, pool);
  const owners: number[] = [];
  const seenInCell = new Int32Array(ownerCount).fill(-1);
  for (let c = 0; c < cells; c++) {
    const a = cellStart[c]!;
    const b = cellStart[c + 1]!;
    if (a === b) continue;
    const slot = cellSlot[c]!;
    cellOwnerStart[slot] = owners.length;
    for (let q = a; q < b; q++) {
      const o = owner[q]!;
      if (seenInCell[o] !== c) {
        seenInCell[o] = c;
        owners.push(o);
      }
    }
    const max2 = enclosingCap(xyz, a, b, cellCentre, slot);
    cellRadiusChord[slot] = Math.sqrt(max2);
  }
  cellOwnerStart[occupied] = owners.length;
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
    cellSlot,
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

/**
 * The demand rows each target's degree box of the bound reads, as fractional rows and columns
 * either side of the target's own: one formula for the kernel and the plan that cuts its work.
 */
function boxSpan(cells: DemandCells, bound: number, metresPerLon: number): { rows: number; cols: number } {
  return {
    rows: bound / BOX_SAFETY / METRES_PER_DEGREE / cells.dLat,
    cols: bound / BOX_SAFETY / metresPerLon / cells.dLon,
  };
}

/**
 * How the cell counts of a target set are cut into ranges, and where each range writes. The targets
 * lie in the target grid's row order, so a range's boxes cover a band of demand rows: its counts
 * per cell and per point need only that band, a slice of two shared arrays, instead of every cell
 * and every point once per range.
 */
export interface CellCountPlan {
  readonly ranges: KernelRange[];
  /** Per range: first cell of its band (a whole row), and where its slices of the outputs start. */
  readonly bandFirstCell: Int32Array;
  readonly bandEndCell: Int32Array;
  readonly cellOffset: Int32Array;
  readonly pointOffset: Int32Array;
  readonly cellSlots: number;
  readonly pointSlots: number;
}

/**
 * Cuts targets `[0, nT)` (lon/lat in `targetLonLat`, in the grid's order) into about `parts` ranges
 * of similar estimated cost: each target weighs the cells and the demand points of its box (every
 * cell is classified, and the points of the partial ones tested), read off `cellStart` row by row.
 * Demand is uneven, so ranges of equal target counts would leave one thread the dense core.
 */
export function planCellCount(
  cells: DemandCells,
  targetLonLat: Float64Array,
  bound: number,
  metresPerLon: number,
  parts: number,
): CellCountPlan {
  const { cols, cellStart } = cells;
  const nT = targetLonLat.length >> 1;
  const span = boxSpan(cells, bound, metresPerLon);
  const firstRowOf = new Int32Array(nT);
  const lastRowOf = new Int32Array(nT);
  const weightStart = new Float64Array(nT + 1);
  for (let k = 0; k < nT; k++) {
    const box = targetBox(cells, span, targetLonLat[2 * k]!, targetLonLat[2 * k + 1]!);
    firstRowOf[k] = box.firstRow;
    lastRowOf[k] = box.lastRow;
    // One for the target itself, so that targets whose box misses the grid still count.
    let weight = 1;
    if (box.firstColumn <= box.lastColumn) {
      for (let y = box.firstRow; y <= box.lastRow; y++) {
        weight += 1 + box.lastColumn - box.firstColumn;
        weight += cellStart[y * cols + box.lastColumn + 1]! - cellStart[y * cols + box.firstColumn]!;
      }
    }
    weightStart[k + 1] = weightStart[k]! + weight;
  }
  const ranges =
    parts <= 1 || nT === 0 ? (nT === 0 ? [] : [[0, nT] as const]) : balancedRanges(weightStart, parts);
  const count = ranges.length;
  const plan = {
    ranges,
    bandFirstCell: new Int32Array(count),
    bandEndCell: new Int32Array(count),
    cellOffset: new Int32Array(count),
    pointOffset: new Int32Array(count),
    cellSlots: 0,
    pointSlots: 0,
  };
  ranges.forEach(([from, to], r) => {
    let firstRow = Number.POSITIVE_INFINITY;
    let lastRow = -1;
    for (let k = from; k < to; k++) {
      firstRow = Math.min(firstRow, firstRowOf[k]!);
      lastRow = Math.max(lastRow, lastRowOf[k]!);
    }
    const first = lastRow < firstRow ? 0 : firstRow * cols;
    const end = lastRow < firstRow ? 0 : (lastRow + 1) * cols;
    plan.bandFirstCell[r] = first;
    plan.bandEndCell[r] = end;
    plan.cellOffset[r] = plan.cellSlots;
    plan.pointOffset[r] = plan.pointSlots;
    plan.cellSlots += end - first;
    plan.pointSlots += cellStart[end]! - cellStart[first]!;
  });
  return plan;
}

// The cells of the degree box around a target at (lon, lat), clamped to the grid.
function targetBox(
  cells: DemandCells,
  span: { rows: number; cols: number },
  lon: number,
  lat: number,
): { firstRow: number; lastRow: number; firstColumn: number; lastColumn: number } {
  const column = (lon - cells.lon0) / cells.dLon;
  const row = (lat - cells.lat0) / cells.dLat;
  return {
    firstRow: Math.max(0, Math.floor(row - span.rows)),
    lastRow: Math.min(cells.rows - 1, Math.floor(row + span.rows)),
    firstColumn: Math.max(0, Math.floor(column - span.cols)),
    lastColumn: Math.min(cells.cols - 1, Math.floor(column + span.cols)),
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
  /** Where each range of targets starts, in order: range k writes into slice k of the outputs. */
  readonly rangeStarts: Int32Array;
  /** Per range: its band of cells and where its slices start (see {@link CellCountPlan}). */
  readonly bandFirstCell: Int32Array;
  readonly bandEndCell: Int32Array;
  readonly cellOffset: Int32Array;
  readonly pointOffset: Int32Array;
  /**
   * Per range k, the targets wholly inside each cell c of its band, at
   * `cellOffset[k] + c - bandFirstCell[k]`.
   */
  readonly cellInside: Uint32Array;
  /**
   * Per range k, the targets its partial cells put within the bound of each point q of its band (in
   * the cell order), at `pointOffset[k] + q - cellStart[bandFirstCell[k]]`.
   */
  readonly pointCounts: Uint32Array;
}

/** What one range of targets adds up besides its slices: per owner the distinct targets. */
export interface CellCountPart {
  readonly ownerCounts: Uint32Array;
}

/** Name under which {@link countByCells} is registered for work pools. */
export const CELL_COUNT_KERNEL = 'great-circle-cell-count';

/**
 * Counts, for the targets at positions `[from, to)` of `input`'s order, which demand points lie
 * within the bound: cells wholly inside add to the range's slice of `cellInside`, partial cells add
 * per point to its slice of `pointCounts`, and every owner reached counts each target once.
 */
export function countByCells(input: CellCountInput, from: number, to: number): CellCountPart {
  const { cells, targetLonLat, targetXyz, targetIndex, bound, metresPerLon } = input;
  const { cellStart, cellSlot, xyz, owner } = cells;
  const { cellCentre, cellRadiusChord, cellOwnerStart, cellOwners } = cells;
  const range = input.rangeStarts.indexOf(from);
  if (range < 0) throw new Error(`No range of the cell count starts at ${from}.`);
  // Slices indexed by cell and by position of the cell order, shifted to the range's band.
  const bandFirstCell = input.bandFirstCell[range]!;
  const inside = input.cellInside.subarray(
    input.cellOffset[range]!,
    input.cellOffset[range]! + input.bandEndCell[range]! - bandFirstCell,
  );
  const cellShift = bandFirstCell;
  const pointShift = cellStart[bandFirstCell]!;
  const counts = input.pointCounts.subarray(
    input.pointOffset[range]!,
    input.pointOffset[range]! + cellStart[input.bandEndCell[range]!]! - pointShift,
  );
  const ownerCounts = new Uint32Array(cells.ownerCount);
  const ownerStamp = new Int32Array(cells.ownerCount).fill(-1);
  const bound2 = metresToChord2(bound);
  const boundChord = Math.sqrt(bound2);
  const insideChord = boundChord * (1 - CELL_MARGIN);
  const outsideChord = boundChord * (1 + CELL_MARGIN);
  const span = boxSpan(cells, bound, metresPerLon);
  const cols = cells.cols;
  for (let k = from; k < to; k++) {
    const t = targetIndex[k]!;
    const fx = targetXyz[3 * k]!;
    const fy = targetXyz[3 * k + 1]!;
    const fz = targetXyz[3 * k + 2]!;
    const { firstRow, lastRow, firstColumn, lastColumn } = targetBox(
      cells,
      span,
      targetLonLat[2 * k]!,
      targetLonLat[2 * k + 1]!,
    );
    for (let y = firstRow; y <= lastRow; y++) {
      for (let c = y * cols + firstColumn, end = y * cols + lastColumn; c <= end; c++) {
        const a = cellStart[c]!;
        const b = cellStart[c + 1]!;
        if (a === b) continue;
        const slot = cellSlot[c]!;
        const cx = cellCentre[3 * slot]! - fx;
        const cy = cellCentre[3 * slot + 1]! - fy;
        const cz = cellCentre[3 * slot + 2]! - fz;
        const toCentre = Math.sqrt(cx * cx + cy * cy + cz * cz);
        const radius = cellRadiusChord[slot]!;
        if (toCentre - radius > outsideChord) continue;
        if (toCentre + radius <= insideChord) {
          inside[c - cellShift]!++;
          for (let j = cellOwnerStart[slot]!, last = cellOwnerStart[slot + 1]!; j < last; j++) {
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
            counts[q - pointShift]!++;
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
  return { ownerCounts };
}

/**
 * Adds up the ranges' slices into `withinCount` (by origin index): each point gets the targets
 * wholly inside its cell, from every range whose band holds it, and its own partial counts.
 */
export function addCellCounts(
  cells: DemandCells,
  input: CellCountInput,
  parts: readonly CellCountPart[],
  withinCount: Uint32Array,
  ownerWithinCount: Uint32Array,
): void {
  for (const part of parts) {
    for (let o = 0; o < ownerWithinCount.length; o++) ownerWithinCount[o]! += part.ownerCounts[o]!;
  }
  const { cellStart, order } = cells;
  const { cellInside, pointCounts } = input;
  const total = new Uint32Array(order.length);
  for (let r = 0; r < parts.length; r++) {
    const first = input.bandFirstCell[r]!;
    const end = input.bandEndCell[r]!;
    const cellOffset = input.cellOffset[r]! - first;
    for (let c = first; c < end; c++) {
      const inside = cellInside[cellOffset + c]!;
      if (inside === 0) continue;
      for (let q = cellStart[c]!, last = cellStart[c + 1]!; q < last; q++) total[q]! += inside;
    }
    const pointOffset = input.pointOffset[r]! - cellStart[first]!;
    for (let q = cellStart[first]!, last = cellStart[end]!; q < last; q++)
      total[q]! += pointCounts[pointOffset + q]!;
  }
  for (let q = 0; q < order.length; q++) withinCount[order[q]!] = total[q]!;
}
