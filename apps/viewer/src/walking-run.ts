// Loading and removing the elevation model that walks are timed over (the CLI's --dem) from the
// walking panel: the same path as a dropped GeoTIFF read as a DEM (raster-run.ts). The worker reads
// the GeoTIFF with io when the walk needs it, and the analysis runs again with every type measured
// for its walker. A model io cannot read, or one that misses the network, is refused with io's
// message and the previous walk stays on screen.
import type { Page } from './page.js';
import { loadRaster, removeRaster } from './raster-run.js';

/** Loads `file` as the elevation model and walks over it, every type for its walker. */
export async function loadDem(page: Page, file: File): Promise<void> {
  await loadRaster(page, 'dem', { name: file.name, file, guess: null, crs: null });
}

/** Drops the elevation model: walks are flat again (each type still for its walker if chosen). */
export async function removeDem(page: Page): Promise<void> {
  await removeRaster(page, 'dem');
}
