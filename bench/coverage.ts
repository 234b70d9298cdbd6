/**
 * Coverage benchmark: 1,000,000 demand points × 10,000 facilities over 6 types (radii 300, 300, 500,
 * 500, 1000, 1000 m) in a synthetic city around Pingliang, through the library API, against a naive
 * Turf `distance` loop, straightforward flatbush box queries and kdbush + geokdbush.
 *
 *   npx -y pnpm@12.4.2 bench:coverage                  # full size (about 2 minutes)
 *   npx -y pnpm@12.4.2 bench:coverage --small          # 100,000 points × 1,000 facilities
 *   node bench/run.mjs coverage [options]      (bundled by esbuild, then run by node)
 *
 * Options:
 *   --small            100,000 demand points × 1,000 facilities (1,000 communities)
 *   --reps N           timed repetitions after the warm-up (default 3)
 *   --sample N         demand points the baselines run on and are checked on (default 1,000)
 *   --seed N           seed of the synthetic city (default 42)
 *   --full-limit S     run a baseline on every demand point when its estimate is under S seconds
 *                      (default 30), else report the sample scaled to the full size
 *   --index-sample N   demand points the index baselines are timed on when they do not run on all
 *                      of them (default 20,000)
 *   --only LIST        rows to run, comma-separated from engine,geojson,turf,flatbush,kdbush
 *                      (the engine always runs: the others are checked against it)
 *   --footprint F      scale the communities' footprint radii by F (default 1: radius 100–300 m)
 *   --group-cell M     groupCellM of the GreatCircleSource in rows 1 and 2 (default: the library's)
 *   --threads N        threads of the side-by-side engine run on the CLI's worker pool (default 2;
 *                      1 skips it); needs packages/cli/dist (node scripts/build-packages.mjs)
 *
 * Exits with code 1 when the methods disagree on the sample.
 */
import { distance as turfDistance } from '@turf/distance';
import Flatbush from 'flatbush';
import { around } from 'geokdbush';
import KDBush from 'kdbush';
import { NodeWorkPool } from '../packages/cli/src/pool/node-pool.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../packages/core/src/geodesy/index.js';
import {
  analyzeCoverage,
  type Coverage,
  type DemandPoints,
  GreatCircleSource,
  haversineM,
  measureCoverage,
  type Origins,
  type Reach,
  type WorkPool,
} from '../packages/core/src/index.js';
import {
  benchArgs,
  collectGarbage,
  formatCount,
  formatMiB,
  formatMs,
  formatRatio,
  formatStats,
  GcMeter,
  MemorySampler,
  repeat,
  type Stats,
  seededRandom,
  stats,
  table,
  timedCpu,
} from './lib.js';
import {
  emptyDemand,
  facilitiesByShare,
  HALF_HEIGHT_M,
  HALF_WIDTH_M,
  nearRandomPoint,
  placeCommunity,
  scatterCommunity,
  toLat,
  toLon,
} from './valley.js';

const { small: SMALL, reps: REPS, seed: SEED, number, names, text } = benchArgs();
const SAMPLE = number('sample', 1000);
const FULL_LIMIT_MS = number('full-limit', 30) * 1000;
const INDEX_SAMPLE = number('index-sample', 20_000);
const ONLY = names('only', 'engine,geojson,turf,flatbush,kdbush');
const FOOTPRINT = number('footprint', 1);
const GROUP_CELL = text('group-cell');
const SOURCE_OPTIONS = GROUP_CELL === undefined ? {} : { groupCellM: Number(GROUP_CELL) };
const THREADS = number('threads', 2);

const POINTS = SMALL ? 100_000 : 1_000_000;
const COMMUNITIES = POINTS / 100;
const FACILITIES = SMALL ? 1_000 : 10_000;

// Six catalog types; the radii option pins them to exactly these values.
const TYPE_SPECS = [
  { id: 'nursery_childcare', radius: 300, share: 0.24, jitterM: 250 },
  { id: 'kindergarten', radius: 300, share: 0.24, jitterM: 250 },
  { id: 'fresh_market', radius: 500, share: 0.16, jitterM: 400 },
  { id: 'integrated_supermarket', radius: 500, share: 0.16, jitterM: 400 },
  { id: 'community_health_center', radius: 1000, share: 0.1, jitterM: 700 },
  { id: 'junior_middle_school', radius: 1000, share: 0.1, jitterM: 700 },
] as const;

let sink = 0;

interface FacilityType {
  readonly id: string;
  readonly radius: number;
  readonly coords: Float64Array;
}

interface City {
  readonly demand: DemandPoints;
  readonly communityLon: Float64Array;
  readonly communityLat: Float64Array;
  readonly communityPopulation: Float64Array;
  readonly communityDistrict: string[];
  readonly types: FacilityType[];
}

// ---------------------------------------------------------------------------------------------
// The synthetic city
// ---------------------------------------------------------------------------------------------

/**
 * A valley city elongated east–west: half the communities in a dense core, a third in a sparser
 * fringe over the 30 × 20 km box, the rest in four outlying towns. Each community is a compact
 * cluster of ~100 demand points (building entrances) within a few hundred metres, owner-sorted as
 * buildDemand produces them; facilities are placed near random demand points (denser where people
 * are), a tenth of them anywhere in the box.
 */
