import type { FeatureCollection, Point } from 'geojson';
import type { NetworkSummary } from '../analysis/network.js';
import type { DemandReport } from '../demand/index.js';
import type { ChosenSite, ChosenSiteLoad, SiteOutcome, SiteSummary } from '../siting/site-facilities.js';
import type { TradeoffSolution } from '../siting/tradeoff.js';
import type { BoundStop, SitingMethod, SitingModelName } from '../siting/types.js';
import type { CategoryReport } from '../standards/facility-typer.js';
import type { Rejection, Warning } from '../validate/problems.js';
import { type JsonFields, type SnakeCased, snakeCasedJson } from './json-fields.js';
import type { HeadlineNote } from './notes.js';
import { round, roundOrNull, roundPeople, roundShare } from './round.js';

/** One community's row of site's summary.json (`communities`): before and after, rounded. */
export interface CommunitySiteRowJson {
  readonly id: string;
  readonly name: string | null;
  readonly district: string | null;
  readonly population: number;
  readonly covered_before: number;
  readonly covered_after: number;
  readonly share_before: number | null;
  readonly share_after: number | null;
  readonly gap_before: boolean;
  readonly gap_after: boolean;
  /** p-median / p-center: population-weighted mean cost to the nearest site, before and after. */
  readonly mean_cost_before?: number | null;
  readonly mean_cost_after?: number | null;
}

/** The content of summary.json of `lifecircle site`, made by {@link siteSummaryJson}. */
export interface SiteSummaryJson {
  readonly model: SitingModelName;
  readonly type: string;
  readonly parameters: {
    readonly k: number | null;
    /** The radius in metres, when `cost_unit` is `m`. */
    readonly radius_m?: number;
    /** The radius in minutes, when `cost_unit` is `min` (a walker's run). */
    readonly radius_min?: number;
    readonly target_share: number | null;
    readonly per_community: boolean | null;
    readonly table_bound_m: number | null;
    readonly budget: number | null;
    readonly min_spacing_m: number | null;
    readonly min_per_district: number | null;
    readonly rate: number | null;
    readonly exact: boolean | 'auto';
    readonly gap_threshold: number;
    readonly distance: string;
    readonly cost_unit: 'm' | 'min';
    readonly existing_facilities: number;
    readonly candidates: number;
    readonly candidates_excluded: number;
  };
  /** Covered residents (mclp, capacitated), new sites (lscp), resident-metres (pmedian), metres (pcenter). */
  readonly objective: number;
  readonly objective_before: number;
  readonly objective_unit: 'residents' | 'sites' | 'resident-cost' | 'cost';
  readonly population: number;
  /** How the demand points were placed, as in `analyze`'s summary.json (`demand`). */
  readonly demand: DemandReport;
  readonly covered_population_before: number;
  readonly covered_population_after: number;
  readonly covered_share_before: number | null;
  readonly covered_share_after: number | null;
  readonly gap_communities_before: number;
  readonly gap_communities_after: number;
  readonly solver: string;
  readonly status: string;
  /** How the answer was reached (see `SitingMethod`). */
  readonly method: SitingMethod;
  readonly bound: number | null;
  readonly bound_method: string;
  /** Maximal covering: why its Lagrangian bound stopped (`BoundStop`) when `bound` is that bound; else null. */
  readonly bound_stop: BoundStop | null;
  readonly gap: number | null;
  readonly time_ms: number;
  readonly sites: number;
  readonly oversubscribed: readonly string[] | null;
  readonly tradeoff:
    | readonly {
        readonly k: number;
        readonly objective: number;
        readonly covered_population: number;
        readonly covered_share: number;
        /** Best objective any solution with k new sites could reach (see `SiteTradeoffPoint.bound`). */
        readonly bound: number | null;
        readonly solution: TradeoffSolution;
      }[]
    | null;
  readonly communities: readonly CommunitySiteRowJson[];
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly (Warning | { readonly code: 'siting'; readonly message: string })[];
  /** Facilities typed per POI-category rule and the unmapped categories, as in the analysis summary. */
  readonly categories?: CategoryReport;
  /** On a walking network: its pieces, snapping rules and reach (facility counts of the existing facilities). */
  readonly network?: NetworkSummary;
  /** On a walking network: `covered_population_after` as a share of the residents it reaches. */
  readonly covered_share_after_of_reached?: number | null;
  /** Notes beside the headline figures that leave something out (see `headlineNotes`). */
  readonly headline_notes?: readonly HeadlineNote[];
}

/**
 * summary.json of `lifecircle site` from a siting run's full-precision summary: snake_case names,
 * residents, metres and objectives to 0.1, shares to 4 decimals, the optimality gap to 6 and the
 * time to whole milliseconds. The input is not modified.
 *
 * @example
 * const outcome = await siteFacilities(
 *   { communities, facilities },
 *   { type: 'nursery_childcare', model: 'mclp', k: 3 },
 * );
 * writeFileSync('summary.json', JSON.stringify(siteSummaryJson(outcome.summary), null, 2));
 */
