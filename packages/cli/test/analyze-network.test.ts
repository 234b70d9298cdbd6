import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, townInputs } from './harness.js';

// The walking-network and cost-matrix options of `lifecircle analyze`, on the hand-made barrier town
// (fixtures/barrier/README.md has the answers worked out by hand).
const barrier = (name: string) => fixture('barrier', name);
const base = ['analyze', ...townInputs('barrier')];

function communityProperties(dir: string, id: string): Record<string, unknown> {
  const fc = JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8'));
  return fc.features.find((f: { properties: { id: string } }) => f.properties.id === id).properties;
}

describe('lifecircle analyze --network', () => {
  it('walks around the river: 南岸小区 is covered in a straight line but not on foot', async () => {
    const straight = mkdtempSync(join(tmpdir(), 'lc-straight-'));
    const walking = mkdtempSync(join(tmpdir(), 'lc-walking-'));
    expect((await runCli([...base, '--quiet', '--out', straight])).code).toBe(0);
    const r = await runCli([...base, '--network', barrier('roads.geojson'), '--quiet', '--out', walking]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('walking (road network) distance');
    expect(communityProperties(straight, 'A').gaps).not.toContain('kindergarten');
    expect(communityProperties(walking, 'A').gaps).toContain('kindergarten');
    expect(communityProperties(walking, 'A').kindergarten_nearest_m as number).toBeGreaterThan(
      communityProperties(straight, 'A').kindergarten_nearest_m as number,
    );
    const summary = JSON.parse(readFileSync(join(walking, 'summary.json'), 'utf8'));
    expect(summary.distance).toBe('network');
    expect(summary.warnings.map((w: { code: string }) => w.code)).toEqual(
      expect.arrayContaining(['network-near-miss', 'off-network']),
    );
    const catchments = JSON.parse(readFileSync(join(walking, 'catchments.geojson'), 'utf8'));
    expect(catchments.features.length).toBeGreaterThan(0);
    expect(
      catchments.features.every((f: { properties: { mode: string } }) => f.properties.mode === 'dissolved'),
    ).toBe(true);
  });

  it('counts the roads left out as not walkable in summary.json, by reason, with their length', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-not-walkable-'));
    const roads = JSON.parse(readFileSync(barrier('roads.geojson'), 'utf8'));
    // Two closed lines on one parallel of latitude: 0.01° of longitude at 35.5396° is 904.8 m
    // (haversine, R = 6,371,008.8 m, worked in Python), 0.005° is 452.4 m; the town's own G312
    // motorway (R13) is 2,000.0 m.
    const line = (id: string, tags: Record<string, string>, lonSpan: number) => ({
      type: 'Feature',
      properties: { id, ...tags },
      geometry: {
        type: 'LineString',
        coordinates: [
          [106.64, 35.5396],
          [106.64 + lonSpan, 35.5396],
        ],
      },
    });
    roads.features.push(
      line('M1', { highway: 'motorway' }, 0.01),
      line('F1', { highway: 'footway', foot: 'no' }, 0.005),
    );
    const roadsPath = join(dir, 'roads.geojson');
    writeFileSync(roadsPath, JSON.stringify(roads));
    const r = await runCli([...base, '--network', roadsPath, '--quiet', '--out', dir]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.roads_not_walkable).toEqual({
      'highway=motorway': { features: 2, length_m: 2905 },
      'foot=no': { features: 1, length_m: 452 },
    });
  });

  it('takes radii in walking minutes and records them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-minutes-'));
    const r = await runCli([
      ...base,
      '--network',
      barrier('roads.geojson'),
      '--minutes',
      '5,10,15',
      '--quiet',
      '--out',
      dir,
    ]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.walking_minutes).toEqual([5, 10, 15]);
    expect(summary.walking_speed_kmh).toBe(4.5);
    expect(summary.types.kindergarten.radius_m).toBe(375); // 5 min at 4.5 km/h
    expect(summary.types.community_health_center.radius_m).toBe(1125); // 15 min
  });

  it('reads a cost matrix by community and facility id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-matrix-'));
    const matrix = join(dir, 'matrix.csv');
    writeFileSync(
      matrix,
      'origin_id,destination_id,cost\nA,K1,250\nB,K1,900\nA,H1,5000\nA,K2,not-a-number\n',
    );
    const r = await runCli([...base, '--cost-matrix', matrix, '--json', '--quiet']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.distance).toBe('cost-matrix');
    expect(summary.rejected).toContainEqual(expect.objectContaining({ file: matrix, field: 'cost' }));
  });

  it('refuses contradictory distance options with a usage hint', async () => {
    for (const args of [
      ['--distance', 'network'],
      ['--distance', 'manhattan'],
      ['--network', barrier('roads.geojson'), '--cost-matrix', barrier('roads.geojson')],
      ['--minutes', '5,ten'],
      ['--max-snap', '0'],
    ]) {
      const r = await runCli([...base, ...args, '--quiet']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain("Run 'lifecircle analyze --help' for usage.");
    }
  });
});

// Issue #13 on the hand-made network-honest town (fixtures/network-honest/README.md): a drive-only
// extract smaller than the study area, with a 10 m stray fragment and facilities beyond its edge.
describe('lifecircle analyze --network on a network that leaves things out', () => {
  const honest = (name: string) => fixture('network-honest', name);
  const args = [
    'analyze',
    ...townInputs('network-honest'),
    '--network',
    honest('roads.geojson'),
    '--radius',
    'kindergarten=500',
  ];

  it('reports pieces, residents outside, facilities beyond the edge and both headline shares', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lc-honest-'));
    const r = await runCli([...args, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('residents the network reaches: 300 of 350; outside it: 50 (50 beyond its edge)');
    expect(r.out).toContain("facilities beyond the network's edge: 2; inside it but far from any road: 1");
    expect(r.out).toMatch(/85\.7%\s+100\.0%/);
    expect(r.out).toContain('Note (covered_share): covered shares are of all 350 residents');
    expect(r.out).toContain('this looks like a drive network');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.network).toMatchObject({
      snap_to: 'min-share=0.01',
      snap_cost: 'walk',
      population_reached: 300,
      population_outside: 50,
      facilities_beyond_extent: 2,
      facilities_off_road: 1,
    });
    expect(summary.types.kindergarten.covered_share_of_reached).toBe(1);
    expect(summary.headline_notes[0].code).toBe('residents-outside-network');
  });

  it('--snap-to all lets B join the stray fragment, with a note in communities.geojson', async () => {
    const out = mkdtempSync(join(tmpdir(), 'lc-honest-all-'));
    expect(
      (await runCli([...args, '--snap-to', 'all', '--snap-cost', 'free', '--quiet', '--out', out])).code,
    ).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.network.snap_to).toBe('all');
    expect(summary.network.snap_cost).toBe('free');
    expect(summary.network.small_piece_communities).toBe(1);
    expect(communityProperties(out, 'B').network_note).toContain('0.66 %');
    expect(communityProperties(out, 'A').kindergarten_nearest_m).toBeCloseTo(100, 0);
  });

  it('option mistakes exit 2 naming the flag', async () => {
    const bad = await runCli([...args, '--snap-to', 'half']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--snap-to expected largest, all or min-share=S');
    expect((await runCli([...args, '--snap-cost', 'teleport'])).err).toContain(
      "--snap-cost expects walk or free, got 'teleport'",
    );
    const noNetwork = await runCli([...args.slice(0, 5), '--snap-to', 'all']);
    expect(noNetwork.code).toBe(2);
    expect(noNetwork.err).toContain('--snap-to needs --network FILE.');
  });
});
