// GeoTIFFs in the viewer: a dropped raster is an elevation model (walks timed over terrain, the CLI's
// `--dem`) or a population raster (each community's population shared out over its cells, the CLI's
// `--population-raster`). Its values suggest which (io's guessRasterRole: heights vary little around
// their median, counts of people are mostly empty with a few full cells); the files panel says which
// and why, and the user may read it in the other role. The worker reads it with the same io functions
// the CLI calls. A raster io cannot read, or one that misses the communities or the network, is
// refused with io's message and the previous figures stay on screen.
import { guessRasterRole, hintOf, type RasterRoleGuess, readGeoTiff, type Wgs84Box } from '@lifecircle/io';
import type { RasterRole } from './files.js';
import { type HeldRaster, type LoadedInputs, rasterHeldForCrs, rastersLoaded } from './loading.js';
import type { Page } from './page.js';
import type { AnalyzeOptions, RasterFile } from './worker/protocol.js';
import { RASTER_CRS_WORDING } from './worker/walking.js';

/**
 * What a GeoTIFF's values look like over `box` (the communities shown; null: the whole raster), by
 * io's reader and guess, reading the file by byte range (its headers and the window only), in the
 * coordinate system `crs` when the user declared one. Throws io's InputError naming the file when
 * it cannot be read there.
 */
export async function guessRaster(
  name: string,
  file: Blob,
  box: Wgs84Box | null,
  crs: string | null = null,
): Promise<RasterRoleGuess> {
  const grid = await readGeoTiff(file, {
    file: name,
    ...(box ? { bbox: box } : {}),
    ...(crs ? { crs } : {}),
    optionWording: RASTER_CRS_WORDING,
  });
  return guessRasterRole(grid);
}

/** The worker's file of a held raster in `role`: its handle and declared system, not its bytes. */
function rasterFile(role: RasterRole, raster: HeldRaster): RasterFile {
  return { role, name: raster.name, file: raster.file, ...(raster.crs ? { crs: raster.crs } : {}) };
}

/** The box of the communities the page shows, or null before any analysis. */
export function communitiesBox(page: Pick<Page, 'view'>): Wgs84Box | null {
  const bbox = page.view.analysis?.communities.bbox;
  if (!bbox || bbox.length === 0) return null;
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < bbox.length; i += 4) {
    box[0] = Math.min(box[0], bbox[i]!);
    box[1] = Math.min(box[1], bbox[i + 1]!);
    box[2] = Math.max(box[2], bbox[i + 2]!);
    box[3] = Math.max(box[3], bbox[i + 3]!);
  }
  return box;
}

/** The role a raster takes by default: what its values look like. */
export function defaultRasterRole(guess: RasterRoleGuess): RasterRole {
  return guess.role === 'elevation' ? 'dem' : 'populationRaster';
}

/**
 * Dropped GeoTIFFs: each judged by its values over `box` (the communities of the batch or those
 * shown) and loaded in the role they suggest, analysed at once unless `analyse` is false (the batch's
 * other files analyse next). Returns false when one was refused (its message shown).
 */
export async function rastersDropped(
  page: Page,
  rasters: readonly { readonly name: string; readonly file: Blob; readonly crs?: string | null }[],
  box: Wgs84Box | null,
  analyse: boolean,
): Promise<boolean> {
  for (const { name, file, crs = null } of rasters) {
    let guess: RasterRoleGuess;
    try {
      guess = await guessRaster(name, file, box, crs);
    } catch (error) {
      page.showError(error);
      // A raster whose system io does not know waits in the files panel for the user to declare one.
      if (hintOf(error)?.option === 'crs') {
        page.inputs = rasterHeldForCrs(page.inputs, { name, file, message: (error as Error).message });
        page.render();
      }
      return false;
    }
    // A file an opened scenario named takes the role it had there; else what its values suggest.
    const role = page.inputs.expectedRasters.get(name) ?? defaultRasterRole(guess);
    const raster: HeldRaster = { name, file, guess, crs };
    if (!analyse) {
      const loaded = await page.worker.load([rasterFile(role, raster)]);
      page.inputs = rastersLoaded(page.inputs, loaded, role, raster);
    } else if (!(await loadRaster(page, role, raster))) return false;
  }
  return true;
}

/**
 * Reads a GeoTIFF again in the coordinate system the user declared for it (null: its GeoKeys'): the
 * one held in `role`, or the one waiting for a system (`role` null), judged again over the
 * communities shown.
 */
export async function rasterCrsDeclared(
  page: Page,
  role: RasterRole | null,
  crs: string | null,
): Promise<void> {
  const held = role ? page.inputs.rasters.get(role) : page.inputs.rasterWithoutCrs;
  if (!held) return;
  const box = communitiesBox(page);
  if (role === null) {
    await rastersDropped(page, [{ name: held.name, file: held.file, crs }], box, true);
    return;
  }
  const raster = held as HeldRaster;
  let guess: RasterRoleGuess;
  try {
    guess = await guessRaster(raster.name, raster.file, box, crs);
  } catch (error) {
    page.showError(error);
    return;
  }
  await loadRaster(page, role, { ...raster, guess, crs });
}

/**
 * Loads `raster` in `role` (replacing the raster held in that role) and analyses again; a raster the
 * analysis refuses is dropped again and the raster held before comes back. Returns whether it held.
 */
export async function loadRaster(page: Page, role: RasterRole, raster: HeldRaster): Promise<boolean> {
  const previous = page.inputs.rasters.get(role) ?? null;
  page.setBusy({ message: page.t('analysing') });
  try {
    const loaded = await page.worker.load([rasterFile(role, raster)]);
    page.inputs = rastersLoaded(page.inputs, loaded, role, raster);
    const options = page.view.options;
    // With an elevation model every type walks for its walker (as the CLI's --dem).
    const next: AnalyzeOptions = role === 'dem' ? { ...options, walkers: options.walkers ?? {} } : options;
    if (await page.runAnalysis(next)) return true;
    const restored = previous
      ? await page.worker.load([rasterFile(role, previous)])
      : await page.worker.unload(role);
    page.inputs = rastersLoaded(page.inputs, restored, role, previous);
    if (previous) await page.runAnalysis(page.view.options);
    return false;
  } catch (error) {
    page.showError(error);
    return false;
  } finally {
    page.setBusy(null);
    page.render();
  }
}

/** Drops the raster held in `role`: walks are flat again, or the population spread evenly again. */
export async function removeRaster(page: Page, role: RasterRole): Promise<void> {
  page.inputs = rastersLoaded(page.inputs, await page.worker.unload(role), role, null);
  await page.runAnalysis(page.view.options);
  page.render();
}

/** Reads the raster held in `from` in the other role instead (the files panel's role menu). */
export async function rasterRoleChosen(page: Page, from: RasterRole, to: RasterRole): Promise<void> {
  const raster = page.inputs.rasters.get(from);
  if (!raster || from === to) return;
  page.inputs = rastersLoaded(page.inputs, await page.worker.unload(from), from, null);
  if (!(await loadRaster(page, to, raster))) {
    // The other role refused it: it goes back to the role it had.
    await loadRaster(page, from, raster);
  }
}

/**
 * The GeoTIFFs held, as a scenario names them without carrying them (`missing`): dropped again after
 * opening it, they are read in the role they had.
 */
export function heldRasters(inputs: LoadedInputs): { role: RasterRole; name: string }[] {
  return [...inputs.rasters].map(([role, raster]) => ({ role, name: raster.name }));
}
