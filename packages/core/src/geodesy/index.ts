/**
 * Earth radius used for every reported distance, in metres: the mean radius that Turf uses,
 * so figures from lifecircle and `@turf/distance` agree.
 */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/** Metres along a meridian per degree of latitude on the sphere. */
export const METRES_PER_DEGREE: number = EARTH_RADIUS_M * RAD;

/**
 * Great-circle distance between two lon/lat positions in metres (haversine formula).
 *
 * @example
 * haversineM(106.66, 35.54, 106.67, 35.54); // ≈ 906 m
 */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const sinDLat = Math.sin(((lat2 - lat1) * RAD) / 2);
  const sinDLon = Math.sin(((lon2 - lon1) * RAD) / 2);
  const a = sinDLat * sinDLat + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * sinDLon * sinDLon;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Unit vectors on the sphere for interleaved `[lon0, lat0, lon1, lat1, …]` coordinates, as
 * `[x0, y0, z0, x1, …]`.
 *
 * The straight-line (chord) distance between two unit vectors is 2·sin(θ/2) for the central angle θ,
 * exactly the quantity the haversine formula computes, so comparing squared chords gives haversine
 * answers with three subtractions and no trigonometry in the inner loop.
 */
export function toUnitVectors(coords: Float64Array, out?: Float64Array): Float64Array {
  const n = coords.length >> 1;
  const xyz = out ?? new Float64Array(n * 3);
  if (xyz.length < n * 3) throw new Error(`toUnitVectors: output holds ${xyz.length / 3} points, need ${n}.`);
  for (let i = 0; i < n; i++) unitVectorInto(coords, i, xyz, i);
  return xyz;
}

/**
 * Writes the unit vector of point `i` of interleaved lon/lat `coords` at point slot `at` of `xyz`,
 * with the arithmetic of {@link toUnitVectors}: an index that orders points writes each one where
 * it goes, without a second array of every point's vector to gather from.
 */
export function unitVectorInto(coords: Float64Array, i: number, xyz: Float64Array, at: number): void {
  const lon = coords[2 * i]! * RAD;
  const lat = coords[2 * i + 1]! * RAD;
  const cosLat = Math.cos(lat);
  xyz[3 * at] = cosLat * Math.cos(lon);
  xyz[3 * at + 1] = cosLat * Math.sin(lon);
  xyz[3 * at + 2] = Math.sin(lat);
}

/** Squared chord length on the unit sphere that corresponds to a great-circle distance in metres. */
export function metresToChord2(metres: number): number {
  if (metres === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  // Beyond half the circumference every pair qualifies; clamp so the sine stays monotone.
  const half = Math.min(metres / (2 * EARTH_RADIUS_M), Math.PI / 2);
  const chord = 2 * Math.sin(half);
  return chord * chord;
}

/** Great-circle distance in metres for a squared chord length on the unit sphere. */
export function chord2ToMetres(chord2: number): number {
  const half = Math.sqrt(chord2) / 2;
  // Below 64 km (half-chord 0.005) the asin series to x⁷ is exact to double precision (the next
  // term is 35x⁹/1152 < 1e-21 of x) and several times cheaper than Math.asin in the hot loops.
  if (half < 0.005) {
    const h2 = half * half;
    return 2 * EARTH_RADIUS_M * half * (1 + h2 * (1 / 6 + h2 * (3 / 40 + h2 * (5 / 112))));
  }
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, half));
}

/** Metres per degree of longitude at a latitude (degrees). */
export function metresPerDegreeLon(latDeg: number): number {
  return METRES_PER_DEGREE * Math.cos(latDeg * RAD);
}

/**
 * Bounding box of interleaved lon/lat coordinates as `[minLon, minLat, maxLon, maxLat]`;
 * all Infinity for an empty set.
 */
export function coordsBBox(coords: Float64Array): [number, number, number, number] {
  return extendBBox(emptyBBox(), coords, 0, coords.length >> 1);
}

/** The box of no point, `[+∞, +∞, -∞, -∞]`, for {@link extendBBox} to widen. */
export function emptyBBox(): [number, number, number, number] {
  return [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
}

/**
 * Widens `box` (`[minLon, minLat, maxLon, maxLat]`, in place) to the points `from … to - 1` of the
 * interleaved lon/lat `coords`, and returns it.
 */
export function extendBBox(
  box: [number, number, number, number],
  coords: Float64Array,
  from: number,
  to: number,
): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = box;
  for (let i = 2 * from; i < 2 * to; i += 2) {
    const x = coords[i]!;
    const y = coords[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  box[0] = minX;
  box[1] = minY;
  box[2] = maxX;
  box[3] = maxY;
  return box;
}

/**
 * The cap enclosing the unit vectors `xyz[a … b)` (b > a): its centre, the normalised sum of the
 * vectors in index order, written to `centre[3 * at …]`, and the largest squared chord from that
 * centre to any of them, returned. One home for the origin groups' and the demand cells' bounds
 * (distance/great-circle.ts, distance/cell-counts.ts), which prune pairs by it.
 */
export function enclosingCap(
  xyz: Float64Array,
  a: number,
  b: number,
  centre: Float64Array,
  at: number,
): number {
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (let p = a; p < b; p++) {
    cx += xyz[3 * p]!;
    cy += xyz[3 * p + 1]!;
    cz += xyz[3 * p + 2]!;
  }
  const norm = Math.hypot(cx, cy, cz);
  cx /= norm;
  cy /= norm;
  cz /= norm;
  let max2 = 0;
  for (let p = a; p < b; p++) {
    const dx = xyz[3 * p]! - cx;
    const dy = xyz[3 * p + 1]! - cy;
    const dz = xyz[3 * p + 2]! - cz;
    const d2 = dx * dx + dy * dy + dz * dz;
    if (d2 > max2) max2 = d2;
  }
  centre[3 * at] = cx;
  centre[3 * at + 1] = cy;
  centre[3 * at + 2] = cz;
  return max2;
}
