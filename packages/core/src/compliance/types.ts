import type { NetworkSummary } from '../analysis/network.js';
import type { TerrainLoss } from '../analysis/terrain-loss.js';
import type { DemandReport } from '../demand/index.js';
import type { DistanceKind } from '../distance/types.js';
import type { LifeCircleTier } from '../standards/catalog.js';
import type { CategoryReport } from '../standards/facility-typer.js';
import type {
  IndicatorKind,
  NotAssessed,
  ProfileCondition,
  StandardProfile,
  ValueStatus,
} from '../standards/profile.js';
import type { CommunityRecord } from '../validate/features.js';
import type { Rejection, Warning } from '../validate/problems.js';

/** The verdict on an item: judged from the data, or not judgeable from it. */
export type ItemStatus = 'pass' | 'fail' | 'unknown';

/** A community's verdict: every required item passes, one fails, or none fails but one is unknown. */
export type Completeness = 'complete' | 'incomplete' | 'unknown';

/** One condition of an item for one community. */
export interface ConditionResult {
  /** `access` (a facility within the radius) or the profile condition's kind. */
  readonly kind: 'access' | ProfileCondition['kind'];
  readonly status: ItemStatus;
  /** Why, in words a bureau can act on: "none within 300 m; nearest 640 m". */
  readonly reason: string;
  /** The measured figure (covered share, m², m² per 100 households, …); null when not measured. */
  readonly value: number | null;
  readonly target: number | null;
  readonly unit: string;
  /** What is missing to pass, rounded up to whole units (0 when it passes); null when unknown. */
  readonly shortfall: number | null;
  readonly shortfallUnit: string | null;
  /** The facility the figure is about (the largest, the best ratio), when there is one. */
  readonly facilityId: string | null;
  /** True when it fails only because no facility is within reach (the access condition says so). */
  readonly dependent: boolean;
}

/** One requirement of the profile for one community. */
export interface ItemResult {
  readonly id: string;
  readonly required: boolean;
  readonly status: ItemStatus;
  /** The reasons of the conditions that did not pass, or what passed. */
  readonly reason: string;
  /**
   * Cost to the nearest serving facility within the search bound, in the result's `costUnit`
   * (metres, or minutes on a walker's graph or a matrix in minutes); null when none.
   */
  readonly nearestCost: number | null;
  readonly nearestId: string | null;
  /** Serving facilities within the radius of at least one of the community's demand points. */
  readonly withinCount: number;
  /** Share of residents with one within the radius; null for an attribute item or no residents. */
  readonly coveredShare: number | null;
  readonly conditions: readonly ConditionResult[];
}

/** A crowding-aware accessibility score for one community. */
export interface AccessScore {
  /** The group's head count (children, elderly, residents); NaN when unknown. */
  readonly demand: number;
  /** Capacity within reach per `scale` of the group (2SFCA / E2SFCA); null without demand. */
  readonly score: number | null;
  /** A facility of unknown capacity is within reach: the score is a lower bound. */
  readonly partial: boolean;
  /** Capacitated assignment: the group's members given a place, … */
  readonly served: number | null;
  /** … reaching only full facilities, … */
  readonly overCapacity: number | null;
  /** … with no facility within reach, … */
  readonly outside: number | null;
  /** … and those left where only facilities of unknown capacity had room. */
  readonly unknown: number | null;
}

/** A community's verdict on every item of the profile. */
export interface CommunityCompliance {
  readonly record: CommunityRecord;
  /** Residents as measured on its demand points. */
  readonly population: number;
  /** On a walking network: its residents on demand points the network reaches. */
  readonly reachedPopulation?: number;
  /**
   * On a walking network, when part of its demand snapped onto a piece other than the largest: what
   * that means (as analyze's `network_note`).
   */
  readonly networkNote?: string;
  readonly completeness: Completeness;
  /** Required items passed ÷ required items (unknown ones count as not passed). */
  readonly score: number;
  readonly passed: number;
  readonly failed: number;
  readonly unknown: number;
  /** Highest life-circle tier attained with every lower one (nested profiles); null otherwise or none. */
  readonly tierAttained: LifeCircleTier | null;
  /** Items in profile order. */
  readonly items: readonly ItemResult[];
  readonly access: Readonly<Record<string, AccessScore>>;
}

