// The viewer's page: view state (colour mode, type, layers, locale, proposals) and the wiring between
// the panel, the map and the analysis worker. No figure is computed here beyond choosing colours and
// summing per-community flags for the charts; everything else comes from core through the worker.
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { addProtocol } from 'maplibre-gl';
import { Protocol as PmtilesProtocol } from 'pmtiles';
import { candidatePoints, type FileRole, guessRole, isFeatureCollection, roleFromName } from './files.js';
import { BUNDLED_FILES, fetchBundled } from './fixture.js';
import { JsonFileError, parseJsonBytes } from './json.js';
import {
  type ColourClass,
  facilityColour,
  gapClass,
  gapClasses,
  NO_DATA,
  shareClass,
  shareClasses,
} from './map/colours.js';
import { MapView } from './map/map-view.js';
import {
  buildScenario,
  type ColourMode,
  type EmbeddedFile,
  parseScenario,
  type Scenario,
  ScenarioError,
  type ScenarioSiting,
} from './scenario.js';
import { targetFor } from './targets.js';
import { barChart, lineChart } from './ui/charts.js';
import { download, h, replace } from './ui/dom.js';
import { I18n, initialLocale, type Locale, type TextKey } from './ui/i18n.js';
import { RequestError, WorkerClient } from './worker/client.js';
import type {
  AnalysisPayload,
  AnalyzeOptions,
  CandidateSpec,
  ErrorPayload,
  InputFile,
  InputRole,
  SitePayload,
} from './worker/protocol.js';

type ContextRole = 'districts' | 'roads' | 'water' | 'railway';

interface Notice {
  readonly kind: 'error' | 'info';
  readonly title: string;
  readonly message: string;
  readonly rejected?: ErrorPayload['rejected'];
}

/** Timing of the last recolour, read by the browser tests. */
export interface RecolourTiming {
  /** Main-thread time of computing the colours and writing feature-state. */
  readonly syncMs: number;
  /** Main-thread time of the first map frame after it (null until drawn). */
  frameMs: number | null;
  readonly writes: number;
  readonly communities: number;
}

const DEFAULT_OPTIONS: AnalyzeOptions = { radii: {}, types: [], includePlanned: false, gapThreshold: 0.5 };

export class App {
  readonly i18n: I18n;
  readonly mapView: MapView;
  readonly worker: WorkerClient;

  // Data
  private analysis: AnalysisPayload | null = null;
  private gapsRequired = new Uint8Array(0);
  private gapsAll = new Uint8Array(0);
  private requiredTypes: number[] = [];
  private options: AnalyzeOptions = DEFAULT_OPTIONS;
  private bundled = true;
  private embedded = new Map<InputRole | 'districts', EmbeddedFile>();
  private loadedFiles: { role: FileRole; name: string; features: number }[] = [];
  private candidates: { name: string; coords: Float64Array; labels: string[] } | null = null;
  private fitted = false;

