/**
 * Terrain benchmark (issue #14): the walking-network bench city (bench/network-city.ts) over a
 * synthetic DEM, all six types measured for the elderly walker, against the same six types on the
 * flat walk. Times each stage (wall clock) and the memory each run adds.
 *
 * The DEM is a GeoTIFF written in memory and read through io's `readGeoTiff`, as `--dem` reads a file:
 * 30 m cells (SRTM's spacing) over the city's box, a valley along its middle with terraces and loess
 * slopes rising 200 m to the north and south, and a gentle swell along it.
 *
 *   node bench/run.mjs terrain            # full size: 195k edges, 1M demand points, 10k facilities
 *   node bench/run.mjs terrain --small    # a tenth
 *
 * Options: --small, --reps N (timed repetitions after a warm-up, default 3), --seed N (default 42).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { lonLatTiff } from '../fixtures/lonlat-tiff.js';
import { NetworkSource } from '../packages/core/src/distance/index.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../packages/core/src/geodesy/index.js';
import {
  edgeTerrain,
  graphBox,
  RoadGraph,
  WalkerSet,
  walkerGraph,
} from '../packages/core/src/network/index.js';
import { readGeoTiff } from '../packages/io/src/index.js';
import { benchArgs, formatMiB, formatMs, formatStats, MemorySampler, repeat, stats, table } from './lib.js';
import { CENTER_LAT, CENTER_LON, makeCity, TYPE_SPECS } from './network-city.js';

const { small: SMALL, reps: REPS, seed: SEED } = benchArgs();
const BOUND_M = 1000;
const CELL_DEG = 30 / METRES_PER_DEGREE;

/** A valley along the city's middle: the same cross-section as the bundled city's (fixtures/pingliang/terrain.ts). */
function groundAt(lon: number, lat: number): number {
  const acrossM = Math.abs(lat - CENTER_LAT) * METRES_PER_DEGREE;
  const terrace = 0.01 * Math.min(acrossM, 600);
  const slope = acrossM > 600 ? 200 * (1 - Math.exp(-(acrossM - 600) / 1500)) : 0;
  const swell = 15 * Math.sin((lon - CENTER_LON) * metresPerDegreeLon(CENTER_LAT) * ((2 * Math.PI) / 4000));
  return 1340 + terrace + slope + swell;
}

/** The DEM as GeoTIFF bytes over the network's box (with the CLI's margin), square 30 m cells. */
function demBytes(graph: RoadGraph): Uint8Array {
  const [west, south, east, north] = graphBox(graph);
  const cellLon = 30 / metresPerDegreeLon(CENTER_LAT);
  return lonLatTiff({
    west,
    north,
    cell: cellLon,
    cellLat: CELL_DEG,
    width: Math.ceil((east - west) / cellLon),
    height: Math.ceil((north - south) / CELL_DEG),
    value: groundAt,
    nodata: -9999,
  });
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!.toFixed(1);
  const city = makeCity(SEED, SMALL);
  const { graph } = RoadGraph.fromGeoJSON(city.roads);
  const origins = {
    coords: city.coords,
    owner: city.owner,
    ownerCount: city.owner[city.owner.length - 1]! + 1,
  };
  const elderly = new WalkerSet().get('elderly');
  const boundMin = BOUND_M / ((elderly.flat_speed_kmh * 1000) / 60);
  console.log(
    `${graph.edgeCount.toLocaleString('en-US')} edges, ${city.coords.length / 2} demand points, ${city.types.reduce((n, t) => n + t.coords.length / 2, 0)} facilities; bound ${BOUND_M} m flat, ${boundMin.toFixed(2)} min for the elderly (${elderly.flat_speed_kmh} km/h)`,
  );
  const rows: string[][] = [];
  const time = (label: string, fn: () => unknown, memory?: MemorySampler) => {
    const { times, result } = repeat(REPS, () => {
      const r = fn();
      memory?.sample();
      return r;
    });
    rows.push([label, formatMs(stats(times).min), formatStats(stats(times))]);
    return result;
  };

  /** Times snapping the demand onto `roads`, then reaching the six types within `bound` (its cost unit). */
  const snapAndReach = (
    labels: { snap: string; reach: string },
    roads: RoadGraph,
    bound: number,
    memory: MemorySampler,
  ) => {
    const source = time(labels.snap, () => new NetworkSource(roads, origins), memory) as NetworkSource;
    time(
      labels.reach,
      () => city.types.map((t) => source.reach({ coords: t.coords, type: t.id }, bound)),
      memory,
    );
  };

  // Flat: the graph in metres, six types at 1,000 m.
  const flatMemory = new MemorySampler();
  flatMemory.start();
  snapAndReach(
    { snap: 'flat: snapping (`new NetworkSource`)', reach: 'flat: reach, six types at 1,000 m' },
    graph,
    BOUND_M,
    flatMemory,
  );
  const flatPeak = flatMemory.report();

  // Elderly over the DEM: read the DEM, profile every edge, cost the elderly graph, snap, reach.
  const bytes = demBytes(graph);
  const terrainMemory = new MemorySampler();
  terrainMemory.start();
  const dem = await readGeoTiff(bytes, { file: 'bench-dem.tif' });
  terrainMemory.sample();
  const terrain = time(
    'elderly: DEM profiles of every edge (`edgeTerrain`)',
    () => edgeTerrain(graph, { sample: dem.sample, cellSizeM: dem.cellSizeM }),
    terrainMemory,
  ) as ReturnType<typeof edgeTerrain>;
  const walked = time(
    'elderly: minutes per edge and direction (`walkerGraph`)',
    () => walkerGraph(graph, elderly, terrain),
    terrainMemory,
  ) as RoadGraph;
  snapAndReach(
    {
      snap: 'elderly: snapping on the elderly graph',
      reach: `elderly: reach, six types at ${boundMin.toFixed(2)} min`,
    },
    walked,
    boundMin,
    terrainMemory,
  );
  const terrainPeak = terrainMemory.report();

  console.log(
    `\nDEM: ${dem.width} × ${dem.height} cells of ${dem.cellSizeM.toFixed(1)} m; ${terrain.sources.dem} edges from the DEM, ${terrain.sources.flat} flat\n`,
  );
  console.log(table(['stage', 'min', 'mean ± sd'], rows));
  console.log(`\nmemory, flat run (graph built before): ${flatPeak.text}`);
  console.log(`memory, elderly run over the DEM (graph built before): ${terrainPeak.text}`);
  const types = TYPE_SPECS.map((t) => t.id).join(', ');
  const cpu = cpus();
  console.log(
    `\nTypes: ${types}.\nMachine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${formatMiB(totalmem())} RAM, Node ${process.version}; load average ${loadAtStart} at the start, ${loadavg()[0]!.toFixed(1)} at the end.`,
  );
}

await main();
