import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

// --population-raster and --buildings on every analysing command (issue #12): each places demand as
// analyze does and reports it in the same `demand` member (weighting, coarsened), on screen too.
const fixture = (path: string) => fileURLToPath(new URL(`../../../fixtures/${path}`, import.meta.url));
const inputs = [
  '--communities',
  fixture('formats/bureau/社区.shp'),
  '--facilities',
  fixture('formats/amap/幼儿园.csv'),
];
const weightings = {
  raster: { flags: ['--population-raster', fixture('your-own-data/worldpop.tif')], methods: { raster: 3 } },
  buildings: {
    flags: ['--buildings', fixture('your-own-data/buildings.geojson')],
    methods: { buildings: 2, grid: 1 },
  },
} as const;
/** Each command's arguments; all but analyze print their summary with --json, analyze writes summary.json. */
const commands: Readonly<Record<string, readonly string[]>> = {
  analyze: ['analyze'],
  check: ['check', '--profile', 'complete-community'],
  monitor: ['monitor', '--profile', 'complete-community', '--from', '2024', '--to', '2025'],
  site: ['site', '--type', 'kindergarten', '--model', 'mclp', '--k', '1'],
};

describe.each(Object.entries(weightings))('%s weighting on every command', (source, weighting) => {
  const runs = new Map<string, unknown>();
  it.each(Object.keys(commands))('%s places demand by it and reports it', async (name) => {
    const out = mkdtempSync(join(tmpdir(), `lc-demand-${name}-`));
    const args = [...commands[name]!, ...inputs, ...weighting.flags, '--quiet'];
    const r = await runCli([...args, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      source === 'raster'
        ? /population shared out over [\d,]+ raster cells in 3 communities/
        : /population shared out over 18 building footprints in 2 communities \(1 spread evenly\)/,
    );
    const summary =
      name === 'analyze'
        ? JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
        : JSON.parse((await runCli([...args, '--json'])).out);
    const { demand } = summary;
    expect(demand.methods).toEqual(weighting.methods);
    expect(demand.weighting).toMatchObject({ source });
    expect(demand.coarsened).toMatchObject({ communities: 0 });
    runs.set(name, demand);
    // The same member, built once by core's buildDemand, in every command's summary.
    expect(demand).toEqual(runs.get('analyze') ?? demand);
  });
});
