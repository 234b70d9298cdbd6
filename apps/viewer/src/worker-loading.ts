// Loading files into the page: the bundled city, dropped or picked files (sorted by loading.ts into
// worker inputs, drawn layers and a scenario), and a file read again in a declared coordinate system.
// Worker inputs take effect only with a successful load (and analysis, for analysis inputs): a cancel
// or an error keeps the page as it was.
import { featuresBox } from '@lifecircle/io';
import type { FeatureCollection } from 'geojson';
import {
  type ContextRole,
  type DrawnRole,
  type FileRole,
  isContextRole,
  isFeatureCollection,
  SITING_AREA_ROLES,
  SITING_INPUT_ROLES,
} from './files.js';
import { BUNDLED_FILES, fetchBundled } from './fixture.js';
import { type ReadChoices, type ReadFile, rereadFile } from './formats.js';
import { parseJsonBytes } from './json.js';
import {
  bundledDrawnRoles,
  bundledLeft,
  bundledOpened,
  candidatesAccepted,
  candidatesFileListed,
  districtsDrawn,
  drawnFileRead,
  fileListed,
  fileUnconverted,
  inputAccepted,
  networkLoaded,
  sortDroppedFiles,
} from './loading.js';
import { countyLabels } from './map/places.js';
import { osmClipForDrop } from './osm-clip-sources.js';
import type { Page } from './page.js';
import { communitiesBox, rastersDropped } from './raster-run.js';
import type { EmbeddedFile } from './scenario.js';
import { bundledCityOpened, candidatesLoaded, DEFAULT_OPTIONS, statusShown } from './view/state.js';
import type { AnalyzeOptions, InputFile, InputRole } from './worker/protocol.js';

/** Draws a context layer on the map; districts also label their counties and are kept for the legend. */
export async function setContext(page: Page, role: ContextRole, value: FeatureCollection): Promise<void> {
  await page.mapView.setContext(role, value);
  if (role === 'districts') {
    page.mapView.setCountyLabels(countyLabels(value, page.i18n.locale));
    page.inputs = districtsDrawn(page.inputs, value);
  }
}

/** Opens the bundled Pingliang city, judged against the Pingliang 2025 targets by default. */
export async function openBundled(
  page: Page,
  options: AnalyzeOptions = DEFAULT_OPTIONS,
  profile = 'pingliang-2025',
): Promise<void> {
  page.setNotice(null);
  page.setBusy({ message: page.t('analysing') });
  try {
    const [communities, facilities, districts, roads, water, railway] = await Promise.all(
      (['communities', 'facilities', 'districts', 'roads', 'water', 'railway'] as const).map((k) =>
        fetchBundled(k),
      ),
    );
    page.inputs = bundledOpened(page.inputs);
    for (const [role, bytes] of [
      ['districts', districts],
      ['roads', roads],
      ['water', water],
      ['railway', railway],
    ] as const) {
      const value = parseJsonBytes(bytes!, BUNDLED_FILES[role].name);
      if (isFeatureCollection(value)) {
        await page.setContext(role, value);
        page.inputs = fileListed(page.inputs, role, BUNDLED_FILES[role].name, value.features.length);
      }
    }
    page.sitingAreas.clear();
    page.view = bundledCityOpened(page.view, profile);
    // The city's roads go to the worker too: the distance control can switch to walking along them.
    const files: InputFile[] = [
      { role: 'communities', name: BUNDLED_FILES.communities.name, bytes: communities! },
      { role: 'facilities', name: BUNDLED_FILES.facilities.name, bytes: facilities! },
      { role: 'roads', name: BUNDLED_FILES.roads.name, bytes: roads!.slice(0) },
    ];
    for (const role of SITING_INPUT_ROLES) await page.worker.unload(role);
    const loaded = await page.worker.load(files);
    page.inputs = networkLoaded(page.inputs, loaded.network);
    for (const f of loaded.files)
      if (f.role !== 'roads') page.inputs = fileListed(page.inputs, f.role, f.name, f.features);
    page.mapShown.fitted = false;
    await page.runAnalysis(options);
  } catch (error) {
    page.showError(error);
  } finally {
    page.setBusy(null);
  }
}

