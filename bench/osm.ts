/**
 * OpenStreetMap reading benchmark: writes a synthetic provincial extract as OSM PBF (a jittered grid
 * of nodes over 4° × 4° around Pingliang, cut into streets of 10 segments with a mix of highway tags,
 * one node in 2,000 a tagged facility, written with io's `OsmPbfWriter` in blocks of 8,000), then reads
 * it from disk as a stream in a fresh process each time: clipped to a city box of 0.3° × 0.3° as the
 * network and as the facilities, and whole as the facilities (every node kept); it reports the time and the process's peak resident memory (`maxRSS`).
 *
 *   node bench/run.mjs osm                     # 40,000,000 nodes (about 300 MB)
 *   node bench/run.mjs osm --nodes 4000000     # a tenth
 *
 * Options:
 *   --nodes N        nodes in the extract (default 40,000,000)
 *   --file PATH      where the extract is written (default bench/.build/synthetic-N.osm.pbf; kept and
 *                    reused when it exists)
 *   --seed N         seed of the jitter and tags (default 7)
 *   --generate-only  write the extract and stop (to time the CLI on it: docs/benchmarks.md)
 *
 * Exits with code 1 when a reading peaks above 2 GiB or finds nothing.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OsmPbfWriter, readOsm } from '../packages/io/src/index.js';
import { argValue, formatCount, formatMiB, formatMs, seededRandom, table } from './lib.js';

const args = process.argv.slice(2);
const NODES = Number(argValue(args, 'nodes') ?? 40_000_000);
const SEED = Number(argValue(args, 'seed') ?? 7);
const HERE = dirname(fileURLToPath(import.meta.url));
const FILE = argValue(args, 'file') ?? join(HERE, `synthetic-${NODES}.osm.pbf`);
const LIMIT_BYTES = 2 * 1024 ** 3;
const WEST = 104.66;
const SOUTH = 33.54;
const SPAN = 4;
const CITY = [106.5, 35.4, 106.8, 35.7] as const;
const SEGMENTS = 10;
const HIGHWAYS = [
  ...Array<string>(12).fill('residential'),
  ...Array<string>(4).fill('footway'),
  ...Array<string>(2).fill('service'),
  'tertiary',
  'motorway',
];
const AMENITIES = ['kindergarten', 'school', 'clinic', 'marketplace', 'social_facility', 'bench'];

function generate(): void {
  mkdirSync(dirname(FILE), { recursive: true });
  const fd = openSync(FILE, 'w');
  const random = seededRandom(SEED);
  const side = Math.ceil(Math.sqrt(NODES));
  const step = SPAN / side;
  const start = performance.now();
  const writer = new OsmPbfWriter((blob) => writeSync(fd, blob), {
    bbox: [WEST, SOUTH, WEST + SPAN, SOUTH + SPAN],
  });
  for (let id = 1; id <= NODES; id++) {
    const row = Math.floor((id - 1) / side);
    const col = (id - 1) % side;
    // Jitter of a third of the spacing keeps the coordinates from compressing like a perfect grid.
    const lon = WEST + (col + (random() - 0.5) / 3) * step;
    const lat = SOUTH + (row + (random() - 0.5) / 3) * step;
    const tags =
      random() < 1 / 2000
        ? { amenity: AMENITIES[Math.floor(random() * AMENITIES.length)]!, name: `设施${id}` }
        : undefined;
    writer.node(id, lon, lat, tags);
  }
  let wayId = 1;
  const refs: number[] = [];
  for (let row = 0; row * side < NODES; row++) {
    for (let col = 0; col < side - 1; col += SEGMENTS) {
      refs.length = 0;
      for (let c = col; c <= Math.min(col + SEGMENTS, side - 1); c++) {
        const id = row * side + c + 1;
        if (id <= NODES) refs.push(id);
      }
      if (refs.length < 2) continue;
      const highway = HIGHWAYS[Math.floor(random() * HIGHWAYS.length)]!;
      writer.way(wayId++, [...refs], { highway, name: `路${wayId}` });
    }
  }
  writer.finish();
  closeSync(fd);
  console.log(
    `wrote ${FILE}: ${formatCount(NODES)} nodes, ${formatCount(wayId - 1)} ways, ${formatMiB(statSync(FILE).size)} in ${formatMs(performance.now() - start)}`,
  );
}

/** One reading in this process; prints a JSON line for the parent. */
async function readOnce(layer: 'network' | 'facilities', whole: boolean): Promise<void> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const read = await readOsm(
    createReadStream(FILE, { highWaterMark: 1 << 20 }),
    FILE,
    whole ? { layer } : { layer, bbox: CITY },
  );
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  console.log(
    JSON.stringify({
      layer,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      features: read.collection.features.length,
      summary: read.summary,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
    }),
  );
}

if (args.includes('--read')) {
  await readOnce(argValue(args, 'read-layer') as 'network' | 'facilities', args.includes('--whole'));
} else {
  console.log(
    `machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${formatMiB(totalmem())}; node ${process.version}; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  if (existsSync(FILE)) console.log(`reusing ${FILE} (${formatMiB(statSync(FILE).size)})`);
  else generate();
  if (args.includes('--generate-only')) process.exit(0);
  const rows: string[][] = [];
  let failed = false;
  const readings = [
    ['network', 'city bbox'],
    ['facilities', 'city bbox'],
    ['facilities', 'whole extract'],
  ] as const;
  for (const [layer, scope] of readings) {
    const child = spawnSync(
      process.execPath,
      [
        ...process.execArgv,
        process.argv[1]!,
        ...args,
        '--read',
        '--read-layer',
        layer,
        ...(scope === 'whole extract' ? ['--whole'] : []),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (child.status !== 0) {
      console.error(child.stderr);
      process.exit(1);
    }
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
    const { summary } = result;
    rows.push([
      `${layer}, ${scope}`,
      formatMs(result.ms),
      formatMs(result.cpuMs),
      `${formatCount(Math.round(summary.nodes / (result.ms / 1000)))}/s`,
      formatCount(summary.nodesKept),
      formatCount(result.features),
      formatMiB(result.maxRssBytes),
    ]);
    if (result.maxRssBytes > LIMIT_BYTES || result.features === 0) failed = true;
  }
  console.log(
    table(['layer, clip', 'read time', 'CPU time', 'nodes read', 'nodes kept', 'features', 'peak RSS'], rows),
  );
  if (failed) {
    console.error('FAILED: a reading peaked above 2 GiB or found nothing');
    process.exit(1);
  }
}