  // View state
  private mode: ColourMode = 'gaps-required';
  private typeId: string | null = null;
  private catchments = true;
  private facilitiesOn = true;
  private showAfter = true;
  private selected: number | null = null;
  private proposeMode = false;
  private proposals: [number, number][] = [];
  private sitingTypeId: string | null = null;
  private sitingK = 5;
  private sitingModel: 'mclp' | 'lscp' = 'mclp';
  private sitingShare = 0.6;
  private candidateKind: 'generated' | 'given' = 'generated';
  private siteResult: SitePayload | null = null;
  /** Communities whose gap the current proposal or siting run closes (outlined on the map). */
  private closedGaps: number[] = [];
  private lastSiting: ScenarioSiting | null = null;
  private basemap: string | null = null;
  private notice: Notice | null = null;
  private busy: { message: string; done?: number; total?: number } | null = null;
  private statusText = '';
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
    accept: '.geojson,.json,application/geo+json,application/json',
    'data-testid': 'file-input',
    hidden: true,
  });
  private readonly candidateInput = h('input', {
    type: 'file',
    accept: '.geojson,.json',
    'data-testid': 'candidate-input',
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
    );
    this.mapView = new MapView(this.mapElement, {
      hover: (c, p) => this.onHover(c, p),
      click: (c, lngLat) => this.onMapClick(c, lngLat),
      proposalMoved: (i, lon, lat) => {
        this.proposals[i] = [lon, lat];
        void this.evaluateProposals();
      },
    });
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
    this.setupDrop(mapWrap);
    document.documentElement.lang = this.i18n.locale;
    this.renderAll();
  }

  // ---------------------------------------------------------------- loading

  /** Opens the bundled Pingliang city. */
  async openBundled(): Promise<void> {
    this.setNotice(null);
    this.setBusy({ message: this.i18n.t('analysing') });
    try {
      const [communities, facilities, districts, roads, water, railway] = await Promise.all(
        (['communities', 'facilities', 'districts', 'roads', 'water', 'railway'] as const).map((k) =>
          fetchBundled(k),
        ),
      );
      this.loadedFiles = [];
      for (const [role, bytes] of [
        ['districts', districts],
        ['roads', roads],
        ['water', water],
        ['railway', railway],
      ] as const) {
        const value = parseJsonBytes(bytes!, BUNDLED_FILES[role].name);
        if (isFeatureCollection(value)) {
          await this.setContext(role, value);
          this.rememberFile(role, BUNDLED_FILES[role].name, value.features.length);
        }
      }
      this.bundled = true;
      this.embedded.clear();
      this.candidates = null;
      const files: InputFile[] = [
        { role: 'communities', name: BUNDLED_FILES.communities.name, bytes: communities! },
        { role: 'facilities', name: BUNDLED_FILES.facilities.name, bytes: facilities! },
      ];
      const loaded = await this.worker.load(files);
      for (const f of loaded.files) this.rememberFile(f.role, f.name, f.features);
      this.fitted = false;
      await this.runAnalysis(DEFAULT_OPTIONS);
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

  /** Reads dropped or picked files, tells what each is, and loads them. */
  async handleFiles(files: readonly File[], forceRole?: FileRole): Promise<void> {
    if (files.length === 0) return;
    this.notice = null;
    this.renderNotice();
    const analysisFiles: InputFile[] = [];
    const problems: string[] = [];
    const generation = this.generation;
    // Analysis inputs take effect only with a successful analysis (a cancel or an error keeps the
    // page as it was).
    const pendingEmbedded = new Map<InputRole, EmbeddedFile>();
    try {
      for (const file of files) {
        const bytes = await file.arrayBuffer();
        let value: unknown;
        try {
          value = parseJsonBytes(bytes, file.name);
        } catch (error) {
          // A file meant for the analysis still goes to the worker, whose message names the problem.
          const role = forceRole ?? roleFromName(file.name);
          if (role === 'communities' || role === 'facilities' || role === 'demand') {
            analysisFiles.push({ role, name: file.name, bytes });
            continue;
          }
          throw error;
        }
        const role = forceRole ?? guessRole(file.name, value);
        if (role === null) {
          problems.push(this.i18n.t('unknownFile', { name: file.name }));
          continue;
        }
        if (role === 'scenario') {
          await this.openScenario(file.name, value);
          return;
        }
        if (role === 'candidates') {
          if (!isFeatureCollection(value))
            throw new JsonFileError(file.name, `${file.name}: expected a FeatureCollection of points.`);
          const points = candidatePoints(value);
          this.candidates = { name: file.name, coords: points.coords, labels: points.labels };
          this.candidateKind = 'given';
          this.rememberFile('candidates', file.name, points.labels.length);
          continue;
        }
        if (role === 'communities' || role === 'facilities' || role === 'demand') {
          analysisFiles.push({ role, name: file.name, bytes });
          pendingEmbedded.set(role, { name: file.name, data: value });
          continue;
        }
        if (!isFeatureCollection(value))
          throw new JsonFileError(file.name, `${file.name}: expected a GeoJSON FeatureCollection.`);
        await this.setContext(role, value);
        if (role === 'districts') this.embedded.set('districts', { name: file.name, data: value });
        this.rememberFile(role, file.name, value.features.length);
        this.status.textContent = this.i18n.t(role === 'districts' ? 'districtsLoaded' : 'roadsLoaded', {
          name: file.name,
        });
      }
      if (analysisFiles.length > 0) {
        this.setBusy({ message: this.i18n.t('analysing') });
        if (generation !== this.generation) return;
        const loaded = await this.worker.load(analysisFiles);
        if (generation !== this.generation) return;
        const wasFitted = this.fitted;
        this.fitted = false;
        if (!(await this.runAnalysis(this.options)) || generation !== this.generation) {
          this.fitted = wasFitted;
          // The worker holds the files that failed: put back the ones the page shows.
          if (generation === this.generation) await this.worker.cancel();
          return;
        }
        for (const f of loaded.files) this.rememberFile(f.role, f.name, f.features);
        for (const [role, f] of pendingEmbedded) this.embedded.set(role, f);
        if (this.bundled) await this.leaveBundled(new Set(analysisFiles.map((f) => f.role)));
      }
      if (problems.length > 0)
        this.setNotice({ kind: 'error', title: this.i18n.t('errorTitle'), message: problems.join('\n') });
    } catch (error) {
      this.showError(error);
    } finally {
      this.setBusy(null);
      this.renderAll();
    }
  }

  /**
   * The user's data replaced part of the bundled city: new communities describe another place, so the
   * bundled context layers go (unless the user loaded their own), and bundled inputs that stay are
   * embedded in scenarios like user files.
   */
  private async leaveBundled(replaced: ReadonlySet<InputRole>): Promise<void> {
    this.bundled = false;
    if (replaced.has('communities')) {
      for (const role of ['districts', 'roads', 'water', 'railway'] as const) {
        if (!this.loadedFiles.some((f) => f.role === role && !isBundledName(f.name))) {
          await this.setContext(role, { type: 'FeatureCollection', features: [] });
          this.loadedFiles = this.loadedFiles.filter((f) => f.role !== role);
        }
      }
    }
    for (const role of ['communities', 'facilities'] as const) {
      if (!replaced.has(role)) {
        const bytes = await fetchBundled(role);
        this.embedded.set(role, { name: BUNDLED_FILES[role].name, data: parseJsonBytes(bytes, role) });
      }
    }
  }

  private rememberFile(role: FileRole, name: string, features: number): void {
    this.loadedFiles = [...this.loadedFiles.filter((f) => f.role !== role), { role, name, features }];
  }

  private async setContext(role: ContextRole, value: FeatureCollection): Promise<void> {
    await this.mapView.setContext(role, value);
    if (role === 'districts') this.mapView.setCountyLabels(countyLabels(value, this.i18n.locale));
    this.contextDistricts = role === 'districts' ? value : this.contextDistricts;
  }

  private contextDistricts: FeatureCollection | null = null;

  // ---------------------------------------------------------------- analysis

  /** Runs an analysis and shows it; false when it failed or was cancelled (the page is unchanged). */
  async runAnalysis(options: AnalyzeOptions): Promise<boolean> {
    this.setBusy({ message: this.i18n.t('analysing') });
    const generation = this.generation;
    try {
      const payload = await this.worker.analyze(options, (p) => this.setBusy(this.progressOf(p)));
      if (generation !== this.generation) return false;
      this.options = options;
      await this.applyAnalysis(payload);
      this.statusText = this.i18n.t('ready', { ms: Math.round(payload.timeMs) });
      return true;
    } catch (error) {
      this.showError(error);
      return false;
    } finally {
      this.setBusy(null);
    }
  }

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
      } as const
    )[p.stage as 'validate'];
    const message = key ? this.t(key) : p.message;
    return {
      message,
      ...(p.done !== undefined ? { done: p.done } : {}),
      ...(p.total !== undefined ? { total: p.total } : {}),
    };
  }

  private async applyAnalysis(payload: AnalysisPayload): Promise<void> {
    const T = payload.types.length;
    const n = payload.communities.count;
    this.requiredTypes = payload.types.flatMap((t, i) => (t.required ? [i] : []));
    if (this.requiredTypes.length === 0) this.requiredTypes = payload.types.map((_, i) => i);
    this.gapsRequired = new Uint8Array(n);
    this.gapsAll = new Uint8Array(n);
    const required = new Uint8Array(T);
    for (const t of this.requiredTypes) required[t] = 1;
    const gap = payload.communities.gap;
    for (let c = 0; c < n; c++) {
      let all = 0;
      let req = 0;
      for (let t = 0; t < T; t++) {
        if (gap[c * T + t] === 1) {
          all++;
          if (required[t] === 1) req++;
        }
      }
      this.gapsAll[c] = all;
      this.gapsRequired[c] = req;
    }
    this.analysis = payload;
    if (!payload.types.some((t) => t.id === this.typeId))
      this.typeId = payload.types[this.requiredTypes[0] ?? 0]?.id ?? null;
    if (!payload.types.some((t) => t.id === this.sitingTypeId)) this.sitingTypeId = this.typeId;
    this.siteResult = null;
    this.selected = null;
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
    this.closedGaps = [];
    this.applyView();
    if (this.proposals.length > 0) await this.evaluateProposals();
    this.renderAll();
  }

  /** Fits the map to the communities of the most populous district (the city proper). */
  private fitMain(): void {
    const a = this.analysis;
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
    const a = this.analysis;
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

  /**
   * Applies mode, type and layer toggles to the map: layer opacities, then one feature-state write
   * per community whose colour changes. Returns the number of writes.
   */
  private applyView(): number {
    const a = this.analysis;
    if (!a) return 0;
    const t = this.typeIndex();
    if (this.mode === 'type') {
      this.mapView.showTypes(new Set(t >= 0 ? [t] : []), t);
    } else {
      const shown = this.mode === 'gaps-required' ? this.requiredTypes : a.types.map((_, i) => i);
      this.mapView.showTypes(new Set(shown), -1);
    }
    this.mapView.setLayerToggles(this.facilitiesOn, this.catchments);
    // A siting result shows with its own type only: its sites and the gaps they close.
    const r = this.siteResult;
    const siteShown = r !== null && this.mode === 'type' && this.typeId === r.typeId;
    this.mapView.setSites(siteShown && r.model !== 'evaluate' ? r.sites : []);
    this.mapView.highlight(siteShown ? this.closedGaps : []);
    const writes = this.mapView.recolour(this.communityColours());
    this.renderLegend();
    return writes;
  }

  private typeIndex(): number {
    return this.analysis?.types.findIndex((t) => t.id === this.typeId) ?? -1;
  }

  private communityColours(): string[] {
    const a = this.analysis!;
    const n = a.communities.count;
    const out = new Array<string>(n);
    if (this.mode === 'type') {
      const t = this.typeIndex();
      const T = a.types.length;
      const { breaks, classes } = shareClasses(this.options.gapThreshold, (v) => this.i18n.pct0(v));
      const after = this.afterShares();
      for (let c = 0; c < n; c++) {
        const v = after ? after[c]! : a.communities.share[c * T + t]!;
        out[c] = Number.isNaN(v) ? NO_DATA : classes[shareClass(v, breaks)]!.colour;
      }
    } else {
      const counts = this.mode === 'gaps-required' ? this.gapsRequired : this.gapsAll;
      const max = this.mode === 'gaps-required' ? this.requiredTypes.length : a.types.length;
      const { upper, classes } = gapClasses(max);
      for (let c = 0; c < n; c++) out[c] = classes[gapClass(counts[c]!, upper)]!.colour;
    }
    return out;
  }

  /** Per-community shares after the current proposal or siting run, when the map shows them. */
  private afterShares(): Float32Array | null {
    const r = this.siteResult;
    return r && this.showAfter && this.mode === 'type' && r.typeId === this.typeId ? r.shareAfter : null;
  }

  /** Changes what the communities are coloured by; timed, panel updates included. */
  setMode(mode: ColourMode, typeId?: string): void {
    const timing = this.beginTiming();
    this.mode = mode;
    if (typeId) this.typeId = typeId;
    const writes = this.applyView();
    this.renderControls();
    this.renderWorst();
    this.renderCard();
    timing.finish(writes, this.analysis?.communities.count ?? 0);
  }

  setLocale(locale: Locale): void {
    this.i18n.setLocale(locale);
    document.documentElement.lang = locale;
    try {
      localStorage.setItem('lifecircle.locale', locale);
    } catch {
      // Storage may be off (private windows); the choice then lasts for this page only.
    }
    if (this.contextDistricts) this.mapView.setCountyLabels(countyLabels(this.contextDistricts, locale));
    this.applyView();
    this.renderAll();
  }

  // ---------------------------------------------------------------- interaction

  private onHover(c: number | null, point: { x: number; y: number } | null): void {
    const a = this.analysis;
    if (c === null || !point || !a) {
      this.tip.hidden = true;
      return;
    }
    const gaps = this.mode === 'gaps-all' ? this.gapsAll[c]! : this.gapsRequired[c]!;
    let line2 = gaps === 0 ? this.i18n.t('noGaps') : this.i18n.t('gapsCount', { n: gaps });
    if (this.mode === 'type') {
      const t = this.typeIndex();
      const after = this.afterShares();
      const v = after ? after[c]! : a.communities.share[c * a.types.length + t]!;
      line2 = `${this.i18n.t('covered')} ${this.i18n.pct(v)}`;
    }
    replace(
      this.tip,
      h('strong', {}, a.communities.names[c] ?? a.communities.ids[c] ?? ''),
      h('div', {}, `${this.i18n.t('population')} ${this.i18n.int(a.communities.population[c]!)} · ${line2}`),
    );
    this.tip.style.left = `${point.x + 14}px`;
    this.tip.style.top = `${point.y + 14}px`;
    this.tip.hidden = false;
  }

  private onMapClick(c: number | null, lngLat: { lon: number; lat: number }): void {
    if (this.proposeMode) {
      this.proposals.push([lngLat.lon, lngLat.lat]);
      void this.evaluateProposals();
      return;
    }
    this.selectCommunity(c);
  }

  selectCommunity(c: number | null, fly = false): void {
    this.selected = c;
    this.mapView.select(c);
    if (c !== null && fly && this.analysis) {
      const b = this.analysis.communities.bbox;
      this.mapView.flyTo([
        [b[c * 4]!, b[c * 4 + 1]!],
        [b[c * 4 + 2]!, b[c * 4 + 3]!],
      ]);
    }
    this.renderCard();
  }

  // ---------------------------------------------------------------- siting

  /** Figures of the user's proposed facilities (no model needed: core measures them). */
  async evaluateProposals(): Promise<void> {
    this.mapView.setProposals(this.proposals.map(([lon, lat]) => ({ lon, lat })));
    if (!this.analysis || !this.sitingTypeId) return;
    if (this.proposals.length === 0) {
      this.siteResult = null;
      this.closedGaps = [];
      this.applyView();
      this.renderSiting();
      return;
    }
    this.lastSiting = null;
    try {
      const result = await this.worker.site({
        model: 'evaluate',
        typeId: this.sitingTypeId,
        proposed: Float64Array.from(this.proposals.flat()),
      });
      this.acceptSiteResult(result);
    } catch (error) {
      this.showError(error);
    }
  }

  async runSiting(): Promise<void> {
    const a = this.analysis;
    if (!a || !this.sitingTypeId) return;
    const candidates: CandidateSpec =
      this.candidateKind === 'given' && this.candidates
        ? { kind: 'given', coords: this.candidates.coords.slice(), labels: this.candidates.labels }
        : { kind: 'generated', spacingM: 150 };
    const request: ScenarioSiting = {
      model: this.sitingModel,
      typeId: this.sitingTypeId,
      k: this.sitingK,
      targetShare: this.sitingShare,
      candidates,
    };
    this.setBusy({ message: this.i18n.t('siting') });
    try {
      const result = await this.worker.site(
        request.model === 'mclp'
          ? { model: 'mclp', typeId: request.typeId, k: request.k, candidates: request.candidates }
          : {
              model: 'lscp',
              typeId: request.typeId,
              targetShare: request.targetShare,
              candidates: request.candidates,
            },
        (p) => this.setBusy(this.progressOf(p)),
      );
      this.proposals = [];
      this.mapView.setProposals([]);
      this.lastSiting = request;
      this.acceptSiteResult(result);
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

  private acceptSiteResult(result: SitePayload): void {
    const a = this.analysis;
    if (!a) return;
    this.siteResult = result;
    // Outline the communities whose gap the new sites close.
    const t = a.types.findIndex((x) => x.id === result.typeId);
    const T = a.types.length;
    const closed: number[] = [];
    for (let c = 0; c < a.communities.count; c++) {
      if (a.communities.gap[c * T + t] === 1 && result.gapAfter[c] === 0) closed.push(c);
    }
    this.closedGaps = closed;
    if (this.mode !== 'type' || this.typeId !== result.typeId) {
      this.mode = 'type';
      this.typeId = result.typeId;
    }
    this.applyView();
    this.renderControls();
    this.renderSiting();
  }

  /**
   * Cancels what runs: the worker is replaced (see WorkerClient.cancel), and the page's operation
   * that was waiting stops at its next step (the generation check), keeping what the page shows.
   */
  async cancel(): Promise<void> {
    if (!this.busy) return;
    this.generation++;
    this.statusText = this.i18n.t('cancelled');
    this.setBusy(null);
    // Requests made meanwhile wait for the replacement worker inside the client.
    await this.worker.cancel();
  }

  // ---------------------------------------------------------------- export

  async exportResults(format: 'geojson' | 'csv'): Promise<void> {
    try {
      const { text } = await this.worker.export(format);
      if (format === 'geojson') download('communities.geojson', text, 'application/geo+json');
      else download('gaps.csv', text, 'text/csv;charset=utf-8');
    } catch (error) {
      this.showError(error);
    }
  }

  exportSites(): void {
    const r = this.siteResult;
    if (!r) return;
    const collection = {
      type: 'FeatureCollection',
      features: r.sites.map((s) => ({
        type: 'Feature',
        properties: {
          rank: s.rank,
          label: s.label,
          type: r.typeId,
          model: r.model,
          added_population: Math.round(s.addedPopulation * 10) / 10,
          cumulative_share: Math.round(s.cumulativeShare * 10_000) / 10_000,
          newly_served_communities: s.newlyServedCommunities,
        },
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      })),
    };
    download('sites.geojson', JSON.stringify(collection), 'application/geo+json');
  }

  scenario(): unknown {
    const center = this.mapView.map.getCenter();
    return buildScenario({
      bundled: this.bundled,
      inputs: {
        communities: this.embedded.get('communities') ?? null,
        facilities: this.embedded.get('facilities') ?? null,
        demand: this.embedded.get('demand') ?? null,
        districts: this.embedded.get('districts') ?? null,
      },
      options: this.options,
      view: {
        locale: this.i18n.locale,
        mode: this.mode,
        typeId: this.typeId,
        catchments: this.catchments,
        facilities: this.facilitiesOn,
        showAfter: this.showAfter,
        center: [center.lng, center.lat],
        zoom: this.mapView.map.getZoom(),
        basemap: this.basemap,
      },
      proposals: { typeId: this.sitingTypeId, points: this.proposals },
      siting: this.lastSiting,
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
      this.legendModel(),
      this.i18n.t('title'),
      this.bundled ? this.i18n.t('syntheticNote') : '',
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
    this.setBusy({ message: this.i18n.t('analysing') });
    if (scenario.view.locale !== this.i18n.locale) this.setLocale(scenario.view.locale);
    this.mode = scenario.view.mode;
    this.typeId = scenario.view.typeId;
    this.catchments = scenario.view.catchments;
    this.facilitiesOn = scenario.view.facilities;
    this.showAfter = scenario.view.showAfter;
    this.sitingTypeId = scenario.proposals.typeId ?? scenario.siting?.typeId ?? this.typeId;
    this.proposals = scenario.proposals.points.map(([lon, lat]) => [lon, lat]);
    this.setBasemap(scenario.view.basemap);
    if (scenario.bundled) {
      await this.openBundledWith(scenario.options);
    } else {
      const files: InputFile[] = [];
      const encoder = new TextEncoder();
      for (const role of ['communities', 'facilities', 'demand'] as const) {
        const f = scenario.inputs[role];
        if (f) {
          files.push({
            role,
            name: f.name,
            bytes: encoder.encode(JSON.stringify(f.data)).buffer as ArrayBuffer,
          });
          this.embedded.set(role, f);
        }
      }
      this.bundled = false;
      for (const role of ['districts', 'roads', 'water', 'railway'] as const) {
        await this.setContext(role, { type: 'FeatureCollection', features: [] });
      }
      this.loadedFiles = [];
      const districts = scenario.inputs.districts;
      if (districts && isFeatureCollection(districts.data)) {
        await this.setContext('districts', districts.data);
        this.embedded.set('districts', districts);
        this.rememberFile('districts', districts.name, districts.data.features.length);
      }
      const loaded = await this.worker.load(files);
      for (const f of loaded.files) this.rememberFile(f.role, f.name, f.features);
      await this.runAnalysis(scenario.options);
    }
    this.rememberFile('scenario', name, 0);
    if (scenario.view.center && scenario.view.zoom !== null) {
      this.mapView.map.jumpTo({ center: [...scenario.view.center], zoom: scenario.view.zoom });
    }
    if (scenario.siting && this.analysis?.sitingModels.includes(scenario.siting.model)) {
      this.sitingTypeId = scenario.siting.typeId;
      this.sitingModel = scenario.siting.model;
      this.sitingK = scenario.siting.k;
      this.sitingShare = scenario.siting.targetShare;
      if (scenario.siting.candidates.kind === 'given') {
        this.candidates = {
          name,
          coords: scenario.siting.candidates.coords,
          labels: [...scenario.siting.candidates.labels],
        };
        this.candidateKind = 'given';
      }
      await this.runSiting();
    } else if (this.proposals.length > 0) {
      await this.evaluateProposals();
    }
    this.mode = scenario.view.mode;
    this.typeId = this.analysis?.types.some((t) => t.id === scenario.view.typeId)
      ? scenario.view.typeId
      : this.typeId;
    this.applyView();
    this.statusText = this.i18n.t('scenarioLoaded', { name });
    this.setBusy(null);
    this.renderAll();
  }

  private async openBundledWith(options: AnalyzeOptions): Promise<void> {
    const proposals = this.proposals;
    const mode = this.mode;
    const typeId = this.typeId;
    this.proposals = [];
    await this.openBundled();
    if (JSON.stringify(options) !== JSON.stringify(this.options)) await this.runAnalysis(options);
    this.proposals = proposals;
    this.mode = mode;
    this.typeId = typeId;
  }

  setBasemap(url: string | null): void {
    const trimmed = url?.trim() ?? '';
    if (trimmed === '') {
      this.basemap = null;
      this.mapView.setBasemap(null);
      return;
    }
    const tiles =
      /\.pmtiles(\?|$)/i.test(trimmed) && !trimmed.startsWith('pmtiles://')
        ? `pmtiles://${trimmed}`
        : trimmed;
    this.basemap = tiles;
    void this.mapView.whenReady().then(() => this.mapView.setBasemap(tiles));
  }

  // ---------------------------------------------------------------- messages

  private showError(error: unknown): void {
    if (error instanceof RequestError && error.payload.kind === 'cancelled') return;
    const payload: Notice =
      error instanceof RequestError
        ? {
            kind: 'error',
            title: this.i18n.t('errorTitle'),
            message: error.payload.message,
            ...(error.payload.rejected && error.payload.rejected.length > 0
              ? { rejected: error.payload.rejected }
              : {}),
          }
        : {
            kind: 'error',
            title: this.i18n.t('errorTitle'),
            message: error instanceof Error ? error.message : String(error),
          };
    if (!(error instanceof RequestError) && !(error instanceof JsonFileError)) console.error(error);
    this.setNotice(payload);
  }

  private setNotice(notice: Notice | null): void {
    this.notice = notice;
    this.renderNotice();
  }

  private setBusy(busy: { message: string; done?: number; total?: number } | null): void {
    this.busy = busy;
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
  }

  private t(key: TextKey, values?: Record<string, string | number>): string {
    return this.i18n.t(key, values);
  }

  private renderHeader(): void {
    const other: Locale = this.i18n.locale === 'zh-CN' ? 'en' : 'zh-CN';
    replace(
      this.header,
      h(
        'div',
        { class: 'brand' },
        h('h1', { 'data-testid': 'title' }, this.t('title')),
        h('span', { class: 'subtitle' }, this.t('subtitle')),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            'data-testid': 'load-button',
            onclick: () => this.fileInput.click(),
          },
          this.t('loadFiles'),
        ),
        h(
          'button',
          { type: 'button', 'data-testid': 'bundled-button', onclick: () => void this.openBundled() },
          this.t('resetBundled'),
        ),
        h(
          'button',
          { type: 'button', 'data-testid': 'fit-all', onclick: () => this.fitAll() },
          this.t('wholeArea'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'locale',
            'data-testid': 'locale-switch',
            lang: other,
            onclick: () => this.setLocale(other),
          },
          this.t('language'),
        ),
      ),
    );
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
    const a = this.analysis;
    const types = a?.types ?? [];
    const modeSelect = h(
      'select',
      {
        'data-testid': 'mode-select',
        onchange: (e) => this.setMode((e.target as HTMLSelectElement).value as ColourMode),
      },
      h(
        'option',
        { value: 'gaps-required', selected: this.mode === 'gaps-required' },
        this.t('modeGapsRequired', { n: this.requiredTypes.length }),
      ),
      h(
        'option',
        { value: 'gaps-all', selected: this.mode === 'gaps-all' },
        this.t('modeGapsAll', { n: types.length }),
      ),
      h('option', { value: 'type', selected: this.mode === 'type' }, this.t('modeType')),
      // HOOK(standards): enable when core can evaluate standard profiles (pass / fail / unknown).
      h('option', { value: 'profile', disabled: true }, this.t('modeProfile')),
    );
    const typeSelect = h(
      'select',
      {
        'data-testid': 'type-select',
        disabled: this.mode !== 'type',
        onchange: (e) => this.setMode('type', (e.target as HTMLSelectElement).value),
      },
      ...types.map((t) =>
        h(
          'option',
          { value: t.id, selected: t.id === this.typeId },
          `${this.i18n.typeName(t)} · ${this.i18n.metres(t.radius_m)}${t.radius_status === 'unverified' ? '*' : ''}`,
        ),
      ),
    );
    const checkbox = (label: string, checked: boolean, testid: string, onChange: (v: boolean) => void) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          checked,
          'data-testid': testid,
          onchange: (e) => onChange((e.target as HTMLInputElement).checked),
        }),
        label,
      );
    const basemapInput = h('input', {
      type: 'url',
      placeholder: this.t('basemapHint'),
      'data-testid': 'basemap-input',
      value: this.basemap ?? '',
    });
    const gapInput = h('input', {
      type: 'number',
      min: 0,
      max: 1,
      step: 0.05,
      value: this.options.gapThreshold,
      'data-testid': 'gap-threshold',
    });
    const plannedInput = h('input', {
      type: 'checkbox',
      checked: this.options.includePlanned,
      'data-testid': 'include-planned',
    });
    replace(
      this.sections.controls,
      h('label', { class: 'field' }, h('span', {}, this.t('colourBy')), modeSelect),
      h('label', { class: 'field' }, h('span', {}, this.t('facilityType')), typeSelect),
      h(
        'div',
        { class: 'row' },
        checkbox(this.t('showFacilities'), this.facilitiesOn, 'toggle-facilities', (v) => {
          this.facilitiesOn = v;
          this.applyView();
        }),
        checkbox(this.t('showCatchments'), this.catchments, 'toggle-catchments', (v) => {
          this.catchments = v;
          this.applyView();
        }),
      ),
      h('p', { class: 'hint' }, this.t('walkingCatchments')),
      h(
        'details',
        { class: 'settings' },
        h('summary', {}, this.t('settings')),
        h('label', { class: 'field inline' }, h('span', {}, this.t('gapThresholdLabel')), gapInput),
        h('label', { class: 'check' }, plannedInput, this.t('includePlanned')),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'reanalyse',
            onclick: () => {
              const threshold = Number(gapInput.value);
              void this.runAnalysis({
                ...this.options,
                gapThreshold: threshold >= 0 && threshold <= 1 ? threshold : this.options.gapThreshold,
                includePlanned: plannedInput.checked,
              });
            },
          },
          this.t('reanalyse'),
        ),
        h('label', { class: 'field' }, h('span', {}, this.t('basemap')), basemapInput),
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            { type: 'button', onclick: () => this.setBasemap(basemapInput.value) },
            this.t('basemapApply'),
          ),
          h('button', { type: 'button', onclick: () => this.setBasemap(null) }, this.t('basemapRemove')),
        ),
      ),
    );
  }

  private renderIndicators(): void {
    const a = this.analysis;
    const section = this.sections.indicators;
    if (!a) {
      replace(section, h('h2', {}, this.t('indicators')));
      return;
    }
    const n = a.communities.count;
    let withGap = 0;
    let complete = 0;
    const counts = this.mode === 'gaps-all' ? this.gapsAll : this.gapsRequired;
    for (let c = 0; c < n; c++) {
      if (counts[c]! > 0) withGap++;
      if (this.gapsRequired[c] === 0) complete++;
    }
    const serving = a.facilities.serving.reduce((s, v) => s + v, 0);
    const stat = (label: string, value: string, testid: string) =>
      h(
        'div',
        { class: 'stat' },
        h('div', { class: 'stat-value', 'data-testid': testid }, value),
        h('div', { class: 'stat-label' }, label),
      );
    const shareBars = a.types.map((t, i) => {
      const summary = a.summary.types[t.id];
      const target = targetFor(t.id, 'covered_share');
      return {
        label: this.i18n.typeName(t),
        value: summary?.covered_share ?? Number.NaN,
        valueText: this.i18n.pct(summary?.covered_share ?? null),
        colour: facilityColour(i),
        ...(target
          ? { mark: target.value, title: this.i18n.locale === 'zh-CN' ? target.name_zh : target.name_en }
          : {}),
      };
    });
    const capacityBars = a.types.flatMap((t, i) => {
      const per = a.summary.types[t.id]?.capacity_per_1000;
      if (per === null || per === undefined) return [];
      const target = targetFor(t.id, 'capacity_per_1000');
      return [
        {
          label: this.i18n.typeName(t),
          value: per,
          valueText: this.i18n.dec(per),
          colour: facilityColour(i),
          ...(target
            ? { mark: target.value, title: this.i18n.locale === 'zh-CN' ? target.name_zh : target.name_en }
            : {}),
        },
      ];
    });
    const districts = new Map<string, { total: number; complete: number }>();
    a.communities.districts.forEach((d, c) => {
      const key = d ?? '(none)';
      const entry = districts.get(key) ?? { total: 0, complete: 0 };
      entry.total++;
      if (this.gapsRequired[c] === 0) entry.complete++;
      districts.set(key, entry);
    });
    const districtBars = [...districts]
      .sort((x, y) => y[1].total - x[1].total)
      .map(([name, d]) => ({
        label: name,
        value: d.complete / d.total,
        valueText: this.i18n.pct(d.complete / d.total),
        colour: '#4575b4',
      }));
    const capacityMax = Math.max(5, ...capacityBars.map((b) => Math.max(b.value, b.mark ?? 0))) * 1.1;
    replace(
      section,
      h('h2', {}, this.t('indicators')),
      h(
        'div',
        { class: 'stats' },
        stat(this.t('communities'), this.i18n.int(n), 'community-count'),
        stat(this.t('residents'), this.i18n.int(a.summary.population), 'population'),
        stat(this.t('facilities'), this.i18n.int(serving), 'facility-count'),
        stat(this.t('withGap'), this.i18n.int(withGap), 'gap-count'),
        stat(this.t('completeRate'), this.i18n.pct(n > 0 ? complete / n : null), 'complete-rate'),
      ),
      h('h3', {}, this.t('coveredShareByType')),
      h('p', { class: 'hint' }, h('span', { class: 'target-key' }), ` ${this.t('targetKey')}`),
      barChart(shareBars, { max: 1, testid: 'chart-share' }),
      capacityBars.length > 0 ? h('h3', {}, this.t('placesPer1000')) : null,
      capacityBars.length > 0 ? barChart(capacityBars, { max: capacityMax, testid: 'chart-capacity' }) : null,
      h('h3', {}, this.t('completeByCounty')),
      barChart(districtBars, { max: 1, testid: 'chart-districts' }),
    );
  }

  private renderWorst(): void {
    const a = this.analysis;
    const section = this.sections.worst;
    if (!a) {
      replace(section);
      return;
    }
    const counts = this.mode === 'gaps-all' ? this.gapsAll : this.gapsRequired;
    let order = Array.from({ length: a.communities.count }, (_, c) => c);
    if (this.mode === 'type') {
      const t = this.typeIndex();
      const T = a.types.length;
      // Least covered first, the most residents left out breaking ties.
      order = order
        .filter((c) => !Number.isNaN(a.communities.share[c * T + t]!))
        .sort((x, y) => {
          const dx = a.communities.share[x * T + t]! - a.communities.share[y * T + t]!;
          return dx !== 0 ? dx : a.communities.population[y]! - a.communities.population[x]!;
        });
    } else {
      order.sort(
        (x, y) => counts[y]! - counts[x]! || a.communities.population[y]! - a.communities.population[x]!,
      );
    }
    const top = order.slice(0, 10);
    replace(
      section,
      h('h2', {}, this.t('worstServed')),
      h(
        'ol',
        { class: 'worst', 'data-testid': 'worst-list' },
        ...top.map((c) => {
          const T = a.types.length;
          const detail =
            this.mode === 'type'
              ? `${this.t('covered')} ${this.i18n.pct(a.communities.share[c * T + this.typeIndex()]!)}`
              : this.t('gapsCount', { n: counts[c]! });
          return h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'linklike',
                'data-testid': 'worst-item',
                onclick: () => this.selectCommunity(c, true),
              },
              h('span', { class: 'worst-name' }, a.communities.names[c] ?? a.communities.ids[c] ?? ''),
              h(
                'span',
                { class: 'worst-detail' },
                `${a.communities.districts[c] ?? ''} · ${this.i18n.int(a.communities.population[c]!)} · ${detail}`,
              ),
            ),
          );
        }),
      ),
    );
  }

  private renderSiting(): void {
    const a = this.analysis;
    const section = this.sections.siting;
    if (!a) {
      replace(section, h('h2', {}, this.t('siting')));
      return;
    }
    const models = a.sitingModels;
    const available = models.length > 0;
    if (!models.includes(this.sitingModel) && models[0]) this.sitingModel = models[0];
    const typeSelect = h(
      'select',
      {
        'data-testid': 'siting-type',
        onchange: (e) => {
          this.sitingTypeId = (e.target as HTMLSelectElement).value;
          if (this.proposals.length > 0) void this.evaluateProposals();
        },
      },
      ...a.types.map((t) =>
        h('option', { value: t.id, selected: t.id === this.sitingTypeId }, this.i18n.typeName(t)),
      ),
    );
    const amount =
      this.sitingModel === 'mclp'
        ? h(
            'label',
            { class: 'field inline' },
            h('span', {}, this.t('sitesCount')),
            h('input', {
              type: 'number',
              min: 1,
              max: 200,
              value: this.sitingK,
              'data-testid': 'siting-k',
              oninput: (e) => {
                const k = Math.round(Number((e.target as HTMLInputElement).value));
                if (k >= 1) this.sitingK = Math.min(200, k);
              },
            }),
          )
        : h(
            'label',
            { class: 'field inline' },
            h('span', {}, this.t('targetShare')),
            h('input', {
              type: 'number',
              min: 1,
              max: 100,
              step: 1,
              value: Math.round(this.sitingShare * 100),
              'data-testid': 'siting-share',
              oninput: (e) => {
                const pct = Number((e.target as HTMLInputElement).value);
                if (pct > 0 && pct <= 100) this.sitingShare = pct / 100;
              },
            }),
          );
    const modelBlock = available
      ? h(
          'div',
          { class: 'siting-form' },
          h(
            'label',
            { class: 'field' },
            h('span', {}, this.t('sitingModel')),
            h(
              'select',
              {
                'data-testid': 'siting-model',
                onchange: (e) => {
                  this.sitingModel = (e.target as HTMLSelectElement).value === 'lscp' ? 'lscp' : 'mclp';
                  this.renderSiting();
                },
              },
              h(
                'option',
                { value: 'mclp', selected: this.sitingModel === 'mclp', disabled: !models.includes('mclp') },
                this.t('modelMclp'),
              ),
              h(
                'option',
                { value: 'lscp', selected: this.sitingModel === 'lscp', disabled: !models.includes('lscp') },
                this.t('modelLscp'),
              ),
              // HOOK(siting): p-median, p-center and capacitated coverage exist in core's siting module;
              // they need inputs (costs, capacities) this panel does not collect yet.
              h('option', { value: 'pmedian', disabled: true }, this.t('modelPmedian')),
            ),
          ),
          amount,
          h(
            'fieldset',
            { class: 'candidates' },
            h('legend', {}, this.t('candidates')),
            h(
              'label',
              { class: 'check' },
              h('input', {
                type: 'radio',
                name: 'candidates',
                checked: this.candidateKind === 'generated',
                onchange: () => {
                  this.candidateKind = 'generated';
                },
              }),
              this.t('candidatesGenerated', { n: 150 }),
            ),
            h(
              'label',
              { class: 'check' },
              h('input', {
                type: 'radio',
                name: 'candidates',
                checked: this.candidateKind === 'given',
                disabled: !this.candidates,
                'data-testid': 'candidates-loaded',
                onchange: () => {
                  this.candidateKind = 'given';
                },
              }),
              this.t('candidatesLoaded', { n: this.candidates?.labels.length ?? 0 }),
            ),
            h(
              'button',
              { type: 'button', onclick: () => this.candidateInput.click() },
              this.t('loadCandidates'),
            ),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              'data-testid': 'run-siting',
              onclick: () => void this.runSiting(),
            },
            this.t('runSiting'),
          ),
        )
      : h('p', { class: 'unavailable', 'data-testid': 'siting-unavailable' }, this.t('sitingUnavailable'));
    const r = this.siteResult;
    const results = r
      ? h(
          'div',
          {
            class: 'siting-results',
            'data-testid': 'siting-results',
            'data-model': r.model,
            'data-type': r.typeId,
            'data-covered-before': String(r.coveredBefore),
            'data-covered-after': String(r.coveredAfter),
          },
          h(
            'div',
            { class: 'stats' },
            h(
              'div',
              { class: 'stat' },
              h(
                'div',
                { class: 'stat-value', 'data-testid': 'siting-before' },
                this.i18n.pct(r.coveredBefore / r.population),
              ),
              h('div', { class: 'stat-label' }, this.t('coveredBefore')),
            ),
            h(
              'div',
              { class: 'stat' },
              h(
                'div',
                { class: 'stat-value', 'data-testid': 'siting-after' },
                this.i18n.pct(r.coveredAfter / r.population),
              ),
              h('div', { class: 'stat-label' }, this.t('coveredAfter')),
            ),
            h(
              'div',
              { class: 'stat' },
              h(
                'div',
                { class: 'stat-value', 'data-testid': 'siting-added-total' },
                this.i18n.int(r.coveredAfter - r.coveredBefore),
              ),
              h('div', { class: 'stat-label' }, this.t('added')),
            ),
          ),
          h(
            'label',
            { class: 'check' },
            h('input', {
              type: 'checkbox',
              checked: this.showAfter,
              'data-testid': 'show-after',
              onchange: (e) => {
                this.showAfter = (e.target as HTMLInputElement).checked;
                this.applyView();
              },
            }),
            this.t('showAfter'),
          ),
          h(
            'table',
            { class: 'sites', 'data-testid': 'sites-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, this.t('rank')),
                h('th', {}, this.t('site')),
                h('th', { class: 'num' }, this.t('added')),
                h('th', { class: 'num' }, this.t('cumulative')),
                h('th', { class: 'num' }, this.t('newCommunities')),
              ),
            ),
            h(
              'tbody',
              {},
              ...r.sites.map((s) =>
                h(
                  'tr',
                  {
                    'data-testid': 'site-row',
                    'data-added': String(s.addedPopulation),
                    'data-lon': String(s.lon),
                    'data-lat': String(s.lat),
                  },
                  h('td', {}, String(s.rank)),
                  h('td', {}, s.label),
                  h('td', { class: 'num', 'data-testid': 'site-added' }, this.i18n.int(s.addedPopulation)),
                  h('td', { class: 'num' }, this.i18n.pct(s.cumulativeShare)),
                  h('td', { class: 'num' }, this.i18n.int(s.newlyServedCommunities)),
                ),
              ),
            ),
          ),
          h('h3', {}, this.t('curve')),
          lineChart(
            r.curve.map((p) => ({ x: p.k, y: p.share })),
            { xLabel: this.t('sitesAxis'), yText: (y) => this.i18n.pct(y), testid: 'siting-curve' },
          ),
          r.solver
            ? h(
                'p',
                { class: 'hint' },
                this.t('solverInfo', {
                  solver: r.solver.solver,
                  status: r.solver.status,
                  gap: this.i18n.pct(r.solver.gap),
                }),
              )
            : null,
          ...r.warnings.map((w) => h('p', { class: 'hint' }, w)),
        )
      : null;
    replace(
      section,
      h('h2', {}, this.t('siting')),
      h('label', { class: 'field' }, h('span', {}, this.t('facilityType')), typeSelect),
      modelBlock,
      h('p', { class: 'hint' }, this.t('proposeHint')),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            class: this.proposeMode ? 'toggle on' : 'toggle',
            'aria-pressed': String(this.proposeMode),
            'data-testid': 'propose-toggle',
            onclick: () => {
              this.proposeMode = !this.proposeMode;
              this.mapView.setProposeMode(this.proposeMode);
              this.renderSiting();
            },
          },
          this.t('proposeMode'),
        ),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'clear-proposals',
            disabled: this.proposals.length === 0,
            onclick: () => {
              this.proposals = [];
              void this.evaluateProposals();
            },
          },
          this.t('clearProposals'),
        ),
      ),
      results,
    );
  }

  private renderFiles(): void {
    const a = this.analysis;
    const rejected = a?.summary.rejected ?? [];
    const warnings = a?.summary.warnings ?? [];
    replace(
      this.sections.files,
      h('h2', {}, this.t('files')),
      h(
        'ul',
        { class: 'files', 'data-testid': 'file-list' },
        ...this.loadedFiles.map((f) =>
          h(
            'li',
            {},
            h('span', { class: 'role' }, f.role),
            ` ${f.name}`,
            f.features > 0 ? ` (${this.i18n.int(f.features)})` : '',
          ),
        ),
      ),
      this.bundled ? h('p', { class: 'hint' }, `${this.t('bundled')} — ${this.t('syntheticNote')}`) : null,
      h('p', { class: 'hint' }, this.t('dropHint')),
      rejected.length > 0 || warnings.length > 0 ? h('h3', {}, this.t('problems')) : null,
      rejected.length > 0
        ? h('p', { 'data-testid': 'rejected-count' }, this.t('rejected', { n: rejected.length }))
        : null,
      rejected.length > 0 ? rejectedTable(rejected, this.i18n) : null,
      warnings.length > 0
        ? h(
            'ul',
            { class: 'warnings', 'data-testid': 'warnings' },
            ...warnings.map((w) => h('li', {}, `${w.file}: ${w.message}`)),
          )
        : null,
    );
  }

  private renderExports(): void {
    const disabled = !this.analysis;
    replace(
      this.sections.exports,
      h('h2', {}, this.t('exportHeading')),
      h(
        'div',
        { class: 'row wrap' },
        h(
          'button',
          {
            type: 'button',
            disabled,
            'data-testid': 'export-geojson',
            onclick: () => void this.exportResults('geojson'),
          },
          this.t('exportGeojson'),
        ),
        h(
          'button',
          {
            type: 'button',
            disabled,
            'data-testid': 'export-csv',
            onclick: () => void this.exportResults('csv'),
          },
          this.t('exportCsv'),
        ),
        h(
          'button',
          { type: 'button', disabled, 'data-testid': 'export-png', onclick: () => void this.exportPng() },
          this.t('exportPng'),
        ),
        h(
          'button',
          {
            type: 'button',
            disabled,
            'data-testid': 'export-scenario',
            onclick: () => this.exportScenario(),
          },
          this.t('exportScenario'),
        ),
        h(
          'button',
          {
            type: 'button',
            disabled: !this.siteResult,
            'data-testid': 'export-sites',
            onclick: () => this.exportSites(),
          },
          this.t('exportSites'),
        ),
      ),
    );
  }

  /** What the legend shows, for the HTML overlay and the PNG export alike. */
  private legendModel(): { title: string; classes: ColourClass[]; items: LegendItem[] } {
    const a = this.analysis;
    if (!a) return { title: '', classes: [], items: [] };
    const items: LegendItem[] = [];
    let title: string;
    let classes: ColourClass[];
    if (this.mode === 'type') {
      const t = this.typeIndex();
      const type = a.types[t];
      const after = this.afterShares() ? ` · ${this.t('legendAfter')}` : '';
      title = `${this.t('legendShare')} · ${type ? this.i18n.typeName(type) : ''}${after}`;
      classes = [
        ...shareClasses(this.options.gapThreshold, (v) => this.i18n.pct0(v)).classes,
        { label: this.t('legendNoResidents'), colour: NO_DATA },
      ];
      if (type && this.facilitiesOn) {
        items.push({
          kind: 'dot',
          colour: facilityColour(t),
          label: `${this.i18n.typeName(type)} · ${this.t('legendServing')}`,
        });
        items.push({ kind: 'ring', colour: facilityColour(t), label: this.t('legendNotServing') });
      }
      if (type && this.catchments)
        items.push({
          kind: 'circle',
          colour: '#263238',
          label: this.t('legendCatchment', { r: type.radius_m }),
        });
    } else {
      const max = this.mode === 'gaps-required' ? this.requiredTypes.length : a.types.length;
      title = `${this.t('legendGaps')} (${this.mode === 'gaps-required' ? this.t('modeGapsRequired', { n: max }).replace(/^[^（(]*[（(]|[）)]$/g, '') : this.t('modeGapsAll', { n: max }).replace(/^[^（(]*[（(]|[）)]$/g, '')})`;
      classes = gapClasses(max).classes;
      if (this.facilitiesOn) {
        const shown = this.mode === 'gaps-required' ? this.requiredTypes : a.types.map((_, i) => i);
        for (const t of shown)
          items.push({ kind: 'dot', colour: facilityColour(t), label: this.i18n.typeName(a.types[t]!) });
      }
    }
    if (this.proposals.length > 0)
      items.push({ kind: 'square', colour: '#00838f', label: this.t('legendProposed') });
    if (this.siteResult && this.siteResult.model !== 'evaluate')
      items.push({ kind: 'square', colour: '#6a1b9a', label: this.t('legendSite') });
    if (this.contextDistricts && this.contextDistricts.features.length > 0)
      items.push({ kind: 'dash', colour: '#6d6357', label: this.t('legendCounty') });
    return { title, classes, items };
  }

  private renderLegend(): void {
    const model = this.legendModel();
    if (!this.analysis) {
      replace(this.legend);
      this.legend.hidden = true;
      return;
    }
    this.legend.hidden = false;
    replace(
      this.legend,
      h('div', { class: 'legend-title', 'data-testid': 'legend-title' }, model.title),
      h(
        'div',
        { class: 'legend-classes' },
        ...model.classes.map((c) =>
          h(
            'div',
            { class: 'legend-row' },
            h('span', { class: 'swatch', style: `background:${c.colour}` }),
            c.label,
          ),
        ),
      ),
      model.items.length > 0
        ? h(
            'div',
            { class: model.items.length > 8 ? 'legend-items two' : 'legend-items' },
            ...model.items.map((i) =>
              h(
                'div',
                { class: 'legend-row' },
                h('span', { class: `mark ${i.kind}`, style: `--c:${i.colour}` }),
                i.label,
              ),
            ),
          )
        : null,
    );
  }

  private renderCard(): void {
    const a = this.analysis;
    const c = this.selected;
    if (!a || c === null) {
      this.card.hidden = true;
      replace(this.card);
      return;
    }
    const T = a.types.length;
    const rows = a.types.map((t, i) => {
      const k = c * T + i;
      const f = a.communities.nearestFacility[k]!;
      const gap = a.communities.gap[k] === 1;
      const facilityName = f >= 0 ? (a.facilities.names[f] ?? a.facilities.ids[f] ?? '') : this.t('none');
      return h(
        'tr',
        { class: gap ? 'gap' : '', 'data-testid': 'card-row' },
        h('td', {}, this.i18n.typeName(t)),
        h('td', { class: 'num' }, this.i18n.metres(t.radius_m)),
        h('td', { class: 'name' }, facilityName),
        h('td', { class: 'num' }, this.i18n.metres(a.communities.nearestM[k]!)),
        h('td', { class: 'num' }, this.i18n.int(a.communities.within[k]!)),
        h('td', { class: 'num' }, this.i18n.pct(a.communities.share[k]!)),
        h('td', { class: 'gapcell' }, gap ? '✗' : '✓'),
      );
    });
    replace(
      this.card,
      h(
        'div',
        { class: 'card-head' },
        h(
          'div',
          {},
          h('strong', { 'data-testid': 'card-name' }, a.communities.names[c] ?? a.communities.ids[c] ?? ''),
          h(
            'div',
            { class: 'hint' },
            `${this.t('id')} ${a.communities.ids[c] ?? ''} · ${a.communities.districts[c] ?? ''} · ${this.t('population')} ${this.i18n.int(a.communities.population[c]!)}`,
          ),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'close',
            'aria-label': this.t('close'),
            onclick: () => this.selectCommunity(null),
          },
          '×',
        ),
      ),
      h(
        'div',
        { class: 'card-scroll' },
        h(
          'table',
          { class: 'card-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, this.t('type')),
              h('th', { class: 'num' }, this.t('radius')),
              h('th', {}, this.t('nearest')),
              h('th', { class: 'num' }, this.t('distance')),
              h('th', { class: 'num' }, this.t('within')),
              h('th', { class: 'num' }, this.t('covered')),
              h('th', {}, this.t('gap')),
            ),
          ),
          h('tbody', {}, ...rows),
        ),
      ),
      // HOOK(standards): compliance items per community come from core's profile evaluation.
      h(
        'p',
        { class: 'hint', 'data-testid': 'compliance-hook' },
        `${this.t('compliance')}: ${this.t('complianceHook')}`,
      ),
    );
    this.card.hidden = false;
  }

  private renderStatus(): void {
    const b = this.busy;
    if (b) {
      const progress = b.total ? h('progress', { max: b.total, value: b.done ?? 0 }) : h('progress', {});
      replace(
        this.status,
        h('span', { 'data-testid': 'progress-message' }, b.message),
        progress,
        h(
          'button',
          { type: 'button', 'data-testid': 'cancel', onclick: () => void this.cancel() },
          this.t('cancel'),
        ),
      );
      this.status.classList.add('busy');
    } else {
      replace(this.status, h('span', { 'data-testid': 'status-text' }, this.statusText));
      this.status.classList.remove('busy');
    }
  }

  private renderNotice(): void {
    const n = this.notice;
    if (!n) {
      this.noticeBox.hidden = true;
      replace(this.noticeBox);
      return;
    }
    replace(
      this.noticeBox,
      h(
        'div',
        { class: 'card-head' },
        h('strong', {}, n.title),
        h(
          'button',
          {
            type: 'button',
            class: 'close',
            'aria-label': this.t('close'),
            onclick: () => this.setNotice(null),
          },
          '×',
        ),
      ),
      h('p', { class: 'notice-message', 'data-testid': 'error-message' }, n.message),
      n.rejected && n.rejected.length > 0 ? h('p', {}, this.t('rejected', { n: n.rejected.length })) : null,
      n.rejected && n.rejected.length > 0 ? rejectedTable(n.rejected, this.i18n) : null,
    );
    this.noticeBox.className = `notice ${n.kind}`;
    this.noticeBox.hidden = false;
  }
}

