// The viewer's page: the wiring between events (the panels' controls, the map, file pickers and drops),
// the view state's transitions and the redraw. What each operation does lives in a module of its own:
// loading files (worker-loading.ts), opening a scenario (scenario-open.ts), the analysis and its
// profile check (analysis-run.ts), siting (siting-run.ts), the map following the state (map-sync.ts)
// and the panels drawn from the state (render.ts). No figure is computed here or there: coverage,
// standard profiles, walking distance, catchments and siting come from core through the worker.

import { InputError, OptionError } from '@lifecircle/core';
import type { FeatureCollection } from 'geojson';
import { addProtocol } from 'maplibre-gl';
import { Protocol as PmtilesProtocol } from 'pmtiles';
import { setupKeyboard } from './a11y/keyboard.js';
import { loadCardItems, runAnalysis, runCheck } from './analysis-run.js';
import { BasemapController, isPmtilesFile } from './basemap/controller.js';
import * as drawing from './drawing-run.js';
import { EXPORT_FILES, scenarioOf, sitesGeojsonText } from './exports.js';
import { type ContextRole, type FileRole, RASTER_NAME, type SitingAreaRole } from './files.js';
import { JsonFileError } from './json.js';
import { initialInputs, type LoadedInputs } from './loading.js';
import { MapView } from './map/map-view.js';
import { countyLabels } from './map/places.js';
import { applyView, beginTiming, fitAll, type RecolourTiming } from './map-sync.js';
import { chooseNextOsmClip, chooseOsmClip } from './osm-clip-run.js';
import type { MapShown, Page, PanelName, SitingAreaFile } from './page.js';
import { legendModel, renderLegend } from './panels/legend.js';
import { Meeting } from './print/meeting.js';
import type { ProfileFile } from './profile-file.js';
import { loadProfileFile } from './profile-load.js';
import { heldRasters, rasterCrsDeclared, rasterRoleChosen, removeRaster } from './raster-run.js';
import {
  ALL_PANELS,
  legendExtras,
  mountPage,
  type PageActions,
  type PageElements,
  renderHoverTip,
  renderPage,
} from './render.js';
import type { ColourMode } from './scenario.js';
import { openScenario } from './scenario-open.js';
import { openSharedLink, type PendingLink, resumeSharedLink } from './shared-link.js';
import { evaluateProposals, runSiting, sitesToProposals } from './siting-run.js';
import { isTypeMapFile, loadTypeMapFile, mapCategory, removeTypeMap, typeMapCsv } from './type-map.js';
import { download, h } from './ui/dom.js';
import { I18n, initialLocale, type Locale, type TextKey } from './ui/i18n.js';
import { drawLegend, drawMarkers } from './ui/png.js';
import {
  type Busy,
  communitySelected,
  DEFAULT_OPTIONS,
  initialViewState,
  layersToggled,
  modeChosen,
  type Notice,
  noticeShown,
  paletteChosen,
  profileChosen,
  profileItemChosen,
  proposalAdded,
  proposalMoved,
  proposalsReplaced,
  proposeModeToggled,
  sitingSettingsChanged,
  sitingTypeChosen,
  type ViewState,
  workCancelled,
  workEnded,
  workStarted,
} from './view/state.js';
import { loadWalkerFile } from './walker-file.js';
import { loadDem, removeDem } from './walking-run.js';
import { RequestError, WorkerClient } from './worker/client.js';
import type { AnalysisPayload, AnalyzeOptions, DistanceMode, ExportFormat } from './worker/protocol.js';
import { offPageReading } from './worker/reader-client.js';
import { chooseReading, handleFiles, openBundled, setContext } from './worker-loading.js';

export type { RecolourTiming } from './map-sync.js';

export class App implements Page {
  readonly i18n: I18n;
  readonly mapView: MapView;
  readonly worker: WorkerClient;
  // A dropped GeoJSON file is parsed and converted in a worker of its own: a big city's files would
  // otherwise block the page for seconds.
  readonly readDropped = offPageReading(
    () =>
      new Worker(new URL('./worker/reader.worker.ts', import.meta.url), {
        type: 'module',
        name: 'lifecircle-reader',
      }),
  );
  readonly basemap: BasemapController;
  /** Print and share (print/meeting.ts), in a section of its own under the side panel's. */
  readonly meeting: Meeting;

