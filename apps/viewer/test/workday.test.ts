// A bureau's working day in the browser (issue #15), basemaps first: offline with none; a local
// PMTiles vector basemap (a tiny made-up archive built by test/fixtures, served by the test) drawn
// with the Protomaps style and Chinese names; OpenStreetMap, Tianditu and AMap stubbed with a fixed
// PNG, checking the tile URLs, the attribution and, for AMap, that what the viewer draws sits at its
// GCJ-02 position while the analysis is unchanged. Each mode is compared with a stored image.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { wgs84ToGcj02 } from '@lifecircle/io';
import type { FeatureCollection, Point } from 'geojson';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Page, Route } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basemapCityArchive } from './fixtures/basemap-city.js';
import { metres } from './geometry.js';
import {
  expectMapLike as expectStoredMapLike,
  startViewer,
  stopViewer,
  VIEWER_ROOT,
  type ViewerSession,
  waitAnalysed,
  waitMapIdle,
} from './harness.js';

const facilitiesFile = JSON.parse(
  readFileSync(resolve(VIEWER_ROOT, '../../fixtures/pingliang/facilities.geojson'), 'utf8'),
) as FeatureCollection;

type Viewer = {
  lifecircle: { mapView: { map: MapLibreMap }; analysis: { gapCount?: number } | null };
};

/** Differing pixels allowed against the stored image (software WebGL, font hinting). */
const TOLERANCE = 0.01;
/** The machine is shared: the first analysis and profile check can take minutes under load. */
const SLOW = 300_000;

let session: ViewerSession | undefined;
let page: Page;
let errors: string[];
let offsite: string[];
const archive = basemapCityArchive();

/** A 256×256 PNG of one colour, standing for an online service's tile. */
function tilePng(rgb: [number, number, number]): Buffer {
  const png = new PNG({ width: 256, height: 256 });
  for (let i = 0; i < 256 * 256; i++) png.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(png);
}

