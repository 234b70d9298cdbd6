/**
 * The synthetic city of the walking-network benchmarks (bench/network.ts, bench/terrain.ts): a
 * perturbed 77.5 m street grid around Pingliang with missing links, diagonals and non-walkable
 * motorways, demand points in compact communities and facilities of six types near them.
 */
import { gaussian, seededRandom } from './lib.js';
import { facilitiesByShare, nearRandomPoint, toLat, toLon } from './valley.js';

export { CENTER_LAT, CENTER_LON } from './valley.js';

const SPACING_M = 77.5;

/** The six facility types and each one's share of the facilities. */
export const TYPE_SPECS = [
  { id: 'nursery_childcare', share: 0.24 },
  { id: 'kindergarten', share: 0.24 },
  { id: 'fresh_market', share: 0.16 },
  { id: 'integrated_supermarket', share: 0.16 },
  { id: 'community_health_center', share: 0.1 },
  { id: 'junior_middle_school', share: 0.1 },
] as const;
const HIGHWAYS = ['residential', 'residential', 'service', 'footway', 'tertiary', 'secondary'];

/** Demand points, communities (100 points each) and facilities: full size, or a tenth with `small`. */
export function citySize(small: boolean): { points: number; communities: number; facilities: number } {
  const points = small ? 100_000 : 1_000_000;
  return { points, communities: points / 100, facilities: small ? 1_000 : 10_000 };
}

export interface City {
  readonly roads: { type: 'FeatureCollection'; features: unknown[] };
  readonly walkableLines: number;
  readonly coords: Float64Array;
  readonly owner: Uint32Array;
  readonly types: { id: string; coords: Float64Array }[];
}

/**
 * Streets on a 77.5 m grid over the 30 × 20 km box, each node moved up to ±20 m, 5% of the links
 * missing, one block in twenty with a diagonal footpath, a third of the streets bent at a middle
 * vertex; three motorways cross the city without junctions and are left out as non-walkable.
 * Communities are compact clusters of 100 demand points: half in a dense core, the rest over the
 * box; facilities stand near random demand points.
 */
export function makeCity(seed: number, small: boolean): City {
  const { points: POINTS, communities: COMMUNITIES, facilities: FACILITIES } = citySize(small);
  const SCALE = small ? Math.sqrt(0.1) : 1;
  const HALF_WIDTH_M = 15_000 * SCALE;
  const HALF_HEIGHT_M = 10_000 * SCALE;
  const random = seededRandom(seed);
  const cols = Math.round((2 * HALF_WIDTH_M) / SPACING_M) + 1;
  const rows = Math.round((2 * HALF_HEIGHT_M) / SPACING_M) + 1;
  const nodeX = new Float64Array(cols * rows);
  const nodeY = new Float64Array(cols * rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      nodeX[r * cols + c] = toLon(-HALF_WIDTH_M + c * SPACING_M + (random() - 0.5) * 40);
      nodeY[r * cols + c] = toLat(-HALF_HEIGHT_M + r * SPACING_M + (random() - 0.5) * 40);
    }
  }
  const features: unknown[] = [];
  const street = (a: number, b: number, highway: string) => {
    const ax = nodeX[a]!;
    const ay = nodeY[a]!;
    const bx = nodeX[b]!;
    const by = nodeY[b]!;
    const coordinates: number[][] = [[ax, ay]];
    if (random() < 0.33) {
      const bend = (random() - 0.5) * 0.2;
      coordinates.push([(ax + bx) / 2 - (by - ay) * bend, (ay + by) / 2 + (bx - ax) * bend]);
    }
    coordinates.push([bx, by]);
    features.push({
      type: 'Feature',
      properties: { highway },
      geometry: { type: 'LineString', coordinates },
    });
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      const highway = HIGHWAYS[Math.floor(random() * HIGHWAYS.length)]!;
      if (c + 1 < cols && random() < 0.95) street(k, k + 1, highway);
      if (r + 1 < rows && random() < 0.95) street(k, k + cols, highway);
      if (c + 1 < cols && r + 1 < rows && random() < 0.05) street(k, k + cols + 1, 'footway');
    }
  }
  const walkableLines = features.length;
  for (const yM of [-0.6, 0.1, 0.7].map((f) => f * HALF_HEIGHT_M + 13)) {
    const coordinates: number[][] = [];
    for (let xM = -HALF_WIDTH_M; xM <= HALF_WIDTH_M; xM += 500) coordinates.push([toLon(xM), toLat(yM)]);
    features.push({
      type: 'Feature',
      properties: { highway: 'motorway' },
      geometry: { type: 'LineString', coordinates },
    });
  }

  const cx = new Float64Array(COMMUNITIES);
  const cy = new Float64Array(COMMUNITIES);
  for (let c = 0; c < COMMUNITIES; c++) {
    let x: number;
    let y: number;
    do {
      const core = random() < 0.5;
      x = gaussian(random) * (core ? 0.23 : 0.6) * HALF_WIDTH_M;
      y = gaussian(random) * (core ? 0.16 : 0.5) * HALF_HEIGHT_M;
    } while (Math.abs(x) > HALF_WIDTH_M || Math.abs(y) > HALF_HEIGHT_M);
    cx[c] = x;
    cy[c] = y;
  }
  const coords = new Float64Array(POINTS * 2);
  const owner = new Uint32Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    const c = Math.floor(i / 100);
    const rr = 200 * Math.sqrt(random());
    const a = 2 * Math.PI * random();
    coords[2 * i] = toLon(cx[c]! + rr * Math.cos(a));
    coords[2 * i + 1] = toLat(cy[c]! + rr * Math.sin(a));
    owner[i] = c;
  }
  const types = facilitiesByShare(FACILITIES, TYPE_SPECS, (_spec, out, f) =>
    nearRandomPoint(random, coords, 300, out, f),
  ).map((fc, t) => ({ id: TYPE_SPECS[t]!.id, coords: fc }));
  return { roads: { type: 'FeatureCollection', features }, walkableLines, coords, owner, types };
}
