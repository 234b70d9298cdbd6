// `lifecircle analyze` on its own: its flags parsed, its summary formatted from a library result.
import { readFileSync } from 'node:fs';
import { analyzeCoverage, GAP_COLUMNS } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import {
  analyzeCommand,
  analyzeSteps,
  formatSummary,
  parseAnalyzeOptions,
} from '../../src/commands/analyze.js';
import { CrsRun } from '../../src/options/crs.js';
import { formattedFiles, outputNames } from '../harness.js';

const data = (name: string) => JSON.parse(readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8'));

describe('parseAnalyzeOptions', () => {
  it('reads the types, the gap threshold and the catchment modes', () => {
    expect(
      parseAnalyzeOptions({
        types: 'kindergarten, 托育,',
        'gap-threshold': '0.25',
        catchments: 'nearest,dissolved',
      }),
    ).toEqual({
      types: ['kindergarten', '托育'],
      gapThreshold: 0.25,
      catchmentModes: ['nearest', 'dissolved'],
      communityOutputs: 'all',
    });
    expect(parseAnalyzeOptions({})).toEqual({ catchmentModes: ['dissolved'], communityOutputs: 'all' });
  });

  it('refuses a share outside 0..1 and unknown catchment modes', () => {
    expect(() => parseAnalyzeOptions({ 'gap-threshold': '1.5' })).toThrowError(
      new UsageError("--gap-threshold expects a share between 0 and 1, got '1.5'."),
    );
    expect(() => parseAnalyzeOptions({ catchments: 'isochrones' })).toThrowError(
      new UsageError("--catchments expects modes among per-facility, dissolved, nearest, got 'isochrones'."),
    );
  });
});

describe('formatSummary', () => {
  it('prints the type table and the communities lacking the most types', () => {
    const result = analyzeCoverage(
      { communities: data('communities.geojson'), facilities: data('facilities.geojson') },
      {},
    );
    const text = formatSummary(result, 'out', ['communities.geojson', 'summary.json', 'gaps.csv']);
    expect(text).toMatch(/^\d+ communities, [\d,]+ residents on \d+ demand points; straight-line/);
    expect(text).toContain('kindergarten');
    expect(text.trimEnd().endsWith('Wrote out/communities.geojson, summary.json and gaps.csv')).toBe(true);
    expect(analyzeCommand.name).toBe('analyze');
  });

  it('names a community once in the gaps table when its id is its name, id and name otherwise', () => {
    const communities = data('communities.geojson');
    // As a file without an id column reads: each community takes its unique name as id.
    const byName = {
      ...communities,
      features: communities.features.map((f: { properties: { name: string } }) => ({
        ...f,
        properties: { ...f.properties, id: f.properties.name },
      })),
    };
    const rowsOf = (input: unknown) => {
      const text = formatSummary(
        analyzeCoverage({ communities: input, facilities: data('facilities.geojson') }, {}),
        undefined,
        [],
      );
      const table = text.slice(text.indexOf('Communities lacking the most types'));
      return table
        .split('\n')
        .slice(3)
        .filter((line) => line.trim() !== '' && !line.startsWith('Facilities'));
    };
    const named = rowsOf(byName);
    expect(named.length).toBeGreaterThan(0);
    for (const line of named) {
      const name = line.split(/\s+/)[0]!;
      expect(line.indexOf(name, name.length), line).toBe(-1);
    }
    expect(rowsOf(communities).some((line) => /^C\d+ \S+小区/.test(line))).toBe(true);
  });
});

describe('analyze as parse, run, format', () => {
  const result = analyzeCoverage(
    { communities: data('communities.geojson'), facilities: data('facilities.geojson') },
    {},
  );
  const ran = (values: Record<string, unknown> = {}) => ({
    result,
    setup: { crs: new CrsRun(values), threads: 1 },
  });

  it('parses its own flags, where to write and the input flags as given', () => {
    const values = { communities: 'c.geojson', out: 'out', json: true, 'community-outputs': 'gaps' };
    expect(analyzeSteps.parse(values, [])).toEqual({
      catchmentModes: ['dissolved'],
      communityOutputs: 'gaps',
      out: 'out',
      json: true,
      inputs: values,
    });
    expect(analyzeSteps.parse({}, [])).toMatchObject({ json: false });
    expect(analyzeSteps.parse({}, [])).not.toHaveProperty('out');
    expect(() => analyzeSteps.parse({ 'community-outputs': 'some' }, [])).toThrowError(UsageError);
  });

  it('names the files --out writes, in their order, with their contents', async () => {
    const formatted = analyzeSteps.format(ran(), analyzeSteps.parse({ out: 'out' }, []));
    expect(outputNames(formatted)).toBe('communities.geojson summary.json gaps.csv districts.csv');
    const files = await formattedFiles(formatted.outputs);
    const communities = JSON.parse(files.get('communities.geojson') as string);
    expect(communities.type).toBe('FeatureCollection');
    expect(communities.features.map((f: { properties: { id: string } }) => f.properties.id)).toEqual(
      result.communities.map((c) => c.record.id),
    );
    const summary = JSON.parse(files.get('summary.json') as string);
    expect(summary).toMatchObject({
      communities: result.summary.communities,
      crs: { output: { id: 'EPSG:4326' } },
      threads: 1,
    });
    expect(Object.keys(summary.types)).toEqual(result.types.map((t) => t.id));
    const gaps = (files.get('gaps.csv') as string).split('\r\n');
    expect(gaps[0]).toBe(`\ufeff${GAP_COLUMNS.join(',')}`);
    // One row per community and type it lacks, and the final line end.
    const lacking = result.communities.reduce((n, c) => n + c.gaps.length, 0);
    expect(gaps).toHaveLength(1 + lacking + 1);
    expect(files.get('districts.csv')).toMatch(/^\ufeff/);
    expect(formatted.terminal()).toContain(
      'Wrote out/communities.geojson, summary.json, gaps.csv and districts.csv',
    );
  });

  it('leaves out what --community-outputs and --format leave out, and says what writing warned', async () => {
    const none = analyzeSteps.format(
      ran(),
      analyzeSteps.parse({ out: 'out', 'community-outputs': 'none' }, []),
    );
    expect(outputNames(none)).toBe('summary.json districts.csv');
    const formatted = analyzeSteps.format(ran({ format: 'shp' }), analyzeSteps.parse({ out: 'out' }, []));
    expect(outputNames(formatted)).toBe('communities.shp.zip summary.json');
    const files = await formattedFiles(formatted.outputs);
    const zip = files.get('communities.shp.zip') as Uint8Array;
    expect([...zip.subarray(0, 2)]).toEqual([0x50, 0x4b]); // PK: a zip archive
    // The shapefile's field names are shortened to ten characters: its warning is the run's, in
    // summary.json (built after the shapefile) and on stdout.
    const { warnings } = JSON.parse(files.get('summary.json') as string);
    const shortened = warnings.filter((w: { file: string }) => w.file === 'out/communities.shp.zip');
    expect(shortened.length).toBeGreaterThan(0);
    expect(formatted.terminal()).toContain('warning: out/communities.shp.zip');
  });

  it('without --out names no file; with --json prints the text summary.json would hold', async () => {
    const plain = analyzeSteps.format(ran(), analyzeSteps.parse({}, []));
    expect(plain.outputs).toEqual([]);
    expect(plain.terminal()).toBe(formatSummary(result, undefined, []));
    const json = analyzeSteps.format(ran(), analyzeSteps.parse({ json: true, out: 'out' }, []));
    const files = await formattedFiles(json.outputs);
    expect(json.terminal()).toBe(files.get('summary.json'));
  });
});
