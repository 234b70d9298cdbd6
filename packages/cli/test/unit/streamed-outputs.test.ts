// Outputs of any size are written in pieces (#16, #17), and a run that stops leaves summary.json.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { csvChunksOf, toCsv, writeChunksFile } from '../../src/outputs/files.js';
import { RunRecord, stoppedSummary } from '../../src/outputs/stopped.js';

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
    let err = '';
    const code = await run(
      [
        'analyze',
        '--communities',
        communities,
        '--facilities',
        join(DATA, 'facilities.geojson'),
        '--out',
        out,
      ],
      { out: () => {}, err: (text) => (err += text), interactive: false },
    );
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
