/**
 * End-to-end benchmark (issue #16): the built `lifecircle analyze` (packages/cli/dist, as `pnpm
 * lifecircle` runs it) from files to files, timed as a child process with its peak memory (max RSS,
 * from /usr/bin/time), against the straightforward flatbush + geokdbush script
 * (bench/e2e-baseline.mjs) on the same files, alternating the two in one run.
 *
 *   node bench/run.mjs e2e --job city         # 200,000 point communities × 6,000 facilities × 3 types
 *   node bench/run.mjs e2e --job demand       # 1,000,000 demand points (GeoJSON lines) × 10,000 facilities × 6 types
 *   node bench/run.mjs e2e --job million      # 1,000,000 point communities × 10,000 facilities × 3 types
 *   node bench/run.mjs e2e --job million-lines  # the same with the communities as GeoJSON lines (#17)
 *   node bench/run.mjs e2e --job matrix       # --cost-matrix of 10,000 communities × 1,000 facilities (10M pairs, ~250 MB CSV)
 *   node bench/run.mjs e2e --job province     # 20,000,000 demand points (GeoJSON lines) × 100,000 facilities × 6 types
 *                                              # over a province (about 4 × 3 degrees, 100 districts), outputs by district
 *   node bench/run.mjs e2e --job pingliang    # the bundled city
 *
 * Options:
 *   --reps N        timed runs of each program (default 3; `million` and `demand` default to 1)
 *   --communities N, --facilities N, --demand N   sizes (defaults per job above)
 *   --districts N   districts the communities are spread over (default 7; `province` 100)
 *   --generate-only write the job's inputs and stop (a 20M-point file takes minutes to write)
 *   --no-baseline   time the CLI only
 *   --data DIR      where the generated inputs are kept between runs (default: the system's temp folder)
 *
 * Run `pnpm build:cli` first (the install does). Exits with code 1 when the CLI and the script
 * disagree on any community's count within the radius or nearest distance, or the CLI fails.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, formatMs, gaussian, seededRandom, stats, table } from './lib.js';

/** The repository root: this script runs from bench/ (tsx) or bench/.build/ (bench/run.mjs). */
const ROOT = [new URL('..', import.meta.url), new URL('../..', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, 'pnpm-workspace.yaml')))!;
const CLI = join(ROOT, 'packages/cli/dist/main.js');
const BASELINE = join(ROOT, 'bench/e2e-baseline.mjs');
const args = process.argv.slice(2);
const job = argValue(args, 'job') ?? 'city';

/** The catalog's radii of the types the synthetic cities use. */
const TYPES: readonly (readonly [string, number])[] = [
  ['kindergarten', 300],
  ['elderly_service_station', 300],
  ['fresh_market', 500],
  ['community_health_station', 300],
  ['primary_school', 500],
  ['community_health_center', 1000],
];

interface Job {
  readonly communities: number;
  readonly facilities: number;
  readonly types: number;
  readonly demand: number;
  readonly reps: number;
  readonly baseline: boolean;
  /** Write a cost-matrix CSV of every community × facility pair and analyse with --cost-matrix. */
  readonly matrix?: boolean;
  /** Districts the communities are dealt over (`D1` …). */
  readonly districts: number;
  /** Spread of the settlement in degrees: a city's 0.04 / 0.12, a province's tens of times that. */
  readonly spread: number;
  /** Extra options of the CLI run (a province writes outputs by district only). */
  readonly cliOptions?: readonly string[];
  /** Write the communities as GeoJSON lines (`communities.geojsonl`) rather than one collection. */
  readonly communityLines?: boolean;
}

