import type { MultiPolygon, Polygon } from 'geojson';
import { type NetworkSummary, networkReach } from '../analysis/network.js';
import { type FlatWalk, type TerrainLoss, terrainLossOf } from '../analysis/terrain-loss.js';
import { measureCoverage } from '../coverage/index.js';
import { buildDemand, type DemandOptions, type DemandPoints, type DemandReport } from '../demand/index.js';
import { GreatCircleSource } from '../distance/great-circle.js';
import type { DistanceContext, DistanceSource, Origins, Targets } from '../distance/types.js';
import { minutesToMetres } from '../network/walking.js';
import type { WorkPool } from '../parallel/pool.js';
import { type HeadlineNote, headlineNotes } from '../report/notes.js';
import { round } from '../report/round.js';
import { districtsOfPoints } from '../rules/district.js';
import { servesAsGiven } from '../rules/serving.js';
import { FacilityCatalog } from '../standards/catalog.js';
import type { CategoryReport, TypeMapInput } from '../standards/facility-typer.js';
import { type FacilityRecord, featureCollectionOf, validateAnalysisInputs } from '../validate/features.js';
import {
  InputError,
  isRecord,
  OptionError,
  type Rejection,
  shareOption,
  type Warning,
} from '../validate/problems.js';
import {
  type AreaInput,
  type CandidateOrigin,
  type CandidateSet,
  candidatesInAreas,
  combineTargets,
  generateCandidates,
  readCandidates,
} from './candidates.js';
import { type HighsLoadOptions, loadHighs } from './highs.js';
import { SITING_MODEL_NAMES, type SitingModel, type SitingModelParameters, sitingModel } from './models.js';
import { DEFAULT_EXACT_LIMIT, DEFAULT_EXACT_TIME_MS } from './shared.js';
import { type ReconciledTradeoffPoint, reconcileTradeoff, type TradeoffSolution } from './tradeoff.js';
import type {
  BoundStop,
  SitingMethod,
  SitingModelName,
  SitingModelSize,
  SitingOptions,
  SitingResult,
  SitingSolveOptions,
} from './types.js';

/** GeoJSON inputs of {@link siteFacilities}, as parsed JSON values (validated here). */
export interface SiteInput {
  /** FeatureCollection of communities (Point, Polygon, MultiPolygon with id and population). */
  readonly communities: unknown;
  /** FeatureCollection of facilities; those of the chosen type that serve stay fixed. */
  readonly facilities: unknown;
  /** Optional FeatureCollection of population points. */
  readonly demand?: unknown;
  /** Optional FeatureCollection of candidate sites (points or parcels). */
  readonly candidates?: unknown;
  /** Optional FeatureCollection of polygons where no new site may go. */
  readonly excludedAreas?: unknown;
  /** Optional Polygon/MultiPolygon Feature (or a FeatureCollection of them) to clip a generated grid to. */
  readonly studyArea?: unknown;
  /** Names of the inputs in messages (file names). */
  readonly files?: {
    readonly communities?: string;
    readonly facilities?: string;
    readonly demand?: string;
    readonly candidates?: string;
    readonly excludedAreas?: string;
    readonly studyArea?: string;
  };
}

/** How candidates are generated (`--generate-candidates grid:200`). */
export interface SiteGenerateOptions {
  /** Grid spacing in metres; 0: no grid. */
  readonly spacingM?: number;
  /** Clip the grid to the community polygons (default) or to `input.studyArea`. */
  readonly clip?: 'communities' | 'study-area';
  /** Only grid over communities with a gap (and `marginM` around them). Default true. */
  readonly onlyGaps?: boolean;
  /** How far around a gap community the grid reaches. Default: the radius. */
  readonly marginM?: number;
  /** Add community centroids. Default true. */
  readonly centroids?: boolean;
}

/** Stages of {@link siteFacilities}, for progress bars. */
export interface SiteProgress {
  readonly stage: 'validate' | 'demand' | 'candidates' | 'table' | 'solve' | 'report';
  readonly message: string;
}

