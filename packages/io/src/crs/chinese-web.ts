/**
 * GCJ-02 and BD-09, the offset coordinates of Chinese web maps, from the publicly documented
 * algorithm: GCJ-02 shifts WGS84 by a smooth function of position (300–500 m in most of China) on the
 * Krassowsky ellipsoid; BD-09 shifts GCJ-02 again by a small rotation and scaling about the origin
 * plus a constant. Outside China GCJ-02 equals WGS84. The inverses have no closed form; they are
 * solved by fixed-point iteration, which converges because each offset changes slowly with position.
 */

/** A longitude/latitude pair in degrees. */
export type LngLat = [lng: number, lat: number];

// Semi-major axis and first eccentricity squared of the Krassowsky ellipsoid, as the algorithm uses them.
const A = 6378245.0;
const EE = 0.006693421622965943;
const BD_FACTOR = (Math.PI * 3000.0) / 180.0;
/** Iterations stop when a step is below this (degrees): far below 1e-6° (0.1 m). */
const INVERSE_TOLERANCE = 1e-10;
const INVERSE_MAX_STEPS = 30;

/**
 * Whether a position lies outside the rectangle where GCJ-02 is offset (the usual test of the public
 * algorithm: longitude 72.004–137.8347°E, latitude 0.8293–55.8271°N). Outside it GCJ-02 is WGS84.
 */
export function isOutsideChina(lng: number, lat: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let d = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  d += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  d += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  d += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320.0 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return d;
}

function offsetLng(x: number, y: number): number {
  let d = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  d += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  d += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  d += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return d;
}

/**
 * WGS84 to GCJ-02 (the forward algorithm). Positions outside China are returned unchanged.
 *
 * @example
 * wgs84ToGcj02(116.404, 39.915); // [116.41024449916938, 39.91640428150164]
 */
export function wgs84ToGcj02(lng: number, lat: number): LngLat {
  if (isOutsideChina(lng, lat)) return [lng, lat];
  const dLatRaw = offsetLat(lng - 105.0, lat - 35.0);
  const dLngRaw = offsetLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1 - EE * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (dLatRaw * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (dLngRaw * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/** GCJ-02 to BD-09 (the forward algorithm, closed form). */
export function gcj02ToBd09(lng: number, lat: number): LngLat {
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * BD_FACTOR);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * BD_FACTOR);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/**
 * Solves forward(x) = target by x ← x + (target − forward(x)), starting from the target itself.
 * Each step shrinks the error by the offset's slope (about 1e-4 for GCJ-02), so a handful suffice.
 */
function invert(forward: (lng: number, lat: number) => LngLat, lng: number, lat: number): LngLat {
  let x = lng;
  let y = lat;
  for (let step = 0; step < INVERSE_MAX_STEPS; step++) {
    const [fx, fy] = forward(x, y);
    const dx = lng - fx;
    const dy = lat - fy;
    x += dx;
    y += dy;
    if (Math.abs(dx) < INVERSE_TOLERANCE && Math.abs(dy) < INVERSE_TOLERANCE) break;
  }
  return [x, y];
}

/**
 * GCJ-02 to WGS84, inverted by iteration to better than 1e-9° (the one-step formula often quoted is
 * off by 1–2 m). Positions outside China are returned unchanged.
 *
 * @example
 * const [lng, lat] = gcj02ToWgs84(116.41024449916938, 39.91640428150164); // ≈ [116.404, 39.915]
 */
export function gcj02ToWgs84(lng: number, lat: number): LngLat {
  if (isOutsideChina(lng, lat)) return [lng, lat];
  return invert(wgs84ToGcj02, lng, lat);
}

/** BD-09 to GCJ-02, inverted by iteration (the usual closed-form inverse is off by up to ~1e-6°). */
export function bd09ToGcj02(lng: number, lat: number): LngLat {
  return invert(gcj02ToBd09, lng, lat);
}

/** WGS84 to BD-09: GCJ-02 first, then BD-09. */
export function wgs84ToBd09(lng: number, lat: number): LngLat {
  const [x, y] = wgs84ToGcj02(lng, lat);
  return gcj02ToBd09(x, y);
}

/** BD-09 to WGS84: GCJ-02 first, then WGS84, each inverted by iteration. */
export function bd09ToWgs84(lng: number, lat: number): LngLat {
  const [x, y] = bd09ToGcj02(lng, lat);
  return gcj02ToWgs84(x, y);
}
