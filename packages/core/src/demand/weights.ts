// Where people live inside a community: a population raster's cells or building footprints, each a
// weighted point, turned into demand points that share out a community's population (dasymetric
// weighting). Core stays free of file formats: io reads a GeoTIFF into a grid, the CLI or a program
// reads the footprints; this module only needs positions in WGS84 and weights.

import pointOnFeature from '@turf/point-on-feature';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { PolygonIndex } from '../spatial/polygon-index.js';
import type { Rejection, Warning } from '../validate/problems.js';

/**
 * A population raster decoded for the study area, as io's `readGeoTiff` gives it (its `RasterGrid`
 * has these members): cell values row by row, NaN where the raster has no data, and each cell's
 * centre in WGS84.
 */
export interface PopulationGrid {
  /** Name of the file in messages and in summary.json. */
  readonly file: string;
  readonly width: number;
  readonly height: number;
  /** Residents per cell, row by row from the first row; NaN for no data. */
  readonly values: ArrayLike<number>;
  /** Centre of cell (`col`, `row`) as WGS84 `[lon, lat]`. */
  cellCentre(col: number, row: number): readonly [number, number];
}

/** A building footprint as demand weighs it: a point inside it and its floor area. */
export interface BuildingFootprint {
  /** Index of the feature in the buildings file. */
  readonly index: number;
  /** A point on the footprint (inside it), WGS84. */
  readonly lon: number;
  readonly lat: number;
  /** Footprint area in square metres. */
  readonly areaM2: number;
  /** Floors: the file's floor count, or its height at `METRES_PER_FLOOR`; 1 when unknown. */
  readonly floors: number;
}

/** Building footprints read from one file, for {@link DemandOptions.buildings}. */
export interface BuildingFootprints {
  readonly file: string;
  readonly footprints: readonly BuildingFootprint[];
  /** The column the floors came from (`floors`, `层数`, `building:levels`, `height` …), or null. */
  readonly floorsColumn: string | null;
}

/** Storey height used to turn a building's `height` into floors. */
export const METRES_PER_FLOOR = 3;

// Floor-count columns, in order of preference; a height column is used only when none is present.
const FLOOR_COLUMNS = ['floors', 'floor', '层数', '楼层数', 'building:levels', 'building_levels', 'levels'];
const HEIGHT_COLUMNS = ['height', '高度', 'building:height'];

/**
 * Building footprints from GeoJSON polygons: each footprint's area (on a local flat projection, good
 * to well under 1 % for a building) and floors from the first of `floors`, `层数`, `building:levels`
 * … or else `height` ÷ `METRES_PER_FLOOR` m (rounded, at least 1). A file without any such
 * column is weighted by footprint area alone, with a warning; a footprint with a blank or unreadable
 * value counts one floor, counted in a warning. Features that are not polygons are rejected.
 *
 * @example
 * const square = [[106.66, 35.54], [106.6602, 35.54], [106.6602, 35.5402], [106.66, 35.5402], [106.66, 35.54]];
 * const { buildings } = buildingFootprints(
 *   { features: [{ type: 'Feature', properties: { 层数: 6 }, geometry: { type: 'Polygon', coordinates: [square] } }] },
 *   'buildings.geojson',
 * );
 * buildings.footprints[0]!.floors; // 6, on about 360 m² (then buildDemand(records, undefined, { buildings }))
 */
