import { InputError } from '@lifecircle/core';
import type { OsmReadOptions } from '@lifecircle/io';
import type { FeatureCollection, MultiPolygon, Position } from 'geojson';
import { UsageError } from '../command.js';
import type { InputReading } from '../inputs/reading.js';
import type { CrsRun } from './crs.js';
import { decimal } from './decimal.js';

/** `--bbox` and `--study-area`, for every analysing command. */
export const osmClipOptions = {
  bbox: { type: 'string' },
  'study-area': { type: 'string' },
} as const;

export const osmClipHelp = `  --bbox W,S,E,N         read only this WGS84 box of an OpenStreetMap --network or --facilities
                         file (a provincial extract clipped to the city while it is read)
  --study-area FILE      likewise, only what lies in these polygons (any input format)`;

/** `--bbox W,S,E,N` as a box, or undefined; a malformed one is a usage error. */
export function parseBBox(value: unknown): [number, number, number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',').map(decimal);
  const [west, south, east, north] = parts as [number, number, number, number];
  if (
    parts.length !== 4 ||
    parts.some(Number.isNaN) ||
    !(west >= -180 && east <= 180 && south >= -90 && north <= 90 && west < east && south < north)
  ) {
    throw new UsageError(
      `--bbox expects west,south,east,north in WGS84 degrees with west < east and south < north, e.g. 116.2,39.8,116.5,40.0; got '${String(value)}'.`,
    );
  }
  return [west, south, east, north];
}

/** `--bbox` and `--study-area` as read once for the whole run. */
export interface StudyAreaRead {
  /** The clip of OpenStreetMap inputs: the box, and the study area's polygons as one MultiPolygon. */
  readonly clip: Pick<OsmReadOptions, 'bbox' | 'area'>;
  /** The study area as read (WGS84 features), for `site`'s clip of generated candidates. */
  readonly studyArea?: FeatureCollection;
}

/**
 * The clip of OpenStreetMap inputs from `--bbox` and `--study-area` (the study area's polygons read
 * like any input and joined into one MultiPolygon), and the study area itself: the file is read
 * once, here, for every use.
 */
export async function readStudyArea(
  values: Record<string, unknown>,
  reading: InputReading,
  crs: CrsRun,
): Promise<StudyAreaRead> {
  const bbox = parseBBox(values.bbox);
  const areaPath = values['study-area'] as string | undefined;
  if (areaPath === undefined) return { clip: bbox ? { bbox } : {} };
  const read = crs.toWgs84(await reading.read(areaPath, 'study-area'), 'study-area') as FeatureCollection;
  const polygons: Position[][][] = [];
  for (const feature of read.features) {
    const g = feature.geometry;
    if (g?.type === 'Polygon') polygons.push(g.coordinates);
    else if (g?.type === 'MultiPolygon') polygons.push(...g.coordinates);
  }
  if (polygons.length === 0) {
    throw new InputError(
      areaPath,
      'has no Polygon or MultiPolygon feature to clip to (expected the study area as polygons).',
    );
  }
  const area: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
  return { clip: { ...(bbox ? { bbox } : {}), area }, studyArea: read };
}
