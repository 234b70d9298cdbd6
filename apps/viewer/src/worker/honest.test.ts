// The viewer's figures and notes against the CLI's summary.json for the same inputs (issues #13 and
// #14): the worker engine and `lifecircle analyze` / `check` run on the bundled city and on the
// hand-worked network-honest town, walking and walker runs included. The CLI runs from its built JS
// (packages/cli/dist: run `node scripts/build-packages.mjs` after changing core, io or the CLI).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CoverageSummary, coverageSummaryJson } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { fixture, townInputs } from '../../../../test/fixtures.js';
import { checkJson, cliRun, typeFigures as figuresOf, inputFile, type Json, townFiles } from '../test-cli.js';
import { Engine } from './engine.js';
import type { AnalysisPayload, AnalyzeOptions, ReadInputFile } from './protocol.js';

const file = inputFile;
const cliSummary = (args: readonly string[]) => cliRun(args).summary;

async function analyse(
  files: ReadInputFile[],
  options: AnalyzeOptions,
): Promise<{ engine: Engine; payload: AnalysisPayload }> {
  const engine = new Engine();
  engine.load(files);
  await engine.prepare(options);
  return { engine, payload: engine.analyze(options) };
}

/** The viewer's summary types in summary.json's shape (rounded, snake_case), as the CLI writes them. */
const asWritten = (summary: CoverageSummary) =>
  coverageSummaryJson(summary).types as unknown as Record<string, Json>;

/** What both answers must agree on, type by type: shares of all and of reached residents, gaps. */
const typeFigures = (types: Record<string, Json>) =>
  figuresOf(types, [
    'facilities',
    'covered_population',
    'covered_share',
    'covered_share_of_reached',
    'gap_communities',
  ]);

const BASE: AnalyzeOptions = { radii: {}, types: [], includePlanned: false, gapThreshold: 0.5 };

describe('network-honest: the viewer says what the CLI says', () => {
  const files = townFiles('network-honest');
  const args = [
    'analyze',
    ...townInputs('network-honest', { network: true }),
    '--radius',
    'kindergarten=500',
  ];
  const options: AnalyzeOptions = { ...BASE, radii: { kindergarten: 500 }, distance: 'network' };

  it('default snapping: network member, both headline shares and the note equal summary.json', async () => {
    const { payload, engine } = await analyse(files, options);
    const summary = cliSummary(args);
    expect(payload.summary.network).toEqual(summary.network);
    expect(payload.summary.headlineNotes).toEqual(summary.headline_notes);
    expect(typeFigures(asWritten(payload.summary))).toEqual(typeFigures(summary.types));
    // Hand-worked (fixtures/network-honest/README.md): 300 of 350 reached, 85.7 % and 100 %.
    expect(payload.summary.types.kindergarten!.coveredShareOfReached).toBe(1);
    expect(payload.summary.headlineNotes![0]!.code).toBe('residents-outside-network');
    // The drive-only warning travels with the loaded network.
    expect(engine.load([]).network!.driveOnly).toContain('this looks like a drive network');
  });

  it('--snap-to all --snap-cost free: B on the fragment, with its note, as the CLI', async () => {
    const { payload } = await analyse(files, { ...options, snapTo: 'all', snapCost: 'free' });
    const summary = cliSummary([...args, '--snap-to', 'all', '--snap-cost', 'free']);
    expect(payload.summary.network).toEqual(summary.network);
    expect(payload.summary.headlineNotes).toEqual(summary.headline_notes);
    expect(typeFigures(asWritten(payload.summary))).toEqual(typeFigures(summary.types));
    const cliCommunities = JSON.parse(
      readFileSync(fixture('network-honest', 'communities.geojson'), 'utf8'),
    ).features.map((f: Json) => f.properties.id);
    const b = payload.communities.ids.indexOf('B');
    expect(cliCommunities).toContain('B');
    expect(payload.communities.networkNotes[b]).toContain('0.66 %');
    expect(payload.communities.networkNotes.filter((n) => n !== null)).toHaveLength(1);
  });

  it('check: the unknown-items and reach notes and the absent requirements equal the CLI', async () => {
    const { engine } = await analyse(files, options);
    const compliance = engine.check('complete-community');
    const summary = checkJson(['--profile', 'complete-community', ...args.slice(1)]);
    expect(compliance.headlineNotes).toEqual(summary.headline_notes ?? []);
    expect(compliance.network).toEqual(summary.network);
    expect(compliance.completeInventory).toBe(false);
    // Only kindergartens are in the input: every other requirement is unknown, not fail.
    expect(compliance.absentTypes.length).toBeGreaterThan(0);
    const unknownAbsent = compliance.absentTypes.map((a) => a.requirement);
    const k = compliance.requirements.findIndex((r) => r.id === unknownAbsent[0]);
    for (let c = 0; c < compliance.communities.count; c++) {
      expect(compliance.communities.status[c * compliance.requirements.length + k]).toBe(2);
    }
  });
});