/** What an area lacks for one requirement, in units a bureau can act on. */
export interface RequirementShortfall {
  /** Communities failing the access condition. */
  readonly communitiesWithoutAccess: number;
  /** Residents of those communities. */
  readonly residentsWithoutAccess: number;
  /**
   * New facilities that would put one within the radius of every such community (a greedy cover
   * with sites at those communities: an estimate); null when not estimated or when no community could be judged (every one unknown).
   */
  readonly facilitiesNeeded: number | null;
  /**
   * What is missing per condition: m² to enlarge the facilities below a minimum area (each facility
   * once), m² or places to reach a per-capita figure (summed over communities).
   */
  readonly amounts: readonly { readonly kind: string; readonly unit: string; readonly amount: number }[];
}

/** Counts of one requirement over an area. */
export interface RequirementSummary {
  readonly pass: number;
  readonly fail: number;
  readonly unknown: number;
  /** pass ÷ (pass + fail): the compliance rate among communities where it could be judged; null if none. */
  readonly passShare: number | null;
  /**
   * On a walking network: residents with a facility of the item within its radius, as a share of all
   * the area's residents (null for an item judged on attributes alone, or no residents) …
   */
  readonly coveredShare?: number | null;
  /**
   * … and as a share of the residents the network reaches (`covered_share` counts those it does not
   * reach as not covered: see the `residents-outside-network` headline note).
   */
  readonly coveredShareOfReached?: number | null;
  readonly shortfall: RequirementShortfall;
}

/** An area figure against its target. */
export interface IndicatorResult {
  readonly id: string;
  readonly kind: IndicatorKind;
  /** The figure; null when the data cannot give it. */
  readonly value: number | null;
  /** For `complete_share`: the share if every unknown community turned out complete. */
  readonly valueMax: number | null;
  readonly target: number | null;
  readonly comparison: '>=' | '<=';
  /** Null when there is no target or no value. */
  readonly met: boolean | null;
  /** What is missing (places, m², communities, facilities), 0 exactly when met; null when not judged. */
  readonly shortfall: number | null;
  readonly shortfallUnit: string | null;
  /** Numerator and denominator of the value, for checking by hand. */
  readonly amount: number | null;
  readonly base: number | null;
  /** Part of the data was unknown (capacities, households): the value counts what is known. */
  readonly provisional: boolean;
  /** What was unknown or estimated. */
  readonly note: string | null;
}

/** Access score figures summed over an area. */
export interface AccessSummary {
  readonly demand: number;
  readonly supply: number;
  /** Demand-weighted mean score. */
  readonly score: number | null;
  readonly served: number | null;
  readonly overCapacity: number | null;
  readonly outside: number | null;
  readonly unknown: number | null;
}

/** The figures of a county (district) or the city. */
export interface AreaCompliance {
  /** District name, or `city`. */
  readonly name: string;
  readonly communities: number;
  readonly population: number;
  readonly complete: number;
  readonly incomplete: number;
  readonly unknown: number;
  /** complete ÷ communities: the complete-community coverage rate. */
  readonly completeShare: number | null;
  /** (complete + unknown) ÷ communities: the rate if every unknown community turned out complete. */
  readonly completeShareMax: number | null;
  /** Residents of complete communities ÷ residents. */
  readonly completePopulationShare: number | null;
  readonly meanScore: number | null;
  /** Nested profiles: communities attaining each tier (with every lower one). */
  readonly tiers: Readonly<Partial<Record<LifeCircleTier, number>>>;
  readonly requirements: Readonly<Record<string, RequirementSummary>>;
  readonly indicators: Readonly<Record<string, IndicatorResult>>;
  readonly access: Readonly<Record<string, AccessSummary>>;
}

