import pointOnFeature from '@turf/point-on-feature';
import type { MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { FacilityCatalog } from '../standards/catalog.js';
import { type CategoryReport, FacilityTyper, type TypeMapInput } from '../standards/facility-typer.js';
import { InputError, isRecord, type Rejection, type Warning, type WarningCode } from './problems.js';

/** Geometry a community may have. */
export type CommunityGeometry = Point | Polygon | MultiPolygon;

/** A community that passed validation. */
export interface CommunityRecord {
  /** Position in the input FeatureCollection. */
  readonly index: number;
  readonly id: string;
  readonly name: string | null;
  readonly district: string | null;
  readonly population: number;
  /** NaN when not given. */
  readonly households: number;
  readonly geometry: CommunityGeometry;
  /** The input feature's properties, untouched. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Whether a facility serves anyone yet. */
export type FacilityStatus = 'open' | 'planned' | 'under_construction' | 'closed';

/** A facility that passed validation, placed at one point. */
export interface FacilityRecord {
  readonly index: number;
  readonly id: string;
  /** Catalog id its `type` resolved to. */
  readonly typeId: string;
  readonly name: string | null;
  readonly status: FacilityStatus;
  /** Places, beds or m² as the type's catalog entry says; NaN when not given. */
  readonly capacity: number;
  /** NaN when not given. */
  readonly areaM2: number;
  readonly lon: number;
  readonly lat: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A population point from a demand file (buildings, grid cells). */
export interface DemandPointRecord {
  readonly index: number;
  readonly id: string | null;
  readonly lon: number;
  readonly lat: number;
  readonly population: number;
  /** The community it belongs to when the file says so (`community_id` or `community`). */
  readonly communityId: string | null;
}

/** Records that passed, and what was rejected or looked suspicious on the way. */
export interface Validated<T> {
  readonly records: T[];
  readonly rejected: Rejection[];
  readonly warnings: Warning[];
}

const STATUS_NAMES: Record<string, FacilityStatus> = {
  open: 'open',
  opened: 'open',
  operating: 'open',
  运营: 'open',
  开放: 'open',
  已建: 'open',
  planned: 'planned',
  plan: 'planned',
  规划: 'planned',
  拟建: 'planned',
  under_construction: 'under_construction',
  construction: 'under_construction',
  在建: 'under_construction',
  closed: 'closed',
  关闭: 'closed',
  已关闭: 'closed',
};

// Declared coordinate systems that are longitude/latitude on a WGS84-compatible datum. CGCS2000
// (EPSG:4490) differs from WGS84 by centimetres, far below any walking radius.
const LON_LAT_CRS = /(CRS84|EPSG:+(?:[\d.]*:+)?(?:4326|4490|4979))$/i;

/**
 * Reads a FeatureCollection or stops with an {@link InputError} that says what the file holds instead.
 */
export function featureCollectionOf(
  value: unknown,
  file: string,
): { features: unknown[]; warnings: Warning[] } {
  if (isRecord(value) && value.type === 'FeatureCollection' && !Array.isArray(value.features)) {
    throw new InputError(
      file,
      'expected a GeoJSON FeatureCollection with a "features" array, got a FeatureCollection without one.',
    );
  }
  if (!isRecord(value) || value.type !== 'FeatureCollection' || !Array.isArray(value.features)) {
    const got = Array.isArray(value)
      ? 'an array'
      : isRecord(value)
        ? `an object of type ${JSON.stringify(value.type ?? null)}`
        : JSON.stringify(value)?.slice(0, 40);
    throw new InputError(file, `expected a GeoJSON FeatureCollection with a "features" array, got ${got}.`);
  }
  const warnings: Warning[] = [];
  const crs = isRecord(value.crs) && isRecord(value.crs.properties) ? value.crs.properties.name : undefined;
  if (typeof crs === 'string' && !LON_LAT_CRS.test(crs)) {
    throw new InputError(
      file,
      `declares the coordinate system ${crs}; lifecircle reads WGS84 longitude/latitude (CRS84, EPSG:4326 or EPSG:4490). Reproject the file first.`,
    );
  }
  return { features: value.features, warnings };
}

const SWAPPED = 'looks swapped';
const PROJECTED = 'looks like projected metres';
/**
 * Fields that together mark an export of a Chinese web map's POI search, whose coordinates are then
 * GCJ-02 (AMap) or BD-09 (Baidu) unless the exporter converted them. One field alone proves nothing
 * (many files have a `location` or a `uid`, and a file name or a 百度大厦 says nothing about
 * coordinates), so a hint needs the set; and even then it is a question, since the evidence that
 * settles it is the positions against a WGS84 layer (`lifecircle inspect FILE --network ROADS`).
 */
const WEB_MAP_EXPORT_FIELDS: readonly {
  readonly source: string;
  readonly crs: string;
  /** How far such coordinates lie from WGS84, for the question's wording. */
  readonly offset: string;
  readonly all: readonly string[];
  readonly anyOf?: readonly string[];
}[] = [
  {
    source: 'AMap (高德)',
    crs: 'gcj02',
    offset: '300–700 m',
    all: ['typecode'],
    // A table's `location` column becomes the geometry when read, so its address fields stand in.
    anyOf: ['location', 'adcode', 'adname', 'pname', 'cityname'],
  },
  {
    source: 'Baidu (百度)',
    crs: 'bd09',
    offset: 'about 1 km',
    all: ['uid'],
    // `tag` is Baidu's category (`教育培训;幼儿园`, from detail_info.tag); AMap's is `type`.
    anyOf: ['street_id', 'detail_info', 'tag', 'bd09_lng', 'bd09_lat', 'bd_lng', 'bd_lat'],
  },
];

/** Why a position is unusable, with a hint when it looks swapped or projected; null when fine. */
export function positionProblem(position: unknown): string | null {
  if (!Array.isArray(position) || position.length < 2) return 'expected a position [longitude, latitude]';
  const [lon, lat] = position as unknown[];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    return `coordinates must be finite numbers, got [${shown(lon)}, ${shown(lat)}]`;
  }
  if (Math.abs(lon) <= 180 && Math.abs(lat) <= 90) return null;
  if (Math.abs(lon) > 1000 || Math.abs(lat) > 1000) {
    return `[${lon}, ${lat}] ${PROJECTED} (e.g. CGCS2000 Gauss-Krüger or Web Mercator); expected WGS84 longitude/latitude, so reproject first`;
  }
  if (Math.abs(lon) <= 90 && Math.abs(lat) <= 180) {
    return `[${lon}, ${lat}] ${SWAPPED}: latitude ${lat} is out of range; write positions as [longitude, latitude]`;
  }
  return `[${lon}, ${lat}] is out of range: longitude must be within ±180 and latitude within ±90`;
}

// NaN and Infinity as themselves: JSON.stringify would print them as null.
function shown(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** Twice the signed area of a ring in square degrees (shoelace); 0 for a degenerate ring. */
function ringArea2(ring: readonly (readonly number[])[]): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    area += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  }
  return area;
}

function ringProblem(ring: unknown, label: string): string | null {
  if (!Array.isArray(ring)) return `${label} is not an array of positions`;
  if (ring.length < 4) {
    return `${label} has ${ring.length} positions; a closed ring needs at least 4, the last equal to the first`;
  }
  for (const position of ring) {
    const problem = positionProblem(position);
    if (problem) return `${label}: ${problem}`;
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return `${label} is not closed: its last position differs from its first`;
  }
  if (ringArea2(ring as number[][]) === 0)
    return `${label} has no area: its positions lie on one line or point`;
  return null;
}

function polygonProblem(rings: unknown, label: string): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return `${label} has no rings`;
  for (let r = 0; r < rings.length; r++) {
    const problem = ringProblem(rings[r], `${label} ring ${r}`);
    if (problem) return problem;
  }
  return null;
}

