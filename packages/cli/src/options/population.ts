import { buildingFootprints, type DemandOptions, type Rejection, type Warning } from '@lifecircle/core';
import { readPopulationRaster } from '@lifecircle/io';
import type { Feature } from 'geojson';
import { UsageError } from '../command.js';
import { withFileRanges } from '../inputs/files.js';
import type { InputReading } from '../inputs/reading.js';
import type { CrsRun } from './crs.js';

/** `--population-raster` and `--buildings`, for every analysing command. */
export const populationSurfaceOptions = {
  'population-raster': { type: 'string' },
  'population-raster-crs': { type: 'string' },
  buildings: { type: 'string' },
} as const;

export const populationSurfaceHelp = `Where people live inside each community (docs/guides/your-own-data.md):
  --population-raster FILE  a population GeoTIFF (WorldPop, GHS-POP; any CRS lifecircle knows),
                         read for the communities' box only: each community's population is shared
                         out over the cells inside it; communities without a population take the
                         raster's counts
  --population-raster-crs CRS  the raster's coordinate system, winning over its GeoKeys (for a
                         GeoTIFF with none, or a CGCS2000 Gauss-Krüger one: EPSG:4544,
                         cgcs2000-gk3-35, cgcs2000-gk3 with the zone from the eastings …)
  --buildings FILE       building footprints (polygons, any input format) with floors (floors, 层数,
                         building:levels) or height (3 m a floor): each community's population is
                         shared out by footprint area × floors`;

/** What the population surface options give an analysis. */
export interface PopulationSurface {
  /** The communities, with populations taken from the raster where they had none. */
  readonly communities: unknown;
  /** Options for core's demand building (`populationGrid` or `buildings`). */
  readonly demand: Pick<DemandOptions, 'populationGrid' | 'buildings'>;
  readonly rejected: Rejection[];
  readonly warnings: Warning[];
}

/**
 * `--population-raster`, its `--population-raster-crs`, `--buildings` and `--demand` together: at most
 * one places the population. A mistake is a {@link UsageError} naming the flags.
 */
export function checkPopulationFlags(values: Record<string, unknown>): void {
  const rasterPath = values['population-raster'] as string | undefined;
  const buildingsPath = values.buildings as string | undefined;
  if (values['population-raster-crs'] !== undefined && rasterPath === undefined) {
    throw new UsageError(
      '--population-raster-crs is the system of --population-raster FILE, which is not given.',
    );
  }
  if (rasterPath === undefined && buildingsPath === undefined) return;
  if (rasterPath !== undefined && buildingsPath !== undefined) {
    throw new UsageError('give --population-raster or --buildings, not both.');
  }
  if (values.demand !== undefined) {
    throw new UsageError(
      `give --demand or ${rasterPath ? '--population-raster' : '--buildings'}, not both: each places the population.`,
    );
  }
}

/**
 * Reads `--population-raster` (a window over the communities' box) or `--buildings`, and fills in
 * the population of communities that have none from the raster.
 */
export async function readPopulationSurface(
  values: Record<string, unknown>,
  communities: unknown,
  context: { readonly reading: InputReading; readonly crs: CrsRun },
): Promise<PopulationSurface> {
  checkPopulationFlags(values);
  const rasterPath = values['population-raster'] as string | undefined;
  const buildingsPath = values.buildings as string | undefined;
  const rasterCrs = values['population-raster-crs'] as string | undefined;
  const none = { communities, demand: {}, rejected: [], warnings: [] };
  if (rasterPath === undefined && buildingsPath === undefined) return none;
  if (rasterPath !== undefined) {
    // Read by ranges: a province's raster costs the memory of the communities' window, not the file.
    const raster = await withFileRanges(rasterPath, 'a GeoTIFF', (source) =>
      readPopulationRaster(source, {
        file: rasterPath,
        communities: communities as { features: Feature[] },
        ...(rasterCrs === undefined ? {} : { crs: rasterCrs }),
        optionWording: () => '--population-raster-crs',
      }),
    );
    const demand = { populationGrid: raster.populationGrid };
    return { communities: raster.communities, demand, rejected: [], warnings: raster.warnings };
  }
  const path = buildingsPath!;
  const read = context.crs.toWgs84(await context.reading.read(path, 'buildings'), 'buildings') as {
    features: Feature[];
  };
  const { buildings, rejected, warnings } = buildingFootprints(read, path);
  return {
    communities,
    demand: { buildings },
    rejected: context.reading.locate(rejected),
    warnings: context.reading.locate(warnings),
  };
}
