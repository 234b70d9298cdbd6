// The viewer's view state in one place, and every change to it as a named transition: a pure function
// from one state to the next. The page (app.ts) holds the current state, applies a transition for each
// event (an analysis finished, a profile check was cancelled, a community was clicked) and redraws the
// panels and the map from the result; the transitions never touch the DOM, the map or the worker, so
// unit tests run them in Node.
import type { FeatureCollection } from 'geojson';
import type { PaletteName } from '../map/colours.js';
import type { ColourMode, ScenarioSiting } from '../scenario.js';
import {
  type AnalysisPayload,
  type AnalyzeOptions,
  type CompliancePayload,
  type ErrorPayload,
  type ItemsPayload,
  NO_SITING_CONSTRAINTS,
  type SitePayload,
} from '../worker/protocol.js';

/** A point on the map, [longitude, latitude] in WGS84. */
export type LonLat = readonly [number, number];

/** A message box over the map: an error the user can act on, or information. */
export interface Notice {
  readonly kind: 'error' | 'info';
  readonly title: string;
  readonly message: string;
  readonly rejected?: ErrorPayload['rejected'];
}

/** What runs, with its progress: shown with a cancel button. */
export interface Busy {
  readonly message: string;
  readonly done?: number;
  readonly total?: number;
}

/** Per community, the number of gaps among the required types and among all types. */
export interface GapCounts {
  readonly required: Uint8Array;
  readonly all: Uint8Array;
  /** Type indices counted as required (every type when the analysis marks none). */
  readonly requiredTypes: readonly number[];
}

/** What a profile check replaces: restored as it was when the check is cancelled. */
export interface ProfileView {
  readonly profileId: string;
  readonly profileItem: string | null;
  readonly compliance: CompliancePayload | null;
}

/** The standard-profile check: none running, one running (with what it replaces), or one that failed. */
export type CheckState =
  | { readonly status: 'idle' }
  | { readonly status: 'running'; readonly previous: ProfileView }
  | { readonly status: 'failed' };

/** Siting settings of the panel (the type is chosen apart, with the proposals). */
export type SitingSettings = Omit<ScenarioSiting, 'typeId'>;

export interface ViewState {
  /** The analysis the page shows, with the options it ran with. */
  readonly analysis: AnalysisPayload | null;
  readonly options: AnalyzeOptions;
  readonly gaps: GapCounts;
  /** Walking catchments of the shown analysis, per type id, fetched when first shown. */
  readonly walking: ReadonlyMap<string, FeatureCollection>;
  /** The standard profile, its shown item (null: completeness) and its verdicts for the analysis. */
  readonly profileId: string;
  readonly profileItem: string | null;
  readonly compliance: CompliancePayload | null;
  readonly check: CheckState;
  /** What the communities are coloured by, and the type shown in type mode. */
  readonly mode: ColourMode;
  readonly typeId: string | null;
  /** The colour palette of the community scales (colour-blind-safe viridis or cividis, or the default). */
  readonly palette: PaletteName;
  readonly catchments: boolean;
  readonly facilitiesOn: boolean;
  /** In type mode, colour by the shares after the proposals or siting run. */
  readonly showAfter: boolean;
  /** The community whose card is open, and its compliance items once the worker sent them. */
  readonly selected: number | null;
  readonly cardItems: ItemsPayload | null;
  /** Siting: the type, the settings, the last result and the communities whose gap it closes. */
  readonly sitingTypeId: string | null;
  readonly siting: SitingSettings;
  readonly siteResult: SitePayload | null;
  readonly closedGaps: readonly number[];
  /** The siting request behind the shown result (null for proposals): kept in scenarios. */
  readonly lastSiting: ScenarioSiting | null;
  /** Facilities the user proposes, as [lon, lat], and whether a map click places one. */
  readonly proposals: readonly LonLat[];
  readonly proposeMode: boolean;
  readonly busy: Busy | null;
  readonly notice: Notice | null;
  /** The status line when nothing runs. */
  readonly statusText: string;
}

export const DEFAULT_OPTIONS: AnalyzeOptions = {
  radii: {},
  types: [],
  includePlanned: false,
  gapThreshold: 0.5,
  distance: 'great-circle',
};

export const DEFAULT_SITING: SitingSettings = {
  model: 'mclp',
  k: 5,
  targetShare: 0.6,
  perCommunity: false,
  ratePer1000: 4.5,
  capacityPerSite: 50,
  exact: false,
  candidates: { kind: 'generated', spacingM: 0 },
  constraints: NO_SITING_CONSTRAINTS,
};