/** Why a geometry is unusable for the allowed types; null when fine. */
function geometryProblem(geometry: unknown, allowed: readonly string[]): string | null {
  if (!isRecord(geometry)) return 'missing or null geometry';
  if (!allowed.includes(geometry.type as string)) {
    return `geometry type ${JSON.stringify(geometry.type)} is not supported here; expected ${allowed.join(', ')}`;
  }
  const coordinates = geometry.coordinates;
  switch (geometry.type) {
    case 'Point':
      return positionProblem(coordinates);
    case 'Polygon':
      return polygonProblem(coordinates, 'polygon');
    case 'MultiPolygon': {
      if (!Array.isArray(coordinates) || coordinates.length === 0) return 'MultiPolygon has no polygons';
      for (let p = 0; p < coordinates.length; p++) {
        const problem = polygonProblem(coordinates[p], `polygon ${p}`);
        if (problem) return problem;
      }
      return null;
    }
    default:
      return 'unsupported geometry';
  }
}

/**
 * Collects one warning per file, field and kind, naming the first few features, instead of thousands.
 * `what` is a noun phrase ("population given as text"), so the message reads the same for any count.
 */
class WarningTally {
  private readonly groups = new Map<
    string,
    { code: WarningCode; field: string; what: string; items: string[] }
  >();
  constructor(private readonly file: string) {}

