import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, townInputs } from './harness.js';

// check, monitor and site on the network-honest town (fixtures/network-honest/README.md, every
// figure worked out by hand): each says what the network leaves out, as analyze does.
const inputs = [...townInputs('network-honest'), '--network', fixture('network-honest', 'roads.geojson')];
const profile = ['--profile', 'complete-community', '--radius', 'kindergarten=500'];

function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  const columns = head!.split(',');
  // Quoted cells (reasons with commas) are read whole; the fixture has no quote inside a cell.
  return lines.map((line) => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

describe('check on a network that leaves residents out', () => {
  it('gives each item its covered share of all residents and of those reached, with the note', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lc-honest-check-'));
    const r = await runCli(['check', ...profile, ...inputs, '--quiet', '--out', out]);
    expect(r.code).toBe(0);
    // Kindergarten: A (100) and B (200) walk to K1 within 500 m, C (50) is beyond the network's edge:
    // 300 / 350 = 85.7 % of all residents, 300 / 300 = 100 % of those reached.
    expect(r.out).toMatch(/kindergarten +幼儿园 +500 m\* +yes +0 +1 +2 +0\.0% +85\.7% +100\.0%/);
    expect(r.out).toContain('of reached: of the residents the road network reaches');
    expect(r.out).toContain('Note (covered_share): covered shares are of all 350 residents');
    const rows = csvRows(readFileSync(join(out, 'compliance.csv'), 'utf8')).filter(
      (row) => row.item === 'kindergarten',
    );
    expect(rows.map((row) => [row.community_id, row.covered_share_of_reached])).toEqual([
      ['A', '1'],
      ['B', '1'],
      ['C', ''],
    ]);
    expect(rows[2]!.network_note).toBe(
      '50 of its 50 residents live where the road network does not reach and count as not covered',
    );
    const districts = csvRows(readFileSync(join(out, 'districts.csv'), 'utf8'));
    expect(districts.at(-1)).toMatchObject({
      area: 'city',
      kindergarten_covered_share: '0.8571',
      kindergarten_covered_share_of_reached: '1',
    });
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<th>Covered</th><th>Of reached</th>');
    expect(html).toMatch(/<td class="n">85\.7%<\/td><td class="n">100\.0%<\/td>/);
  });

  it('with --snap-to all, B on the fragment reaches nothing: 100 / 350 of all, 100 / 300 of reached', async () => {
    const r = await runCli(['check', ...profile, ...inputs, '--snap-to', 'all', '--quiet', '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.city.requirements.kindergarten).toMatchObject({
      covered_share: 0.2857,
      covered_share_of_reached: 0.3333,
    });
    expect(summary.network.small_piece_communities).toBe(1);
    expect(summary.demand).toMatchObject({ points: 3, cell_m: 50, methods: { point: 3 } });
  });

  it('gives no covered share for an item none of whose types is in the input (unknown, not 0 %)', async () => {
    const summary = JSON.parse((await runCli(['check', ...profile, ...inputs, '--quiet', '--json'])).out);
    const absent = (summary.absent_types as { requirement: string }[]).map((a) => a.requirement);
    expect(absent.length).toBeGreaterThan(0);
    for (const id of absent) {
      expect(summary.city.requirements[id]).toMatchObject({
        covered_share: null,
        covered_share_of_reached: null,
      });
    }
  });

  it('keeps the items table and files as they were without a network', async () => {
    const r = await runCli(['check', ...profile, ...inputs.slice(0, 4), '--quiet', '--json']);
    const summary = JSON.parse(r.out);
    expect(summary.city.requirements.kindergarten.covered_share).toBeUndefined();
    expect(summary.network).toBeUndefined();
  });
});

describe('monitor on a network that leaves residents out', () => {
  it('prints and writes the network block and the headline notes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lc-honest-monitor-'));
    const args = ['monitor', ...profile, ...inputs, '--from', '2024', '--to', '2025', '--quiet'];
    const r = await runCli([...args, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('residents the network reaches: 300 of 350; outside it: 50 (50 beyond its edge)');
    expect(r.out).toContain('Note (covered_share): the figures count all 350 residents');
    const json = JSON.parse(readFileSync(join(out, 'monitor.json'), 'utf8'));
    expect(json.network).toMatchObject({ population_reached: 300, population_outside: 50 });
    expect(json.headline_notes.map((n: { code: string }) => n.code)).toEqual([
      'residents-outside-network',
      'unknown-items',
    ]);
    expect(json.demand.points).toBe(3);
  });

  it('writes in monitor.csv what each year rests on: residents reached, their share, coverage of them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lc-honest-monitor-csv-'));
    const args = ['monitor', ...profile, ...inputs, '--from', '2024', '--to', '2025', '--quiet'];
    expect((await runCli([...args, '--out', out])).code).toBe(0);
    const rows = csvRows(readFileSync(join(out, 'monitor.csv'), 'utf8'));
    const city = rows.filter((row) => row.area === 'city');
    expect(city.length).toBe(2);
    // By hand (fixtures/network-honest/README.md): A and B, 300 of the 350 residents, are reached; both
    // walk to K1 within 500 m: 300 / 350 of all residents, 300 / 300 of those reached.
    for (const row of city) {
      expect(row).toMatchObject({
        population: '350',
        population_reached: '300',
        reached_share: '0.8571',
        kindergarten_covered_share: '0.8571',
        kindergarten_covered_share_of_reached: '1',
      });
    }
    // Without a network the columns are not there.
    const flatOut = mkdtempSync(join(tmpdir(), 'lc-honest-monitor-flat-'));
    const flatArgs = ['monitor', ...profile, ...inputs.slice(0, 4), '--from', '2024', '--to', '2025'];
    expect((await runCli([...flatArgs, '--quiet', '--out', flatOut])).code).toBe(0);
    const flatHead = readFileSync(join(flatOut, 'monitor.csv'), 'utf8').split('\r\n')[0]!;
    expect(flatHead).not.toContain('population_reached');
    expect(flatHead).not.toContain('covered_share_of_reached');
  });
});

describe('site on a network that leaves residents out', () => {
  it('records how demand was placed in summary.json, as analyze does', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lc-honest-site-'));
    const site = '--model mclp --type kindergarten --radius 500 --k 1 --quiet'.split(' ');
    const r = await runCli(['site', ...inputs, ...site, '--out', out]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.demand).toMatchObject({ points: 3, coarsened: { communities: 0 } });
    expect(summary.network.population_outside).toBe(50);
  });
});
