// Issue #16's province run through `lifecircle analyze`: a GeoJSON-lines demand file streamed into
// typed columns gives the figures the same points give as a FeatureCollection; districts.csv and
// --community-outputs; progress on stderr only when asked or on a terminal; the memory pre-check.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { writeFlatGeobuf } from '../../../fixtures/formats/writers.js';
import { formatDuration } from '../src/outputs/progress.js';
import { analyzeArgs, readSummary, runCli, scratchDir } from './harness.js';

const { file, outDir } = scratchDir('province');

const point = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [lon, lat] },
});
const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });

// Two districts: A holds C1 (by a kindergarten) and C2 (far from it), B holds C3 (by the other).
const communities = file(
  'communities.geojson',
  collection([
    point(106.6, 35.5, { id: 'C1', population: 0, district: 'A' }),
    point(106.65, 35.5, { id: 'C2', population: 0, district: 'A' }),
    point(106.7, 35.55, { id: 'C3', population: 0, district: 'B' }),
  ]),
);
const facilities = file(
  'facilities.geojson',
  collection([
    point(106.6005, 35.5, { id: 'K1', type: 'kindergarten' }),
    point(106.7, 35.5505, { id: 'K2', type: 'kindergarten' }),
  ]),
);
// Ten points a community, 10 residents each, 18 m apart eastwards from the community's position.
const demandFeatures = ['C1', 'C2', 'C3'].flatMap((id, c) =>
  Array.from({ length: 10 }, (_, i) =>
    point([106.6, 106.65, 106.7][c]! + i * 0.0002, [35.5, 35.5, 35.55][c]!, {
      population: 10,
      community_id: id,
    }),
  ),
);
const demandLines = file('demand.geojsonl', `${demandFeatures.map((f) => JSON.stringify(f)).join('\n')}\n`);
const demandCollection = file('demand.geojson', collection(demandFeatures));
const analyze = (...rest: string[]) => analyzeArgs(communities, facilities, ...rest);

/**
 * Runs analyze on a demand file read as a stream and again read whole (a column option makes it be
 * read whole, as features), checks that summary.json and the outputs are the same, and returns the
 * streamed run's summary.
 */
async function streamedAsWhole<T>(demand: string, ...options: string[]): Promise<T> {
  const streamed = outDir();
  const whole = outDir();
  const a = await runCli(analyze('--demand', demand, ...options, '--out', streamed, '--quiet'));
  const b = await runCli(
    analyze('--demand', demand, '--encoding', 'demand=utf-8', ...options, '--out', whole, '--quiet'),
  );
  expect(a.code, a.err).toBe(0);
  expect(b.code, b.err).toBe(0);
  const summary = readSummary<T>(streamed);
  expect(summary).toEqual(readSummary(whole));
  for (const name of ['communities.geojson', 'gaps.csv', 'districts.csv']) {
    expect(readFileSync(join(streamed, name), 'utf8'), name).toBe(readFileSync(join(whole, name), 'utf8'));
  }
  return summary;
}

describe('a streamed GeoJSON-lines demand file', () => {
  it('gives the summary the same points give as a FeatureCollection', async () => {
    const streamed = outDir();
    const parsed = outDir();
    expect((await runCli(analyze('--demand', demandLines, '--out', streamed, '--quiet'))).code).toBe(0);
    expect((await runCli(analyze('--demand', demandCollection, '--out', parsed, '--quiet'))).code).toBe(0);
    const a = readSummary<Record<string, unknown>>(streamed);
    const b = readSummary<Record<string, unknown>>(parsed);
    for (const key of ['population', 'communities', 'demand', 'types', 'districts', 'rejected']) {
      expect(a[key], key).toEqual(b[key]);
    }
    expect(readFileSync(join(streamed, 'communities.geojson'), 'utf8')).toBe(
      readFileSync(join(parsed, 'communities.geojson'), 'utf8'),
    );
  });
});

