// The viewer's page: view state (colour mode, type, profile, layers, locale, proposals) and the wiring
// between the panel, the map and the analysis worker. No figure is computed here beyond choosing
// colours and summing per-community flags for the gap counts; everything else (coverage, standard
// profiles and their indicators, walking distance and catchments, siting) comes from core through the
// worker.
import { InputError, OptionError } from '@lifecircle/core';
import type { FeatureCollection } from 'geojson';
import { addProtocol } from 'maplibre-gl';
import { Protocol as PmtilesProtocol } from 'pmtiles';
import { BasemapController } from './basemap/controller.js';
import { EXPORT_FILES, scenarioOf, sitesGeojsonText } from './exports.js';
import {
  type ContextRole,
  type DrawnRole,
  type FileRole,
  isContextRole,
  isFeatureCollection,
  SITING_AREA_ROLES,
  SITING_INPUT_ROLES,
  type SitingAreaRole,
} from './files.js';
import { BUNDLED_FILES, fetchBundled } from './fixture.js';
import { type ReadFile, redeclareCrs } from './formats.js';
import { JsonFileError, parseJsonBytes } from './json.js';
import {
  bundledDrawnRoles,
  bundledLeft,
  bundledOpened,
  candidatesAccepted,
  candidatesFileListed,
  districtsDrawn,
  districtsEmbedded,
  drawnFileRead,
  fileListed,
  fileUnconverted,
  initialInputs,
  inputAccepted,
  type LoadedInputs,
  networkLoaded,
  readEmbedded,
  scenarioInputAdded,
  scenarioInputsOpened,
  sortDroppedFiles,
} from './loading.js';
import { MapView } from './map/map-view.js';
import { countyLabels, meanLat, unionBBox } from './map/places.js';
import { renderCard } from './panels/card.js';
import { renderControls } from './panels/controls.js';
import { renderExports } from './panels/exports.js';
import { renderFiles } from './panels/files.js';
import { renderHeader } from './panels/header.js';
import { renderIndicators } from './panels/indicators.js';
import { type LegendExtras, legendModel, renderLegend } from './panels/legend.js';
import { renderNotice } from './panels/notice.js';
import { renderSiting } from './panels/siting.js';
import { renderStatus } from './panels/status.js';
import { verdictLine } from './panels/verdict.js';
import { renderWorst } from './panels/worst.js';
import {
  type ColourMode,
  type EmbeddedFile,
  parseScenario,
  type Scenario,
  ScenarioError,
} from './scenario.js';
import { download, h, replace } from './ui/dom.js';
import { I18n, initialLocale, type Locale, type TextKey } from './ui/i18n.js';
import { drawLegend, drawMarkers } from './ui/png.js';
import { communityColours } from './view/community-colours.js';
import {
  afterShares,
  analysisFinished,
  bundledCityOpened,
  candidatesLoaded,
  cardItemsLoaded,
  checkFailed,
  checkFinished,
  checkStarted,
  communitySelected,
  DEFAULT_OPTIONS,
  initialViewState,
  layersToggled,
  modeChosen,
  type Notice,
  noticeShown,
  profileChosen,
  profileItemChosen,
  profileTypes,
  proposalAdded,
  proposalMoved,
  proposalsReplaced,
  proposeModeToggled,
  scenarioViewRestored,
  siteResultArrived,
  siteResultCleared,
  sitingSettingsChanged,
  sitingTypeChosen,
  statusShown,
  typeIndex,
  type ViewState,
  walkingLoaded,
  workCancelled,
  workEnded,
  workStarted,
} from './view/state.js';
import { RequestError, WorkerClient } from './worker/client.js';
import { unpackPolygons } from './worker/pack.js';
import type {
  AnalysisPayload,
  AnalyzeOptions,
  CandidateSpec,
  DistanceMode,
  ExportFormat,
  InputFile,
  InputRole,
  ModelRequest,
  SitePayload,
} from './worker/protocol.js';

/** Timing of the last recolour, read by the browser tests. */
export interface RecolourTiming {
  /** Main-thread time of computing the colours and writing feature-state. */
  readonly syncMs: number;
  /** Main-thread time of the first map frame after it (null until drawn). */
  frameMs: number | null;
  readonly writes: number;
  readonly communities: number;
}

/** What the file pickers offer: GeoJSON, and the formats @lifecircle/io reads. */
const FILE_ACCEPT =
  '.geojson,.json,.geojsonl,.geojsons,.ndjson,.csv,.tsv,.txt,.xlsx,.shp,.dbf,.prj,.cpg,.shx,.zip,.fgb,.gpkg,application/geo+json,application/json';

export class App {
  readonly i18n: I18n;
  readonly mapView: MapView;
  readonly worker: WorkerClient;

  /** What the page shows: one immutable state, changed only through the transitions of view/state.ts. */
  private view: ViewState = initialViewState();

  /** The analysis the page shows (read by the browser tests). */
  get analysis(): AnalysisPayload | null {
    return this.view.analysis;
  }

  /** The current view state (read by the browser tests). */
  get state(): ViewState {
    return this.view;
  }

  /** What the worker and the map hold, and how each file was read: changed through loading.ts. */
  private inputs: LoadedInputs = initialInputs();
  /** Loaded siting areas: where no new site may go, and the study area a grid is clipped to. */
  private sitingAreas = new Map<SitingAreaRole, { name: string; features: number }>();
  /** Which siting area the area file picker loads. */
  private sitingAreaPicked: SitingAreaRole = 'excluded';

  // What the map was last given, so that a redraw changes only what changed.
  private fitted = false;
  private walkingPending = new Set<string>();
  private walkingShown: string | null = null;
  private siteShapesShown = false;

  private readonly basemap: BasemapController;
  /** The basemap chooser, kept across redraws of the controls. */
  private readonly basemapPanel = h('div', { class: 'basemap', 'data-testid': 'basemap' });
  lastRecolour: RecolourTiming | null = null;
  /** Increased by cancel: an operation that started under another generation stops. */
  private generation = 0;

