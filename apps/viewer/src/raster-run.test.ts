// Dropping GeoTIFFs as a user does (worker-loading.ts → raster-run.ts through a test page whose worker
// is the real engine): a WorldPop raster on a bureau's shapefile is read as a population raster (its
// values look like counts) and a DEM on the bundled city as an elevation model, each with the reason;
// the figures equal `lifecircle analyze --population-raster` / `--dem` on the same files (the CLI runs
// from packages/cli/dist: run `node scripts/build-packages.mjs` after changing core, io or the CLI).
import { readFileSync } from 'node:fs';
import { coverageSummaryJson } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures.js';
import { runAnalysis } from './analysis-run.js';
import { scenarioOf } from './exports.js';
import { heldRasters, rasterCrsDeclared, rasterRoleChosen, removeRaster } from './raster-run.js';
import { cliRun, typeFigures as figuresOf, type Json } from './test-cli.js';
import { networkPageOfTown, testPage } from './test-page.js';
import { DEFAULT_OPTIONS } from './view/state.js';
import { handleFiles } from './worker-loading.js';

const asFile = (path: string) => new File([readFileSync(path)], path.slice(path.lastIndexOf('/') + 1));
const cliSummary = (args: readonly string[]): Record<string, Json> => cliRun(['analyze', ...args]).summary;
/** What both answers must agree on, type by type. */
const typeFigures = (types: Record<string, Json>) =>
  figuresOf(types, ['covered_population', 'covered_share', 'gap_communities']);
/** The viewer's summary in summary.json's shape (rounded, snake_case), as the CLI writes it. */
const asWritten = (summary: Parameters<typeof coverageSummaryJson>[0]) =>
  coverageSummaryJson(summary) as unknown as Record<string, Json>;

const BUREAU = ['社区.shp', '社区.dbf', '社区.prj', '社区.shx'].map((f) => fixture(`formats/bureau/${f}`));
const AMAP = fixture('formats/amap/幼儿园.csv');
const WORLDPOP = fixture('your-own-data/worldpop.tif');
const POPULATION_GK = fixture('your-own-data/population-gk.tif');
/** The CLI's summary on the bureau's communities and the AMap kindergartens, with more options. */
const bureauCli = (...rest: string[]) =>
  cliSummary(['--communities', BUREAU[0]!, '--facilities', AMAP, ...rest]);

/**
 * A dropped File that may be read only by ranges (`slice(…).arrayBuffer()`), as a 2 GB raster must
 * be: reading it whole throws, and the bytes read through slices are counted.
 */
function rangeOnlyFile(path: string): File & { bytesRead: number } {
  const file = asFile(path) as File & { bytesRead: number };
  file.bytesRead = 0;
  const slice = file.slice.bind(file);
  file.arrayBuffer = () => Promise.reject(new Error(`${file.name} was read whole`));
  file.slice = (start?: number, end?: number, type?: string) => {
    const part = slice(start, end, type);
    file.bytesRead += part.size;
    return part;
  };
  return file;
}

