// What a dropped or picked file is: guessed from its name, then from its content. Reading the bytes
// (GeoJSON now, other formats through @lifecircle/io) is formats.ts's job.
import type { FeatureCollection } from 'geojson';
import { looksLikeScenario } from './scenario.js';
import type { InputRole } from './worker/protocol.js';

export type FileRole =
  | 'communities'
  | 'facilities'
  | 'demand'
  | 'districts'
  | 'roads'
  | 'water'
  | 'railway'
  | 'candidates'
  | 'excluded'
  | 'studyArea'
  /** An elevation model (GeoTIFF) for walking over hills; loaded from the walking panel or dropped. */
  | 'dem'
  /** A population raster (GeoTIFF): where people live inside each community. */
  | 'populationRaster'
  | 'scenario';

/** A GeoTIFF: an elevation model or a population raster, as the user chooses (raster-drop.ts). */
export const RASTER_NAME = /\.tiff?$/i;

/** The roles a dropped GeoTIFF can take. */
export type RasterRole = 'dem' | 'populationRaster';

/** Polygons of a siting run: where no new site may go, and the area a generated grid is clipped to. */
export type SitingAreaRole = 'excluded' | 'studyArea';
export const SITING_AREA_ROLES: readonly SitingAreaRole[] = ['excluded', 'studyArea'];
/** Worker inputs of siting runs only: loading one reruns no analysis. */
export const SITING_INPUT_ROLES: ReadonlySet<InputRole> = new Set(['candidates', ...SITING_AREA_ROLES]);

/** Files drawn as context on the map (roads are also the worker's walking network). */
export type ContextRole = 'districts' | 'roads' | 'water' | 'railway';
/** Files only drawn: the page keeps them, the worker never sees them. */
export type DrawnRole = Exclude<ContextRole, 'roads'>;

const NAME_HINTS: readonly [RegExp, FileRole][] = [
  [/scenario|方案/i, 'scenario'],
  [/candidate|候选/i, 'candidates'],
  // Siting areas: where no new site may go, and the area a generated grid is clipped to.
  [/exclu|禁建|禁止|排除/i, 'excluded'],
  [/study[-_ ]?area|研究区|规划范围/i, 'studyArea'],
  [/communit|小区|社区|residential|neighbou?rhood/i, 'communities'],
  [/facilit|poi|设施/i, 'facilities'],
  [/demand|population|人口|building/i, 'demand'],
  [/district|count(y|ies)|区县|boundar|admin/i, 'districts'],
  [/road|street|道路|network/i, 'roads'],
  [/water|river|水系|河/i, 'water'],
  [/rail|铁路/i, 'railway'],
];

/** The role a file's name suggests, or null. */
export function roleFromName(name: string): FileRole | null {
  for (const [pattern, role] of NAME_HINTS) if (pattern.test(name)) return role;
  return null;
}

/**
 * The role of a parsed file: a scenario by its `format`, else by name, else by what its features
 * look like (geometry and properties of the first 200). Null when nothing fits.
 */
export function guessRole(name: string, value: unknown): FileRole | null {
  if (looksLikeScenario(value)) return 'scenario';
  const byName = roleFromName(name);
  if (byName && byName !== 'scenario') return byName;
  if (!isFeatureCollection(value)) return null;
  const sample = value.features.slice(0, 200);
  if (sample.length === 0) return null;
  let polygons = 0;
  let points = 0;
  let lines = 0;
  const has = { population: 0, type: 0, highway: 0, railway: 0, water: 0, community: 0 };
  for (const f of sample) {
    const kind = f?.geometry?.type;
    if (kind === 'Polygon' || kind === 'MultiPolygon') polygons++;
    else if (kind === 'Point' || kind === 'MultiPoint') points++;
    else if (kind === 'LineString' || kind === 'MultiLineString') lines++;
    const p = (f?.properties ?? {}) as Record<string, unknown>;
    if ('population' in p) has.population++;
    if ('type' in p) has.type++;
    if ('highway' in p) has.highway++;
    if ('railway' in p) has.railway++;
    if ('waterway' in p || 'natural' in p || 'water' in p) has.water++;
    if ('community_id' in p) has.community++;
  }
  const most = (n: number) => n > sample.length / 2;
  if (most(lines))
    return has.railway > 0 ? 'railway' : has.water > 0 && has.highway === 0 ? 'water' : 'roads';
  if (most(has.type)) return 'facilities';
  if (most(polygons)) return most(has.population) ? 'communities' : has.water > 0 ? 'water' : 'districts';
  if (most(points)) {
    if (most(has.population)) return most(has.community) ? 'demand' : 'communities';
    return 'candidates';
  }
  return null;
}

export function isFeatureCollection(value: unknown): value is FeatureCollection {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'FeatureCollection' &&
    Array.isArray((value as { features?: unknown }).features)
  );
}

/** Layers only drawn (a roads file is also the worker's walking network, so it is a worker input). */
export function isContextRole(role: FileRole | null): role is DrawnRole {
  return role === 'districts' || role === 'water' || role === 'railway';
}

export function isWorkerRole(role: FileRole | null): role is InputRole {
  return (
    role === 'communities' ||
    role === 'facilities' ||
    role === 'demand' ||
    role === 'roads' ||
    role === 'candidates' ||
    role === 'excluded' ||
    role === 'studyArea' ||
    role === 'dem' ||
    role === 'populationRaster'
  );
}