/** Options of {@link siteFacilities}. */
export interface SiteOptions {
  /** Facility type (id, name or alias). */
  type: string;
  /** POI categories mapped to catalog types, as the analysis option `typeMap` takes them. */
  typeMap?: TypeMapInput;
  model: SitingModelName;
  /** New sites (mclp, pmedian, pcenter, capacitated). */
  k?: number;
  /** Also compute the trade-off curve for 1 … kMax sites (`--k 1..12`). */
  kMax?: number;
  /** Set covering: share of the population to cover. Default 1. */
  targetShare?: number;
  /** Set covering: every community must reach the share (default: the `gapThreshold`, per community). */
  perCommunity?: boolean;
  /** Walking radius in metres. Default: the catalog's radius for the type. */
  radiusM?: number;
  /** p-median / p-center: bound of the cost table (and the cost cap). Default 4 × radius. */
  tableBoundM?: number;
  /** Generate candidates; default when no candidate file is given: `{ spacingM: radius / 2 }`. */
  generate?: SiteGenerateOptions;
  /** Budget for the new sites; candidates' `cost` property (missing: `defaultCost`). */
  budget?: number;
  /** Cost of a candidate without one. Default 1 (the budget then counts sites). */
  defaultCost?: number;
  /** Least distance between two open sites in metres. */
  minSpacingM?: number;
  /** Least number of open sites (existing count) in every district that has communities. */
  minPerDistrict?: number;
  /** Capacitated: demand per resident in capacity units (4.5 / 1000 for 4.5 places per 1,000). */
  rate?: number;
  /** Capacitated: capacity of a candidate without one. */
  capacityPerSite?: number;
  /** Let planned and under-construction facilities count as existing. Default false. */
  includePlanned?: boolean;
  /** Covered share below which a community has a gap. Default 0.5. */
  gapThreshold?: number;
  catalog?: FacilityCatalog;
  demand?: DemandOptions;
  /**
   * Distance source on the demand points (walking network, cost matrix). Default great-circle. The
   * context gives the ids of the accepted communities by owner index (what `CostMatrixSource`
   * matches rows with). Its `warnings` and `checkTargets` go into the summary.
   */
  distance?: (origins: Origins, context: DistanceContext) => DistanceSource;
  /**
   * Threads for the model itself (the CLI's `--threads` pool; the core starts none): maximal
   * covering merges its table and runs its swap beside its bound on them, with the same sites as on
   * one thread. Default: one thread.
   */
  pool?: WorkPool;
  /**
   * Solver options: `exact` (default 'auto': heuristic, then HiGHS warm-started from it within
   * `exactTimeMs` when the answer is not proved optimal and the MILP fits `exactLimit`),
   * `exactTimeMs`, `timeLimitS`, `swap` … `highs` is loaded here when needed.
   */
  solve?: Omit<SitingSolveOptions, 'highs'>;
  /** How to load HiGHS (the wasm URL in a browser). */
  highs?: HighsLoadOptions;
  onProgress?: (event: SiteProgress) => void;
  /**
   * With terrain or walkers (`distance` a `WalkerNetworkSource`): the flat walk to compare with, the
   * sited type at its flat radius. The outcome then carries `terrainLoss`.
   */
  flatWalk?: FlatWalk;
}

/**
 * The communities the walker's walk over the terrain leaves with a gap that the flat walk served,
 * with the existing facilities (as `analyze`'s `lost_to_terrain` of the type), and how many of them
 * the new sites serve again.
 */
export interface SiteTerrainLoss extends TerrainLoss {
  /** Of the lost communities, those without a gap once the new sites are open. */
  readonly servedAfter: number;
  /** Their residents. */
  readonly residentsServedAfter: number;
}

/**
 * One community before and after a siting run, at full precision; its row of summary.json's
 * `communities` (snake_case, rounded) is made by {@link siteSummaryJson}.
 */
export interface CommunitySiteRow {
  readonly id: string;
  readonly name: string | null;
  readonly district: string | null;
  readonly population: number;
  readonly coveredBefore: number;
  readonly coveredAfter: number;
  /** Covered share of the community's residents (at most 1); null for a community without residents. */
  readonly shareBefore: number | null;
  readonly shareAfter: number | null;
  readonly gapBefore: boolean;
  readonly gapAfter: boolean;
  /** p-median / p-center: population-weighted mean cost to the nearest site, before and after (null when none is reached). */
  readonly meanCostBefore?: number | null;
  readonly meanCostAfter?: number | null;
}

/** The question a siting run answered, as {@link SiteSummary.parameters}. */
export interface SiteParameters {
  readonly k: number | null;
  /**
   * The radius in the run's cost unit (`costUnit`): metres, or minutes on a walker's run (the
   * metres asked for, at the walker's speed); summary.json names it `radius_m` or `radius_min`.
   */
  readonly radiusM: number;
  readonly targetShare: number | null;
  readonly perCommunity: boolean | null;
  readonly tableBoundM: number | null;
  readonly budget: number | null;
  readonly minSpacingM: number | null;
  readonly minPerDistrict: number | null;
  readonly rate: number | null;
  readonly exact: boolean | 'auto';
  readonly gapThreshold: number;
  readonly distance: string;
  readonly costUnit: 'm' | 'min';
  readonly existingFacilities: number;
  readonly candidates: number;
  readonly candidatesExcluded: number;
}

/** One point of a siting run's trade-off curve, as {@link SiteSummary.tradeoff}. */
export interface SiteTradeoffPoint {
  readonly k: number;
  readonly objective: number;
  readonly coveredPopulation: number;
  readonly coveredShare: number;
  /**
   * Best objective any solution with k new sites could reach (an upper bound for coverage, a
   * lower bound for cost): the tighter of the greedy's online bound and the answer's proved bound;
   * null when there is none.
   */
  readonly bound: number | null;
  /** Which solution the point is (see {@link ReconciledTradeoffPoint.solution}). */
  readonly solution: TradeoffSolution;
}

