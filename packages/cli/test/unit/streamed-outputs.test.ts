// Outputs of any size are written in pieces (#16, #17), and a run that stops leaves summary.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { csvChunksOf, featureCollectionChunks, toCsv, writeChunksFile } from '../../src/outputs/files.js';
import { RunRecord, stoppedSummary } from '../../src/outputs/stopped.js';
import { runCli } from '../harness.js';

const DATA = fileURLToPath(new URL('../data', import.meta.url));

describe('writeChunksFile', () => {
  it('writes the pieces as they come, more than one write of them, byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-chunks-'));
    const pieces = Array.from({ length: 30_000 }, (_, i) => `{"i":${i},"名":"社区${i}"},`);
    writeChunksFile(join(dir, 'nested', 'out.txt'), pieces);
    expect(readFileSync(join(dir, 'nested', 'out.txt'), 'utf8')).toBe(pieces.join(''));
  });

  it('names the file when it cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-chunks-'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => writeChunksFile(join(dir, 'file', 'out.txt'), ['a'])).toThrow(InputError);
    expect(() => writeChunksFile(join(dir, 'file', 'out.txt'), ['a'])).toThrow(
      /file[/\\]out\.txt.*cannot be written/,
    );
  });

  it('gives toCsv in pieces', () => {
    const rows = [
      { id: 'C1', name: '=1+1', population: 3 },
      { id: 'C2', name: '东苑, 小区', population: null },
    ];
    expect([...csvChunksOf(['id', 'name', 'population'], rows)].join('')).toBe(
      toCsv(['id', 'name', 'population'], rows),
    );
  });
});

describe('a run that stops', () => {
  it('writes summary.json with the stage, the reason and the rejections, and exits as before', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lc-stopped-'));
    const communities = join(out, 'communities.geojson');
    writeFileSync(
      communities,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { id: 'C1', population: -5 }, geometry: null }],
      }),
    );
    const { code, err } = await runCli([
      'analyze',
      '--communities',
      communities,
      '--facilities',
      join(DATA, 'facilities.geojson'),
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('stopped');
    expect(summary.stopped.exit_code).toBe(1);
    expect(summary.stopped.stage).toBe('analysing');
    expect(err).toContain(summary.stopped.reason);
    expect(summary.rejected.length).toBeGreaterThan(0);
    expect(summary.written).toEqual([]);
  });

  it('records an internal error as one, without a stack trace', () => {
    const record = new RunRecord();
    record.stage = 'writing outputs';
    record.written.push('communities.geojson');
    const summary = stoppedSummary(record, new RangeError('Invalid string length'));
    expect(summary).toMatchObject({
      status: 'stopped',
      stopped: { stage: 'writing outputs', exit_code: 70 },
      written: ['communities.geojson'],
    });
    expect((summary.stopped as { reason: string }).reason).toBe(
      'internal error: out of memory (Invalid string length)',
    );
  });
});

describe('every command stops honestly (issue #17)', () => {
  const town = (name: string) =>
    fileURLToPath(new URL(`../../../../fixtures/standards/small-town/${name}`, import.meta.url));
  const inputs = ['--communities', town('communities.geojson'), '--facilities', town('facilities.geojson')];
  const commands: [string, string[], string][] = [
    ['analyze', [], 'gaps.csv'],
    ['check', ['--profile', 'complete-community'], 'compliance.csv'],
    ['monitor', ['--profile', 'pingliang-2025'], 'monitor.json'],
    ['site', ['--type', 'nursery_childcare', '--model', 'mclp', '--k', '1'], 'sites.csv'],
  ];

  async function stoppedRun(args: string[], out: string) {
    const { code, err } = await runCli([...args, '--quiet', '--out', out]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    return { code, err, summary };
  }

  it.each(commands)(
    '%s: a limit met while reading stops with summary.json saying so',
    async (command, flags) => {
      const out = mkdtempSync(join(tmpdir(), `lc-stopped-${command}-`));
      const { code, err, summary } = await stoppedRun(
        [command, ...inputs, ...flags, '--limit', 'maxDepth=3'],
        out,
      );
      expect(code).toBe(1);
      expect(summary).toMatchObject({
        status: 'stopped',
        stopped: { stage: 'reading inputs', exit_code: 1 },
        written: [],
      });
      expect(summary.stopped.reason).toContain('maxDepth');
      expect(err).toContain(summary.stopped.reason);
    },
  );

  it.each(commands)(
    '%s: an output that cannot be written stops with summary.json naming what was written before',
    async (command, flags, table) => {
      const out = mkdtempSync(join(tmpdir(), `lc-stopped-${command}-`));
      // A folder where the table should go: the run has read and analysed, and stops while writing.
      mkdirSync(join(out, table));
      const { code, err, summary } = await stoppedRun(
        [command, ...inputs, ...flags, '--format', 'geojson,csv'],
        out,
      );
      expect(code).toBe(1);
      expect(summary.status).toBe('stopped');
      expect(summary.stopped).toMatchObject({ stage: 'writing outputs', exit_code: 1 });
      expect(summary.stopped.reason).toContain(
        `${table}: cannot be written: a folder of that name stands in its place`,
      );
      expect(err).toContain(`${table}: cannot be written: a folder of that name stands in its place`);
      expect(summary.written.length).toBeGreaterThan(0);
      expect(summary.written).not.toContain(table);
      expect(Object.keys(summary.done).length).toBeGreaterThan(0);
    },
  );

  it('a finished check replaces the summary.json a stopped one left', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lc-stopped-check-'));
    await stoppedRun(['check', ...inputs, '--profile', 'complete-community', '--limit', 'maxDepth=3'], out);
    const { code } = await runCli([
      'check',
      ...inputs,
      '--profile',
      'complete-community',
      '--quiet',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    // check --out writes its own summary.json (the --json text): the stopped one must not survive.
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.status).toBeUndefined();
    expect(summary.stopped).toBeUndefined();
    expect(summary.profile).toBe('complete-community');
    expect(existsSync(join(out, 'compliance.csv'))).toBe(true);
  });
});

describe('featureCollectionChunks', () => {
  it('gives JSON.stringify of a collection byte for byte, members in their order', () => {
    const collection = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } },
      features: [
        {
          type: 'Feature',
          properties: { id: 'C1', 名: '东苑' },
          geometry: { type: 'Point', coordinates: [1, 2] },
        },
        { type: 'Feature', properties: { id: 'C2', skip: undefined }, geometry: null },
      ],
      bbox: undefined,
      name: 'compliance',
    };
    expect([...featureCollectionChunks(collection)].join('')).toBe(JSON.stringify(collection));
    const empty = { type: 'FeatureCollection', features: [] };
    expect([...featureCollectionChunks(empty)].join('')).toBe(JSON.stringify(empty));
  });
});
