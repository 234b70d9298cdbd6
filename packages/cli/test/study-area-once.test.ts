import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputReading } from '../src/inputs/reading.js';
import { fixture, runCli } from './harness.js';

// `site --study-area` clips the OpenStreetMap inputs and the generated candidates with the same
// polygons: the file is read once, in the shared input step (issue #12).
afterEach(() => vi.restoreAllMocks());

describe('site --study-area', () => {
  it('reads the study area file once and uses it for the candidates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-study-area-'));
    // Around communities A and B of the network-honest town (x 0–600 m, y −100–400 m), not C.
    const area = join(dir, 'study-area.geojson');
    // West, south, east, north: one Polygon feature written as a single-feature collection.
    const [w, south, e, n] = [116.0, 39.9991, 116.00704, 40.0036];
    const ring = [
      [w, south],
      [e, south],
      [e, n],
      [w, n],
      [w, south],
    ];
    const feature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } };
    writeFileSync(area, JSON.stringify({ type: 'FeatureCollection', features: [feature] }));
    const read = vi.spyOn(InputReading.prototype, 'read');
    const r = await runCli([
      'site',
      ...['--communities', fixture('network-honest', 'communities.geojson')],
      ...['--facilities', fixture('network-honest', 'facilities.geojson')],
      ...'--type kindergarten --model mclp --k 1 --radius 500 --json'.split(' '),
      ...['--generate-candidates', 'grid:100,all,no-centroids,clip=study-area', '--study-area', area],
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(read.mock.calls.filter(([, role]) => role === 'study-area')).toHaveLength(1);
    const summary = JSON.parse(r.out);
    // A 100 m grid over a 600 m × 500 m box: every candidate inside it.
    expect(summary.parameters.candidates).toBeGreaterThan(0);
    expect(summary.parameters.candidates).toBeLessThanOrEqual(7 * 6);
  });
});