function makeCity(seed: number): City {
  const random = seededRandom(seed);
  const cx = new Float64Array(COMMUNITIES);
  const cy = new Float64Array(COMMUNITIES);
  const footprint = new Float64Array(COMMUNITIES);
  const communityDistrict: string[] = [];
  // Footprint radius (m) by where the community lies: compact in the core, spread in the fringe.
  const FOOTPRINT_M = { core: [100, 100], fringe: [150, 150], town: [120, 130] } as const;
  for (let c = 0; c < COMMUNITIES; c++) {
    const { x, y, zone, town } = placeCommunity(random);
    const [least, spread] = FOOTPRINT_M[zone];
    footprint[c] = FOOTPRINT * (least + spread * random());
    cx[c] = x;
    cy[c] = y;
    communityDistrict.push(town ?? (x < 0 ? 'Kongtong West' : 'Kongtong East'));
  }

  // Points per community: 50–150, summing to exactly POINTS.
  const size = new Uint32Array(COMMUNITIES);
  const w = Float64Array.from({ length: COMMUNITIES }, () => 0.5 + random());
  const wTotal = w.reduce((a, b) => a + b, 0);
  let cum = 0;
  let given = 0;
  for (let c = 0; c < COMMUNITIES; c++) {
    cum += w[c]!;
    const upTo = Math.round((cum / wTotal) * POINTS);
    size[c] = upTo - given;
    given = upTo;
  }

  const demand = emptyDemand(POINTS, COMMUNITIES);
  let i = 0;
  for (let c = 0; c < COMMUNITIES; c++) {
    i = scatterCommunity(random, demand, i, { c, x: cx[c]!, y: cy[c]!, footprintM: footprint[c]! }, size[c]!);
  }
  const { coords, owner, weight } = demand;
  const communityPopulation = new Float64Array(COMMUNITIES);
  for (let p = 0; p < POINTS; p++) communityPopulation[owner[p]!]! += weight[p]!;

  const types: FacilityType[] = facilitiesByShare(FACILITIES, TYPE_SPECS, (spec, out, f) => {
    if (random() < 0.9) {
      nearRandomPoint(random, coords, spec.jitterM, out, f);
    } else {
      out[2 * f] = toLon((2 * random() - 1) * HALF_WIDTH_M);
      out[2 * f + 1] = toLat((2 * random() - 1) * HALF_HEIGHT_M);
    }
  }).map((fc, t) => ({ id: TYPE_SPECS[t]!.id, radius: TYPE_SPECS[t]!.radius, coords: fc }));

  const communityLon = new Float64Array(COMMUNITIES);
  const communityLat = new Float64Array(COMMUNITIES);
  for (let c = 0; c < COMMUNITIES; c++) {
    communityLon[c] = toLon(cx[c]!);
    communityLat[c] = toLat(cy[c]!);
  }
  return { demand, communityLon, communityLat, communityPopulation, communityDistrict, types };
}

/** Per-type answers for a list of demand points: the figures every method is checked on. */
interface Answers {
  /** Position k answers demand point points[k]. */
  readonly points: Uint32Array;
  /** [type][k] */
  readonly withinCount: Uint32Array[];
  readonly nearestM: Float64Array[];
}

function emptyAnswers(points: Uint32Array, typeCount: number): Answers {
  return {
    points,
    withinCount: Array.from({ length: typeCount }, () => new Uint32Array(points.length)),
    nearestM: Array.from({ length: typeCount }, () => new Float64Array(points.length)),
  };
}

function answersFromCoverages(points: Uint32Array, coverages: readonly Coverage[]): Answers {
  const answers = emptyAnswers(points, coverages.length);
  coverages.forEach((cov, t) => {
    for (let k = 0; k < points.length; k++) {
      answers.withinCount[t]![k] = cov.reach.withinCount[points[k]!]!;
      answers.nearestM[t]![k] = cov.reach.nearestCost[points[k]!]!;
    }
  });
  return answers;
}

// ---------------------------------------------------------------------------------------------
// 1. The engine: GreatCircleSource + measureCoverage
// ---------------------------------------------------------------------------------------------

interface EngineRun {
  /** performance.now() at the start, to find the GC pauses of the run. */
  readonly startedAt: number;
  readonly buildMs: number;
  readonly typeMs: number[];
  readonly totalMs: number;
  readonly groups: number;
  readonly coverages: Coverage[];
}

function runEngine(city: City, memory?: MemorySampler, pool?: WorkPool): EngineRun {
  const t0 = performance.now();
  const source = new GreatCircleSource(city.demand, { ...SOURCE_OPTIONS, ...(pool ? { pool } : {}) });
  const buildMs = performance.now() - t0;
  memory?.sample();
  const typeMs: number[] = [];
  const coverages: Coverage[] = [];
  for (const type of city.types) {
    const a = performance.now();
    const cov = measureCoverage(source, city.demand, { coords: type.coords }, type.radius);
    typeMs.push(performance.now() - a);
    memory?.sample();
    coverages.push(cov);
    sink += cov.coveredPopulation;
  }
  return {
    startedAt: t0,
    buildMs,
    typeMs,
    totalMs: performance.now() - t0,
    groups: source.groupCount,
    coverages,
  };
}

// ---------------------------------------------------------------------------------------------
// 1b. The engine on THREADS threads (the CLI's worker pool), side by side with one
// ---------------------------------------------------------------------------------------------

// The six searches alone (count within r and unbounded nearest per type, no community figures),
// timed on one source; what the issue's 0.45 s floor is about.
function timeSearches(
  source: GreatCircleSource,
  city: City,
): { ms: number; cpuMs: number; systemMs: number; minorFaults: number; reaches: Reach[] } {
  const { result: reaches, ...times } = timedCpu(() =>
    city.types.map((type) => source.reach({ coords: type.coords }, type.radius)),
  );
  return { ...times, reaches };
}

