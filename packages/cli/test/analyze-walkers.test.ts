import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Crs, parseCrs, transformBetween, WGS84 } from '@lifecircle/io';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { lonLatTiff } from '../../../fixtures/lonlat-tiff.js';
import { fixture, runCli, townInputs } from './harness.js';

// --dem, --walker and --walker-file of `lifecircle analyze`, on the hand-made barrier town.
const barrier = (name: string) => fixture('barrier', name);
const base = ['analyze', ...townInputs('barrier'), '--network', barrier('roads.geojson'), '--quiet'];

/** A lon/lat GeoTIFF of 0.001° cells from `west, north`, elevation from `value(lon, lat)`. */
function dem(
  dir: string,
  west: number,
  north: number,
  cols: number,
  rows: number,
  value: (lon: number, lat: number) => number,
  name = 'dem.tif',
  geoKeys: Record<string, unknown> = {},
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    lonLatTiff({ west, north, cell: 0.001, width: cols, height: rows, value, nodata: -9999, geoKeys }),
  );
  return path;
}

describe('lifecircle analyze --walker / --dem', () => {
  it('measures in minutes for the walker, with the length of each quickest walk beside them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-walker-'));
    const r = await runCli([...base, '--walker', 'elderly', '--out', dir]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.cost_unit).toBe('min');
    const kindergarten = summary.walking.types.kindergarten;
    expect(kindergarten).toMatchObject({
      walker: 'elderly',
      flat_speed_kmh: 3.5,
      radius_from: 'metres at flat speed',
    });
    // 300 m at 3.5 km/h (58.33 m/min) is 5.14 minutes.
    expect(kindergarten.radius_min).toBeCloseTo(5.14, 2);
    const fc = JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8'));
    for (const f of fc.features) {
      const minutes = f.properties.kindergarten_nearest_min;
      const metres = f.properties.kindergarten_nearest_m;
      if (minutes === null) continue;
      // No terrain: the quickest walk is the shortest, at the flat speed.
      expect(Math.abs(minutes * (3500 / 60) - metres)).toBeLessThan(1);
    }
  });

  it("draws catchments in minutes for each type's walker, and says who the walk loses against the flat one", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-walker-catchments-'));
    const r = await runCli([...base, '--walker', 'kindergarten=wheelchair,elderly', '--out', dir]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const shapes = JSON.parse(readFileSync(join(dir, 'catchments.geojson'), 'utf8'));
    expect(shapes.features.length).toBeGreaterThan(0);
    for (const f of shapes.features) {
      const type = summary.walking.types[f.properties.type];
      expect(f.properties.walker).toBe(type.walker);
      expect(f.properties.bound_min).toBeCloseTo(type.radius_min, 2);
    }
    // Each type's loss against the flat walk: the same communities in summary.json and the flags.
    const fc = JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8'));
    for (const [type, loss] of Object.entries(summary.walking.lost_to_terrain) as [
      string,
      { walker: string; communities: number; residents: number },
    ][]) {
      expect(loss.walker).toBe(summary.walking.types[type].walker);
      const flagged = fc.features.filter(
        (f: { properties: Record<string, unknown> }) => f.properties[`${type}_lost_to_terrain`] === true,
      );
      expect(flagged.length).toBe(loss.communities);
      // A lost community has a gap now.
      for (const f of flagged) expect(f.properties.gaps).toContain(type);
    }
    expect(r.out).toContain('Lost to terrain and walkers');
  });

  it('gives each type its default walker and takes TYPE=WALKER', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-walker-types-'));
    const r = await runCli([
      ...base,
      '--walker',
      'kindergarten=wheelchair',
      '--minutes',
      '5,10,15',
      '--out',
      dir,
    ]);
    expect(r.code).toBe(0);
    const { walking } = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(walking.types.kindergarten).toMatchObject({
      walker: 'wheelchair',
      radius_min: 5,
      radius_from: 'minutes',
    });
    expect(walking.types.nursery_childcare.walker).toBe('pram');
    expect(walking.types.elderly_day_care_center.walker).toBe('elderly');
    expect(walking.types.fresh_market.walker).toBe('adult');
  });

  it('reads a DEM for the network and says where it has no data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-dem-'));
    // Covers the town's west half only (to 106.660°E), rising 1 m per 0.001° northward.
    const path = dem(dir, 106.64, 35.555, 20, 30, (_lon, lat) => 1300 + (lat - 35.53) * 1000);
    const r = await runCli([...base, '--dem', path, '--walker', 'adult', '--out', dir]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.walking.dem).toBe(path);
    expect(summary.walking.uncovered.edges).toBeGreaterThan(0);
    const warning = summary.warnings.find((w: { code: string }) => w.code === 'terrain-no-data');
    expect(warning.message).toMatch(
      /no data along \d+ of \d+ road edges .* those edges are walked as if flat/,
    );
  });

  it('reads a Gauss-Krüger DEM whose GeoKeys name no system once --dem-crs names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-dem-gk-'));
    // The same slope (20 m per 0.001° northward) as a lon/lat DEM and as a surveying bureau's 20 m
    // grid in CGCS2000 GK CM 108°E (EPSG:4545) with user-defined GeoKeys.
    const height = (lat: number) => 1300 + (lat - 35.53) * 20_000;
    const lonLat = dem(dir, 106.63, 35.565, 60, 50, (_lon, lat) => height(lat));
    const gk = parseCrs('EPSG:4545') as Crs;
    const [x0, y0] = transformBetween(WGS84, gk)(106.63, 35.565) as [number, number];
    const toLonLat = transformBetween(gk, WGS84);
    const [cols, rows, cell] = [300, 300, 20];
    const values = new Float32Array(cols * rows);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++)
        values[r * cols + c] = height(toLonLat(x0 + (c + 0.5) * cell, y0 - (r + 0.5) * cell)[1]!);
    const gkPath = join(dir, 'dem-gk.tif');
    const meta = { width: cols, height: rows, SampleFormat: [3], BitsPerSample: [32] };
    const georeference = { ModelPixelScale: [cell, cell, 0], ModelTiepoint: [0, 0, 0, x0, y0, 0] };
    const keys = { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32767 };
    writeFileSync(gkPath, new Uint8Array(writeArrayBuffer(values, { ...meta, ...georeference, ...keys })));
    const bare = await runCli([...base, '--dem', gkPath]);
    expect(bare.code).toBe(1);
    expect(bare.err).toContain(`${gkPath}: has no EPSG code in its GeoKeys`);
    expect(bare.err).toContain('give it with --dem-crs');
    const minutes = async (args: string[]) => {
      const out = mkdtempSync(join(dir, 'out-'));
      const r = await runCli([...base, ...args, '--walker', 'elderly', '--out', out]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const fc = JSON.parse(readFileSync(join(out, 'communities.geojson'), 'utf8'));
      return fc.features.map(
        (f: { properties: Record<string, number | null> }) => f.properties.kindergarten_nearest_min,
      );
    };
    const flat = await minutes([]);
    const fromLonLat = await minutes(['--dem', lonLat]);
    const fromGk = await minutes(['--dem', gkPath, '--dem-crs', 'EPSG:4545']);
    expect(fromLonLat).not.toEqual(flat);
    fromGk.forEach((m: number | null, i: number) => {
      if (m === null || fromLonLat[i] === null) expect(m).toBe(fromLonLat[i]);
      else expect(Math.abs(m - fromLonLat[i]!)).toBeLessThan(0.02 * fromLonLat[i]! + 0.05);
    });
    const alone = await runCli([...base, '--dem-crs', 'EPSG:4545']);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--dem-crs is the system of --dem FILE, which is not given.');
  });

  it('refuses bad terrain and walker input with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-dem-bad-'));
    const unknown = await runCli([...base, '--walker', 'jogger']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      "unknown walker 'jogger'; known walkers: adult, elderly, child, pram, wheelchair",
    );
    const noNetwork = await runCli([
      'analyze',
      '--communities',
      barrier('communities.geojson'),
      '--facilities',
      barrier('facilities.geojson'),
      '--walker',
      'pram',
    ]);
    expect(noNetwork.code).toBe(2);
    expect(noNetwork.err).toContain('--dem, --walker and --walker-file need --network FILE');
    const elsewhere = dem(dir, 110, 30.1, 10, 10, () => 100);
    const missing = await runCli([...base, '--dem', elsewhere]);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain(`${elsewhere}: does not cover the study area`);
    // A DEM over the town with no data in any cell, and one in a system lifecircle does not know:
    // exit 1 with the file and what is wrong, no stack trace.
    const empty = dem(dir, 106.64, 35.555, 40, 30, () => -9999, 'empty.tif');
    const nodata = await runCli([...base, '--dem', empty]);
    expect(nodata.code).toBe(1);
    expect(nodata.err).toContain(`${empty}: holds no data over the study area`);
    expect(nodata.err).not.toMatch(/\n\s+at /);
    const odd = dem(dir, 106.64, 35.555, 40, 30, () => 1300, 'odd.tif', { GeographicTypeGeoKey: 4999 });
    const unknownCrs = await runCli([...base, '--dem', odd]);
    expect(unknownCrs.code).toBe(1);
    expect(unknownCrs.err).toContain(`${odd}: its GeoKeys name EPSG:4999`);
    const badFile = join(dir, 'walkers.json');
    writeFileSync(badFile, JSON.stringify({ walkers: [{ id: 'slow', flat_speed_kmh: 0 }] }));
    const bad = await runCli([...base, '--walker-file', badFile]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('walker 0 (slow), field flat_speed_kmh');
  });
});
