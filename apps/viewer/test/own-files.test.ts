// A planner's own rasters in Chromium (issues #12 and #14): a WorldPop GeoTIFF dropped with a bureau's
// shapefile and an AMap export is read as a population raster (the panel says why), and its figures
// equal core's with io's readPopulationRaster (what `lifecircle analyze --population-raster` runs); the
// bundled city's DEM dropped on a walking analysis is read as an elevation model, the walkers' panel
// shows it and the communities that lose coverage, and the role menu reads it the other way.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeCoverage } from '@lifecircle/core';
import { readInput, readPopulationRaster } from '@lifecircle/io';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, stopViewer, type ViewerSession, waitAnalysed } from './harness.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => join(repoRoot, 'fixtures', name);
const upload = (path: string) => ({
  name: path.slice(path.lastIndexOf('/') + 1),
  mimeType: 'application/octet-stream',
  buffer: readFileSync(path),
});
const BUREAU = ['社区.shp', '社区.dbf', '社区.prj', '社区.shx'].map((f) => fixture(`formats/bureau/${f}`));
const AMAP = fixture('formats/amap/幼儿园.csv');
const WORLDPOP = fixture('your-own-data/worldpop.tif');

/** A part of the bundled city: the communities within 0.01° of KT-001's first corner, and the
 * facilities and roads within 0.025° of that corner. */
function kongtongPart(): Record<string, FeatureCollection> {
  const read = (name: string) =>
    JSON.parse(readFileSync(fixture(`pingliang/${name}`), 'utf8')) as FeatureCollection;
  const positions = (g: Geometry): Position[] => {
    const out: Position[] = [];
    const visit = (v: unknown): void => {
      if (Array.isArray(v) && typeof v[0] === 'number') out.push(v as Position);
      else if (Array.isArray(v)) for (const w of v) visit(w);
    };
    visit((g as { coordinates: unknown }).coordinates);
    return out;
  };
  const communities = read('communities.geojson');
  const [x0, y0] = positions(communities.features[0]!.geometry)[0]!;
  const near = (f: Feature, d: number) =>
    positions(f.geometry).some(([x, y]) => Math.abs(x! - x0!) < d && Math.abs(y! - y0!) < d);
  const part = (name: string, d: number, test = near) => {
    const all = read(name);
    return { ...all, features: all.features.filter((f) => test(f, d)) };
  };
  const first = (f: Feature, d: number) => {
    const [x, y] = positions(f.geometry)[0]!;
    return Math.abs(x! - x0!) < d && Math.abs(y! - y0!) < d;
  };
  return {
    'communities.geojson': part('communities.geojson', 0.01, first),
    'facilities.geojson': part('facilities.geojson', 0.025),
    'roads.geojson': part('roads.geojson', 0.025),
  };
}

let session: ViewerSession | undefined;
let page: Page;
let errors: string[];

beforeAll(async () => {
  session = await startViewer();
  ({ page, errors } = session);
  await page.goto(session.url);
  await waitAnalysed(page, 120_000);
}, 300_000);

afterAll(() => stopViewer(session));

/** Waits until the side panel counts `n` communities: the dropped files are loaded and analysed. */
async function communityCount(n: number): Promise<void> {
  await page.waitForFunction(
    (count) =>
      document.querySelector('[data-testid="community-count"]')?.textContent?.replace(/\D/g, '') ===
      String(count),
    n,
    { timeout: 120_000 },
  );
}

/** The figure a panel shows, as a number. */
async function figure(testid: string): Promise<number> {
  return Number((await page.getByTestId(testid).first().textContent())?.replace(/[^\d.]/g, ''));
}