/** A requirement as the run resolved it: radii from the catalog, the profile or the user. */
export interface RequirementInfo {
  readonly id: string;
  /** The requirement's Chinese name (the profile's `name_zh`). */
  readonly nameZh: string;
  readonly nameEn: string;
  readonly required: boolean;
  readonly tier: LifeCircleTier | null;
  readonly facilities: readonly string[];
  /** Per facility type: the radius used and where it comes from. */
  readonly radii: readonly {
    readonly type: string;
    /** In the run's cost unit: metres, or minutes on a walker's graph or a matrix in minutes. */
    readonly radius: number;
    readonly radiusStatus: ValueStatus;
  }[];
  readonly minCoveredShare: number;
  readonly conditions: readonly ProfileCondition[];
  readonly note: string | null;
}

/** A value of the run that is not confirmed against a standard's text. */
export interface UnconfirmedValue {
  /** Where it is used: `kindergarten radius`, `kindergarten min_building_area_m2`, `indicator x target`. */
  readonly what: string;
  readonly value: number | string | boolean;
  readonly status: Exclude<ValueStatus, 'standard'>;
}

/**
 * What {@link checkStandards} returns: camelCase names, every figure at full precision. check's
 * files (rounded, snake_case) are made from it in core's report stage: summary.json by
 * `complianceSummaryJson`, compliance.csv by `complianceRows`, districts.csv by `districtRows` and
 * compliance.geojson by `complianceFeatureCollection`.
 */
export interface ComplianceResult {
  readonly profile: StandardProfile;
  /** The year evaluated, or null for the statuses as given. */
  readonly asOf: number | null;
  readonly includePlanned: boolean;
  readonly distance: DistanceKind;
  readonly costUnit: 'm' | 'min';
  readonly requirements: readonly RequirementInfo[];
  /** Communities standing in the evaluated year, in input order. */
  readonly communities: readonly CommunityCompliance[];
  /** Districts, most residents first. */
  readonly districts: readonly AreaCompliance[];
  readonly city: AreaCompliance;
  /** Every value used that is not confirmed against a standard's text: every report lists them. */
  readonly unconfirmed: readonly UnconfirmedValue[];
  readonly notAssessed: readonly NotAssessed[];
  /** Communities left out because they were built after `as_of`. */
  readonly notYetBuilt: number;
  /**
   * Whether the facility file was declared the whole inventory (`completeInventory` or the
   * profile's `complete_inventory`): then a requirement whose types are absent fails; otherwise
   * it is unknown ("no facilities of this type in the input").
   */
  readonly completeInventory: boolean;
  /**
   * Requirements none of whose facility types is in the input at all, by id: unknown for every
   * community unless `complete_inventory`, when they fail.
   */
  readonly absentTypes: readonly { readonly requirement: string; readonly types: readonly string[] }[];
  /** Things a reader should know (estimates, missing years). */
  readonly notes: readonly string[];
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly Warning[];
  /** Facilities typed by POI category and the unmapped categories (as the analysis summary). */
  readonly categories?: CategoryReport;
  /** How the demand points were placed, as in `analyze`'s summary.json (`demand`). */
  readonly demand: DemandReport;
  /** On a walking network: its pieces, snapping rules and reach, as in `analyze`'s summary.json. */
  readonly network?: NetworkSummary;
  /**
   * With a flat walk to compare with (`CheckOptions.flatWalk`): per type, the communities served on
   * the flat walk that have a gap for the type's walker over the terrain, with the facilities'
   * statuses as given (as `analyze`'s `walking.lostToTerrain`).
   */
  readonly lostToTerrain?: Readonly<Record<string, TerrainLoss>>;
}
