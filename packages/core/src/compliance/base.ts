import type { AnalysisResult } from '../analysis/index.js';
import type { TerrainLoss } from '../analysis/terrain-loss.js';
import type { CostTable, DistanceSource } from '../distance/types.js';
import { conditionKind } from '../kinds/index.js';
import { metresToMinutes } from '../network/walking.js';
import type { FacilityCatalog, LifeCircleTier } from '../standards/catalog.js';
import type {
  ProfileAccess,
  ProfileRequirement,
  StandardProfile,
  ValueStatus,
} from '../standards/profile.js';
import type { RequirementInfo, UnconfirmedValue } from './types.js';

/** Name of the area of communities without a district, as in the analysis summary. */
export { facilityField } from '../kinds/values.js';
export { NO_DISTRICT } from '../rules/district.js';

// The search reaches past the radius so that a failing community learns how far the nearest one is.
const REASON_BOUND_FACTOR = 2;
const REASON_BOUND_MIN_EXTRA_M = 500;

/**
 * The least reach past the radius in the source's unit: 500 m, or on a graph in minutes the minutes
 * of 500 m at the planners' flat walking speed (500 minutes would search the whole city).
 */
function reasonBoundExtra(unit: 'm' | 'min'): number {
  return unit === 'min' ? metresToMinutes(REASON_BOUND_MIN_EXTRA_M) : REASON_BOUND_MIN_EXTRA_M;
}

/** Facilities of some types with their `within` table from the demand points, for every time slice. */
export interface FacilityTable {
  /** Facility record index of each target, in table order. */
  readonly facilities: Uint32Array;
  /** Catchment (radius) of each target. */
  readonly radius: Float64Array;
  /** Every (demand point, target) pair within `table.bound`. */
  readonly table: CostTable;
  /** The pairs of `table` within each target's own radius: all a yearly evaluation needs. */
  readonly inner: CostTable;
}

/** The pairs of a table within each target's radius. */
function innerTable(table: CostTable, radius: Float64Array): CostTable {
  const n = table.offsets.length - 1;
  const offsets = new Uint32Array(n + 1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let k = table.offsets[i]!; k < table.offsets[i + 1]!; k++) {
      if (table.costs[k]! <= radius[table.targets[k]!]!) count++;
    }
    offsets[i + 1] = count;
  }
  const targets = new Uint32Array(count);
  const costs = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < n; i++) {
    for (let k = table.offsets[i]!; k < table.offsets[i + 1]!; k++) {
      const t = table.targets[k]!;
      if (table.costs[k]! <= radius[t]!) {
        targets[at] = t;
        costs[at] = table.costs[k]!;
        at++;
      }
    }
  }
  return { bound: Math.max(0, ...radius), offsets, targets, costs };
}

/** A requirement resolved against the catalog and the run's radii. */
export interface ResolvedRequirement {
  readonly requirement: ProfileRequirement;
  readonly info: RequirementInfo;
  /** Null for an attribute-only item. */
  readonly facilities: FacilityTable | null;
}

/** An access analysis resolved against the catalog. */
export interface ResolvedAccess {
  readonly access: ProfileAccess;
  readonly facilities: FacilityTable;
}

/** Everything measured once and shared by every time slice of a check or monitor run. */
export interface MeasureBase {
  readonly analysis: AnalysisResult;
  readonly source: DistanceSource;
  readonly catalog: FacilityCatalog;
  readonly profile: StandardProfile;
  readonly requirements: readonly ResolvedRequirement[];
  readonly access: readonly ResolvedAccess[];
  /** District of every facility record (its own `district`, else that of the nearest community). */
  readonly facilityDistrict: readonly string[];
  readonly unconfirmed: readonly UnconfirmedValue[];
  /**
   * The facility file is declared the whole inventory (the option or the profile's
   * `complete_inventory`): absent types fail rather than being unknown.
   */
  readonly completeInventory: boolean;
  /**
   * With a flat walk to compare with (`CheckOptions.flatWalk`): per type, the communities the
   * walkers' walk over the terrain leaves with a gap that the flat walk served (statuses as given).
   */
  readonly terrainLoss?: Readonly<Record<string, TerrainLoss>>;
}

