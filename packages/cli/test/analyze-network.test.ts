import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

// The walking-network and cost-matrix options of `lifecircle analyze`, on the hand-made barrier town
// (fixtures/barrier/README.md has the answers worked out by hand).
const barrier = (name: string) => new URL(`../../../fixtures/barrier/${name}`, import.meta.url).pathname;
const base = [
  'analyze',
  '--communities',
  barrier('communities.geojson'),
  '--facilities',
  barrier('facilities.geojson'),
];

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
