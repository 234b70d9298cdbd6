import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type {
  AnalysisResult,
  AreaTypeSummary,
  CoverageSummary,
  DistrictSummary,
  TypeSummary,
} from '../analysis/index.js';
import type { NetworkSummary } from '../analysis/network.js';
import type { DemandReport } from '../demand/index.js';
import type { DistanceKind } from '../distance/types.js';
import type { RadiusStatus } from '../standards/catalog.js';
import type { CategoryReport } from '../standards/facility-typer.js';
import type { Rejection, Warning } from '../validate/problems.js';
import type { HeadlineNote } from './notes.js';
import { round, roundOrNull, roundPeople } from './round.js';

/**
 * The communities of an analysis as GeoJSON: every accepted community in input order with its
 * original properties and geometry, plus per analysed type `T` the flat properties `T_nearest_m`
 * (with a walker's minutes, `T_nearest_min` before it and `T_nearest_m` the length of that walk),
 * `T_nearest_id`, `T_within_count`, `T_covered_pop`, `T_covered_share` (and `T_lost_to_terrain`
 * when the result was compared with the flat walk, see `withTerrainLoss`), and `gaps` (the type ids
 * with a gap); on a walking network, `network_note` where the community's demand snapped onto a
 * piece of network other than the largest. The input is not modified.
 *
 * @example
 * writeFileSync('communities.geojson', JSON.stringify(communityFeatureCollection(result)));
 */
export function communityFeatureCollection(result: AnalysisResult): FeatureCollection {
  const putFigures = figureWriter(result);
  const features: Feature[] = result.communities.map((community) => {
    const properties: Record<string, unknown> = { ...community.record.properties };
    putFigures(community, (key, value) => {
      properties[key] = value;
    });
    return { type: 'Feature', properties, geometry: structuredClone(community.record.geometry) };
  });
  return { type: 'FeatureCollection', features };
}

type Community = AnalysisResult['communities'][number];

/**
 * The figures a community's feature carries, in order, for {@link communityFeatureCollection} and
 * {@link communityFeatureChunks} alike: `put(key, value)` per figure, the keys made once per run.
 */
function figureWriter(
  result: AnalysisResult,
): (community: Community, put: (key: string, value: unknown) => void) => void {
  const keys = result.types.map((t) => ({
    id: t.id,
    nearestMin: `${t.id}_nearest_min`,
    nearestM: `${t.id}_nearest_m`,
    nearestId: `${t.id}_nearest_id`,
    withinCount: `${t.id}_within_count`,
    coveredPop: `${t.id}_covered_pop`,
    coveredShare: `${t.id}_covered_share`,
    lostToTerrain: `${t.id}_lost_to_terrain`,
  }));
  // Communities whose grid the point cap made coarser than asked, with that spacing: never silent.
  const coarser = new Map<Community, number>();
  const spacing = result.demand.gridSpacingM;
  if (spacing && result.summary.demand.coarsened?.communities) {
    result.communities.forEach((community, c) => {
      if (spacing[c]! > result.summary.demand.cell_m) coarser.set(community, round(spacing[c]!, 1));
    });
  }
  return (community, put) => {
    const { types, gaps, networkNote } = community;
    for (const key of keys) {
      const r = types[key.id]!;
      if (r.nearestMin !== undefined)
        put(key.nearestMin, r.nearestMin === null ? null : round(r.nearestMin, 2));
      put(key.nearestM, r.nearestM === null ? null : round(r.nearestM, 1));
      put(key.nearestId, r.nearestId);
      put(key.withinCount, r.withinCount);
      put(key.coveredPop, round(r.coveredPopulation, 1));
      put(key.coveredShare, r.coveredShare === null ? null : round(r.coveredShare, 4));
      if (r.lostToTerrain !== undefined) put(key.lostToTerrain, r.lostToTerrain);
    }
    put('gaps', [...gaps]);
    const spacingM = coarser.get(community);
    if (spacingM !== undefined) put('demand_spacing_m', spacingM);
    // Only on a walking network, for a community whose demand snapped onto a small piece.
    if (networkNote !== undefined) put('network_note', networkNote);
  };
}

