// The typed messages between the page and the analysis worker. The page owns view state only; the
// worker owns the data and runs @lifecircle/core. Bulk figures travel as typed arrays whose buffers are
// transferred (not copied); text (ids, names, reasons) and the small summaries travel by structured clone.

import type {
  AreaCompliance,
  CoverageSummary,
  HeadlineNote,
  ItemResult,
  NetworkSummary,
  ProposalMeasure,
  Rejection,
  RequirementInfo,
  SitingModelName,
  WalkerProfile,
  Warning,
} from '@lifecircle/core';
import type { TerrainLoss, WalkingSummary } from '@lifecircle/core/internal';
import type { ProfileFile } from '../profile-file.js';

/**
 * What a loaded file is to the worker: analysis inputs, the road network (walking distance and
 * catchments) and siting candidates.
 */
export type InputRole =
  | 'communities'
  | 'facilities'
  | 'demand'
  | 'roads'
  | 'candidates'
  /** Polygons where no new site may go (core's `excludedAreas`). */
  | 'excluded'
  /** Polygons a generated candidate grid is clipped to (core's `studyArea`). */
  | 'studyArea'
  /** An elevation model (GeoTIFF, read by io's `readGeoTiff` as the CLI's `--dem`). */
  | 'dem'
  /**
   * A population raster (GeoTIFF, read by io's `readPopulationRaster` as the CLI's
   * `--population-raster`): each community's population shared out over its cells. It places the
   * population as population points do, so loading one drops the other.
   */
  | 'populationRaster';

/** A file for the worker. */
export interface InputFile {
  readonly role: InputRole;
  readonly name: string;
  /**
   * Its UTF-8 bytes: an `ArrayBuffer` is copied on the page and the copy transferred; a `Blob` (the
   * picked file itself, when reading it left its bytes as they were) crosses to the worker as a
   * handle and is read there, so the page copies nothing: copying a city's 37 MB facilities file
   * took the page's main thread 146 ms.
   */
  readonly bytes: ArrayBuffer | Blob;
}

/** An {@link InputFile} whose bytes are in hand (the worker has read a `Blob`'s). */
export type ReadInputFile = InputFile & { readonly bytes: ArrayBuffer };

/**
 * A GeoTIFF for the worker: the dropped file itself, never read whole (a `Blob` crosses to the worker
 * as a handle, and io reads only the headers and the window's tiles, strips or rows by byte range),
 * with the coordinate system the user declared for it (winning over its GeoKeys, as the CLI's
 * `--dem-crs` / `--population-raster-crs`).
 */
export interface RasterFile {
  readonly role: 'dem' | 'populationRaster';
  readonly name: string;
  readonly file: Blob;
  readonly crs?: string;
}

/** What the page loads into the worker: files by their bytes, GeoTIFFs by their handle. */
export type WorkerFile = InputFile | RasterFile;

/** Whether a file for the worker is a GeoTIFF passed by handle. */
export function isRasterFile(file: WorkerFile): file is RasterFile {
  return 'file' in file;
}

/** How distances are measured: straight lines (great circle) or walking along the loaded roads. */
export type DistanceMode = 'great-circle' | 'network';

