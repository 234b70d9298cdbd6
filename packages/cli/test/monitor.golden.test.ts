import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/golden.js';
import { runCli } from './harness.js';

// End-to-end goldens of `lifecircle monitor` on the bundled Pingliang city. Regenerate with
// `UPDATE_GOLDENS=1 npx vitest run packages/cli/test/monitor.golden.test.ts` after an intended change
// (test/golden.ts).
const fixture = (name: string) => new URL(`../../../fixtures/pingliang/${name}`, import.meta.url).pathname;
const golden = (name: string) => new URL(`../../../fixtures/pingliang/out/monitor/${name}`, import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-monitor-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const portable = (text: string) => text.replaceAll(dir, 'OUT').replaceAll(fixture(''), '');

describe('lifecircle monitor on the bundled Pingliang city', () => {
  it('writes the year table as text, CSV and JSON', async () => {
    const { code, out: stdout } = await runCli([
      'monitor',
      '--profile',
      'pingliang-2025',
      '--communities',
      fixture('communities.geojson'),
      '--facilities',
      fixture('facilities.geojson'),
      '--out',
      dir,
      '--quiet',
    ]);
    expect(code).toBe(0);
    expectGolden(portable(stdout), golden('stdout.txt'));
    expectGolden(readFileSync(join(dir, 'monitor.csv'), 'utf8'), golden('monitor.csv'));
    const json = readFileSync(join(dir, 'monitor.json'), 'utf8');
    expectGolden(portable(json), golden('monitor.json'));
    const result = JSON.parse(json);
    expect([result.from, result.to, result.current_year]).toEqual([2005, 2025, 2025]);
    const childcare = result.indicators.find((i: { id: string }) => i.id === 'childcare_places_per_1000');
    // The check's figure for the data's last year, and the year the pace reaches 4.5.
    expect(childcare.current).toBe(3.7467);
    expect(childcare.shortfall).toBe(462);
    expect(childcare.projected_year).toBeGreaterThan(2025);
  });
});
