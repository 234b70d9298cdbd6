// Each command's steps called one by one, as a library user of the CLI would: parse the flags, run,
// format, write the named outputs with the one writer; the files and the terminal text are the
// goldens of the end-to-end tests (pingliang, check and monitor .golden.test.ts), byte for byte.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/golden.js';
import type { CommandSteps, StepOptions } from '../src/command.js';
import { analyzeSteps } from '../src/commands/analyze.js';
import { checkSteps } from '../src/commands/check.js';
import { monitorSteps } from '../src/commands/monitor.js';
import { writeOutputs } from '../src/outputs/named.js';
import { RunRecord } from '../src/outputs/stopped.js';
import { NodeWorkPool } from '../src/pool/node-pool.js';

const fixture = (name: string) => new URL(`../../../fixtures/pingliang/${name}`, import.meta.url).pathname;
const golden = (name: string) => new URL(`../../../fixtures/pingliang/out/${name}`, import.meta.url);
const root = mkdtempSync(join(tmpdir(), 'lifecircle-steps-golden-'));
// The pool is given in: the run step's searches split over these threads, whatever --threads says.
const pool = new NodeWorkPool(2);
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await pool.close();
});

/** parse → run → format → write, without the CLI around them; what was written and printed. */
async function steps<O extends StepOptions, R>(
  command: CommandSteps<O, R>,
  dir: string,
  flags: Record<string, unknown>,
): Promise<{ written: string[]; stdout: string }> {
  const values = {
    communities: fixture('communities.geojson'),
    facilities: fixture('facilities.geojson'),
    quiet: true,
    out: dir,
    ...flags,
  };
  const options = command.parse(values, []);
  const record = new RunRecord();
  const result = await command.run(options, {
    console: { out: () => {}, err: () => {}, interactive: false },
    record,
    pool: (threads) => (threads < 2 ? undefined : pool),
  });
  const formatted = command.format(result, options);
  await writeOutputs(dir, formatted.outputs, record.written);
  // Paths differ per machine; the goldens keep the file names only.
  const stdout = formatted.terminal().replaceAll(dir, 'OUT').replaceAll(fixture(''), '');
  return { written: record.written, stdout };
}

/** A written file, with the machine's paths taken out as the goldens have them. */
const file = (dir: string, name: string) =>
  readFileSync(join(dir, name), 'utf8').replaceAll(dir, 'OUT').replaceAll(fixture(''), '');

describe('the steps of each command write the goldens byte for byte', () => {
  it('analyze', async () => {
    const dir = join(root, 'analyze');
    const { written, stdout } = await steps(analyzeSteps, dir, { threads: '2' });
    expect(written).toEqual(['communities.geojson', 'summary.json', 'gaps.csv', 'districts.csv']);
    for (const name of written) expectGolden(file(dir, name), golden(name));
    expectGolden(stdout, golden('stdout.txt'));
  });

  it('check', async () => {
    const dir = join(root, 'check');
    const { written, stdout } = await steps(checkSteps, dir, { profile: 'pingliang-2025' });
    expect(written).toEqual([
      'compliance.geojson',
      'summary.json',
      'compliance.csv',
      'districts.csv',
      'report.html',
    ]);
    for (const name of written) expectGolden(file(dir, name), golden(`check/${name}`));
    expectGolden(stdout, golden('check/stdout.txt'));
  });

  it('monitor', async () => {
    const dir = join(root, 'monitor');
    const { written, stdout } = await steps(monitorSteps, dir, { profile: 'pingliang-2025' });
    expect(written).toEqual(['monitor.csv', 'monitor.json']);
    for (const name of written) expectGolden(file(dir, name), golden(`monitor/${name}`));
    expectGolden(stdout, golden('monitor/stdout.txt'));
  });
});