interface LegendItem {
  readonly kind: 'dot' | 'ring' | 'circle' | 'square' | 'dash';
  readonly colour: string;
  readonly label: string;
}

function rejectedTable(rejected: NonNullable<ErrorPayload['rejected']>, i18n: I18n): HTMLElement {
  const shown = rejected.slice(0, 200);
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'rejected', 'data-testid': 'rejected-list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, i18n.t('file')),
          h('th', { class: 'num' }, i18n.t('index')),
          h('th', {}, i18n.t('id')),
          h('th', {}, i18n.t('field')),
          h('th', {}, i18n.t('reason')),
        ),
      ),
      h(
        'tbody',
        {},
        ...shown.map((r) =>
          h(
            'tr',
            { 'data-testid': 'rejected-row' },
            h('td', {}, r.file),
            h('td', { class: 'num' }, String(r.index)),
            h('td', {}, r.id ?? ''),
            h('td', {}, r.field),
            h('td', {}, r.reason),
          ),
        ),
      ),
    ),
    rejected.length > shown.length ? h('p', { class: 'hint' }, `… +${rejected.length - shown.length}`) : null,
  );
}

function safeStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function isBundledName(name: string): boolean {
  return Object.values(BUNDLED_FILES).some((f) => f.name === name);
}

function meanLat(bbox: Float64Array): number {
  let sum = 0;
  const n = bbox.length / 4;
  for (let i = 0; i < n; i++) sum += (bbox[i * 4 + 1]! + bbox[i * 4 + 3]!) / 2;
  return n > 0 ? sum / n : 0;
}