export function siteSummaryJson(summary: SiteSummary): SiteSummaryJson {
  const p = summary.parameters;
  return {
    model: summary.model,
    type: summary.type,
    parameters: {
      k: p.k,
      // Named by its unit: a walker's run measures its radius in minutes.
      ...(p.costUnit === 'min' ? { radius_min: p.radiusM } : { radius_m: p.radiusM }),
      target_share: p.targetShare,
      per_community: p.perCommunity,
      table_bound_m: p.tableBoundM,
      budget: p.budget,
      min_spacing_m: p.minSpacingM,
      min_per_district: p.minPerDistrict,
      rate: p.rate,
      exact: p.exact,
      gap_threshold: p.gapThreshold,
      distance: p.distance,
      cost_unit: p.costUnit,
      existing_facilities: p.existingFacilities,
      candidates: p.candidates,
      candidates_excluded: p.candidatesExcluded,
    },
    objective: roundPeople(summary.objective),
    objective_before: roundPeople(summary.objectiveBefore),
    objective_unit: summary.objectiveUnit,
    population: roundPeople(summary.population),
    demand: summary.demand,
    covered_population_before: roundPeople(summary.coveredPopulationBefore),
    covered_population_after: roundPeople(summary.coveredPopulationAfter),
    covered_share_before: roundOrNull(summary.coveredShareBefore, 4),
    covered_share_after: roundOrNull(summary.coveredShareAfter, 4),
    gap_communities_before: summary.gapCommunitiesBefore,
    gap_communities_after: summary.gapCommunitiesAfter,
    solver: summary.solver,
    status: summary.status,
    method: summary.method,
    bound: roundOrNull(summary.bound, 1),
    bound_method: summary.boundMethod,
    bound_stop: summary.boundStop,
    gap: roundOrNull(summary.gap, 6),
    time_ms: Math.round(summary.timeMs),
    sites: summary.sites,
    oversubscribed: summary.oversubscribed,
    tradeoff:
      summary.tradeoff?.map((t) => ({
        k: t.k,
        objective: roundPeople(t.objective),
        covered_population: roundPeople(t.coveredPopulation),
        covered_share: roundShare(t.coveredShare),
        bound: roundOrNull(t.bound, 1),
        solution: t.solution,
      })) ?? null,
    communities: summary.communities.map((c) => ({
      id: c.id,
      name: c.name,
      district: c.district,
      population: roundPeople(c.population),
      covered_before: roundPeople(c.coveredBefore),
      covered_after: roundPeople(c.coveredAfter),
      share_before: roundOrNull(c.shareBefore, 4),
      share_after: roundOrNull(c.shareAfter, 4),
      gap_before: c.gapBefore,
      gap_after: c.gapAfter,
      ...(c.meanCostBefore !== undefined && c.meanCostAfter !== undefined
        ? {
            mean_cost_before: roundOrNull(c.meanCostBefore, 1),
            mean_cost_after: roundOrNull(c.meanCostAfter, 1),
          }
        : {}),
    })),
    rejected: summary.rejected,
    warnings: summary.warnings,
    ...(summary.categories ? { categories: summary.categories } : {}),
    ...(summary.network ? { network: summary.network } : {}),
    ...(summary.coveredShareAfterOfReached !== undefined
      ? { covered_share_after_of_reached: roundOrNull(summary.coveredShareAfterOfReached, 4) }
      : {}),
    ...(summary.headlineNotes ? { headline_notes: summary.headlineNotes } : {}),
  };
}

/** A chosen site's capacity use in sites.geojson: {@link ChosenSiteLoad} rounded, snake_case. */
export type ChosenSiteLoadJson = SnakeCased<
  ChosenSiteLoad,
  'servedPopulation' | 'capacityUse' | 'nearestPopulation'
>;

/**
 * The properties of a Feature of sites.geojson, made by {@link siteFeatureCollection}:
 * {@link ChosenSite} rounded, snake_case, without its coordinates and with its load's members
 * beside the others.
 */
export type ChosenSiteProperties = SnakeCased<
  Omit<ChosenSite, 'lon' | 'lat' | 'load'>,
  'addedPopulation' | 'cumulativeCoveredPopulation' | 'cumulativeCoveredShare' | 'objective'
> &
  Partial<ChosenSiteLoadJson>;

/** A chosen site's fields before its load, in the order of sites.geojson. */
const CHOSEN_SITE_FIELDS: JsonFields<ChosenSite> = [
  'id',
  'rank',
  'source',
  'type',
  ['addedPopulation', 1],
  ['cumulativeCoveredPopulation', 1],
  ['cumulativeCoveredShare', 4],
  ['objective', 1],
  'newlyServedCommunities',
];

/** A chosen site's load, in the order of sites.geojson. */
const CHOSEN_SITE_LOAD_FIELDS: JsonFields<ChosenSiteLoad> = [
  'capacity',
  ['servedPopulation', 1],
  ['capacityUse', 4],
  ['nearestPopulation', 1],
  'oversubscribed',
];

/**
 * sites.geojson of `lifecircle site` from a siting run's chosen sites, in order of choice: Points
 * at 6 decimals, with the site's figures snake_case (residents and objectives to 0.1, shares to 4
 * decimals); `capacity` … `oversubscribed` under the capacitated model, `cost` with a budget and
 * `district` when known. The input is not modified.
 *
 * @example
 * const outcome = await siteFacilities(
 *   { communities, facilities },
 *   { type: 'nursery_childcare', model: 'mclp', k: 3 },
 * );
 * writeFileSync('sites.geojson', JSON.stringify(siteFeatureCollection(outcome)));
 */
export function siteFeatureCollection(
  outcome: Pick<SiteOutcome, 'chosen'>,
): FeatureCollection<Point, ChosenSiteProperties> {
  return {
    type: 'FeatureCollection',
    features: outcome.chosen.map((site) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [round(site.lon, 6), round(site.lat, 6)] },
      properties: {
        ...snakeCasedJson<ChosenSite, ChosenSiteProperties>(site, CHOSEN_SITE_FIELDS),
        ...(site.load
          ? snakeCasedJson<ChosenSiteLoad, ChosenSiteLoadJson>(site.load, CHOSEN_SITE_LOAD_FIELDS)
          : {}),
        ...(site.cost !== undefined ? { cost: site.cost } : {}),
        ...(site.district !== undefined ? { district: site.district } : {}),
      },
    })),
  };
}