  add(code: WarningCode, field: string, what: string, index: number, id: string | null, detail = ''): void {
    const key = `${code}|${field}|${what}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { code, field, what, items: [] };
      this.groups.set(key, group);
    }
    group.items.push(`#${index}${id === null ? '' : ` (${id}${detail})`}`);
  }

  warnings(): Warning[] {
    return [...this.groups.values()].map(({ code, field, what, items }) => {
      const shownItems = items.slice(0, 5).join(', ');
      const more = items.length > 5 ? ` and ${items.length - 5} more` : '';
      return {
        code,
        file: this.file,
        field,
        message: `${what} in ${items.length} feature${items.length === 1 ? '' : 's'}: ${shownItems}${more}`,
      };
    });
  }
}

// Plain decimal text as spreadsheets write it: `0x10`, `1e`, `Infinity`, `NaN` and `1,000` are not numbers.
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Reads a number that may come as plain decimal text (spreadsheet exports); NaN when it is not one. */
function numberOf(value: unknown): { value: number; fromText: boolean } {
  if (typeof value === 'number')
    return { value: Number.isFinite(value) ? value : Number.NaN, fromText: false };
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) {
    const parsed = Number(value.trim());
    return { value: Number.isFinite(parsed) ? parsed : Number.NaN, fromText: true };
  }
  return { value: Number.NaN, fromText: false };
}

/**
 * The range of each numeric field: beyond `plausible` a warning (a misplaced digit, another unit),
 * beyond `largest` not accepted, so that a city's sums stay finite and exact (10 million features of
 * the largest value still sum below 2^53).
 */
export const FIELD_RANGES: Readonly<
  Record<string, { readonly plausible: number; readonly largest: number }>
> = {
  population: { plausible: 1_000_000, largest: 1e9 },
  households: { plausible: 500_000, largest: 1e9 },
  capacity: { plausible: 100_000, largest: 1e9 },
  area_m2: { plausible: 10_000_000, largest: 1e12 },
};

function beyondLargest(field: string, value: number): string | null {
  const range = FIELD_RANGES[field];
  return range && value > range.largest
    ? `${field} ${value} is beyond the largest accepted (${range.largest.toLocaleString('en-US')})`
    : null;
}

function tallyImplausible(
  tally: WarningTally,
  field: string,
  value: number,
  index: number,
  id: string | null,
): void {
  const range = FIELD_RANGES[field];
  if (range && value > range.plausible) {
    tally.add(
      'implausible-value',
      field,
      `${field} above ${range.plausible.toLocaleString('en-US')} (check for a misplaced digit or another unit)`,
      index,
      id,
    );
  }
}

function idOf(feature: Record<string, unknown>, properties: Record<string, unknown>): string | null {
  const raw = properties.id ?? feature.id;
  if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return null;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return null;
}

/**
 * Warnings about a whole file: most positions swapped or projected (one cause, many rejections), or
 * the fields of a Chinese web map's export together (a question, see WEB_MAP_EXPORT_FIELDS).
 */
function fileWideWarnings(
  file: string,
  features: readonly unknown[],
  rejected: readonly Rejection[],
  featureCount = features.length,
): Warning[] {
  const warnings: Warning[] = [];
  const share = (marker: string) =>
    rejected.filter((r) => r.reason.includes(marker)).length / Math.max(1, featureCount);
  if (share(SWAPPED) >= 0.5) {
    warnings.push({
      code: 'coordinates-swapped',
      file,
      field: 'geometry',
      message: 'most positions look like [latitude, longitude]; GeoJSON positions are [longitude, latitude]',
    });
  }
  if (share(PROJECTED) >= 0.5) {
    warnings.push({
      code: 'coordinates-projected',
      file,
      field: 'geometry',
      message: 'most positions look like projected metres; reproject the file to WGS84 longitude/latitude',
    });
  }
  const exportHint = webMapExportHint(file, features);
  if (exportHint) warnings.push(exportHint);
  return warnings;
}