/** Options of an analysis, as the page sets them (a subset of core's `AnalysisOptions`). */
export interface AnalyzeOptions {
  /** Radius in metres per type id; overrides the catalog. */
  readonly radii: Readonly<Record<string, number>>;
  /** Types to analyse; empty for every type present in the facilities. */
  readonly types: readonly string[];
  readonly includePlanned: boolean;
  readonly gapThreshold: number;
  /** `network` needs a loaded roads file. Absent in older scenario files: great circle. */
  readonly distance?: DistanceMode;
  /**
   * Walking distance: which pieces of the network points may snap onto, in the CLI's words
   * (`--snap-to largest|all|min-share=S`). Absent: core's default (`min-share=0.01`).
   */
  readonly snapTo?: string;
  /** Walking distance: whether the walk to the road counts against the radius (`--snap-cost`). */
  readonly snapCost?: 'walk' | 'free';
  /**
   * Walking distance measured in minutes for each type's walker (the CLI's `--walker TYPE=NAME`;
   * types not named take the catalog's default walker), over the loaded DEM when there is one.
   * Absent: a flat walk in metres, unless a DEM is loaded (then every type takes its default walker).
   */
  readonly walkers?: Readonly<Record<string, string>>;
  /**
   * A walker file the user loaded (the CLI's `--walker-file`): its name and the profiles core's
   * `parseWalkerProfiles` read from it, added to the built-in walkers (one of the same id replaces it).
   */
  readonly walkerFile?: { readonly name: string; readonly profiles: readonly WalkerProfile[] };
  /**
   * The user's type map (the CLI's `--type-map FILE`): POI categories the built-in tables leave
   * unmapped, each with the catalog type it means, as io's `readTypeMap` read them from the file
   * `name` (rows added from the categories table carry the next row numbers). Absent: none.
   */
  readonly typeMap?: ViewerTypeMap;
}

/** A type map as the page holds it: the file's name and its rows (core's `TypeMapEntry`, without `file`). */
export interface ViewerTypeMap {
  readonly name: string;
  readonly entries: readonly { readonly category: string; readonly type: string; readonly row: number }[];
}

/** Candidate sites of a siting run. */
export type CandidateSpec =
  /**
   * Core's generated candidates: a grid of `spacingM` over the communities with a gap of the type
   * (and the radius around them), plus community centroids. 0: core's default, half the radius.
   */
  | { readonly kind: 'generated'; readonly spacingM: number }
  /** The loaded candidates file (role `candidates`), read by core's `readCandidates`. */
  | { readonly kind: 'loaded' };

/** The siting models (core's), and `evaluate` for the user's own proposals. */
export type SitingModel = SitingModelName;

/** What a `site` message asks. */
export type SiteRequest =
  /**
   * The user's own proposal: the figures of `typeId` with these extra facilities (interleaved lon/lat),
   * and the population each adds in the given order. Needs no siting model.
   */
  | { readonly model: 'evaluate'; readonly typeId: string; readonly proposed: Float64Array }
  /** One of core's siting models, run by `siteFacilities` on the analysis' inputs and distance. */
  | ModelRequest;

export interface ModelRequest {
  readonly model: SitingModel;
  readonly typeId: string;
  /** New sites (every model but `lscp`). */
  readonly k: number;
  /** Set covering: share of residents to reach, (0, 1]. */
  readonly targetShare: number;
  /** Set covering: every community must reach the share on its own. */
  readonly perCommunity: boolean;
  /** Capacitated: demand in capacity units per 1,000 residents (4.5 childcare places per 1,000). */
  readonly ratePer1000: number;
  /** Capacitated: capacity of a new site (and of a loaded candidate without one). */
  readonly capacityPerSite: number;
  /** Let HiGHS solve small instances exactly (`exact: 'auto'`); false: greedy + interchange only. */
  readonly exact: boolean;
  readonly candidates: CandidateSpec;
  /** The CLI's siting constraints (`--budget`, `--min-spacing`, …). */
  readonly constraints: SitingConstraints;
}

/**
 * The siting constraints the CLI's `site` takes, as core's `siteFacilities` options. The excluded
 * areas and the study area are loaded files (roles `excluded`, `studyArea`): loaded, they apply.
 */