function sameReach(a: Reach, b: Reach): boolean {
  const pairs = [
    [a.nearestCost, b.nearestCost],
    [a.nearestIndex, b.nearestIndex],
    [a.withinCount, b.withinCount],
    [a.ownerWithinCount, b.ownerWithinCount],
  ] as const;
  return pairs.every(([x, y]) => x.length === y.length && x.every((v, i) => Object.is(v, y[i])));
}

/**
 * Prints the threaded run beside the single-threaded one, each with the counts by demand cells (the
 * default) and in the origin groups' scan (the kernel before it), alternating in one process; true
 * when any of them disagrees with another on any point.
 */
async function compareThreads(city: City, singleFullMs: number): Promise<boolean> {
  const script = new URL('../../packages/cli/dist/pool/worker.js', import.meta.url);
  const pool = new NodeWorkPool(THREADS, script);
  console.log(
    `\n1b. engine on ${THREADS} threads (worker_threads, SharedArrayBuffer) beside 1 thread; counts by demand cells beside the origin groups' scan`,
  );
  const memory = new MemorySampler();
  collectGarbage();
  memory.start();
  const threaded = new GreatCircleSource(city.demand, { ...SOURCE_OPTIONS, pool });
  memory.sample();
  const variant = (name: string, source: GreatCircleSource) => ({
    name,
    source,
    reps: [] as Omit<ReturnType<typeof timeSearches>, 'reaches'>[],
  });
  const variants = [
    variant(`cells, ${THREADS} threads`, threaded),
    variant('cells, 1 thread', new GreatCircleSource(city.demand, SOURCE_OPTIONS)),
    variant(
      `groups, ${THREADS} threads`,
      new GreatCircleSource(city.demand, { ...SOURCE_OPTIONS, pool, countKernel: 'groups' }),
    ),
    variant(
      'groups, 1 thread',
      new GreatCircleSource(city.demand, { ...SOURCE_OPTIONS, countKernel: 'groups' }),
    ),
  ];
  // Warm-up (starts the workers, compiles their kernels, builds the demand cells), then
  // alternating timed runs.
  for (const variant of variants) timeSearches(variant.source, city);
  memory.sample();
  const last: Reach[][] = variants.map(() => []);
  for (let r = 0; r < REPS; r++) {
    variants.forEach((variant, v) => {
      // The variant's previous answers are dropped first, as a caller's would be: kept, the four
      // variants' answers (96 MB each) made the first variant's second rep the first moment the
      // process held five sets, whose new pages (24,000 faults) it paid for alone.
      last[v] = [];
      collectGarbage();
      const { reaches, ...times } = timeSearches(variant.source, city);
      variant.reps.push(times);
      last[v] = reaches;
    });
  }
  const threadedMemory = memory.report();
  const disagree: string[] = [];
  variants.forEach((variant, v) => {
    if (v === 0) return;
    const differ = city.types.filter((_, t) => !sameReach(last[0]![t]!, last[v]![t]!)).map((t) => t.id);
    if (differ.length > 0) disagree.push(`${variant.name} on ${differ.join(', ')}`);
  });
  const fullRuns: number[] = [];
  for (let r = 0; r < REPS; r++) {
    collectGarbage();
    fullRuns.push(runEngine(city, undefined, pool).totalMs);
  }
  const byName = variants.map((variant) => ({
    name: variant.name,
    stats: stats(variant.reps.map((rep) => rep.ms)),
  }));
  for (const { name, stats: s } of byName) {
    console.log(`   searches (reach × ${city.types.length}), ${name.padEnd(18)} ${formatStats(s)}`);
  }
  // Each rep's wall time beside the process's CPU time (all threads), its system part and the minor
  // page faults: a rep whose wall time jumps while its CPU time stays put waited for a core (other
  // processes), not for more work; system time and faults are fresh memory touched the first time.
  for (const variant of variants) {
    const reps = variant.reps.map(
      (rep) =>
        `${formatMs(rep.ms)} / ${formatMs(rep.cpuMs)} (sys ${formatMs(rep.systemMs)}, ${formatCount(rep.minorFaults)} faults)`,
    );
    console.log(`   each rep, wall / CPU: ${variant.name.padEnd(18)} ${reps.join(', ')}`);
  }
  const [cellsN, cells1, groupsN, groups1] = byName.map((v) => v.stats) as [Stats, Stats, Stats, Stats];
  console.log(
    `   cells against groups: ${formatRatio(groups1.mean / cells1.mean)}× on 1 thread, ${formatRatio(groupsN.mean / cellsN.mean)}× on ${THREADS} (means); ${THREADS} threads against 1: ${formatRatio(cells1.mean / cellsN.mean)}×`,
  );
  console.log(
    `   floor 0.45 s (mean of ${THREADS} threads, cells): ${cellsN.mean <= 450 ? 'met' : 'NOT met'} (${formatMs(cellsN.mean)}; best ${formatMs(cellsN.min)})`,
  );
  const full = stats(fullRuns);
  console.log(
    `   full run (index build + measureCoverage × ${city.types.length}), ${THREADS} threads: ${formatStats(full)} against ${formatMs(singleFullMs)} on 1 (${formatRatio(singleFullMs / full.min)}×)`,
  );
  console.log(`   peak memory of the threaded sources and searches ${threadedMemory.text}`);
  console.log(
    disagree.length === 0
      ? `   all four identical on every one of ${formatCount(POINTS)} points and ${formatCount(COMMUNITIES)} communities × ${city.types.length} types`
      : `   DISAGREE with cells on ${THREADS} threads: ${disagree.join('; ')}`,
  );
  await pool.close();
  return disagree.length > 0;
}