  view: ViewState = initialViewState();
  inputs: LoadedInputs = initialInputs();
  readonly sitingAreas = new Map<SitingAreaRole, SitingAreaFile>();
  readonly profileFiles = new Map<string, ProfileFile>();
  readonly mapShown: MapShown = {
    fitted: false,
    walkingPending: new Set(),
    walkingShown: null,
    siteShapesShown: false,
    geometryShown: null,
  };
  readonly drawing: drawing.AreaDrawing = { draft: null, editing: null };
  pendingLink: PendingLink | null = null;
  generation = 0;
  checks = 0;
  /** Timing of the last mode change (read by the browser tests). */
  lastRecolour: RecolourTiming | null = null;
  /** Which siting area the area file picker loads. */
  private sitingAreaPicked: SitingAreaRole = 'excluded';
  private readonly el: PageElements;
  private readonly actions: PageActions;

  /** The analysis the page shows (read by the browser tests). */
  get analysis(): AnalysisPayload | null {
    return this.view.analysis;
  }

  /** The current view state (read by the browser tests). */
  get state(): ViewState {
    return this.view;
  }

  get mapHeight(): number {
    return this.el.mapElement.clientHeight;
  }

  constructor(root: HTMLElement) {
    this.i18n = new I18n(initialLocale(location.search, safeStorage('lifecircle.locale')));
    const pmtiles = new PmtilesProtocol();
    addProtocol('pmtiles', pmtiles.tile);
    this.el = mountPage(root);
    this.mapView = new MapView(this.el.mapElement, {
      hover: (c, point) => renderHoverTip(this.el.tip, this.view, this.i18n, c, point),
      click: (c, lngLat) => this.onMapClick(c, lngLat),
      proposalMoved: (i, lon, lat) => {
        this.view = proposalMoved(this.view, i, [lon, lat]);
        void this.evaluateProposals();
      },
      cornerMoved: (area, corner, lon, lat) => drawing.moveCorner(this, area, corner, [lon, lat]),
    });
    this.basemap = new BasemapController(this.mapView, pmtiles, this.i18n, this.el.basemapPanel);
    this.worker = new WorkerClient(
      () =>
        new Worker(new URL('./worker/analysis.worker.ts', import.meta.url), {
          type: 'module',
          name: 'lifecircle-analysis',
        }),
    );
    this.actions = this.panelActions();
    const onPicked = (input: HTMLInputElement, role: () => FileRole | undefined) =>
      input.addEventListener('change', () => {
        const files = [...(input.files ?? [])];
        input.value = '';
        void this.handleFiles(files, role());
      });
    onPicked(this.el.fileInput, () => undefined);
    onPicked(this.el.candidateInput, () => 'candidates');
    onPicked(this.el.sitingAreaInput, () => this.sitingAreaPicked);
    this.setupDrop(this.el.mapWrap);
    const meetingSection = h('section', { class: 'section', 'data-testid': 'meeting' });
    this.el.panel.append(meetingSection);
    this.meeting = new Meeting(meetingSection, {
      i18n: this.i18n,
      mapView: this.mapView,
      mapElement: this.el.mapElement,
      state: () => this.view,
      renderLegend: (el) => renderLegend(el, this.view, this.i18n, legendExtras(this.view, this.inputs)),
      scenario: () => this.scenario(),
      note: () => (this.inputs.bundled ? this.t('syntheticNote') : ''),
    });
    const { status, noticeBox: notice, mapElement: map, panel } = this.el;
    setupKeyboard(this, { status, notice, map, panel });
    document.documentElement.lang = this.i18n.locale;
    this.render();
  }

  /** Opens the scenario of a shared link, or holds it until its files are dropped (shared-link.ts). */
  openSharedLink(hash: string): Promise<void> {
    return openSharedLink(this, hash);
  }

  /** Closes the topmost open box (the message, else the community card): Escape. */
  closeTopmost(): boolean {
    if (this.view.notice) this.setNotice(null);
    else if (this.view.selected !== null) this.selectCommunity(null);
    else return false;
    return true;
  }