/** Options of {@link communityFeatureChunks}. */
export interface CommunityFeatureChunksOptions {
  /**
   * The geometry as written (a reprojection for the output system, for instance); by default the
   * community's own geometry. It is only read, so it may return its argument.
   */
  readonly geometry?: (geometry: Geometry) => unknown;
  /** Members written after `features` (a `crs` member, for instance). */
  readonly members?: Readonly<Record<string, unknown>>;
}

/**
 * {@link communityFeatureCollection} as JSON text in pieces (the opening, one piece per community, the
 * closing), for writing communities.geojson of any size to a file without building the collection,
 * copying the geometries or holding the file in one string. Joined, the pieces are exactly
 * `JSON.stringify(communityFeatureCollection(result))` (with `options.geometry` applied to each
 * geometry and `options.members` after `features`).
 *
 * @example
 * const pieces: string[] = []; // in Node, write each piece to a file stream instead
 * for (const piece of communityFeatureChunks(result)) pieces.push(piece);
 * JSON.parse(pieces.join('')).features.length; // one feature per community
 */
export function* communityFeatureChunks(
  result: AnalysisResult,
  options: CommunityFeatureChunksOptions = {},
): Generator<string> {
  const geometryOf = options.geometry ?? ((geometry: Geometry) => geometry);
  const putFigures = figureWriter(result);
  const quoted = new Map<string, string>();
  let text = '';
  let clash = false;
  let own: Readonly<Record<string, unknown>> = {};
  // A figure's key and value appended to the properties' JSON text. A community whose own properties
  // already hold a figure's key takes the object path below, so that the figure replaces the
  // property in place as in communityFeatureCollection.
  const append = (key: string, value: unknown) => {
    if (Object.hasOwn(own, key)) clash = true;
    if (value === undefined) return; // JSON.stringify leaves such a member out
    let name = quoted.get(key);
    if (name === undefined) {
      name = `${JSON.stringify(key)}:`;
      quoted.set(key, name);
    }
    text += `,${name}${JSON.stringify(value) ?? 'null'}`;
  };
  yield '{"type":"FeatureCollection","features":[';
  let first = true;
  for (const community of result.communities) {
    own = community.record.properties;
    const ownText = JSON.stringify(own);
    text = '';
    clash = false;
    putFigures(community, append);
    let properties: string;
    if (clash) {
      const merged: Record<string, unknown> = { ...own };
      putFigures(community, (key, value) => {
        merged[key] = value;
      });
      properties = JSON.stringify(merged);
    } else {
      properties = ownText === '{}' ? `{${text.slice(1)}}` : `${ownText.slice(0, -1)}${text}}`;
    }
    const geometry = JSON.stringify(geometryOf(community.record.geometry)) ?? 'null';
    yield `${first ? '' : ','}{"type":"Feature","properties":${properties},"geometry":${geometry}}`;
    first = false;
  }
  let tail = ']';
  for (const [key, value] of Object.entries(options.members ?? {})) {
    if (value !== undefined) tail += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  yield `${tail}}`;
}

/** One community lacking one facility type: a row of gaps.csv. */
export interface GapRow {
  readonly community_id: string;
  readonly community_name: string | null;
  readonly district: string | null;
  readonly population: number;
  readonly type: string;
  readonly type_name_zh: string;
  readonly radius_m: number;
  readonly covered_share: number | null;
  readonly nearest_m: number | null;
  readonly nearest_id: string | null;
}

/** Columns of gaps.csv, in order. */
export const GAP_COLUMNS: readonly (keyof GapRow)[] = [
  'community_id',
  'community_name',
  'district',
  'population',
  'type',
  'type_name_zh',
  'radius_m',
  'covered_share',
  'nearest_m',
  'nearest_id',
];

/**
 * Every (community, type) pair with a gap, communities in input order and types in catalog order.
 */
export function gapRows(result: AnalysisResult): GapRow[] {
  return [...eachGapRow(result)];
}

/**
 * {@link gapRows} one at a time, for writing gaps.csv of any size without holding every row.
 *
 * @example
 * for (const row of eachGapRow(result)) console.log(row.community_id, row.type);
 */
export function* eachGapRow(result: AnalysisResult): Generator<GapRow> {
  const typeOf = new Map(result.types.map((t) => [t.id, t]));
  for (const { record, population, types, gaps } of result.communities) {
    for (const typeId of gaps) {
      const type = typeOf.get(typeId)!;
      const r = types[typeId]!;
      yield {
        community_id: record.id,
        community_name: record.name,
        district: record.district,
        population: round(population, 1),
        type: typeId,
        type_name_zh: type.name_zh,
        radius_m: type.radius_m,
        covered_share: r.coveredShare === null ? null : round(r.coveredShare, 4),
        nearest_m: r.nearestM === null ? null : round(r.nearestM, 1),
        nearest_id: r.nearestId,
      };
    }
  }
}

/** One row of an analysis's districts.csv: one type's figures over one district, or the city. */
export interface DistrictCoverageRow {
  /** The district's name (`(none)` for communities without one), or `city` for the whole run. */
  readonly area: string;
  readonly type: string;
  readonly type_name_zh: string;
  readonly radius_m: number;
  readonly communities: number;
  readonly population: number;
  readonly facilities: number;
  readonly covered_population: number;
  readonly covered_share: number | null;
  readonly gap_communities: number;
  readonly gap_population: number;
  readonly capacity_per_1000: number | null;
}

/** Columns of an analysis's districts.csv, in order. */
export const DISTRICT_COVERAGE_COLUMNS: readonly (keyof DistrictCoverageRow)[] = [
  'area',
  'type',
  'type_name_zh',
  'radius_m',
  'communities',
  'population',
  'facilities',
  'covered_population',
  'covered_share',
  'gap_communities',
  'gap_population',
  'capacity_per_1000',
];

/**
 * The figures of summary.json's `districts` and `types` as rows (districts most residents first,
 * then the city; types in catalog order within each), rounded as summary.json: what a
 * province-scale run writes instead of a row per community. Read from the summary, so never more
 * rows than districts × types.
 *
 * @example
 * for (const row of eachDistrictCoverageRow(result.summary)) console.log(row.area, row.type, row.covered_share);
 */
export function* eachDistrictCoverageRow(summary: CoverageSummary): Generator<DistrictCoverageRow> {
  const areas: [string, DistrictSummary][] = [
    ...Object.entries(summary.districts),
    ['city', { communities: summary.communities, population: summary.population, types: summary.types }],
  ];
  for (const [area, figures] of areas) {
    for (const [typeId, type] of Object.entries(summary.types)) {
      const t = figures.types[typeId];
      if (!t) continue;
      const json = areaTypeJson(t);
      yield {
        area,
        type: typeId,
        type_name_zh: type.nameZh,
        radius_m: type.radiusM,
        communities: figures.communities,
        population: roundPeople(figures.population),
        facilities: json.facilities,
        covered_population: json.covered_population,
        covered_share: json.covered_share,
        gap_communities: json.gap_communities,
        gap_population: json.gap_population,
        capacity_per_1000: json.capacity_per_1000,
      };
    }
  }
}

/** One type's figures over an area in summary.json: {@link AreaTypeSummary} rounded, snake_case. */
export interface AreaTypeSummaryJson {
  readonly facilities: number;
  readonly covered_population: number;
  readonly covered_share: number | null;
  readonly gap_communities: number;
  readonly gap_population: number;
  readonly capacity: number | null;
  readonly capacity_per_1000: number | null;
}

/** One type's city-wide figures in summary.json: {@link TypeSummary} rounded, snake_case. */
export interface TypeSummaryJson extends AreaTypeSummaryJson {
  readonly name_zh: string;
  readonly name_en: string;
  readonly radius_m: number;
  readonly radius_status: RadiusStatus;
  readonly tier: string;
  readonly facilities_not_serving: number;
  readonly capacity_known: number;
  readonly capacity_unit: string | null;
  readonly covered_share_of_reached?: number | null;
}

/** One district in summary.json: {@link DistrictSummary} rounded, snake_case. */
export interface DistrictSummaryJson {
  readonly communities: number;
  readonly population: number;
  readonly types: Readonly<Record<string, AreaTypeSummaryJson>>;
}

/** analyze's summary.json (documented in docs/output-schema.md), made by {@link coverageSummaryJson}. */
export interface CoverageSummaryJson {
  readonly distance: DistanceKind;
  readonly cost_unit: 'm' | 'min';
  readonly gap_threshold: number;
  readonly include_planned: boolean;
  readonly population: number;
  readonly communities: number;
  readonly demand: DemandReport;
  readonly types: Readonly<Record<string, TypeSummaryJson>>;
  readonly districts: Readonly<Record<string, DistrictSummaryJson>>;
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly Warning[];
  readonly categories?: CategoryReport;
  readonly network?: NetworkSummary;
  readonly headline_notes?: readonly HeadlineNote[];
}

/**
 * analyze's summary.json from an analysis's full-precision summary: snake_case field names, people
 * and metres to 0.1, shares and rates to 4 decimals (the one rounding, `report/round.ts`).
 *
 * @example
 * const text = `${JSON.stringify(coverageSummaryJson(result.summary), null, 2)}\n`; // summary.json
 */
export function coverageSummaryJson(summary: CoverageSummary): CoverageSummaryJson {
  return {
    distance: summary.distance,
    cost_unit: summary.costUnit,
    gap_threshold: summary.gapThreshold,
    include_planned: summary.includePlanned,
    population: roundPeople(summary.population),
    communities: summary.communities,
    demand: summary.demand,
    types: Object.fromEntries(Object.entries(summary.types).map(([id, type]) => [id, typeJson(type)])),
    districts: Object.fromEntries(
      Object.entries(summary.districts).map(([name, district]) => [
        name,
        {
          communities: district.communities,
          population: roundPeople(district.population),
          types: Object.fromEntries(
            Object.entries(district.types).map(([id, figures]) => [id, areaTypeJson(figures)]),
          ),
        },
      ]),
    ),
    rejected: summary.rejected,
    warnings: summary.warnings,
    ...(summary.categories ? { categories: summary.categories } : {}),
    ...(summary.network ? { network: summary.network } : {}),
    ...(summary.headlineNotes ? { headline_notes: summary.headlineNotes } : {}),
  };
}

function areaTypeJson(figures: AreaTypeSummary): AreaTypeSummaryJson {
  return {
    facilities: figures.facilities,
    covered_population: roundPeople(figures.coveredPopulation),
    covered_share: roundOrNull(figures.coveredShare, 4),
    gap_communities: figures.gapCommunities,
    gap_population: roundPeople(figures.gapPopulation),
    capacity: figures.capacity,
    capacity_per_1000: roundOrNull(figures.capacityPer1000, 4),
  };
}

function typeJson(type: TypeSummary): TypeSummaryJson {
  return {
    name_zh: type.nameZh,
    name_en: type.nameEn,
    radius_m: type.radiusM,
    radius_status: type.radiusStatus,
    tier: type.tier,
    ...areaTypeJson(type),
    facilities_not_serving: type.facilitiesNotServing,
    capacity_known: type.capacityKnown,
    capacity_unit: type.capacityUnit,
    ...(type.coveredShareOfReached === undefined
      ? {}
      : { covered_share_of_reached: roundOrNull(type.coveredShareOfReached, 4) }),
  };
}
