import { capacitatedAssignment } from '../indicators/assignment.js';
import { decayFromSpec } from '../indicators/decay.js';
import { type GroupDemand, groupDemand } from '../indicators/demand.js';
import { twoStepFloatingCatchment } from '../indicators/fca.js';
import { type ConditionAt, conditionKind } from '../kinds/index.js';
import type { LifeCircleTier } from '../standards/catalog.js';
import type { DecaySpec, DemandSpec, ProfileCondition } from '../standards/profile.js';
import type { CommunityRecord } from '../validate/features.js';
import { type FacilityTable, facilityField, type MeasureBase, type ResolvedRequirement } from './base.js';
import { cost, percent } from './format.js';
import { communityExists, facilityServes, type TimeSlice } from './time.js';
import type {
  AccessScore,
  CommunityCompliance,
  Completeness,
  ConditionResult,
  ItemResult,
  ItemStatus,
  RequirementInfo,
} from './types.js';

/** A time slice applied to the data: which facilities serve and which communities stand. */
export interface Slice extends TimeSlice {
  /** Per facility record: 1 when it serves. */
  readonly serves: Uint8Array;
  /** Per community: 1 when it stands. */
  readonly exists: Uint8Array;
  /** Serving facility record indices by type id, in input order. */
  readonly servingByType: ReadonlyMap<string, readonly number[]>;
}

export function applySlice(base: MeasureBase, time: TimeSlice): Slice {
  const { facilities, communities } = base.analysis;
  const serves = Uint8Array.from(facilities, (f) => (facilityServes(f, time) ? 1 : 0));
  const servingByType = new Map<string, number[]>();
  facilities.forEach((f, i) => {
    if (!serves[i]) return;
    const list = servingByType.get(f.typeId);
    if (list) list.push(i);
    else servingByType.set(f.typeId, [i]);
  });
  return {
    ...time,
    serves,
    exists: Uint8Array.from(communities, (c) => (communityExists(c.record, time) ? 1 : 0)),
    servingByType,
  };
}

/** What to compute besides the verdicts. */
export interface EvaluationDetail {
  /** Reasons in words and the nearest facility beyond the radius (check); off for yearly runs. */
  readonly reasons: boolean;
  /** Access scores and capacitated assignment. */
  readonly access: boolean;
}

/** What one requirement's facilities reach, per community, in a slice. */
interface RequirementReach {
  readonly nearest: Float64Array;
  readonly nearestFacility: Int32Array;
  readonly covered: Float64Array;
  readonly population: Float64Array;
  /** Serving facilities (record indices) within the radius of a demand point of the community. */
  readonly reachable: readonly (readonly number[])[];
  /** Whether any facility of the types serves in the slice at all. */
  readonly anyServing: boolean;
}

const NO_FACILITIES: readonly number[] = [];

function reachOf(base: MeasureBase, table: FacilityTable, slice: Slice, reasons: boolean): RequirementReach {
  const { demand, facilities: records } = base.analysis;
  const n = demand.ownerCount;
  const nearest = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const nearestFacility = new Int32Array(n).fill(-1);
  const covered = new Float64Array(n);
  const population = new Float64Array(n);
  const reachable: number[][] = [];
  for (let c = 0; c < n; c++) reachable.push(NO_FACILITIES as number[]);
  const stamp = new Int32Array(records.length).fill(-1);
  // Without reasons only the pairs within the radius matter.
  const { offsets, targets, costs } = reasons ? table.table : table.inner;
  const { owner, weight } = demand;
  const { serves, exists } = slice;
  const facilityOf = table.facilities;
  const radius = table.radius;
  for (let i = 0; i < owner.length; i++) {
    const c = owner[i]!;
    if (!exists[c]) continue;
    const w = weight[i]!;
    population[c]! += w;
    let isCovered = false;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) {
      const t = targets[k]!;
      const f = facilityOf[t]!;
      if (!serves[f]) continue;
      const cost = costs[k]!;
      if (cost < nearest[c]!) {
        nearest[c] = cost;
        nearestFacility[c] = f;
      }
      if (cost <= radius[t]!) {
        isCovered = true;
        // Demand points of a community are contiguous, so a stamp per facility dedupes per community.
        if (stamp[f] !== c) {
          stamp[f] = c;
          if (reachable[c] === NO_FACILITIES) reachable[c] = [];
          reachable[c]!.push(f);
        }
      }
    }
    if (isCovered) covered[c]! += w;
  }
  let anyServing = false;
  for (const f of facilityOf) if (serves[f]) anyServing = true;
  return { nearest, nearestFacility, covered, population, reachable, anyServing };
}