const CITY = { districts: 7, spread: 1 } as const;
const MILLION: Job = {
  communities: 1_000_000,
  facilities: 10_000,
  types: 3,
  demand: 0,
  reps: 1,
  baseline: false,
  ...CITY,
};
const defaults: Record<string, Job> = {
  city: { communities: 200_000, facilities: 6_000, types: 3, demand: 0, reps: 3, baseline: true, ...CITY },
  demand: {
    communities: 10_000,
    facilities: 10_000,
    types: 6,
    demand: 1_000_000,
    reps: 1,
    baseline: false,
    ...CITY,
  },
  million: MILLION,
  'million-lines': { ...MILLION, communityLines: true },

  province: {
    communities: 50_000,
    facilities: 100_000,
    types: 6,
    demand: 20_000_000,
    reps: 1,
    baseline: false,
    districts: 100,
    spread: 15,
    cliOptions: ['--community-outputs', 'none', '--progress'],
  },
  matrix: {
    ...CITY,
    communities: 10_000,
    facilities: 1_000,
    types: 3,
    demand: 0,
    reps: 1,
    baseline: false,
    matrix: true,
  },
};

function numberArg(name: string, fallback: number): number {
  const value = argValue(args, name);
  return value === undefined ? fallback : Number(value);
}

const CENTRE = [106.665, 35.543] as const;
/**
 * A city of clusters about 15 km across, denser in the middle, as in bench/coverage.ts; `scale` 15
 * spreads the same shape over a province (about 4 × 3 degrees).
 */
function place(random: () => number, scale = 1): [number, number] {
  const spread = (random() < 0.7 ? 0.04 : 0.12) * scale;
  return [
    Number((CENTRE[0] + gaussian(random) * spread).toFixed(6)),
    Number((CENTRE[1] + gaussian(random) * spread * 0.8).toFixed(6)),
  ];
}

/** Writes lines to a file in chunks (a million features do not fit in one string). */
function writeLines(path: string, count: number, line: (i: number) => string, head = '', tail = ''): void {
  const fd = openSync(path, 'w');
  let chunk = head;
  for (let i = 0; i < count; i++) {
    chunk += line(i);
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk + tail);
  closeSync(fd);
}

function collectionOf(path: string, count: number, feature: (i: number) => string): void {
  writeLines(
    path,
    count,
    (i) => (i === 0 ? '' : ',\n') + feature(i),
    '{"type":"FeatureCollection","features":[\n',
    '\n]}\n',
  );
}

function point([lon, lat]: [number, number]): string {
  return `{"type":"Point","coordinates":[${lon},${lat}]}`;
}

/** The inputs of a job, generated once (seeded) and kept in the data folder. */
function inputs(spec: Job): {
  dir: string;
  communities: string;
  facilities: string;
  demand?: string;
  matrix?: string;
} {
  const base = argValue(args, 'data') ?? join(tmpdir(), 'lifecircle-e2e');
  const dir = join(
    base,
    `c${spec.communities}-f${spec.facilities}-t${spec.types}-d${spec.demand}${spec.matrix ? '-m' : ''}${spec.communityLines ? '-l' : ''}${
      spec.districts === CITY.districts && spec.spread === CITY.spread
        ? ''
        : `-k${spec.districts}-s${spec.spread}`
    }`,
  );
  const matrix = spec.matrix ? join(dir, 'cost-matrix.csv') : undefined;
  const communities = join(dir, spec.communityLines ? 'communities.geojsonl' : 'communities.geojson');
  const facilities = join(dir, 'facilities.geojson');
  const demand = spec.demand > 0 ? join(dir, 'demand.geojsonl') : undefined;
  if (!existsSync(join(dir, 'done'))) {
    mkdirSync(dir, { recursive: true });
    const random = seededRandom(20261206);
    const communityAt = Array.from({ length: spec.communities }, () => place(random, spec.spread));
    const community = (i: number) =>
      `{"type":"Feature","properties":{"id":"C${i + 1}","name":"社区${i + 1}","district":"D${(i % spec.districts) + 1}","population":${
        spec.demand > 0 ? 0 : 200 + Math.floor(random() * 3000)
      }},"geometry":${point(communityAt[i]!)}}`;
    if (spec.communityLines) writeLines(communities, spec.communities, (i) => `${community(i)}\n`);
    else collectionOf(communities, spec.communities, community);
    collectionOf(
      facilities,
      spec.facilities,
      (i) =>
        `{"type":"Feature","properties":{"id":"F${i + 1}","type":"${TYPES[i % spec.types]![0]}"},"geometry":${point(place(random, spec.spread))}}`,
    );
    if (demand) {
      writeLines(demand, spec.demand, (i) => {
        const community = i % spec.communities;
        const [lon, lat] = communityAt[community]!;
        const at: [number, number] = [
          Number((lon + (random() - 0.5) * 0.004 * Math.sqrt(spec.spread)).toFixed(6)),
          Number((lat + (random() - 0.5) * 0.003 * Math.sqrt(spec.spread)).toFixed(6)),
        ];
        return `{"type":"Feature","properties":{"population":${1 + Math.floor(random() * 20)},"community_id":"C${community + 1}"},"geometry":${point(at)}}\n`;
      });
    }
    if (matrix) {
      // As a routing engine exports it: every pair, a walking distance in metres and a duration.
      writeLines(
        matrix,
        spec.communities * spec.facilities,
        (i) => {
          const metres = 50 + random() * 4000;
          return `C${Math.floor(i / spec.facilities) + 1},F${(i % spec.facilities) + 1},${metres.toFixed(1)},${(metres / 1.2).toFixed(1)}\n`;
        },
        'origin_id,destination_id,cost,duration_s\n',
      );
    }
    writeLines(join(dir, 'done'), 0, () => '');
  }
  return { dir, communities, facilities, ...(demand ? { demand } : {}), ...(matrix ? { matrix } : {}) };
}