const NO_GAPS: GapCounts = { required: new Uint8Array(0), all: new Uint8Array(0), requiredTypes: [] };

/** The page before anything is loaded. */
export function initialViewState(profileId = 'pingliang-2025'): ViewState {
  return {
    analysis: null,
    options: DEFAULT_OPTIONS,
    gaps: NO_GAPS,
    walking: new Map(),
    profileId,
    profileItem: null,
    compliance: null,
    check: { status: 'idle' },
    mode: 'gaps-required',
    typeId: null,
    palette: 'default',
    catchments: true,
    facilitiesOn: true,
    showAfter: true,
    selected: null,
    cardItems: null,
    sitingTypeId: null,
    siting: DEFAULT_SITING,
    siteResult: null,
    closedGaps: [],
    lastSiting: null,
    proposals: [],
    proposeMode: false,
    busy: null,
    notice: null,
    statusText: '',
  };
}

// ------------------------------------------------------------------ running work

/** Something started that the user may cancel (loading, an analysis, a check, a siting run). */
export function workStarted(state: ViewState, busy: Busy): ViewState {
  return { ...state, busy };
}

/** The running work ended (done or failed); the status line shows again. */
export function workEnded(state: ViewState): ViewState {
  return state.busy === null ? state : { ...state, busy: null };
}

/** A message for the status line (a file loaded, a scenario opened). */
export function statusShown(state: ViewState, statusText: string): ViewState {
  return { ...state, statusText };
}

export function noticeShown(state: ViewState, notice: Notice | null): ViewState {
  return { ...state, notice };
}

/**
 * The user cancelled what ran. An analysis that had not finished never reached the state, so it needs
 * nothing here; a profile check puts back the profile, item and verdicts it was replacing, so the
 * page shows the previous result unchanged. A check with nothing to put back (the first one after a
 * new analysis) stays not evaluated, with the button to run it again.
 */
export function workCancelled(state: ViewState, statusText: string): ViewState {
  const next: ViewState = { ...state, busy: null, statusText };
  if (state.check.status !== 'running') return next;
  const previous = state.check.previous;
  if (previous.compliance === null) return { ...next, check: { status: 'failed' } };
  return {
    ...next,
    profileId: previous.profileId,
    profileItem: previous.profileItem,
    compliance: previous.compliance,
    check: { status: 'idle' },
  };
}

// ------------------------------------------------------------------ analysis

/**
 * A new analysis is shown. Everything derived from the previous one goes with it: the profile's
 * verdicts, walking catchments, the siting result and its outlines, the selected community and its
 * card. The shown type and the siting type stay when the new analysis has them.
 */
export function analysisFinished(
  state: ViewState,
  analysis: AnalysisPayload,
  options: AnalyzeOptions,
  statusText: string,
): ViewState {
  const gaps = gapCounts(analysis);
  const typeId = analysis.types.some((t) => t.id === state.typeId)
    ? state.typeId
    : (analysis.types[gaps.requiredTypes[0] ?? 0]?.id ?? null);
  const sitingTypeId = analysis.types.some((t) => t.id === state.sitingTypeId) ? state.sitingTypeId : typeId;
  return {
    ...state,
    // The worker sends the communities' map data only when the inputs changed since the analysis it
    // sent it with: a re-analysis carries the shown analysis's, so that any state can be drawn again.
    analysis:
      analysis.geometry === null && state.analysis
        ? { ...analysis, geometry: state.analysis.geometry }
        : analysis,
    options,
    gaps,
    walking: new Map(),
    compliance: null,
    check: { status: 'idle' },
    typeId,
    sitingTypeId,
    selected: null,
    cardItems: null,
    siteResult: null,
    closedGaps: [],
    statusText,
  };
}

/** Per community, how many of the required types and of all types it lacks. */
export function gapCounts(analysis: AnalysisPayload): GapCounts {
  const T = analysis.types.length;
  const n = analysis.communities.count;
  let requiredTypes = analysis.types.flatMap((t, i) => (t.required ? [i] : []));
  if (requiredTypes.length === 0) requiredTypes = analysis.types.map((_, i) => i);
  const isRequired = new Uint8Array(T);
  for (const t of requiredTypes) isRequired[t] = 1;
  const required = new Uint8Array(n);
  const all = new Uint8Array(n);
  const gap = analysis.communities.gap;
  for (let c = 0; c < n; c++) {
    for (let t = 0; t < T; t++) {
      if (gap[c * T + t] !== 1) continue;
      all[c]!++;
      if (isRequired[t] === 1) required[c]!++;
    }
  }
  return { required, all, requiredTypes };
}