describe('a streamed GeoJSON-lines demand file with every kind of problem', () => {
  // Past the first hundred lines (always read the full way) the plain ones are read from the bytes.
  const good = Array.from({ length: 150 }, (_, i) =>
    JSON.stringify(
      point(106.6 + (i % 10) * 0.0002, 35.5, {
        population: 1 + (i % 7),
        community_id: ['C1', 'C2', 'C3'][i % 3],
      }),
    ),
  );
  const problems = [
    JSON.stringify(point(106.6, 35.5, { population: '12', id: 'text' })),
    JSON.stringify(point(106.6, 35.5, { population: -1, id: 'negative' })),
    JSON.stringify(point(35.5, 106.6, { population: 3, id: 'swapped' })),
    'not json {"id":"broken"}',
    '',
    '   ',
    JSON.stringify({ ...point(106.6, 35.5, { population: 2, community_id: 'C9' }), id: 'unknown' }),
    JSON.stringify(point(107.5, 36.5, { population: 2, id: 'nowhere' })),
    JSON.stringify(point(106.6, 35.5, { population: 2, community_id: 'C1', tags: { a: 1 } })),
    `\u001e${JSON.stringify(point(106.6, 35.5, { population: 2, community_id: 'C2' }))}`,
    `{"id":"long","pad":"${'x'.repeat(300)}"}`,
  ];
  const lines = [...good.slice(0, 120), ...problems, ...good.slice(120), ...problems.slice(6, 8)];
  const messy = file('messy.geojsonl', `\ufeff${lines.join('\r\n')}\r\n`);

  it('gives the summary.json and outputs of reading the whole file (same rejections, ids, rows, warnings)', async () => {
    const summary = await streamedAsWhole<{ rejected: { id: string | null; row?: number }[] }>(
      messy,
      '--limit',
      'maxLineLength=200',
    );
    // Every rejected line is named by its row, and by its id where it has one.
    expect(summary.rejected.map((r) => [r.row, r.id])).toEqual([
      // Lines that are not features first (rows 125 and 126 are blank), as the readers report them;
      [124, 'broken'],
      [131, 'long'],
      // then the features validation rejects;
      [122, 'negative'],
      [123, 'swapped'],
      // then the points no community takes (the communities are points: a demand point needs an id).
      [121, 'text'],
      [127, 'unknown'],
      [128, 'nowhere'],
      [162, 'unknown'],
      [163, 'nowhere'],
    ]);
  });

  it('is read the usual way when its first lines name columns otherwise (人口)', async () => {
    const renamed = file(
      'renamed.geojsonl',
      `${demandFeatures.map((f) => JSON.stringify({ ...f, properties: { 人口: 10, community_id: f.properties.community_id } })).join('\n')}\n`,
    );
    const out = outDir();
    const result = await runCli(analyze('--demand', renamed, '--out', out, '--quiet'));
    expect(result.code, result.err).toBe(0);
    const summary = readSummary<{ population: number; inputs: { demand: unknown } }>(out);
    expect(summary.population).toBe(300);
    expect(summary.inputs.demand).toEqual({
      columns: { population: { column: '人口', source: 'detected' } },
    });
  });
});

describe('a streamed FlatGeobuf demand file', () => {
  // The same points with every kind of problem a FlatGeobuf file can hold (its columns are typed, so
  // no line that is not JSON and no population as text): past the first hundred features a negative
  // population, swapped coordinates, a community no one has and a point no community takes.
  const features = [
    ...demandFeatures.flatMap((f, i) => [f, { ...f, properties: { ...f.properties, id: `extra${i}` } }]),
    ...demandFeatures.slice(0, 50),
    point(106.6, 35.5, { population: -1, id: 'negative', community_id: 'C1' }),
    point(35.5, 106.6, { population: 3, id: 'swapped', community_id: 'C2' }),
    point(106.6, 35.5, { population: 2, id: 'unknown', community_id: 'C9' }),
    point(107.5, 36.5, { population: 2, id: 'nowhere', community_id: null }),
    point(107.5, 36.5, { population: 2, id: null, community_id: null }),
  ].map((f) => ({
    ...f,
    // FlatGeobuf's columns come from the first feature: each feature carries every column.
    properties: { id: null, community_id: null, ...f.properties },
  }));
  const fgb = file('demand.fgb', writeFlatGeobuf(collection(features) as FeatureCollection));

  it('gives the summary.json and outputs of reading the whole file (same rejections, ids, warnings)', async () => {
    const summary = await streamedAsWhole<{ rejected: { id: string | null; index: number }[] }>(fgb);
    expect(summary.rejected.map((r) => [r.index, r.id])).toEqual([
      [90, 'negative'],
      [91, 'swapped'],
      [92, 'unknown'],
      [93, 'nowhere'],
      // No id column value: the feature's number, as reading the whole file names it.
      [94, '94'],
    ]);
  });

  it('shows its progress as a share of the file read', async () => {
    const result = await runCli(analyze('--demand', fgb, '--progress', '--json'), { interactive: false });
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/read 100\.0% Reading .*demand\.fgb: 93 demand points/);
  });

  it('a file named .fgb that is not FlatGeobuf is read the usual way, which says so', async () => {
    const disguised = file('disguised.fgb', `${demandFeatures.map((f) => JSON.stringify(f)).join('\n')}\n`);
    const result = await runCli(analyze('--demand', disguised, '--quiet'));
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'disguised.fgb: is not a FlatGeobuf file: it does not start with the FlatGeobuf magic bytes.',
    );
    expect(result.err).not.toContain('    at ');
  });
});

