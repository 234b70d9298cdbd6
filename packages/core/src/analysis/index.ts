import { type Coverage, measureCoverage } from '../coverage/index.js';
import {
  buildDemand,
  type DemandColumns,
  type DemandOptions,
  type DemandPoints,
  type DemandReport,
  isDemandColumns,
} from '../demand/index.js';
import { GreatCircleSource } from '../distance/great-circle.js';
import { targetsAt } from '../distance/targets.js';
import type {
  DistanceContext,
  DistanceKind,
  DistanceSource,
  Origins,
  TargetFacts,
} from '../distance/types.js';
import { type HeadlineNote, headlineNotes } from '../report/notes.js';
import { districtsOfPoints, NO_DISTRICT } from '../rules/district.js';
import { servesAsGiven } from '../rules/serving.js';
import { FacilityCatalog, type FacilityType, type RadiusStatus } from '../standards/catalog.js';
import { type CategoryReport, HOW_TO_MAP, type TypeMapInput } from '../standards/facility-typer.js';
import { assertRadiiInCostUnit, catalogWithRadii } from '../standards/radii.js';
import { type CommunityRecord, type FacilityRecord, validateAnalysisInputs } from '../validate/features.js';
import { InputError, OptionError, type Rejection, shareOption, type Warning } from '../validate/problems.js';
import { type NetworkSummary, networkReach } from './network.js';

export { type NetworkSummary, PIECES_LISTED } from './network.js';

/** GeoJSON inputs of {@link analyzeCoverage}, as parsed JSON values (they are validated here). */
export interface AnalysisInput {
  /** FeatureCollection of community Points, Polygons or MultiPolygons. */
  readonly communities: unknown;
  /** FeatureCollection of facilities. */
  readonly facilities: unknown;
  /**
   * Optional population points: a FeatureCollection, or {@link DemandColumns} read from a file as a
   * stream (already checked point by point; its rejections and warnings join the summary's).
   */
  readonly demand?: unknown;
  /** Names of the inputs used in messages (file names); default `communities`, `facilities`, `demand`. */
  readonly files?: { readonly communities?: string; readonly facilities?: string; readonly demand?: string };
}

/** A step of a long analysis, for progress bars. */
export interface ProgressEvent {
  readonly stage: 'validate' | 'demand' | 'index' | 'measure' | 'summarize';
  readonly message: string;
  /** Steps done and total within the stage, when it has steps. */
  readonly done?: number;
  readonly total?: number;
}

/** Options of {@link analyzeCoverage}; every field is optional. */
export interface AnalysisOptions {
  /** Facility types and their radii. Default: the built-in catalog. */
  catalog?: FacilityCatalog;
  /** Radius in metres per type id, name or alias; an unknown id adds a custom type. */
  radii?: Readonly<Record<string, number>>;
  /** Types to analyse (ids, names or aliases). Default: every type that has a facility in the input. */
  types?: readonly string[];
  /**
   * POI categories mapped to catalog types (`{ '餐饮服务;中餐厅;中餐厅': 'x' }` or rows with their
   * file and row), winning over the catalog and the built-in category tables. A type the catalog
   * does not know throws an {@link OptionError} naming the row.
   */
  typeMap?: TypeMapInput;
  /** Let planned and under-construction facilities serve. Default false. */
  includePlanned?: boolean;
  /** Covered share below which a community has a gap. Default 0.5. */
  gapThreshold?: number;
  /** How polygon communities are turned into demand points. */
  demand?: DemandOptions;
  /**
   * Distance source built on the demand points (a walking-network or cost-matrix source). Default:
   * great-circle ({@link GreatCircleSource}). Its `warnings` and `checkTargets` go into the summary.
   */
  distance?: (origins: Origins, context: DistanceContext) => DistanceSource;
  /** Called as the analysis moves through its stages. */
  onProgress?: (event: ProgressEvent) => void;
}

/**
 * One type's figures for one community, at full precision (communities.geojson's `T_nearest_m` and
 * the rest are made from them, rounded, by `communityFeatureCollection`).
 */