export interface SitingConstraints {
  /** Budget for the new sites in the candidates' `cost` units (`--budget`); null: no budget. */
  readonly budget: number | null;
  /** Cost of a candidate without a `cost` value (`--default-cost`); 1: the budget counts sites. */
  readonly defaultCost: number;
  /** Least distance in metres between two open sites (`--min-spacing`); 0: none. */
  readonly minSpacingM: number;
  /** Least open sites in every district that has communities (`--min-per-district`); 0: none. */
  readonly minPerDistrict: number;
  /** Clip generated candidates to the loaded study area, not the communities (`--study-area`). */
  readonly clipToStudyArea: boolean;
  /**
   * Excluded areas the user drew on the map: each an outer ring of [lon, lat] corners (WGS84, not
   * closed). They apply as a loaded excluded-areas file does, together with it when both are there.
   */
  readonly excludedDrawn: readonly (readonly (readonly [number, number])[])[];
}

/** No constraint: what a scenario without them and a fresh viewer ask. */
export const NO_SITING_CONSTRAINTS: SitingConstraints = {
  budget: null,
  defaultCost: 1,
  minSpacingM: 0,
  minPerDistrict: 0,
  clipToStudyArea: false,
  excludedDrawn: [],
};

/** What an `export` message asks for. */
export type ExportFormat = 'geojson' | 'csv' | 'compliance-geojson' | 'compliance-csv';

/** Messages from the page to the worker. Every request has an id that its answers carry. */
export type Request =
  /** Adds or replaces the inputs of the given roles (parsed here, validated by `analyze`). */
  | { readonly type: 'load'; readonly id: number; readonly files: readonly WorkerFile[] }
  /** Drops an optional input (`demand`, `roads`, `candidates`). */
  | { readonly type: 'unload'; readonly id: number; readonly role: InputRole }
  | { readonly type: 'analyze'; readonly id: number; readonly options: AnalyzeOptions }
  /**
   * Judges the last analysis' inputs against a standard profile (core's `checkStandards`): a built-in
   * one by id, or the profile file the user loaded (`definition`, whose id `profile` is).
   */
  | {
      readonly type: 'check';
      readonly id: number;
      readonly profile: string;
      readonly definition?: ProfileFile;
    }
  /** The compliance items of one community of the last `check`, with their reasons. */
  | { readonly type: 'items'; readonly id: number; readonly community: number }
  /** Walking catchments of a type's serving facilities (needs the network distance). */
  | { readonly type: 'catchments'; readonly id: number; readonly typeId: string }
  | { readonly type: 'site'; readonly id: number; readonly request: SiteRequest }
  | { readonly type: 'export'; readonly id: number; readonly format: ExportFormat }
  /**
   * Drops request `target` if it has not started. A running request cannot be interrupted inside
   * core's synchronous kernels, so the page's client cancels a running one by replacing the worker
   * (and replaying the loaded files); see `client.ts`.
   */
  | { readonly type: 'cancel'; readonly id: number; readonly target: number };

/** One analysed type, as the page shows it. */
export interface TypeInfo {
  readonly id: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly radius_m: number;
  readonly radius_status: string;
  /** Required in a complete community (完整居住社区). */
  readonly required: boolean;
  readonly capacity_unit: string | null;
}

/** Facility status codes in `FacilityArrays.status`. */
export const STATUS_CODES = ['open', 'planned', 'under_construction', 'closed'] as const;

export interface FacilityArrays {
  readonly count: number;
  /** Interleaved lon/lat. */
  readonly coords: Float64Array;
  /** Index into the analysis' `types`, or -1 for a type outside the run. */
  readonly typeIndex: Int16Array;
  /** Index into {@link STATUS_CODES}. */
  readonly status: Uint8Array;
  /** 1 when the facility serves in this run (open, or planned with includePlanned). */
  readonly serving: Uint8Array;
  /** Each facility's id ({@link stringAt}). */
  readonly ids: PackedStrings;
  /** Each facility's name, null when it has none ({@link stringAt}). */
  readonly names: PackedStrings;
}

/**
 * Strings packed as one text with offsets, for a list too long to post as strings: the page took
 * 250 ms of main thread to receive 200,000 facilities' ids, names and type ids as 600,000 strings,
 * and receives one text and two typed arrays in a few.
 */