/**
 * A siting run's figures at full precision with camelCase names. summary.json of `lifecircle site`
 * (snake_case, rounded) is made from it by {@link siteSummaryJson}; `demand`, `categories`,
 * `network`, `rejected`, `warnings` and `headlineNotes` are the members every summary.json carries
 * verbatim.
 */
export interface SiteSummary {
  readonly model: SitingModelName;
  readonly type: string;
  readonly parameters: SiteParameters;
  /** Covered residents (mclp, capacitated), new sites (lscp), resident-metres (pmedian), metres (pcenter). */
  readonly objective: number;
  readonly objectiveBefore: number;
  readonly objectiveUnit: 'residents' | 'sites' | 'resident-cost' | 'cost';
  readonly population: number;
  /** How the demand points were placed, as in `analyze`'s summary.json (`demand`). */
  readonly demand: DemandReport;
  readonly coveredPopulationBefore: number;
  readonly coveredPopulationAfter: number;
  readonly coveredShareBefore: number | null;
  readonly coveredShareAfter: number | null;
  readonly gapCommunitiesBefore: number;
  readonly gapCommunitiesAfter: number;
  readonly solver: string;
  readonly status: string;
  /**
   * How the answer was reached: `heuristic`, `proved-optimal by bound`, `exact (HiGHS)`,
   * `exact timed out: heuristic kept` or `exact timed out: HiGHS answer kept` (see `SitingMethod`).
   */
  readonly method: SitingMethod;
  /** The proved bound on the objective; null when there is none. */
  readonly bound: number | null;
  readonly boundMethod: string;
  /** Maximal covering: why its Lagrangian bound stopped (see `BoundStop`) when `bound` is that bound; else null. */
  readonly boundStop: BoundStop | null;
  /** Relative gap between the objective and the bound; null when there is no bound. */
  readonly gap: number | null;
  readonly timeMs: number;
  /** How many new sites were chosen. */
  readonly sites: number;
  /** Capacitated models: ids of the sites and facilities whose nearest residents exceed their capacity. */
  readonly oversubscribed: readonly string[] | null;
  /** With `kMax`: the answer for each number of new sites from 1. */
  readonly tradeoff: readonly SiteTradeoffPoint[] | null;
  readonly communities: readonly CommunitySiteRow[];
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly (Warning | { readonly code: 'siting'; readonly message: string })[];
  /** Facilities typed per POI-category rule and the unmapped categories, as in the analysis summary. */
  readonly categories?: CategoryReport;
  /**
   * On a walking network: its pieces, snapping rules and reach, as in `analyze`'s summary.json (its
   * facility counts are of the existing facilities).
   */
  readonly network?: NetworkSummary;
  /** On a walking network: `coveredPopulationAfter` as a share of the residents it reaches. */
  readonly coveredShareAfterOfReached?: number | null;
  /** Notes beside the headline figures that leave something out (see `headlineNotes`). */
  readonly headlineNotes?: readonly HeadlineNote[];
}

/** How a chosen site's capacity is used, under the capacitated model, as {@link ChosenSite.load}. */
export interface ChosenSiteLoad {
  /** Its capacity (places, beds), from the candidate's `capacity` or `capacityPerSite`. */
  readonly capacity: number;
  /** Residents it serves in the max-flow allocation. */
  readonly servedPopulation: number;
  /** Served demand (residents × rate) over capacity. */
  readonly capacityUse: number;
  /** Residents for whom it is the nearest open site within the radius. */
  readonly nearestPopulation: number;
  /** Whether its nearest residents' demand exceeds its capacity. */
  readonly oversubscribed: boolean;
}

/**
 * One new site of a siting run, at full precision with camelCase names; its Feature of
 * sites.geojson (snake_case, rounded) is made by {@link siteFeatureCollection}.
 */
export interface ChosenSite {
  /** The candidate's id (generated candidates: `grid-…`, `centroid-…`). */
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  /** Order of choice, from 1. */
  readonly rank: number;
  /** Where the candidate came from: the candidates file, the grid or a community centroid. */
  readonly source: CandidateOrigin;
  /** The facility type sited (catalog id). */
  readonly type: string;
  /** Residents newly within the radius thanks to this site, after the sites before it. */
  readonly addedPopulation: number;
  /** Residents within the radius of some open site once this site is added (existing included). */
  readonly cumulativeCoveredPopulation: number;
  /** `cumulativeCoveredPopulation` as a share of the population. */
  readonly cumulativeCoveredShare: number;
  /** The model's objective once this site is added. */
  readonly objective: number;
  /** Ids of the communities with residents newly within the radius thanks to this site. */
  readonly newlyServedCommunities: readonly string[];
  /** Capacitated model: how its capacity is used. */
  readonly load?: ChosenSiteLoad;
  /** With a budget: its opening cost (the candidate's `cost`, else `defaultCost`). */
  readonly cost?: number;
  /** Its district, when the candidate has one. */
  readonly district?: string;
}