/** Reads dropped or picked files, tells what each is (loading.ts), and loads them. */
export async function handleFiles(page: Page, files: readonly File[], forceRole?: FileRole): Promise<void> {
  if (files.length === 0) return;
  page.setNotice(null);
  const generation = page.generation;
  try {
    // An OpenStreetMap extract is clipped while read as the user chose for the next file, else to the
    // batch's study area or communities, else the page's (osm-clip.ts).
    const dropped = await sortDroppedFiles(
      files,
      forceRole,
      (batch) => osmClipForDrop(page, batch).clip,
      page.readDropped,
    );
    for (const [role, read] of dropped.unconverted) page.inputs = fileUnconverted(page.inputs, role, read);
    for (const { role, value, read } of dropped.drawn) {
      await page.setContext(role, value);
      page.inputs = fileListed(
        drawnFileRead(page.inputs, role, value, read),
        role,
        read.name,
        value.features.length,
      );
      if (role === 'districts')
        page.view = statusShown(page.view, page.t('districtsLoaded', { name: read.name }));
    }
    if (dropped.scenario) {
      await page.openScenario(dropped.scenario.name, dropped.scenario.value);
      return;
    }
    // GeoTIFFs first, judged over the batch's communities (else those shown), so that one analysis
    // takes them with the batch's other files: communities without a population take their counts.
    if (dropped.rasters.length > 0) {
      const communities = dropped.reads.get('communities')?.value;
      const box = isFeatureCollection(communities) ? featuresBox(communities.features) : communitiesBox(page);
      const analyse = dropped.worker.length === 0;
      if (!(await rastersDropped(page, dropped.rasters, box, analyse))) return;
    }
    if (dropped.worker.length > 0) {
      if (generation !== page.generation) return;
      await loadWorkerInputs(page, dropped.worker, dropped.reads, dropped.roads, generation);
    }
    const problems = dropped.problems.map((p) =>
      p.kind === 'unknown-role' ? page.t('unknownFile', { name: p.name }) : p.message,
    );
    if (problems.length > 0)
      page.setNotice({ kind: 'error', title: page.t('errorTitle'), message: problems.join('\n') });
  } catch (error) {
    page.showError(error);
  } finally {
    page.setBusy(null);
    page.render();
  }
}

/**
 * Loads read files into the worker and reanalyses when they are analysis inputs; the page takes
 * them (listed files, embedded copies, reads) only when the load and analysis succeed.
 */
async function loadWorkerInputs(
  page: Page,
  workerFiles: readonly InputFile[],
  pendingReads: ReadonlyMap<InputRole, ReadFile>,
  roads: { name: string; value: FeatureCollection } | null,
  generation: number,
): Promise<void> {
  const roles = new Set(workerFiles.map((f) => f.role));
  const reanalyse = roles.has('communities') || roles.has('facilities') || roles.has('demand') || !!roads;
  if (reanalyse) page.setBusy({ message: page.t('analysing') });
  const previousNetwork = page.inputs.network;
  // New communities describe another place: the bundled city's roads no longer fit them.
  const replacingCity =
    page.inputs.bundled && roles.has('communities') && !roads && !page.inputs.embedded.has('roads');
  if (replacingCity && page.inputs.network)
    page.inputs = networkLoaded(page.inputs, (await page.worker.unload('roads')).network);
  const loaded = await page.worker.load(workerFiles);
  if (generation !== page.generation) return;
  page.inputs = networkLoaded(page.inputs, loaded.network);
  const candidates = loaded.files.find((x) => x.role === 'candidates');
  if (roles.has('candidates') && candidates) {
    const read = pendingReads.get('candidates');
    page.inputs = read
      ? candidatesAccepted(page.inputs, candidates, read)
      : candidatesFileListed(page.inputs, candidates);
    page.view = candidatesLoaded(page.view, page.t('candidatesFileLoaded', { name: candidates.name }));
  }
  for (const role of SITING_AREA_ROLES) {
    const f = roles.has(role) ? loaded.files.find((x) => x.role === role) : undefined;
    if (!f) continue;
    page.sitingAreas.set(role, { name: f.name, features: f.features });
    page.inputs = fileListed(page.inputs, role, f.name, f.features);
    const read = pendingReads.get(role);
    if (read) page.inputs = inputAccepted(page.inputs, role, read);
    page.view = statusShown(page.view, page.t('sitingAreaLoaded', { name: f.name }));
  }
  if (!reanalyse) return;
  const wasFitted = page.mapShown.fitted;
  if (roles.has('communities')) page.mapShown.fitted = false;
  // A road network is loaded to walk along it.
  const options: AnalyzeOptions = roads
    ? { ...page.view.options, distance: 'network' }
    : replacingCity
      ? { ...page.view.options, distance: 'great-circle' }
      : page.view.options;
  if (!(await page.runAnalysis(options)) || generation !== page.generation) {
    page.mapShown.fitted = wasFitted;
    page.inputs = networkLoaded(page.inputs, previousNetwork);
    // The worker holds the files that failed: put back the ones the page shows.
    if (generation === page.generation) await page.worker.cancel();
    return;
  }
  for (const f of loaded.files)
    if (roles.has(f.role) && !SITING_INPUT_ROLES.has(f.role))
      page.inputs = fileListed(page.inputs, f.role, f.name, f.features);
  for (const [role, read] of pendingReads)
    if (!SITING_INPUT_ROLES.has(role)) page.inputs = inputAccepted(page.inputs, role, read);
  if (roads) {
    await page.setContext('roads', roads.value);
    page.view = statusShown(page.view, page.t('roadsLoaded', { name: roads.name }));
  }
  if (page.inputs.bundled && (roles.has('communities') || roles.has('facilities') || roles.has('demand')))
    await leaveBundled(page, roles);
}