function tableFor(
  analysis: AnalysisResult,
  source: DistanceSource,
  types: readonly string[],
  radiusOf: (type: string) => number,
  bound: number,
): FacilityTable {
  const wanted = new Set(types);
  const facilities: number[] = [];
  analysis.facilities.forEach((f, i) => {
    if (wanted.has(f.typeId)) facilities.push(i);
  });
  const coords = new Float64Array(facilities.length * 2);
  const ids: string[] = [];
  const radius = new Float64Array(facilities.length);
  facilities.forEach((fi, k) => {
    const f = analysis.facilities[fi]!;
    coords[2 * k] = f.lon;
    coords[2 * k + 1] = f.lat;
    ids.push(f.id);
    radius[k] = radiusOf(f.typeId);
  });
  const table = source.within({ coords, ids }, bound);
  return { facilities: Uint32Array.from(facilities), radius, table, inner: innerTable(table, radius) };
}

/**
 * Resolves the profile against the catalog and measures every requirement's and access analysis's
 * `within` table once on the distance source, reaching past the radius (twice it, at least 500 m
 * more, or its minutes on a graph in minutes) so that reasons can name the nearest facility beyond it. Every facility of the types is a
 * target whatever its status, so any time slice is a mask over the same tables.
 */
export function buildMeasureBase(
  analysis: AnalysisResult,
  source: DistanceSource,
  catalog: FacilityCatalog,
  profile: StandardProfile,
  userRadii: ReadonlySet<string>,
  completeInventory = false,
): MeasureBase {
  const unconfirmed: UnconfirmedValue[] = [];
  const note = (what: string, value: number | string | boolean, status: ValueStatus) => {
    if (status !== 'standard') unconfirmed.push({ what, value, status });
  };
  const requirements = profile.requirements.map((requirement): ResolvedRequirement => {
    const radii = requirement.facilities.map((type) => {
      const entry = catalog.get(type)!;
      if (userRadii.has(type) || requirement.radius_m === null) {
        return { type, radius: entry.radius_m, radiusStatus: entry.radius_status };
      }
      return { type, radius: requirement.radius_m, radiusStatus: requirement.radius_status ?? 'user' };
    });
    for (const r of radii) {
      const which = radii.length > 1 ? ` (${r.type})` : '';
      note(
        `${requirement.id}: radius in ${source.costUnit === 'min' ? 'minutes' : 'metres'}${which}`,
        r.radius,
        r.radiusStatus,
      );
    }
    for (const c of requirement.conditions) {
      const { label, value } = conditionKind(c.kind)!.stated(c);
      note(`${requirement.id}: ${c.kind}${label === null ? '' : ` ${label}`}`, value, c.status);
    }
    const firstType =
      requirement.facilities[0] === undefined ? undefined : catalog.get(requirement.facilities[0]);
    const tier: LifeCircleTier | null = requirement.tier ?? firstType?.tier ?? null;
    const info: RequirementInfo = {
      id: requirement.id,
      nameZh: requirement.name_zh,
      nameEn: requirement.name_en,
      required: requirement.required,
      tier,
      facilities: requirement.facilities,
      radii,
      minCoveredShare: requirement.min_covered_share ?? profile.min_covered_share,
      conditions: requirement.conditions,
      note: requirement.note,
    };
    if (requirement.facilities.length === 0) return { requirement, info, facilities: null };
    const maxRadius = Math.max(...radii.map((r) => r.radius));
    const bound = Math.max(REASON_BOUND_FACTOR * maxRadius, maxRadius + reasonBoundExtra(source.costUnit));
    const radiusOf = (type: string) => radii.find((r) => r.type === type)!.radius;
    return {
      requirement,
      info,
      facilities: tableFor(analysis, source, requirement.facilities, radiusOf, bound),
    };
  });
  for (const indicator of profile.indicators) {
    if (indicator.target !== null)
      note(`indicator ${indicator.id}: target`, indicator.target, indicator.status);
  }
  const access = profile.access.map((a): ResolvedAccess => {
    const radiusOf = (type: string) => a.catchment_m ?? catalog.get(type)!.radius_m;
    const bound = Math.max(...a.facilities.map(radiusOf));
    return { access: a, facilities: tableFor(analysis, source, a.facilities, radiusOf, bound) };
  });
  return {
    analysis,
    source,
    catalog,
    profile,
    requirements,
    access,
    facilityDistrict: analysis.facilityDistricts,
    unconfirmed,
    completeInventory: completeInventory || profile.complete_inventory,
  };
}