export interface CommunityTypeResult {
  /**
   * Metres (or the source's unit) to the nearest serving facility; null when there is none. When
   * the costs are a walker's minutes, the length in metres of the quickest walk.
   */
  readonly nearestM: number | null;
  /** When the costs are a walker's minutes: the minutes of the quickest walk (null when none). */
  readonly nearestMin?: number | null;
  readonly nearestId: string | null;
  /** Serving facilities within the radius of any of the community's demand points. */
  readonly withinCount: number;
  /** Residents whose demand point has a serving facility within the radius. */
  readonly coveredPopulation: number;
  /** Null for a community with no residents. */
  readonly coveredShare: number | null;
  readonly gap: boolean;
  /**
   * With terrain or walkers, when compared with the flat walk (`withTerrainLoss`): true when
   * the community has no gap on the flat walk and has one for this type's walker over the terrain.
   */
  readonly lostToTerrain?: boolean;
}

/** A community with its figures for every analysed type. */
export interface CommunityResult {
  readonly record: CommunityRecord;
  /** Residents as measured: the sum of the community's demand-point weights. */
  readonly population: number;
  readonly types: Readonly<Record<string, CommunityTypeResult>>;
  /** Ids of the types with a gap, in catalog order. */
  readonly gaps: readonly string[];
  /**
   * On a walking network, when part of the community's demand snapped onto a piece of network other
   * than the largest: what that means (it reaches only what lies on that piece).
   */
  readonly networkNote?: string;
}

/**
 * Figures of one type over an area (the city or a district), at full precision; summary.json's
 * rounded snake_case shape is made from them by `coverageSummaryJson`.
 */
export interface AreaTypeSummary {
  /** Facilities that serve (open, or planned too with includePlanned). */
  readonly facilities: number;
  readonly coveredPopulation: number;
  readonly coveredShare: number | null;
  readonly gapCommunities: number;
  readonly gapPopulation: number;
  /** Sum of the known capacities of the serving facilities; null when none is known. */
  readonly capacity: number | null;
  readonly capacityPer1000: number | null;
}

/** City-wide figures of one type: the area figures plus the type's definition. */
export interface TypeSummary extends AreaTypeSummary {
  readonly nameZh: string;
  readonly nameEn: string;
  readonly radiusM: number;
  readonly radiusStatus: RadiusStatus;
  readonly tier: string;
  /** Facilities of the type that do not serve: planned, under construction or closed. */
  readonly facilitiesNotServing: number;
  /** Serving facilities whose capacity is known. */
  readonly capacityKnown: number;
  readonly capacityUnit: string | null;
  /**
   * On a walking network: the covered share of the residents the network reaches
   * (`coveredPopulation / network.populationReached`), beside `coveredShare` of all residents.
   */
  readonly coveredShareOfReached?: number | null;
}

/** Figures of one district. */
export interface DistrictSummary {
  readonly communities: number;
  readonly population: number;
  readonly types: Readonly<Record<string, AreaTypeSummary>>;
}

/**
 * The city-wide and district figures of an analysis, at full precision. summary.json (documented
 * in docs/output-schema.md) is its rounded snake_case shape, made by `coverageSummaryJson`.
 */
export interface CoverageSummary {
  readonly distance: DistanceKind;
  readonly costUnit: 'm' | 'min';
  readonly gapThreshold: number;
  readonly includePlanned: boolean;
  readonly population: number;
  readonly communities: number;
  /** How the demand points were placed (summary.json's `demand` member, as every command writes it). */
  readonly demand: DemandReport;
  readonly types: Readonly<Record<string, TypeSummary>>;
  /** Keyed by the communities' `district`; communities without one are under `(none)`. */
  readonly districts: Readonly<Record<string, DistrictSummary>>;
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly Warning[];
  /**
   * Present when a facility was typed by its POI category or the type map, or got no type: how many
   * facilities each rule typed, and the table of categories that mapped to nothing (summary.json's
   * `categories` member, as every command writes it).
   */
  readonly categories?: CategoryReport;
  /**
   * On a walking network: its pieces, the snapping rules, the residents it reaches and leaves
   * outside, and the facilities it cannot count (beyond its edge, off road).
   */
  readonly network?: NetworkSummary;
  /**
   * Notes beside the headline figures that leave something out (residents the network does not
   * reach, facilities without a capacity value); absent when none does. See `headlineNotes`.
   */
  readonly headlineNotes?: readonly HeadlineNote[];
}