function unionBBox(bbox: Float64Array, members: readonly number[]): [[number, number], [number, number]] {
  let w = 180;
  let s = 90;
  let e = -180;
  let n = -90;
  for (const c of members) {
    w = Math.min(w, bbox[c * 4]!);
    s = Math.min(s, bbox[c * 4 + 1]!);
    e = Math.max(e, bbox[c * 4 + 2]!);
    n = Math.max(n, bbox[c * 4 + 3]!);
  }
  if (w > e)
    return [
      [-180, -85],
      [180, 85],
    ];
  return [
    [w, s],
    [e, n],
  ];
}

/** County labels at the area-weighted centre of each outline's largest ring. */
function countyLabels(
  districts: FeatureCollection,
  locale: Locale,
): { lon: number; lat: number; text: string; kind: 'county' }[] {
  const out: { lon: number; lat: number; text: string; kind: 'county' }[] = [];
  for (const f of districts.features) {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    const rings =
      (g as Polygon | MultiPolygon).type === 'Polygon'
        ? [(g as Polygon).coordinates[0]!]
        : (g as MultiPolygon).coordinates.map((p) => p[0]!);
    let best: { lon: number; lat: number; area: number } | null = null;
    for (const ring of rings) {
      const c = ringCentroid(ring);
      if (c && (!best || c.area > best.area)) best = c;
    }
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const name = locale === 'en' && typeof p.name_en === 'string' ? p.name_en : p.name;
    if (best && (typeof name === 'string' || typeof name === 'number'))
      out.push({ lon: best.lon, lat: best.lat, text: String(name), kind: 'county' });
  }
  return out;
}

