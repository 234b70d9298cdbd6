// The shareable scenario file: inputs, analysis options, view and proposed sites, as plain JSON that
// reopens to the same view. A scenario is untrusted data: it is parsed with JSON.parse, every field is
// checked and copied one by one into a new object (nothing is spread or merged from the file), embedded
// GeoJSON goes through core's validation like any loaded file, and nothing in it is ever evaluated,
// turned into markup or used as a URL except the basemap, which the user sees and can remove.
import { parseWalkerProfiles, SITING_MODEL_NAMES } from '@lifecircle/core';
import { COLUMN_ROLES, type ColumnOptions, type DeclaredCrs } from '@lifecircle/io';
import type { FeatureCollection } from 'geojson';
import { isBasemapToken } from './basemap/token.js';
import { plainText } from './json.js';
import { PALETTE_NAMES, type PaletteName } from './map/colours.js';
import { parseScenarioTypeMap } from './type-map.js';
import {
  type AnalyzeOptions,
  type CandidateSpec,
  type ModelRequest,
  NO_SITING_CONSTRAINTS,
  type SitingConstraints,
  type SitingModel,
} from './worker/protocol.js';

export const SCENARIO_FORMAT = 'lifecircle-scenario';
export const SCENARIO_VERSION = 1;

export type ColourMode = 'gaps-required' | 'gaps-all' | 'type' | 'profile';
const MODES: readonly ColourMode[] = ['gaps-required', 'gaps-all', 'type', 'profile'];
const PROFILES: readonly string[] = ['gb50180-2018', 'complete-community', 'pingliang-2025'];
const MODELS: readonly SitingModel[] = SITING_MODEL_NAMES;

export interface EmbeddedFile {
  readonly name: string;
  /** The features as the file has them (WGS84 unless `crs` says otherwise). */
  readonly data: unknown;
  /**
   * The coordinate systems of `data`: the one the file declared itself (a `.prj`'s WKT, a GeoJSON
   * `crs` name) and the one the user declared in the viewer; absent for WGS84 data.
   */
  readonly crs?: EmbeddedCrs;
  /** The columns the user named in the column picker (io's `idColumn` …); absent: detected. */
  readonly columns?: ColumnOptions;
  /**
   * Where `data`'s features were in the file (record and spreadsheet row, io's `FeatureOrigins` as
   * arrays): made-up ids (`设施.csv#12`) and problems name the same rows when the scenario reopens.
   */
  readonly origins?: { readonly index: readonly number[]; readonly row: readonly number[] | null };
}

export interface EmbeddedCrs {
  readonly file: {
    readonly source: DeclaredCrs['source'];
    readonly name?: string;
    readonly wkt?: string;
  } | null;
  readonly declared: string | null;
}

const CRS_SOURCES: readonly DeclaredCrs['source'][] = ['geojson', 'prj', 'flatgeobuf', 'geopackage'];
/** Longest coordinate-system text kept from a scenario (a WKT is a few kilobytes). */
const CRS_TEXT_LIMIT = 20_000;

export interface ScenarioView {
  readonly locale: 'zh-CN' | 'en';
  readonly mode: ColourMode;
  readonly typeId: string | null;
  /** The colour palette of the community scales (absent in older files: the default). */
  readonly palette: PaletteName;
  readonly catchments: boolean;
  readonly facilities: boolean;
  readonly showAfter: boolean;
  readonly center: readonly [number, number] | null;
  readonly zoom: number | null;
  readonly basemap: string | null;
  /** The standard profile (a built-in id) and the item the map shows (null: completeness). */
  readonly profile: string | null;
  readonly profileItem: string | null;
}

/**
 * The siting settings a scenario saves: the worker's siting request as it is sent (older files
 * without constraints read as none).
 */
export type ScenarioSiting = ModelRequest;