/** What {@link analyzeCoverage} returns. Nothing in it aliases the input. */
export interface AnalysisResult {
  readonly summary: CoverageSummary;
  /** Accepted communities in input order, with their figures. */
  readonly communities: readonly CommunityResult[];
  /** Accepted facilities in input order. */
  readonly facilities: readonly FacilityRecord[];
  /**
   * District of each facility, by index, by the one district rule (`districtsOfPoints`): its own
   * `district` property, else that of the community polygon containing it, else that of the
   * community whose demand point is nearest; `(none)` when none says.
   */
  readonly facilityDistricts: readonly string[];
  /** Analysed types in catalog order. */
  readonly types: readonly FacilityType[];
  readonly demand: DemandPoints;
  /**
   * On a walking network: per community (input order), its residents on demand points snapped onto
   * the network, the residents the network reaches (they sum to `summary.network.populationReached`).
   */
  readonly reachedPopulation?: Float64Array;
  /** Per analysed type id: the measured coverage and, per target, its index in `facilities`. */
  readonly coverage: Readonly<
    Record<string, { readonly coverage: Coverage; readonly facilityIndex: Uint32Array }>
  >;
}

export { NO_DISTRICT };

/**
 * Finds the communities that lack each facility type within its walking radius: validates the
 * inputs, places population on demand points, measures the nearest facility and the covered
 * population per community and type, and sums the figures by district and city.
 *
 * Bad features never stop the run: they are listed in `summary.rejected` with the reason. Input
 * that nothing can be computed from (not a FeatureCollection, no usable community) throws an
 * {@link InputError}.
 *
 * @example
 * const result = analyzeCoverage({ communities, facilities }, { radii: { kindergarten: 500 } });
 * result.summary.types.kindergarten?.coveredShare; // e.g. 0.62
 */
