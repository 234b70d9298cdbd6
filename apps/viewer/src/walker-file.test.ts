// A walker file loaded from the walking panel (walker-file.ts through a test page whose worker is the
// real engine) gives the CLI's figures for `--walker-file FILE --walker kindergarten=snail` on the
// network-honest town (the CLI runs from packages/cli/dist), and a bad file is refused with the CLI's
// very list of problems, changing nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAnalysis } from './analysis-run.js';
import { cliRun, inputFile, type Json } from './test-cli.js';
import { testPage } from './test-page.js';
import { DEFAULT_OPTIONS } from './view/state.js';
import { loadWalkerFile, readWalkerFile } from './walker-file.js';
import { Engine } from './worker/engine.js';

const fixture = (name: string) =>
  new URL(`../../../fixtures/network-honest/${name}`, import.meta.url).pathname;
const SNAIL = { walkers: [{ id: 'snail', name_en: 'Snail', name_zh: '慢行', flat_speed_kmh: 2 }] };

describe('a walker file', () => {
  it('walks a type for a walker of the file, with the figures of the CLI’s --walker-file', async () => {
    const engine = new Engine();
    engine.load([
      inputFile('communities', fixture('communities.geojson')),
      inputFile('facilities', fixture('facilities.geojson')),
      inputFile('roads', fixture('roads.geojson')),
    ]);
    const page = testPage(engine);
    page.inputs = { ...page.inputs, network: engine.load([]).network };
    const options = { ...DEFAULT_OPTIONS, radii: { kindergarten: 500 }, distance: 'network' as const };
    expect(await runAnalysis(page, options)).toBe(true);
    await loadWalkerFile(page, new File([JSON.stringify(SNAIL)], 'walkers.json'));
    expect(page.errors).toEqual([]);
    expect(page.view.options.walkerFile?.profiles.map((w) => w.id)).toEqual(['snail']);
    await runAnalysis(page, { ...page.view.options, walkers: { kindergarten: 'snail' } });
    const walking = page.view.analysis!.walking!.summary;
    expect(walking.types.kindergarten!.walker).toBe('snail');
    const dir = mkdtempSync(join(tmpdir(), 'lc-walkers-'));
    writeFileSync(join(dir, 'walkers.json'), JSON.stringify(SNAIL));
    const { summary } = cliRun([
      'analyze',
      '--communities',
      fixture('communities.geojson'),
      '--facilities',
      fixture('facilities.geojson'),
      '--network',
      fixture('roads.geojson'),
      '--radius',
      'kindergarten=500',
      '--walker-file',
      join(dir, 'walkers.json'),
      '--walker',
      'kindergarten=snail',
    ]);
    const { lost_to_terrain: _, ...cliWalking } = summary.walking as Record<string, Json>;
    expect({ ...walking, dem: null }).toEqual({ ...cliWalking, dem: null });
    expect(summary.types.kindergarten.covered_population).toBeTypeOf('number');
    const shown = page.view.analysis!.summary.types.kindergarten;
    expect(shown?.coveredPopulation).toBe(summary.types.kindergarten.covered_population);
  }, 120_000);

  it('refuses a file with problems, listed as the CLI lists them', async () => {
    const read = readWalkerFile('bad.json', { walkers: [{ id: 'x', flat_speed_kmh: 'fast' }] });
    expect(read).toEqual({
      problems: expect.stringMatching(
        /^bad\.json: the walker file has 1 problem\(s\):\n {2}walker 0 \(x\), field flat_speed_kmh: /,
      ),
    });
    const page = testPage();
    await loadWalkerFile(page, new File(['{"walkers": 3}'], 'bad.json'));
    expect(page.view.notice?.message).toContain('bad.json: the walker file has 1 problem(s)');
    expect(page.view.options.walkerFile).toBeUndefined();
  });
});
