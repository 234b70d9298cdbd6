import proj4 from 'proj4';
import { bd09ToWgs84, gcj02ToWgs84, wgs84ToBd09, wgs84ToGcj02 } from './chinese-web.js';
import type { Crs } from './definitions.js';

/** Converts one position; returns NaN coordinates when the position is outside the system's domain. */
export type PositionTransform = (x: number, y: number) => [number, number];

type ProjObject = InstanceType<typeof proj4.Proj>;

// proj4 parses a definition each time it is given as text; the projection objects are kept instead.
const projections = new Map<string, ProjObject>();
let wgs84Projection: ProjObject | undefined;

function projectionOf(definition: string): ProjObject {
  let projection = projections.get(definition);
  if (!projection) {
    projection = new proj4.Proj(definition);
    // GIS files store easting (longitude) first whatever axis order a WKT 2 or EPSG definition
    // declares (EPSG:4326 and the Gauss-Krüger codes say northing first).
    projection.axis = 'enu';
    projections.set(definition, projection);
  }
  return projection;
}

function wgs84(): ProjObject {
  wgs84Projection ??= projectionOf('+proj=longlat +datum=WGS84 +no_defs');
  return wgs84Projection;
}

function finitePair(out: readonly number[]): [number, number] {
  const x = out[0];
  const y = out[1];
  return typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)
    ? [x, y]
    : [Number.NaN, Number.NaN];
}

function proj4Transform(from: ProjObject, to: ProjObject): PositionTransform {
  const converter = proj4(from, to);
  return (x, y) => {
    try {
      return finitePair(converter.forward([x, y]));
    } catch {
      return [Number.NaN, Number.NaN];
    }
  };
}

function isWgs84(crs: Crs): boolean {
  return crs.id === 'EPSG:4326';
}

/** Positions of `crs` to WGS84 longitude/latitude. */
export function toWgs84Transform(crs: Crs): PositionTransform {
  if (isWgs84(crs)) return (x, y) => [x, y];
  if (crs.id === 'gcj02') return gcj02ToWgs84;
  if (crs.id === 'bd09') return bd09ToWgs84;
  if (crs.proj4 === null) throw new Error(`No conversion is known from ${crs.id} to WGS84.`);
  return proj4Transform(projectionOf(crs.proj4), wgs84());
}

/** WGS84 longitude/latitude to positions of `crs`. */
export function fromWgs84Transform(crs: Crs): PositionTransform {
  if (isWgs84(crs)) return (x, y) => [x, y];
  if (crs.id === 'gcj02') return wgs84ToGcj02;
  if (crs.id === 'bd09') return wgs84ToBd09;
  if (crs.proj4 === null) throw new Error(`No conversion is known from WGS84 to ${crs.id}.`);
  return proj4Transform(wgs84(), projectionOf(crs.proj4));
}

/**
 * Positions of `from` to positions of `to`, through WGS84.
 *
 * @example
 * const toGk = transformBetween(WGS84, parseCrs('EPSG:4524') as Crs);
 * toGk(106.66, 35.54); // ≈ [36378479.29, 3935329.58]
 */
export function transformBetween(from: Crs, to: Crs): PositionTransform {
  if (from.id === to.id) return (x, y) => [x, y];
  const inward = toWgs84Transform(from);
  if (isWgs84(to)) return inward;
  const outward = fromWgs84Transform(to);
  if (isWgs84(from)) return outward;
  return (x, y) => {
    const [lng, lat] = inward(x, y);
    return outward(lng, lat);
  };
}

/** The GeoJSON 2008 `crs` member naming a system, for a file written in a system other than WGS84. */
export function crsMember(crs: Crs): { type: 'name'; properties: { name: string } } | undefined {
  if (isWgs84(crs)) return undefined;
  const name = crs.epsg !== null ? `urn:ogc:def:crs:EPSG::${crs.epsg}` : crs.id;
  return { type: 'name', properties: { name } };
}

/** A FeatureCollection in another coordinate system, and the features that could not be converted. */
export interface Reprojected<T> {
  /** A new FeatureCollection (the input is not modified). */
  readonly collection: T;
  /** Indices of features with a position that came out as NaN (outside the system's domain). */
  readonly failed: number[];
  /** Number of positions converted. */
  readonly positions: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number' &&
    Number.isFinite(value[0]) &&
    Number.isFinite(value[1])
  );
}