describe('GeoTIFFs dropped on the viewer', () => {
  it('a WorldPop raster beside a bureau shapefile: a population raster, figures as the CLI’s', async () => {
    await page
      .getByTestId('file-input')
      .setInputFiles([...BUREAU.map(upload), upload(AMAP), upload(WORLDPOP)]);
    await page.getByTestId('raster-populationRaster').waitFor({ timeout: 120_000 });
    await waitAnalysed(page, 120_000);
    expect(await page.getByTestId('raster-role-populationRaster').inputValue()).toBe('populationRaster');
    expect(await page.getByTestId('raster-guess-populationRaster').textContent()).toMatch(
      /counts of people|人口数/,
    );
    // The reference: io reads the same files and raster, core analyses (the CLI's path).
    const shp = await readInput(readFileSync(BUREAU[0]!), '社区.shp', {
      kind: 'communities',
      readSibling: (name) => {
        try {
          return readFileSync(fixture(`formats/bureau/${name}`));
        } catch {
          return undefined;
        }
      },
    });
    const raster = await readPopulationRaster(readFileSync(WORLDPOP), {
      file: 'worldpop.tif',
      communities: shp.features,
    });
    expect(raster.populationGrid.width).toBeGreaterThan(0);
    expect(await figure('community-count')).toBe(3);
    const shown = await page.evaluate(() => {
      const a = (window as unknown as { lifecircle: { analysis: { summary: Record<string, unknown> } } })
        .lifecircle.analysis.summary;
      return { demand: a.demand, population: a.population };
    });
    expect((shown.demand as { methods: unknown }).methods).toEqual({ raster: 3 });
    const amap = await readInput(readFileSync(AMAP), '幼儿园.csv', { kind: 'facilities' });
    expect(amap.features.features.length).toBeGreaterThan(0);
    const reference = analyzeCoverage(
      { communities: raster.communities, facilities: amap.features },
      { demand: { populationGrid: raster.populationGrid } },
    );
    expect(reference.summary.demand.methods).toEqual({ raster: 3 });
    expect(shown.population).toBe(reference.summary.population);
    expect(errors).toEqual([]);
  }, 300_000);

  // A part of the bundled city (19 communities around KT-001, the facilities and roads within 1.5 km of
  // them): a walking analysis of the whole city takes minutes in Chromium on a shared machine, this part
  // seconds, and the DEM covers it all the same.
  it('the bundled city’s DEM on a walking analysis: an elevation model, ⛰ losses shown, role menu', async () => {
    // A fresh page: the first test's population raster is not held.
    await page.goto(session!.url);
    await waitAnalysed(page, 120_000);
    await page.getByTestId('file-input').setInputFiles(
      Object.entries(kongtongPart()).map(([name, value]) => ({
        name,
        mimeType: 'application/geo+json',
        buffer: Buffer.from(JSON.stringify(value)),
      })),
    );
    await communityCount(19);
    await waitAnalysed(page, 120_000);
    expect(await page.getByTestId('distance-select').inputValue()).toBe('network');
    await page.getByTestId('file-input').setInputFiles([upload(fixture('pingliang/dem.tif'))]);
    await page.getByTestId('raster-dem').waitFor({ timeout: 120_000 });
    await waitAnalysed(page, 120_000);
    expect(await page.getByTestId('raster-guess-dem').textContent()).toMatch(/heights|高程/);
    expect(await page.getByTestId('dem-state').textContent()).toContain('dem.tif');
    const lost = await page.getByTestId('walker-lost').allTextContents();
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.some((t) => t.trim() !== '')).toBe(true);
    // Read as a population raster instead: no elevation model is held any more.
    await page.getByTestId('raster-role-dem').selectOption('populationRaster');
    await page.getByTestId('raster-populationRaster').waitFor({ timeout: 120_000 });
    await waitAnalysed(page, 120_000);
    expect(await page.getByTestId('dem-state').textContent()).not.toContain('dem.tif');
    expect(errors).toEqual([]);
  }, 600_000);

  it('an OpenStreetMap extract dropped with communities: clipped to their extent widened, then to a typed box', async () => {
    await page.goto(session!.url);
    await waitAnalysed(page, 120_000);
    const town = (name: string) => upload(fixture(`osm/${name}`));
    await page
      .getByTestId('file-input')
      .setInputFiles([town('town.osm'), town('communities.geojson'), town('facilities.geojson')]);
    await communityCount(2);
    await waitAnalysed(page, 120_000);
    const status = page.getByTestId('osm-clip-status-roads');
    expect(await status.textContent()).toMatch(/widened by 2 km|外扩 2 公里/);
    expect(await page.getByTestId('osm-clip-roads').inputValue()).toBe('communities');
    // The README's box keeps 14 nodes, as io's reader clips it for the CLI's --bbox.
    await page.getByTestId('osm-clip-box-roads').fill('106.659,35.5395,106.6645,35.5435');
    await page.getByTestId('osm-clip-apply-roads').click();
    await page.waitForFunction(
      () =>
        /106\.659,35\.5395,106\.6645,35\.5435/.test(
          document.querySelector('[data-testid="osm-clip-status-roads"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 120_000 },
    );
    await waitAnalysed(page, 120_000);
    expect(await status.textContent()).toMatch(/(14 of|保留 14 \/)/);
    expect(await page.getByTestId('distance-select').inputValue()).toBe('network');
    expect(errors).toEqual([]);
  }, 300_000);
});