// The features whose fields tell a web map's export (the first hundred of a file).
const EXPORT_FIELDS_SAMPLE = 100;

/**
 * The question to ask about a layer whose fields together are those of a Chinese web map's POI export
 * (AMap's `typecode` with `location`, `adcode`, `adname`, `pname` or `cityname`; Baidu's `uid` with
 * `street_id`, `detail_info`, `tag` or a `bd09` column):
 * are its coordinates GCJ-02 or BD-09? A `coordinates-gcj02` warning worded as that question, naming
 * the check that settles it (`lifecircle inspect FILE --network ROADS`), or null when the fields do not
 * come together. A file name, a single field or a value never raises it: they say nothing about the
 * coordinates.
 *
 * @example
 * webMapExportHint('pois.csv', [{ type: 'Feature', properties: { location: '106.66,35.54', typecode: '141204' }, geometry: null }]);
 * // { code: 'coordinates-gcj02', file: 'pois.csv', message: 'the fields location and typecode together are those of an AMap (高德) export: …' }
 */
export function webMapExportHint(file: string, features: readonly unknown[]): Warning | null {
  const keys = new Set<string>();
  for (const feature of features.slice(0, EXPORT_FIELDS_SAMPLE)) {
    const properties = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
    for (const key of Object.keys(properties)) keys.add(key.toLowerCase());
  }
  for (const fields of WEB_MAP_EXPORT_FIELDS) {
    const extra = fields.anyOf?.find((f) => keys.has(f));
    if (!fields.all.every((f) => keys.has(f)) || (fields.anyOf && extra === undefined)) continue;
    const named = [...fields.all, ...(extra === undefined ? [] : [extra])].sort();
    return {
      code: 'coordinates-gcj02',
      file,
      message: `the fields ${named.join(' and ')} together are those of ${/^[AEIOU]/.test(fields.source) ? 'an' : 'a'} ${fields.source} export: are its coordinates ${fields.crs === 'gcj02' ? 'GCJ-02' : 'BD-09'}, offset ${fields.offset} from WGS84? Check against roads known in WGS84 (an OpenStreetMap extract): lifecircle inspect ${file.split(/[\\/]/).pop() ?? file} --network ROADS; convert only if it says so (CLI: --facilities-crs ${fields.crs}, or the option of the file's input)`,
    };
  }
  return null;
}

interface FeatureContext {
  readonly index: number;
  readonly feature: Record<string, unknown>;
  readonly properties: Record<string, unknown>;
  readonly id: string | null;
  reject(field: string, reason: string): void;
}

/**
 * Walks a FeatureCollection: features that are not objects are rejected, ids are checked for
 * uniqueness when `requireId` says so, and each remaining feature goes to `visit`.
 */
function eachFeature(
  value: unknown,
  file: string,
  requireId: boolean,
  visit: (context: FeatureContext) => void,
): { rejected: Rejection[]; warnings: Warning[] } {
  const { features, warnings } = featureCollectionOf(value, file);
  const rejected: Rejection[] = [];
  const firstIndexOfId = new Map<string, number>();
  for (const [index, feature] of features.entries()) {
    if (!isRecord(feature) || feature.type !== 'Feature') {
      rejected.push({ file, index, id: null, field: 'type', reason: 'expected a GeoJSON Feature object' });
      continue;
    }
    const properties = isRecord(feature.properties) ? feature.properties : {};
    const id = idOf(feature, properties);
    const reject = (field: string, reason: string): void => {
      rejected.push({ file, index, id, field, reason });
    };
    if (requireId) {
      if (id === null) {
        reject('id', 'missing id: give each feature a unique "id" property');
        continue;
      }
      const first = firstIndexOfId.get(id);
      if (first !== undefined) {
        reject('id', `duplicate id '${id}' (first used by feature ${first})`);
        continue;
      }
    }
    const rejectedBefore = rejected.length;
    visit({ index, feature, properties, id, reject });
    // Only an accepted feature claims its id: a broken feature does not make a later good one a duplicate.
    if (requireId && id !== null && rejected.length === rejectedBefore) firstIndexOfId.set(id, index);
  }
  warnings.push(...fileWideWarnings(file, features, rejected));
  return { rejected, warnings };
}