describe('the bundled city: the viewer says what the CLI says', () => {
  const files = townFiles('pingliang');
  const base = townInputs('pingliang', { network: true });

  it('walking: network member, shares of reached residents and notes equal summary.json', async () => {
    const { payload } = await analyse(files, { ...BASE, distance: 'network' });
    const summary = cliSummary(['analyze', ...base]);
    expect(payload.summary.network).toEqual(summary.network);
    expect(payload.summary.headlineNotes).toEqual(summary.headline_notes);
    expect(typeFigures(asWritten(payload.summary))).toEqual(typeFigures(summary.types));
  });

  it('check on the straight line: the complete-rate note equals summary.json', async () => {
    const { engine } = await analyse(files.slice(0, 2), BASE);
    const compliance = engine.check('pingliang-2025');
    const summary = checkJson(['--profile', 'pingliang-2025', ...base.slice(0, 4)]);
    expect(compliance.headlineNotes).toEqual(summary.headline_notes ?? []);
  });

  it('walkers over the bundled DEM: walking member, figures per type and the loss against the flat walk', async () => {
    const dem = file('dem', fixture('pingliang', 'dem.tif'));
    const walkers = { nursery_childcare: 'pram', elderly_day_care_center: 'elderly' };
    const { payload } = await analyse([...files, dem], { ...BASE, distance: 'network', walkers });
    const { summary, out } = cliRun([
      'analyze',
      ...base,
      '--dem',
      fixture('pingliang', 'dem.tif'),
      '--walker',
      'nursery_childcare=pram,elderly_day_care_center=elderly',
    ]);
    const walking = payload.walking!;
    const { lost_to_terrain: cliLoss, ...cliWalking } = summary.walking;
    expect({ ...walking.summary, dem: null }).toEqual({ ...cliWalking, dem: null });
    // Who loses coverage against the flat walk: the CLI's walking.lost_to_terrain, type by type.
    expect(Object.keys(walking.loss).sort()).toEqual(Object.keys(cliLoss).sort());
    for (const [id, loss] of Object.entries(walking.loss)) {
      expect(loss.communities).toBe(cliLoss[id].communities);
      expect(Math.abs(loss.residents - cliLoss[id].residents)).toBeLessThanOrEqual(0.05 + 1e-9);
    }
    expect(walking.summary.dem).toBe('dem.tif');
    expect(typeFigures(asWritten(payload.summary))).toEqual(typeFigures(summary.types));
    expect(payload.summary.headlineNotes).toEqual(summary.headline_notes);
    // Community by community, the walker's shares and gaps are the CLI's communities.geojson.
    const features = JSON.parse(readFileSync(join(out, 'communities.geojson'), 'utf8')).features;
    const T = payload.types.length;
    expect(features.map((f: Json) => f.properties.id)).toEqual(payload.communities.ids);
    features.forEach((f: Json, c: number) => {
      payload.types.forEach((t, ti) => {
        // communities.geojson rounds residents to 0.1.
        expect(
          Math.abs(payload.communities.coveredPop[c * T + ti]! - f.properties[`${t.id}_covered_pop`]),
        ).toBeLessThanOrEqual(0.05 + 1e-9);
        expect(payload.communities.gap[c * T + ti] === 1).toBe(f.properties.gaps.includes(t.id));
      });
    });
    const flat = cliSummary(['analyze', ...base]);
    for (const [id, loss] of Object.entries(walking.loss)) {
      // A community loses a type only where the flat walk had no gap and the walker's has one, so the
      // loss is at least the rise in gap communities from the flat walk to the walker's.
      expect(loss.communities).toBeGreaterThanOrEqual(
        summary.types[id].gap_communities - flat.types[id].gap_communities,
      );
    }
    const lostCount = payload.types.map((_, t) => {
      let n = 0;
      for (let c = 0; c < payload.communities.count; c++) n += walking.lost[c * T + t]!;
      return n;
    });
    expect(lostCount).toEqual(payload.types.map((t) => walking.loss[t.id]!.communities));
  }, 300_000);
});
