import { type AnalysisInput, type AnalysisOptions, analyzeCoverage } from '../analysis/index.js';
import { type FlatWalk, lostToTerrainOfRun } from '../analysis/terrain-loss.js';
import { GreatCircleSource } from '../distance/great-circle.js';
import type { DistanceSource, Origins } from '../distance/types.js';
import { FacilityCatalog } from '../standards/catalog.js';
import { builtInProfile, type StandardProfile } from '../standards/profile.js';
import { catalogWithRadii } from '../standards/radii.js';
import { OptionError } from '../validate/problems.js';
import { type AreaMembers, districtOrder, summarizeArea } from './areas.js';
import { buildMeasureBase, type MeasureBase, NO_DISTRICT } from './base.js';
import { facilityEstimates } from './estimate.js';
import {
  applySlice,
  DemandCache,
  type EvaluationDetail,
  evaluateCommunities,
  type Slice,
} from './evaluate.js';
import { dataYears, type TimeSlice } from './time.js';
import type { AreaCompliance, CommunityCompliance, ComplianceResult } from './types.js';

/** Options of {@link checkStandards}; every field is optional. */
export interface CheckOptions {
  /** Facility types and radii. Default: the built-in catalog. */
  catalog?: FacilityCatalog;
  /** Radius in metres per type id, name or alias; wins over the catalog and the profile. */
  radii?: Readonly<Record<string, number>>;
  /** Without `asOf`: let planned and under-construction facilities serve. Default false. */
  includePlanned?: boolean;
  /**
   * Evaluate the city as it stood (or will stand) at the end of this year: facilities from their
   * `opened` or `planned_year`, communities from their `built` year. Default: the statuses as given.
   */
  asOf?: number;
  /**
   * The facility file is the whole inventory (as the profile's `complete_inventory`; either one
   * turns it on): a requirement whose facility types are absent from the input fails. Default
   * false: such a requirement is unknown, "no facilities of this type in the input".
   */
  completeInventory?: boolean;
  /** Estimate the new facilities each area needs (one `within` query per requirement). Default true. */
  estimateFacilities?: boolean;
  /** How polygon communities are turned into demand points (as `analyzeCoverage`). */
  demand?: AnalysisOptions['demand'];
  /** Distance source built on the demand points: great-circle by default, a walking network when given. */
  distance?: AnalysisOptions['distance'];
  /** Called as the run moves through its stages. */
  onProgress?: AnalysisOptions['onProgress'];
  /** POI categories mapped to catalog types (as `analyzeCoverage`). */
  typeMap?: AnalysisOptions['typeMap'];
  /**
   * With terrain or walkers (`distance` a `WalkerNetworkSource`): the flat walk to compare with.
   * The result then carries `lost_to_terrain`, per type the communities served on the flat walk
   * that have a gap for the type's walker (as `analyze`'s, with the facilities' statuses as given).
   */
  flatWalk?: FlatWalk;
}

