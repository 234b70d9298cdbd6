// A planner's own rasters in Chromium (issues #12 and #14): a WorldPop GeoTIFF dropped with a bureau's
// shapefile and an AMap export is read as a population raster (the panel says why), and its figures
// equal core's with io's readPopulationRaster (what `lifecircle analyze --population-raster` runs); the
// bundled city's DEM dropped on a walking analysis is read as an elevation model, the walkers' panel
// shows it and the communities that lose coverage, and the role menu reads it the other way.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeCoverage } from '@lifecircle/core';
import { readInput, readPopulationRaster } from '@lifecircle/io';
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

  // Skipped until seen green: written in the session that built GeoTIFF drops, it was not run to the
  // end there (a walking analysis of the bundled city in Chromium took minutes under a shared load of
  // 20); the same flow passes in Node (src/raster-run.test.ts). Remove .skip once it has passed.
  it.skip('the bundled city’s DEM on a walking analysis: an elevation model, ⛰ losses shown, role menu', async () => {
    await page.goto(session!.url);
    await waitAnalysed(page, 120_000);
    await page.getByTestId('distance-select').selectOption('network');
    await waitAnalysed(page, 300_000);
    await page.getByTestId('file-input').setInputFiles([upload(fixture('pingliang/dem.tif'))]);
    await page.getByTestId('raster-dem').waitFor({ timeout: 300_000 });
    await waitAnalysed(page, 300_000);
    expect(await page.getByTestId('raster-guess-dem').textContent()).toMatch(/heights|高程/);
    expect(await page.getByTestId('dem-state').textContent()).toContain('dem.tif');
    const lost = await page.getByTestId('walker-lost').allTextContents();
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.some((t) => t.trim() !== '')).toBe(true);
    // Read as a population raster instead: no elevation model is held any more.
    await page.getByTestId('raster-role-dem').selectOption('populationRaster');
    await page.getByTestId('raster-populationRaster').waitFor({ timeout: 300_000 });
    await waitAnalysed(page, 300_000);
    expect(await page.getByTestId('dem-state').textContent()).not.toContain('dem.tif');
    expect(errors).toEqual([]);
  }, 900_000);
});