/** The per-slice cache of group demands, keyed by the spec. */
export class DemandCache {
  private readonly cache = new Map<string, GroupDemand>();
  private readonly records: CommunityRecord[];
  constructor(
    private readonly base: MeasureBase,
    private readonly slice: Slice,
  ) {
    this.records = base.analysis.communities.map((c) => c.record);
  }
  get(spec: DemandSpec): GroupDemand {
    const key = JSON.stringify(spec);
    let group = this.cache.get(key);
    if (!group) {
      group = groupDemand(this.base.analysis.demand, this.records, spec, this.slice.exists);
      this.cache.set(key, group);
    }
    return group;
  }
}

/** Per community: Σ over its points of demand × accessibility, the share of the supply that reaches it. */
export interface Allocation {
  readonly group: GroupDemand;
  readonly amount: Float64Array;
  /** 1 where a facility of unknown supply is within reach. */
  readonly partial: Uint8Array;
}

function allocate(
  base: MeasureBase,
  table: FacilityTable,
  slice: Slice,
  field: string,
  group: GroupDemand,
  decaySpec: DecaySpec | null = null,
): Allocation {
  const records = base.analysis.facilities;
  const supply = Float64Array.from(table.facilities, (f) =>
    slice.serves[f] ? facilityField(records[f]!, field) : 0,
  );
  const fca = twoStepFloatingCatchment(decaySpec === null ? table.inner : table.table, supply, group.point, {
    catchment: table.radius,
    decay: decayFromSpec(decaySpec),
  });
  const n = base.analysis.demand.ownerCount;
  const amount = new Float64Array(n);
  const partial = new Uint8Array(n);
  const { owner } = base.analysis.demand;
  for (let i = 0; i < owner.length; i++) {
    const c = owner[i]!;
    amount[c]! += group.point[i]! * fca.access[i]!;
    if (fca.partial[i]) partial[c] = 1;
  }
  return { group, amount, partial };
}

/** Evaluates every standing community of a slice against every requirement and access analysis. */
export function evaluateCommunities(
  base: MeasureBase,
  slice: Slice,
  demands: DemandCache,
  detail: EvaluationDetail = { reasons: true, access: true },
): CommunityCompliance[] {
  const { analysis, profile } = base;
  const records = analysis.facilities;
  const n = analysis.demand.ownerCount;
  const contexts = base.requirements.map((rr) =>
    requirementContext(base, rr, slice, demands, detail.reasons),
  );
  const accessScores = (detail.access ? base.access : []).map((ra) => {
    const group = demands.get(ra.access.per);
    const { amount, partial } = allocate(base, ra.facilities, slice, ra.access.field, group, ra.access.decay);
    const supply = Float64Array.from(ra.facilities.facilities, (f) =>
      slice.serves[f] ? facilityField(records[f]!, ra.access.field) : 0,
    );
    const assignment = ra.access.assignment
      ? capacitatedAssignment(ra.facilities.table, supply, group.point, {
          catchment: ra.facilities.radius,
          serving: Uint8Array.from(ra.facilities.facilities, (f) => slice.serves[f]!),
        })
      : null;
    const sums = {
      demand: new Float64Array(n),
      served: new Float64Array(n),
      over: new Float64Array(n),
      outside: new Float64Array(n),
      unknown: new Float64Array(n),
    };
    const { owner } = analysis.demand;
    for (let i = 0; i < owner.length; i++) {
      const c = owner[i]!;
      sums.demand[c]! += group.point[i]!;
      if (assignment) {
        sums.served[c]! += assignment.served[i]!;
        sums.over[c]! += assignment.overCapacity[i]!;
        sums.outside[c]! += assignment.outside[i]!;
        sums.unknown[c]! += assignment.unknown[i]!;
      }
    }
    return {
      amount,
      partial,
      group,
      sums,
      assigned: assignment !== null,
      id: ra.access.id,
      scale: ra.access.scale,
    };
  });

  const tiers = profile.tiers;
  const out: CommunityCompliance[] = [];
  for (let c = 0; c < n; c++) {
    if (!slice.exists[c]) continue;
    const community = analysis.communities[c]!;
    const items = contexts.map((context) => evaluateItem(context, c));
    let passed = 0;
    let failed = 0;
    let unknown = 0;
    let required = 0;
    for (const item of items) {
      if (!item.required) continue;
      required++;
      if (item.status === 'pass') passed++;
      else if (item.status === 'fail') failed++;
      else unknown++;
    }
    const completeness: Completeness = failed > 0 ? 'incomplete' : unknown > 0 ? 'unknown' : 'complete';
    let tierAttained: LifeCircleTier | null = null;
    if (tiers?.nested) {
      for (const tier of tiers.order) {
        const blocked = base.requirements.some(
          (rr, k) => rr.info.required && rr.info.tier === tier && items[k]!.status !== 'pass',
        );
        if (blocked) break;
        tierAttained = tier;
      }
    }
    const access: Record<string, AccessScore> = {};
    for (const a of accessScores) {
      const demand = a.group.community[c]!;
      const known = !Number.isNaN(demand);
      const d = a.sums.demand[c]!;
      access[a.id] = {
        demand,
        score: known && d > 0 ? (a.amount[c]! / d) * a.scale : null,
        partial: a.partial[c] === 1,
        served: known && a.assigned ? a.sums.served[c]! : null,
        overCapacity: known && a.assigned ? a.sums.over[c]! : null,
        outside: known && a.assigned ? a.sums.outside[c]! : null,
        unknown: known && a.assigned ? a.sums.unknown[c]! : null,
      };
    }
    const judged = items.filter((i) => i.status === 'pass').length;
    const reached = analysis.reachedPopulation;
    out.push({
      record: community.record,
      population: community.population,
      ...(reached ? { reachedPopulation: reached[c]! } : {}),
      ...(community.networkNote === undefined ? {} : { networkNote: community.networkNote }),
      completeness,
      score: required > 0 ? passed / required : judged / Math.max(1, items.length),
      passed,
      failed,
      unknown,
      tierAttained,
      items,
      access,
    });
  }
  return out;
}