  /** What each panel's controls do: a transition, then what it changes on the map and in the panels. */
  private panelActions(): PageActions {
    return {
      header: {
        pickFiles: () => this.el.fileInput.click(),
        openBundled: () => void this.openBundled(),
        fitAll: () => fitAll(this),
        setLocale: (locale) => this.setLocale(locale),
      },
      controls: {
        setMode: (mode, typeId) => this.setMode(mode, typeId),
        setPalette: (palette) => {
          this.view = paletteChosen(this.view, palette);
          this.applyView();
          this.render('controls');
        },
        setProfile: (profile) => this.setProfile(profile),
        loadProfileFile: (file) => void loadProfileFile(this, file),
        setProfileItem: (item) => this.setProfileItem(item),
        setDistance: (distance) => this.setDistance(distance),
        toggleLayers: (layers) => {
          this.view = layersToggled(this.view, layers);
          this.applyView();
        },
        reanalyse: (options) => void this.runAnalysis(options),
      },
      indicators: { runCheck: () => void this.runCheck() },
      network: { reanalyse: (options) => void this.runAnalysis(options) },
      walking: {
        reanalyse: (options) => void this.runAnalysis(options),
        loadDem: (file) => void loadDem(this, file),
        removeDem: () => void removeDem(this),
        loadWalkerFile: (file) => void loadWalkerFile(this, file),
      },
      worst: { select: (c) => this.selectCommunity(c, true) },
      siting: {
        changeSettings: (patch, rerender) => {
          this.view = sitingSettingsChanged(this.view, patch);
          if (rerender) this.render('siting');
        },
        changeConstraints: (patch, rerender) => {
          const constraints = { ...this.view.siting.constraints, ...patch };
          this.view = sitingSettingsChanged(this.view, { constraints });
          if (rerender) this.render('siting');
        },
        chooseType: (typeId) => {
          this.view = sitingTypeChosen(this.view, typeId);
          if (this.view.proposals.length > 0) void this.evaluateProposals();
        },
        loadCandidates: () => this.el.candidateInput.click(),
        loadSitingArea: (role) => {
          this.sitingAreaPicked = role;
          this.el.sitingAreaInput.click();
        },
        runSiting: () => void this.runSiting(),
        toggleProposeMode: () => {
          this.view = proposeModeToggled(this.view);
          this.mapView.setProposeMode(this.view.proposeMode);
          this.showDrawing();
        },
        startArea: () => drawing.startArea(this),
        addCornerAtCentre: () => drawing.addCorner(this),
        finishArea: () => drawing.finishArea(this),
        cancelArea: () => drawing.cancelArea(this),
        editArea: (index) => drawing.editArea(this, index),
        removeArea: (index) => drawing.removeArea(this, index),
        proposeAtCentre: () => drawing.proposeAtCentre(this),
        moveProposalToCentre: (index) => drawing.moveProposalToCentre(this, index),
        removeProposal: (index) => drawing.removeProposal(this, index),
        clearProposals: () => {
          this.view = proposalsReplaced(this.view, []);
          void this.evaluateProposals();
        },
        setShowAfter: (after) => {
          this.view = layersToggled(this.view, { showAfter: after });
          this.applyView();
        },
        sitesToProposals: () => sitesToProposals(this),
      },
      files: {
        declareCrs: (role, text) => void chooseReading(this, role, { declaredCrs: text }),
        chooseReading: (role, choices) => void chooseReading(this, role, choices),
        chooseRasterRole: (from, to) => void rasterRoleChosen(this, from, to),
        removeRaster: (role) => void removeRaster(this, role),
        declareRasterCrs: (role, text) => void rasterCrsDeclared(this, role, text),
        chooseOsmClip: (role, choice, box) => void chooseOsmClip(this, role, choice, box),
        chooseNextOsmClip: (choice, box) => {
          const view = this.mapView.map.getBounds().toArray().flat() as [number, number, number, number];
          chooseNextOsmClip(this, choice, box, view);
        },
        loadTypeMap: (file) =>
          void file.arrayBuffer().then((bytes) => loadTypeMapFile(this, file.name, bytes)),
        mapCategory: (category, typeId) => void mapCategory(this, category, typeId),
        downloadTypeMap: () => {
          const map = this.view.options.typeMap;
          if (map) download(map.name.replace(/\.[^.]*$/, '') + '.csv', typeMapCsv(map), 'text/csv');
        },
        removeTypeMap: () => void removeTypeMap(this),
      },
      exports: {
        exportResults: (format) => void this.exportResults(format),
        exportPng: () => void this.exportPng(),
        exportScenario: () => this.exportScenario(),
        exportSites: () => this.exportSites(),
      },
      card: { close: () => this.selectCommunity(null) },
      status: { cancel: () => void this.cancel() },
      notice: { close: () => this.setNotice(null) },
    };
  }