interface Timed {
  readonly seconds: number;
  readonly peakMiB: number | null;
  /** User + system CPU seconds of the child (GNU time's %U + %S): the load-independent cost. */
  readonly cpuSeconds: number | null;
  readonly stdout: string;
}

/** Runs node on a script, timed with its peak resident memory (GNU time's %M, in KiB). */
function timed(script: string, scriptArgs: readonly string[]): Timed {
  const useTime = existsSync('/usr/bin/time');
  const command = useTime ? '/usr/bin/time' : process.execPath;
  const commandArgs = useTime
    ? ['-f', 'e2e-time %e %M %U %S', process.execPath, script, ...scriptArgs]
    : [script, ...scriptArgs];
  const t0 = performance.now();
  const run = spawnSync(command, commandArgs, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) {
    process.stderr.write(`${script} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}\n`);
    process.exit(1);
  }
  const measured = /e2e-time ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(run.stderr);
  return {
    seconds,
    peakMiB: measured ? Number(measured[2]) / 1024 : null,
    cpuSeconds: measured ? Number(measured[3]) + Number(measured[4]) : null,
    stdout: run.stdout,
  };
}

function cliArgs(files: ReturnType<typeof inputs>, spec: Job, out: string): string[] {
  return [
    'analyze',
    '--communities',
    files.communities,
    '--facilities',
    files.facilities,
    ...(files.demand ? ['--demand', files.demand] : []),
    ...(files.matrix ? ['--cost-matrix', files.matrix] : []),
    '--types',
    TYPES.slice(0, spec.types)
      .map(([t]) => t)
      .join(','),
    '--out',
    out,
    ...(spec.cliOptions ?? ['--quiet']),
  ];
}

/** Every community's within-radius counts and nearest distances agree between the two outputs. */
function compare(cliOut: string, baselineOut: string, spec: Job): number {
  const read = (dir: string) =>
    (
      JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8')) as {
        features: { properties: Record<string, unknown> }[];
      }
    ).features;
  const a = read(cliOut);
  const b = read(baselineOut);
  let disagreements = a.length === b.length ? 0 : 1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    for (const [type] of TYPES.slice(0, spec.types)) {
      const pa = a[i]!.properties;
      const pb = b[i]!.properties;
      const nearestA = pa[`${type}_nearest_m`] as number | null;
      const nearestB = pb[`${type}_nearest_m`] as number | null;
      if (
        pa[`${type}_within_count`] !== pb[`${type}_within_count`] ||
        (nearestA === null) !== (nearestB === null) ||
        Math.abs((nearestA ?? 0) - (nearestB ?? 0)) > 0.11
      ) {
        if (disagreements < 5) {
          process.stderr.write(`DISAGREES on ${pa.id} ${type}: ${JSON.stringify([pa, pb])}\n`);
        }
        disagreements++;
      }
    }
  }
  return disagreements;
}