/** Everything one requirement's evaluation needs in a slice, computed once for all communities. */
interface RequirementContext {
  readonly base: MeasureBase;
  readonly info: RequirementInfo;
  readonly reach: RequirementReach | null;
  readonly radiusText: string;
  readonly typeNames: string;
  readonly bound: number;
  /** The unit of radii, bounds and nearest costs: metres, or minutes for a walker or a matrix in minutes. */
  readonly unit: 'm' | 'min';
  /** Per condition: the shared supply of a per-capita or floor-share condition. */
  readonly allocations: readonly (Allocation | null)[];
  readonly reasons: boolean;
  /**
   * No facility of the requirement's types is in the input at all, and the facility file is not
   * declared the whole inventory: the item is unknown, not failed.
   */
  readonly absentFromInput: boolean;
}

/** The reason of an item whose facility types are absent from the input (see absentFromInput). */
export const ABSENT_TYPES_REASON = 'no facilities of this type in the input';

function requirementContext(
  base: MeasureBase,
  rr: ResolvedRequirement,
  slice: Slice,
  demands: DemandCache,
  reasons: boolean,
): RequirementContext {
  const info = rr.info;
  const table = rr.facilities;
  const radii = info.radii.map((r) => r.radius);
  const unit = base.analysis.summary.costUnit;
  const allocations = info.conditions.map((condition) => {
    if (!table) return null;
    const shares = conditionKind(condition.kind)!.shares(condition);
    return shares === null ? null : allocate(base, table, slice, shares.field, demands.get(shares.per));
  });
  return {
    base,
    info,
    reach: table ? reachOf(base, table, slice, reasons) : null,
    radiusText:
      radii.length > 0 && radii.every((r) => r === radii[0])
        ? `within ${cost(radii[0]!, unit)}`
        : 'within reach',
    typeNames: info.facilities.map((t) => base.catalog.get(t)?.name_zh ?? t).join(' or '),
    bound: table?.table.bound ?? 0,
    unit,
    allocations,
    reasons,
    absentFromInput: table !== null && table.facilities.length === 0 && !base.completeInventory,
  };
}