/** What {@link siteFacilities} returns. */
export interface SiteOutcome {
  /** The new sites in order of choice; {@link siteFeatureCollection} makes sites.geojson from them. */
  readonly chosen: readonly ChosenSite[];
  /** The run's figures at full precision; {@link siteSummaryJson} makes summary.json from them. */
  readonly summary: SiteSummary;
  readonly result: SitingResult;
  readonly tradeoff: readonly ReconciledTradeoffPoint[] | null;
  readonly candidates: CandidateSet;
  /** Target ids: existing facilities first, then candidates (result indices point here). */
  readonly targetIds: readonly string[];
  /** With `flatWalk`: who terrain and the walker leave out, and how many the new sites serve. */
  readonly terrainLoss?: SiteTerrainLoss;
}

/**
 * Answers "where do the next k facilities of a type go?" from GeoJSON: validates the inputs, places
 * the population on demand points, keeps the facilities of the type that serve as fixed, reads or
 * generates candidates (minus excluded areas), builds the cost table with the distance source,
 * solves the model and returns the chosen sites and the run's figures at full precision
 * (`siteFeatureCollection` and `siteSummaryJson` make sites.geojson and summary.json of them). HiGHS is loaded only when needed
 * (`exact: true`, or `'auto'` for an instance within the exact or LP size limits).
 *
 * Bad features never stop the run (they are in `summary.rejected`); input from which nothing can
 * be computed throws an {@link InputError}.
 *
 * @example
 * const outcome = await siteFacilities(
 *   { communities, facilities },
 *   { type: 'nursery_childcare', model: 'mclp', k: 12, generate: { spacingM: 200 } },
 * );
 * outcome.summary.coveredShareAfter;
 */