/**
 * Reads a loaded file again as the user chose in the files panel (another layer, columns, or a
 * declared coordinate system: converted again from its features as read) and reruns the analysis; a
 * read that fails leaves the file as it was.
 */
export async function chooseReading(
  page: Page,
  role: InputRole | DrawnRole,
  choices: ReadChoices,
): Promise<void> {
  if (isContextRole(role)) return rereadContext(page, role, choices);
  const pending = page.inputs.unconverted.get(role);
  const read = pending ?? page.inputs.reads.get(role);
  if (!read) return;
  page.setNotice(null);
  const generation = page.generation;
  try {
    const next = await rereadFile(read, choices);
    if (next.crsError !== null) {
      if (pending) page.inputs = fileUnconverted(page.inputs, role, next);
      page.setNotice({ kind: 'error', title: page.t('errorTitle'), message: next.crsError });
      return;
    }
    const roads =
      role === 'roads' && isFeatureCollection(next.value) ? { name: next.name, value: next.value } : null;
    await loadWorkerInputs(
      page,
      [{ role, name: next.name, bytes: next.bytes }],
      new Map([[role, next]]),
      roads,
      generation,
    );
  } catch (error) {
    page.showError(error);
  } finally {
    page.setBusy(null);
    page.render();
  }
}

/** Reads a context layer (districts, water, railway) again as chosen: drawn again. */
async function rereadContext(page: Page, role: DrawnRole, choices: ReadChoices): Promise<void> {
  const read = page.inputs.contextReads.get(role);
  if (!read) return;
  page.setNotice(null);
  try {
    const next = await rereadFile(read, choices);
    if (next.crsError !== null) {
      page.setNotice({ kind: 'error', title: page.t('errorTitle'), message: next.crsError });
      return;
    }
    if (!isFeatureCollection(next.value)) return;
    await page.setContext(role, next.value);
    page.inputs = drawnFileRead(page.inputs, role, next.value, next);
  } catch (error) {
    page.showError(error);
  } finally {
    page.render();
  }
}

/**
 * The user's data replaced part of the bundled city: new communities describe another place, so the
 * bundled context layers (and the bundled road network) go unless the user loaded their own, and
 * bundled inputs that stay are embedded in scenarios like user files.
 */
async function leaveBundled(page: Page, replaced: ReadonlySet<InputRole>): Promise<void> {
  const cleared = replaced.has('communities') ? bundledDrawnRoles(page.inputs) : [];
  for (const role of cleared) await page.setContext(role, { type: 'FeatureCollection', features: [] });
  const kept = new Map<InputRole, EmbeddedFile>();
  for (const role of ['communities', 'facilities'] as const) {
    if (!replaced.has(role)) {
      const bytes = await fetchBundled(role);
      kept.set(role, { name: BUNDLED_FILES[role].name, data: parseJsonBytes(bytes, role) });
    }
  }
  page.inputs = bundledLeft(page.inputs, cleared, kept);
}
