// Mistakes a user makes with `lifecircle check` and `lifecircle monitor`: a clear message naming the
// option, file or field, exit 2 for a wrong command line and 1 for an unusable file, never a stack trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, scratchDir } from './harness.js';

const town = (name: string) =>
  new URL(`../../../fixtures/standards/small-town/${name}`, import.meta.url).pathname;
const { dir: TMP, file } = scratchDir('check-errors');

const inputs = [
  '--communities',
  town('communities.geojson'),
  '--facilities',
  town('facilities.geojson'),
  '--quiet',
];

describe('lifecircle check: command-line mistakes (exit 2)', () => {
  it.each([
    [
      ['check', ...inputs],
      'lifecircle check: --profile is required: one of gb50180-2018, complete-community, pingliang-2025, or a profile file.',
    ],
    [
      ['check', '--profile', 'complete'],
      'lifecircle check: --communities FILE and --facilities FILE are required.',
    ],
    [
      ['check', '--profile', 'gb50180', ...inputs],
      "lifecircle check: --profile: unknown profile 'gb50180'. Use one of: gb50180-2018, complete-community, pingliang-2025, or the path of a profile file (JSON).",
    ],
    [
      ['check', '--profile', 'complete-community', ...inputs, '--as-of', '20x5'],
      "lifecircle check: --as-of expects a year such as 2025, got '20x5'.",
    ],
    [
      ['check', '--profile', 'complete-community', ...inputs, '--as-of', '2020', '--include-planned'],
      'lifecircle check: --include-planned and --as-of cannot be combined',
    ],
    [
      ['monitor', '--profile', 'pingliang-2025', ...inputs, '--pace-years', '1'],
      "lifecircle monitor: --pace-years expects a whole number of years ≥ 2, got '1'.",
    ],
    [
      [
        'monitor',
        '--profile',
        file('p.json', { id: 't', target_year: 2025 }),
        ...inputs,
        '--from',
        '2024',
        '--to',
        '2020',
      ],
      'lifecircle monitor: from: the first year 2024 is after the last year 2020.',
    ],
  ])('%j', async (args, message) => {
    const { code, err, all } = await runCli(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(all).not.toContain('    at ');
  });
});

describe('lifecircle check: unusable profile files (exit 1)', () => {
  it('names every bad field of a profile', async () => {
    const profile = file('bad.json', {
      id: 'bad',
      extends: 'complete-community',
      requirements: [
        { id: 'kindergarten', radius_m: 'near' },
        { id: 'library', facilities: ['public_library'] },
      ],
      indicators: [{ id: 'places', kind: 'per_1000', facilities: ['nursery_childcare'], target: -1 }],
    });
    const { code, err } = await runCli(['check', '--profile', profile, ...inputs]);
    expect(code).toBe(1);
    expect(err).toContain(`lifecircle check: ${profile}: the profile has 3 problem(s):`);
    expect(err).toContain('  requirements.kindergarten.radius_m: expected a positive number, got "near"');
    expect(err).toContain("  requirements.library.facilities[0]: unknown facility type 'public_library'");
    expect(err).toContain('  indicators.places.target: expected a number ≥ 0 or null, got -1');
  });

  it('says where a profile is not valid JSON', async () => {
    const profile = file('syntax.json', '{ "id": "x",\n  "requirements": [ }');
    const { code, err } = await runCli(['check', '--profile', profile, ...inputs]);
    expect(code).toBe(1);
    expect(err).toContain(`${profile}: is not valid JSON at line 2`);
  });

  it('reads a valid profile file and judges with it', async () => {
    const { code, out } = await runCli(['check', '--profile', town('profile.json'), ...inputs]);
    expect(code).toBe(0);
    expect(out).toContain('Complete communities: 1 of 6 (16.7%); 4 incomplete; 1 unknown');
  });
});

describe('lifecircle check: the report escapes every data text', () => {
  it('shows a community named with markup as text', async () => {
    const out = join(TMP, 'report');
    const { code } = await runCli(['check', '--profile', town('profile.json'), ...inputs, '--out', out]);
    expect(code).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('F &lt;b&gt;林苑&lt;/b&gt;社区');
    expect(html).not.toContain('<b>林苑');
    const csv = readFileSync(join(out, 'compliance.csv'), 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain(
      'A,阳光社区,东区,900,300,incomplete,0.6,station,社区综合服务站,true,fail,"largest within 300 m: S1 180 m², below 350 m²",50,S1,1,1,170 m² (min_building_area_m2)',
    );
  });
});
