// A planner's own data end to end (issue #12): a WorldPop-shaped population raster and building
// footprints as demand, an OpenStreetMap extract clipped with --bbox and --study-area, and the bad
// inputs of each named by file and field. Fixtures: fixtures/your-own-data (its generate.ts says what
// each is shaped like), fixtures/formats/bureau (the GBK shapefile), fixtures/osm (the town).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoverageSummary } from '@lifecircle/core';
import { bboxPolygon, featureCollection } from '@turf/turf';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { withoutTags } from '../../io/test/tiff.js';
import { run } from '../src/cli.js';

const fixture = (path: string) => fileURLToPath(new URL(`../../../fixtures/${path}`, import.meta.url));
const BUREAU = fixture('formats/bureau/社区.shp');
const AMAP = fixture('formats/amap/幼儿园.csv');
const RASTER = fixture('your-own-data/worldpop.tif');
const TMP = mkdtempSync(join(tmpdir(), 'lc-real-data-'));

async function analyze(...args: string[]) {
  const out = join(TMP, `out-${Math.random().toString(36).slice(2)}`);
  const streams = { out: '', err: '' };
  const code = await run(['analyze', ...args, '--quiet', '--out', out], {
    out: (t) => (streams.out += t),
    err: (t) => (streams.err += t),
    interactive: false,
  });
  const summary =
    code === 0 ? (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as CoverageSummary) : null;
  return { code, ...streams, summary, out };
}
/** {@link analyze} of the bureau's communities and the AMap kindergartens, with more options. */
const analyzeBureau = (...rest: string[]) => analyze('--communities', BUREAU, '--facilities', AMAP, ...rest);

describe('--population-raster', () => {
  it('shares the bureau communities’ own population out over the raster cells inside each', async () => {
    const r = await analyzeBureau('--population-raster', RASTER);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const { demand, population } = r.summary!;
    expect(demand.methods).toEqual({ raster: 3 });
    expect(demand.weighting).toMatchObject({
      source: 'raster',
      communities_weighted: 3,
      communities_even: 0,
    });
    // 3 arc-second cells over three 0.01° squares: 12 × 12 cell centres in each, less the river band.
    expect(demand.weighting!.inside).toBe(demand.points);
    expect(demand.weighting!.outside).toBeGreaterThan(0);
    // The communities keep their own population: 常住人口 of the .dbf.
    const plain = await analyzeBureau();
    expect(population).toBe(plain.summary!.population);
  });

  it('takes the raster counts as the population of communities without one', async () => {
    const r = await analyze(
      '--communities',
      fixture('your-own-data/communities-no-population.geojson'),
      '--facilities',
      AMAP,
      '--population-raster',
      RASTER,
    );
    expect(r.code).toBe(0);
    expect(r.summary!.warnings.map((w) => w.code)).toContain('population-from-raster');
    expect(r.summary!.population).toBeGreaterThan(0);
    expect(r.out).toBeDefined();
  });

  it('refuses a raster with no georeference, naming the file', async () => {
    const path = join(TMP, 'bare.tif');
    // geotiff's writer gives every file a whole-world georeference: take its tie point and scale away.
    const world = writeArrayBuffer(new Float32Array(4), {
      width: 2,
      height: 2,
      SampleFormat: [3],
      BitsPerSample: [32],
    });
    writeFileSync(path, new Uint8Array(withoutTags(world, [33550, 33922])));
    const r = await analyzeBureau('--population-raster', path);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path}: has no georeference`);
    expect(r.err).not.toContain('    at ');
  });

  it('refuses a raster in a coordinate system it does not know, and one that misses the study area', async () => {
    const tiff = (tiepoint: number[], keys: Record<string, number>) => {
      const path = join(TMP, `r-${Math.random().toString(36).slice(2)}.tif`);
      const meta = {
        width: 2,
        height: 2,
        SampleFormat: [3],
        BitsPerSample: [32],
        ModelPixelScale: [0.01, 0.01, 0],
        ModelTiepoint: tiepoint,
        GTRasterTypeGeoKey: 1,
        ...keys,
      };
      writeFileSync(path, new Uint8Array(writeArrayBuffer(Float32Array.of(1, 2, 3, 4), meta)));
      return path;
    };
    const unknown = tiff([0, 0, 0, 106.64, 35.57, 0], { GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32767 });
    let r = await analyzeBureau('--population-raster', unknown);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${unknown}: has no EPSG code in its GeoKeys (a user-defined system)`);
    const elsewhere = tiff([0, 0, 0, 116.3, 39.9, 0], { GTModelTypeGeoKey: 2, GeographicTypeGeoKey: 4326 });
    r = await analyzeBureau('--population-raster', elsewhere);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `${elsewhere}: does not cover the study area: the raster spans [116.3000, 39.8800, 116.3200, 39.9000]`,
    );
  });

  it('reads a Gauss-Krüger raster whose GeoKeys name no system once --population-raster-crs names it', async () => {
    // A statistics bureau's 100 m grid in CGCS2000 3-degree GK CM 108°E, GeoKeys user-defined.
    const gk = fixture('your-own-data/population-gk.tif');
    const bare = await analyzeBureau('--population-raster', gk);
    expect(bare.code).toBe(1);
    expect(bare.err).toContain(`${gk}: has no EPSG code in its GeoKeys (a user-defined system)`);
    expect(bare.err).toContain('give it with --population-raster-crs (e.g. EPSG:4544');
    expect(bare.err).not.toContain('    at ');
    const raster = await analyzeBureau('--population-raster', RASTER);
    for (const crs of ['EPSG:4545', 'cgcs2000-gk3-cm108', 'CGCS2000 / 3-degree Gauss-Kruger CM 108E']) {
      const r = await analyzeBureau('--population-raster', gk, '--population-raster-crs', crs);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const { demand, population } = r.summary!;
      expect(demand.methods).toEqual({ raster: 3 });
      expect(demand.weighting).toMatchObject({ source: 'raster', communities_weighted: 3 });
      expect(population).toBe(raster.summary!.population);
      // The same people on a coarser grid in another system: the covered share within a few points.
      const shares = (summary: unknown) =>
        (summary as { types: Record<string, { covered_share: number }> }).types;
      const types = Object.entries(shares(raster.summary));
      expect(types.length).toBeGreaterThan(0);
      for (const [type, t] of types) {
        expect(Math.abs(shares(r.summary)[type]!.covered_share - t.covered_share)).toBeLessThan(0.05);
      }
    }
    // Declared wrong: the zone with its number in front does not fit eastings without one.
    const wrong = await analyzeBureau('--population-raster', gk, '--population-raster-crs', 'EPSG:4524');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`${gk}: does not cover the study area`);
    const unknown = await analyzeBureau('--population-raster', gk, '--population-raster-crs', 'EPSG:9999999');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(`--population-raster-crs: 'EPSG:9999999' (for ${gk})`);
    const alone = await analyzeBureau('--population-raster-crs', 'EPSG:4545');
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('--population-raster-crs is the system of --population-raster FILE');
  });

  it('is an option mistake together with --demand or --buildings', async () => {
    const both = await analyzeBureau('--population-raster', RASTER, '--buildings', RASTER);
    expect(both.code).toBe(2);
    expect(both.err).toContain('give --population-raster or --buildings, not both.');
  });
});

