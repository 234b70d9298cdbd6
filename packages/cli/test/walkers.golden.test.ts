import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../../../test/golden.js';
import { fixture, runCli, townInputs } from './harness.js';

// End-to-end goldens of the elderly and pram walkers on the bundled city over its synthetic DEM
// (fixtures/pingliang/dem.tif) and its steps. Regenerate with
// `UPDATE_GOLDENS=1 npx vitest run packages/cli/test/walkers.golden.test.ts` after an intended
// change (test/golden.ts), and read the diff of fixtures/pingliang/out/walkers/ before committing.
const city = (name: string) => fixture('pingliang', name);
const golden = (name: string) => new URL(`../../../fixtures/pingliang/out/walkers/${name}`, import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-walkers-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const portable = (text: string) => text.replaceAll(dir, 'OUT').replaceAll(city(''), '');
const terrain = [
  ...townInputs('pingliang', { network: true }),
  '--dem',
  city('dem.tif'),
  '--minutes',
  '5,10,15',
];

describe('the bundled city walked over its terrain', () => {
  for (const walker of ['elderly', 'pram']) {
    it(`analyze for the ${walker} walker writes the golden outputs`, { timeout: 300_000 }, async () => {
      const out = join(dir, walker);
      const r = await runCli(['analyze', ...terrain, '--walker', walker, '--out', out, '--quiet']);
      expect(r.code).toBe(0);
      expectGolden(portable(r.out), golden(`${walker}/stdout.txt`));
      expectGolden(
        portable(readFileSync(join(out, 'summary.json'), 'utf8')),
        golden(`${walker}/summary.json`),
      );
      // Per community: minutes and metres of each quickest walk, and the lost_to_terrain flags.
      const communities = readFileSync(join(out, 'communities.geojson'), 'utf8');
      expectGolden(communities, golden(`${walker}/communities.geojson`));
      const flagged = JSON.parse(communities).features.filter(
        (f: { properties: Record<string, unknown> }) =>
          f.properties.nursery_childcare_lost_to_terrain === true,
      );
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      // The DEM covers every road of the bundled city; the steps close to the pram only.
      expect(summary.walking.uncovered.edges).toBe(0);
      expect(summary.walking.types.nursery_childcare.walker).toBe(walker);
      expect(flagged.length).toBe(summary.walking.lost_to_terrain.nursery_childcare.communities);
      expect(
        Object.values(summary.walking.lost_to_terrain).some(
          (l) => (l as { communities: number }).communities > 0,
        ),
      ).toBe(true);
    });
  }

  it("check for each type's default walker writes summary.json with the walking section", {
    timeout: 300_000,
  }, async () => {
    const out = join(dir, 'check');
    const r = await runCli(['check', '--profile', 'pingliang-2025', ...terrain, '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    expectGolden(portable(r.out), golden('check/stdout.txt'));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.walking.types.nursery_childcare.walker).toBe('pram');
    expect(summary.walking.types.elderly_day_care_center.walker).toBe('elderly');
    expectGolden(portable(`${JSON.stringify(summary.walking, null, 2)}\n`), golden('check/walking.json'));
    // Who the hills and steps cost, as analyze says it: the pram's childcare communities.
    expect(summary.walking.lost_to_terrain.nursery_childcare.walker).toBe('pram');
    expect(summary.walking.lost_to_terrain.nursery_childcare.communities).toBeGreaterThan(0);
  });
});