export interface Scenario {
  readonly format: typeof SCENARIO_FORMAT;
  readonly version: typeof SCENARIO_VERSION;
  readonly created: string;
  /** `pingliang` to use the bundled city instead of embedded files. */
  readonly bundled: 'pingliang' | null;
  readonly inputs: {
    readonly communities: EmbeddedFile | null;
    readonly facilities: EmbeddedFile | null;
    readonly demand: EmbeddedFile | null;
    readonly districts: EmbeddedFile | null;
    /** A road network the user loaded (the bundled city's own roads are not embedded). */
    readonly roads: EmbeddedFile | null;
    /** Siting candidates the user loaded. */
    readonly candidates: EmbeddedFile | null;
    /** Excluded areas and the study area the user loaded (absent in older files: none). */
    readonly excluded: EmbeddedFile | null;
    readonly studyArea: EmbeddedFile | null;
  };
  readonly options: AnalyzeOptions;
  readonly view: ScenarioView;
  /** The siting type and the user's proposed facilities of it. */
  readonly proposals: {
    readonly typeId: string | null;
    readonly points: readonly (readonly [number, number])[];
  };
  /** The last siting run, rerun on open (results are recomputed, never read from the file). */
  readonly siting: ScenarioSiting | null;
  /**
   * Inputs the scenario names but does not carry (a shared link leaves the user's files out): to be
   * dropped again after opening it.
   */
  readonly missing: readonly { readonly role: string; readonly name: string }[];
}

/** Whether a parsed JSON value claims to be a scenario (then {@link parseScenario} decides). */
export function looksLikeScenario(value: unknown): boolean {
  return isObject(value) && value.format === SCENARIO_FORMAT;
}

export class ScenarioError extends Error {}

/** Checks a parsed scenario file and copies its fields into a new, trusted-shape object. */
export function parseScenario(value: unknown): Scenario {
  if (!isObject(value) || value.format !== SCENARIO_FORMAT) {
    throw new ScenarioError(`not a scenario file: expected "format": "${SCENARIO_FORMAT}".`);
  }
  if (value.version !== SCENARIO_VERSION) {
    throw new ScenarioError(
      `scenario version ${String(value.version)} is not supported; this viewer reads version ${SCENARIO_VERSION}.`,
    );
  }
  const inputs = isObject(value.inputs) ? value.inputs : {};
  const options = isObject(value.options) ? value.options : {};
  const view = isObject(value.view) ? value.view : {};
  const proposals = isObject(value.proposals) ? value.proposals : {};
  const bundled = value.bundled === 'pingliang' ? 'pingliang' : null;
  const communities = embedded(inputs.communities, 'communities');
  const facilities = embedded(inputs.facilities, 'facilities');
  const missing = (Array.isArray(value.missing) ? value.missing : [])
    .slice(0, 20)
    .flatMap((m) =>
      isObject(m) && typeof m.role === 'string' && typeof m.name === 'string'
        ? [{ role: plainText(m.role, 40), name: plainText(m.name) }]
        : [],
    );
  if (!bundled && (!communities || !facilities)) {
    throw new ScenarioError(
      missing.length > 0
        ? `a shared link carries the settings, not the data, and this one was made on the sender's own files (${missing.map((m) => m.name).join(', ')}): ask for the scenario file (Export → Scenario file), which carries them, and drop it on the viewer.`
        : 'the scenario has neither the bundled city nor embedded communities and facilities.',
    );
  }
  const radii: Record<string, number> = {};
  if (isObject(options.radii)) {
    for (const [k, v] of Object.entries(options.radii)) {
      if (typeof v === 'number' && v > 0 && Number.isFinite(v) && isSafeKey(k)) radii[k] = v;
    }
  }
  const siting = parseSiting(value.siting);
  // Version-1 files of the first viewer kept loaded candidates as points in the siting run.
  const candidates = embedded(inputs.candidates, 'candidates') ?? siting?.legacyCandidates ?? null;
  const c0: unknown = Array.isArray(view.center) ? view.center[0] : undefined;
  const c1: unknown = Array.isArray(view.center) ? view.center[1] : undefined;
  const center: readonly [number, number] | null = isFiniteNumber(c0) && isFiniteNumber(c1) ? [c0, c1] : null;
  return {
    format: SCENARIO_FORMAT,
    version: SCENARIO_VERSION,
    created: typeof value.created === 'string' ? value.created.slice(0, 40) : '',
    bundled,
    inputs: {
      communities,
      facilities,
      demand: embedded(inputs.demand, 'demand'),
      districts: embedded(inputs.districts, 'districts'),
      roads: embedded(inputs.roads, 'roads'),
      candidates,
      excluded: embedded(inputs.excluded, 'excluded'),
      studyArea: embedded(inputs.studyArea, 'studyArea'),
    },
    options: {
      radii,
      types: Array.isArray(options.types)
        ? options.types.filter((t): t is string => typeof t === 'string')
        : [],
      includePlanned: options.includePlanned === true,
      gapThreshold:
        isFiniteNumber(options.gapThreshold) && options.gapThreshold >= 0 && options.gapThreshold <= 1
          ? options.gapThreshold
          : 0.5,
      distance: options.distance === 'network' ? 'network' : 'great-circle',
      ...walkingOptions(options),
      ...typeMapOption(options.typeMap),
    },
    view: {
      locale: view.locale === 'en' ? 'en' : 'zh-CN',
      mode: MODES.find((m) => m === view.mode) ?? 'gaps-required',
      typeId: typeof view.typeId === 'string' ? view.typeId : null,
      palette: PALETTE_NAMES.find((p) => p === view.palette) ?? 'default',
      catchments: view.catchments !== false,
      facilities: view.facilities !== false,
      showAfter: view.showAfter === true,
      center,
      zoom: isFiniteNumber(view.zoom) && view.zoom >= 0 && view.zoom <= 22 ? view.zoom : null,
      basemap:
        typeof view.basemap === 'string' && view.basemap.length <= 2000 && isBasemapToken(view.basemap)
          ? view.basemap
          : null,
      profile: PROFILES.find((p) => p === view.profile) ?? null,
      profileItem: typeof view.profileItem === 'string' ? view.profileItem.slice(0, 100) : null,
    },
    proposals: {
      typeId: typeof proposals.typeId === 'string' ? proposals.typeId : null,
      points: Array.isArray(proposals.points) ? proposals.points.flatMap(lonLat).slice(0, 500) : [],
    },
    siting: siting ? siting.siting : null,
    missing,
  };
}

