// GeoTIFFs in the viewer: a dropped raster is an elevation model (walks timed over terrain, the CLI's
// `--dem`) or a population raster (each community's population shared out over its cells, the CLI's
// `--population-raster`). Its values suggest which (io's guessRasterRole: heights vary little around
// their median, counts of people are mostly empty with a few full cells); the files panel says which
// and why, and the user may read it in the other role. The worker reads it with the same io functions
// the CLI calls. A raster io cannot read, or one that misses the communities or the network, is
// refused with io's message and the previous figures stay on screen.
import { guessRasterRole, type RasterRoleGuess, readGeoTiff, type Wgs84Box } from '@lifecircle/io';
import type { RasterRole } from './files.js';
import { type HeldRaster, type LoadedInputs, rastersLoaded } from './loading.js';
import type { Page } from './page.js';
import type { AnalyzeOptions } from './worker/protocol.js';

/**
 * What a GeoTIFF's values look like over `box` (the communities shown; null: the whole raster), by
 * io's reader and guess. Throws io's InputError naming the file when it cannot be read there.
 */
export async function guessRaster(
  name: string,
  bytes: ArrayBuffer,
  box: Wgs84Box | null,
): Promise<RasterRoleGuess> {
  const grid = await readGeoTiff(new Uint8Array(bytes), { file: name, ...(box ? { bbox: box } : {}) });
  return guessRasterRole(grid);
}

/** The box of the communities the page shows, or null before any analysis. */
export function communitiesBox(page: Page): Wgs84Box | null {
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
  rasters: readonly { readonly name: string; readonly bytes: ArrayBuffer }[],
  box: Wgs84Box | null,
  analyse: boolean,
): Promise<boolean> {
  for (const { name, bytes } of rasters) {
    let guess: RasterRoleGuess;
    try {
      guess = await guessRaster(name, bytes, box);
    } catch (error) {
      page.showError(error);
      return false;
    }
    // A file an opened scenario named takes the role it had there; else what its values suggest.
    const role = page.inputs.expectedRasters.get(name) ?? defaultRasterRole(guess);
    const raster = { name, bytes, guess };
    if (!analyse) {
      const loaded = await page.worker.load([{ role, name, bytes: bytes.slice(0) }]);
      page.inputs = rastersLoaded(page.inputs, loaded, role, raster);
    } else if (!(await loadRaster(page, role, raster))) return false;
  }
  return true;
}

/**
 * Loads `raster` in `role` (replacing the raster held in that role) and analyses again; a raster the
 * analysis refuses is dropped again and the raster held before comes back. Returns whether it held.
 */
export async function loadRaster(page: Page, role: RasterRole, raster: HeldRaster): Promise<boolean> {
  const previous = page.inputs.rasters.get(role) ?? null;
  page.setBusy({ message: page.t('analysing') });
  try {
    const loaded = await page.worker.load([{ role, name: raster.name, bytes: raster.bytes.slice(0) }]);
    page.inputs = rastersLoaded(page.inputs, loaded, role, raster);
    const options = page.view.options;
    // With an elevation model every type walks for its walker (as the CLI's --dem).
    const next: AnalyzeOptions = role === 'dem' ? { ...options, walkers: options.walkers ?? {} } : options;
    if (await page.runAnalysis(next)) return true;
    const restored = previous
      ? await page.worker.load([{ role, name: previous.name, bytes: previous.bytes.slice(0) }])
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