describe('--buildings', () => {
  it('shares population out by footprint area × floors and names the communities with no footprint', async () => {
    const r = await analyzeBureau('--buildings', fixture('your-own-data/buildings.geojson'));
    expect(r.code).toBe(0);
    const { demand, warnings } = r.summary!;
    expect(demand.methods).toEqual({ buildings: 2, grid: 1 });
    expect(demand.weighting).toMatchObject({
      source: 'buildings',
      read: 18,
      inside: 18,
      outside: 0,
      floors_column: 'building:levels',
    });
    expect(warnings.find((w) => w.code === 'no-demand-points')?.message).toContain('620802001003');
  });

  it('warns and weights by area alone when the file has no floors or height column', async () => {
    const path = join(TMP, 'footprints.geojson');
    const square = (lon: number, lat: number) => [
      [
        [lon, lat],
        [lon + 0.0002, lat],
        [lon + 0.0002, lat + 0.0002],
        [lon, lat + 0.0002],
        [lon, lat],
      ],
    ];
    writeFileSync(
      path,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [square(106.652, 35.542), square(106.655, 35.545)].map((coordinates) => ({
          type: 'Feature',
          properties: { building: 'yes' },
          geometry: { type: 'Polygon', coordinates },
        })),
      }),
    );
    const r = await analyzeBureau('--buildings', path);
    expect(r.code).toBe(0);
    const warning = r.summary!.warnings.find((w) => w.code === 'buildings-no-floors');
    expect(warning).toMatchObject({ file: path, field: 'floors' });
    expect(warning!.message).toContain('weighted by footprint area alone');
  });
});

describe('--bbox and --study-area on an OpenStreetMap extract', () => {
  const town = fixture('osm/town.osm.pbf');
  const args = ['--communities', fixture('osm/communities.geojson'), '--facilities', town];

  it('keeps only the facilities inside the box', async () => {
    const whole = await analyze(...args);
    const clipped = await analyze(...args, '--bbox', '106.659,35.5395,106.6645,35.5435');
    expect(whole.code).toBe(0);
    expect(clipped.code).toBe(0);
    const count = (s: CoverageSummary) => Object.values(s.types).reduce((n, t) => n + t.facilities, 0);
    // The README's clip keeps nodes 40 and 45 and way 401 of the five facilities.
    expect(count(clipped.summary!)).toBeLessThan(count(whole.summary!));
  });

  it('clips to a study area file as to its box', async () => {
    const area = join(TMP, 'area.geojson');
    const [w, s, e, n] = [106.659, 35.5395, 106.6645, 35.5435];
    writeFileSync(area, JSON.stringify(featureCollection([bboxPolygon([w, s, e, n])])));
    const byArea = await analyze(...args, '--study-area', area);
    const byBox = await analyze(...args, '--bbox', `${w},${s},${e},${n}`);
    expect(byArea.code).toBe(0);
    expect(byArea.summary!.types).toEqual(byBox.summary!.types);
  });

  it('names a malformed --bbox as an option mistake', async () => {
    const r = await analyze(...args, '--bbox', '106.7,35.5,106.6');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--bbox expects west,south,east,north in WGS84 degrees');
  });
});