export interface PackedStrings {
  readonly text: string;
  /** String `i` is `text.slice(start[i], start[i + 1])`. */
  readonly start: Uint32Array;
  /** 1 where string `i` is there, 0 where it was null. */
  readonly present: Uint8Array;
}

/** Packs strings (or nulls) as one {@link PackedStrings}. */
export function packStrings(values: readonly (string | null)[]): PackedStrings {
  const start = new Uint32Array(values.length + 1);
  const present = new Uint8Array(values.length);
  values.forEach((value, i) => {
    present[i] = value === null ? 0 : 1;
    start[i + 1] = start[i]! + (value?.length ?? 0);
  });
  return { text: values.map((value) => value ?? '').join(''), start, present };
}

/** String `i` of packed strings: null where it was null, undefined past the end. */
export function stringAt(packed: PackedStrings, i: number): string | null | undefined {
  if (!(i >= 0 && i < packed.present.length)) return undefined;
  return packed.present[i] ? packed.text.slice(packed.start[i], packed.start[i + 1]) : null;
}

/**
 * Per-community figures of every analysed type, community-major: the value of community `c` and type
 * index `t` is at `c * types.length + t`.
 */
export interface CommunityArrays {
  readonly count: number;
  readonly ids: readonly string[];
  readonly names: readonly (string | null)[];
  readonly districts: readonly (string | null)[];
  /** Residents as measured. */
  readonly population: Float64Array;
  /** Covered share; NaN for a community of 0 residents. */
  readonly share: Float32Array;
  readonly coveredPop: Float64Array;
  /** Metres to the nearest serving facility; Infinity when there is none. */
  readonly nearestM: Float32Array;
  /** Index of that facility in `FacilityArrays`, or -1. */
  readonly nearestFacility: Int32Array;
  readonly within: Uint32Array;
  /** 1 when the community has a gap for the type. */
  readonly gap: Uint8Array;
  /** [west, south, east, north] of each community, for flying there. */
  readonly bbox: Float64Array;
  /**
   * On a walking network: core's `network_note` of a community whose demand snapped onto a piece
   * other than the largest (it reaches only what lies on that piece), else null.
   */
  readonly networkNotes: readonly (string | null)[];
}

export interface LoadPayload {
  readonly kind: 'loaded';
  readonly files: readonly { readonly role: InputRole; readonly name: string; readonly features: number }[];
  /** The road network the worker holds, when a roads file is loaded. */
  readonly network: NetworkInfo | null;
  /** The elevation model the worker holds, when one is loaded (read when a walk needs it). */
  readonly dem: { readonly file: string; readonly bytes: number } | null;
  /** The population raster the worker holds, when one is loaded (read when an analysis needs it). */
  readonly populationRaster: { readonly file: string; readonly bytes: number } | null;
}

/** The loaded road network, as built by core's `RoadGraph.fromGeoJSON`. */
export interface NetworkInfo {
  readonly file: string;
  readonly nodes: number;
  readonly edges: number;
  readonly components: number;
  /** Share of the street length in the largest connected piece. */
  readonly largestComponentShare: number;
  readonly rejected: number;
  /** Core's warning that the network has no footway, path or residential street (a drive network). */
  readonly driveOnly: string | null;
}

/** The distance an analysis used. */
export interface DistanceInfo {
  readonly kind: DistanceMode;
  /** The roads file of a network distance. */
  readonly file: string | null;
}

/**
 * A set of map features split into parts, each a source of its own on the map: UTF-8 GeoJSON text of
 * at most a few thousand features per Blob, in strips of longitude. MapLibre's worker sends the page
 * each source's tile in one message, which the page takes in one task, so a tile of a whole city's
 * 20,000 polygons or 28,000 points of a type took 110–380 ms of main thread; a part's tile stays short.
 */
