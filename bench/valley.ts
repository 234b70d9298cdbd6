/**
 * The synthetic valley around Pingliang that the benchmarks place their data in: its centre and
 * 30 × 20 km box, metres from the centre to degrees, the four outlying towns, where a community
 * lies, and facilities near demand points split over types by their shares. Every position is
 * drawn from the caller's seeded random in a fixed order, so a bench's city is the same each run.
 */
import type { DemandPoints } from '../packages/core/src/demand/index.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../packages/core/src/geodesy/index.js';
import { gaussian } from './lib.js';

export const CENTER_LON = 106.66;
export const CENTER_LAT = 35.54;
/** Half the box's east–west and north–south extent, in metres. */
export const HALF_WIDTH_M = 15_000;
export const HALF_HEIGHT_M = 10_000;
/** Metres per degree of longitude at the centre's latitude (the whole city uses it). */
export const M_PER_DEG_LON = metresPerDegreeLon(CENTER_LAT);

/** Longitude of a point `xM` metres east of the centre. */
export const toLon = (xM: number): number => CENTER_LON + xM / M_PER_DEG_LON;
/** Latitude of a point `yM` metres north of the centre. */
export const toLat = (yM: number): number => CENTER_LAT + yM / METRES_PER_DEGREE;

/** The outlying towns: offset from the centre in metres and spread. */
export const TOWNS = [
  { x: -13_500, y: 6_500, sigma: 900, name: 'Town NW' },
  { x: 12_500, y: -7_000, sigma: 800, name: 'Town SE' },
  { x: 10_000, y: 8_000, sigma: 600, name: 'Town NE' },
  { x: -9_000, y: -8_500, sigma: 700, name: 'Town SW' },
] as const;

/** Where a community lies, in metres from the centre, and which part of the valley it is in. */
export interface CommunityPlace {
  readonly x: number;
  readonly y: number;
  readonly zone: 'core' | 'fringe' | 'town';
  /** The outlying town's name, for a community in one. */
  readonly town: string | null;
}

/**
 * A community of the valley city elongated east–west: half in a dense core, 35 % in a sparser
 * fringe kept inside the box, the rest around a random outlying town.
 */
export function placeCommunity(random: () => number): CommunityPlace {
  const r = random();
  if (r < 0.5) {
    const x = gaussian(random) * 3500;
    return { x, y: gaussian(random) * 1600, zone: 'core', town: null };
  }
  if (r < 0.85) {
    let x: number;
    let y: number;
    do {
      x = gaussian(random) * 9000;
      y = gaussian(random) * 5000;
    } while (Math.abs(x) > HALF_WIDTH_M || Math.abs(y) > HALF_HEIGHT_M);
    return { x, y, zone: 'fringe', town: null };
  }
  const town = TOWNS[Math.floor(random() * TOWNS.length)]!;
  const x = town.x + gaussian(random) * town.sigma;
  return { x, y: town.y + gaussian(random) * town.sigma, zone: 'town', town: town.name };
}

/**
 * Writes into `out` at `2 * f` (lon, lat) a position near a random one of the demand points
 * `coords`, moved by a normal deviate of `jitterM` metres east and north.
 */
export function nearRandomPoint(
  random: () => number,
  coords: Float64Array,
  jitterM: number,
  out: Float64Array,
  f: number,
): void {
  const p = Math.floor(random() * (coords.length >> 1));
  out[2 * f] = coords[2 * p]! + (gaussian(random) * jitterM) / M_PER_DEG_LON;
  out[2 * f + 1] = coords[2 * p + 1]! + (gaussian(random) * jitterM) / METRES_PER_DEGREE;
}

/**
 * The positions of `total` facilities split over types by their shares (the last type takes what
 * rounding leaves), one array of lon/lat pairs per type, each facility placed by `place`.
 */
export function facilitiesByShare<Spec extends { readonly share: number }>(
  total: number,
  specs: readonly Spec[],
  place: (spec: Spec, out: Float64Array, f: number) => void,
): Float64Array[] {
  let placed = 0;
  return specs.map((spec, t) => {
    const n = t === specs.length - 1 ? total - placed : Math.round(total * spec.share);
    placed += n;
    const out = new Float64Array(n * 2);
    for (let f = 0; f < n; f++) place(spec, out, f);
    return out;
  });
}

/**
 * Room for the demand points of `communities` communities as a demand file gives them: `points`
 * points, owner-sorted (fill it with {@link scatterCommunity}), each its own source row.
 */
export function emptyDemand(points: number, communities: number): DemandPoints {
  return {
    coords: new Float64Array(points * 2),
    owner: new Uint32Array(points),
    ownerCount: communities,
    weight: new Float64Array(points),
    sourceIndex: new Int32Array(points).fill(-1),
    method: new Array(communities).fill('demand-file'),
  };
}

/**
 * Writes `count` demand points of community `c` into `demand` from index `i` on (building entrances
 * spread evenly over a disc of `footprintM` metres around x, y metres from the centre, 2 to 31
 * residents each) and returns the index after them.
 */
export function scatterCommunity(
  random: () => number,
  demand: DemandPoints,
  i: number,
  community: { readonly c: number; readonly x: number; readonly y: number; readonly footprintM: number },
  count: number,
): number {
  const { c, x, y, footprintM } = community;
  for (const end = i + count; i < end; i++) {
    const rr = footprintM * Math.sqrt(random());
    const a = 2 * Math.PI * random();
    demand.coords[2 * i] = toLon(x + rr * Math.cos(a));
    demand.coords[2 * i + 1] = toLat(y + rr * Math.sin(a));
    demand.owner[i] = c;
    demand.weight[i] = 2 + Math.floor(random() * 30);
  }
  return i;
}