describe('a dropped GeoTIFF', () => {
  it('WorldPop on a bureau shapefile: read as a population raster, figures as --population-raster', async () => {
    const page = testPage();
    await handleFiles(page, [...BUREAU.map(asFile), asFile(AMAP)]);
    expect(page.errors).toEqual([]);
    const even = page.view.analysis!.summary;
    expect(even.demand.methods.raster).toBeUndefined();
    await handleFiles(page, [asFile(WORLDPOP)]);
    expect(page.errors).toEqual([]);
    const held = page.inputs.rasters.get('populationRaster')!;
    expect(held.name).toBe('worldpop.tif');
    expect(held.guess!.role).toBe('population');
    expect(held.guess!.reason).toContain('more than the median');
    expect(page.inputs.files.map((f) => [f.role, f.name])).toContainEqual([
      'populationRaster',
      'worldpop.tif',
    ]);
    const summary = asWritten(page.view.analysis!.summary);
    const cli = bureauCli('--population-raster', WORLDPOP);
    expect(summary.demand).toEqual({
      ...cli.demand,
      weighting: { ...cli.demand.weighting, file: 'worldpop.tif' },
    });
    expect(summary.population).toBe(cli.population);
    expect(typeFigures(summary.types)).toEqual(typeFigures(cli.types));
    // Removed, the population is spread evenly again.
    await removeRaster(page, 'populationRaster');
    expect(page.view.analysis!.summary.demand).toEqual(even.demand);
  }, 300_000);

  it('communities without a population take the raster’s counts, with the CLI’s warning', async () => {
    const page = testPage();
    const communities = fixture('your-own-data/communities-no-population.geojson');
    // Dropped together: without the raster these communities have no population to analyse.
    await handleFiles(page, [asFile(communities), asFile(AMAP), asFile(WORLDPOP)]);
    expect(page.errors).toEqual([]);
    const summary = asWritten(page.view.analysis!.summary);
    const cli = cliSummary([
      '--communities',
      communities,
      '--facilities',
      AMAP,
      '--population-raster',
      WORLDPOP,
    ]);
    expect(summary.population).toBe(cli.population);
    expect(typeFigures(summary.types)).toEqual(typeFigures(cli.types));
    const warning = summary.warnings.find((w: Json) => w.code === 'population-from-raster');
    const cliWarning = cli.warnings.find((w: Json) => w.code === 'population-from-raster');
    expect(warning.message).toBe(cliWarning.message);
  }, 300_000);

  it('a DEM on the bundled city: read as an elevation model, figures as --dem; the role can be changed', async () => {
    const page = networkPageOfTown('pingliang');
    expect(await runAnalysis(page, { ...DEFAULT_OPTIONS, distance: 'network' })).toBe(true);
    await handleFiles(page, [asFile(fixture('pingliang/dem.tif'))]);
    expect(page.errors).toEqual([]);
    const held = page.inputs.rasters.get('dem')!;
    expect(held.guess!.role).toBe('elevation');
    expect(held.guess!.reason).toContain('less than the median');
    expect(page.inputs.dem?.file).toBe('dem.tif');
    const walking = page.view.analysis!.walking!;
    expect(walking.summary.dem).toBe('dem.tif');
    const cli = cliSummary([
      '--communities',
      fixture('pingliang/communities.geojson'),
      '--facilities',
      fixture('pingliang/facilities.geojson'),
      '--network',
      fixture('pingliang/roads.geojson'),
      '--dem',
      fixture('pingliang/dem.tif'),
    ]);
    expect(typeFigures(asWritten(page.view.analysis!.summary).types)).toEqual(typeFigures(cli.types));
    // Read as a population raster instead: the walk is flat again and the DEM is held no more.
    await rasterRoleChosen(page, 'dem', 'populationRaster');
    expect(page.inputs.dem).toBeNull();
    expect(page.inputs.rasters.has('dem')).toBe(false);
    expect(page.inputs.rasters.get('populationRaster')?.name).toBe('dem.tif');
    expect(page.view.analysis!.summary.demand.weighting?.source).toBe('raster');
  }, 300_000);

  it('is read by byte range from the dropped File, never whole', async () => {
    const page = testPage();
    await handleFiles(page, [...BUREAU.map(asFile), asFile(AMAP)]);
    const dropped = rangeOnlyFile(WORLDPOP);
    await handleFiles(page, [dropped]);
    expect(page.errors).toEqual([]);
    expect(page.inputs.rasters.get('populationRaster')?.file).toBe(dropped);
    expect(page.view.analysis!.summary.demand.methods.raster).toBe(3);
    expect(dropped.bytesRead).toBeGreaterThan(0);
  }, 300_000);

  it('a Gauss-Krüger raster whose GeoKeys name no system waits for one, then reads as --population-raster-crs', async () => {
    const page = testPage();
    await handleFiles(page, [...BUREAU.map(asFile), asFile(AMAP)]);
    await handleFiles(page, [asFile(POPULATION_GK)]);
    // Refused with io's message naming the file and the raster's menu, and held in the files panel.
    expect(page.errors.join('\n')).toContain('population-gk.tif: has no EPSG code in its GeoKeys');
    expect(page.errors.join('\n')).toContain("the raster's coordinate-system menu in the files panel");
    expect(page.inputs.rasterWithoutCrs?.name).toBe('population-gk.tif');
    expect(page.inputs.rasters.size).toBe(0);
    await rasterCrsDeclared(page, null, 'EPSG:4545');
    expect(page.inputs.rasterWithoutCrs).toBeNull();
    const held = page.inputs.rasters.get('populationRaster')!;
    expect([held.name, held.crs, held.guess!.role]).toEqual(['population-gk.tif', 'EPSG:4545', 'population']);
    const summary = asWritten(page.view.analysis!.summary);
    const cli = bureauCli('--population-raster', POPULATION_GK, '--population-raster-crs', 'EPSG:4545');
    expect(summary.demand).toEqual({
      ...cli.demand,
      weighting: { ...cli.demand.weighting, file: 'population-gk.tif' },
    });
    expect(typeFigures(summary.types)).toEqual(typeFigures(cli.types));
    // Declared again as a system that does not fit: refused, and the raster read before stays.
    await rasterCrsDeclared(page, 'populationRaster', 'EPSG:4524');
    expect(String(page.errors.at(-1))).toContain('population-gk.tif: does not cover the study area');
    expect(page.inputs.rasters.get('populationRaster')?.crs).toBe('EPSG:4545');
  }, 300_000);

  it('a scenario names its GeoTIFFs; dropped again after opening it, each takes the role it had', async () => {
    const page = testPage();
    await handleFiles(page, [...BUREAU.map(asFile), asFile(AMAP), asFile(WORLDPOP)]);
    expect(page.inputs.rasters.get('populationRaster')?.name).toBe('worldpop.tif');
    const scenario = scenarioOf(page.view, {
      bundled: false,
      embedded: page.inputs.embedded,
      notEmbedded: heldRasters(page.inputs),
      map: { locale: 'en', center: null, zoom: null, basemap: null },
    });
    expect((scenario as { missing: unknown }).missing).toEqual([
      { role: 'populationRaster', name: 'worldpop.tif' },
    ]);
    // Saved as if the same file had been read as an elevation model: reopened, it goes back to that.
    const asDem = { ...(scenario as object), missing: [{ role: 'dem', name: 'worldpop.tif' }] };
    await page.openScenario('s.lifecircle.json', JSON.parse(JSON.stringify(asDem)));
    expect(page.inputs.rasters.size).toBe(0);
    expect(page.view.notice?.message).toContain('worldpop.tif');
    await handleFiles(page, [asFile(WORLDPOP)]);
    expect(page.errors).toEqual([]);
    expect(page.inputs.rasters.get('dem')?.name).toBe('worldpop.tif');
  }, 300_000);
});