export async function siteFacilities(input: SiteInput, options: SiteOptions): Promise<SiteOutcome> {
  const progress = options.onProgress ?? (() => {});
  const files = {
    communities: input.files?.communities ?? 'communities',
    facilities: input.files?.facilities ?? 'facilities',
    demand: input.files?.demand ?? 'demand',
    candidates: input.files?.candidates ?? 'candidates',
    excludedAreas: input.files?.excludedAreas ?? 'excluded areas',
    studyArea: input.files?.studyArea ?? 'study area',
  };
  const catalog = options.catalog ?? FacilityCatalog.builtIn();
  const type = catalog.resolve(options.type);
  if (!type) {
    throw new OptionError(
      'type',
      `unknown facility type '${options.type}'. Use one of: ${catalog.types.map((t) => t.id).join(', ')}.`,
    );
  }
  const radius = options.radiusM ?? type.radius_m;
  if (!(radius > 0) || !Number.isFinite(radius))
    throw new OptionError('radiusM', `radius must be a positive number of metres, got ${radius}.`);
  const gapThreshold = shareOption('gapThreshold', options.gapThreshold ?? 0.5);
  if (options.tableBoundM !== undefined && !(options.tableBoundM > 0)) {
    throw new OptionError('tableBoundM', `must be a positive number of metres, got ${options.tableBoundM}.`);
  }
  if (options.generate?.clip === 'study-area' && input.studyArea === undefined) {
    throw new OptionError('generate', "clip: 'study-area' needs a study area (input.studyArea).");
  }
  const model = options.model;
  const entry = sitingModel(model);
  if (!entry) {
    throw new OptionError(
      'model',
      `unknown model '${String(model)}'. Use one of: ${SITING_MODEL_NAMES.join(', ')}.`,
    );
  }
  const needsK = entry.needsK;
  const askedK = options.k ?? options.kMax;
  if (needsK && (askedK === undefined || !(askedK >= 0) || !Number.isInteger(askedK))) {
    throw new OptionError('k', `model ${model} needs k, a whole number of new sites; got ${askedK}.`);
  }
  const k = askedK ?? 0;

  progress({ stage: 'validate', message: 'Checking communities, facilities and candidates' });
  const { communities, facilities, demandFile } = validateAnalysisInputs(
    input,
    catalog,
    files,
    options.typeMap,
  );
  if (communities.records.length === 0) {
    throw new InputError(files.communities, `no usable community (${communities.rejected.length} rejected).`);
  }
  const rejected: Rejection[] = [
    ...communities.rejected,
    ...facilities.rejected,
    ...(demandFile?.rejected ?? []),
  ];
  const warnings: (Warning | { code: 'siting'; message: string })[] = [
    ...communities.warnings,
    ...facilities.warnings,
    ...(demandFile?.warnings ?? []),
  ];
  const existing = facilities.records.filter(
    (f) => f.typeId === type.id && servesAsGiven(f.status, options.includePlanned === true),
  );

  progress({ stage: 'demand', message: 'Placing population on demand points' });
  const demandBuild = buildDemand(
    communities.records,
    demandFile ? { records: demandFile.records, file: files.demand } : undefined,
    options.demand,
  );
  rejected.push(...demandBuild.rejected);
  warnings.push(...demandBuild.warnings);
  const demand = demandBuild.demand;
  const context: DistanceContext = { communityIds: communities.records.map((c) => c.id) };
  const source: DistanceSource = options.distance
    ? options.distance(demand, context)
    : new GreatCircleSource(demand);
  warnings.push(...(source.warnings ?? []));

  // Existing facilities as targets, and the coverage they give (for gap-only grids).
  // The targets carry the type sited so a source that walks each type for its own walker
  // (WalkerNetworkSource) measures existing facilities and candidates for that walker.
  const existingTargets = {
    coords: Float64Array.from(existing.flatMap((f) => [f.lon, f.lat])),
    ids: existing.map((f) => f.id),
    type: type.id,
  };
  const before = measureCoverage(source, demand, existingTargets, radius, { gapThreshold });
  // The same existing facilities on the flat walk, for the communities terrain and walker take away.
  const flatGap = options.flatWalk
    ? measureCoverage(
        options.flatWalk.distance(demand, context),
        demand,
        existingTargets,
        options.flatWalk.radii[type.id] ?? minutesToMetres(radius),
        { gapThreshold },
      ).community.gap
    : null;

  progress({ stage: 'candidates', message: 'Reading and generating candidate sites' });
  const parts: CandidateSet[] = [];
  if (input.candidates !== undefined) {
    const read = readCandidates(input.candidates, { file: files.candidates });
    rejected.push(...read.rejected);
    warnings.push(...read.warnings);
    parts.push(read.candidates);
  }
  // The grid is laid in metres: a radius in minutes is the walker's flat walk in that time.
  const radiusMetres =
    source.costUnit === 'min'
      ? radius *
        (source.metresPerCost?.({ coords: new Float64Array(0), type: type.id }) ?? minutesToMetres(1))
      : radius;
  const generate =
    options.generate ??
    (input.candidates === undefined ? { spacingM: Math.round(radiusMetres / 2) } : undefined);
  if (generate) {
    let clip: 'communities' | AreaInput = 'communities';
    if (generate.clip === 'study-area' && input.studyArea !== undefined) {
      const areas = areasOf(input.studyArea, files.studyArea);
      if (areas.length === 0) throw new InputError(files.studyArea, 'holds no Polygon or MultiPolygon.');
      clip =
        areas.length === 1
          ? areas[0]!
          : { type: 'MultiPolygon', coordinates: areas.flatMap((a) => polygonsOfArea(a)) };
    }
    const onlyGaps = generate.onlyGaps ?? true;
    parts.push(
      generateCandidates({
        communities: communities.records,
        spacingM: generate.spacingM ?? 0,
        clip,
        gaps: onlyGaps ? before.community.gap : undefined,
        marginM: generate.marginM ?? radiusMetres,
        centroids: generate.centroids ?? true,
      }),
    );
  }
  const candidates = concatCandidates(parts);
  // With no candidate left there is nothing to choose from; the solvers are not asked.
  if (candidates.ids.length === 0) {
    const given = input.candidates === undefined ? [] : rejected.filter((r) => r.file === files.candidates);
    throw new InputError(
      files.candidates,
      input.candidates !== undefined
        ? `there are no candidate sites to choose from: the file holds no usable point or polygon${given.length > 0 ? ` (${given.length} rejected)` : ''}.`
        : existing.length === 0
          ? 'there are no candidate sites: give a candidates file or generate them.'
          : 'no candidate site was generated (no community has a gap near which to place one): give a candidates file, or generate candidates everywhere.',
      given,
    );
  }
  const combined = combineTargets(existingTargets, { coords: candidates.coords, ids: candidates.ids });
  const { fixed, candidateOffset } = combined;
  const targets = { ...combined.targets, type: type.id };
  const nTargets = targets.ids.length;
  // Existing facilities and candidate sites are checked apart, so each warning names its own file
  // and counts what it says it counts (existing facilities are not candidates).
  if (source.checkTargets) {
    if (existing.length > 0) {
      warnings.push(
        ...source.checkTargets(existingTargets, files.facilities, `existing ${type.id} facilities`),
      );
    }
    if (candidates.ids.length > 0) {
      warnings.push(
        ...source.checkTargets(
          { coords: candidates.coords, ids: candidates.ids },
          files.candidates,
          `candidate ${type.id} sites`,
        ),
      );
    }
  }
  // Every model places at most one new site per candidate; asked for more, it says so rather than
  // silently returning fewer.
  if (needsK && k > candidates.ids.length) {
    warnings.push({
      code: 'siting',
      message: `k is ${k} but there are only ${candidates.ids.length} candidate sites: at most ${candidates.ids.length} new sites can be placed.`,
    });
  }

  // Excluded areas → excluded candidate indices.
  let excluded = new Uint32Array(0);
  if (input.excludedAreas !== undefined) {
    const inside = candidatesInAreas(candidates.coords, areasOf(input.excludedAreas, files.excludedAreas));
    excluded = inside.map((c) => c + candidateOffset);
  }

  // Districts: labels over the communities' districts; every target takes its district by the one
  // district rule (its own value, else the community containing it, else the nearest community).
  let district: Int32Array | undefined;
  if (options.minPerDistrict !== undefined) {
    const names = [
      ...new Set(communities.records.map((c) => c.district).filter((d): d is string => d !== null)),
    ].sort();
    const label = new Map(names.map((n, i) => [n, i]));
    const ownDistricts: unknown[] = [...existing.map((f) => f.properties.district), ...candidates.district];
    district = Int32Array.from(
      districtsOfPoints(targets.coords, ownDistricts, communities.records, demand),
      (name) => label.get(name) ?? -1,
    );
  }

  // Costs for the budget.
  let cost: Float64Array | undefined;
  if (options.budget !== undefined) {
    const fallback = options.defaultCost ?? 1;
    let missing = 0;
    cost = new Float64Array(nTargets);
    for (let c = 0; c < candidates.ids.length; c++) {
      const v = candidates.cost[c]!;
      if (Number.isNaN(v)) missing++;
      cost[candidateOffset + c] = Number.isNaN(v) ? fallback : v;
    }
    if (missing > 0)
      warnings.push({
        code: 'siting',
        message: `${missing} candidates have no cost; they cost ${fallback} each.`,
      });
  }

  const common: SitingOptions = {
    targetCount: nTargets,
    fixed,
    excluded,
    radius: entry.minimisesCost ? undefined : radius,
    coords: targets.coords,
    owner: demand.owner,
    ownerCount: demand.ownerCount,
    ...(cost ? { cost, budget: options.budget } : {}),
    ...(options.minSpacingM ? { minSpacingM: options.minSpacingM } : {}),
    ...(district ? { district, minPerDistrict: options.minPerDistrict } : {}),
  };

  progress({ stage: 'table', message: `Measuring ${demand.owner.length} demand points × ${nTargets} sites` });
  const tableBound = entry.minimisesCost ? (options.tableBoundM ?? 4 * radius) : radius;
  let capacity: Float64Array | undefined;
  if (entry.capacitated) {
    if (options.rate === undefined)
      throw new OptionError(
        'rate',
        'the capacitated model needs a rate (demand per resident, e.g. 4.5/1000).',
      );
    capacity = capacities(existing, candidates, options.capacityPerSite, warnings, type.id);
  }
  const parameters: SitingModelParameters = {
    common,
    k,
    radius,
    tableBound,
    targetShare: options.targetShare ?? (options.perCommunity ? gapThreshold : 1),
    perCommunity: options.perCommunity ?? false,
    ...(capacity ? { capacity } : {}),
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
    ...(options.pool === undefined ? {} : { pool: options.pool }),
  };
  const siting: SitingModel = entry.buildFromSource
    ? entry.buildFromSource(source, demand, targets, parameters)
    : entry.build(source.within(targets, tableBound), demand.weight, parameters);

  progress({ stage: 'solve', message: `Solving ${model}` });
  const size: SitingModelSize = siting.size;
  const solveOptions = options.solve ?? {};
  const exact = solveOptions.exact ?? 'auto';
  // HiGHS (wasm, imported on first use) is loaded when the exact step may run or the LP relaxation
  // may serve as the bound; `solve` then decides whether the heuristic's answer needs it.
  const exactTimeMs =
    solveOptions.exactTimeMs ??
    (solveOptions.timeLimitS !== undefined ? 1000 * solveOptions.timeLimitS : DEFAULT_EXACT_TIME_MS);
  // p-center's exact step is sized after its heuristic (the reduced covering problem at the radius
  // it reached), far below the whole table that `milpNonzeros` counts.
  const wantHighs =
    exact === true ||
    (exact === 'auto' &&
      ((exactTimeMs > 0 &&
        (model === 'pcenter' || size.milpNonzeros <= (solveOptions.exactLimit ?? DEFAULT_EXACT_LIMIT))) ||
        size.milpNonzeros <= (solveOptions.lpBoundLimit ?? 50_000)));
  const highs = wantHighs ? await loadHighs(options.highs) : undefined;
  const result = siting.solve({ ...solveOptions, ...(highs ? { highs } : {}) });
  // One answer per question: the curve's point at each k is the best solution found for that k,
  // and at the answer's k it is the answer (see reconcileTradeoff).
  const tradeoff =
    options.kMax !== undefined && siting.tradeoff
      ? reconcileTradeoff(siting.tradeoff(options.kMax), result).filter((p) => p.k >= 1)
      : null;

  progress({ stage: 'report', message: 'Writing the answer' });
  for (const message of result.warnings) warnings.push({ code: 'siting', message });
  const idOfCommunity = communities.records.map((c) => c.id);
  const chosen: ChosenSite[] = result.sites.map((site) => {
    const c = site.candidate - candidateOffset;
    const load = result.loads?.find((l) => l.target === site.candidate);
    const district = candidates.district[c];
    return {
      id: targets.ids[site.candidate]!,
      lon: targets.coords[2 * site.candidate]!,
      lat: targets.coords[2 * site.candidate + 1]!,
      rank: site.rank,
      source: candidates.origin[c] ?? 'file',
      type: type.id,
      addedPopulation: site.addedWeight,
      cumulativeCoveredPopulation: site.cumulativeWeight,
      cumulativeCoveredShare: site.cumulativeShare,
      objective: site.objective,
      newlyServedCommunities: site.newlyServedOwners.map((o) => idOfCommunity[o]!),
      ...(load
        ? {
            load: {
              capacity: load.capacity,
              servedPopulation: load.served,
              capacityUse: load.capacityUse,
              nearestPopulation: load.nearestResidents,
              oversubscribed: load.oversubscribed,
            },
          }
        : {}),
      ...(cost ? { cost: cost[site.candidate]! } : {}),
      ...(district ? { district } : {}),
    };
  });

  const owners = result.owners;
  const rows: CommunitySiteRow[] = communities.records.map((record, o) => {
    const population = owners ? owners.population[o]! : 0;
    const coveredBefore = owners ? owners.coveredBefore[o]! : 0;
    const coveredAfter = owners ? owners.coveredAfter[o]! : 0;
    const share = (v: number) => (population > 0 ? Math.min(1, v / population) : null);
    const row: CommunitySiteRow = {
      id: record.id,
      name: record.name,
      district: record.district,
      population,
      coveredBefore,
      coveredAfter,
      shareBefore: share(coveredBefore),
      shareAfter: share(coveredAfter),
      gapBefore: population > 0 && coveredBefore / population < gapThreshold,
      gapAfter: population > 0 && coveredAfter / population < gapThreshold,
      ...(owners?.meanCostBefore && owners.meanCostAfter
        ? {
            meanCostBefore: finiteOrNull(owners.meanCostBefore[o]!),
            meanCostAfter: finiteOrNull(owners.meanCostAfter[o]!),
          }
        : {}),
    };
    return row;
  });
  const lost =
    flatGap &&
    terrainLossOf(
      flatGap,
      rows.map((r) => r.gapBefore),
      before.community.population,
      rows.map((r) => r.id),
    );
  const terrainLoss: SiteTerrainLoss | undefined = lost
    ? {
        ...lost,
        servedAfter: rows.filter((r, c) => lost.lost[c] === 1 && !r.gapAfter).length,
        residentsServedAfter: rows.reduce(
          (sum, r, c) => sum + (lost.lost[c] === 1 && !r.gapAfter ? before.community.population[c]! : 0),
          0,
        ),
      }
    : undefined;
  const population = result.population;
  const summary: SiteSummary = {
    model,
    type: type.id,
    parameters: {
      k: needsK ? k : null,
      radiusM: radius,
      targetShare:
        model === 'lscp' ? (options.targetShare ?? (options.perCommunity ? gapThreshold : 1)) : null,
      perCommunity: model === 'lscp' ? (options.perCommunity ?? false) : null,
      tableBoundM: entry.minimisesCost ? tableBound : null,
      budget: options.budget ?? null,
      minSpacingM: options.minSpacingM ?? null,
      minPerDistrict: options.minPerDistrict ?? null,
      rate: entry.capacitated ? (options.rate ?? null) : null,
      exact,
      gapThreshold,
      distance: source.kind,
      costUnit: source.costUnit,
      existingFacilities: existing.length,
      candidates: candidates.ids.length,
      candidatesExcluded: excluded.length,
    },
    objective: result.objective,
    objectiveBefore: result.objectiveBefore,
    objectiveUnit: entry.objectiveUnit,
    population,
    demand: demandBuild.report,
    coveredPopulationBefore: result.coveredBefore,
    coveredPopulationAfter: result.coveredAfter,
    coveredShareBefore: population > 0 ? result.coveredBefore / population : null,
    coveredShareAfter: population > 0 ? result.coveredAfter / population : null,
    gapCommunitiesBefore: rows.filter((r) => r.gapBefore).length,
    gapCommunitiesAfter: rows.filter((r) => r.gapAfter).length,
    solver: result.solver,
    status: result.status,
    method: result.method,
    bound: Number.isFinite(result.bound) ? result.bound : null,
    boundMethod: result.boundMethod,
    boundStop: result.boundStop,
    gap: Number.isFinite(result.gap) ? result.gap : null,
    timeMs: result.timeMs,
    sites: result.sites.length,
    oversubscribed: result.loads
      ? result.loads.filter((l) => l.oversubscribed).map((l) => targets.ids[l.target]!)
      : null,
    tradeoff: tradeoff
      ? tradeoff.map((p) => ({
          k: p.k,
          objective: p.objective,
          coveredPopulation: p.coveredWeight,
          coveredShare: p.coveredShare,
          bound: Number.isFinite(p.bound) ? p.bound : null,
          solution: p.solution,
        }))
      : null,
    communities: rows,
    rejected,
    warnings,
    ...(facilities.categories ? { categories: facilities.categories } : {}),
    ...networkMembers(source, demand, existingTargets, result.coveredAfter),
  };
  return {
    chosen,
    summary,
    result,
    tradeoff,
    candidates,
    targetIds: targets.ids,
    ...(terrainLoss ? { terrainLoss } : {}),
  };
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Polygons of a Feature, FeatureCollection or geometry; anything else is skipped. */
function areasOf(value: unknown, file: string): AreaInput[] {
  const geometries: unknown[] = [];
  if (isRecord(value) && value.type === 'FeatureCollection') {
    const { features } = featureCollectionOf(value, file);
    for (const f of features) if (isRecord(f)) geometries.push(f.geometry);
  } else if (isRecord(value) && value.type === 'Feature') geometries.push(value.geometry);
  else geometries.push(value);
  return geometries.filter(
    (g): g is Polygon | MultiPolygon =>
      isRecord(g) && (g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates),
  );
}

function polygonsOfArea(area: AreaInput): Polygon['coordinates'][] {
  const g = area.type === 'Feature' ? area.geometry : area;
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

function concatCandidates(parts: readonly CandidateSet[]): CandidateSet {
  if (parts.length === 1) return parts[0]!;
  const n = parts.reduce((s, p) => s + p.ids.length, 0);
  const coords = new Float64Array(2 * n);
  const cost = new Float64Array(n);
  const capacity = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    coords.set(p.coords, 2 * at);
    cost.set(p.cost, at);
    capacity.set(p.capacity, at);
    at += p.ids.length;
  }
  return {
    coords,
    ids: parts.flatMap((p) => p.ids),
    origin: parts.flatMap((p) => p.origin),
    cost,
    capacity,
    district: parts.flatMap((p) => p.district),
    properties: parts.flatMap((p) => p.properties),
  };
}

/** Capacities of existing facilities (median of the known ones when missing) and candidates. */
function capacities(
  existing: readonly FacilityRecord[],
  candidates: CandidateSet,
  perSite: number | undefined,
  warnings: { code: 'siting'; message: string }[] | (Warning | { code: 'siting'; message: string })[],
  typeId: string,
): Float64Array {
  const known = existing
    .map((f) => f.capacity)
    .filter((c) => Number.isFinite(c) && c >= 0)
    .sort((a, b) => a - b);
  const median = known.length > 0 ? known[Math.floor(known.length / 2)]! : Number.NaN;
  const capacity = new Float64Array(existing.length + candidates.ids.length);
  let guessed = 0;
  existing.forEach((f, m) => {
    if (Number.isFinite(f.capacity) && f.capacity >= 0) capacity[m] = f.capacity;
    else {
      guessed++;
      capacity[m] = Number.isFinite(median) ? median : (perSite ?? 0);
    }
  });
  if (guessed > 0) {
    warnings.push({
      code: 'siting',
      message: `${guessed} existing ${typeId} facilities have no capacity; they count with ${Number.isFinite(median) ? `the median known capacity, ${median}` : `capacityPerSite, ${perSite ?? 0}`}.`,
    });
  }
  let missing = 0;
  const missingIds: string[] = [];
  for (let c = 0; c < candidates.ids.length; c++) {
    const v = candidates.capacity[c]!;
    if (Number.isFinite(v) && v >= 0) capacity[existing.length + c] = v;
    else {
      missing++;
      if (missingIds.length < 5) missingIds.push(candidates.ids[c]!);
      capacity[existing.length + c] = perSite ?? Number.NaN;
    }
  }
  if (missing > 0 && perSite === undefined) {
    throw new OptionError(
      'capacityPerSite',
      `${missing} candidates have no capacity (${missingIds.join(', ')}${missing > missingIds.length ? ' …' : ''}): give capacityPerSite (the capacity of a new site).`,
    );
  }
  return capacity;
}

/** site's summary.json members on a walking network: the network, the share of reached residents, the notes. */
function networkMembers(
  source: DistanceSource,
  demand: DemandPoints,
  existing: Targets,
  coveredAfter: number,
): Pick<SiteSummary, 'network' | 'coveredShareAfterOfReached' | 'headlineNotes'> {
  if (!source.networkFacts || !source.targetFacts) return {};
  const { summary: network } = networkReach(source.networkFacts, demand, [source.targetFacts(existing)]);
  let population = 0;
  for (const w of demand.weight) population += w;
  const notes = headlineNotes({ network, population: round(population, 1) });
  return {
    network,
    coveredShareAfterOfReached:
      network.population_reached > 0 ? Math.min(1, coveredAfter / network.population_reached) : null,
    ...(notes.length > 0 ? { headlineNotes: notes } : {}),
  };
}
