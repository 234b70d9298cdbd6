// GeoJSON builders for tests that hand the network and the validators made-up roads and areas: plain
// objects, not turf's builders, so a test can also build the malformed lines a reader must reject.

import { METRES_PER_DEGREE, metresPerDegreeLon } from '../src/geodesy/index.js';

type Props = Record<string, unknown>;

/** A LineString feature through `coords` (any number of them, even too few) with `properties`. */
export const line = (coords: [number, number][], properties: Props = {}) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'LineString', coordinates: coords },
});

/** A FeatureCollection of `features`. */
export const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });

/**
 * A closed square ring `size` metres on a side whose south-west corner lies `dx` metres east and
 * `dy` metres north of (`lon0`, `lat0`), on the local equirectangular frame (exact enough for tests).
 */
export function squareRing(lon0: number, lat0: number, dx: number, dy: number, size: number): number[][] {
  const lonAt = (x: number) => lon0 + x / metresPerDegreeLon(lat0);
  const latAt = (y: number) => lat0 + y / METRES_PER_DEGREE;
  return [
    [lonAt(dx), latAt(dy)],
    [lonAt(dx + size), latAt(dy)],
    [lonAt(dx + size), latAt(dy + size)],
    [lonAt(dx), latAt(dy + size)],
    [lonAt(dx), latAt(dy)],
  ];
}