  private setupDrop(target: HTMLElement): void {
    let depth = 0;
    const overlay = this.el.dropOverlay;
    target.addEventListener('dragenter', (e) => {
      e.preventDefault();
      depth++;
      overlay.hidden = false;
    });
    target.addEventListener('dragover', (e) => e.preventDefault());
    target.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) overlay.hidden = true;
    });
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      depth = 0;
      overlay.hidden = true;
      void this.handleFiles([...(e.dataTransfer?.files ?? [])]);
    });
  }

  // ---------------------------------------------------------------- operations (modules of their own)

  /** Opens the bundled Pingliang city, judged against the Pingliang 2025 targets by default. */
  openBundled(options: AnalyzeOptions = DEFAULT_OPTIONS, profile = 'pingliang-2025'): Promise<void> {
    return openBundled(this, options, profile);
  }

  /**
   * Reads dropped or picked files, tells what each is, and loads them; a PMTiles archive among them
   * is a basemap, drawn under the data.
   */
  async handleFiles(files: readonly File[], forceRole?: FileRole): Promise<void> {
    for (const archive of files.filter((f) => isPmtilesFile(f.name))) await this.basemap.loadFile(archive);
    // A type map among them types the facilities once the rest are loaded (type-map.ts).
    const typeMaps: { name: string; bytes: ArrayBuffer }[] = [];
    const rest: File[] = [];
    for (const file of files.filter((f) => !isPmtilesFile(f.name))) {
      const bytes = forceRole || RASTER_NAME.test(file.name) ? null : await file.slice(0, 4096).arrayBuffer();
      if (bytes && isTypeMapFile(file.name, bytes))
        typeMaps.push({ name: file.name, bytes: await file.arrayBuffer() });
      else rest.push(file);
    }
    await handleFiles(this, rest, forceRole);
    for (const map of typeMaps) await loadTypeMapFile(this, map.name, map.bytes);
    await resumeSharedLink(this);
  }

  setContext(role: ContextRole, value: FeatureCollection): Promise<void> {
    return setContext(this, role, value);
  }

  openScenario(name: string, value: unknown): Promise<void> {
    return openScenario(this, name, value);
  }

  runAnalysis(options: AnalyzeOptions): Promise<boolean> {
    return runAnalysis(this, options);
  }

  runCheck(): Promise<void> {
    return runCheck(this);
  }

  runSiting(): Promise<void> {
    return runSiting(this);
  }

  evaluateProposals(): Promise<void> {
    return evaluateProposals(this);
  }

  applyView(): number {
    return applyView(this);
  }

  showDrawing(): void {
    drawing.showDrawing(this);
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
    this.render('controls', 'indicators', 'worst', 'siting', 'files', 'exports');
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
      notEmbedded: heldRasters(this.inputs),
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
    const ratio = canvas.width / this.el.mapElement.clientWidth;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(ratio, ratio);
    drawMarkers(ctx, this.mapView.markerLabels());
    drawLegend(
      ctx,
      legendModel(this.view, this.i18n, legendExtras(this.view, this.inputs)),
      this.t('title'),
      this.inputs.bundled ? this.t('syntheticNote') : '',
    );
    canvas.toBlob((blob) => {
      if (blob) download('lifecircle-map.png', blob);
    }, 'image/png');
  }

  // ---------------------------------------------------------------- view changes

  /** Changes what the communities are coloured by; timed, panel updates included. */
  setMode(mode: ColourMode, typeId?: string): void {
    const timing = beginTiming(this.mapView, (t) => {
      this.lastRecolour = t;
    });
    this.view = modeChosen(this.view, mode, typeId);
    const writes = this.applyView();
    this.render('controls', 'worst', 'card');
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
    this.render();
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
    this.render();
  }

  private onMapClick(c: number | null, lngLat: { lon: number; lat: number }): void {
    if (this.drawing.draft) {
      drawing.addCorner(this, [lngLat.lon, lngLat.lat]);
      return;
    }
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
    this.render('card');
    if (c !== null && this.view.compliance) void loadCardItems(this, c);
  }

  // ---------------------------------------------------------------- messages and redraw

  showError(error: unknown): void {
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

  setNotice(notice: Notice | null): void {
    this.view = noticeShown(this.view, notice);
    this.render('notice');
  }

  setBusy(busy: Busy | null): void {
    this.view = busy ? workStarted(this.view, busy) : workEnded(this.view);
    document.body.dataset.busy = busy ? 'true' : 'false';
    this.render('status');
  }

  t(key: TextKey, values?: Record<string, string | number>): string {
    return this.i18n.t(key, values);
  }

  /** Redraws the named panels from the view state, or every panel and the basemap chooser. */
  render(...panels: readonly PanelName[]): void {
    const all = panels.length === 0;
    const holdings = {
      inputs: this.inputs,
      sitingAreas: this.sitingAreas,
      profileFiles: this.profileFiles,
      drawing: this.drawing,
    };
    renderPage(this.el, this.view, this.i18n, holdings, this.actions, all ? ALL_PANELS : panels);
    if (all) this.basemap.render();
    // Before the constructor made it, the first render has no print and share section yet.
    this.meeting?.render();
  }

  /** Redraws every panel (kept for the browser tests and the console). */
  renderAll(): void {
    this.render();
  }
}

function safeStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