/**
 * Converts every position of a FeatureCollection (Point, MultiPoint, LineString, MultiLineString,
 * Polygon, MultiPolygon, GeometryCollection) from one coordinate system to another. Anything that is
 * not a well-formed position is copied as it is, for validation to report; heights are kept; `bbox`
 * members are dropped (they would be stale) and the `crs` member names the new system (none for
 * WGS84, as RFC 7946 wants).
 *
 * @example
 * const { collection } = reprojectFeatureCollection(geojson, parseCrs('EPSG:4524') as Crs, WGS84);
 */
export function reprojectFeatureCollection<T>(value: T, from: Crs, to: Crs): Reprojected<T> {
  const failed: number[] = [];
  const reproject = geometryReprojection(from, to);
  if (!isRecord(value) || !Array.isArray(value.features)) return { collection: value, failed, positions: 0 };
  const features = value.features.map((feature: unknown, index: number) => {
    if (!isRecord(feature)) return feature;
    const { bbox: _bbox, ...rest } = feature;
    const converted = { ...rest, geometry: reproject(feature.geometry) };
    if (reproject.lastFailed) failed.push(index);
    return converted;
  });
  const { bbox: _bbox, crs: _crs, ...members } = value;
  const member = crsMember(to);
  const collection = { ...members, ...(member ? { crs: member } : {}), features } as T;
  return { collection, failed, positions: reproject.positions };
}

/** A geometry converter of {@link geometryReprojection}, with what it has converted so far. */
export interface GeometryReprojection {
  (geometry: unknown): unknown;
  /** Whether a position of the last geometry came out as NaN (outside the system's domain). */
  readonly lastFailed: boolean;
  /** Number of positions converted so far. */
  readonly positions: number;
}

const POSITION_DEPTH: Readonly<Record<string, number>> = {
  Point: 0,
  MultiPoint: 1,
  LineString: 1,
  MultiLineString: 2,
  Polygon: 2,
  MultiPolygon: 3,
};

/**
 * Converts one GeoJSON geometry at a time, as {@link reprojectFeatureCollection} converts each of a
 * collection's (`bbox` members dropped, anything malformed copied for validation to report), for
 * writers that stream features. With `shareUnchanged`, a geometry that identical systems leave as it
 * is (no `bbox` member) is returned itself, not copied, and its positions are not counted: the result
 * must then only be read.
 *
 * @example
 * const toOutput = geometryReprojection(WGS84, parseCrs('EPSG:4524') as Crs, { shareUnchanged: true });
 * JSON.stringify(toOutput({ type: 'Point', coordinates: [106.67, 35.54] }));
 */
export function geometryReprojection(
  from: Crs,
  to: Crs,
  options: { readonly shareUnchanged?: boolean } = {},
): GeometryReprojection {
  const share = options.shareUnchanged === true && from.id === to.id;
  const transform = transformBetween(from, to);
  let positions = 0;
  let failed = false;
  const position = (p: unknown): unknown => {
    if (!isPosition(p)) return p;
    positions++;
    const [x, y] = transform(p[0]!, p[1]!);
    if (Number.isNaN(x) || Number.isNaN(y)) failed = true;
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
  const nested = (coordinates: unknown, depth: number): unknown => {
    if (!Array.isArray(coordinates)) return coordinates;
    if (depth === 0) return position(coordinates);
    return coordinates.map((c) => nested(c, depth - 1));
  };
  const geometry = (g: unknown): unknown => {
    if (!isRecord(g)) return g;
    const { bbox: _bbox, ...rest } = g;
    if (g.type === 'GeometryCollection' && Array.isArray(g.geometries)) {
      return { ...rest, geometries: g.geometries.map(geometry) };
    }
    const depth = POSITION_DEPTH[g.type as string];
    return depth === undefined ? g : { ...rest, coordinates: nested(g.coordinates, depth) };
  };
  // Identical systems change no position: only bbox members would go, so a geometry without any is
  // written as it is (a copy of every position is most of the time and garbage of a large output).
  const hasBbox = (g: unknown): boolean =>
    isRecord(g) &&
    ('bbox' in g ||
      (g.type === 'GeometryCollection' && Array.isArray(g.geometries) && g.geometries.some(hasBbox)));
  const reproject = ((g: unknown) => {
    failed = false;
    if (share && !hasBbox(g)) return g;
    return geometry(g);
  }) as GeometryReprojection;
  Object.defineProperties(reproject, {
    lastFailed: { get: () => failed },
    positions: { get: () => positions },
  });
  return reproject;
}
