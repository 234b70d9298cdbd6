import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

// An OpenStreetMap extract as the walking network, end to end, on the hand-made town of fixtures/osm
// (its README describes the two road pieces and the ways left out).
const town = (name: string) => new URL(`../../../fixtures/osm/${name}`, import.meta.url).pathname;

describe('lifecircle analyze --network FILE.osm.pbf', () => {
  it('walks on the extract, says which ways were left out and that the network is in two pieces', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-osm-'));
    const r = await runCli([
      'analyze',
      '--communities',
      town('communities.geojson'),
      '--facilities',
      town('facilities.geojson'),
      '--network',
      town('town.osm.pbf'),
      '--quiet',
      '--out',
      dir,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.distance).toBe('network');
    const warnings = summary.warnings as { code: string; message: string }[];
    expect(warnings.find((w) => w.code === 'osm-ways-excluded')?.message).toBe(
      '4 ways with a highway tag left out of the walking network: access=private 1, foot=no 1, highway=cycleway without foot access 1, highway=motorway 1',
    );
    expect(warnings.map((w) => w.code)).toContain('network-disconnected');
    // 新村社区 lives on piece B, which the kindergarten's piece does not reach.
    const communities = JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8'));
    const b = communities.features.find((f: { properties: { id: string } }) => f.properties.id === 'B');
    expect(b.properties.gaps).toContain('kindergarten');
    expect(b.properties.kindergarten_nearest_m ?? null).toBeNull();
  });

  it('names an OSM file given as communities rather than reading it as a table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-osm-'));
    const r = await runCli([
      'analyze',
      '--communities',
      town('town.osm'),
      '--facilities',
      town('facilities.geojson'),
      '--out',
      dir,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(
      'town.osm: this looks like OSM XML (OpenStreetMap data): give it as the road network or the facilities.',
    );
  });
});