/**
 * {@link eachFeature} for communities and facilities, the places of an analysis: each needs a unique
 * id and a Point, Polygon or MultiPolygon geometry before it goes to `visit`.
 */
function eachPlaceFeature(
  value: unknown,
  file: string,
  visit: (context: FeatureContext) => void,
): { rejected: Rejection[]; warnings: Warning[] } {
  return eachFeature(value, file, true, (context) => {
    const problem = geometryProblem(context.feature.geometry, ['Point', 'Polygon', 'MultiPolygon']);
    if (problem) return context.reject('geometry', problem);
    visit(context);
  });
}

/**
 * Checks communities: Point, Polygon or MultiPolygon features with a unique `id` and a `population`
 * of at least 0; `households`, `name` and `district` are optional.
 *
 * @example
 * const { records, rejected } = validateCommunities(geojson, 'communities.geojson');
 */
export function validateCommunities(value: unknown, file = 'communities'): Validated<CommunityRecord> {
  const records: CommunityRecord[] = [];
  const tally = new WarningTally(file);
  const { rejected, warnings } = eachPlaceFeature(
    value,
    file,
    ({ index, feature, properties, id, reject }) => {
      if (properties.population === undefined || properties.population === null) {
        return reject('population', 'missing population: expected a number of residents ≥ 0');
      }
      const population = numberOf(properties.population);
      if (!Number.isFinite(population.value)) {
        return reject(
          'population',
          `expected a number of residents ≥ 0, got ${JSON.stringify(properties.population)}`,
        );
      }
      if (population.value < 0) return reject('population', `population ${population.value} is negative`);
      const tooLarge = beyondLargest('population', population.value);
      if (tooLarge) return reject('population', tooLarge);
      tallyImplausible(tally, 'population', population.value, index, id);
      if (population.fromText) tally.add('numeric-text', 'population', 'population given as text', index, id);
      let households = Number.NaN;
      if (
        properties.households !== undefined &&
        properties.households !== null &&
        properties.households !== ''
      ) {
        const parsed = numberOf(properties.households);
        if (
          Number.isFinite(parsed.value) &&
          parsed.value >= 0 &&
          !beyondLargest('households', parsed.value)
        ) {
          households = parsed.value;
          tallyImplausible(tally, 'households', households, index, id);
        } else
          tally.add(
            'invalid-optional-field',
            'households',
            'households not a number ≥ 0 (treated as unknown)',
            index,
            id,
          );
      }
      records.push({
        index,
        id: id!,
        name: textOf(properties.name),
        district: textOf(properties.district),
        population: population.value,
        households,
        geometry: structuredClone(feature.geometry) as CommunityGeometry,
        properties: structuredClone(properties),
      });
    },
  );
  return { records, rejected, warnings: [...warnings, ...tally.warnings()] };
}

/** Options of {@link validateFacilities}. */
export interface FacilityValidationOptions {
  /** Categories the user mapped to catalog types (CLI `--type-map`); they win over every other rule. */
  readonly typeMap?: TypeMapInput;
}

/** Validated facilities, with how each got its type and the categories that gave none. */
export interface ValidatedFacilities extends Validated<FacilityRecord> {
  /**
   * Facilities typed per rule and the table of unmapped categories; null when every facility's
   * `type` was a catalog id, name or alias.
   */
  readonly categories: CategoryReport | null;
}

/**
 * Checks facilities: a unique `id`, a type, a Point geometry (a Polygon or MultiPolygon is placed
 * at a point on its surface, with a warning), and optional `name`, `capacity`, `area_m2` and
 * `status` (open by default).
 *
 * The type comes from `options.typeMap`, else from a `type` the catalog resolves (id, name or
 * alias), else from a POI category (AMap `type`/`typecode`, Baidu `tag`, OSM tags; see
 * {@link categorize}). A facility whose category gives no type is not a rejection line: it is
 * counted in `categories.unmapped`, one row per category with examples.
 */