  // DOM
  private readonly header = h('header', { class: 'topbar' });
  private readonly mapElement = h('div', { class: 'map', 'data-testid': 'map' });
  private readonly legend = h('div', { class: 'legend', 'data-testid': 'legend' });
  private readonly tip = h('div', { class: 'hover-tip', hidden: true });
  private readonly card = h('div', {
    class: 'community-card',
    'data-testid': 'community-card',
    hidden: true,
  });
  private readonly status = h('div', { class: 'status', 'data-testid': 'status' });
  private readonly noticeBox = h('div', { class: 'notice', 'data-testid': 'notice', hidden: true });
  private readonly dropOverlay = h('div', { class: 'drop-overlay', hidden: true });
  private readonly panel = h('aside', { class: 'panel', 'data-testid': 'panel' });
  private readonly fileInput = h('input', {
    type: 'file',
    multiple: true,
    accept: FILE_ACCEPT,
    'data-testid': 'file-input',
    hidden: true,
  });
  private readonly candidateInput = h('input', {
    type: 'file',
    accept: FILE_ACCEPT,
    'data-testid': 'candidate-input',
    hidden: true,
  });
  private readonly sitingAreaInput = h('input', {
    type: 'file',
    accept: FILE_ACCEPT,
    'data-testid': 'siting-area-input',
    hidden: true,
  });

  constructor(root: HTMLElement) {
    this.i18n = new I18n(initialLocale(location.search, safeStorage('lifecircle.locale')));
    const pmtiles = new PmtilesProtocol();
    addProtocol('pmtiles', pmtiles.tile);
    const mapWrap = h(
      'section',
      { class: 'map-wrap' },
      this.mapElement,
      this.legend,
      this.tip,
      this.card,
      this.status,
      this.noticeBox,
      this.dropOverlay,
    );
    root.replaceChildren(
      this.header,
      h('main', { class: 'layout' }, mapWrap, this.panel),
      this.fileInput,
      this.candidateInput,
      this.sitingAreaInput,
    );
    this.mapView = new MapView(this.mapElement, {
      hover: (c, p) => this.onHover(c, p),
      click: (c, lngLat) => this.onMapClick(c, lngLat),
      proposalMoved: (i, lon, lat) => {
        this.view = proposalMoved(this.view, i, [lon, lat]);
        void this.evaluateProposals();
      },
    });
    this.basemap = new BasemapController(this.mapView, pmtiles, this.i18n, this.basemapPanel);
    this.worker = new WorkerClient(
      () =>
        new Worker(new URL('./worker/analysis.worker.ts', import.meta.url), {
          type: 'module',
          name: 'lifecircle-analysis',
        }),
    );
    this.fileInput.addEventListener('change', () => {
      const files = [...(this.fileInput.files ?? [])];
      this.fileInput.value = '';
      void this.handleFiles(files);
    });
    this.candidateInput.addEventListener('change', () => {
      const files = [...(this.candidateInput.files ?? [])];
      this.candidateInput.value = '';
      void this.handleFiles(files, 'candidates');
    });
    this.sitingAreaInput.addEventListener('change', () => {
      const files = [...(this.sitingAreaInput.files ?? [])];
      this.sitingAreaInput.value = '';
      void this.handleFiles(files, this.sitingAreaPicked);
    });
    this.setupDrop(mapWrap);
    document.documentElement.lang = this.i18n.locale;
    this.renderAll();
  }

  // ---------------------------------------------------------------- loading

  /** Opens the bundled Pingliang city, judged against the Pingliang 2025 targets by default. */
  async openBundled(options: AnalyzeOptions = DEFAULT_OPTIONS, profile = 'pingliang-2025'): Promise<void> {
    this.setNotice(null);
    this.setBusy({ message: this.i18n.t('analysing') });
    try {
      const [communities, facilities, districts, roads, water, railway] = await Promise.all(
        (['communities', 'facilities', 'districts', 'roads', 'water', 'railway'] as const).map((k) =>
          fetchBundled(k),
        ),
      );
      this.inputs = bundledOpened(this.inputs);
      for (const [role, bytes] of [
        ['districts', districts],
        ['roads', roads],
        ['water', water],
        ['railway', railway],
      ] as const) {
        const value = parseJsonBytes(bytes!, BUNDLED_FILES[role].name);
        if (isFeatureCollection(value)) {
          await this.setContext(role, value);
          this.inputs = fileListed(this.inputs, role, BUNDLED_FILES[role].name, value.features.length);
        }
      }
      this.sitingAreas.clear();
      this.view = bundledCityOpened(this.view, profile);
      // The city's roads go to the worker too: the distance control can switch to walking along them.
      const files: InputFile[] = [
        { role: 'communities', name: BUNDLED_FILES.communities.name, bytes: communities! },
        { role: 'facilities', name: BUNDLED_FILES.facilities.name, bytes: facilities! },
        { role: 'roads', name: BUNDLED_FILES.roads.name, bytes: roads!.slice(0) },
      ];
      for (const role of SITING_INPUT_ROLES) await this.worker.unload(role);
      const loaded = await this.worker.load(files);
      this.inputs = networkLoaded(this.inputs, loaded.network);
      for (const f of loaded.files)
        if (f.role !== 'roads') this.inputs = fileListed(this.inputs, f.role, f.name, f.features);
      this.fitted = false;
      await this.runAnalysis(options);
    } catch (error) {
      this.showError(error);
    } finally {
      this.setBusy(null);
    }
  }