function ringCentroid(ring: readonly Position[]): { lon: number; lat: number; area: number } | null {
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j]!;
    const [x1, y1] = ring[i]!;
    const cross = x0! * y1! - x1! * y0!;
    a += cross;
    x += (x0! + x1!) * cross;
    y += (y0! + y1!) * cross;
  }
  if (a === 0) return null;
  return { lon: x / (3 * a), lat: y / (3 * a), area: Math.abs(a / 2) };
}

/** Draws the HTML markers onto the exported PNG (they are not part of the WebGL canvas). */
function drawMarkers(ctx: CanvasRenderingContext2D, labels: ReturnType<MapView['markerLabels']>): void {
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const l of labels) {
    if (l.kind === 'county') {
      ctx.font = '600 14px system-ui, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif';
      ctx.lineWidth = 4;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.strokeText(l.text, l.x, l.y);
      ctx.fillStyle = '#4a4036';
      ctx.fillText(l.text, l.x, l.y);
    } else {
      ctx.fillStyle = l.kind === 'site' ? '#6a1b9a' : '#00838f';
      ctx.beginPath();
      ctx.arc(l.x, l.y, 11, 0, Math.PI * 2);
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.fillStyle = '#fff';
      ctx.font = '700 11px system-ui, sans-serif';
      ctx.fillText(l.text, l.x, l.y + 0.5);
    }
  }
}