export function analyzeCoverage(input: AnalysisInput, options: AnalysisOptions = {}): AnalysisResult {
  const progress = options.onProgress ?? (() => {});
  const files = {
    communities: input.files?.communities ?? 'communities',
    facilities: input.files?.facilities ?? 'facilities',
    demand: input.files?.demand ?? 'demand',
  };
  const gapThreshold = shareOption('gapThreshold', options.gapThreshold ?? 0.5);
  const includePlanned = options.includePlanned ?? false;
  const { catalog, userRadii } = catalogWithRadii(
    options.catalog ?? FacilityCatalog.builtIn(),
    options.radii,
  );

  progress({ stage: 'validate', message: 'Checking communities and facilities' });
  const streamedDemand: DemandColumns | undefined = isDemandColumns(input.demand) ? input.demand : undefined;
  const { communities, facilities, demandFile } = validateAnalysisInputs(
    streamedDemand ? { communities: input.communities, facilities: input.facilities } : input,
    catalog,
    files,
    options.typeMap,
  );
  const demandRead = streamedDemand ?? demandFile;
  if (communities.records.length === 0) {
    const first = communities.rejected[0];
    const why = first
      ? ` The first problem: feature ${first.index}${first.id ? ` (${first.id})` : ''}, field ${first.field}: ${first.reason}.`
      : ' The file has no features.';
    throw new InputError(
      files.communities,
      `no usable community (${communities.rejected.length} rejected).${why}`,
      communities.rejected,
    );
  }
  const rejected: Rejection[] = [
    ...communities.rejected,
    ...facilities.rejected,
    ...(demandRead?.rejected ?? []),
  ];
  const warnings: Warning[] = [
    ...communities.warnings,
    ...facilities.warnings,
    ...(demandRead?.warnings ?? []),
  ];

  const types = selectTypes(catalog, facilities.records, options.types);
  if (types.length === 0) {
    const first = facilities.rejected[0];
    const unmapped = facilities.categories?.unmapped ?? [];
    const why =
      unmapped.length > 0
        ? ` ${unmappedSentence(unmapped)}${first ? ` ${facilities.rejected.length} more were rejected; the first: feature ${first.index}${first.id ? ` (${first.id})` : ''}, field ${first.field}: ${first.reason}.` : ''}`
        : first
          ? ` All ${facilities.rejected.length} facilities were rejected; the first: feature ${first.index}${first.id ? ` (${first.id})` : ''}, field ${first.field}: ${first.reason}.`
          : ' The file has no features.';
    throw new InputError(
      files.facilities,
      `no usable facility, so no type to analyse.${why}`,
      facilities.rejected,
    );
  }
  const analysed = new Set(types.map((t) => t.id));
  const skipped = new Map<string, number>();
  for (const f of facilities.records)
    if (!analysed.has(f.typeId)) skipped.set(f.typeId, (skipped.get(f.typeId) ?? 0) + 1);
  if (skipped.size > 0) {
    warnings.push({
      code: 'type-not-analysed',
      file: files.facilities,
      message: `facilities of types outside this run were not analysed: ${[...skipped].map(([t, n]) => `${t} (${n})`).join(', ')}`,
    });
  }

  progress({ stage: 'demand', message: 'Placing population on demand points' });
  const demandBuild = buildDemand(
    communities.records,
    streamedDemand
      ? { records: streamedDemand, file: files.demand }
      : demandFile
        ? { records: demandFile.records, file: files.demand }
        : undefined,
    { communitiesFile: files.communities, ...options.demand },
  );
  rejected.push(...demandBuild.rejected);
  warnings.push(...demandBuild.warnings);
  const demand = demandBuild.demand;

  progress({ stage: 'index', message: `Indexing ${demand.owner.length} demand points` });
  const makeSource: (origins: Origins, context: DistanceContext) => DistanceSource =
    options.distance ?? ((origins) => new GreatCircleSource(origins));
  const source = makeSource(demand, {
    communityIds: communities.records.map((c) => c.id),
  });
  warnings.push(...(source.warnings ?? []));
  // The catalog's radii are metres: with costs in minutes every type needs its radius given.
  assertRadiiInCostUnit(source.costUnit, types, userRadii);

  const serves = (f: FacilityRecord) => servesAsGiven(f.status, includePlanned);
  const coverage: Record<string, { coverage: Coverage; facilityIndex: Uint32Array }> = {};
  const targetFacts: TargetFacts[] = [];
  types.forEach((type, t) => {
    progress({
      stage: 'measure',
      message: `Measuring ${type.id} within ${Number(type.radius_m.toFixed(1))} ${source.costUnit}`,
      done: t,
      total: types.length,
    });
    const facilityIndex = Uint32Array.from(
      facilities.records.flatMap((f, i) => (f.typeId === type.id && serves(f) ? [i] : [])),
    );
    const { coords, ids } = targetsAt(facilities.records, facilityIndex);
    warnings.push(
      ...(source.checkTargets?.({ coords, ids, type: type.id }, files.facilities, type.id) ?? []),
    );
    const facts = source.targetFacts?.({ coords, ids, type: type.id });
    if (facts) targetFacts.push(facts);
    coverage[type.id] = {
      coverage: measureCoverage(source, demand, { coords, ids, type: type.id }, type.radius_m, {
        gapThreshold,
      }),
      facilityIndex,
    };
  });
  warnings.push(...(source.checkDestinations?.(facilities.records.map((f) => f.id)) ?? []));
  progress({ stage: 'measure', message: 'Measured every type', done: types.length, total: types.length });

  progress({ stage: 'summarize', message: 'Summing up by district and city' });
  const measuredPopulation = new Float64Array(demand.ownerCount);
  for (let i = 0; i < demand.owner.length; i++) measuredPopulation[demand.owner[i]!]! += demand.weight[i]!;
  const reach = source.networkFacts ? networkReach(source.networkFacts, demand, targetFacts) : undefined;
  const communityResults: CommunityResult[] = communities.records.map((record, c) => {
    const perType: Record<string, CommunityTypeResult> = {};
    const gaps: string[] = [];
    for (const type of types) {
      const { coverage: cov, facilityIndex } = coverage[type.id]!;
      const target = cov.community.nearestTarget[c]!;
      const share = cov.community.coveredShare[c]!;
      const gap = cov.community.gap[c] === 1;
      if (gap) gaps.push(type.id);
      const lengths = cov.community.nearestLengthM;
      const nearestId = target < 0 ? null : facilities.records[facilityIndex[target]!]!.id;
      const sharePerType = Number.isNaN(share) ? null : share;
      // Two literal shapes rather than a spread: this runs once per community and type.
      perType[type.id] = lengths
        ? {
            nearestM: target < 0 ? null : lengths[c]!,
            nearestMin: target < 0 ? null : cov.community.nearestCost[c]!,
            nearestId,
            withinCount: cov.community.withinCount[c]!,
            coveredPopulation: cov.community.coveredPopulation[c]!,
            coveredShare: sharePerType,
            gap,
          }
        : {
            nearestM: target < 0 ? null : cov.community.nearestCost[c]!,
            nearestId,
            withinCount: cov.community.withinCount[c]!,
            coveredPopulation: cov.community.coveredPopulation[c]!,
            coveredShare: sharePerType,
            gap,
          };
    }
    const note = reach?.notes[c];
    return note === undefined
      ? { record, population: measuredPopulation[c]!, types: perType, gaps }
      : { record, population: measuredPopulation[c]!, types: perType, gaps, networkNote: note };
  });

  const facilityDistrict = districtsOfPoints(
    Float64Array.from(facilities.records.flatMap((f) => [f.lon, f.lat])),
    facilities.records.map((f) => f.properties.district),
    communities.records,
    demand,
  );
  // Each district's communities by index, in input order: the summaries below read the typed arrays.
  const membersOf = new Map<string, number[]>();
  communities.records.forEach((record, c) => {
    const name = record.district ?? NO_DISTRICT;
    const members = membersOf.get(name);
    if (members) members.push(c);
    else membersOf.set(name, [c]);
  });
  const summary: CoverageSummary = {
    distance: source.kind,
    costUnit: source.costUnit,
    gapThreshold,
    includePlanned,
    population: sum(communityResults.map((c) => c.population)),
    communities: communities.records.length,
    demand: demandBuild.report,
    types: Object.fromEntries(
      types.map((type) => {
        const { facilityIndex } = coverage[type.id]!;
        const all = facilities.records.filter((f) => f.typeId === type.id);
        const area = summarizeArea(
          coverage[type.id]!.coverage,
          measuredPopulation,
          null,
          facilityIndex,
          facilities.records,
          () => true,
        );
        const known = [...facilityIndex].filter((i) => !Number.isNaN(facilities.records[i]!.capacity)).length;
        const summaryOfType: TypeSummary = {
          nameZh: type.name_zh,
          nameEn: type.name_en,
          radiusM: type.radius_m,
          radiusStatus: type.radius_status,
          tier: type.tier,
          ...area,
          facilitiesNotServing: all.length - facilityIndex.length,
          capacityKnown: known,
          capacityUnit: type.capacity_unit,
          ...(reach
            ? {
                coveredShareOfReached:
                  reach.summary.population_reached > 0
                    ? Math.min(1, area.coveredPopulation / reach.summary.population_reached)
                    : null,
              }
            : {}),
        };
        return [type.id, summaryOfType];
      }),
    ),
    districts: Object.fromEntries(
      districtsByPopulation(communityResults).map((name) => {
        const members = membersOf.get(name)!;
        let population = 0;
        for (const c of members) population += measuredPopulation[c]!;
        const district: DistrictSummary = {
          communities: members.length,
          population,
          types: Object.fromEntries(
            types.map((type) => [
              type.id,
              summarizeArea(
                coverage[type.id]!.coverage,
                measuredPopulation,
                members,
                coverage[type.id]!.facilityIndex,
                facilities.records,
                (fi) => facilityDistrict[fi] === name,
              ),
            ]),
          ),
        };
        return [name, district];
      }),
    ),
    rejected,
    warnings,
    ...(facilities.categories ? { categories: facilities.categories } : {}),
    ...(reach ? { network: reach.summary } : {}),
  };
  const notes = headlineNotes(summary);
  return {
    summary: notes.length > 0 ? { ...summary, headlineNotes: notes } : summary,
    communities: communityResults,
    facilities: facilities.records,
    facilityDistricts: facilityDistrict,
    types,
    demand,
    ...(reach ? { reachedPopulation: reach.reachedPopulation } : {}),
    coverage,
  };
}