/** The walking catchments of a type arrived for the shown analysis. */
export function walkingLoaded(state: ViewState, typeId: string, shapes: FeatureCollection): ViewState {
  return { ...state, walking: new Map([...state.walking, [typeId, shapes]]) };
}

// ------------------------------------------------------------------ standard profile

/**
 * Another standard profile is chosen: its check starts, and the current verdicts are kept aside so
 * that cancelling the check puts them back.
 */
export function profileChosen(state: ViewState, profileId: string): ViewState {
  // With no analysis there is nothing to check yet: the check starts with the next analysis.
  return {
    ...(state.analysis ? checkStarted(state) : state),
    profileId,
    profileItem: null,
    compliance: null,
    cardItems: null,
  };
}

/** A check of the current profile starts (after an analysis, or again after a failure). */
export function checkStarted(state: ViewState): ViewState {
  const previous: ProfileView =
    state.check.status === 'running'
      ? state.check.previous
      : { profileId: state.profileId, profileItem: state.profileItem, compliance: state.compliance };
  return { ...state, check: { status: 'running', previous } };
}

/**
 * A cancel overtook the profile check of a new analysis, shown meanwhile: the analysis `before` the
 * run comes back, with everything {@link analysisFinished} had replaced and its profile's verdicts.
 * The status line, the busy state, the message and the choices of what to show stay as they are.
 */
export function analysisCancelled(state: ViewState, before: ViewState): ViewState {
  return {
    ...state,
    analysis: before.analysis,
    options: before.options,
    gaps: before.gaps,
    walking: before.walking,
    profileId: before.profileId,
    profileItem: before.profileItem,
    compliance: before.compliance,
    check: before.check.status === 'running' ? { status: 'idle' } : before.check,
    typeId: before.typeId,
    sitingTypeId: before.sitingTypeId,
    selected: before.selected,
    cardItems: before.cardItems,
    siteResult: before.siteResult,
    closedGaps: before.closedGaps,
  };
}

/** The profile's verdicts arrived; a shown item the profile lacks falls back to completeness. */
export function checkFinished(state: ViewState, compliance: CompliancePayload): ViewState {
  const keepItem =
    state.profileItem !== null && compliance.requirements.some((r) => r.id === state.profileItem);
  return {
    ...state,
    compliance,
    check: { status: 'idle' },
    profileItem: keepItem ? state.profileItem : null,
  };
}

export function checkFailed(state: ViewState): ViewState {
  return { ...state, check: { status: 'failed' } };
}

// ------------------------------------------------------------------ what the map shows

/** The communities are coloured by gaps, a type's share or the profile (a type may come with it). */
export function modeChosen(state: ViewState, mode: ColourMode, typeId?: string): ViewState {
  return { ...state, mode, typeId: typeId ?? state.typeId };
}

/** The colour palette of the community scales is chosen (the legend and the map follow). */
export function paletteChosen(state: ViewState, palette: PaletteName): ViewState {
  return state.palette === palette ? state : { ...state, palette };
}

/** One item of the profile is shown (null: completeness), in profile mode. */
export function profileItemChosen(state: ViewState, profileItem: string | null): ViewState {
  return { ...state, profileItem, mode: 'profile' };
}

/** Layer switches of the panel. */
export function layersToggled(
  state: ViewState,
  layers: Partial<Pick<ViewState, 'catchments' | 'facilitiesOn' | 'showAfter'>>,
): ViewState {
  return { ...state, ...layers };
}

/** A community is selected (null: none): its card opens, its items still to come. */
export function communitySelected(state: ViewState, selected: number | null): ViewState {
  return { ...state, selected, cardItems: null };
}

export function cardItemsLoaded(state: ViewState, cardItems: ItemsPayload): ViewState {
  return { ...state, cardItems };
}

// ------------------------------------------------------------------ siting

export function sitingTypeChosen(state: ViewState, sitingTypeId: string | null): ViewState {
  return { ...state, sitingTypeId };
}

export function sitingSettingsChanged(state: ViewState, siting: Partial<SitingSettings>): ViewState {
  return { ...state, siting: { ...state.siting, ...siting } as SitingSettings };
}

/**
 * A siting run's or the proposals' figures arrived: the map switches to their type, outlining the
 * communities whose gap they close. `request` is the siting run behind them (null for proposals).
 */