/** Draws the legend and a title block onto the exported PNG. */
function drawLegend(
  ctx: CanvasRenderingContext2D,
  model: { title: string; classes: ColourClass[]; items: LegendItem[] },
  title: string,
  note: string,
): void {
  const font = (weight: number, size: number) =>
    `${weight} ${size}px system-ui, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif`;
  const rows = model.classes.length + model.items.length;
  const width = 260;
  const height = 40 + rows * 18 + 10;
  const x = 12;
  const y = ctx.canvas.height / (ctx.getTransform().d || 1) - height - 12;
  ctx.fillStyle = 'rgba(255,255,255,0.94)';
  ctx.fillRect(x, y, width, height);
  ctx.strokeStyle = '#bbb';
  ctx.strokeRect(x + 0.5, y + 0.5, width, height);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#222';
  ctx.font = font(600, 13);
  ctx.fillText(model.title, x + 10, y + 18, width - 20);
  let row = y + 40;
  ctx.font = font(400, 12);
  for (const c of model.classes) {
    ctx.fillStyle = c.colour;
    ctx.fillRect(x + 10, row - 6, 22, 12);
    ctx.fillStyle = '#222';
    ctx.fillText(c.label, x + 40, row, width - 50);
    row += 18;
  }
  for (const item of model.items) {
    ctx.strokeStyle = item.colour;
    ctx.fillStyle = item.colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    if (item.kind === 'dash') {
      ctx.setLineDash([4, 2]);
      ctx.moveTo(x + 10, row);
      ctx.lineTo(x + 32, row);
      ctx.stroke();
      ctx.setLineDash([]);
    } else if (item.kind === 'square') {
      ctx.fillRect(x + 15, row - 6, 12, 12);
    } else {
      ctx.arc(x + 21, row, item.kind === 'circle' ? 7 : 4, 0, Math.PI * 2);
      if (item.kind === 'dot') ctx.fill();
      else ctx.stroke();
    }
    ctx.fillStyle = '#222';
    ctx.fillText(item.label, x + 40, row, width - 50);
    row += 18;
  }
  ctx.fillStyle = 'rgba(255,255,255,0.94)';
  ctx.fillRect(12, 12, 420, note ? 46 : 30);
  ctx.fillStyle = '#222';
  ctx.font = font(700, 15);
  ctx.fillText(title, 20, 27, 400);
  if (note) {
    ctx.font = font(400, 11);
    ctx.fillText(`${note} · ${new Date().toISOString().slice(0, 10)}`, 20, 47, 400);
  }
}