export interface MapParts {
  /** GeoJSON FeatureCollection text, one per part. */
  readonly parts: readonly Blob[];
  /** The part each feature (by its id, an index into the whole set) is in. */
  readonly partOf: Uint16Array;
}

/**
 * The features of a {@link MapParts} ordered by their part, and by id within a part (a counting sort):
 * the order in which the map writes the communities' colours, one part's tiles after another's.
 */
export function orderByPart(partOf: Uint16Array, parts: number): Uint32Array {
  const start = new Uint32Array(parts + 1);
  for (const part of partOf) start[part + 1]!++;
  for (let part = 0; part < parts; part++) start[part + 1]! += start[part]!;
  const order = new Uint32Array(partOf.length);
  partOf.forEach((part, i) => {
    order[start[part]!++] = i;
  });
  return order;
}

export interface AnalysisPayload {
  readonly kind: 'analysis';
  readonly summary: CoverageSummary;
  readonly types: readonly TypeInfo[];
  readonly communities: CommunityArrays;
  readonly facilities: FacilityArrays;
  /**
   * The accepted communities for the map, as UTF-8 GeoJSON text in Blobs (see {@link MapParts}):
   * feature `id` = community index, properties only `name` and `district`. Sent when the inputs
   * changed since the last analysis, else null. Blobs of text rather than objects: they cross to the
   * page by reference and the page hands them to MapLibre's worker by URL, so a city of 20,000
   * polygons is neither copied, cloned nor parsed on the main thread.
   */
  readonly geometry: MapParts | null;
  /**
   * The facilities for the map, one {@link MapParts} of points per entry of `types`, in that order
   * (facilities outside the run are left out): feature `id` = facility index, property `s` (1 when
   * serving).
   */
  readonly facilityPoints: readonly MapParts[];
  /** Increases whenever the inputs change. */
  readonly inputsVersion: number;
  readonly distance: DistanceInfo;
  /** A walk in minutes for each type's walker: what it rests on and who it costs against a flat walk. */
  readonly walking: WalkingPayload | null;
  readonly timeMs: number;
  /**
   * Threads the worker's searches ran on: its pool of Web Workers and itself, or 1 when the page is
   * not cross-origin isolated (no SharedArrayBuffer) or the machine has one core.
   */
  readonly threads: number;
}

/** A walker run's figures (core's `walkerRun` summary and `lostToTerrain` against the flat walk). */
export interface WalkingPayload {
  /** summary.json's `walking` member, as the CLI writes it. */
  readonly summary: WalkingSummary;
  /** Per type id: the communities that lose coverage against the flat walk, and their residents. */
  readonly loss: Readonly<Record<string, Pick<TerrainLoss, 'communities' | 'residents'>>>;
  /** 1 where community `c` loses type index `t` against the flat walk (`c * types + t`). */
  readonly lost: Uint8Array;
  /** Core's warning on edges the DEM does not cover (walked as flat), or null. */
  readonly uncoveredWarning: string | null;
}

/** Completeness codes in `ComplianceArrays.completeness`. */
export const COMPLETENESS_CODES = ['complete', 'incomplete', 'unknown'] as const;
/** Item status codes in `ComplianceArrays.status`. */
export const ITEM_STATUS_CODES = ['pass', 'fail', 'unknown'] as const;

/** Per-community verdicts of a profile, community-major for items: `c * requirements.length + k`. */
export interface ComplianceArrays {
  readonly count: number;
  /** Index into {@link COMPLETENESS_CODES}. */
  readonly completeness: Uint8Array;
  /** Required items passed ÷ required items. */
  readonly score: Float32Array;
  readonly passed: Uint8Array;
  readonly failed: Uint8Array;
  readonly unknown: Uint8Array;
  /** Index into {@link ITEM_STATUS_CODES}, per community and requirement. */
  readonly status: Uint8Array;
  /** Index into the profile's tier order of the highest tier attained (nested profiles), else -1. */
  readonly tier: Int8Array;
}