/** One sentence on the categories that gave no facility a type, for the no-usable-facility error. */
function unmappedSentence(unmapped: CategoryReport['unmapped']): string {
  const total = unmapped.reduce((n, u) => n + u.facilities, 0);
  const shown = unmapped
    .slice(0, 5)
    .map(
      (u) =>
        `'${u.category}' (${u.facilities}${u.did_you_mean ? `; did you mean ${u.did_you_mean.join(', ')}?` : ''})`,
    )
    .join(', ');
  const more = unmapped.length > 5 ? ` and ${unmapped.length - 5} more` : '';
  const subject =
    total === 1
      ? '1 facility has a type or category that maps'
      : `${total} facilities have types or categories that map`;
  return `${subject} to no catalog type: ${shown}${more}. To use them, ${HOW_TO_MAP}.`;
}

/** The types a run analyses: the ones asked for, or every catalog type with a facility in the input. */
function selectTypes(
  catalog: FacilityCatalog,
  facilities: readonly FacilityRecord[],
  asked?: readonly string[],
): FacilityType[] {
  if (asked && asked.length > 0) {
    const chosen = new Set<string>();
    for (const text of asked) {
      const type = catalog.resolve(text);
      if (!type) {
        throw new OptionError(
          'types',
          `unknown facility type '${text}'. Use one of: ${catalog.types.map((t) => t.id).join(', ')}.`,
        );
      }
      chosen.add(type.id);
    }
    return catalog.types.filter((t) => chosen.has(t.id));
  }
  const present = new Set(facilities.map((f) => f.typeId));
  return catalog.types.filter((t) => present.has(t.id));
}