export function validateFacilities(
  value: unknown,
  catalog: FacilityCatalog,
  file = 'facilities',
  options: FacilityValidationOptions = {},
): ValidatedFacilities {
  const records: FacilityRecord[] = [];
  const tally = new WarningTally(file);
  const typer = new FacilityTyper(catalog, options.typeMap);
  const seenAt = new Map<string, string>();
  const { rejected, warnings } = eachPlaceFeature(
    value,
    file,
    ({ index, feature, properties, id, reject }) => {
      const typing = typer.type(properties);
      if (typing.category === null)
        return reject(
          'type',
          'missing type: expected a facility type id, name or alias from the catalog, or a POI category (type, typecode, tag or OSM tags)',
        );
      const where = { file, index, id };
      // Unmapped categories become one table row each, not a rejection per facility.
      if (typing.typeId === null) return typer.count(typing, properties, where);
      const type = catalog.get(typing.typeId)!;
      const statusText = textOf(properties.status)?.toLowerCase() ?? 'open';
      const status = STATUS_NAMES[statusText.replace(/[\s-]+/g, '_')];
      if (!status)
        return reject(
          'status',
          `unknown status '${statusText}'; expected open, planned, under_construction or closed`,
        );
      const optionalNumber = (field: string): number => {
        const raw = properties[field];
        if (raw === undefined || raw === null || raw === '') return Number.NaN;
        const parsed = numberOf(raw);
        const tooLarge = Number.isFinite(parsed.value) && beyondLargest(field, parsed.value);
        if (Number.isFinite(parsed.value) && parsed.value >= 0 && !tooLarge) {
          tallyImplausible(tally, field, parsed.value, index, id);
          return parsed.value;
        }
        tally.add(
          'invalid-optional-field',
          field,
          tooLarge
            ? `${field} beyond the largest accepted (${FIELD_RANGES[field]!.largest.toLocaleString('en-US')}; treated as unknown)`
            : `${field} not a number ≥ 0 (treated as unknown)`,
          index,
          id,
        );
        return Number.NaN;
      };
      const geometry = feature.geometry as CommunityGeometry;
      let position: Position = geometry.coordinates as Position;
      if (geometry.type !== 'Point') {
        position = pointOnFeature(geometry).geometry.coordinates;
        tally.add(
          'polygon-facility',
          'geometry',
          'polygon geometry placed at a point on its surface',
          index,
          id,
        );
      }
      const lon = position[0]!;
      const lat = position[1]!;
      const at = `${type.id}|${lon}|${lat}`;
      const twin = seenAt.get(at);
      if (twin !== undefined) {
        tally.add(
          'duplicate-location',
          'geometry',
          'the same type and position as another facility',
          index,
          id,
          `, same as ${twin}`,
        );
      } else seenAt.set(at, id!);
      typer.count(typing, properties, where);
      records.push({
        index,
        id: id!,
        typeId: type.id,
        name: textOf(properties.name),
        status,
        capacity: optionalNumber('capacity'),
        areaM2: optionalNumber('area_m2'),
        lon,
        lat,
        properties: structuredClone(properties),
      });
    },
  );
  return {
    records,
    rejected,
    warnings: [...warnings, ...tally.warnings()],
    categories: typer.usedCategories ? typer.report() : null,
  };
}

/**
 * The checks of one demand point (a Point with a `population` ≥ 0 and, optionally, the id of its
 * community in `community_id` or `community`): the record, or null after rejecting it. Shared by
 * {@link validateDemandPoints} and the streamed {@link DemandPointValidator}.
 */
function demandPointOf(
  { index, feature, properties, id, reject }: FeatureContext,
  tally: WarningTally,
): DemandPointRecord | null {
  const problem = geometryProblem(feature.geometry, ['Point']);
  if (problem) {
    reject('geometry', problem);
    return null;
  }
  const population = numberOf(properties.population);
  if (!Number.isFinite(population.value) || population.value < 0) {
    reject(
      'population',
      `expected a number of residents ≥ 0, got ${JSON.stringify(properties.population ?? null)}`,
    );
    return null;
  }
  const tooLarge = beyondLargest('population', population.value);
  if (tooLarge) {
    reject('population', tooLarge);
    return null;
  }
  if (population.fromText) tally.add('numeric-text', 'population', 'population given as text', index, id);
  const [lon, lat] = (feature.geometry as Point).coordinates as [number, number];
  return {
    index,
    id,
    lon,
    lat,
    population: population.value,
    communityId: textOf(properties.community_id ?? properties.community),
  };
}