/** Answers a range request for the archive as a server with byte serving does. */
function serveArchive(route: Route): Promise<void> {
  const range = /bytes=(\d+)-(\d+)/.exec(route.request().headers().range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range ? Math.min(Number(range[2]), archive.length - 1) : archive.length - 1;
  return route.fulfill({
    status: range ? 206 : 200,
    headers: {
      'content-type': 'application/octet-stream',
      'content-range': `bytes ${start}-${end}/${archive.length}`,
      'accept-ranges': 'bytes',
    },
    body: Buffer.from(archive.subarray(start, end + 1)),
  });
}

async function waitIdle(): Promise<void> {
  await waitAnalysed(page, SLOW);
  await waitMapIdle(page, SLOW);
}

async function choose(kind: string): Promise<void> {
  await page.getByTestId('basemap-kind').selectOption(kind);
}

async function expectMapLike(name: string): Promise<void> {
  await waitIdle();
  await expectStoredMapLike(page, name, TOLERANCE);
}

/** Where the map draws the facilities now (a source per type): each rendered point's [lon, lat]. */
function drawnFacilities(): Promise<[number, number][]> {
  return page.evaluate(() => {
    const map = (window as unknown as Viewer).lifecircle.mapView.map;
    return Object.keys(map.getStyle().sources)
      .filter((id) => /^facilities-\d+$/.test(id))
      .flatMap((id) => map.querySourceFeatures(id))
      .map((f) => (f.geometry as Point).coordinates as [number, number]);
  });
}

const nearest = (drawn: [number, number][], p: readonly number[]) =>
  Math.min(...drawn.map((d) => metres(d, p)));

beforeAll(async () => {
  session = await startViewer();
  ({ page, errors, offsite } = session);
  await page.goto(session.url);
  await waitIdle();
  await page.locator('details.settings > summary').click();
}, 2 * SLOW);

afterAll(() => stopViewer(session));

describe('basemaps', () => {
  it(
    'opens offline with no basemap: no request leaves the page',
    async () => {
      expect(await page.getByTestId('basemap-kind').inputValue()).toBe('none');
      const layers = await page.evaluate(() =>
        (window as unknown as Viewer).lifecircle.mapView.map
          .getStyle()
          .layers.map((l) => l.id)
          .filter((id) => id.startsWith('basemap')),
      );
      expect(layers).toEqual([]);
      expect(offsite).toEqual([]);
      expect(errors).toEqual([]);
    },
    SLOW,
  );

  it(
    'draws a local PMTiles vector basemap with the Protomaps style and Chinese names',
    async () => {
      const asked: string[] = [];
      await page.route('**/basemap.pmtiles', (route) => {
        asked.push(route.request().headers().range ?? '');
        return serveArchive(route);
      });
      await choose('local');
      await page.getByTestId('basemap-url').fill('basemap.pmtiles');
      await page.getByTestId('basemap-apply').click();
      await page.waitForFunction(
        () => !!(window as unknown as Viewer).lifecircle.mapView.map.getLayer('basemap-water'),
      );
      await waitIdle();
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((r) => /^bytes=\d+-\d+$/.test(r))).toBe(true);
      const found = await page.evaluate(() => {
        const map = (window as unknown as Viewer).lifecircle.mapView.map;
        return {
          places: map
            .querySourceFeatures('basemap', { sourceLayer: 'places' })
            .map((f) => f.properties['name:zh']),
          roads: map.querySourceFeatures('basemap', { sourceLayer: 'roads' }).length,
          labels: map.queryRenderedFeatures({ layers: ['basemap-places_locality'] }).length,
        };
      });
      expect(found.places).toContain('平凉市');
      expect(found.roads).toBeGreaterThan(0);
      expect(found.labels).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('basemap-attribution').textContent()).toContain('Protomaps');
      await expectMapLike('basemap-local');
      expect(offsite).toEqual([]);
      await page.unroute('**/basemap.pmtiles');
    },
    SLOW,
  );

  it(
    'takes a PMTiles file dropped on the map as the basemap, read from the file, not the network',
    async () => {
      await choose('none');
      await page.waitForFunction(
        () => !(window as unknown as Viewer).lifecircle.mapView.map.getLayer('basemap-water'),
      );
      const requests: string[] = [];
      const onRequest = (r: { url(): string }) => {
        if (r.url().includes('pmtiles')) requests.push(r.url());
      };
      page.on('request', onRequest);
      const dropped = await page.evaluateHandle((bytes) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], 'my-city.pmtiles'));
        return transfer;
      }, Array.from(archive));
      await page.getByTestId('map').dispatchEvent('drop', { dataTransfer: dropped });
      await page.waitForFunction(
        () => !!(window as unknown as Viewer).lifecircle.mapView.map.getLayer('basemap-water'),
        null,
        { timeout: SLOW },
      );
      await waitIdle();
      expect(await page.getByTestId('basemap-kind').inputValue()).toBe('local');
      await expect.poll(() => page.getByTestId('basemap-attribution').textContent()).toContain('Protomaps');
      // Not taken for data: no message, and the analysis is the one before.
      expect(await page.getByTestId('notice').isVisible()).toBe(false);
      expect(requests).toEqual([]);
      page.off('request', onRequest);
      await expectMapLike('basemap-local');
    },
    SLOW,
  );

  it(
    'OpenStreetMap: its tiles (stubbed) and its attribution',
    async () => {
      const asked: string[] = [];
      await page.route('https://tile.openstreetmap.org/**', (route) => {
        asked.push(route.request().url());
        return route.fulfill({ status: 200, contentType: 'image/png', body: tilePng([200, 220, 200]) });
      });
      await choose('osm');
      await expect.poll(() => asked.length, { timeout: SLOW }).toBeGreaterThan(0);
      await waitIdle();
      for (const u of asked) expect(u).toMatch(/^https:\/\/tile\.openstreetmap\.org\/1[0-3]\/\d+\/\d+\.png$/);
      expect(await page.getByTestId('basemap-attribution').textContent()).toContain(
        '© OpenStreetMap contributors',
      );
      expect(await page.getByTestId('basemap-online').textContent()).toContain('tile.openstreetmap.org');
      expect(await page.getByTestId('basemap-datum-note').count()).toBe(0);
      await expectMapLike('basemap-osm');
      await page.unroute('https://tile.openstreetmap.org/**');
    },
    SLOW,
  );

  it(
    "Tianditu: asks for the user's key, then its map and labels, or imagery and labels",
    async () => {
      const asked: string[] = [];
      await page.route(/tianditu\.gov\.cn/, (route) => {
        asked.push(route.request().url());
        return route.fulfill({ status: 200, contentType: 'image/png', body: tilePng([220, 210, 190]) });
      });
      await choose('tianditu');
      await page.getByTestId('tianditu-key').fill('');
      await page.getByTestId('basemap-apply').click();
      await expect.poll(() => page.getByTestId('basemap-error').textContent()).toContain('天地图密钥');
      await page.getByTestId('tianditu-key').fill('test-key-123');
      await page.getByTestId('basemap-apply').click();
      await expect
        .poll(() => asked.filter((u) => u.includes('T=cva_w')).length, { timeout: SLOW })
        .toBeGreaterThan(0);
      for (const u of asked) {
        expect(u).toMatch(
          /^https:\/\/t[0-7]\.tianditu\.gov\.cn\/DataServer\?T=(vec|cva)_w&x=\d+&y=\d+&l=\d+&tk=test-key-123$/,
        );
      }
      expect(await page.getByTestId('basemap-attribution').textContent()).toContain('天地图');
      asked.length = 0;
      await page.getByTestId('basemap-imagery').check();
      await expect
        .poll(() => asked.filter((u) => u.includes('T=cia_w')).length, { timeout: SLOW })
        .toBeGreaterThan(0);
      expect(asked.some((u) => u.includes('T=img_w'))).toBe(true);
      await expectMapLike('basemap-tianditu');
      await page.unroute(/tianditu\.gov\.cn/);
    },
    SLOW,
  );

  it(
    'AMap: its tiles (stubbed), the GCJ-02 note, and facilities drawn at their GCJ-02 positions',
    async () => {
      const statusBefore = await page.getByTestId('status').textContent();
      const asked: string[] = [];
      await page.route(/is\.autonavi\.com/, (route) => {
        asked.push(route.request().url());
        return route.fulfill({ status: 200, contentType: 'image/png', body: tilePng([235, 230, 220]) });
      });
      const sample = facilitiesFile.features.slice(0, 40).map((f) => (f.geometry as Point).coordinates);
      await waitIdle();
      const before = await drawnFacilities();
      // Drawn where the file puts them (WGS84) before AMap.
      const onWgs = sample.filter((p) => nearest(before, p) < 5).length;
      expect(onWgs).toBeGreaterThan(30);

      // The imagery choice carries over from Tianditu: AMap's satellite tiles and their labels first.
      await choose('amap');
      expect(await page.getByTestId('basemap-imagery').isChecked()).toBe(true);
      await expect
        .poll(() => asked.filter((u) => u.includes('style=6')).length, { timeout: SLOW })
        .toBeGreaterThan(0);
      expect(asked.every((u) => /^https:\/\/webst0[1-4]\.is\.autonavi\.com\//.test(u))).toBe(true);
      // Then the road map.
      asked.length = 0;
      await page.getByTestId('basemap-imagery').uncheck();
      await expect
        .poll(() => asked.filter((u) => u.includes('webrd')).length, { timeout: SLOW })
        .toBeGreaterThan(0);
      await waitIdle();
      for (const u of asked.filter((x) => x.includes('webrd'))) {
        expect(u).toMatch(
          /^https:\/\/webrd0[1-4]\.is\.autonavi\.com\/appmaptile\?lang=zh_cn&size=1&scale=1&style=8&x=\d+&y=\d+&z=\d+$/,
        );
      }
      expect(await page.getByTestId('basemap-datum-note').textContent()).toContain('GCJ-02');
      expect(await page.getByTestId('basemap-attribution').textContent()).toContain('高德');
      const after = await drawnFacilities();
      let shifted = 0;
      let stillAtWgs = 0;
      for (const p of sample) {
        const gcj = wgs84ToGcj02(p[0]!, p[1]!);
        // The GCJ-02 offset here is hundreds of metres: a facility must no longer be at its WGS84 place.
        expect(metres(p, gcj)).toBeGreaterThan(200);
        if (nearest(after, gcj) < 5) shifted++;
        // Facilities are dense (2,692), so another one may be near; none sits exactly on a WGS84 spot.
        if (nearest(after, p) < 5) stillAtWgs++;
      }
      expect(shifted).toBe(onWgs);
      expect(stillAtWgs).toBe(0);
      // Display only: the analysis (and the status line with it) is the same.
      expect(await page.getByTestId('status').textContent()).toBe(statusBefore);
      await expectMapLike('basemap-amap');

      // Back to none: WGS84 positions, and nothing more leaves the page.
      await choose('none');
      await waitIdle();
      const back = await drawnFacilities();
      expect(sample.filter((p) => nearest(back, p) < 5).length).toBe(onWgs);
      await page.unroute(/is\.autonavi\.com/);
      expect(offsite).toEqual([]);
      expect(errors).toEqual([]);
    },
    SLOW,
  );
});
