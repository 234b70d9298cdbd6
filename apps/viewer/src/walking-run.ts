// Loading and removing the elevation model that walks are timed over (the CLI's --dem): the worker
// reads the GeoTIFF with io when the walk needs it, and the analysis runs again with every type
// measured for its walker. A model io cannot read, or one that misses the network, is refused with
// io's message and the previous walk stays on screen.
import { demLoaded } from './loading.js';
import type { Page } from './page.js';

/** Loads `file` as the elevation model and walks over it, every type for its walker. */
export async function loadDem(page: Page, file: File): Promise<void> {
  const bytes = await file.arrayBuffer();
  page.inputs = demLoaded(
    page.inputs,
    (await page.worker.load([{ role: 'dem', name: file.name, bytes }])).dem,
  );
  const options = page.view.options;
  if (!(await page.runAnalysis({ ...options, walkers: options.walkers ?? {} }))) {
    page.inputs = demLoaded(page.inputs, (await page.worker.unload('dem')).dem);
  }
  page.render('walking');
}

/** Drops the elevation model: walks are flat again (each type still for its walker if chosen). */
export async function removeDem(page: Page): Promise<void> {
  page.inputs = demLoaded(page.inputs, (await page.worker.unload('dem')).dem);
  await page.runAnalysis(page.view.options);
  page.render('walking');
}
