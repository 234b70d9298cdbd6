import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/golden.js';
import { runCli } from './harness.js';

// End-to-end goldens of `lifecircle check` on the bundled Pingliang city. Regenerate with
// `UPDATE_GOLDENS=1 npx vitest run packages/cli/test/check.golden.test.ts` after an intended change
// (test/golden.ts), and read the diff of fixtures/pingliang/out/check/ before committing.
const fixture = (name: string) => new URL(`../../../fixtures/pingliang/${name}`, import.meta.url).pathname;
const golden = (name: string) => new URL(`../../../fixtures/pingliang/out/check/${name}`, import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-check-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Paths differ per machine; the goldens keep the file names only.
const portable = (text: string) => text.replaceAll(dir, 'OUT').replaceAll(fixture(''), '');
const inputs = [
  '--communities',
  fixture('communities.geojson'),
  '--facilities',
  fixture('facilities.geojson'),
];
/** `lifecircle check` of the city against `profile`, with more options. */
const checkCity = (profile: string, ...rest: string[]) =>
  runCli(['check', '--profile', profile, ...inputs, ...rest]);

describe('lifecircle check on the bundled Pingliang city', () => {
  it('writes the golden outputs for the pingliang-2025 profile', async () => {
    const { code, out: stdout, err: stderr } = await checkCity('pingliang-2025', '--out', dir, '--progress');
    expect(code).toBe(0);
    expect(stderr).toContain('summarize');
    expectGolden(portable(stdout), golden('stdout.txt'));
    for (const name of ['compliance.csv', 'districts.csv', 'compliance.geojson', 'report.html']) {
      expectGolden(readFileSync(join(dir, name), 'utf8'), golden(name));
    }
    // summary.json is the text --json prints: the verdicts and how the run read its inputs.
    expectGolden(portable(readFileSync(join(dir, 'summary.json'), 'utf8')), golden('summary.json'));
    // The figures the plan asks about, as the bureau reads them.
    expect(stdout).toMatch(/childcare_places_per_1000 +3\.75 +≥ 4\.5 +below \(partial\) +462 places/);
  });

  it('writes a report that opens and prints without a network', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/https?:|<script|<link|<img|@import|url\(/i);
    // One map per county, every community drawn.
    expect(html.match(/<figure>/g)).toHaveLength(7);
    expect(html.match(/<path /g)).toHaveLength(457);
  });

  it('evaluates the city as it stood in 2020 against the GB 50180 life circles', async () => {
    const { code, out: stdout } = await checkCity('gb50180-2018', '--as-of', '2020', '--quiet');
    expect(code).toBe(0);
    expectGolden(portable(stdout), golden('gb50180-2018-as-of-2020.txt'));
  });

  it('prints the summary as JSON with --json', async () => {
    const { code, out: stdout } = await checkCity('complete-community', '--json', '--quiet');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.profile).toBe('complete-community');
    expect(summary.city.communities).toBe(457);
    expect(summary.city.complete + summary.city.incomplete + summary.city.unknown).toBe(457);
    // Nine checklist items are community attributes the bundled city does not carry: unknown, never passed.
    expect(summary.city.requirements.barrier_free_facilities).toMatchObject({
      pass: 0,
      fail: 0,
      unknown: 457,
    });
    expect(summary.unconfirmed.length).toBeGreaterThan(0);
  });
});