export function buildingFootprints(
  collection: { readonly features: readonly Feature[] },
  file: string,
): { buildings: BuildingFootprints; rejected: Rejection[]; warnings: Warning[] } {
  const rejected: Rejection[] = [];
  const warnings: Warning[] = [];
  const keys = new Set<string>();
  for (const feature of collection.features)
    for (const key of Object.keys(feature.properties ?? {})) keys.add(key);
  const find = (names: readonly string[]) =>
    [...keys].find((key) => names.includes(key.trim().toLowerCase())) ?? null;
  const floorsColumn = find(FLOOR_COLUMNS);
  const heightColumn = floorsColumn === null ? find(HEIGHT_COLUMNS) : null;
  const column = floorsColumn ?? heightColumn;
  if (column === null) {
    warnings.push({
      code: 'buildings-no-floors',
      file,
      field: 'floors',
      message: `has no floor count or height column (looked for ${[...FLOOR_COLUMNS, ...HEIGHT_COLUMNS].join(', ')}); buildings are weighted by footprint area alone`,
    });
  }
  const footprints: BuildingFootprint[] = [];
  let unknownFloors = 0;
  collection.features.forEach((feature, index) => {
    const geometry = feature.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      rejected.push({
        file,
        index,
        id: feature.id === undefined ? null : String(feature.id),
        field: 'geometry',
        reason: `a building footprint must be a Polygon or MultiPolygon, got ${geometry ? geometry.type : 'no geometry'}`,
      });
      return;
    }
    const areaM2 = polygonAreaM2(geometry);
    let floors = 1;
    if (column !== null) {
      const raw = Number(feature.properties?.[column]);
      const value = heightColumn === null ? raw : raw / METRES_PER_FLOOR;
      if (Number.isFinite(value) && value > 0) floors = Math.max(1, Math.round(value));
      else unknownFloors++;
    }
    const [lon, lat] = pointOnFeature(feature).geometry.coordinates as [number, number];
    footprints.push({ index, lon, lat, areaM2, floors });
  });
  if (column !== null && unknownFloors > 0) {
    warnings.push({
      code: 'buildings-no-floors',
      file,
      field: column,
      message: `${unknownFloors} of ${footprints.length} footprints have no usable ${column} value (expected a positive number${heightColumn === null ? ' of floors' : ` of metres, ${METRES_PER_FLOOR} m a floor`}); each counts one floor`,
    });
  }
  return { buildings: { file, footprints, floorsColumn: column }, rejected, warnings };
}

/** Area in square metres of a polygon given in degrees, on a flat projection at its latitude. */
function polygonAreaM2(geometry: Polygon | MultiPolygon): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const lat0 = polygons[0]?.[0]?.[0]?.[1] ?? 0;
  const kx = metresPerDegreeLon(lat0);
  const ringArea = (ring: readonly Position[]) => {
    let twice = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      twice += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
    }
    return Math.abs(twice / 2) * kx * METRES_PER_DEGREE;
  };
  let area = 0;
  for (const rings of polygons) {
    rings.forEach((ring, k) => {
      area += k === 0 ? ringArea(ring) : -ringArea(ring);
    });
  }
  return Math.max(area, 0);
}

/**
 * Fills in the population of polygon communities that have none (`population` missing or blank) with
 * the sum of the raster cells whose centres lie inside them: without a population of their own, the
 * raster's counts are the population. Returns a new collection (features not filled are the same
 * objects) and the ids or indices of the communities filled.
 *
 * @example
 * // not-run: needs a population raster read by io's readGeoTiff
 * const { collection } = populationFromGrid(communities, grid); // then validate and buildDemand with the grid
 */
export function populationFromGrid<T extends { readonly features: readonly Feature[] }>(
  collection: T,
  grid: PopulationGrid,
): { collection: T; filled: number } {
  const missing = collection.features.map((f) => {
    const p = f.properties?.population;
    const polygon = f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon');
    return polygon && (p === undefined || p === null || p === '');
  });
  if (!missing.some(Boolean)) return { collection, filled: 0 };
  const index = new PolygonIndex(
    collection.features.map((f, i) => (missing[i] ? (f.geometry as Polygon | MultiPolygon) : null)),
  );
  const sums = new Float64Array(collection.features.length);
  forEachCell(grid, (lon, lat, value) => {
    const c = index.first(lon, lat);
    if (c >= 0) sums[c]! += value;
  });
  let filled = 0;
  const features = collection.features.map((f, i) => {
    if (!missing[i]) return f;
    filled++;
    return { ...f, properties: { ...f.properties, population: Math.round(sums[i]! * 100) / 100 } };
  });
  return { collection: { ...collection, features }, filled };
}