export function siteResultArrived(
  state: ViewState,
  result: SitePayload,
  request: ScenarioSiting | null,
): ViewState {
  const a = state.analysis;
  if (!a) return state;
  const t = a.types.findIndex((x) => x.id === result.typeId);
  const T = a.types.length;
  const closedGaps: number[] = [];
  for (let c = 0; c < a.communities.count; c++) {
    if (a.communities.gap[c * T + t] === 1 && result.gapAfter[c] === 0) closedGaps.push(c);
  }
  return {
    ...state,
    siteResult: result,
    closedGaps,
    lastSiting: request,
    mode: 'type',
    typeId: result.typeId,
  };
}

/** The last proposal was removed: no figures to show. */
export function siteResultCleared(state: ViewState): ViewState {
  return { ...state, siteResult: null, closedGaps: [], lastSiting: null };
}

/** The user placed a proposed facility (a map click in propose mode). */
export function proposalAdded(state: ViewState, point: LonLat): ViewState {
  return { ...state, proposals: [...state.proposals, point] };
}

/** The user dragged proposal `index` to `point`. */
export function proposalMoved(state: ViewState, index: number, point: LonLat): ViewState {
  if (index < 0 || index >= state.proposals.length) return state;
  return { ...state, proposals: state.proposals.map((p, i) => (i === index ? point : p)) };
}

/** The proposals are replaced: cleared, taken from a siting run's sites, or from a scenario. */
export function proposalsReplaced(state: ViewState, proposals: readonly LonLat[]): ViewState {
  return { ...state, proposals };
}

/** Map clicks switch between selecting communities and placing proposals. */
export function proposeModeToggled(state: ViewState): ViewState {
  return { ...state, proposeMode: !state.proposeMode };
}

// ------------------------------------------------------------------ reading the state

/** Index of the shown type in the analysis; -1 when none. */
export function typeIndex(state: ViewState): number {
  return state.analysis?.types.findIndex((t) => t.id === state.typeId) ?? -1;
}

/** Index of the shown profile item among the requirements; -1 for completeness. */
export function profileItemIndex(state: ViewState): number {
  return state.compliance?.requirements.findIndex((r) => r.id === state.profileItem) ?? -1;
}

/** Per-community shares after the proposals or siting run, when the map shows them. */
export function afterShares(state: ViewState): Float32Array | null {
  const r = state.siteResult;
  return r && state.showAfter && state.mode === 'type' && r.typeId === state.typeId ? r.shareAfter : null;
}

/** Communities with at least one gap, counted as the mode counts them (all types or the required). */
export function communitiesWithGap(state: ViewState): number {
  const counts = state.mode === 'gaps-all' ? state.gaps.all : state.gaps.required;
  let n = 0;
  for (const v of counts) if (v > 0) n++;
  return n;
}

// ------------------------------------------------------------------ loading

/**
 * The bundled city is (re)opened on a standard profile: candidates go back to generated ones (the
 * bundled city has no candidate file), and the profile's item to completeness.
 */
export function bundledCityOpened(state: ViewState, profileId: string): ViewState {
  return {
    ...state,
    profileId,
    profileItem: null,
    siting: { ...state.siting, candidates: { kind: 'generated', spacingM: 0 } },
  };
}

/** A file of candidate sites was loaded: siting uses it from now on. */
export function candidatesLoaded(state: ViewState, statusText: string): ViewState {
  return { ...state, siting: { ...state.siting, candidates: { kind: 'loaded' } }, statusText };
}

/**
 * A scenario's view is restored once its inputs are analysed: mode, type and profile item, each kept
 * only when the analysis and the profile have it.
 */
export function scenarioViewRestored(
  state: ViewState,
  view: { mode: ColourMode; typeId: string | null; profileItem: string | null; palette: PaletteName },
  statusText: string,
): ViewState {
  const typeId = state.analysis?.types.some((t) => t.id === view.typeId) ? view.typeId : state.typeId;
  const profileItem =
    state.compliance && !state.compliance.requirements.some((r) => r.id === view.profileItem)
      ? null
      : view.profileItem;
  return { ...state, mode: view.mode, typeId, profileItem, palette: view.palette, statusText };
}

/** Type indices of the facility types the profile's items (or its shown item) name. */
export function profileTypes(state: ViewState): number[] {
  const a = state.analysis;
  const comp = state.compliance;
  if (!a || !comp) return [];
  const requirements = comp.requirements.filter(
    (r) => state.profileItem === null || r.id === state.profileItem,
  );
  const ids = new Set(requirements.flatMap((r) => r.facilities));
  return a.types.flatMap((t, i) => (ids.has(t.id) ? [i] : []));
}