// ---------------------------------------------------------------------------------------------
// 2. analyzeCoverage from GeoJSON objects
// ---------------------------------------------------------------------------------------------

interface GeoJsonInput {
  communities: unknown;
  facilities: unknown;
  demand: unknown;
}

function cityAsGeoJson(city: City): GeoJsonInput {
  const { demand } = city;
  const communities = {
    type: 'FeatureCollection',
    features: Array.from({ length: COMMUNITIES }, (_, c) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [city.communityLon[c]!, city.communityLat[c]!] },
      properties: {
        id: `c${c}`,
        name: `Community ${c}`,
        district: city.communityDistrict[c]!,
        population: city.communityPopulation[c]!,
      },
    })),
  };
  const facilities = {
    type: 'FeatureCollection',
    features: city.types.flatMap((type) =>
      Array.from({ length: type.coords.length >> 1 }, (_, f) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [type.coords[2 * f]!, type.coords[2 * f + 1]!] },
        properties: { id: `${type.id}-${f}`, type: type.id, status: 'open' },
      })),
    ),
  };
  const points = {
    type: 'FeatureCollection',
    features: Array.from({ length: demand.owner.length }, (_, i) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [demand.coords[2 * i]!, demand.coords[2 * i + 1]!] },
      properties: { population: demand.weight[i]!, community_id: `c${demand.owner[i]!}` },
    })),
  };
  return { communities, facilities, demand: points };
}

interface AnalyzeRun {
  readonly startedAt: number;
  readonly totalMs: number;
  /** Milliseconds spent in each stage the progress events mark. */
  readonly stageMs: Map<string, number>;
  /** [stage, start, end] windows (performance.now()), to attribute GC pauses to stages. */
  readonly windows: [string, number, number][];
  readonly result: ReturnType<typeof analyzeCoverage>;
}

function runAnalyze(input: GeoJsonInput, memory?: MemorySampler): AnalyzeRun {
  const radii = Object.fromEntries(TYPE_SPECS.map((s) => [s.id, s.radius]));
  const stageMs = new Map<string, number>();
  const windows: [string, number, number][] = [];
  const t0 = performance.now();
  let stage = 'validate';
  let since = t0;
  const result = analyzeCoverage(input, {
    radii,
    types: TYPE_SPECS.map((s) => s.id),
    ...(GROUP_CELL === undefined
      ? {}
      : { distance: (origins: Origins) => new GreatCircleSource(origins, SOURCE_OPTIONS) }),
    onProgress: (event) => {
      memory?.sample();
      const now = performance.now();
      stageMs.set(stage, (stageMs.get(stage) ?? 0) + now - since);
      windows.push([stage, since, now]);
      stage = event.stage;
      since = now;
    },
  });
  const end = performance.now();
  stageMs.set(stage, (stageMs.get(stage) ?? 0) + end - since);
  windows.push([stage, since, end]);
  memory?.sample();
  sink += result.summary.population;
  return { startedAt: t0, totalMs: end - t0, stageMs, windows, result };
}

// ---------------------------------------------------------------------------------------------
// 3–5. Baselines, each answering the same questions for a list of demand points
// ---------------------------------------------------------------------------------------------

interface BaselineRun {
  readonly answers: Answers;
  /** Exact distance evaluations (pair checks). */
  readonly pairChecks: number;
}

/** One baseline's answer at one demand point for one type, written by its point answerer. */
interface PointAnswer {
  /** Facilities of the type within its radius. */
  count: number;
  /** Metres to the nearest facility of the type. */
  nearestM: number;
  /** Exact distance evaluations made for this answer. */
  pairChecks: number;
}

/**
 * The loop the baselines share: `answererFor` gives, per facility type, the function that answers at
 * one demand point; it runs for every point of `points`. A type without facilities answers no count
 * and an infinite nearest without asking (as the engine does).
 */
function answerEachPoint(
  city: City,
  points: Uint32Array,
  answererFor: (type: FacilityType, t: number) => (lon: number, lat: number, out: PointAnswer) => void,
): BaselineRun {
  const answers = emptyAnswers(points, city.types.length);
  // One answer object reused for every point: the loop allocates nothing per point.
  const out: PointAnswer = { count: 0, nearestM: Number.POSITIVE_INFINITY, pairChecks: 0 };
  let pairChecks = 0;
  const { coords } = city.demand;
  city.types.forEach((type, t) => {
    const within = answers.withinCount[t]!;
    const nearest = answers.nearestM[t]!;
    if (type.coords.length === 0) {
      nearest.fill(Number.POSITIVE_INFINITY);
      return;
    }
    const answerAt = answererFor(type, t);
    for (let k = 0; k < points.length; k++) {
      const i = points[k]!;
      out.count = 0;
      out.nearestM = Number.POSITIVE_INFINITY;
      out.pairChecks = 0;
      answerAt(coords[2 * i]!, coords[2 * i + 1]!, out);
      within[k] = out.count;
      nearest[k] = out.nearestM;
      pairChecks += out.pairChecks;
    }
  });
  return { answers, pairChecks };
}

/** Naive: Turf `distance` for every (demand point, facility of the type) pair. */
function runTurf(city: City, points: Uint32Array): BaselineRun {
  const options = { units: 'meters' as const };
  return answerEachPoint(city, points, (type) => {
    const facilities = Array.from({ length: type.coords.length >> 1 }, (_, f) => [
      type.coords[2 * f]!,
      type.coords[2 * f + 1]!,
    ]);
    return (lon, lat, out) => {
      const from = [lon, lat];
      for (const to of facilities) {
        const d = turfDistance(from, to, options);
        if (d <= type.radius) out.count++;
        if (d < out.nearestM) out.nearestM = d;
      }
      out.pairChecks = facilities.length;
    };
  });
}