/**
 * The walking settings of a scenario's options, as the CLI words them: `snapTo` (`largest`, `all`,
 * `min-share=S`), `snapCost` (`walk`, `free`) and the walker of each type (`walkers`, present when
 * each type walks for its walker). Anything else is left out (core's defaults).
 */
function walkingOptions(options: Record<string, unknown>): Partial<AnalyzeOptions> {
  const snapTo = options.snapTo;
  const validSnapTo =
    snapTo === 'largest' ||
    snapTo === 'all' ||
    (typeof snapTo === 'string' && /^min-share=(0(\.\d+)?|1(\.0+)?)$/.test(snapTo));
  const walkers: Record<string, string> = {};
  if (isObject(options.walkers)) {
    for (const [type, walker] of Object.entries(options.walkers).slice(0, 100)) {
      if (isSafeKey(type) && typeof walker === 'string' && /^[\w-]{1,60}$/.test(walker))
        walkers[type] = walker;
    }
  }
  // A walker file travels with its profiles, read again by core (one with problems is dropped).
  const file = isObject(options.walkerFile) ? options.walkerFile : null;
  const parsed = file ? parseWalkerProfiles(file.profiles) : null;
  const walkerFile =
    file && parsed && parsed.problems.length === 0 && typeof file.name === 'string'
      ? { walkerFile: { name: file.name.slice(0, 200), profiles: parsed.walkers } }
      : {};
  return {
    ...(validSnapTo ? { snapTo: snapTo as string } : {}),
    ...(options.snapCost === 'walk' || options.snapCost === 'free' ? { snapCost: options.snapCost } : {}),
    ...(isObject(options.walkers) ? { walkers } : {}),
    ...walkerFile,
  };
}

/** A scenario's type map, read again against the catalog (one that no longer reads is dropped). */
function typeMapOption(value: unknown): Pick<AnalyzeOptions, 'typeMap'> {
  const typeMap = parseScenarioTypeMap(value);
  return typeMap ? { typeMap } : {};
}

