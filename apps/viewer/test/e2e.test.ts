// End-to-end tests of the viewer in a real browser: the built app (vite build) on a loopback server,
// driven by playwright-core on Debian's Chromium (headless, software WebGL). Screenshots of the main
// states go to test/artifacts/ (look at them: the map must be legible, legend and panel readable).
//
// Every request that leaves the loopback server fails the run: the viewer must work offline.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  analyzeCoverage,
  checkStandards,
  NetworkSource,
  RoadGraph,
  type SiteOptions,
  type SitingModelName,
  siteFacilities,
} from '@lifecircle/core';
import { crsOfEpsg, reprojectFeatureCollection, shapefileZip, WGS84, writeGeoPackage } from '@lifecircle/io';
import type { FeatureCollection } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointRows, writeXlsx } from '../../../fixtures/formats/writers.js';
import { paletteIndex, VERDICT_COLOURS } from '../src/map/colours.js';
import { centre } from './geometry.js';
import {
  CHROMIUM,
  openPage,
  rendererMainCpu,
  startViewer,
  stopViewer,
  type ViewerSession,
  waitAnalysed,
} from './harness.js';
import { syntheticCity } from './synthetic.js';

const here = dirname(fileURLToPath(import.meta.url));
const viewerRoot = resolve(here, '..');
const repoRoot = resolve(viewerRoot, '../..');
const artifacts = join(here, 'artifacts');
const distDir = join(viewerRoot, 'dist');
const fixture = (name: string) => join(repoRoot, 'fixtures/pingliang', name);

const readJson = (path: string): FeatureCollection =>
  JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection;

interface AppHandle {
  analysis: {
    communities: { count: number; bbox: readonly [number, number, number, number] };
    types: { id: string; radius_m: number }[];
    distance: { kind: string; file: string | null };
    facilityPoints: readonly unknown[];
  } | null;
  applyView(): number;
  mapView: {
    isShown(layer: string): boolean;
    setFacilities(points: readonly unknown[], radii: readonly number[], referenceLat: number): Promise<void>;
    map: {
      getStyle(): { layers: { id: string }[] };
      getFeatureState(f: { source: string; id: number }): Record<string, unknown>;
      queryRenderedFeatures(o: { layers: string[] }): { id?: number | string }[];
      querySourceFeatures(source: string): unknown[];
      project(p: [number, number]): { x: number; y: number };
      unproject(p: [number, number]): { lng: number; lat: number };
      loaded(): boolean;
    };
  };
  lastRecolour: { syncMs: number; frameMs: number | null; writes: number; communities: number } | null;
}
declare global {
  interface Window {
    lifecircle: AppHandle;
  }
}

let session: ViewerSession | undefined;
let origin: string;
let url: string;
let browser: Browser;
let page: Page;
let offsite: string[];
let errors: string[];

async function waitReady(p: Page = page): Promise<void> {
  await waitAnalysed(p);
  // Let MapLibre finish its tiles so screenshots show the map.
  await p.waitForFunction(() => window.lifecircle.mapView.map.loaded(), null, { timeout: 30_000 });
  await p.waitForTimeout(300);
}

async function shot(name: string, p: Page = page): Promise<void> {
  await p.screenshot({ path: join(artifacts, name) });
}

async function colours(count: number): Promise<string[]> {
  return page.evaluate((n) => {
    const map = window.lifecircle.mapView.map;
    return Array.from({ length: n }, (_, id) => String(map.getFeatureState({ source: 'communities', id }).k));
  }, count);
}

/** The ids of the map's top `count` layers, bottom first. */
function styleTail(count: number): Promise<string[]> {
  return page.evaluate(
    (n) =>
      window.lifecircle.mapView.map
        .getStyle()
        .layers.map((l) => l.id)
        .slice(-n),
    count,
  );
}

/** Communities with at least one gap among the types required in a complete community. */
function expectedGapCommunities(result: ReturnType<typeof analyzeCoverage>): number {
  const required = new Set(result.types.filter((t) => t.required_in_complete_community).map((t) => t.id));
  return result.communities.filter((c) => c.gaps.some((g) => required.has(g))).length;
}

