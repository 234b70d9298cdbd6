// The hand-worked terrain set-up the walking-time tests share (src/network/terrain.test.ts,
// src/network/walker-catchments.test.ts): places in metres around one origin, Tobler's hiking
// function written out independently of walkers.ts, and a straight road up a uniform slope.
import { haversineM, METRES_PER_DEGREE, metresPerDegreeLon } from '../src/geodesy/index.js';
import { RoadGraph } from '../src/network/graph.js';
import type { ElevationSampler } from '../src/network/terrain.js';
import { collection, line } from './features.js';

/** The origin (lon, lat) of the hand-worked cases. */
export const O = [106.66, 35.54] as const;
/** The position `x` metres east and `y` metres north of {@link O}. */
export const at = (x: number, y: number): [number, number] => [
  O[0] + x / metresPerDegreeLon(O[1]),
  O[1] + y / METRES_PER_DEGREE,
];
export const EARTH_RADIUS_M = 6_371_008.8;
export const metresPerMinute = (kmh: number): number => (kmh * 1000) / 60;
/** Tobler's hiking function, written out independently of walkers.ts: km/h on gradient s. */
export const tobler = (s: number): number => 6 * Math.exp(-3.5 * Math.abs(s + 0.05));

/**
 * A road due north from {@link O}, 1,200 m long, climbing `grade` all the way: the DEM rises
 * `grade` metres per metre of northward ground distance (a meridian's haversine length is R·Δφ
 * exactly).
 */
export function roadUpSlope(grade: number) {
  const dem: ElevationSampler = {
    sample: (_lon, lat) => 1350 + (grade * EARTH_RADIUS_M * ((lat - O[1]) * Math.PI)) / 180,
    cellSizeM: 30,
  };
  const south = at(0, 0);
  const north: [number, number] = [south[0], south[1] + 1200 / METRES_PER_DEGREE];
  const length = haversineM(south[0], south[1], north[0], north[1]);
  const { graph } = RoadGraph.fromGeoJSON(collection([line([south, north])]));
  return { dem, south, north, length, graph };
}
