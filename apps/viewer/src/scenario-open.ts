// Opening a saved scenario (scenario.ts reads and checks the file): its layers, language and basemap,
// its inputs (the bundled city by name, or the files it embeds) into the worker and onto the map, the
// analysis with its options, then its proposals or its siting run, and the map's view as it was saved.
import { isFeatureCollection, SITING_AREA_ROLES } from './files.js';
import type { ReadFile } from './formats.js';
import { JsonFileError } from './json.js';
import {
  candidatesFileListed,
  districtsEmbedded,
  fileListed,
  networkLoaded,
  rastersExpected,
  rastersLoaded,
  readEmbedded,
  scenarioInputAdded,
  scenarioInputsOpened,
} from './loading.js';
import type { Page } from './page.js';
import { type EmbeddedFile, parseScenario, type Scenario, ScenarioError } from './scenario.js';
import {
  layersToggled,
  profileChosen,
  proposalsReplaced,
  scenarioViewRestored,
  sitingSettingsChanged,
  sitingTypeChosen,
} from './view/state.js';
import type { InputFile, InputRole } from './worker/protocol.js';

/** Reads a scenario file's value; a scenario that does not hold together is the file's mistake. */
function readScenario(name: string, value: unknown): Scenario {
  try {
    return parseScenario(value);
  } catch (error) {
    throw error instanceof ScenarioError ? new JsonFileError(name, `${name}: ${error.message}`) : error;
  }
}

/** Opens the scenario file `name` (its parsed JSON `value`) and shows it as it was saved. */
export async function openScenario(page: Page, name: string, value: unknown): Promise<void> {
  const scenario = readScenario(name, value);
  page.setBusy({ message: page.t('analysing') });
  if (scenario.view.locale !== page.i18n.locale) page.setLocale(scenario.view.locale);
  page.view = layersToggled(page.view, {
    catchments: scenario.view.catchments,
    facilitiesOn: scenario.view.facilities,
    showAfter: scenario.view.showAfter,
  });
  page.view = sitingTypeChosen(
    page.view,
    scenario.proposals.typeId ?? scenario.siting?.typeId ?? page.view.typeId,
  );
  const proposals = scenario.proposals.points.map(([lon, lat]): [number, number] => [lon, lat]);
  page.view = proposalsReplaced(page.view, []);
  void page.basemap.restore(scenario.view.basemap);
  const wanted = scenario.options;
  const userRoads = scenario.inputs.roads;
  // GeoTIFFs held before belong to what was shown, unless the scenario names them in the role they
  // are held in (a shared link opened once its files were dropped again): those stay.
  const named = (role: string, name: string) =>
    scenario.missing.some((m) => m.role === role && m.name === name);
  for (const [role, raster] of [...page.inputs.rasters])
    if (!named(role, raster.name))
      page.inputs = rastersLoaded(page.inputs, await page.worker.unload(role), role, null);
  const missing = scenario.missing.filter(
    (m) =>
      !(
        (m.role === 'dem' || m.role === 'populationRaster') &&
        page.inputs.rasters.get(m.role)?.name === m.name
      ),
  );
  if (scenario.bundled) {
    // The bundled city walks its own roads; a road network the user had loaded replaces them below.
    await page.openBundled(
      userRoads ? { ...wanted, distance: 'great-circle' } : wanted,
      scenario.view.profile ?? 'pingliang-2025',
    );
  } else {
    await openEmbeddedInputs(page, scenario);
  }
  // A road network, candidates and siting areas the user had loaded travel in the scenario.
  const extra: InputFile[] = [];
  for (const role of ['roads', 'candidates', ...SITING_AREA_ROLES] as const) {
    const f = scenario.inputs[role];
    if (f) {
      const read = readEmbedded(f, role);
      extra.push({ role, name: f.name, bytes: read.bytes });
      page.inputs = scenarioInputAdded(page.inputs, role, f, read);
      if (role === 'roads' && isFeatureCollection(read.value)) await page.setContext('roads', read.value);
    }
  }
  if (extra.length > 0) {
    const loaded = await page.worker.load(extra);
    page.inputs = networkLoaded(page.inputs, loaded.network);
    for (const f of loaded.files) {
      if (f.role === 'roads') page.inputs = fileListed(page.inputs, f.role, f.name, f.features);
      if (f.role === 'candidates') page.inputs = candidatesFileListed(page.inputs, f);
      if (f.role === 'excluded' || f.role === 'studyArea') {
        page.sitingAreas.set(f.role, { name: f.name, features: f.features });
        page.inputs = fileListed(page.inputs, f.role, f.name, f.features);
      }
    }
  }
  if (!scenario.bundled || userRoads) await page.runAnalysis(wanted);
  page.inputs = fileListed(page.inputs, 'scenario', name, 0);
  if (scenario.view.center && scenario.view.zoom !== null) {
    page.mapView.map.jumpTo({ center: [...scenario.view.center], zoom: scenario.view.zoom });
  }
  page.view = proposalsReplaced(page.view, proposals);
  if (scenario.siting) {
    const { typeId, ...siting } = scenario.siting;
    page.view = sitingSettingsChanged(sitingTypeChosen(page.view, typeId), siting);
    await page.runSiting();
  } else if (page.view.proposals.length > 0) {
    await page.evaluateProposals();
  }
  page.showDrawing();
  page.view = scenarioViewRestored(page.view, scenario.view, page.t('scenarioLoaded', { name }));
  page.inputs = rastersExpected(page.inputs, missing);
  if (missing.length > 0)
    page.setNotice({
      kind: 'info',
      title: page.t('scenarioLoaded', { name }),
      message: page.t('scenarioMissingFiles', { files: missing.map((m) => m.name).join(', ') }),
    });
  page.applyView();
  page.setBusy(null);
  page.render();
}

/** A scenario of the user's own files: its analysis inputs into the worker, its districts on the map. */
async function openEmbeddedInputs(page: Page, scenario: Scenario): Promise<void> {
  if (scenario.view.profile) page.view = profileChosen(page.view, scenario.view.profile);
  const files: InputFile[] = [];
  const embedded = new Map<InputRole, EmbeddedFile>();
  const reads = new Map<InputRole, ReadFile>();
  for (const role of ['communities', 'facilities', 'demand'] as const) {
    const f = scenario.inputs[role];
    if (f) {
      const read = readEmbedded(f, role);
      files.push({ role, name: f.name, bytes: read.bytes });
      embedded.set(role, f);
      reads.set(role, read);
    }
  }
  page.inputs = scenarioInputsOpened(page.inputs, embedded, reads);
  for (const role of ['districts', 'roads', 'water', 'railway'] as const) {
    await page.setContext(role, { type: 'FeatureCollection', features: [] });
  }
  const districts = scenario.inputs.districts;
  if (districts && isFeatureCollection(districts.data)) {
    await page.setContext('districts', districts.data);
    page.inputs = fileListed(
      districtsEmbedded(page.inputs, districts),
      'districts',
      districts.name,
      districts.data.features.length,
    );
  }
  for (const role of ['roads', 'candidates', ...SITING_AREA_ROLES] as const) await page.worker.unload(role);
  page.sitingAreas.clear();
  const loaded = await page.worker.load(files);
  for (const f of loaded.files) page.inputs = fileListed(page.inputs, f.role, f.name, f.features);
}