/**
 * Checks demand points: Point features with a `population` ≥ 0 and, optionally, the id of their
 * community in `community_id` (or `community`).
 */
export function validateDemandPoints(value: unknown, file = 'demand'): Validated<DemandPointRecord> {
  const records: DemandPointRecord[] = [];
  const tally = new WarningTally(file);
  const { rejected, warnings } = eachFeature(value, file, false, (context) => {
    const record = demandPointOf(context, tally);
    if (record) records.push(record);
  });
  return { records, rejected, warnings: [...warnings, ...tally.warnings()] };
}

/**
 * {@link validateDemandPoints} one feature at a time, for a demand file read as a stream (a
 * province's millions of points never sit in memory as features): each feature is checked as it is
 * parsed and can be dropped at once. Its rejections and warnings are those of
 * {@link validateDemandPoints} on the same features, file-wide hints (most positions swapped or
 * projected, a web map's export) included.
 */
export class DemandPointValidator {
  readonly rejected: Rejection[] = [];
  private readonly tally: WarningTally;
  /** Features checked, by {@link check} or {@link acceptsPlain}. */
  private checked = 0;
  /** The first features checked, whose fields tell a web map's export. */
  private readonly sample: unknown[] = [];

  constructor(readonly file = 'demand') {
    this.tally = new WarningTally(file);
  }

  /**
   * Whether {@link check} would take a Point at `lon`, `lat` with a numeric `population` as it is,
   * rejecting nothing and warning of nothing; if so the point counts as checked. A reader that
   * parsed these values itself can then skip building the feature; otherwise it calls
   * {@link check} with the feature. The first hundred features are always built: their fields
   * are looked at for a web map's export.
   */
  acceptsPlain(lon: number, lat: number, population: number): boolean {
    if (
      this.checked < EXPORT_FIELDS_SAMPLE ||
      !(Math.abs(lon) <= 180 && Math.abs(lat) <= 90) ||
      !(population >= 0 && population <= FIELD_RANGES.population!.largest)
    ) {
      return false;
    }
    this.checked++;
    return true;
  }

  /** The record of the feature at `index` (0-based, in file order), or null when it is rejected. */
  check(feature: unknown, index: number): DemandPointRecord | null {
    const { file, rejected } = this;
    this.checked++;
    if (this.sample.length < EXPORT_FIELDS_SAMPLE) this.sample.push(feature);
    if (!isRecord(feature) || feature.type !== 'Feature') {
      rejected.push({ file, index, id: null, field: 'type', reason: 'expected a GeoJSON Feature object' });
      return null;
    }
    const properties = isRecord(feature.properties) ? feature.properties : {};
    const id = idOf(feature, properties);
    const reject = (field: string, reason: string): void => {
      rejected.push({ file, index, id, field, reason });
    };
    return demandPointOf({ index, feature, properties, id, reject }, this.tally);
  }

  /** The id a demand feature is named by in rejections: its `id` property, else the feature's `id`. */
  static idOf(feature: unknown): string | null {
    if (!isRecord(feature)) return null;
    return idOf(feature, isRecord(feature.properties) ? feature.properties : {});
  }

  /** The grouped warnings of every feature checked so far, the file-wide hints first. */
  warnings(): Warning[] {
    return [
      ...fileWideWarnings(this.file, this.sample, this.rejected, this.checked),
      ...this.tally.warnings(),
    ];
  }
}

/**
 * Validates the inputs every analysis starts from: the communities, the facilities against the
 * catalog (with an optional type map), and the demand points when given.
 */
export function validateAnalysisInputs(
  input: { readonly communities: unknown; readonly facilities: unknown; readonly demand?: unknown },
  catalog: FacilityCatalog,
  files: { readonly communities: string; readonly facilities: string; readonly demand: string },
  typeMap: FacilityValidationOptions['typeMap'],
): {
  communities: Validated<CommunityRecord>;
  facilities: ValidatedFacilities;
  demandFile: Validated<DemandPointRecord> | undefined;
} {
  const communities = validateCommunities(input.communities, files.communities);
  const facilities = validateFacilities(
    input.facilities,
    catalog,
    files.facilities,
    typeMap === undefined ? {} : { typeMap },
  );
  const demandFile =
    input.demand === undefined ? undefined : validateDemandPoints(input.demand, files.demand);
  return { communities, facilities, demandFile };
}