function describe(spec: Job): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(spec.communities)} point communities${spec.communityLines ? ' (GeoJSON lines)' : ''}${spec.demand ? `, ${n(spec.demand)} demand points (GeoJSON lines)` : ''} × ${n(spec.facilities)} facilities × ${spec.types} types${spec.matrix ? ` through a cost matrix of ${n(spec.communities * spec.facilities)} pairs` : ''}`;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function main(): void {
  if (!existsSync(CLI)) {
    process.stderr.write(`${CLI} is missing: build the CLI first (pnpm build:cli).\n`);
    process.exit(1);
  }
  const outRoot = join(tmpdir(), `lifecircle-e2e-out-${process.pid}`);
  const rows: string[][] = [];
  if (job === 'pingliang') {
    const fixture = join(ROOT, 'fixtures/pingliang');
    const reps = numberArg('reps', 5);
    const times: number[] = [];
    let peak: number | null = null;
    for (let r = 0; r < reps; r++) {
      const run = timed(CLI, [
        'analyze',
        '--communities',
        join(fixture, 'communities.geojson'),
        '--facilities',
        join(fixture, 'facilities.geojson'),
        '--out',
        join(outRoot, 'pingliang'),
        '--quiet',
      ]);
      times.push(run.seconds * 1000);
      peak = Math.max(peak ?? 0, run.peakMiB ?? 0);
    }
    const s = stats(times);
    rows.push(['lifecircle analyze (built)', formatMs(s.min), formatMs(s.mean), `${peak?.toFixed(0)} MiB`]);
    console.log(`bundled city (fixtures/pingliang), load average ${load()}`);
  } else {
    const base = defaults[job];
    if (!base) {
      process.stderr.write(
        `unknown --job ${job}: city, demand, million, million-lines, province, matrix or pingliang\n`,
      );
      process.exit(2);
    }
    const spec: Job = {
      communities: numberArg('communities', base.communities),
      facilities: numberArg('facilities', base.facilities),
      types: numberArg('types', base.types),
      demand: numberArg('demand', base.demand),
      reps: numberArg('reps', base.reps),
      baseline: base.baseline && !args.includes('--no-baseline'),
      districts: numberArg('districts', base.districts),
      spread: base.spread,
      ...(base.matrix ? { matrix: true } : {}),
      ...(base.cliOptions ? { cliOptions: base.cliOptions } : {}),
      ...(base.communityLines ? { communityLines: true } : {}),
    };
    console.log(`${describe(spec)}; load average before generating ${load()}`);
    const generating = performance.now();
    const files = inputs(spec);
    console.log(`inputs ready in ${formatMs(performance.now() - generating)}: ${files.dir}`);
    if (args.includes('--generate-only')) return;
    for (const file of [files.matrix, files.demand]) {
      if (!file) continue;
      const size = spawnSync('du', ['-m', file], { encoding: 'utf8' }).stdout.split('\t')[0];
      console.log(`${file}: ${size} MB`);
    }
    const radii = TYPES.slice(0, spec.types)
      .map(([t, r]) => `${t}=${r}`)
      .join(',');
    const cliTimes: number[] = [];
    const cliCpu: number[] = [];
    const baselineTimes: number[] = [];
    let cliPeak = 0;
    let baselinePeak = 0;
    const loads: string[] = [];
    for (let r = 0; r < spec.reps; r++) {
      loads.push(load());
      const cli = timed(CLI, cliArgs(files, spec, join(outRoot, 'cli')));
      cliTimes.push(cli.seconds * 1000);
      if (cli.cpuSeconds !== null) cliCpu.push(cli.cpuSeconds);
      cliPeak = Math.max(cliPeak, cli.peakMiB ?? 0);
      if (spec.baseline) {
        const script = timed(BASELINE, [
          files.communities,
          files.facilities,
          join(outRoot, 'baseline'),
          radii,
        ]);
        baselineTimes.push(script.seconds * 1000);
        baselinePeak = Math.max(baselinePeak, script.peakMiB ?? 0);
      }
    }
    console.log(`load average at each repetition: ${loads.join('; ')}`);
    if (cliCpu.length > 0)
      console.log(`CLI CPU time (user + sys) per run: ${cliCpu.map((t) => `${t.toFixed(1)} s`).join(', ')}`);
    if (files.demand && cliPeak > 0) console.log(memoryAgainstEstimate(files, spec, cliPeak));
    const c = stats(cliTimes);
    rows.push(['lifecircle analyze (built)', formatMs(c.min), formatMs(c.mean), `${cliPeak.toFixed(0)} MiB`]);
    if (spec.baseline) {
      const b = stats(baselineTimes);
      rows.push([
        'flatbush + geokdbush script',
        formatMs(b.min),
        formatMs(b.mean),
        `${baselinePeak.toFixed(0)} MiB`,
      ]);
      const disagreements = compare(join(outRoot, 'cli'), join(outRoot, 'baseline'), spec);
      console.log(
        `CLI / script: ${(c.min / b.min).toFixed(2)} (min), ${(c.mean / b.mean).toFixed(2)} (mean); floor ≤ 0.5: ${
          c.mean / b.mean <= 0.5 ? 'met' : 'NOT met'
        }; ${disagreements === 0 ? 'same figures on every community' : `${disagreements} DISAGREEMENTS`}`,
      );
      if (disagreements > 0) process.exitCode = 1;
    }
    const written = spawnSync('ls', ['-l', join(outRoot, 'cli')], { encoding: 'utf8' }).stdout;
    console.log(`CLI wrote:\n${written}`);
  }
  console.log(table(['program', 'min', 'mean', 'peak RSS'], rows));
  console.log(`load average after: ${load()}`);
  rmSync(outRoot, { recursive: true, force: true });
}

/**
 * The CLI's peak against its memory pre-check's estimate for the same files (options/memory.ts), and
 * the peak per demand point above the estimate's part for everything else: a line that shows a
 * per-point memory regression (issue #16's province job went from about 250 to 410 bytes a point
 * unnoticed) without a 20M run.
 */
function memoryAgainstEstimate(files: ReturnType<typeof inputs>, spec: Job, peakMiB: number): string {
  const run = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { estimateMemory, MEMORY_MODEL } = await import(${JSON.stringify(join(ROOT, 'packages/cli/dist/options/memory.js'))});
       const e = estimateMemory(${JSON.stringify({
         communities: files.communities,
         facilities: files.facilities,
         demand: files.demand,
         types: TYPES.slice(0, spec.types)
           .map(([t]) => t)
           .join(','),
       })});
       const perPoint = MEMORY_MODEL.perPointBytes + MEMORY_MODEL.perPointTypeBytes * e.types;
       console.log(JSON.stringify({ peak: e.peakBytes, points: e.demandPoints, perPoint }));`,
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) return `memory estimate not available: ${run.stderr.trim()}`;
  const { peak, points, perPoint } = JSON.parse(run.stdout) as {
    peak: number;
    points: number;
    perPoint: number;
  };
  const peakBytes = peakMiB * 2 ** 20;
  const others = peak - points * perPoint;
  const measuredPerPoint = (peakBytes - others) / spec.demand;
  return `peak RSS ${peakMiB.toFixed(0)} MiB against the pre-check's estimate ${(peak / 2 ** 20).toFixed(0)} MiB (${((100 * peakBytes) / peak).toFixed(0)} %): ${measuredPerPoint.toFixed(0)} bytes a demand point above the estimate's other inputs, where the model says ${perPoint}${measuredPerPoint > 1.1 * perPoint ? ' (MORE than the model: a per-point memory regression, or the model needs calibrating)' : ''}`;
}

main();