/**
 * One type's figures over an area's communities (`members`, indices in input order; null for every
 * community), summed from the coverage's typed arrays in community order.
 */
function summarizeArea(
  coverage: Coverage,
  communityPopulation: Float64Array,
  members: readonly number[] | null,
  facilityIndex: Uint32Array,
  facilities: readonly FacilityRecord[],
  inArea: (facilityRecordIndex: number) => boolean,
): AreaTypeSummary {
  let population = 0;
  let covered = 0;
  let gapCommunities = 0;
  let gapPopulation = 0;
  const { coveredPopulation, gap } = coverage.community;
  const count = members ? members.length : communityPopulation.length;
  for (let m = 0; m < count; m++) {
    const c = members ? members[m]! : m;
    const residents = communityPopulation[c]!;
    population += residents;
    covered += coveredPopulation[c]!;
    if (gap[c] === 1) {
      gapCommunities++;
      gapPopulation += residents;
    }
  }
  let serving = 0;
  let capacity = 0;
  let capacityKnown = 0;
  for (const fi of facilityIndex) {
    if (!inArea(fi)) continue;
    serving++;
    const value = facilities[fi]!.capacity;
    if (!Number.isNaN(value)) {
      capacity += value;
      capacityKnown++;
    }
  }
  return {
    facilities: serving,
    coveredPopulation: covered,
    coveredShare: population > 0 ? covered / population : null,
    gapCommunities,
    gapPopulation,
    capacity: capacityKnown > 0 ? capacity : null,
    capacityPer1000: capacityKnown > 0 && population > 0 ? (capacity / population) * 1000 : null,
  };
}

/** District names, most residents first (ties by name), so the main district leads every table. */
function districtsByPopulation(communities: readonly CommunityResult[]): string[] {
  const population = new Map<string, number>();
  for (const c of communities) {
    const name = c.record.district ?? NO_DISTRICT;
    population.set(name, (population.get(name) ?? 0) + c.population);
  }
  return [...population].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