/** Calls `visit` for every cell holding a finite value > 0, with its centre. */
function forEachCell(grid: PopulationGrid, visit: (lon: number, lat: number, value: number) => void): number {
  let cells = 0;
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const value = grid.values[row * grid.width + col]!;
      if (!Number.isFinite(value)) continue;
      cells++;
      if (value <= 0) continue;
      const [lon, lat] = grid.cellCentre(col, row);
      visit(lon, lat, value);
    }
  }
  return cells;
}

/**
 * Weighted points of a raster or of buildings, each joined to the community polygon it lies in, as
 * typed columns grouped by community (a province's raster has millions of populated cells: no object
 * or array per cell).
 */
export interface WeightedPoints {
  readonly source: 'raster' | 'buildings';
  readonly file: string;
  /** Cells with data, or footprints. */
  readonly count: number;
  /**
   * The points of community `c` are `start[c]` … `start[c + 1] - 1` of the columns below, in the
   * raster's row order or the file's order.
   */
  readonly start: Uint32Array;
  /** Longitude and latitude of each point inside a community, interleaved (WGS84). */
  readonly coords: Float64Array;
  /** Residents of a cell, or a footprint's floor area. */
  readonly weight: Float64Array;
  /** The footprint's feature index, or -1 for a raster cell. */
  readonly sourceIndex: Int32Array;
  /** Points in no community, and their summed weight (residents for a raster). */
  readonly outside: number;
  readonly outsideWeight: number;
}

/** Joins a raster's cells or building footprints to the community polygons they fall in. */
export function joinWeightedPoints(
  index: PolygonIndex,
  communityCount: number,
  surface: { readonly grid: PopulationGrid } | { readonly buildings: BuildingFootprints },
): WeightedPoints {
  // The points in their own order first (the populated cells are counted before they are placed).
  let n = 0;
  let count: number;
  let coords: Float64Array;
  let weight: Float64Array;
  let source: Int32Array;
  if ('grid' in surface) {
    const { values } = surface.grid;
    for (let i = 0; i < values.length; i++) if (values[i]! > 0 && Number.isFinite(values[i]!)) n++;
    coords = new Float64Array(2 * n);
    weight = new Float64Array(n);
    source = new Int32Array(n).fill(-1);
    let k = 0;
    count = forEachCell(surface.grid, (lon, lat, value) => {
      coords[2 * k] = lon;
      coords[2 * k + 1] = lat;
      weight[k++] = value;
    });
  } else {
    const { footprints } = surface.buildings;
    n = footprints.length;
    count = n;
    coords = new Float64Array(2 * n);
    weight = new Float64Array(n);
    source = new Int32Array(n);
    footprints.forEach((b, k) => {
      coords[2 * k] = b.lon;
      coords[2 * k + 1] = b.lat;
      weight[k] = b.areaM2 * b.floors;
      source[k] = b.index;
    });
  }
  // Each point's community, then a stable counting sort by community.
  const owner = new Int32Array(n);
  const start = new Uint32Array(communityCount + 1);
  let outside = 0;
  let outsideWeight = 0;
  for (let k = 0; k < n; k++) {
    const c = index.first(coords[2 * k]!, coords[2 * k + 1]!);
    owner[k] = c;
    if (c < 0) {
      outside++;
      outsideWeight += weight[k]!;
    } else start[c + 1]!++;
  }
  for (let c = 0; c < communityCount; c++) start[c + 1]! += start[c]!;
  const inside = start[communityCount]!;
  const next = start.slice(0, communityCount);
  const sortedCoords = new Float64Array(2 * inside);
  const sortedWeight = new Float64Array(inside);
  const sortedSource = new Int32Array(inside);
  for (let k = 0; k < n; k++) {
    const c = owner[k]!;
    if (c < 0) continue;
    const at = next[c]!++;
    sortedCoords[2 * at] = coords[2 * k]!;
    sortedCoords[2 * at + 1] = coords[2 * k + 1]!;
    sortedWeight[at] = weight[k]!;
    sortedSource[at] = source[k]!;
  }
  return {
    source: 'grid' in surface ? 'raster' : 'buildings',
    file: 'grid' in surface ? surface.grid.file : surface.buildings.file,
    count,
    start,
    coords: sortedCoords,
    weight: sortedWeight,
    sourceIndex: sortedSource,
    outside,
    outsideWeight,
  };
}
