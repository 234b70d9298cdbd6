import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli.js';
import { fixture, townInputs } from './harness.js';

// --walker on site, check and monitor (analyze has its own file), on the hand-made barrier town.
const barrier = (name: string) => fixture('barrier', name);
const inputs = [...townInputs('barrier'), '--network', barrier('roads.geojson'), '--quiet', '--json'];

async function json(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false });
  expect(err.join(''), err.join('')).not.toMatch(/internal error/);
  expect(code, err.join('')).toBe(0);
  return JSON.parse(out.join(''));
}

const site = (...extra: string[]) =>
  json(['site', ...inputs, '--type', 'kindergarten', '--model', 'mclp', '--k', '1', ...extra]);

describe('site, check and monitor with --walker', () => {
  it('site measures existing facilities and candidates for the walker of the type sited', async () => {
    const named = await site('--walker', 'kindergarten=elderly');
    const everyone = await site('--walker', 'elderly');
    expect(named.walking.types.kindergarten.walker).toBe('elderly');
    expect(named.parameters.cost_unit).toBe('min');
    // 300 m at the elderly walker's 3.5 km/h: 5.14 minutes.
    // The radius is named by its unit: minutes, and no radius_m holding minutes.
    expect(named.parameters.radius_min).toBeCloseTo(300 / (3500 / 60), 6);
    expect(named.parameters).not.toHaveProperty('radius_m');
    // Only the kindergarten's walker is named: the answer is the one where everyone is elderly,
    // not the adult's (the fallback for targets of no type).
    expect(named.covered_population_before).toBe(everyone.covered_population_before);
    expect(named.covered_population_after).toBe(everyone.covered_population_after);
    expect(named.objective).toBe(everyone.objective);
  });

  it('site lays its candidate grid in metres: the flat adult walk sites as the network run does', async () => {
    const flat = await site();
    const adult = await site('--walker', 'adult');
    // 300 m is 4 minutes at 4.5 km/h; without terrain the adult's minutes are metres ÷ 75.
    expect(adult.parameters.radius_min).toBeCloseTo(4, 9);
    expect(flat.parameters.radius_m).toBe(300);
    expect(flat.parameters).not.toHaveProperty('radius_min');
    expect(adult.parameters.candidates).toBe(flat.parameters.candidates);
    expect(adult.covered_population_after).toBe(flat.covered_population_after);
    expect(flat.walking).toBeUndefined();
  });

  it('check and monitor record the walking section in their JSON', async () => {
    for (const command of [['check'], ['monitor', '--from', '2020', '--to', '2021']]) {
      const summary = await json([...command, ...inputs, '--profile', 'gb50180-2018', '--walker', 'pram']);
      expect(summary.walking.types.kindergarten, command[0]).toMatchObject({
        walker: 'pram',
        radius_from: 'metres at flat speed',
      });
      expect(summary.walking.dem, command[0]).toBeNull();
    }
  });
});

/** The barrier town's roads with z on every position: rising 20 m per 0.001° northward (about 18 %). */
function hillyRoads(): string {
  const roads = JSON.parse(readFileSync(barrier('roads.geojson'), 'utf8'));
  const lift = (c: unknown): unknown =>
    typeof (c as number[])[0] === 'number'
      ? [(c as number[])[0], (c as number[])[1], 1300 + ((c as number[])[1]! - 35.5) * 20_000]
      : (c as unknown[]).map(lift);
  for (const f of roads.features) f.geometry.coordinates = lift(f.geometry.coordinates);
  const path = join(mkdtempSync(join(tmpdir(), 'lc-walker-3d-')), 'roads3d.geojson');
  writeFileSync(path, JSON.stringify(roads));
  return path;
}

describe('who the hills cost, in every command', () => {
  it('check, monitor and site give the communities lost to terrain that analyze gives', async () => {
    // The wheelchair user cannot take the grades steeper than 1:12 that the others walk slowly.
    const args = [
      ...inputs.slice(0, 4),
      '--network',
      hillyRoads(),
      '--quiet',
      '--json',
      '--walker',
      'wheelchair',
    ];
    type Loss = { walker: string; communities: number; residents: number };
    const analyzed: Record<string, Loss> = (await json(['analyze', ...args])).walking.lost_to_terrain;
    // The hills must cost the kindergarten someone, or the comparison below proves nothing.
    expect(analyzed.kindergarten?.communities).toBeGreaterThan(0);
    const profile = ['--profile', 'gb50180-2018'];
    const checked = (await json(['check', ...args, ...profile])).walking.lost_to_terrain;
    const monitored = (await json(['monitor', ...args, ...profile, '--from', '2020', '--to', '2021'])).walking
      .lost_to_terrain;
    for (const [type, loss] of Object.entries(analyzed)) {
      if (checked[type]) expect(checked[type], `check ${type}`).toEqual(loss);
      if (monitored[type]) expect(monitored[type], `monitor ${type}`).toEqual(loss);
    }
    expect(checked.kindergarten).toEqual(analyzed.kindergarten);
    const sited = await json(['site', ...args, '--type', 'kindergarten', '--model', 'mclp', '--k', '1']);
    const { served_after_communities, served_after_residents, ...siteLoss } =
      sited.walking.lost_to_terrain.kindergarten;
    expect(siteLoss).toEqual(analyzed.kindergarten);
    expect(served_after_communities).toBeLessThanOrEqual(siteLoss.communities);
    expect(served_after_residents).toBeLessThanOrEqual(siteLoss.residents);
  });

  it("site's --radius M is metres with a walker too, as --radius TYPE=M", async () => {
    const plain = await site('--walker', 'elderly', '--radius', '350');
    const typed = await site('--walker', 'elderly', '--radius', 'kindergarten=350');
    // 350 m at 3.5 km/h: 6 minutes, not 350.
    expect(plain.parameters.radius_min).toBeCloseTo(6, 9);
    expect(plain.walking.types.kindergarten.radius_m).toBe(350);
    expect(typed.parameters.radius_min).toBeCloseTo(6, 9);
    expect(plain.covered_population_after).toBe(typed.covered_population_after);
  });
});

describe('a network with elevations of its own', () => {
  it('gives the slopes without --dem, and summary.json counts the edges by elevation source', async () => {
    const args = [...inputs.slice(0, 4), '--network', hillyRoads(), '--quiet', '--walker', 'elderly'];
    const hilly = await json(['analyze', ...args, '--json']);
    const { walking } = hilly;
    expect(walking.dem).toBeNull();
    expect(walking.slope_function).toBe('tobler');
    expect(walking.elevation_sources.network).toBeGreaterThan(0);
    expect(walking.elevation_sources.dem).toBe(0);
    const total =
      walking.elevation_sources.network + walking.elevation_sources.dem + walking.elevation_sources.flat;
    expect(walking.uncovered.edges).toBe(walking.elevation_sources.flat);
    expect(total).toBeGreaterThan(walking.elevation_sources.flat);
  });
});