/** Analyses the input once and measures every table the profile needs. */
export function prepareMeasures(
  input: AnalysisInput,
  profile: StandardProfile | string,
  options: CheckOptions,
): MeasureBase {
  const { catalog, userRadii } = catalogWithRadii(
    options.catalog ?? FacilityCatalog.builtIn(),
    options.radii,
  );
  let resolved: StandardProfile;
  if (typeof profile === 'string') {
    try {
      resolved = builtInProfile(profile, catalog);
    } catch (error) {
      if (error instanceof OptionError) throw error;
      throw new OptionError('profile', (error as Error).message);
    }
  } else {
    resolved = profile;
  }
  const types = new Set<string>();
  for (const r of resolved.requirements) for (const t of r.facilities) types.add(t);
  for (const i of resolved.indicators) if ('facilities' in i) for (const t of i.facilities) types.add(t);
  for (const a of resolved.access) for (const t of a.facilities) types.add(t);
  const missing = [...types].filter((t) => !catalog.get(t));
  if (missing.length > 0) {
    throw new OptionError(
      'profile',
      `the profile names facility types the catalog lacks: ${missing.join(', ')}. Add them with a catalog file.`,
    );
  }
  const factory: NonNullable<AnalysisOptions['distance']> =
    options.distance ?? ((origins: Origins) => new GreatCircleSource(origins));
  let source: DistanceSource | null = null;
  const shared: AnalysisOptions = {
    catalog,
    // Already in the catalog; given again so the analysis knows which radii the run set (in minutes
    // where costs are minutes) and which are the catalog's metres.
    ...(options.radii ? { radii: options.radii } : {}),
    ...(types.size > 0 ? { types: [...types] } : {}),
    includePlanned: options.includePlanned ?? false,
    ...(options.typeMap ? { typeMap: options.typeMap } : {}),
    ...(options.demand ? { demand: options.demand } : {}),
  };
  const analysis = analyzeCoverage(input, {
    ...shared,
    distance: (origins, context) => {
      source = factory(origins, context);
      return source;
    },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  options.onProgress?.({ stage: 'measure', message: `Measuring the ${resolved.id} profile's items` });
  const base = buildMeasureBase(
    analysis,
    source!,
    catalog,
    resolved,
    userRadii,
    options.completeInventory ?? false,
  );
  if (!options.flatWalk) return base;
  options.onProgress?.({ stage: 'measure', message: 'Walking the flat walk to compare with' });
  return { ...base, terrainLoss: lostToTerrainOfRun(analysis, input, shared, options.flatWalk) };
}

/** The communities, districts and city of one time slice. */
export interface SliceEvaluation {
  readonly slice: Slice;
  readonly communities: readonly CommunityCompliance[];
  readonly districts: readonly AreaCompliance[];
  readonly city: AreaCompliance;
}

/** Evaluates one time slice of a measured city. */
export function evaluateSlice(
  base: MeasureBase,
  time: TimeSlice,
  estimate: boolean,
  detail: EvaluationDetail = { reasons: true, access: true },
): SliceEvaluation {
  const slice = applySlice(base, time);
  const demands = new DemandCache(base, slice);
  const communities = evaluateCommunities(base, slice, demands, detail);
  const indexOf = new Map(base.analysis.communities.map((c, i) => [c.record, i]));
  const members = communities.map((result) => ({ index: indexOf.get(result.record)!, result }));
  let estimates = null;
  if (estimate) {
    const failing = new Map<string, number[]>();
    base.requirements.forEach((rr, k) => {
      failing.set(
        rr.info.id,
        members
          .filter(({ result }) =>
            result.items[k]!.conditions.some((c) => c.kind === 'access' && c.status === 'fail'),
          )
          .map(({ index }) => index),
      );
    });
    estimates = facilityEstimates(base, failing);
  }
  const districts = districtOrder(communities).map((name) => {
    const area: AreaMembers = {
      name,
      communities: members.filter(({ result }) => (result.record.district ?? NO_DISTRICT) === name),
      hasFacility: (f) => base.facilityDistrict[f] === name,
    };
    return summarizeArea(base, slice, demands, area, estimates, false);
  });
  // A county builds its own facilities: the city needs the sum of its counties' estimates.
  const cityEstimates = estimates
    ? new Map(
        base.requirements.map((rr) => [
          rr.info.id,
          () =>
            districts.reduce(
              (sum, d) => sum + (d.requirements[rr.info.id]!.shortfall.facilitiesNeeded ?? 0),
              0,
            ),
        ]),
      )
    : null;
  const city = summarizeArea(
    base,
    slice,
    demands,
    { name: 'city', communities: members, hasFacility: () => true },
    cityEstimates,
    true,
  );
  return { slice, communities, districts, city };
}

/**
 * Judges every community of a city against a standard profile: each requirement passes, fails or
 * cannot be judged (unknown) with the reason, a compliance score, and whether the community is
 * complete; then per district and city the complete-community rate, each requirement's compliance
 * rate and shortfall, the indicators against their targets, and crowding-aware access scores.
 *
 * Runs `analyzeCoverage` for validation, demand points and the distance source (walking distance
 * when `distance` builds a network source), then reads that source's `within` tables; `asOf`
 * evaluates the city as it stood or will stand in a year.
 *
 * @example
 * const result = checkStandards({ communities, facilities }, 'complete-community');
 * result.city.completeShare;                  // share of complete communities
 * result.communities[0]?.items[0]?.reason;     // e.g. 'none within 300 m; nearest 640 m (F-0012)'
 */
export function checkStandards(
  input: AnalysisInput,
  profile: StandardProfile | string,
  options: CheckOptions = {},
): ComplianceResult {
  const asOf = options.asOf ?? null;
  if (asOf !== null && (!Number.isInteger(asOf) || asOf < 1800 || asOf > 2200)) {
    throw new OptionError('asOf', `expected a year such as 2025, got ${asOf}.`);
  }
  if (asOf !== null && options.includePlanned) {
    throw new OptionError(
      'includePlanned',
      'cannot be combined with asOf: as of a year, planned facilities serve from their planned_year.',
    );
  }
  const base = prepareMeasures(input, profile, options);
  options.onProgress?.({ stage: 'summarize', message: 'Judging communities, districts and the city' });
  const { analysis } = base;
  const years = dataYears(
    analysis.communities.map((c) => c.record),
    analysis.facilities,
  );
  const evaluation = evaluateSlice(
    base,
    { asOf, includePlanned: options.includePlanned ?? false, current: years.lastOpened },
    options.estimateFacilities ?? true,
  );
  const notes: string[] = [];
  const notYetBuilt = analysis.communities.length - evaluation.communities.length;
  if (asOf !== null) {
    if (years.lastOpened !== null && asOf > years.lastOpened) {
      notes.push(
        `${asOf} is after the data's last opening year ${years.lastOpened}: planned and under-construction facilities count from their planned_year.`,
      );
    }
    if (notYetBuilt > 0) {
      notes.push(
        `${notYetBuilt} ${notYetBuilt === 1 ? 'community' : 'communities'} built after ${asOf} left out.`,
      );
    }
    if (years.openWithoutYear > 0) {
      notes.push(`${years.openWithoutYear} open facilities have no opened year: taken as open throughout.`);
    }
    if (years.plannedWithoutYear > 0) {
      notes.push(`${years.plannedWithoutYear} planned facilities have no planned_year: they never serve.`);
    }
  }
  const noHouseholds = evaluation.communities.filter((c) => Number.isNaN(c.record.households)).length;
  if (noHouseholds > 0) {
    notes.push(
      `households not given for ${noHouseholds} communities: items per household are unknown there.`,
    );
  }
  const absentTypes = base.requirements
    .filter((rr) => rr.facilities !== null && rr.facilities.facilities.length === 0)
    .map((rr) => ({ requirement: rr.info.id, types: rr.info.facilities }));
  if (absentTypes.length > 0) {
    const list = absentTypes.map((a) => `${a.requirement} (${a.types.join(', ')})`).join(', ');
    notes.push(
      base.completeInventory
        ? `no facilities in the input for ${list}: judged as failing, since the facility file is declared the whole inventory.`
        : `no facilities in the input for ${list}: judged unknown, not failing, since the facility file may not be the whole inventory (declare it complete to judge them failing).`,
    );
  }
  return {
    profile: base.profile,
    asOf,
    includePlanned: options.includePlanned ?? false,
    distance: analysis.summary.distance,
    costUnit: analysis.summary.costUnit,
    requirements: base.requirements.map((rr) => rr.info),
    communities: evaluation.communities,
    districts: evaluation.districts,
    city: evaluation.city,
    unconfirmed: base.unconfirmed,
    notAssessed: base.profile.not_assessed,
    notYetBuilt,
    completeInventory: base.completeInventory,
    absentTypes,
    notes,
    rejected: analysis.summary.rejected,
    warnings: analysis.summary.warnings,
    ...(analysis.summary.categories ? { categories: analysis.summary.categories } : {}),
    demand: analysis.summary.demand,
    ...(analysis.summary.network ? { network: analysis.summary.network } : {}),
    ...(base.terrainLoss ? { lostToTerrain: base.terrainLoss } : {}),
  };
}