/** One point index per facility type, filled as flatbush and kdbush both are: add each point, then finish. */
function buildIndexes<Index extends { add(x: number, y: number): number; finish(): unknown }>(
  city: City,
  make: (points: number) => Index,
): Index[] {
  return city.types.map((type) => {
    const n = type.coords.length >> 1;
    const index = make(n);
    for (let f = 0; f < n; f++) index.add(type.coords[2 * f]!, type.coords[2 * f + 1]!);
    index.finish();
    return index;
  });
}

/**
 * Straightforward flatbush: per demand point and type a degree box around the radius (wider in
 * longitude by 1/cos of the box's farthest latitude), exact haversine over the hits; for the
 * nearest, the box doubles until the nearest hit lies within it.
 */
function runFlatbush(city: City, indexes: readonly Flatbush[], points: Uint32Array): BaselineRun {
  return answerEachPoint(city, points, (type, t) => {
    const index = indexes[t]!;
    const fc = type.coords;
    return (lon, lat, out) => {
      let reachM = type.radius;
      for (let first = true; first || out.nearestM > reachM; first = false) {
        if (!first) reachM *= 2;
        const dLat = (reachM * 1.0001) / METRES_PER_DEGREE;
        const dLon = (reachM * 1.0001) / metresPerDegreeLon(Math.min(89, Math.abs(lat) + dLat));
        const hits = index.search(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
        out.pairChecks += hits.length;
        for (const f of hits) {
          const d = haversineM(lon, lat, fc[2 * f]!, fc[2 * f + 1]!);
          if (first && d <= type.radius) out.count++;
          if (d < out.nearestM) out.nearestM = d;
        }
      }
    };
  });
}

// geokdbush measures on a sphere of 6,371 km; a radius in its kilometres that spans the same angle.
const GEOKDBUSH_KM_PER_M = 6371 / 6_371_008.8;

/** kdbush + geokdbush: `around` within the radius for the count, `around(…, 1)` when none is near. */
function runGeokdbush(city: City, indexes: readonly KDBush[], points: Uint32Array): BaselineRun {
  return answerEachPoint(city, points, (type, t) => {
    const index = indexes[t]!;
    const fc = type.coords;
    const maxKm = type.radius * GEOKDBUSH_KM_PER_M * (1 + 1e-9);
    return (lon, lat, out) => {
      const near = around(index, lon, lat, Number.POSITIVE_INFINITY, maxKm);
      out.pairChecks += near.length;
      for (const f of near) {
        const d = haversineM(lon, lat, fc[2 * f]!, fc[2 * f + 1]!);
        if (d <= type.radius) out.count++;
        if (d < out.nearestM) out.nearestM = d;
      }
      if (near.length === 0) {
        const f = around(index, lon, lat, 1)[0]!;
        out.pairChecks++;
        out.nearestM = haversineM(lon, lat, fc[2 * f]!, fc[2 * f + 1]!);
      }
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Agreement
// ---------------------------------------------------------------------------------------------

const REL_TOLERANCE = 1e-6;

/** Mismatches of `other` against `reference` on the points both answered. */
function compare(reference: Answers, other: Answers): { within: number; nearest: number; first: string } {
  const at = new Int32Array(POINTS).fill(-1);
  for (let k = 0; k < reference.points.length; k++) at[reference.points[k]!] = k;
  let within = 0;
  let nearest = 0;
  let first = '';
  for (let t = 0; t < reference.withinCount.length; t++) {
    for (let k = 0; k < other.points.length; k++) {
      const r = at[other.points[k]!]!;
      if (r < 0) continue;
      const wa = reference.withinCount[t]![r]!;
      const wb = other.withinCount[t]![k]!;
      const na = reference.nearestM[t]![r]!;
      const nb = other.nearestM[t]![k]!;
      const sameNearest = na === nb || Math.abs(na - nb) <= REL_TOLERANCE * Math.max(1, Math.abs(na));
      if (wa !== wb) within++;
      if (!sameNearest) nearest++;
      if ((wa !== wb || !sameNearest) && first === '') {
        first = `point ${other.points[k]}, ${TYPE_SPECS[t]!.id}: within ${wa} vs ${wb}, nearest ${na} vs ${nb} m`;
      }
    }
  }
  return { within, nearest, first };
}

function coveredCounts(answers: Answers): number[] {
  return answers.withinCount.map((w) => w.reduce((n, c) => n + (c > 0 ? 1 : 0), 0));
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function sampleOf(n: number, size: number, seed: number): Uint32Array {
  const random = seededRandom(seed);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(size, n)) chosen.add(Math.floor(random() * n));
  return Uint32Array.from([...chosen].sort((a, b) => a - b));
}

interface Row {
  name: string;
  scope: string;
  stats: Stats | null;
  /** Estimated or measured time for all demand points × all types (ms). */
  fullMs: number;
  queriesPerS: number;
  pairsPerS: number | null;
  memory: string;
}

async function main(): Promise<void> {
  const gcMeter = new GcMeter();
  const totalFacilities = () => city.types.reduce((n, t) => n + (t.coords.length >> 1), 0);
  console.log(
    `lifecircle coverage bench${SMALL ? ' (--small)' : ''}: node ${process.version}, seed ${SEED}, ${REPS} reps after a warm-up`,
  );
  let t0 = performance.now();
  const city = makeCity(SEED);
  const queries = POINTS * city.types.length;
  console.log(
    `city: ${formatCount(POINTS)} demand points in ${formatCount(COMMUNITIES)} communities, ${formatCount(totalFacilities())} facilities (${city.types.map((t) => `${t.id} ${t.coords.length >> 1} @ ${t.radius} m`).join(', ')}); generated in ${formatMs(performance.now() - t0)}`,
  );
  const sample = sampleOf(POINTS, SAMPLE, SEED + 1);
  const rows: Row[] = [];
  /** The row of a method timed on every demand point: its full time is its fastest run; memory its rss. */
  const fullRunRow = (name: string, runStats: Stats, peakMemory: string): Row => ({
    name,
    scope: `all ${formatCount(POINTS)}`,
    stats: runStats,
    fullMs: runStats.min,
    queriesPerS: queries / (runStats.min / 1000),
    pairsPerS: null,
    memory: peakMemory.split(',')[0]!,
  });
  const memory = new MemorySampler();
  let failed = false;

  // 1. Engine: a warm-up run, REPS timed runs (each dropped before the next), then one run sampled
  // for memory whose results the checks below use.
  runEngine(city);
  const engineRuns: { startedAt: number; buildMs: number; typeMs: number[]; totalMs: number }[] = [];
  for (let r = 0; r < REPS; r++) {
    collectGarbage();
    const { startedAt, buildMs, typeMs, totalMs } = runEngine(city);
    engineRuns.push({ startedAt, buildMs, typeMs, totalMs });
  }
  collectGarbage();
  memory.start();
  const engineResult = runEngine(city, memory);
  const engineMemory = memory.report();
  const engineStats = stats(engineRuns.map((r) => r.totalMs));
  const engineAnswers = answersFromCoverages(sample, engineResult.coverages);
  console.log(`\n1. engine: GreatCircleSource + measureCoverage × ${city.types.length} types`);
  console.log(
    `   origin groups (owner × ${GROUP_CELL === undefined ? "the library's default" : `${GROUP_CELL} m`} cell): ${formatCount(engineResult.groups)}`,
  );
  console.log(`   full run ${formatStats(engineStats)}`);
  console.log(`   index build ${formatStats(stats(engineRuns.map((r) => r.buildMs)))}`);
  city.types.forEach((type, t) => {
    const s = stats(engineRuns.map((r) => r.typeMs[t]!));
    const cov = engineResult.coverages[t]!;
    const gaps = cov.community.gap.reduce((n, g) => n + g, 0);
    console.log(
      `   ${type.id.padEnd(24)} ${String(type.radius).padStart(4)} m: ${formatStats(s)}; covered ${((100 * cov.coveredPopulation) / cov.population).toFixed(1)}% of residents, ${gaps} gap communities`,
    );
  });
  console.log(`   peak memory ${engineMemory.text}`);
  await gcMeter.flush();
  const engineGc = stats(engineRuns.map((r) => gcMeter.msBetween(r.startedAt, r.startedAt + r.totalMs)));
  console.log(`   garbage collection within the run ${formatStats(engineGc)}`);
  rows.push(fullRunRow('engine (GreatCircleSource + measureCoverage)', engineStats, engineMemory.text));

  if (THREADS > 1) failed = (await compareThreads(city, engineStats.min)) || failed;

  // 2. analyzeCoverage from GeoJSON objects.
  let analyzeAnswers: Answers | null = null;
  if (ONLY.has('geojson')) {
    console.log('\n2. analyzeCoverage from GeoJSON objects (parsing excluded)');
    t0 = performance.now();
    let objects: GeoJsonInput | null = cityAsGeoJson(city);
    const buildObjectsMs = performance.now() - t0;
    t0 = performance.now();
    let text: { communities: string; facilities: string; demand: string } | null = {
      communities: JSON.stringify(objects.communities),
      facilities: JSON.stringify(objects.facilities),
      demand: JSON.stringify(objects.demand),
    };
    const stringifyMs = performance.now() - t0;
    objects = null;
    const bytes = text.communities.length + text.facilities.length + text.demand.length;
    collectGarbage();
    t0 = performance.now();
    const input: GeoJsonInput = {
      communities: JSON.parse(text.communities),
      facilities: JSON.parse(text.facilities),
      demand: JSON.parse(text.demand),
    };
    const parseMs = performance.now() - t0;
    text = null;
    console.log(
      `   GeoJSON: ${formatMiB(bytes)} of text; objects built in ${formatMs(buildObjectsMs)}, JSON.stringify ${formatMs(stringifyMs)}, JSON.parse ${formatMs(parseMs)} (parsing: reported, not timed below)`,
    );
    runAnalyze(input); // warm-up
    // Timings only: each run's result is dropped before the next run starts.
    const analyzeRuns: Omit<AnalyzeRun, 'result'>[] = [];
    for (let r = 0; r < REPS; r++) {
      collectGarbage();
      const { result: _, ...timing } = runAnalyze(input);
      analyzeRuns.push(timing);
    }
    collectGarbage();
    memory.start();
    const measured = runAnalyze(input, memory);
    const analyzeMemory = memory.report();
    await gcMeter.flush();
    const gcIn = (windows: readonly [string, number, number][], stage?: string) =>
      windows.reduce(
        (ms, [name, a, b]) => ms + (stage === undefined || name === stage ? gcMeter.msBetween(a, b) : 0),
        0,
      );
    const analyzeStats = stats(analyzeRuns.map((r) => r.totalMs));
    const analyzeGc = stats(analyzeRuns.map((r) => gcIn(r.windows)));
    console.log(`   end to end ${formatStats(analyzeStats)}; garbage collection ${formatStats(analyzeGc)}`);
    const stageNames = [...new Set(analyzeRuns.flatMap((r) => [...r.stageMs.keys()]))];
    for (const name of stageNames) {
      const s = stats(analyzeRuns.map((r) => r.stageMs.get(name) ?? 0));
      const g = stats(analyzeRuns.map((r) => gcIn(r.windows, name)));
      console.log(`     ${name.padEnd(10)} ${formatStats(s)}; GC ${formatMs(g.mean)}`);
    }
    console.log(`   peak memory ${analyzeMemory.text} (the parsed GeoJSON is in the baseline)`);
    rows.push(fullRunRow('analyzeCoverage (GeoJSON objects)', analyzeStats, analyzeMemory.text));
    rows.push({
      name: '  parsing: JSON.parse (not included above)',
      scope: formatMiB(bytes),
      stats: stats([parseMs]),
      fullMs: parseMs,
      queriesPerS: Number.NaN,
      pairsPerS: null,
      memory: '',
    });

    // Same demand points in the same order, so the reach arrays line up with the engine's.
    const d = measured.result.demand;
    let sameDemand = d.owner.length === POINTS;
    for (let i = 0; sameDemand && i < d.coords.length; i++)
      sameDemand = d.coords[i] === city.demand.coords[i];
    if (!sameDemand) {
      console.error('   FAIL: analyzeCoverage built different demand points from the same city');
      failed = true;
    } else {
      const coverages = TYPE_SPECS.map((s) => measured.result.coverage[s.id]!.coverage);
      analyzeAnswers = answersFromCoverages(sample, coverages);
      let differ = 0;
      coverages.forEach((cov, t) => {
        const ref = engineResult.coverages[t]!;
        for (let i = 0; i < POINTS; i++) {
          if (
            cov.reach.withinCount[i] !== ref.reach.withinCount[i] ||
            cov.reach.nearestIndex[i] !== ref.reach.nearestIndex[i] ||
            cov.reach.nearestCost[i] !== ref.reach.nearestCost[i]
          )
            differ++;
        }
        for (let c = 0; c < COMMUNITIES; c++) {
          if (cov.community.coveredPopulation[c] !== ref.community.coveredPopulation[c]) differ++;
          if (cov.community.withinCount[c] !== ref.community.withinCount[c]) differ++;
        }
      });
      console.log(
        differ === 0
          ? `   identical to the engine on all ${formatCount(POINTS)} points and ${formatCount(COMMUNITIES)} communities`
          : `   FAIL: ${differ} figures differ from the engine`,
      );
      if (differ > 0) failed = true;
    }
  }

  const methods: [string, Answers][] = [['engine', engineAnswers]];
  if (analyzeAnswers) methods.push(['analyzeCoverage', analyzeAnswers]);

  // 3. Naive Turf loop on the sample.
  let naiveFullMs = Number.NaN;
  if (ONLY.has('turf')) {
    console.log(
      `\n3. naive Turf loop: @turf/distance for every pair, ${formatCount(sample.length)} sampled points`,
    );
    runTurf(city, sample.subarray(0, Math.max(1, sample.length >> 3))); // warm-up
    const turf = repeat(REPS, () => runTurf(city, sample), false);
    const turfStats = stats(turf.times);
    naiveFullMs = (turfStats.min * POINTS) / sample.length;
    const turfPairsPerS = turf.result.pairChecks / (turfStats.min / 1000);
    console.log(
      `   sample ${formatStats(turfStats)}; ${formatCount(turf.result.pairChecks)} pair checks, ${formatCount(turfPairsPerS)}/s; scaled to ${formatCount(POINTS)} points: ${formatMs(naiveFullMs)}`,
    );
    rows.push({
      name: 'naive Turf distance loop',
      scope: `sample ${formatCount(sample.length)}, scaled`,
      stats: turfStats,
      fullMs: naiveFullMs,
      queriesPerS: (sample.length * city.types.length) / (turfStats.min / 1000),
      pairsPerS: turfPairsPerS,
      memory: '',
    });
    methods.push(['turf', turf.result.answers]);
  }

  // 4 and 5. Index baselines: timed on a larger sample; on every point when that sample says the
  // run fits the limit, else the sample scaled. Their answers on the small sample are checked.
  const all = Uint32Array.from({ length: POINTS }, (_, i) => i);
  const timingSample = INDEX_SAMPLE >= POINTS ? all : sampleOf(POINTS, INDEX_SAMPLE, SEED + 2);
  let engineAll: Answers | null = null;
  /** Times building one `makeIndex` index per type and answering with `runOn` over them. */
  const indexBaseline = <I extends { add(x: number, y: number): number; finish(): unknown }>(
    label: string,
    name: string,
    makeIndex: (points: number) => I,
    runOn: (city: City, indexes: readonly I[], points: Uint32Array) => BaselineRun,
  ): Answers => {
    console.log(`\n${label}`);
    const run = (indexes: readonly I[], points: Uint32Array) => runOn(city, indexes, points);
    const built = repeat(REPS, () => buildIndexes(city, makeIndex));
    const buildStats = stats(built.times);
    const index = built.result;
    const answers = run(index, sample).answers; // also the warm-up
    const onSample = repeat(REPS, () => run(index, timingSample), false);
    const sampleStats = stats(onSample.times);
    const estimateMs = (sampleStats.min * POINTS) / timingSample.length;
    console.log(
      `   index build (6 indexes) ${formatStats(buildStats)}; ${formatCount(timingSample.length)} sampled points ${formatStats(sampleStats)} → estimate ${formatMs(estimateMs)} for all points`,
    );
    let fullMs: number;
    let pairsPerS: number;
    let scope: string;
    let rowStats: Stats;
    if (timingSample === all || estimateMs <= FULL_LIMIT_MS) {
      const full = timingSample === all ? onSample : repeat(1, () => run(index, all), false);
      rowStats = stats(full.times);
      fullMs = rowStats.min + buildStats.min;
      pairsPerS = full.result.pairChecks / (rowStats.min / 1000);
      scope = `all ${formatCount(POINTS)}${full.times.length === 1 ? ', 1 rep' : ''}`;
      engineAll ??= answersFromCoverages(all, engineResult.coverages);
      const check = compare(engineAll, full.result.answers);
      console.log(
        `   all points: ${formatStats(rowStats)} + index build; ${formatCount(full.result.pairChecks)} pair checks (${formatCount(pairsPerS)}/s); against the engine on all points: ${check.within + check.nearest === 0 ? 'agree' : `DISAGREE (${check.within} counts, ${check.nearest} nearest; ${check.first})`}`,
      );
      if (check.within + check.nearest > 0) failed = true;
      sink += full.result.pairChecks;
    } else {
      rowStats = sampleStats;
      fullMs = estimateMs + buildStats.min;
      pairsPerS = onSample.result.pairChecks / (sampleStats.min / 1000);
      scope = `sample ${formatCount(timingSample.length)}, scaled`;
      console.log(
        `   estimate over the ${formatMs(FULL_LIMIT_MS)} limit: reporting the sample scaled to all points`,
      );
      sink += onSample.result.pairChecks;
    }
    rows.push({
      name,
      scope,
      stats: rowStats,
      fullMs,
      queriesPerS: queries / (fullMs / 1000),
      pairsPerS,
      memory: '',
    });
    return answers;
  };
  if (ONLY.has('flatbush')) {
    const title = '4. flatbush box queries + exact haversine';
    methods.push([
      'flatbush',
      indexBaseline(title, 'flatbush box queries', (n) => new Flatbush(n), runFlatbush),
    ]);
  }
  if (ONLY.has('kdbush')) {
    const title = '5. kdbush + geokdbush around';
    methods.push([
      'geokdbush',
      indexBaseline(title, 'kdbush + geokdbush', (n) => new KDBush(n), runGeokdbush),
    ]);
  }

  // Agreement on the sample.
  console.log(`\nagreement on the ${formatCount(sample.length)} sampled points (covered points per type):`);
  for (const [name, answers] of methods) {
    console.log(`   ${name.padEnd(16)} ${coveredCounts(answers).join(' / ')}`);
  }
  let disagree = 0;
  for (const [name, answers] of methods.slice(1)) {
    const c = compare(engineAnswers, answers);
    if (c.within + c.nearest > 0) {
      disagree++;
      console.error(
        `   ${name} DISAGREES with the engine: ${c.within} counts, ${c.nearest} nearest distances; first: ${c.first}`,
      );
    }
  }
  if (methods.length < 2) console.log('   (only the engine ran: nothing to compare)');
  else if (disagree === 0)
    console.log('   results agree (counts identical, nearest distances within 1e-6 relative)');
  else failed = true;

  // Summary table.
  console.log(
    `\nsummary: ${formatCount(POINTS)} demand points × ${formatCount(totalFacilities())} facilities, 6 types (${formatCount(queries)} point × type queries)\n`,
  );
  console.log(
    table(
      [
        'method',
        'scope',
        'time (min)',
        'mean ± sd',
        'full-size time',
        'queries/s',
        'pair checks/s',
        'vs naive',
        'peak memory',
      ],
      rows.map((r) => [
        r.name,
        r.scope,
        r.stats ? formatMs(r.stats.min) : '',
        r.stats && r.stats.n > 1 ? `${formatMs(r.stats.mean)} ± ${formatMs(r.stats.sd)}` : '',
        formatMs(r.fullMs),
        Number.isNaN(r.queriesPerS) ? '' : formatCount(r.queriesPerS),
        r.pairsPerS === null ? '' : formatCount(r.pairsPerS),
        Number.isNaN(r.queriesPerS) || Number.isNaN(naiveFullMs)
          ? ''
          : `${formatRatio(naiveFullMs / r.fullMs)}×`,
        r.memory,
      ]),
    ),
  );
  const ratio = naiveFullMs / engineStats.min;
  const underFloor = engineStats.min < 3000;
  const ratioText = Number.isNaN(ratio)
    ? 'ratio against the naive loop: not run'
    : `${formatRatio(ratio)}× the naive loop's throughput ${ratio >= 1000 ? '≥' : '<'} 1,000×: ${ratio >= 1000 ? 'met' : 'NOT met'}`;
  console.log(
    `\nfloors (full size): engine full run ${formatMs(engineStats.min)} ${underFloor ? '<' : '≥'} 3 s: ${underFloor ? 'met' : 'NOT met'}; ${ratioText}${SMALL ? ' (--small: the floors apply to the full size)' : ''}`,
  );
  console.log(`process peak rss (maxRSS) ${formatMiB(process.resourceUsage().maxRSS * 1024)}; sink ${sink}`);
  if (failed) {
    console.error('FAIL: the methods disagree');
    process.exitCode = 1;
  }
  gcMeter.stop();
}

await main();
