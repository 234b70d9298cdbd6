// A GeoTIFF as the place people live (the CLI's `--population-raster`, the viewer's dropped raster),
// and what a GeoTIFF's values look like: heights (an elevation model) or counts of people. One home
// for both front ends, so that the CLI and the viewer read a raster the same way and give the same
// figures.

import type { PopulationGrid, Warning } from '@lifecircle/core';
import { populationFromGrid } from '@lifecircle/core/internal';
import type { Feature } from 'geojson';
import type { Bytes } from '../read/types.js';
import {
  type ByteRangeSource,
  type GeoTiffReadOptions,
  type RasterGrid,
  readGeoTiff,
  type Wgs84Box,
} from './geotiff.js';

/** A population raster read for a set of communities. */
export interface PopulationRaster<T extends { readonly features: readonly Feature[] }> {
  /** The communities, those without a population of their own given the sum of the cells inside. */
  readonly communities: T;
  /** The window read, for core's demand building (`DemandOptions.populationGrid`). */
  readonly populationGrid: PopulationGrid;
  /** Says how many communities took the raster's counts as their population (none: empty). */
  readonly warnings: Warning[];
}

/**
 * Reads a population GeoTIFF (WorldPop, GHS-POP; any CRS io knows) over the communities' box, and
 * gives the communities without a population of their own the sum of the cells inside them (`crs`
 * names the raster's coordinate system when its GeoKeys do not, as in {@link readGeoTiff}). Core's
 * demand building then shares each community's population out over its cells (dasymetric weighting)
 * when given `populationGrid`.
 *
 * @throws {InputError} io's messages for a raster that cannot be read, has no georeference or an
 * unknown CRS, misses the communities or holds no data over them, naming `file`.
 * @example
 * // not-run: needs a GeoTIFF file
 * const raster = await readPopulationRaster(readFileSync('worldpop.tif'), { file: 'worldpop.tif', communities });
 * analyzeCoverage({ communities: raster.communities, facilities }, { demand: { populationGrid: raster.populationGrid } });
 */
export async function readPopulationRaster<T extends { readonly features: readonly Feature[] }>(
  source: Bytes | Blob | ByteRangeSource,
  options: {
    readonly file: string;
    readonly communities: T;
  } & Pick<GeoTiffReadOptions, 'crs' | 'optionWording'>,
): Promise<PopulationRaster<T>> {
  const { file, communities } = options;
  const grid = await readGeoTiff(source, {
    file,
    bbox: featuresBox(communities.features),
    ...(options.crs === undefined ? {} : { crs: options.crs }),
    ...(options.optionWording ? { optionWording: options.optionWording } : {}),
  });
  const filled = populationFromGrid(communities, grid);
  const n = filled.filled;
  const warnings: Warning[] =
    n > 0
      ? [
          {
            code: 'population-from-raster',
            file,
            field: 'population',
            message: `${n} ${n === 1 ? 'community has' : 'communities have'} no population of ${n === 1 ? 'its' : 'their'} own and take the sum of the raster cells inside`,
          },
        ]
      : [];
  return { communities: filled.collection, populationGrid: grid, warnings };
}

/** WGS84 box of every coordinate of the features, `[west, south, east, north]`. */
export function featuresBox(features: readonly Feature[]): Wgs84Box {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number') {
      box[0] = Math.min(box[0], value[0]);
      box[1] = Math.min(box[1], value[1] as number);
      box[2] = Math.max(box[2], value[0]);
      box[3] = Math.max(box[3], value[1] as number);
      return;
    }
    for (const item of value) visit(item);
  };
  for (const f of features) visit((f.geometry as { coordinates?: unknown } | null)?.coordinates);
  return box;
}

/** What a raster's values suggest it holds, and why, in words a planner can check. */
export interface RasterRoleGuess {
  /** `elevation`: heights of the ground (a DEM); `population`: counts of people per cell. */
  readonly role: 'elevation' | 'population';
  /** The evidence, e.g. "values 1,312 to 1,588 m, no cell at 0: they vary little around …". */
  readonly reason: string;
  /** Cells holding data that the guess looked at. */
  readonly cells: number;
}

/**
 * Whether a raster window looks like an elevation model or a population grid, judged from its values
 * alone. Heights of a town's ground sit in a narrow band around their median and are seldom exactly
 * 0 (the middle 90 % of the values span less than the median itself, or the highest is less than 4
 * times the median); counts of people are 0 over
 * fields, water and hills, and a few dense cells hold many times the typical one. A value below −1
 * cannot be a count. The answer is a default for the user to confirm, never a silent decision.
 *
 * @example
 * // not-run: needs a GeoTIFF file
 * guessRasterRole(await readGeoTiff(bytes, { file: 'dem.tif' })).role; // 'elevation'
 */
export function guessRasterRole(grid: Pick<RasterGrid, 'values'>): RasterRoleGuess {
  const valid: number[] = [];
  for (const v of grid.values) if (!Number.isNaN(v)) valid.push(v);
  valid.sort((a, b) => a - b);
  const cells = valid.length;
  if (cells === 0) return { role: 'population', reason: 'the raster holds no values to judge by', cells };
  const at = (q: number) => valid[Math.min(cells - 1, Math.floor(q * (cells - 1)))]!;
  const min = valid[0]!;
  const max = valid[cells - 1]!;
  const median = at(0.5);
  const zeros = valid.filter((v) => v === 0).length / cells;
  const spread = at(0.95) - at(0.05);
  const fmt = (v: number) =>
    Math.abs(v) >= 100 ? Math.round(v).toString() : (Math.round(v * 100) / 100).toString();
  const range = `values ${fmt(min)} to ${fmt(max)} (median ${fmt(median)})`;
  if (min < -1) {
    return { role: 'elevation', reason: `${range}: negative values cannot be counts of people`, cells };
  }
  if (median > 0 && zeros < 0.05 && spread < median) {
    return {
      role: 'elevation',
      reason: `${range}, ${percent(zeros)} of cells at 0: the middle 90 % span ${fmt(spread)}, less than the median, as heights of the ground do`,
      cells,
    };
  }
  // Mountains spread heights widely, yet the highest ground is seldom 4 times the typical one.
  if (median >= 50 && zeros < 0.05 && max < 4 * median) {
    return {
      role: 'elevation',
      reason: `${range}, ${percent(zeros)} of cells at 0: the highest is less than 4 times the median, as heights of the ground are`,
      cells,
    };
  }
  return {
    role: 'population',
    reason:
      median > 0
        ? `${range}, ${percent(zeros)} of cells at 0: the middle 90 % span ${fmt(spread)}, more than the median, as counts of people do`
        : `${range}, ${percent(zeros)} of cells at 0: most cells empty and a few full, as counts of people are`,
    cells,
  };
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