/** An indicator of the profile with what it is, for the panel's charts. */
export interface IndicatorInfo {
  readonly id: string;
  readonly kind: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly unit: string;
}

export interface CompliancePayload {
  readonly kind: 'compliance';
  readonly profile: {
    readonly id: string;
    readonly name_zh: string;
    readonly name_en: string;
    readonly target_year: number | null;
    /** Nested life-circle tiers, lowest first (gb50180-2018), else empty. */
    readonly tiers: readonly string[];
  };
  readonly requirements: readonly RequirementInfo[];
  readonly indicators: readonly IndicatorInfo[];
  readonly communities: ComplianceArrays;
  /** Districts (most residents first) and the city: core's figures, requirements' details left out. */
  readonly districts: readonly AreaFigures[];
  readonly city: AreaFigures;
  readonly unconfirmed: number;
  readonly notes: readonly string[];
  /** Core's notes beside the headline figures that leave something out (`complianceHeadlineNotes`). */
  readonly headlineNotes: readonly HeadlineNote[];
  /** Whether the facility file counts as the whole inventory (then absent types fail, not unknown). */
  readonly completeInventory: boolean;
  /** Requirements none of whose facility types is in the input: unknown ("no facilities of this type"). */
  readonly absentTypes: readonly { readonly requirement: string; readonly types: readonly string[] }[];
  /** On a walking network: its pieces and reach, as in check's summary.json. */
  readonly network: NetworkSummary | null;
  readonly timeMs: number;
}

/** Core's `AreaCompliance` without the per-requirement summaries. */
export type AreaFigures = Omit<AreaCompliance, 'requirements'>;

export interface ItemsPayload {
  readonly kind: 'items';
  readonly community: number;
  readonly profile: string;
  readonly items: readonly ItemResult[];
}

/**
 * Polygons in flat arrays (loaders.gl's binary polygons): feature `f` has polygons
 * `featureStart[f] … featureStart[f+1]`, polygon `p` rings `polygonStart[p] … polygonStart[p+1]`,
 * ring `r` positions `ringStart[r] … ringStart[r+1]` of `coords` (lon, lat interleaved).
 */
export interface PackedPolygons {
  readonly coords: Float64Array;
  readonly ringStart: Uint32Array;
  readonly polygonStart: Uint32Array;
  readonly featureStart: Uint32Array;
  /** Per feature: the index of its facility or site in the set it was built for. */
  readonly featureIndex: Int32Array;
}

export interface CatchmentsPayload {
  readonly kind: 'catchments';
  readonly typeId: string;
  readonly radiusM: number;
  /** One shape per serving facility of the type; `featureIndex` indexes `FacilityArrays`. */
  readonly shapes: PackedPolygons;
  readonly timeMs: number;
}

/**
 * One site of a siting run or one proposal: where it is and what it adds (core's measures, see
 * `evaluateProposals`), in rank order.
 */
export interface SiteFigures extends ProposalMeasure {
  readonly lon: number;
  readonly lat: number;
  readonly label: string;
  /** Capacitated coverage: residents it serves in the final allocation, and capacity use (0–1). */
  readonly served?: number;
  readonly capacityUse?: number;
}