function parseSiting(
  value: unknown,
): { siting: ScenarioSiting; legacyCandidates: EmbeddedFile | null } | null {
  if (!isObject(value) || typeof value.typeId !== 'string') return null;
  const model = MODELS.find((m) => m === value.model);
  if (!model) return null;
  const k = isFiniteNumber(value.k) ? Math.max(1, Math.min(200, Math.round(value.k))) : 5;
  const targetShare =
    isFiniteNumber(value.targetShare) && value.targetShare > 0 && value.targetShare <= 1
      ? value.targetShare
      : 0.8;
  const positive = (v: unknown, fallback: number, max: number) =>
    isFiniteNumber(v) && v > 0 && v <= max ? v : fallback;
  const c = isObject(value.candidates) ? value.candidates : {};
  let candidates: CandidateSpec;
  let legacyCandidates: EmbeddedFile | null = null;
  if (c.kind === 'loaded') {
    candidates = { kind: 'loaded' };
  } else if (c.kind === 'given' && Array.isArray(c.points)) {
    const points = c.points.flatMap(lonLat).slice(0, 50_000);
    const labels = Array.isArray(c.labels) ? c.labels.map((l) => plainText(l)) : [];
    legacyCandidates = {
      name: 'candidates.geojson',
      data: {
        type: 'FeatureCollection',
        features: points.map(([lon, lat], i) => ({
          type: 'Feature',
          properties: { id: labels[i] || `C${i + 1}` },
          geometry: { type: 'Point', coordinates: [lon, lat] },
        })),
      },
    };
    candidates = { kind: 'loaded' };
  } else {
    const spacing =
      isFiniteNumber(c.spacingM) && (c.spacingM === 0 || (c.spacingM >= 10 && c.spacingM <= 5000))
        ? c.spacingM
        : 0;
    candidates = { kind: 'generated', spacingM: spacing };
  }
  return {
    siting: {
      model,
      typeId: value.typeId,
      k,
      targetShare,
      perCommunity: value.perCommunity === true,
      ratePer1000: positive(value.ratePer1000, 4.5, 1000),
      capacityPerSite: positive(value.capacityPerSite, 60, 100_000),
      exact: value.exact === true,
      candidates,
      constraints: parseConstraints(value.constraints),
    },
    legacyCandidates,
  };
}

/** A scenario's siting constraints; a value out of range is no constraint. */
function parseConstraints(value: unknown): SitingConstraints {
  if (!isObject(value)) return NO_SITING_CONSTRAINTS;
  const atLeast = (v: unknown, least: number, fallback: number) =>
    isFiniteNumber(v) && v >= least ? v : fallback;
  return {
    budget: isFiniteNumber(value.budget) && value.budget > 0 ? value.budget : null,
    defaultCost: atLeast(value.defaultCost, Number.MIN_VALUE, NO_SITING_CONSTRAINTS.defaultCost),
    minSpacingM: atLeast(value.minSpacingM, 0, 0),
    minPerDistrict: Math.round(atLeast(value.minPerDistrict, 0, 0)),
    clipToStudyArea: value.clipToStudyArea === true,
    excludedDrawn: (Array.isArray(value.excludedDrawn) ? value.excludedDrawn : [])
      .slice(0, DRAWN_AREAS_LIMIT)
      .map((ring) => (Array.isArray(ring) ? ring.slice(0, DRAWN_CORNERS_LIMIT).flatMap(lonLat) : []))
      .filter((ring) => ring.length >= 3),
  };
}

/** Most drawn excluded areas, and corners of one, kept from a scenario (drawn by hand: a few dozen). */
const DRAWN_AREAS_LIMIT = 200;
const DRAWN_CORNERS_LIMIT = 1000;

function embedded(value: unknown, role: string): EmbeddedFile | null {
  if (!isObject(value) || !isObject(value.data)) return null;
  const name =
    typeof value.name === 'string' && value.name.trim() !== '' ? value.name.slice(0, 200) : `${role}.geojson`;
  const crs = embeddedCrs(value.crs);
  const columns = embeddedColumns(value.columns);
  const origins = embeddedOrigins(value.origins, value.data);
  return {
    name,
    data: value.data,
    ...(crs ? { crs } : {}),
    ...(columns ? { columns } : {}),
    ...(origins ? { origins } : {}),
  };
}

