// The typed messages between the page and the analysis worker. The page owns view state only; the
// worker owns the data and runs @lifecircle/core. Bulk figures travel as typed arrays whose buffers are
// transferred (not copied); text (ids, names) and the small summary travel by structured clone.
import type { CoverageSummary, Rejection, Warning } from '@lifecircle/core';
import type { FeatureCollection } from 'geojson';

/** What a loaded file is to the analysis. */
export type InputRole = 'communities' | 'facilities' | 'demand';

/** A file for the worker: its bytes are transferred. */
export interface InputFile {
  readonly role: InputRole;
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

/** Options of an analysis, as the page sets them (a subset of core's `AnalysisOptions`). */
export interface AnalyzeOptions {
  /** Radius in metres per type id; overrides the catalog. */
  readonly radii: Readonly<Record<string, number>>;
  /** Types to analyse; empty for every type present in the facilities. */
  readonly types: readonly string[];
  readonly includePlanned: boolean;
  readonly gapThreshold: number;
}

/** Candidate sites of a siting run. */
export type CandidateSpec =
  /** A regular grid with `spacingM` between points, kept where a community of the type's gap lies within reach. */
  | { readonly kind: 'generated'; readonly spacingM: number }
  /** Points the user loaded: interleaved lon/lat, with a label each. */
  | { readonly kind: 'given'; readonly coords: Float64Array; readonly labels: readonly string[] };

/** Siting models the viewer runs: maximal covering (k sites) and set covering (a target share). */
export type SitingModel = 'mclp' | 'lscp';

/** What a `site` message asks. */
export type SiteRequest =
  /**
   * The user's own proposal: the figures of `typeId` with these extra facilities (interleaved lon/lat),
   * and the population each adds in the given order. Needs no siting model.
   */
  | { readonly model: 'evaluate'; readonly typeId: string; readonly proposed: Float64Array }
  /** Maximal covering: `k` new sites of `typeId` chosen among the candidates. */
  | {
      readonly model: 'mclp';
      readonly typeId: string;
      readonly k: number;
      readonly candidates: CandidateSpec;
    }
  /** Set covering: the fewest new sites of `typeId` that bring the covered share to `targetShare`. */
  | {
      readonly model: 'lscp';
      readonly typeId: string;
      readonly targetShare: number;
      readonly candidates: CandidateSpec;
    };

/** Messages from the page to the worker. Every request has an id that its answers carry. */
export type Request =
  /** Adds or replaces the inputs of the given roles (parsed here, validated by `analyze`). */
  | { readonly type: 'load'; readonly id: number; readonly files: readonly InputFile[] }
  | { readonly type: 'analyze'; readonly id: number; readonly options: AnalyzeOptions }
  | { readonly type: 'site'; readonly id: number; readonly request: SiteRequest }
  | { readonly type: 'export'; readonly id: number; readonly format: 'geojson' | 'csv' }
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
  readonly ids: readonly string[];
  readonly names: readonly (string | null)[];
  /** Catalog type id of each facility (also for types outside the run). */
  readonly typeIds: readonly string[];
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
}

export interface LoadPayload {
  readonly kind: 'loaded';
  readonly files: readonly { readonly role: InputRole; readonly name: string; readonly features: number }[];
}

export interface AnalysisPayload {
  readonly kind: 'analysis';
  readonly summary: CoverageSummary;
  readonly types: readonly TypeInfo[];
  readonly communities: CommunityArrays;
  readonly facilities: FacilityArrays;
  /**
   * The accepted communities as GeoJSON for the map: feature `id` = community index, properties only
   * `name` and `district`. Sent when the inputs changed since the last analysis, else null.
   */
  readonly geometry: FeatureCollection | null;
  /** Increases whenever the inputs change. */
  readonly inputsVersion: number;
  readonly timeMs: number;
  /** Which siting models core provides (empty while core has no siting module). */
  readonly sitingModels: readonly SitingModel[];
}

/** A chosen or proposed site with what it adds. */
export interface SiteFigures {
  readonly rank: number;
  readonly lon: number;
  readonly lat: number;
  readonly label: string;
  /** Residents newly within the radius thanks to this site, after the sites ranked before it. */
  readonly addedPopulation: number;
  /** Covered share of the city once this site is added. */
  readonly cumulativeShare: number;
  /** Communities whose residents it newly covers. */
  readonly newlyServedCommunities: number;
}

export interface SitePayload {
  readonly kind: 'site';
  readonly model: SiteRequest['model'];
  readonly typeId: string;
  readonly population: number;
  readonly coveredBefore: number;
  readonly coveredAfter: number;
  readonly sites: readonly SiteFigures[];
  /** Covered share against the number of new sites, from 0. */
  readonly curve: readonly { readonly k: number; readonly share: number }[];
  /** Per community after the new sites: covered share (NaN for 0 residents) and gap flag. */
  readonly shareAfter: Float32Array;
  readonly gapAfter: Uint8Array;
  readonly candidates: number;
  /** Solver facts for the record (model, solver, status, bound gap), or null for `evaluate`. */
  readonly solver: { readonly solver: string; readonly status: string; readonly gap: number } | null;
  readonly timeMs: number;
  readonly warnings: readonly string[];
}

export interface ExportPayload {
  readonly kind: 'export';
  readonly format: 'geojson' | 'csv';
  readonly text: string;
}

export type ResultPayload = LoadPayload | AnalysisPayload | SitePayload | ExportPayload;

/** Why a request failed. */
export interface ErrorPayload {
  /**
   * `json`: a file is not JSON; `input`: nothing can be computed from an input (core's InputError);
   * `option`: an unusable option; `unavailable`: the capability is not in core yet; `cancelled`;
   * `internal`: a bug.
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
    for (const a of [f.coords, f.typeIndex, f.status, f.serving]) add(a);
  } else if (payload.kind === 'site') {
    add(payload.shareAfter);
    add(payload.gapAfter);
  }
  return out;
}