describe('districts.csv and --community-outputs', () => {
  it('writes one row per district and type, then the city, hand-worked', async () => {
    const out = outDir();
    const result = await runCli(
      analyze('--demand', demandLines, '--out', out, '--community-outputs', 'none'),
    );
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['districts.csv', 'summary.json']);
    expect(result.out).toContain('Wrote');
    // No gaps.csv was written, so the table of the worst-served does not point at one.
    expect(result.out).toContain('with a gap):');
    expect(result.out).not.toContain('gaps.csv');
    const rows = readFileSync(join(out, 'districts.csv'), 'utf8')
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]).toBe(
      'area,type,type_name_zh,radius_m,communities,population,facilities,covered_population,covered_share,gap_communities,gap_population,capacity_per_1000',
    );
    // The kindergarten radius is 300 m: C1's points run 0–162 m east of the 45 m-off K1 (all within),
    // C2's are 4.5 km away (none), C3's points run 0–162 m from K2 at 55 m north (all within).
    expect(rows.slice(1).map((r) => r.split(',').filter((_, i) => i !== 2 && i !== 11))).toEqual([
      ['A', 'kindergarten', '300', '2', '200', '1', '100', '0.5', '1', '100'],
      ['B', 'kindergarten', '300', '1', '100', '1', '100', '1', '0', '0'],
      ['city', 'kindergarten', '300', '3', '300', '2', '200', '0.6667', '1', '100'],
    ]);
  });

  it('gaps keeps gaps.csv and leaves out communities.geojson; a wrong value is a usage error', async () => {
    const out = outDir();
    expect((await runCli(analyze('--out', out, '--community-outputs', 'gaps', '--quiet'))).code).toBe(0);
    expect(existsSync(join(out, 'gaps.csv'))).toBe(true);
    expect(existsSync(join(out, 'communities.geojson'))).toBe(false);
    const wrong = await runCli(analyze('--community-outputs', 'some'));
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("--community-outputs expects all, gaps, none, got 'some'");
  });
});

describe('progress', () => {
  const runWith = (args: string[], interactive: boolean) => runCli(args, { interactive });

  it('is on stderr with --progress: stages, the share of the streamed file read, never on stdout', async () => {
    const result = await runWith(analyze('--demand', demandLines, '--progress', '--json'), false);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/read 100\.0% Reading .*demand\.geojsonl: 30 demand points/);
    expect(result.err).toMatch(/measure \[1\/1\] Measuring kindergarten within 300 m/);
    expect(() => JSON.parse(result.out)).not.toThrow();
  });

  it('is shown on a terminal without --progress, and never with --quiet or in a log without --progress', async () => {
    expect((await runWith(analyze('--demand', demandLines), true)).err).toContain('summarize');
    expect((await runWith(analyze('--demand', demandLines), false)).err).toBe('');
    expect((await runWith(analyze('--demand', demandLines, '--quiet', '--progress'), true)).err).toBe('');
  });
});

it('writes the time left in seconds, minutes or hours', () => {
  expect([5, 200, 3900].map(formatDuration)).toEqual(['5 s', '3 min 20 s', '1 h 05 min']);
});

describe('the memory pre-check', () => {
  it('stops before reading when the estimate exceeds --memory-budget, saying what fits and how to raise it', async () => {
    const out = outDir();
    const result = await runCli(analyze('--demand', demandLines, '--memory-budget', '100M', '--out', out));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /demand\.geojsonl: this run needs about \d+ MiB of memory \(30 demand points × 6 types; docs\/benchmarks\.md\) and --memory-budget allows 100 MiB\. About 0 demand points fit: .* to start anyway, give --memory-budget 1G\./,
    );
    expect(result.err).not.toContain('    at ');
    // The stopped run still says what it did and why it stopped.
    const summary = readSummary<{ status: string; stopped: { stage: string; reason: string } }>(out);
    expect(summary.status).toBe('stopped');
    expect(summary.stopped.stage).toBe('reading inputs');
    expect(result.err).toContain(summary.stopped.reason);
  });

  it('runs when the budget is large enough; a budget that is not a size is a usage error', async () => {
    expect((await runCli(analyze('--memory-budget', '64G', '--quiet'))).code).toBe(0);
    const wrong = await runCli(analyze('--memory-budget', 'lots'));
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("--memory-budget expects a size such as 8G or 500M, got 'lots'");
  });
});