/** Feature origins, kept only when they are whole numbers, one per feature of `data`. */
function embeddedOrigins(value: unknown, data: Record<string, unknown>): EmbeddedFile['origins'] | null {
  if (!isObject(value) || !Array.isArray(data.features)) return null;
  const count = data.features.length;
  const numbers = (v: unknown): number[] | null =>
    Array.isArray(v) && v.length === count && v.every((n) => Number.isInteger(n) && n >= 0) ? v : null;
  const index = numbers(value.index);
  const row = value.row === null ? null : numbers(value.row);
  if (index === null || (row === null && value.row !== null)) return null;
  return { index, row };
}

/** The column picker's named columns: only io's column options, each a column name. */
function embeddedColumns(value: unknown): ColumnOptions | null {
  if (!isObject(value)) return null;
  const columns: Record<string, string> = {};
  for (const role of COLUMN_ROLES) {
    const column = value[`${role}Column`];
    if (typeof column === 'string' && column.trim() !== '') columns[`${role}Column`] = column.slice(0, 200);
  }
  return Object.keys(columns).length > 0 ? (columns as ColumnOptions) : null;
}

function embeddedCrs(value: unknown): EmbeddedCrs | null {
  if (!isObject(value)) return null;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' ? v.slice(0, CRS_TEXT_LIMIT) : undefined;
  const declared = text(value.declared) ?? null;
  let file: EmbeddedCrs['file'] = null;
  const own = value.file;
  if (isObject(own)) {
    const source = CRS_SOURCES.find((s) => s === own.source);
    const name = text(own.name);
    const wkt = text(own.wkt);
    if (source && (name || wkt)) file = { source, ...(name ? { name } : {}), ...(wkt ? { wkt } : {}) };
  }
  return declared === null && file === null ? null : { file, declared };
}

function lonLat(value: unknown): [number, number][] {
  if (Array.isArray(value) && value.length >= 2 && isFiniteNumber(value[0]) && isFiniteNumber(value[1])) {
    const [lon, lat] = [value[0], value[1]];
    if (lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) return [[lon, lat]];
  }
  return [];
}

/** Builds a scenario file's content. */
export function buildScenario(parts: {
  bundled: boolean;
  inputs: Scenario['inputs'];
  options: AnalyzeOptions;
  view: ScenarioView;
  proposals: Scenario['proposals'];
  siting: ScenarioSiting | null;
  /** Files named but not carried (GeoTIFFs), listed as the scenario's `missing`. */
  missing?: Scenario['missing'];
}): unknown {
  const siting = parts.siting;
  return {
    format: SCENARIO_FORMAT,
    version: SCENARIO_VERSION,
    created: new Date().toISOString(),
    bundled: parts.bundled ? 'pingliang' : null,
    inputs: parts.bundled
      ? {
          communities: null,
          facilities: null,
          demand: null,
          districts: null,
          roads: parts.inputs.roads,
          candidates: parts.inputs.candidates,
          excluded: parts.inputs.excluded,
          studyArea: parts.inputs.studyArea,
        }
      : parts.inputs,
    options: parts.options,
    view: parts.view,
    proposals: {
      typeId: parts.proposals.typeId,
      points: parts.proposals.points.map(([a, b]) => [round6(a), round6(b)]),
    },
    siting: siting
      ? {
          model: siting.model,
          typeId: siting.typeId,
          k: siting.k,
          targetShare: siting.targetShare,
          perCommunity: siting.perCommunity,
          ratePer1000: siting.ratePer1000,
          capacityPerSite: siting.capacityPerSite,
          exact: siting.exact,
          candidates: siting.candidates,
          constraints: siting.constraints,
        }
      : null,
    missing: parts.missing ?? [],
  };
}

/** A FeatureCollection for embedding (the parsed value of a loaded file). */
export function embed(name: string, data: FeatureCollection | unknown): EmbeddedFile {
  return { name, data };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isSafeKey(key: string): boolean {
  return key !== '__proto__' && key !== 'constructor' && key !== 'prototype';
}