  private setupDrop(target: HTMLElement): void {
    let depth = 0;
    target.addEventListener('dragenter', (e) => {
      e.preventDefault();
      depth++;
      this.dropOverlay.hidden = false;
    });
    target.addEventListener('dragover', (e) => e.preventDefault());
    target.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) this.dropOverlay.hidden = true;
    });
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      depth = 0;
      this.dropOverlay.hidden = true;
      void this.handleFiles([...(e.dataTransfer?.files ?? [])]);
    });
  }

  /** Reads dropped or picked files, tells what each is (loading.ts), and loads them. */
  async handleFiles(files: readonly File[], forceRole?: FileRole): Promise<void> {
    if (files.length === 0) return;
    this.setNotice(null);
    const generation = this.generation;
    try {
      const dropped = await sortDroppedFiles(files, forceRole);
      for (const [role, read] of dropped.unconverted) this.inputs = fileUnconverted(this.inputs, role, read);
      for (const { role, value, read } of dropped.drawn) {
        await this.setContext(role, value);
        this.inputs = fileListed(
          drawnFileRead(this.inputs, role, value, read),
          role,
          read.name,
          value.features.length,
        );
        if (role === 'districts')
          this.view = statusShown(this.view, this.t('districtsLoaded', { name: read.name }));
      }
      if (dropped.scenario) {
        await this.openScenario(dropped.scenario.name, dropped.scenario.value);
        return;
      }
      // Worker inputs take effect only with a successful load (and analysis, for analysis inputs): a
      // cancel or an error keeps the page as it was.
      if (dropped.worker.length > 0) {
        if (generation !== this.generation) return;
        await this.loadWorkerInputs(dropped.worker, dropped.reads, dropped.roads, generation);
      }
      const problems = dropped.problems.map((p) =>
        p.kind === 'unknown-role' ? this.t('unknownFile', { name: p.name }) : p.message,
      );
      if (problems.length > 0)
        this.setNotice({ kind: 'error', title: this.t('errorTitle'), message: problems.join('\n') });
    } catch (error) {
      this.showError(error);
    } finally {
      this.setBusy(null);
      this.renderAll();
    }
  }

  /**
   * Loads read files into the worker and reanalyses when they are analysis inputs; the page takes
   * them (listed files, embedded copies, reads) only when the load and analysis succeed.
   */
  private async loadWorkerInputs(
    workerFiles: readonly InputFile[],
    pendingReads: ReadonlyMap<InputRole, ReadFile>,
    roads: { name: string; value: FeatureCollection } | null,
    generation: number,
  ): Promise<void> {
    const roles = new Set(workerFiles.map((f) => f.role));
    const reanalyse = roles.has('communities') || roles.has('facilities') || roles.has('demand') || !!roads;
    if (reanalyse) this.setBusy({ message: this.t('analysing') });
    const previousNetwork = this.inputs.network;
    // New communities describe another place: the bundled city's roads no longer fit them.
    const replacingCity =
      this.inputs.bundled && roles.has('communities') && !roads && !this.inputs.embedded.has('roads');
    if (replacingCity && this.inputs.network)
      this.inputs = networkLoaded(this.inputs, (await this.worker.unload('roads')).network);
    const loaded = await this.worker.load(workerFiles);
    if (generation !== this.generation) return;
    this.inputs = networkLoaded(this.inputs, loaded.network);
    const candidates = loaded.files.find((x) => x.role === 'candidates');
    if (roles.has('candidates') && candidates) {
      const read = pendingReads.get('candidates');
      this.inputs = read
        ? candidatesAccepted(this.inputs, candidates, read)
        : candidatesFileListed(this.inputs, candidates);
      this.view = candidatesLoaded(this.view, this.t('candidatesFileLoaded', { name: candidates.name }));
    }
    for (const role of SITING_AREA_ROLES) {
      const f = roles.has(role) ? loaded.files.find((x) => x.role === role) : undefined;
      if (!f) continue;
      this.sitingAreas.set(role, { name: f.name, features: f.features });
      this.inputs = fileListed(this.inputs, role, f.name, f.features);
      const read = pendingReads.get(role);
      if (read) this.inputs = inputAccepted(this.inputs, role, read);
      this.view = statusShown(this.view, this.t('sitingAreaLoaded', { name: f.name }));
    }
    if (reanalyse) {
      const wasFitted = this.fitted;
      if (roles.has('communities')) this.fitted = false;
      // A road network is loaded to walk along it.
      const options: AnalyzeOptions = roads
        ? { ...this.view.options, distance: 'network' }
        : replacingCity
          ? { ...this.view.options, distance: 'great-circle' }
          : this.view.options;
      if (!(await this.runAnalysis(options)) || generation !== this.generation) {
        this.fitted = wasFitted;
        this.inputs = networkLoaded(this.inputs, previousNetwork);
        // The worker holds the files that failed: put back the ones the page shows.
        if (generation === this.generation) await this.worker.cancel();
        return;
      }
      for (const f of loaded.files)
        if (roles.has(f.role) && !SITING_INPUT_ROLES.has(f.role))
          this.inputs = fileListed(this.inputs, f.role, f.name, f.features);
      for (const [role, read] of pendingReads)
        if (!SITING_INPUT_ROLES.has(role)) this.inputs = inputAccepted(this.inputs, role, read);
      if (roads) {
        await this.setContext('roads', roads.value);
        this.view = statusShown(this.view, this.t('roadsLoaded', { name: roads.name }));
      }
      if (this.inputs.bundled && (roles.has('communities') || roles.has('facilities') || roles.has('demand')))
        await this.leaveBundled(roles);
    }
  }

  /**
   * Declares the coordinate system of a loaded file (null: the file's own, else WGS84): the file is
   * converted again from its features as read and the analysis reruns.
   */
  async declareCrs(role: InputRole | DrawnRole, text: string | null): Promise<void> {
    if (isContextRole(role)) return this.declareContextCrs(role, text);
    const pending = this.inputs.unconverted.get(role);
    const read = pending ?? this.inputs.reads.get(role);
    if (!read) return;
    this.setNotice(null);
    const generation = this.generation;
    try {
      const next = redeclareCrs(read, text);
      if (next.crsError !== null) {
        if (pending) this.inputs = fileUnconverted(this.inputs, role, next);
        this.setNotice({ kind: 'error', title: this.t('errorTitle'), message: next.crsError });
        return;
      }
      const roads =
        role === 'roads' && isFeatureCollection(next.value) ? { name: next.name, value: next.value } : null;
      await this.loadWorkerInputs(
        [{ role, name: next.name, bytes: next.bytes }],
        new Map([[role, next]]),
        roads,
        generation,
      );
    } catch (error) {
      this.showError(error);
    } finally {
      this.setBusy(null);
      this.renderAll();
    }
  }

  /** Declares the coordinate system of a context layer (districts, water, railway): drawn again. */
  private async declareContextCrs(role: DrawnRole, text: string | null): Promise<void> {
    const read = this.inputs.contextReads.get(role);
    if (!read) return;
    this.setNotice(null);
    try {
      const next = redeclareCrs(read, text);
      if (next.crsError !== null) {
        this.setNotice({ kind: 'error', title: this.t('errorTitle'), message: next.crsError });
        return;
      }
      if (!isFeatureCollection(next.value)) return;
      await this.setContext(role, next.value);
      this.inputs = drawnFileRead(this.inputs, role, next.value, next);
    } catch (error) {
      this.showError(error);
    } finally {
      this.renderAll();
    }
  }

  /**
   * The user's data replaced part of the bundled city: new communities describe another place, so the
   * bundled context layers (and the bundled road network) go unless the user loaded their own, and
   * bundled inputs that stay are embedded in scenarios like user files.
   */
  private async leaveBundled(replaced: ReadonlySet<InputRole>): Promise<void> {
    const cleared = replaced.has('communities') ? bundledDrawnRoles(this.inputs) : [];
    for (const role of cleared) await this.setContext(role, { type: 'FeatureCollection', features: [] });
    const kept = new Map<InputRole, EmbeddedFile>();
    for (const role of ['communities', 'facilities'] as const) {
      if (!replaced.has(role)) {
        const bytes = await fetchBundled(role);
        kept.set(role, { name: BUNDLED_FILES[role].name, data: parseJsonBytes(bytes, role) });
      }
    }
    this.inputs = bundledLeft(this.inputs, cleared, kept);
  }

  private async setContext(role: ContextRole, value: FeatureCollection): Promise<void> {
    await this.mapView.setContext(role, value);
    if (role === 'districts') {
      this.mapView.setCountyLabels(countyLabels(value, this.i18n.locale));
      this.inputs = districtsDrawn(this.inputs, value);
    }
  }

  // ---------------------------------------------------------------- analysis

  /**
   * Runs an analysis and shows it, then judges it against the standard profile; false when the
   * analysis failed or was cancelled (the page is unchanged).
   */
  async runAnalysis(options: AnalyzeOptions): Promise<boolean> {
    this.setBusy({ message: this.t('analysing') });
    const generation = this.generation;
    try {
      const payload = await this.worker.analyze(options, (p) => this.setBusy(this.progressOf(p)));
      if (generation !== this.generation) return false;
      await this.applyAnalysis(payload, options);
      await this.runCheck();
      return true;
    } catch (error) {
      this.showError(error);
      return false;
    } finally {
      this.setBusy(null);
    }
  }

  /** Judges the analysed city against the chosen standard profile (core's checkStandards). */
  async runCheck(): Promise<void> {
    if (!this.view.analysis) return;
    const generation = this.generation;
    const profile = this.view.profileId;
    const token = ++this.checks;
    this.view = checkStarted(this.view);
    this.setBusy({ message: this.t('profileEvaluating') });
    this.renderIndicators();
    try {
      const payload = await this.worker.check(profile, (p) =>
        this.setBusy({
          ...this.progressOf(p),
          message: `${this.t('profileEvaluating')} ${this.progressOf(p).message}`,
        }),
      );
      if (generation !== this.generation || profile !== this.view.profileId) return;
      this.view = checkFinished(this.view, payload);
      this.applyView();
      this.renderAll();
      if (this.view.selected !== null) void this.loadCardItems(this.view.selected);
    } catch (error) {
      if (token !== this.checks) return;
      this.view = checkFailed(this.view);
      this.showError(error);
      this.renderAll();
    } finally {
      // A check superseded by a newer one (another profile chosen meanwhile) leaves the busy state to it.
      if (token === this.checks) this.setBusy(null);
    }
  }

  /** Counts profile checks, so that only the latest one ends the busy state. */
  private checks = 0;

  /** A worker progress message in the interface language, with the step count when there is one. */
  private progressOf(p: { stage: string; message: string; done?: number; total?: number }): {
    message: string;
    done?: number;
    total?: number;
  } {
    const key: TextKey | undefined = (
      {
        validate: 'stageValidate',
        demand: 'stageDemand',
        index: 'stageIndex',
        measure: 'stageMeasure',
        summarize: 'stageSummarize',
        candidates: 'stageCandidates',
        table: 'stageTable',
        solve: 'stageSolve',
        report: 'stageReport',
      } as const
    )[p.stage as 'validate'];
    const message = key ? this.t(key) : p.message;
    return {
      message,
      ...(p.done !== undefined ? { done: p.done } : {}),
      ...(p.total !== undefined ? { total: p.total } : {}),
    };
  }

  /** Shows a new analysis: one transition for the state, then the map's layers follow. */
  private async applyAnalysis(payload: AnalysisPayload, options: AnalyzeOptions): Promise<void> {
    this.view = analysisFinished(
      this.view,
      payload,
      options,
      this.t('ready', { ms: Math.round(payload.timeMs) }),
    );
    this.walkingPending.clear();
    this.walkingShown = null;
    this.mapView.setWalkingCatchments(null);
    this.siteShapesShown = false;
    this.mapView.setSiteCatchments(null, 'site');
    if (payload.geometry) await this.mapView.setCommunities(payload.geometry);
    const referenceLat = meanLat(payload.communities.bbox);
    // Facilities may change with every analysis (include planned, radii), so their layers are rebuilt
    // here, with the data; view changes never rebuild them.
    await this.mapView.setFacilities(
      payload.facilities,
      payload.types.map((t) => t.radius_m),
      referenceLat,
    );
    if (!this.fitted) {
      this.fitMain();
      this.fitted = true;
    }
    this.applyView();
    if (this.view.proposals.length > 0) await this.evaluateProposals();
    this.renderAll();
  }

  /** Fits the map to the communities of the most populous district (the city proper). */
  private fitMain(): void {
    const a = this.view.analysis;
    if (!a) return;
    const byDistrict = new Map<string, number>();
    a.communities.districts.forEach((d, c) => {
      byDistrict.set(d ?? '', (byDistrict.get(d ?? '') ?? 0) + a.communities.population[c]!);
    });
    const main = [...byDistrict].sort((x, y) => y[1] - x[1])[0]?.[0];
    const members = a.communities.districts.flatMap((d, c) => ((d ?? '') === main ? [c] : []));
    this.mapView.fit(unionBBox(a.communities.bbox, members), false, this.legendClearance());
  }

  /** Pixels to keep free at the bottom of the map for the legend, when the map is tall enough. */
  private legendClearance(): number {
    const height = this.mapElement.clientHeight;
    return height > 500 ? Math.min(height * 0.4, 250) : 40;
  }

  fitAll(): void {
    const a = this.view.analysis;
    if (!a) return;
    this.mapView.fit(
      unionBBox(
        a.communities.bbox,
        Array.from({ length: a.communities.count }, (_, i) => i),
      ),
      true,
      this.legendClearance(),
    );
  }

  // ---------------------------------------------------------------- view

  /**
   * Starts timing a view change: the main-thread time until `finish` and that of the first map frame
   * after it (read by the browser tests as `lastRecolour`). The frame callback is registered before
   * any map change, so it runs just before MapLibre's in the next frame, and the frame is measured
   * from there to MapLibre's 'render' event.
   */
  private beginTiming(): { finish(writes: number, communities: number): void } {
    let frameStart = 0;
    requestAnimationFrame(() => {
      frameStart = performance.now();
    });
    const t0 = performance.now();
    return {
      finish: (writes, communities) => {
        const timing: RecolourTiming = { syncMs: performance.now() - t0, frameMs: null, writes, communities };
        this.lastRecolour = timing;
        const map = this.mapView.map;
        const onRender = () => {
          if (frameStart === 0) return; // a frame that was already under way before this change
          timing.frameMs = performance.now() - frameStart;
          map.off('render', onRender);
        };
        map.on('render', onRender);
      },
    };
  }

  private walkingInUse(): boolean {
    return this.view.analysis?.distance.kind === 'network';
  }

  /**
   * Applies mode, type and layer toggles to the map: layer opacities, then one feature-state write
   * per community whose colour changes. Returns the number of writes.
   */
  private applyView(): number {
    const a = this.view.analysis;
    if (!a) return 0;
    const t = typeIndex(this.view);
    if (this.view.mode === 'type') {
      this.mapView.showTypes(new Set(t >= 0 ? [t] : []), t);
    } else if (this.view.mode === 'profile') {
      this.mapView.showTypes(new Set(profileTypes(this.view)), -1);
    } else {
      const shown =
        this.view.mode === 'gaps-required' ? this.view.gaps.requiredTypes : a.types.map((_, i) => i);
      this.mapView.showTypes(new Set(shown), -1);
    }
    this.mapView.setCatchmentKind(this.walkingInUse() ? 'walking' : 'radius');
    this.mapView.setLayerToggles(this.view.facilitiesOn, this.view.catchments);
    if (this.walkingInUse() && this.view.catchments && this.view.mode === 'type' && this.view.typeId)
      this.showWalking(this.view.typeId);
    // A siting result shows with its own type only: its sites and the gaps they close.
    const r = this.view.siteResult;
    const siteShown = r !== null && this.view.mode === 'type' && this.view.typeId === r.typeId;
    this.mapView.setSites(siteShown && r.model !== 'evaluate' ? r.sites : []);
    this.mapView.highlight(siteShown ? this.view.closedGaps : []);
    const shapes = siteShown && r.catchments !== null;
    if (shapes !== this.siteShapesShown) {
      this.siteShapesShown = shapes;
      this.mapView.setSiteCatchments(
        shapes ? unpackPolygons(r!.catchments!) : null,
        r?.model === 'evaluate' ? 'proposal' : 'site',
      );
    }
    const writes = this.mapView.recolour(communityColours(this.view, (v) => this.i18n.pct0(v)));
    this.renderLegend();
    return writes;
  }

  /** Shows the walking catchments of a type, asking the worker for them the first time. */
  private showWalking(typeId: string): void {
    const shapes = this.view.walking.get(typeId);
    if (shapes) {
      if (this.walkingShown !== typeId) {
        this.walkingShown = typeId;
        this.mapView.setWalkingCatchments(shapes);
      }
      return;
    }
    if (this.walkingPending.has(typeId)) return;
    this.walkingPending.add(typeId);
    const analysis = this.view.analysis;
    void this.worker
      .catchments(typeId)
      .then((payload) => {
        if (this.view.analysis !== analysis) return;
        this.view = walkingLoaded(this.view, typeId, unpackPolygons(payload.shapes));
        if (this.view.mode === 'type' && this.view.typeId === typeId && this.view.catchments)
          this.showWalking(typeId);
        this.renderLegend();
      })
      .catch((error) => this.showError(error))
      .finally(() => this.walkingPending.delete(typeId));
  }

  /** Changes what the communities are coloured by; timed, panel updates included. */
  setMode(mode: ColourMode, typeId?: string): void {
    const timing = this.beginTiming();
    this.view = modeChosen(this.view, mode, typeId);
    const writes = this.applyView();
    this.renderControls();
    this.renderWorst();
    this.renderCard();
    timing.finish(writes, this.view.analysis?.communities.count ?? 0);
  }

  /** Shows one item of the profile (or completeness: null); timed like a mode change. */
  setProfileItem(item: string | null): void {
    this.view = profileItemChosen(this.view, item);
    this.setMode('profile');
  }

  /** Chooses the standard profile: its verdicts, indicators and the county rates come from core. */
  setProfile(profile: string): void {
    if (profile === this.view.profileId && this.view.compliance) return;
    this.view = profileChosen(this.view, profile);
    this.applyView();
    this.renderAll();
    void this.runCheck();
  }

  /** Switches between straight-line and walking distance (a new analysis). */
  setDistance(distance: DistanceMode): void {
    if ((this.view.options.distance ?? 'great-circle') === distance) return;
    void this.runAnalysis({ ...this.view.options, distance });
  }

  setLocale(locale: Locale): void {
    this.i18n.setLocale(locale);
    document.documentElement.lang = locale;
    try {
      localStorage.setItem('lifecircle.locale', locale);
    } catch {
      // Storage may be off (private windows); the choice then lasts for this page only.
    }
    if (this.inputs.districts) this.mapView.setCountyLabels(countyLabels(this.inputs.districts, locale));
    this.applyView();
    this.renderAll();
  }

  // ---------------------------------------------------------------- interaction

  private onHover(c: number | null, point: { x: number; y: number } | null): void {
    const a = this.view.analysis;
    if (c === null || !point || !a) {
      this.tip.hidden = true;
      return;
    }
    const gaps = this.view.mode === 'gaps-all' ? this.view.gaps.all[c]! : this.view.gaps.required[c]!;
    let line2 = gaps === 0 ? this.t('noGaps') : this.t('gapsCount', { n: gaps });
    if (this.view.mode === 'type') {
      const t = typeIndex(this.view);
      const after = afterShares(this.view);
      const v = after ? after[c]! : a.communities.share[c * a.types.length + t]!;
      line2 = `${this.t('covered')} ${this.i18n.pct(v)}`;
    } else if (this.view.mode === 'profile' && this.view.compliance) {
      line2 = verdictLine(this.view, this.i18n, c);
    }
    replace(
      this.tip,
      h('strong', {}, a.communities.names[c] ?? a.communities.ids[c] ?? ''),
      h('div', {}, `${this.t('population')} ${this.i18n.int(a.communities.population[c]!)} · ${line2}`),
    );
    this.tip.style.left = `${point.x + 14}px`;
    this.tip.style.top = `${point.y + 14}px`;
    this.tip.hidden = false;
  }

  private onMapClick(c: number | null, lngLat: { lon: number; lat: number }): void {
    if (this.view.proposeMode) {
      this.view = proposalAdded(this.view, [lngLat.lon, lngLat.lat]);
      void this.evaluateProposals();
      return;
    }
    this.selectCommunity(c);
  }

  selectCommunity(c: number | null, fly = false): void {
    this.view = communitySelected(this.view, c);
    this.mapView.select(c);
    if (c !== null && fly && this.view.analysis) {
      const b = this.view.analysis.communities.bbox;
      this.mapView.flyTo([
        [b[c * 4]!, b[c * 4 + 1]!],
        [b[c * 4 + 2]!, b[c * 4 + 3]!],
      ]);
    }
    this.renderCard();
    if (c !== null && this.view.compliance) void this.loadCardItems(c);
  }

  /** Asks the worker for a community's compliance items (with core's reasons) for its card. */
  private async loadCardItems(c: number): Promise<void> {
    const comp = this.view.compliance;
    if (!comp) return;
    try {
      const items = await this.worker.items(c);
      if (this.view.selected !== c || this.view.compliance !== comp) return;
      this.view = cardItemsLoaded(this.view, items);
      this.renderCard();
    } catch (error) {
      this.showError(error);
    }
  }

  // ---------------------------------------------------------------- siting

  /** Figures of the user's proposed facilities (no model needed: core measures them). */
  async evaluateProposals(): Promise<void> {
    this.mapView.setProposals(this.view.proposals.map(([lon, lat]) => ({ lon, lat })));
    if (!this.view.analysis || !this.view.sitingTypeId) return;
    if (this.view.proposals.length === 0) {
      this.view = siteResultCleared(this.view);
      this.applyView();
      this.renderSiting();
      this.renderExports();
      return;
    }
    try {
      const result = await this.worker.site({
        model: 'evaluate',
        typeId: this.view.sitingTypeId,
        proposed: Float64Array.from(this.view.proposals.flat()),
      });
      this.acceptSiteResult(result, null);
    } catch (error) {
      this.showError(error);
    }
  }

  async runSiting(): Promise<void> {
    const a = this.view.analysis;
    if (!a || !this.view.sitingTypeId) return;
    const candidates: CandidateSpec =
      this.view.siting.candidates.kind === 'loaded' && !this.inputs.candidatesFile
        ? { kind: 'generated', spacingM: 0 }
        : this.view.siting.candidates;
    const request: ModelRequest = { ...this.view.siting, typeId: this.view.sitingTypeId, candidates };
    this.setBusy({ message: this.t('siting') });
    const generation = this.generation;
    try {
      const result = await this.worker.site(request, (p) => this.setBusy(this.progressOf(p)));
      if (generation !== this.generation) return;
      this.view = proposalsReplaced(this.view, []);
      this.mapView.setProposals([]);
      this.acceptSiteResult(result, request);
      if (result.sites.length > 0) {
        const lons = result.sites.map((s) => s.lon);
        const lats = result.sites.map((s) => s.lat);
        this.mapView.flyTo([
          [Math.min(...lons) - 0.004, Math.min(...lats) - 0.003],
          [Math.max(...lons) + 0.004, Math.max(...lats) + 0.003],
        ]);
      }
    } catch (error) {
      this.showError(error);
    } finally {
      this.setBusy(null);
    }
  }

  /** Turns a siting run's sites into proposals the user can drag (their figures update). */
  sitesToProposals(): void {
    const r = this.view.siteResult;
    if (!r || r.model === 'evaluate') return;
    this.view = sitingTypeChosen(
      proposalsReplaced(
        this.view,
        r.sites.map((s) => [s.lon, s.lat]),
      ),
      r.typeId,
    );
    void this.evaluateProposals();
  }

  /** Shows a siting run's or the proposals' figures (`request`: the siting run, null for proposals). */
  private acceptSiteResult(result: SitePayload, request: ModelRequest | null): void {
    if (!this.view.analysis) return;
    this.view = siteResultArrived(this.view, result, request);
    this.siteShapesShown = false;
    this.mapView.setSiteCatchments(null, 'site');
    this.applyView();
    this.renderControls();
    this.renderSiting();
    this.renderExports();
  }

  /**
   * Cancels what runs: the worker is replaced (see WorkerClient.cancel), and the page's operation
   * that was waiting stops at its next step (the generation check), keeping what the page shows.
   */
  async cancel(): Promise<void> {
    if (!this.view.busy) return;
    this.generation++;
    this.view = workCancelled(this.view, this.t('cancelled'));
    this.setBusy(null);
    this.applyView();
    this.renderPanel();
    this.renderIndicators();
    // Requests made meanwhile wait for the replacement worker inside the client.
    await this.worker.cancel();
  }

  // ---------------------------------------------------------------- export

  async exportResults(format: ExportFormat): Promise<void> {
    try {
      const { text } = await this.worker.export(format);
      const file = EXPORT_FILES[format];
      download(file.name, text, file.type);
    } catch (error) {
      this.showError(error);
    }
  }

  exportSites(): void {
    const r = this.view.siteResult;
    if (r) download('sites.geojson', sitesGeojsonText(r), 'application/geo+json');
  }

  scenario(): unknown {
    const center = this.mapView.map.getCenter();
    return scenarioOf(this.view, {
      bundled: this.inputs.bundled,
      embedded: this.inputs.embedded,
      map: {
        locale: this.i18n.locale,
        center: [center.lng, center.lat],
        zoom: this.mapView.map.getZoom(),
        basemap: this.basemap.token(),
      },
    });
  }

  exportScenario(): void {
    download('scenario.lifecircle.json', JSON.stringify(this.scenario(), null, 1), 'application/json');
  }

  async exportPng(): Promise<void> {
    const canvas = await this.mapView.snapshot();
    const ratio = canvas.width / this.mapElement.clientWidth;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(ratio, ratio);
    drawMarkers(ctx, this.mapView.markerLabels());
    drawLegend(
      ctx,
      legendModel(this.view, this.i18n, this.legendExtras()),
      this.t('title'),
      this.inputs.bundled ? this.t('syntheticNote') : '',
    );
    canvas.toBlob((blob) => {
      if (blob) download('lifecircle-map.png', blob);
    }, 'image/png');
  }

  // ---------------------------------------------------------------- scenario

  async openScenario(name: string, value: unknown): Promise<void> {
    let scenario: Scenario;
    try {
      scenario = parseScenario(value);
    } catch (error) {
      throw error instanceof ScenarioError ? new JsonFileError(name, `${name}: ${error.message}`) : error;
    }
    this.setBusy({ message: this.t('analysing') });
    if (scenario.view.locale !== this.i18n.locale) this.setLocale(scenario.view.locale);
    this.view = layersToggled(this.view, {
      catchments: scenario.view.catchments,
      facilitiesOn: scenario.view.facilities,
      showAfter: scenario.view.showAfter,
    });
    this.view = sitingTypeChosen(
      this.view,
      scenario.proposals.typeId ?? scenario.siting?.typeId ?? this.view.typeId,
    );
    const proposals = scenario.proposals.points.map(([lon, lat]): [number, number] => [lon, lat]);
    this.view = proposalsReplaced(this.view, []);
    void this.basemap.restore(scenario.view.basemap);
    const wanted = scenario.options;
    const userRoads = scenario.inputs.roads;
    if (scenario.bundled) {
      // The bundled city walks its own roads; a road network the user had loaded replaces them below.
      await this.openBundled(
        userRoads ? { ...wanted, distance: 'great-circle' } : wanted,
        scenario.view.profile ?? 'pingliang-2025',
      );
    } else {
      if (scenario.view.profile) this.view = profileChosen(this.view, scenario.view.profile);
      const files: InputFile[] = [];
      const embedded = new Map<InputRole, EmbeddedFile>();
      const reads = new Map<InputRole, ReadFile>();
      for (const role of ['communities', 'facilities', 'demand'] as const) {
        const f = scenario.inputs[role];
        if (f) {
          const read = readEmbedded(f);
          files.push({ role, name: f.name, bytes: read.bytes });
          embedded.set(role, f);
          reads.set(role, read);
        }
      }
      this.inputs = scenarioInputsOpened(this.inputs, embedded, reads);
      for (const role of ['districts', 'roads', 'water', 'railway'] as const) {
        await this.setContext(role, { type: 'FeatureCollection', features: [] });
      }
      const districts = scenario.inputs.districts;
      if (districts && isFeatureCollection(districts.data)) {
        await this.setContext('districts', districts.data);
        this.inputs = fileListed(
          districtsEmbedded(this.inputs, districts),
          'districts',
          districts.name,
          districts.data.features.length,
        );
      }
      await this.worker.unload('roads');
      await this.worker.unload('candidates');
      const loaded = await this.worker.load(files);
      for (const f of loaded.files) this.inputs = fileListed(this.inputs, f.role, f.name, f.features);
    }
    // A road network and candidates the user had loaded travel in the scenario.
    const extra: InputFile[] = [];
    for (const role of ['roads', 'candidates'] as const) {
      const f = scenario.inputs[role];
      if (f) {
        const read = readEmbedded(f);
        extra.push({ role, name: f.name, bytes: read.bytes });
        this.inputs = scenarioInputAdded(this.inputs, role, f, read);
        if (role === 'roads' && isFeatureCollection(read.value)) await this.setContext('roads', read.value);
      }
    }
    if (extra.length > 0) {
      const loaded = await this.worker.load(extra);
      this.inputs = networkLoaded(this.inputs, loaded.network);
      for (const f of loaded.files) {
        if (f.role === 'roads') this.inputs = fileListed(this.inputs, f.role, f.name, f.features);
        if (f.role === 'candidates') this.inputs = candidatesFileListed(this.inputs, f);
      }
    }
    if (!scenario.bundled || userRoads) await this.runAnalysis(wanted);
    this.inputs = fileListed(this.inputs, 'scenario', name, 0);
    if (scenario.view.center && scenario.view.zoom !== null) {
      this.mapView.map.jumpTo({ center: [...scenario.view.center], zoom: scenario.view.zoom });
    }
    this.view = proposalsReplaced(this.view, proposals);
    if (scenario.siting) {
      const { typeId, ...siting } = scenario.siting;
      this.view = sitingSettingsChanged(sitingTypeChosen(this.view, typeId), siting);
      await this.runSiting();
    } else if (this.view.proposals.length > 0) {
      await this.evaluateProposals();
    }
    this.view = scenarioViewRestored(this.view, scenario.view, this.t('scenarioLoaded', { name }));
    this.applyView();
    this.setBusy(null);
    this.renderAll();
  }

  // ---------------------------------------------------------------- messages

  private showError(error: unknown): void {
    if (error instanceof RequestError && error.payload.kind === 'cancelled') return;
    const payload: Notice =
      error instanceof RequestError
        ? {
            kind: 'error',
            title: this.t('errorTitle'),
            message: error.payload.message,
            ...(error.payload.rejected && error.payload.rejected.length > 0
              ? { rejected: error.payload.rejected }
              : {}),
          }
        : {
            kind: 'error',
            title: this.t('errorTitle'),
            message: error instanceof Error ? error.message : String(error),
          };
    // A user's mistake (a file that cannot be read) is shown, not logged as a bug.
    if (
      !(error instanceof RequestError) &&
      !(error instanceof JsonFileError) &&
      !(error instanceof InputError) &&
      !(error instanceof OptionError)
    )
      console.error(error);
    this.setNotice(payload);
  }

  private setNotice(notice: Notice | null): void {
    this.view = noticeShown(this.view, notice);
    this.renderNotice();
  }

  private setBusy(busy: { message: string; done?: number; total?: number } | null): void {
    this.view = busy ? workStarted(this.view, busy) : workEnded(this.view);
    document.body.dataset.busy = busy ? 'true' : 'false';
    this.renderStatus();
  }

  // ---------------------------------------------------------------- rendering

  renderAll(): void {
    replace(this.dropOverlay, h('div', { class: 'drop-text' }, this.t('dropHere')));
    this.renderHeader();
    this.renderPanel();
    this.renderLegend();
    this.renderCard();
    this.renderStatus();
    this.renderNotice();
    this.basemap.render();
  }

  private t(key: TextKey, values?: Record<string, string | number>): string {
    return this.i18n.t(key, values);
  }

  private renderHeader(): void {
    renderHeader(this.header, this.i18n, {
      pickFiles: () => this.fileInput.click(),
      openBundled: () => void this.openBundled(),
      fitAll: () => this.fitAll(),
      setLocale: (locale) => this.setLocale(locale),
    });
  }

  private readonly sections = {
    controls: h('section', { class: 'section controls', 'data-testid': 'controls' }),
    indicators: h('section', { class: 'section', 'data-testid': 'indicators' }),
    worst: h('section', { class: 'section', 'data-testid': 'worst' }),
    siting: h('section', { class: 'section', 'data-testid': 'siting-panel' }),
    files: h('section', { class: 'section', 'data-testid': 'files' }),
    exports: h('section', { class: 'section', 'data-testid': 'export' }),
  };

  private renderPanel(): void {
    if (this.panel.childElementCount === 0) this.panel.append(...Object.values(this.sections));
    this.renderControls();
    this.renderIndicators();
    this.renderWorst();
    this.renderSiting();
    this.renderFiles();
    this.renderExports();
  }

  private renderControls(): void {
    renderControls(
      this.sections.controls,
      this.view,
      this.i18n,
      { network: this.inputs.network, basemap: this.basemapPanel },
      {
        setMode: (mode, typeId) => this.setMode(mode, typeId),
        setProfile: (profile) => this.setProfile(profile),
        setProfileItem: (item) => this.setProfileItem(item),
        setDistance: (distance) => this.setDistance(distance),
        toggleLayers: (layers) => {
          this.view = layersToggled(this.view, layers);
          this.applyView();
        },
        reanalyse: (options) => void this.runAnalysis(options),
      },
    );
  }

  private renderIndicators(): void {
    renderIndicators(this.sections.indicators, this.view, this.i18n, {
      runCheck: () => void this.runCheck(),
    });
  }

  private renderWorst(): void {
    renderWorst(this.sections.worst, this.view, this.i18n, { select: (c) => this.selectCommunity(c, true) });
  }

  private renderSiting(): void {
    renderSiting(
      this.sections.siting,
      this.view,
      this.i18n,
      {
        candidatesFile: this.inputs.candidatesFile,
        areaFiles: this.sitingAreas,
        proposeMode: this.view.proposeMode,
        proposals: this.view.proposals.length,
      },
      {
        changeSettings: (patch, rerender) => {
          this.view = sitingSettingsChanged(this.view, patch);
          if (rerender) this.renderSiting();
        },
        chooseType: (typeId) => {
          this.view = sitingTypeChosen(this.view, typeId);
          if (this.view.proposals.length > 0) void this.evaluateProposals();
        },
        loadCandidates: () => this.candidateInput.click(),
        loadSitingArea: (role) => {
          this.sitingAreaPicked = role;
          this.sitingAreaInput.click();
        },
        runSiting: () => void this.runSiting(),
        toggleProposeMode: () => {
          this.view = proposeModeToggled(this.view);
          this.mapView.setProposeMode(this.view.proposeMode);
          this.renderSiting();
        },
        clearProposals: () => {
          this.view = proposalsReplaced(this.view, []);
          void this.evaluateProposals();
        },
        setShowAfter: (after) => {
          this.view = layersToggled(this.view, { showAfter: after });
          this.applyView();
        },
        sitesToProposals: () => this.sitesToProposals(),
      },
    );
  }

  private renderFiles(): void {
    renderFiles(
      this.sections.files,
      this.view,
      this.i18n,
      {
        loaded: this.inputs.files,
        reads: this.inputs.reads,
        unconverted: this.inputs.unconverted,
        contextReads: this.inputs.contextReads,
        bundled: this.inputs.bundled,
      },
      { declareCrs: (role, text) => void this.declareCrs(role, text) },
    );
  }

  private renderExports(): void {
    renderExports(this.sections.exports, this.view, this.i18n, {
      exportResults: (format) => void this.exportResults(format),
      exportPng: () => void this.exportPng(),
      exportScenario: () => this.exportScenario(),
      exportSites: () => this.exportSites(),
    });
  }

  /** What the legend needs beyond the view state: marks the page draws itself. */
  private legendExtras(): LegendExtras {
    return {
      proposals: this.view.proposals.length,
      counties: (this.inputs.districts?.features.length ?? 0) > 0,
    };
  }

  private renderLegend(): void {
    renderLegend(this.legend, this.view, this.i18n, this.legendExtras());
  }

  private renderCard(): void {
    renderCard(this.card, this.view, this.i18n, { close: () => this.selectCommunity(null) });
  }

  private renderStatus(): void {
    renderStatus(this.status, this.view, this.i18n, { cancel: () => void this.cancel() });
  }

  private renderNotice(): void {
    renderNotice(this.noticeBox, this.view, this.i18n, { close: () => this.setNotice(null) });
  }
}

function safeStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
