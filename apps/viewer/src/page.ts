// What the page's operations share: the view state and loaded inputs they change, the map and worker
// they drive, and the page operations one module asks of another. `App` (app.ts) is the one Page; the
// operation modules (worker-loading.ts, scenario-open.ts, analysis-run.ts, siting-run.ts, map-sync.ts)
// take it as their first argument and reach each other only through it, so none imports another and a
// test can hand them a stand-in.

import type { FeatureCollection } from 'geojson';
import type { BasemapController } from './basemap/controller.js';
import type { AreaDrawing } from './drawing-run.js';
import type { ReadDropped } from './file-reading.js';
import type { ContextRole, SitingAreaRole } from './files.js';
import type { LoadedInputs } from './loading.js';
import type { MapView } from './map/map-view.js';
import type { ProfileFile } from './profile-file.js';
import type { PendingLink } from './shared-link.js';
import type { I18n, Locale, TextKey } from './ui/i18n.js';
import type { Busy, Notice, ViewState } from './view/state.js';
import type { WorkerClient } from './worker/client.js';
import type { AnalyzeOptions, MapParts } from './worker/protocol.js';

/** A loaded siting area as the siting panel lists it. */
export interface SitingAreaFile {
  readonly name: string;
  readonly features: number;
}

/** What the map was last given, so that a redraw changes only what changed. */
export interface MapShown {
  /** Whether the map has been fitted to the current communities. */
  fitted: boolean;
  /** Types whose walking catchments have been asked of the worker and not yet come back. */
  readonly walkingPending: Set<string>;
  /** The type whose walking catchments the map shows. */
  walkingShown: string | null;
  /** Whether the map shows a siting result's catchments. */
  siteShapesShown: boolean;
  /** The communities' map data the map draws (null: none), so that the same data is not drawn anew. */
  geometryShown: MapParts | null;
}

export interface Page {
  /** What the page shows: one immutable state, changed only through the transitions of view/state.ts. */
  view: ViewState;
  /** What the worker and the map hold, and how each file was read: changed through loading.ts. */
  inputs: LoadedInputs;
  /** Loaded siting areas: where no new site may go, and the study area a grid is clipped to. */
  readonly sitingAreas: Map<SitingAreaRole, SitingAreaFile>;
  /** Standards profile files the user loaded, by their profile's id. */
  readonly profileFiles: Map<string, ProfileFile>;
  readonly mapShown: MapShown;
  /** A shared link waiting for the user's files it names (shared-link.ts), null when none waits. */
  pendingLink: PendingLink | null;
  /** The excluded area being drawn on the map, and the drawn area whose corners can be moved. */
  readonly drawing: AreaDrawing;
  /** Increased by cancel: an operation that started under another generation stops. */
  readonly generation: number;
  /** Counts profile checks, so that only the latest one ends the busy state. */
  checks: number;
  readonly i18n: I18n;
  readonly mapView: MapView;
  readonly worker: WorkerClient;
  /** Reads one dropped file (GeoJSON in a worker in the browser); absent: read on the page. */
  readonly readDropped?: ReadDropped;
  readonly basemap: BasemapController;
  /** Pixels of the map element's height (the legend's clearance depends on it). */
  readonly mapHeight: number;

  t(key: TextKey, values?: Record<string, string | number>): string;
  setBusy(busy: Busy | null): void;
  setNotice(notice: Notice | null): void;
  /** Shows an error as a notice (a cancelled request shows nothing). */
  showError(error: unknown): void;
  setLocale(locale: Locale): void;
  /** Draws a context layer on the map (districts also label their counties). */
  setContext(role: ContextRole, value: FeatureCollection): Promise<void>;
  openBundled(options?: AnalyzeOptions, profile?: string): Promise<void>;
  openScenario(name: string, value: unknown): Promise<void>;
  runAnalysis(options: AnalyzeOptions): Promise<boolean>;
  runCheck(): Promise<void>;
  runSiting(): Promise<void>;
  evaluateProposals(): Promise<void>;
  /** Draws the drawn excluded areas and the keyboard's cursor on the map from the state. */
  showDrawing(): void;
  /** Applies the view state to the map; the number of feature-state writes. */
  applyView(): number;
  /** Redraws the named panels, or every panel. */
  render(...panels: readonly PanelName[]): void;
}

/** The page's panels, as `render` names them. */
export type PanelName =
  | 'header'
  | 'controls'
  | 'indicators'
  | 'worst'
  | 'siting'
  | 'files'
  | 'exports'
  | 'legend'
  | 'card'
  | 'status'
  | 'notice'
  | 'network'
  | 'walking';