function evaluateItem(ctx: RequirementContext, c: number): ItemResult {
  const { info, reach, base } = ctx;
  const records = base.analysis.facilities;
  const conditions: ConditionResult[] = [];
  let nearestM: number | null = null;
  let nearestId: string | null = null;
  let reachable: readonly number[] = NO_FACILITIES;
  let coveredShare: number | null = null;
  if (reach) {
    reachable = reach.reachable[c]!;
    const nearest = reach.nearest[c]!;
    if (Number.isFinite(nearest)) {
      nearestM = nearest;
      nearestId = records[reach.nearestFacility[c]!]!.id;
    }
    const population = reach.population[c]!;
    coveredShare = population > 0 ? Math.min(1, reach.covered[c]! / population) : null;
    conditions.push(accessCondition(ctx, reachable.length, coveredShare, nearest, nearestId));
  }
  info.conditions.forEach((condition, k) => {
    conditions.push(evaluateCondition(ctx, condition, ctx.allocations[k] ?? null, c, reachable));
  });
  // Types absent from the input: the data cannot say whether there are none or they were not
  // collected, so the verdict is unknown unless the file is declared the whole inventory, and so is
  // every condition's (else area summaries would count communities "without access" and shortfalls).
  if (ctx.absentFromInput) {
    conditions.forEach((condition, k) => {
      conditions[k] = { ...condition, status: 'unknown', shortfall: null, shortfallUnit: null };
    });
  }
  const status: ItemStatus = ctx.absentFromInput
    ? 'unknown'
    : conditions.some((r) => r.status === 'fail')
      ? 'fail'
      : conditions.some((r) => r.status === 'unknown')
        ? 'unknown'
        : 'pass';
  let reason = '';
  if (ctx.absentFromInput) {
    if (ctx.reasons) reason = `${ABSENT_TYPES_REASON} (${ctx.typeNames})`;
  } else if (ctx.reasons) {
    const shown =
      status === 'pass' ? conditions : conditions.filter((r) => r.status === status && !r.dependent);
    reason = [...new Set(shown.map((r) => r.reason))].join('; ');
  }
  return {
    id: info.id,
    required: info.required,
    status,
    reason,
    nearestCost: nearestM,
    nearestId: nearestId,
    withinCount: reachable.length,
    // No facility of the item's types in the input: a covered share of 0 would read as measured.
    coveredShare: ctx.absentFromInput ? null : coveredShare,
    conditions,
  };
}

function accessCondition(
  ctx: RequirementContext,
  withinCount: number,
  coveredShare: number | null,
  nearest: number,
  nearestId: string | null,
): ConditionResult {
  const min = ctx.info.minCoveredShare;
  const pass = withinCount > 0 && (coveredShare === null || coveredShare >= min);
  let reason = '';
  if (ctx.reasons) {
    if (pass) {
      reason = `${withinCount} ${ctx.radiusText}; nearest ${cost(nearest, ctx.unit)}`;
      if (coveredShare !== null && coveredShare < 1) reason += ` (${percent(coveredShare)} of residents)`;
    } else if (withinCount === 0) {
      reason = Number.isFinite(nearest)
        ? `none ${ctx.radiusText}; nearest ${cost(nearest, ctx.unit)} (${nearestId})`
        : ctx.reach?.anyServing
          ? `none ${ctx.radiusText}; none within ${cost(ctx.bound, ctx.unit)} either`
          : `none ${ctx.radiusText}; no serving ${ctx.typeNames} in the data`;
    } else {
      reason = `only ${percent(coveredShare ?? 0)} of residents ${ctx.radiusText} (needs ${percent(min)}); nearest ${cost(nearest, ctx.unit)}`;
    }
  }
  return {
    kind: 'access',
    status: pass ? 'pass' : 'fail',
    reason,
    value: coveredShare,
    target: min,
    unit: 'share of residents',
    shortfall: null,
    shortfallUnit: null,
    facilityId: null,
    dependent: false,
  };
}

/** The verdict on one condition for community c, by its kind's module. Reason text is built only when asked for. */
function evaluateCondition(
  ctx: RequirementContext,
  condition: ProfileCondition,
  shared: Allocation | null,
  c: number,
  reachable: readonly number[],
): ConditionResult {
  const at: ConditionAt = {
    base: ctx.base,
    info: ctx.info,
    radiusText: ctx.radiusText,
    community: ctx.base.analysis.communities[c]!.record,
    index: c,
    reachable,
    shared,
    result: (status, why, value, target, unit, extra = {}) => ({
      kind: condition.kind,
      status,
      reason: ctx.reasons ? why() : '',
      value,
      target,
      unit,
      shortfall: extra.shortfall ?? null,
      shortfallUnit: extra.shortfallUnit ?? null,
      facilityId: extra.facilityId ?? null,
      dependent: extra.dependent ?? false,
    }),
  };
  return conditionKind(condition.kind)!.judge(condition, at);
}