const pingliang = {
  communities: readJson(fixture('communities.geojson')),
  facilities: readJson(fixture('facilities.geojson')),
};
const reference = analyzeCoverage(pingliang);
const roadsFile = readFileSync(fixture('roads.geojson'));
const roadGraph = RoadGraph.fromGeoJSON(JSON.parse(roadsFile.toString('utf8')), {
  file: 'roads.geojson',
}).graph;
const walking = {
  distance: (
    o: Parameters<NonNullable<SiteOptions['distance']>>[0],
    c: { communityIds: readonly string[] },
  ) => new NetworkSource(roadGraph, o, { ownerNames: c.communityIds, file: 'communities.geojson' }),
};

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run bash apps/viewer/scripts/ensure-chromium.sh (as root).`);
  }
  mkdirSync(artifacts, { recursive: true });
  session = await startViewer();
  ({ url, origin, browser, page, offsite, errors } = session);
  await page.goto(url);
  // The first analysis, on a machine shared with other runs, may take minutes (as in meeting.test.ts).
  await waitAnalysed(page, 240_000);
  await waitReady();
}, 360_000);

afterAll(() => stopViewer(session));

describe('the viewer in Chromium', () => {
  it('opens on the bundled city with every community coloured by its number of gaps', async () => {
    await shot('01-bundled-city.png');
    expect(await page.getByTestId('community-count').textContent()).toBe(
      String(reference.communities.length),
    );
    expect(reference.communities.length).toBe(457);
    const gaps = expectedGapCommunities(reference);
    expect(Number((await page.getByTestId('gap-count').textContent())?.replace(/[^\d]/g, ''))).toBe(gaps);
    // Every community has a colour in feature-state, and the map draws the communities.
    const states = await colours(457);
    expect(states.every((c) => /^\d+$/.test(c))).toBe(true);
    expect(new Set(states).size).toBeGreaterThanOrEqual(6);
    const drawn = await page.evaluate(
      () =>
        new Set(
          window.lifecircle.mapView.map
            .queryRenderedFeatures({ layers: ['communities-fill'] })
            .map((f) => f.id),
        ).size,
    );
    expect(drawn).toBeGreaterThan(300);
    // MapLibre's worker parsed the analysis' GeoJSON and kept it (blob-protocol.mjs): the page's
    // sources hold only their URLs, not a structured clone of every feature.
    const held = await page.evaluate(() =>
      ['communities', 'outlines', 'facilities-0'].map((id) =>
        Object.keys(
          (
            window.lifecircle.mapView.map as unknown as { getSource(id: string): { _data: object } }
          ).getSource(id)._data,
        ),
      ),
    );
    expect(held).toEqual([['url'], ['url'], ['url']]);
    await expect.poll(() => page.getByTestId('legend-title').textContent()).toContain('缺口数');
    expect(await page.getByTestId('worst-item').count()).toBe(10);
    // The complete-community rate is core's checkStandards figure (the bundled city opens on the
    // Pingliang 2025 profile): 0 % confirmed, at most 14.0 % once the unknown items are known.
    const check = checkStandards(pingliang, 'pingliang-2025');
    expect(await page.getByTestId('complete-rate').textContent()).toBe(pct1(check.city.completeShare));
    expect(await page.getByTestId('complete-rate-sub').textContent()).toContain(
      pct1(check.city.completeShareMax),
    );
    expect(await districtRates()).toEqual(
      check.districts.map((d) => [d.name, d.completeShare, d.completeShareMax]),
    );
    // Indicators against targets are core's: childcare places per 1,000 (3.75 against 4.5).
    const childcare = page.locator('[data-testid="indicator"][data-id="childcare_places_per_1000"]');
    expect(Number(await childcare.getAttribute('data-value'))).toBe(
      check.city.indicators.childcare_places_per_1000!.value,
    );
    expect(await childcare.getAttribute('data-target')).toBe('4.5');
    expect(await childcare.getAttribute('data-met')).toBe('false');
    // The facilities' layers, added a type per frame, stand in the order one task gave them: every
    // type's catchments below the proposals' and sites' circles, every type's circles on top. A second
    // call made while the first still adds its types takes over and leaves the same layers.
    const n = reference.types.length;
    const facilityLayers = [
      ...Array.from({ length: n }, (_, t) => `catchment-${t}`),
      'proposals-catchment',
      'sites-catchment',
      'excluded-drawn-fill',
      'excluded-drawn-line',
      'excluded-draft-line',
      ...Array.from({ length: n }, (_, t) => [`facilities-${t}`, `planned-${t}`]).flat(),
    ];
    expect(await styleTail(facilityLayers.length)).toEqual(facilityLayers);
    await page.evaluate(async () => {
      const app = window.lifecircle;
      const analysis = app.analysis!;
      const set = () =>
        app.mapView.setFacilities(
          analysis.facilityPoints,
          analysis.types.map((t) => t.radius_m),
          (analysis.communities.bbox[1] + analysis.communities.bbox[3]) / 2,
        );
      const first = set();
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await Promise.all([first, set()]);
      app.applyView();
    });
    expect(await styleTail(facilityLayers.length)).toEqual(facilityLayers);
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('recolours by the covered share when the type changes, with catchments', async () => {
    const before = await colours(457);
    await page.getByTestId('mode-select').selectOption('type');
    await page.getByTestId('type-select').selectOption('nursery_childcare');
    const childcare = await colours(457);
    expect(childcare.filter((c, i) => c !== before[i]).length).toBeGreaterThan(100);
    expect(await page.getByTestId('legend-title').textContent()).toContain('托育');
    const t = reference.types.findIndex((x) => x.id === 'nursery_childcare');
    expect(await page.evaluate((i) => window.lifecircle.mapView.isShown(`catchment-${i}`), t)).toBe(true);
    expect(await page.evaluate((i) => window.lifecircle.mapView.isShown(`catchment-${i + 1}`), t)).toBe(
      false,
    );
    await waitReady();
    await shot('02-type-childcare.png');
    await page.getByTestId('type-select').selectOption('kindergarten');
    const kindergarten = await colours(457);
    expect(kindergarten.filter((c, i) => c !== childcare[i]).length).toBeGreaterThan(50);
    // A community's table: the worst-served list flies there and opens it.
    await page.getByTestId('type-select').selectOption('nursery_childcare');
    await page.getByTestId('worst-item').first().click();
    await expect.poll(() => page.getByTestId('community-card').isVisible()).toBe(true);
    expect(await page.getByTestId('card-row').count()).toBe(reference.types.length);
    await page.waitForTimeout(1200);
    await waitReady();
    await shot('03-community-card.png');
  });

  it('colours communities pass / fail / unknown by a standard profile, with county rates from core', async () => {
    await page.getByTestId('community-card').getByRole('button').click();
    await page.getByTestId('mode-select').selectOption('profile');
    const verdict = (v: 'complete' | 'incomplete' | 'unknown' | 'pass' | 'fail') =>
      String(
        paletteIndex(
          v === 'complete' || v === 'pass'
            ? VERDICT_COLOURS.pass
            : v === 'unknown'
              ? VERDICT_COLOURS.unknown
              : VERDICT_COLOURS.fail,
        ),
      );
    for (const profile of ['pingliang-2025', 'complete-community', 'gb50180-2018'] as const) {
      await page.getByTestId('profile-select').selectOption(profile);
      await waitReady();
      const check = checkStandards(pingliang, profile);
      // Every community shows core's verdict: complete green, incomplete red, unknown purple.
      expect(await colours(457)).toEqual(check.communities.map((c) => verdict(c.completeness)));
      expect(await districtRates()).toEqual(
        check.districts.map((d) => [d.name, d.completeShare, d.completeShareMax]),
      );
      expect(await page.getByTestId('complete-rate').textContent()).toBe(pct1(check.city.completeShare));
    }
    // gb50180: 28 communities attain the 15-minute life circle, all complete (green).
    expect((await colours(457)).filter((c) => c === verdict('complete')).length).toBe(28);
    await page.getByTestId('profile-select').selectOption('complete-community');
    await waitReady();
    const check = checkStandards(pingliang, 'complete-community');
    const counts = (v: string) => check.communities.filter((c) => c.completeness === v).length;
    expect(counts('complete')).toBe(0);
    expect(counts('unknown')).toBeGreaterThan(0);
    await shot('10-profile-complete-community.png');
    // One item: pass / fail per community for childcare.
    await page.getByTestId('profile-item').selectOption('nursery_childcare');
    const k = check.requirements.findIndex((r) => r.id === 'nursery_childcare');
    expect(await colours(457)).toEqual(check.communities.map((c) => verdict(c.items[k]!.status)));
    expect(await page.getByTestId('legend-title').textContent()).toContain(check.requirements[k]!.nameZh);
    // A community's table lists every item with its verdict and reason (the worst one: it fails).
    await page.getByTestId('profile-item').selectOption('');
    await page.getByTestId('worst-item').first().click();
    await expect
      .poll(() => page.getByTestId('compliance-row').count(), { timeout: 30_000 })
      .toBe(check.requirements.length);
    const shownId = await page.getByTestId('card-name').getAttribute('data-id');
    const community = check.communities.find((c) => c.record.id === shownId)!;
    const rows = await page
      .getByTestId('compliance-row')
      .evaluateAll((trs) =>
        trs.map((tr) => [
          tr.getAttribute('data-item'),
          tr.getAttribute('data-status'),
          tr.querySelector('.reason')?.getAttribute('title'),
        ]),
      );
    expect(rows).toEqual(community.items.map((i) => [i.id, i.status, i.reason]));
    // In Chinese the reasons are worded from the same conditions: no English left in them.
    const reasons = await page.locator('[data-testid="compliance-row"] .reason').allTextContents();
    expect(reasons.filter((r) => /\b(none|within|nearest|below|only)\b/.test(r))).toEqual([]);
    await page.waitForTimeout(1000);
    await waitReady();
    await shot('11-profile-card.png');
  });

  it('switches to English with locale number formats', async () => {
    await page.getByTestId('locale-switch').click();
    expect(await page.getByTestId('title').textContent()).toBe('Life-circle facility coverage');
    expect(await page.getByTestId('population').textContent()).toBe('612,001');
    expect(await page.getByTestId('legend-title').textContent()).toContain('Complete community standard');
    // Core's own reasons, as the CLI prints them.
    expect(await page.locator('[data-testid="compliance-row"] .reason').first().textContent()).toMatch(
      /within|nearest|below|not given/,
    );
    await shot('04-english.png');
    await page.setViewportSize({ width: 1280, height: 2300 });
    await page.getByTestId('indicators').scrollIntoViewIfNeeded();
    await waitReady();
    await shot('04b-english-panel.png');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('locale-switch').click();
    expect(await page.getByTestId('title').textContent()).toBe('生活圈设施覆盖');
    await page.getByTestId('community-card').getByRole('button').click();
    await page.getByTestId('mode-select').selectOption('gaps-required');
  });

  it('loads dropped files, lists rejected features as text, and reports a bad file', async () => {
    const communities = {
      type: 'FeatureCollection',
      features: [
        square('T-1', '<img src=x onerror="window.__pwned=1">', 106.66, 35.54, 1200),
        square('T-2', '东苑社区', 106.664, 35.54, 900),
        square('T-3', '西苑社区', 106.668, 35.54, 700),
        {
          type: 'Feature',
          properties: { id: 'T-4', population: -5 },
          geometry: { type: 'Point', coordinates: [106.66, 35.55] },
        },
      ],
    };
    const facilities = {
      type: 'FeatureCollection',
      features: [
        point('F-1', '幼儿园', 106.6605, 35.5405),
        point('F-2', '托儿所', 106.6645, 35.5402),
        point('F-3', 'spaceport', 106.665, 35.541),
      ],
    };
    await page.getByTestId('file-input').setInputFiles([
      {
        name: 'communities.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(communities)),
      },
      {
        name: 'facilities.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(facilities)),
      },
    ]);
    await expect.poll(() => page.getByTestId('community-count').textContent(), { timeout: 30_000 }).toBe('3');
    await waitReady();
    const rows = page.getByTestId('rejected-row');
    // The community with a negative population is rejected; the facility of an unknown type is not a
    // rejection line but a row of the unmapped-categories table (issue #12), with its name.
    expect(await rows.count()).toBe(1);
    const rejectedText = await page.getByTestId('rejected-list').textContent();
    expect(rejectedText).toContain('T-4');
    expect(await page.getByTestId('category-unmapped').first().textContent()).toContain('spaceport');
    // Property text is shown as text: the name with markup appears literally and ran nothing.
    await page.getByTestId('worst-item').first().click();
    await expect.poll(() => page.getByTestId('worst-list').textContent()).toContain('<img src=x');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.panel img, .community-card img').count()).toBe(0);

    // Other formats go through @lifecircle/io: facilities as a CSV with longitude/latitude columns.
    // The reader's rejected row and core's rejection both name their spreadsheet rows.
    await page.getByTestId('file-input').setInputFiles([
      {
        name: 'facilities.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'id,type,name,经度,纬度\nF-1,幼儿园,甲,106.6605,35.5405\nF-2,托儿所,乙,abc,35.54\nF-3,spaceport,丙,106.665,35.541\n',
        ),
      },
    ]);
    await expect
      .poll(() => page.getByTestId('file-list').textContent(), { timeout: 30_000 })
      .toContain('facilities.csv');
    await waitReady();
    const csvRows = await page
      .getByTestId('rejected-row')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 5).map((td) => td.textContent)));
    expect(csvRows).toContainEqual(['facilities.csv', '1', '3', 'F-2', '经度']);
    // F-3's unknown type is a row of the unmapped-categories table, not a rejection (issue #12).
    expect(csvRows.some((row) => row[3] === 'F-3')).toBe(false);
    expect(await page.getByTestId('category-unmapped').first().textContent()).toContain('spaceport');
    expect(await page.getByTestId('facility-count').textContent()).toBe('1');

    // A file that is not JSON: the message names the file and the line and column.
    await page.getByTestId('file-input').setInputFiles([
      {
        name: 'facilities.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(
          '{\n  "type": "FeatureCollection",\n  "features": [\n    { "type": "Feature", }\n  ]\n}\n',
        ),
      },
    ]);
    await expect
      .poll(() => page.getByTestId('error-message').textContent(), { timeout: 30_000 })
      .toContain('facilities.geojson: is not valid JSON at line 4');
    await shot('05-bad-file.png');
    // Not a FeatureCollection: core's message.
    await page.getByTestId('file-input').setInputFiles([
      {
        name: 'facilities.geojson',
        mimeType: 'application/json',
        buffer: Buffer.from('{"type":"Feature"}'),
      },
    ]);
    await expect
      .poll(() => page.getByTestId('error-message').textContent(), { timeout: 30_000 })
      .toContain('FeatureCollection');
    // A format only @lifecircle/io reads: the message names the file and what to do.
    await page
      .getByTestId('file-input')
      .setInputFiles([
        { name: '设施.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK') },
      ]);
    await expect
      .poll(() => page.getByTestId('error-message').textContent(), { timeout: 30_000 })
      .toContain('设施.xlsx');
    // A road network with no walkable street: core's message, and nothing changes.
    await page.getByTestId('file-input').setInputFiles([
      {
        name: 'roads.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(
          JSON.stringify({
            type: 'FeatureCollection',
            features: [
              {
                type: 'Feature',
                properties: { highway: 'motorway' },
                geometry: {
                  type: 'LineString',
                  coordinates: [
                    [106.66, 35.54],
                    [106.67, 35.54],
                  ],
                },
              },
            ],
          }),
        ),
      },
    ]);
    await expect
      .poll(() => page.getByTestId('error-message').textContent(), { timeout: 30_000 })
      .toContain('roads.geojson');
    expect(await page.evaluate(() => window.lifecircle.analysis?.distance.kind)).toBe('great-circle');
    expect(await page.getByTestId('community-count').textContent()).toBe('3');
    expect(offsite).toEqual([]);
  });

  it('walks the road network once roads are loaded, and draws walking catchments', async () => {
    await page.getByTestId('bundled-button').click();
    await expect
      .poll(() => page.getByTestId('community-count').textContent(), { timeout: 60_000 })
      .toBe('457');
    await waitReady();
    expect(await page.evaluate(() => window.lifecircle.analysis?.distance.kind)).toBe('great-circle');
    expect(await page.getByTestId('distance-hint').textContent()).toContain('直线距离');
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'roads.geojson', mimeType: 'application/geo+json', buffer: roadsFile }]);
    await expect
      .poll(() => page.evaluate(() => window.lifecircle.analysis?.distance.kind), { timeout: 60_000 })
      .toBe('network');
    await waitReady();
    expect(await page.getByTestId('distance-select').inputValue()).toBe('network');
    expect(await page.getByTestId('distance-hint').textContent()).toContain('步行距离');
    expect(await page.getByTestId('distance-hint').textContent()).toContain('roads.geojson');
    // The analysis is core's with its NetworkSource on these roads.
    const walked = analyzeCoverage(pingliang, walking);
    expect(Number((await page.getByTestId('gap-count').textContent())?.replace(/[^\d]/g, ''))).toBe(
      expectedGapCommunities(walked),
    );
    expect(expectedGapCommunities(walked)).toBeGreaterThan(expectedGapCommunities(reference));
    // Catchments: walking shapes of the type's facilities instead of radius circles.
    await page.getByTestId('mode-select').selectOption('type');
    await page.getByTestId('type-select').selectOption('kindergarten');
    const t = reference.types.findIndex((x) => x.id === 'kindergarten');
    await expect
      .poll(() => page.evaluate(() => window.lifecircle.mapView.map.querySourceFeatures('walking').length), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    expect(await page.evaluate(() => window.lifecircle.mapView.isShown('walking-fill'))).toBe(true);
    expect(await page.evaluate((i) => window.lifecircle.mapView.isShown(`catchment-${i}`), t)).toBe(false);
    expect(await page.getByTestId('legend').textContent()).toContain('步行 300 米可达范围');
    await page.evaluate(() => {
      const map = window.lifecircle.mapView.map as unknown as { jumpTo(o: object): void };
      map.jumpTo({ center: [106.672, 35.542], zoom: 14.6 });
    });
    await waitReady();
    await shot('12-walking-catchments.png');
    // The compliance figures walk too.
    const check = checkStandards(pingliang, 'pingliang-2025', walking);
    expect(await districtRates()).toEqual(
      check.districts.map((d) => [d.name, d.completeShare, d.completeShareMax]),
    );
    // Back to straight lines: the circles return.
    await page.getByTestId('distance-select').selectOption('great-circle');
    await expect
      .poll(() => page.evaluate(() => window.lifecircle.analysis?.distance.kind), { timeout: 60_000 })
      .toBe('great-circle');
    await waitReady();
    expect(await page.evaluate((i) => window.lifecircle.mapView.isShown(`catchment-${i}`), t)).toBe(true);
    expect(await page.evaluate(() => window.lifecircle.mapView.isShown('walking-fill'))).toBe(false);
    expect(offsite).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('sites facilities: proposals and their dragging match the library, and every model does', async () => {
    await page.getByTestId('bundled-button').click();
    await expect
      .poll(() => page.getByTestId('community-count').textContent(), { timeout: 60_000 })
      .toBe('457');
    await waitReady();

    // A proposed childcare point in the poorly served east: click the map there.
    await page.getByTestId('siting-type').selectOption('nursery_childcare');
    await page.getByTestId('propose-toggle').click();
    const target = reference.communities.find((c) => c.record.id === worstChildcareCommunity())!;
    const [lon, lat] = centre(target.record.geometry);
    await page.evaluate(
      ([x, y]) => {
        (
          window.lifecircle as unknown as { selectCommunity(c: number | null, fly: boolean): void }
        ).selectCommunity(null, false);
        const map = window.lifecircle.mapView.map as unknown as { jumpTo(o: object): void };
        map.jumpTo({ center: [x, y], zoom: 15 });
      },
      [lon, lat] as const,
    );
    await waitReady();
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(() => page.getByTestId('siting-results').getAttribute('data-covered-after'), { timeout: 30_000 })
      .not.toBeNull();
    await expectProposalMatchesLibrary();
    await page.getByTestId('propose-toggle').click();
    await waitReady();
    await shot('06-proposal.png');

    // Drag the proposal 150 px to the west: its figures follow.
    const before = await page.getByTestId('site-row').first().getAttribute('data-lon');
    const marker = (await page.getByTestId('proposal-marker').first().boundingBox())!;
    const [mx, my] = [marker.x + marker.width / 2, marker.y + marker.height / 2];
    await page.mouse.move(mx, my);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(mx - 15 * i, my + 4 * i);
    await page.mouse.up();
    await expect
      .poll(() => page.getByTestId('site-row').first().getAttribute('data-lon'), { timeout: 30_000 })
      .not.toBe(before);
    await expectProposalMatchesLibrary();
    await page.getByTestId('clear-proposals').click();

    // Every model on the same inputs as the library: ranked sites and what each adds.
    const candidates = candidatesFile('nursery_childcare');
    await page.getByTestId('candidate-input').setInputFiles([
      {
        name: 'candidates.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(candidates)),
      },
    ]);
    await expect.poll(() => page.getByTestId('candidates-loaded').isEnabled()).toBe(true);
    const runs: {
      model: SitingModelName;
      loaded: boolean;
      set(): Promise<void>;
      options: Partial<SiteOptions>;
    }[] = [
      {
        model: 'mclp',
        loaded: true,
        set: () => page.getByTestId('siting-k').fill('6'),
        options: { k: 6, kMax: 6 },
      },
      {
        model: 'lscp',
        loaded: true,
        set: () => page.getByTestId('siting-share').fill('27'),
        options: { targetShare: 0.27, perCommunity: false },
      },
      {
        model: 'pmedian',
        loaded: false,
        set: () => page.getByTestId('siting-k').fill('4'),
        options: { k: 4, kMax: 4 },
      },
      {
        model: 'pcenter',
        loaded: false,
        set: () => page.getByTestId('siting-k').fill('3'),
        options: { k: 3 },
      },
      {
        model: 'capacitated',
        loaded: false,
        set: async () => {
          await page.getByTestId('siting-k').fill('5');
          await page.getByTestId('siting-rate').fill('4.5');
          await page.getByTestId('siting-capacity').fill('60');
        },
        options: { k: 5, kMax: 5, rate: 4.5 / 1000, capacityPerSite: 60 },
      },
    ];
    let lastCount = 0;
    for (const run of runs) {
      await page.getByTestId('siting-type').selectOption('nursery_childcare');
      await page.getByTestId('siting-model').selectOption(run.model);
      await run.set();
      await page.getByTestId(run.loaded ? 'candidates-loaded' : 'candidates-generated').check();
      await page.getByTestId('run-siting').click();
      await expect
        .poll(() => page.getByTestId('siting-results').getAttribute('data-model'), { timeout: 60_000 })
        .toBe(run.model);
      await waitReady();
      const shown = await page
        .getByTestId('site-row')
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.getAttribute('data-label'), Number(tr.getAttribute('data-added'))] as const),
        );
      const answer = await siteFacilities(
        run.loaded ? { ...pingliang, candidates, files: { candidates: 'candidates.geojson' } } : pingliang,
        { type: 'nursery_childcare', model: run.model, solve: { exact: false }, ...run.options },
      );
      expect(shown.length).toBeGreaterThan(0);
      lastCount = shown.length;
      expect(shown).toEqual(
        answer.result.sites.map((site) => [answer.targetIds[site.candidate], site.addedWeight]),
      );
      expect(await page.getByTestId('site-marker').count()).toBe(shown.length);
      const results = page.getByTestId('siting-results');
      expect(Number(await results.getAttribute('data-covered-after'))).toBe(answer.result.coveredAfter);
      if (run.model === 'lscp')
        expect(answer.result.coveredAfter / answer.result.population).toBeGreaterThanOrEqual(0.27 - 1e-9);
      await shot(`06b-siting-${run.model}.png`);
    }
    // HiGHS solves a small instance exactly in the worker (its WebAssembly is an asset of the build).
    const few: FeatureCollection = { type: 'FeatureCollection', features: candidates.features.slice(0, 12) };
    await page.getByTestId('candidate-input').setInputFiles([
      {
        name: 'candidates.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(few)),
      },
    ]);
    await page.getByTestId('siting-model').selectOption('mclp');
    await page.getByTestId('siting-k').fill('3');
    await page.getByTestId('candidates-loaded').check();
    await page.getByTestId('siting-exact').check();
    await page.getByTestId('run-siting').click();
    await expect
      .poll(() => page.getByTestId('siting-results').getAttribute('data-solver'), { timeout: 60_000 })
      .toBe('highs');
    const exact = await siteFacilities(
      { ...pingliang, candidates: few, files: { candidates: 'candidates.geojson' } },
      { type: 'nursery_childcare', model: 'mclp', k: 3, kMax: 3, solve: { exact: true } },
    );
    expect(exact.result.solver).toBe('highs');
    expect(
      await page
        .getByTestId('site-row')
        .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-added')))),
    ).toEqual(exact.result.sites.map((site) => site.addedWeight));
    await page.getByTestId('siting-exact').uncheck();
    await page.getByTestId('siting-model').selectOption('capacitated');
    await page.getByTestId('candidates-generated').check();
    await page.getByTestId('run-siting').click();
    await expect
      .poll(() => page.getByTestId('siting-results').getAttribute('data-model'), { timeout: 60_000 })
      .toBe('capacitated');
    await waitReady();
    lastCount = await page.getByTestId('site-row').count();
    // The whole side panel in one picture: a tall window.
    await page.setViewportSize({ width: 1280, height: 2300 });
    await page.getByTestId('siting-panel').scrollIntoViewIfNeeded();
    await waitReady();
    await shot('06c-panel-after-siting.png');
    await page.setViewportSize({ width: 1280, height: 800 });
    // A model's sites become proposals to drag about.
    await page.getByTestId('sites-to-proposals').click();
    await expect.poll(() => page.getByTestId('proposal-marker').count(), { timeout: 30_000 }).toBe(lastCount);
    await expect
      .poll(() => page.getByTestId('siting-results').getAttribute('data-model'), { timeout: 30_000 })
      .toBe('evaluate');
    await page.getByTestId('clear-proposals').click();
    await page.getByTestId('siting-model').selectOption('mclp');
    await page.getByTestId('candidates-generated').check();
  });

  it('exports GeoJSON, CSV, PNG and a scenario that reopens to the same view', async () => {
    await page.getByTestId('mode-select').selectOption('type');
    await page.getByTestId('type-select').selectOption('elderly_service_station');
    const geojson = JSON.parse(await downloadText('export-geojson')) as FeatureCollection;
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features).toHaveLength(457);
    const first = geojson.features[0]!;
    expect(first.geometry.type).toMatch(/Polygon/);
    expect(first.properties).toHaveProperty('nursery_childcare_covered_share');
    expect(Array.isArray(first.properties?.gaps)).toBe(true);
    const csv = await downloadText('export-csv');
    expect(csv.startsWith('\ufeffcommunity_id,community_name,district,population,type')).toBe(true);
    expect(csv.trim().split('\r\n').length - 1).toBe(
      reference.communities.reduce((s, c) => s + c.gaps.length, 0),
    );

    // The standard profile's table, as `lifecircle check` writes compliance.csv.
    await page.getByTestId('profile-select').selectOption('gb50180-2018');
    await waitReady();
    const gb = checkStandards(pingliang, 'gb50180-2018');
    const compliance = await downloadText('export-compliance-csv');
    expect(compliance.startsWith('\ufeffcommunity_id,community_name,district,population')).toBe(true);
    expect(compliance.trim().split('\r\n').length - 1).toBe(457 * gb.requirements.length);

    const png = await downloadBytes('export-png');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    writeFileSync(join(artifacts, '07-exported-map.png'), png);

    // Scenario: a proposal, a type and a view; a fresh page opens it to the same state.
    await page.getByTestId('siting-type').selectOption('elderly_service_station');
    await page.getByTestId('propose-toggle').click();
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.45);
    await expect.poll(() => page.getByTestId('site-row').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('propose-toggle').click();
    const scenarioText = await downloadText('export-scenario');
    const scenario = JSON.parse(scenarioText);
    expect(scenario.format).toBe('lifecircle-scenario');
    expect(scenario.view.typeId).toBe('elderly_service_station');
    expect(scenario.proposals.points).toHaveLength(1);
    expect(scenario.view.profile).toBe('gb50180-2018');

    const second = await openPage(browser, origin);
    await second.page.goto(url);
    await waitReady(second.page);
    await second.page
      .getByTestId('file-input')
      .setInputFiles([
        { name: 'scenario.lifecircle.json', mimeType: 'application/json', buffer: Buffer.from(scenarioText) },
      ]);
    await expect.poll(() => second.page.getByTestId('site-row').count(), { timeout: 60_000 }).toBe(1);
    await waitReady(second.page);
    expect(await second.page.getByTestId('mode-select').inputValue()).toBe('type');
    expect(await second.page.getByTestId('type-select').inputValue()).toBe('elderly_service_station');
    expect(await second.page.getByTestId('profile-select').inputValue()).toBe('gb50180-2018');
    expect(await second.page.getByTestId('complete-rate').textContent()).toBe(pct1(gb.city.completeShare));
    expect(await second.page.getByTestId('siting-results').getAttribute('data-covered-after')).toBe(
      await page.getByTestId('siting-results').getAttribute('data-covered-after'),
    );
    await shot('08-scenario-reopened.png', second.page);
    // A scenario with code in it runs nothing: its text stays data.
    const hostile = {
      ...scenario,
      view: { ...scenario.view, typeId: '<script>window.__pwned=1</script>' },
      extra: { __proto__: { polluted: 1 } },
    };
    await second.page.getByTestId('file-input').setInputFiles([
      {
        name: 'scenario.lifecircle.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(hostile)),
      },
    ]);
    await waitReady(second.page);
    expect(
      await second.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(await second.page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
    expect(second.offsite).toEqual([]);
    expect(second.errors).toEqual([]);
    await second.page.context().close();
    expect(offsite).toEqual([]);
  });

  it('stays responsive with 2,000 communities and 20,000 facilities', async () => {
    const city = syntheticCity(2000, 20_000);
    const scale = await openPage(browser, origin);
    await scale.page.goto(url);
    await waitReady(scale.page);
    const files = [
      {
        name: 'communities.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(city.communities)),
      },
      {
        name: 'facilities.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(city.facilities)),
      },
    ];
    // Cancel while the worker analyses or judges the new city against the standard profile (whose
    // progress names the same stages): the page keeps the city it showed and stays usable.
    await scale.page.getByTestId('file-input').setInputFiles(files);
    await expect
      .poll(
        () =>
          scale.page
            .getByTestId('progress-message')
            .textContent({ timeout: 200 })
            .catch(() => ''),
        {
          timeout: 30_000,
          interval: 20,
        },
      )
      .toMatch(/检查社区|人口点|空间索引|范围内的设施/);
    await scale.page.getByTestId('cancel').click({ timeout: 30_000 });
    await expect
      .poll(() => scale.page.evaluate(() => document.body.dataset.busy), { timeout: 30_000 })
      .toBe('false');
    expect(await scale.page.getByTestId('community-count').textContent()).toBe('457');
    expect(await scale.page.getByTestId('status-text').textContent()).toBe('已取消');
    await scale.page.getByTestId('mode-select').selectOption('type');
    await scale.page.getByTestId('mode-select').selectOption('gaps-required');
    await scale.page.getByTestId('file-input').setInputFiles(files);
    await expect
      .poll(() => scale.page.getByTestId('community-count').textContent(), { timeout: 90_000 })
      .toBe('2,000');
    await waitReady(scale.page);
    // Per change: the page's own timing (synchronous work, then the first map frame, wall clock) and
    // the renderer main thread's CPU time over the 1.2 s after the change, from a Chrome trace.
    const measurements: {
      change: string;
      writes: number;
      syncMs: number;
      frameMs: number;
      mainThreadCpuMs: number;
      longestTaskMs: number;
    }[] = [];
    const measure = async (change: string, act: () => Promise<unknown>) => {
      await browser.startTracing(scale.page, { categories: ['toplevel'] });
      await act();
      await scale.page.waitForFunction(() => window.lifecircle.lastRecolour?.frameMs !== null, null, {
        timeout: 10_000,
      });
      await scale.page.waitForTimeout(1200);
      const cpu = rendererMainCpu(await browser.stopTracing());
      const timing = await scale.page.evaluate(() => window.lifecircle.lastRecolour!);
      measurements.push({
        change,
        writes: timing.writes,
        syncMs: round1(timing.syncMs),
        frameMs: round1(timing.frameMs ?? Number.NaN),
        mainThreadCpuMs: round1(cpu.cpuMs),
        longestTaskMs: round1(cpu.maxTaskMs),
      });
      await waitReady(scale.page);
    };
    await measure('gaps → type (nursery_childcare)', () =>
      scale.page.getByTestId('mode-select').selectOption('type'),
    );
    for (const type of [
      'kindergarten',
      'elderly_service_station',
      'fresh_market',
      'community_health_station',
      'nursery_childcare',
    ]) {
      await measure(`type → ${type}`, () => scale.page.getByTestId('type-select').selectOption(type));
    }
    await measure('type → gaps (all types)', () =>
      scale.page.getByTestId('mode-select').selectOption('gaps-all'),
    );
    await measure('gaps (all) → gaps (required)', () =>
      scale.page.getByTestId('mode-select').selectOption('gaps-required'),
    );
    // Standard profile verdicts (core evaluated them in the worker after the analysis).
    await measure('gaps → profile (pingliang-2025)', () =>
      scale.page.getByTestId('mode-select').selectOption('profile'),
    );
    await measure('profile → item (nursery_childcare)', () =>
      scale.page.getByTestId('profile-item').selectOption('nursery_childcare'),
    );
    await shot('09-scale-2000x20000.png', scale.page);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const summary = {
      communities: 2000,
      facilities: 20_000,
      medianSyncPlusFrameMs: round1(median(measurements.map((m) => m.syncMs + m.frameMs))),
      medianMainThreadCpuMs: round1(median(measurements.map((m) => m.mainThreadCpuMs))),
      medianLongestTaskMs: round1(median(measurements.map((m) => m.longestTaskMs))),
      longestTaskMs: Math.max(...measurements.map((m) => m.longestTaskMs)),
      measurements,
    };
    // .txt, not .json: the artifacts folder is not the linter's business.
    writeFileSync(join(artifacts, 'recolour-timing.txt'), `${JSON.stringify(summary, null, 2)}\n`);
    console.log('Recolour, 2,000 communities / 20,000 facilities (ms):');
    for (const m of measurements) {
      console.log(
        `  ${m.change}: ${m.writes} writes, sync ${m.syncMs} + frame ${m.frameMs}; main thread ${m.mainThreadCpuMs} CPU in 1.2 s, longest task ${m.longestTaskMs}`,
      );
    }
    for (const m of measurements) {
      expect(m.writes).toBeGreaterThan(0);
      expect(m.syncMs).toBeLessThan(100);
    }
    // Software WebGL on two cores makes single frames jittery (in one CI run one recolour's frame took
    // 142 ms, its task 106 ms of CPU, where the other nine took 11-53 ms): the medians are the figures
    // that hold here. Issue #16's floor (no main-thread task over 100 ms) is judged by the big-city
    // benchmark on a quiet machine (docs/benchmarks.md), not by this test; the last guard catches a
    // recolour that rebuilds the map's sources or reparses its data, which costs several hundred ms.
    expect(summary.medianSyncPlusFrameMs).toBeLessThan(100);
    expect(summary.medianLongestTaskMs).toBeLessThan(100);
    expect(summary.longestTaskMs).toBeLessThan(250);
    expect(scale.offsite).toEqual([]);
    expect(scale.errors).toEqual([]);
    await scale.page.context().close();
  });
});

describe('file formats and coordinate systems in Chromium', () => {
  const gapCount = async (p: Page) =>
    Number((await p.getByTestId('gap-count').textContent())?.replace(/[^\d]/g, ''));
  const warningsText = async (p: Page) =>
    (await p.getByTestId('warnings').count()) > 0 ? await p.getByTestId('warnings').textContent() : '';

  it('reads GeoPackages with sql.js served by the build, converted from the CRS they declare', async () => {
    // The build serves sql.js's WebAssembly itself: the viewer works offline.
    expect(readdirSync(join(distDir, 'assets')).some((f) => /^sql-wasm-browser.*\.wasm$/.test(f))).toBe(true);
    // The bundled city's communities as a land bureau's GeoPackage, in CGCS2000 3-degree Gauss-Krüger
    // zone 36 (EPSG:4524), which its gpkg_spatial_ref_sys declares.
    const zone36 = crsOfEpsg(4524)!;
    const communities = await writeGeoPackage(
      reprojectFeatureCollection(pingliang.communities, WGS84, zone36).collection,
      { name: 'communities', crs: zone36, date: new Date(0) },
    );
    const { page: p, offsite: away, errors: errs } = await openPage(browser, origin);
    await p.goto(url);
    await waitReady(p);
    await p.getByTestId('file-input').setInputFiles([
      {
        name: 'communities.gpkg',
        mimeType: 'application/geopackage+sqlite3',
        buffer: Buffer.from(communities.bytes),
      },
    ]);
    await expect
      .poll(() => p.getByTestId('file-list').textContent(), { timeout: 60_000 })
      .toContain('communities.gpkg');
    await waitReady(p);
    expect(await p.getByTestId('community-count').textContent()).toBe('457');
    // Converted from the zone the GeoPackage declares; the gap count is the WGS84 city's, give or take
    // a community whose centre moved by the millimetres of the round trip.
    expect(Math.abs((await gapCount(p)) - expectedGapCommunities(reference))).toBeLessThanOrEqual(1);
    expect(await p.getByTestId('crs-status-communities').textContent()).toContain('EPSG:4524');
    // The bureau's facilities, points and polygons, are two tables of one GeoPackage: the first is
    // read, and the files panel's layer menu offers both; choosing the other reads it.
    const facilities = await writeGeoPackage(pingliang.facilities, { name: 'facilities', date: new Date(0) });
    expect(facilities.tables).toEqual(['facilities_point', 'facilities_polygon']);
    const pointCount = pingliang.facilities.features.filter((f) => f.geometry?.type === 'Point').length;
    const polygonCount = pingliang.facilities.features.length - pointCount;
    await p.getByTestId('file-input').setInputFiles([
      {
        name: 'facilities.gpkg',
        mimeType: 'application/geopackage+sqlite3',
        buffer: Buffer.from(facilities.bytes),
      },
    ]);
    const layerMenu = p.getByTestId('layer-select-facilities');
    await expect.poll(() => layerMenu.count(), { timeout: 60_000 }).toBe(1);
    await waitReady(p);
    expect(await layerMenu.locator('option').allTextContents()).toEqual([
      'facilities_point',
      'facilities_polygon',
    ]);
    expect(await layerMenu.inputValue()).toBe('facilities_point');
    expect((await p.getByTestId('file-list').textContent())?.replace(/,/g, '')).toContain(
      `facilities.gpkg (${pointCount})`,
    );
    await layerMenu.selectOption('facilities_polygon');
    await expect
      .poll(async () => (await p.getByTestId('file-list').textContent())?.replace(/,/g, ''), {
        timeout: 60_000,
      })
      .toContain(`facilities.gpkg (${polygonCount})`);
    await waitReady(p);
    expect(await p.getByTestId('layer-select-facilities').inputValue()).toBe('facilities_polygon');
    expect(await p.getByTestId('error-message').count()).toBe(0);
    // No message the viewer shows names a CLI flag.
    expect(await p.locator('body').textContent()).not.toMatch(/--[a-z]/);
    // A one-table GeoPackage of facilities (the points) loads.
    const points = await writeGeoPackage(
      {
        type: 'FeatureCollection',
        features: pingliang.facilities.features.filter((f) => f.geometry?.type === 'Point'),
      },
      { name: 'facilities', date: new Date(0) },
    );
    await p.getByTestId('file-input').setInputFiles([
      {
        name: 'facilities.gpkg',
        mimeType: 'application/geopackage+sqlite3',
        buffer: Buffer.from(points.bytes),
      },
    ]);
    await expect
      .poll(() => p.getByTestId('file-list').textContent(), { timeout: 60_000 })
      .toContain('facilities.gpkg');
    await waitReady(p);
    await shot('11-geopackage.png', p);
    expect(away).toEqual([]);
    expect(errs).toEqual([]);
    await p.context().close();
  });

  it('reads the sheet of a workbook and the layer of a zip chosen in the files panel', async () => {
    // Two files a bureau sends, made here from the bundled facilities: a workbook of two sheets (all
    // point facilities, then those open; the fixtures' XLSX writer, as Excel lays a workbook out) and
    // a zip of two shapefiles (points and polygons; io's shapefile writer). The layers chosen hold
    // only serving facilities (none planned), so the facility count is their number.
    const points = pingliang.facilities.features.filter((f) => f.geometry?.type === 'Point');
    const open = points.filter((f) => f.properties?.status === 'open');
    const polygons = pingliang.facilities.features.filter((f) => f.geometry?.type === 'Polygon');
    expect(open.length).toBeGreaterThan(0);
    expect(polygons.every((f) => f.properties?.status !== 'planned')).toBe(true);
    const table = (features: typeof points) => {
      const { columns, rows } = pointRows(features, 'lon', 'lat');
      return [columns, ...rows];
    };
    const workbook = writeXlsx([
      { name: '设施', rows: table(points) },
      { name: '运营中', rows: table(open) },
    ]);
    const zipped = shapefileZip(pingliang.facilities, {
      name: 'facilities',
      prj: WGS84.wkt,
      date: new Date(Date.UTC(2024, 0, 1)),
    });
    const { page: p, offsite: away, errors: errs } = await openPage(browser, origin);
    await p.goto(url);
    await waitReady(p);
    const listed = async () => (await p.getByTestId('file-list').textContent())?.replace(/,/g, '');
    const layerMenu = p.getByTestId('layer-select-facilities');
    /** Drops `file`, waits for its first layer to load, then chooses the second and waits for it. */
    const chooseLayer = async (
      file: { name: string; mimeType: string; buffer: Buffer },
      layers: string[],
      counts: [number, number],
    ) => {
      await p.getByTestId('file-input').setInputFiles([file]);
      await expect.poll(listed, { timeout: 60_000 }).toContain(`${file.name} (${counts[0]})`);
      await waitReady(p);
      expect(await layerMenu.locator('option').allTextContents()).toEqual(layers);
      expect(await layerMenu.inputValue()).toBe(layers[0]);
      await layerMenu.selectOption(layers[1]!);
      await expect.poll(listed, { timeout: 60_000 }).toContain(`${file.name} (${counts[1]})`);
      await waitReady(p);
      expect(await layerMenu.inputValue()).toBe(layers[1]);
      expect((await p.getByTestId('facility-count').textContent())?.replace(/,/g, '')).toBe(
        String(counts[1]),
      );
    };
    await chooseLayer(
      {
        name: 'facilities.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: Buffer.from(workbook),
      },
      ['设施', '运营中'],
      [points.length, open.length],
    );
    await chooseLayer(
      { name: 'facilities.zip', mimeType: 'application/zip', buffer: Buffer.from(zipped.bytes) },
      ['facilities_point', 'facilities_polygon'],
      [points.length, polygons.length],
    );
    expect(await p.getByTestId('error-message').count()).toBe(0);
    // No message the viewer shows names a CLI flag.
    expect(await p.locator('body').textContent()).not.toMatch(/--[a-z]/);
    expect(away).toEqual([]);
    expect(errs).toEqual([]);
    await p.context().close();
  });

  it('takes a GCJ-02 facilities file as declared, warns while it is not, and keeps the declaration in a scenario', async () => {
    const gcj02 = readFileSync(join(repoRoot, 'fixtures/crs/facilities-gcj02.geojson'));
    const { page: p, offsite: away, errors: errs } = await openPage(browser, origin);
    await p.goto(url);
    await waitReady(p);
    await p
      .getByTestId('file-input')
      .setInputFiles([{ name: 'facilities-gcj02.geojson', mimeType: 'application/geo+json', buffer: gcj02 }]);
    await expect
      .poll(() => p.getByTestId('file-list').textContent(), { timeout: 60_000 })
      .toContain('facilities-gcj02.geojson');
    await waitReady(p);
    // Undeclared: read as WGS84, so every facility sits 300-500 m off. No warning claims GCJ-02 from
    // the file's name alone (issue #13: only an export's fields together, or the offset test against
    // roads, are evidence); declaring it is the user's call.
    expect(await p.getByTestId('crs-status-facilities').textContent()).toContain('WGS84');
    expect(await warningsText(p)).not.toContain('Chinese web map');
    const expected = expectedGapCommunities(reference);
    const undeclared = await gapCount(p);

    await p.getByTestId('crs-select-facilities').selectOption('gcj02');
    await expect
      .poll(() => p.getByTestId('crs-status-facilities').textContent(), { timeout: 60_000 })
      .toContain('GCJ-02');
    await waitReady(p);
    expect(Math.abs((await gapCount(p)) - expected)).toBeLessThanOrEqual(1);
    expect(undeclared).not.toBe(await gapCount(p));
    expect(await warningsText(p)).not.toContain('Chinese web map');
    await p.getByTestId('crs-facilities').screenshot({ path: join(artifacts, '12-crs-control-zh.png') });
    await p.getByTestId('locale-switch').click();
    await expect.poll(() => p.getByTestId('crs-status-facilities').textContent()).toContain('declared');
    await p.getByTestId('crs-facilities').screenshot({ path: join(artifacts, '12-crs-control-en.png') });
    await shot('12-crs-declared.png', p);

    // The scenario embeds the file as read with its declaration: it reopens converted the same way.
    const [download] = await Promise.all([
      p.waitForEvent('download'),
      p.getByTestId('export-scenario').click(),
    ]);
    const scenarioText = readFileSync(await download.path()).toString('utf8');
    const scenario = JSON.parse(scenarioText);
    expect(scenario.inputs.facilities.crs).toEqual({ file: null, declared: 'gcj02' });
    const second = await openPage(browser, origin);
    await second.page.goto(url);
    await waitReady(second.page);
    await second.page
      .getByTestId('file-input')
      .setInputFiles([
        { name: 'scenario.lifecircle.json', mimeType: 'application/json', buffer: Buffer.from(scenarioText) },
      ]);
    await expect
      .poll(() => second.page.getByTestId('crs-status-facilities').count(), { timeout: 60_000 })
      .toBe(1);
    await waitReady(second.page);
    expect(await second.page.getByTestId('crs-status-facilities').textContent()).toContain('GCJ-02');
    expect(await gapCount(second.page)).toBe(await gapCount(p));
    expect(away).toEqual([]);
    expect(errs).toEqual([]);
    await second.page.context().close();
    await p.context().close();
  });

  it('holds Gauss-Krüger metres read as degrees until their zone is declared', async () => {
    const gk = readFileSync(join(repoRoot, 'fixtures/crs/communities-cgcs2000-gk3-36.geojson'));
    const { page: p, offsite: away, errors: errs } = await openPage(browser, origin);
    await p.goto(url);
    await waitReady(p);
    await p
      .getByTestId('file-input')
      .setInputFiles([{ name: 'communities-gk.geojson', mimeType: 'application/geo+json', buffer: gk }]);
    // io's message names the zone the eastings point to; the file waits with its choice.
    await expect
      .poll(() => p.getByTestId('error-message').textContent(), { timeout: 60_000 })
      .toContain('cgcs2000-gk3-36');
    expect(await p.getByTestId('unconverted-file').textContent()).toContain('communities-gk.geojson');
    await p.getByTestId('crs-input-communities').fill('EPSG:4524');
    await p.getByTestId('crs-apply-communities').click();
    await expect
      .poll(() => p.getByTestId('crs-status-communities').textContent(), { timeout: 60_000 })
      .toContain('EPSG:4524');
    await waitReady(p);
    expect(await p.getByTestId('unconverted-file').count()).toBe(0);
    expect(await p.getByTestId('community-count').textContent()).toBe('457');
    expect(Math.abs((await gapCount(p)) - expectedGapCommunities(reference))).toBeLessThanOrEqual(1);
    // A system io cannot read is the user's typing: the message says so, and nothing changes.
    await p.getByTestId('crs-input-communities').fill('EPSG:99999999');
    await p.getByTestId('crs-apply-communities').click();
    await expect
      .poll(() => p.getByTestId('error-message').textContent(), { timeout: 30_000 })
      .toContain('EPSG:99999999');
    expect(await p.getByTestId('crs-status-communities').textContent()).toContain('EPSG:4524');
    expect(away).toEqual([]);
    expect(errs).toEqual([]);
    await p.context().close();
  });
});

async function downloadBytes(testid: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = await download.path();
  return readFileSync(path);
}

async function downloadText(testid: string): Promise<string> {
  return (await downloadBytes(testid)).toString('utf8');
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function square(id: string, name: string, lon: number, lat: number, population: number): object {
  const d = 0.0015;
  return {
    type: 'Feature',
    properties: { id, name, district: '测试区', population },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [lon, lat],
          [lon + d, lat],
          [lon + d, lat + d],
          [lon, lat + d],
          [lon, lat],
        ],
      ],
    },
  };
}

function point(id: string, type: string, lon: number, lat: number): FeatureCollection['features'][number] {
  return {
    type: 'Feature',
    properties: { id, type, name: id },
    geometry: { type: 'Point', coordinates: [lon, lat] },
  };
}

function worstChildcareCommunity(): string {
  let best = reference.communities[0]!;
  for (const c of reference.communities) {
    const share = c.types.nursery_childcare!.coveredShare ?? 1;
    if (share === 0 && c.population > best.population) best = c;
  }
  return best.record.id;
}

/**
 * The proposal's figures in the page against the library: the same analysis with the proposed
 * facility added to the input.
 */
async function expectProposalMatchesLibrary(): Promise<void> {
  const results = page.getByTestId('siting-results');
  const after = Number(await results.getAttribute('data-covered-after'));
  const before = Number(await results.getAttribute('data-covered-before'));
  const row = page.getByTestId('site-row').first();
  const [pLon, pLat, added] = await Promise.all([
    row.getAttribute('data-lon'),
    row.getAttribute('data-lat'),
    row.getAttribute('data-added'),
  ]);
  const withProposal = analyzeCoverage({
    communities: pingliang.communities,
    facilities: {
      ...pingliang.facilities,
      features: [
        ...pingliang.facilities.features,
        point('P-1', 'nursery_childcare', Number(pLon), Number(pLat)),
      ],
    },
  });
  const type = withProposal.coverage.nursery_childcare!.coverage;
  expect(after).toBeCloseTo(type.coveredPopulation, 6);
  expect(before).toBeCloseTo(reference.coverage.nursery_childcare!.coverage.coveredPopulation, 6);
  expect(Number(added)).toBeCloseTo(after - before, 6);
  expect(Number(added)).toBeGreaterThan(0);
}

/** Candidate sites at the centres of the first 80 communities with a gap of the type. */
function candidatesFile(typeId: string): FeatureCollection {
  const gapCommunities = reference.communities.filter((c) => c.types[typeId]!.gap).slice(0, 80);
  return {
    type: 'FeatureCollection',
    features: gapCommunities.map((c, i) => ({
      type: 'Feature',
      properties: { id: `cand-${i + 1}` },
      geometry: { type: 'Point', coordinates: centre(c.record.geometry) },
    })),
  };
}

/** The county rates of the panel's chart: name, complete share, and the share at most. */
async function districtRates(): Promise<[string, number | null, number | null][]> {
  const rows = await page
    .getByTestId('chart-districts')
    .locator('g.bar')
    .evaluateAll((gs) =>
      gs.map((g) => [
        g.getAttribute('data-label'),
        g.getAttribute('data-value'),
        g.getAttribute('data-upper'),
      ]),
    );
  const num = (v: string | null | undefined) =>
    v === null || v === undefined || v === 'NaN' ? null : Number(v);
  return rows.map(([name, value, upper]) => [name ?? '', num(value), num(upper)]);
}

/** A share as the Chinese interface shows it (one decimal). */
function pct1(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}
