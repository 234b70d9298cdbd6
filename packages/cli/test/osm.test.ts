import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, readJson, runInto, scratchDir } from './harness.js';

// An OpenStreetMap extract as the walking network, end to end, on the hand-made town of fixtures/osm
// (its README describes the two road pieces and the ways left out).
const town = (name: string) => fixture('osm', name);
const { outDir } = scratchDir('osm');
/** `analyze` of `communities` and the town's facilities (more options in `rest`), into a fresh folder. */
const analyzeTown = (communities: string, ...rest: string[]) =>
  runInto(outDir(), [
    'analyze',
    '--communities',
    communities,
    '--facilities',
    town('facilities.geojson'),
    ...rest,
  ]);

describe('lifecircle analyze --network FILE.osm.pbf', () => {
  it('walks on the extract, says which ways were left out and that the network is in two pieces', async () => {
    const r = await analyzeTown(town('communities.geojson'), '--network', town('town.osm.pbf'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = r.summary!;
    expect(summary.distance).toBe('network');
    const warnings = summary.warnings as { code: string; message: string }[];
    expect(warnings.find((w) => w.code === 'osm-ways-excluded')?.message).toBe(
      '4 ways with a highway tag left out of the walking network: access=private 1, foot=no 1, highway=cycleway without foot access 1, highway=motorway 1',
    );
    expect(warnings.map((w) => w.code)).toContain('network-disconnected');
    // 新村社区 lives on piece B, which the kindergarten's piece does not reach.
    const communities = readJson<{ features: { properties: Record<string, unknown> }[] }>(
      join(r.dir, 'communities.geojson'),
    );
    const b = communities.features.find((f) => f.properties.id === 'B')!;
    expect(b.properties.gaps).toContain('kindergarten');
    expect(b.properties.kindergarten_nearest_m ?? null).toBeNull();
  });

  it('names an OSM file given as communities rather than reading it as a table', async () => {
    const r = await analyzeTown(town('town.osm'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(
      'town.osm: this looks like OSM XML (OpenStreetMap data): give it as the road network or the facilities.',
    );
  });
});
