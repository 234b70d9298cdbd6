// Independent brute-force reference for the distance kernels: every origin against every target with
// the textbook haversine formula. Slow on purpose; it shares no code with the engine. Also the seeded
// randomness of the property tests and their plain-array view of results.

import fc from 'fast-check';

const R = 6_371_008.8;

export function referenceHaversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

export interface BruteReach {
  nearestCost: number[];
  nearestIndex: number[];
  within: number[][];
}

export function bruteReach(origins: Float64Array, targets: Float64Array, bound: number): BruteReach {
  const out: BruteReach = { nearestCost: [], nearestIndex: [], within: [] };
  for (let i = 0; i < origins.length / 2; i++) {
    let best = Number.POSITIVE_INFINITY;
    let bestIndex = -1;
    const inside: number[] = [];
    for (let j = 0; j < targets.length / 2; j++) {
      const d = referenceHaversine(
        origins[2 * i]!,
        origins[2 * i + 1]!,
        targets[2 * j]!,
        targets[2 * j + 1]!,
      );
      if (d < best) {
        best = d;
        bestIndex = j;
      }
      if (d <= bound) inside.push(j);
    }
    out.nearestCost.push(best);
    out.nearestIndex.push(bestIndex);
    out.within.push(inside);
  }
  return out;
}

/**
 * The `keys` of `value`, with typed arrays as plain arrays, so that toEqual compares values and not
 * the buffers they sit on (a shared buffer against an ordinary one).
 */
export function plainFields<T extends object, K extends keyof T>(
  value: T,
  keys: readonly K[],
): Record<K, unknown> {
  const plain = {} as Record<K, unknown>;
  for (const key of keys) {
    const field = value[key];
    plain[key] = ArrayBuffer.isView(field) ? Array.from(field as unknown as ArrayLike<number>) : field;
  }
  return plain;
}

/** Seeds for {@link seededRandom}, as fast-check properties draw them. */
export const seedArb = fc.integer({ min: 1, max: 1e9 });

/** mulberry32: a small seeded PRNG so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` points scattered around a centre, clustered like a city: a dense core and sparse fringe. */
export function cityPoints(
  random: () => number,
  n: number,
  centre: [number, number],
  spreadDeg: number,
): Float64Array {
  const coords = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const r = spreadDeg * random() ** 1.5;
    const angle = 2 * Math.PI * random();
    coords[2 * i] = centre[0] + r * Math.cos(angle);
    coords[2 * i + 1] = centre[1] + r * Math.sin(angle) * 0.8;
  }
  return coords;
}

/**
 * A coverage table of `rows` demand points of weight 1–9, each reaching one to four of the `spread`
 * candidates from a random one on (of `cols`, wrapping round), so that candidates overlap: towns large
 * enough for the maximal covering bound's stop rule, which stops nothing before 20 million free rows.
 */
export function clusteredCoverTable(seed: number, rows: number, cols: number, spread: number) {
  const random = seededRandom(seed);
  const offsets = new Uint32Array(rows + 1);
  const targets: number[] = [];
  for (let i = 0; i < rows; i++) {
    const centre = Math.floor(random() * cols);
    const reach = new Set<number>();
    for (let n = 1 + Math.floor(random() * 4); n > 0; n--)
      reach.add((centre + Math.floor(random() * spread)) % cols);
    targets.push(...[...reach].sort((a, b) => a - b));
    offsets[i + 1] = targets.length;
  }
  const table = {
    bound: 1,
    offsets,
    targets: Uint32Array.from(targets),
    costs: new Float64Array(targets.length),
  };
  const weight = Float64Array.from({ length: rows }, () => 1 + Math.floor(random() * 9));
  return { table, weight };
}