export interface SitePayload {
  readonly kind: 'site';
  readonly model: SiteRequest['model'];
  readonly typeId: string;
  readonly population: number;
  readonly coveredBefore: number;
  readonly coveredAfter: number;
  readonly sites: readonly SiteFigures[];
  /** The curve against the number of new sites, from 0: covered (capacitated: served) share. */
  readonly curve: readonly { readonly k: number; readonly share: number }[];
  /** Per community after the new sites: covered share (NaN for 0 residents) and gap flag. */
  readonly shareAfter: Float32Array;
  readonly gapAfter: Uint8Array;
  readonly candidates: number;
  /** The model's objective before and after (residents, sites, resident-metres, metres). */
  readonly objective: {
    readonly before: number;
    readonly after: number;
    readonly unit: 'residents' | 'sites' | 'resident-cost' | 'cost';
    /** p-median and p-center: the cost table's bound, at which costs are capped. */
    readonly capM: number | null;
  } | null;
  /** Solver facts for the record, or null for `evaluate`. */
  readonly solver: {
    readonly solver: string;
    readonly status: string;
    readonly gap: number;
    readonly boundMethod: string;
    /** MCLP: why its Lagrangian bound stopped (core's `SitingResult.boundStop`); null otherwise. */
    readonly boundStop: string | null;
  } | null;
  /** Capacitated: ids of open sites whose nearest residents' demand exceeds their capacity. */
  readonly oversubscribed: readonly string[] | null;
  /** Core's sites.geojson (the ranked sites with their figures), as JSON text; null for `evaluate`. */
  readonly sitesGeojson: string | null;
  /** Walking catchments of the new sites (network distance), `featureIndex` = site order. */
  readonly catchments: PackedPolygons | null;
  readonly distance: DistanceInfo;
  readonly timeMs: number;
  readonly warnings: readonly string[];
}

export interface ExportPayload {
  readonly kind: 'export';
  readonly format: ExportFormat;
  readonly text: string;
}

export type ResultPayload =
  | LoadPayload
  | AnalysisPayload
  | CompliancePayload
  | ItemsPayload
  | CatchmentsPayload
  | SitePayload
  | ExportPayload;

/** Why a request failed. */
export interface ErrorPayload {
  /**
   * `json`: a file is not JSON; `input`: nothing can be computed from an input (core's InputError);
   * `option`: an unusable option; `unavailable`: the capability needs something not loaded;
   * `cancelled`; `internal`: a bug.
   */
  readonly kind: 'json' | 'input' | 'option' | 'unavailable' | 'cancelled' | 'internal';
  readonly message: string;
  readonly file?: string;
  readonly rejected?: readonly Rejection[];
  readonly warnings?: readonly Warning[];
}

/** Messages from the worker to the page. */
export type Response =
  | {
      readonly type: 'progress';
      readonly id: number;
      readonly stage: string;
      readonly message: string;
      readonly done?: number;
      readonly total?: number;
    }
  | { readonly type: 'result'; readonly id: number; readonly result: ResultPayload }
  | { readonly type: 'error'; readonly id: number; readonly error: ErrorPayload };

/** The buffers of a payload's typed arrays, to transfer rather than copy. */
export function transferablesOf(payload: ResultPayload): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const add = (a: ArrayBufferView) => {
    if (a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  };
  const addPolygons = (p: PackedPolygons | null) => {
    if (p) for (const a of [p.coords, p.ringStart, p.polygonStart, p.featureStart, p.featureIndex]) add(a);
  };
  if (payload.kind === 'analysis') {
    const c = payload.communities;
    for (const a of [
      c.population,
      c.share,
      c.coveredPop,
      c.nearestM,
      c.nearestFacility,
      c.within,
      c.gap,
      c.bbox,
    ])
      add(a);
    const f = payload.facilities;
    for (const a of [f.coords, f.typeIndex, f.status, f.serving, f.ids.start, f.ids.present]) add(a);
    for (const a of [f.names.start, f.names.present]) add(a);
    if (payload.geometry) add(payload.geometry.partOf);
    for (const points of payload.facilityPoints) add(points.partOf);
    if (payload.walking) add(payload.walking.lost);
  } else if (payload.kind === 'compliance') {
    const c = payload.communities;
    for (const a of [c.completeness, c.score, c.passed, c.failed, c.unknown, c.status, c.tier]) add(a);
  } else if (payload.kind === 'catchments') {
    addPolygons(payload.shapes);
  } else if (payload.kind === 'site') {
    add(payload.shareAfter);
    add(payload.gapAfter);
    addPolygons(payload.catchments);
  }
  return out;
}
