// `lifecircle check` on a facility file missing whole types (issue #13, "unknown is not fail"): the
// small town without its kindergartens. The data cannot tell a town without kindergartens from a
// file without them, so the item is unknown unless the file is declared the whole inventory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './harness.js';

const town = (name: string) =>
  new URL(`../../../fixtures/standards/small-town/${name}`, import.meta.url).pathname;
const scratch = scratchDir('check-inventory');

const all = JSON.parse(readFileSync(town('facilities.geojson'), 'utf8')) as {
  features: { properties: { type: string } }[];
};
const withoutKindergartens = scratch.write(
  'facilities.geojson',
  JSON.stringify({
    ...all,
    features: all.features.filter((f) => !['kindergarten', '幼儿园'].includes(f.properties.type)),
  }),
);

const check = (extra: readonly string[]) =>
  runCli([
    'check',
    '--profile',
    town('profile.json'),
    '--communities',
    town('communities.geojson'),
    '--facilities',
    withoutKindergartens,
    '--quiet',
    ...extra,
  ]);

describe('lifecircle check on a facility file missing whole types', () => {
  it('says the missing type is unknown, on screen and in the summary', async () => {
    const screen = await check([]);
    expect(screen.code).toBe(0);
    expect(screen.out).toContain(
      'Facility file not declared the whole inventory: kindergarten unknown (no facilities of their types in the input; --complete-inventory judges them failing).',
    );
    const json = await check(['--json']);
    const summary = JSON.parse(json.out) as Record<string, unknown>;
    expect(summary.complete_inventory).toBe(false);
    expect(summary.absent_types).toEqual([{ requirement: 'kindergarten', types: ['kindergarten'] }]);
    // Hand-worked: E passes every other item, so it is unknown, not incomplete; the city has
    // A–D incomplete (each fails another item) and no complete community.
    const city = summary.city as Record<string, number>;
    expect([city.complete, city.incomplete, city.unknown]).toEqual([0, 4, 2]);
  });

  it('fails it with --complete-inventory, and report.html says which', async () => {
    const out = scratch.outDir();
    const screen = await check(['--complete-inventory', '--out', out]);
    expect(screen.code).toBe(0);
    expect(screen.out).toContain(
      'Facility file taken as the whole inventory: kindergarten fail (no facilities of their types).',
    );
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain(
      'Facility inventory: the facility file is declared the whole inventory, so kindergarten (kindergarten) fail: there are none.',
    );
    const json = JSON.parse((await check(['--complete-inventory', '--json'])).out) as Record<string, unknown>;
    expect(json.complete_inventory).toBe(true);
    // Hand-worked: a failing kindergarten item makes every community incomplete, F too (unknown
    // before only through its station's unknown area).
    const city = json.city as Record<string, number>;
    expect([city.complete, city.incomplete, city.unknown]).toEqual([0, 6, 0]);
  });
});
