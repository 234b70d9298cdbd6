import { judgeTarget } from '../indicators/targets.js';
import { type IndicatorArea, indicatorKind } from '../kinds/index.js';
import { supplyUnit } from '../kinds/values.js';
import type { LifeCircleTier } from '../standards/catalog.js';
import type { ProfileIndicator } from '../standards/profile.js';
import { facilityField, type MeasureBase, NO_DISTRICT, type ResolvedRequirement } from './base.js';
import type { DemandCache, Slice } from './evaluate.js';
import type {
  AccessSummary,
  AreaCompliance,
  CommunityCompliance,
  IndicatorResult,
  RequirementSummary,
} from './types.js';

/** The communities and facilities of one area (a district or the city). */
export interface AreaMembers {
  readonly name: string;
  /** Evaluated communities of the area, with their index in the analysis. */
  readonly communities: readonly { readonly index: number; readonly result: CommunityCompliance }[];
  /** Whether a facility record (by index) counts in the area. */
  readonly hasFacility: (facility: number) => boolean;
}

/** Estimates of new facilities per requirement, by area; absent when not estimated. */
export type FacilityEstimates = ReadonlyMap<string, (communities: readonly number[]) => number>;

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Sums an area: completeness, every requirement with its shortfall, the indicators and access scores. */
export function summarizeArea(
  base: MeasureBase,
  slice: Slice,
  demands: DemandCache,
  area: AreaMembers,
  estimates: FacilityEstimates | null,
  isCity: boolean,
): AreaCompliance {
  const { profile } = base;
  const members = area.communities;
  let complete = 0;
  let incomplete = 0;
  let unknown = 0;
  let population = 0;
  let completePopulation = 0;
  let scoreSum = 0;
  for (const { result } of members) {
    population += result.population;
    scoreSum += result.score;
    if (result.completeness === 'complete') {
      complete++;
      completePopulation += result.population;
    } else if (result.completeness === 'incomplete') incomplete++;
    else unknown++;
  }
  const tiers: Partial<Record<LifeCircleTier, number>> = {};
  if (profile.tiers?.nested) {
    for (const tier of profile.tiers.order) {
      const at = profile.tiers.order.indexOf(tier);
      tiers[tier] = members.filter(({ result }) => {
        const got = result.tierAttained === null ? -1 : profile.tiers!.order.indexOf(result.tierAttained);
        return got >= at;
      }).length;
    }
  }
  const requirements: Record<string, RequirementSummary> = {};
  const onNetwork = base.analysis.reachedPopulation !== undefined;
  base.requirements.forEach((rr, k) => {
    requirements[rr.info.id] = summarizeRequirement(rr, k, members, estimates, onNetwork);
  });
  const indicators: Record<string, IndicatorResult> = {};
  for (const indicator of profile.indicators) {
    indicators[indicator.id] = judgeIndicator(base, slice, demands, area, indicator, isCity);
  }
  const access: Record<string, AccessSummary> = {};
  for (const ra of base.access) {
    if (members.length > 0 && !(ra.access.id in members[0]!.result.access)) continue;
    let demand = 0;
    let weighted = 0;
    let scored = 0;
    let served = 0;
    let over = 0;
    let outside = 0;
    let left = 0;
    let assigned = false;
    for (const { result } of members) {
      const a = result.access[ra.access.id]!;
      if (Number.isNaN(a.demand)) continue;
      demand += a.demand;
      if (a.score !== null) {
        weighted += a.score * a.demand;
        scored += a.demand;
      }
      if (a.served !== null) {
        assigned = true;
        served += a.served;
        over += a.overCapacity ?? 0;
        outside += a.outside ?? 0;
        left += a.unknown ?? 0;
      }
    }
    let supply = 0;
    for (const f of ra.facilities.facilities) {
      if (!slice.serves[f] || !area.hasFacility(f)) continue;
      const v = facilityField(base.analysis.facilities[f]!, ra.access.field);
      if (!Number.isNaN(v)) supply += v;
    }
    access[ra.access.id] = {
      demand,
      supply,
      score: scored > 0 ? weighted / scored : null,
      served: assigned ? served : null,
      overCapacity: assigned ? over : null,
      outside: assigned ? outside : null,
      unknown: assigned ? left : null,
    };
  }
  const n = members.length;
  return {
    name: area.name,
    communities: n,
    population,
    complete,
    incomplete,
    unknown,
    completeShare: share(complete, n),
    completeShareMax: share(complete + unknown, n),
    completePopulationShare: share(completePopulation, population),
    meanScore: n > 0 ? scoreSum / n : null,
    tiers,
    requirements,
    indicators,
    access,
  };
}

function summarizeRequirement(
  rr: ResolvedRequirement,
  k: number,
  members: AreaMembers['communities'],
  estimates: FacilityEstimates | null,
  onNetwork: boolean,
): RequirementSummary {
  let pass = 0;
  let fail = 0;
  let unknown = 0;
  let withoutAccess = 0;
  let residentsWithout = 0;
  const failing: number[] = [];
  // Per condition: amounts by facility (enlarging one facility helps every community it serves) or summed.
  const perFacility = new Map<number, Map<string, number>>();
  const summed = new Map<number, number>();
  const meta = new Map<number, { kind: string; unit: string }>();
  // On a walking network: residents covered, all residents and those reached. An item judged on
  // attributes alone has no covered share (nor has a community without residents, which adds nothing).
  let covered = 0;
  let residents = 0;
  let reached = 0;
  let measured = false;
  for (const { index, result } of members) {
    const item = result.items[k]!;
    if (onNetwork && item.coveredShare !== null) {
      measured = true;
      covered += item.coveredShare * result.population;
      residents += result.population;
      reached += result.reachedPopulation ?? 0;
    }
    if (item.status === 'pass') pass++;
    else if (item.status === 'fail') fail++;
    else unknown++;
    for (const condition of item.conditions) {
      if (condition.status !== 'fail') continue;
      if (condition.kind === 'access') {
        withoutAccess++;
        residentsWithout += result.population;
        failing.push(index);
      } else if (condition.shortfall !== null && condition.shortfallUnit !== null) {
        const at = item.conditions.indexOf(condition);
        meta.set(at, { kind: condition.kind, unit: condition.shortfallUnit });
        if (condition.facilityId !== null) {
          const byFacility = perFacility.get(at) ?? new Map<string, number>();
          byFacility.set(condition.facilityId, condition.shortfall);
          perFacility.set(at, byFacility);
        } else {
          summed.set(at, (summed.get(at) ?? 0) + condition.shortfall);
        }
      }
    }
  }
  const amounts: { kind: string; unit: string; amount: number }[] = [];
  for (const at of [...meta.keys()].sort((a, b) => a - b)) {
    let amount = summed.get(at) ?? 0;
    for (const v of perFacility.get(at)?.values() ?? []) amount += v;
    amounts.push({ ...meta.get(at)!, amount });
  }
  const estimate = estimates?.get(rr.info.id);
  return {
    pass,
    fail,
    unknown,
    passShare: share(pass, pass + fail),
    ...(onNetwork
      ? {
          coveredShare: measured ? share(covered, residents) : null,
          // Covered residents are all reached (a facility is walked to on the network), so ≤ 1 but for rounding.
          coveredShareOfReached: measured && reached > 0 ? Math.min(1, covered / reached) : null,
        }
      : {}),
    shortfall: {
      communitiesWithoutAccess: withoutAccess,
      residentsWithoutAccess: residentsWithout,
      // No community judged (every one unknown, e.g. the item's types absent from the input): the
      // sites needed are unknown too, not 0.
      facilitiesNeeded: estimate && pass + fail > 0 ? (failing.length === 0 ? 0 : estimate(failing)) : null,
      amounts,
    },
  };
}

/** Judges one indicator over an area, through its kind's module. */
function judgeIndicator(
  base: MeasureBase,
  slice: Slice,
  demands: DemandCache,
  area: AreaMembers,
  indicator: ProfileIndicator,
  isCity: boolean,
): IndicatorResult {
  const empty = {
    id: indicator.id,
    kind: indicator.kind,
    value: null,
    valueMax: null,
    target: indicator.target,
    comparison: indicator.comparison,
    met: null,
    shortfall: null,
    shortfallUnit: null,
    amount: null,
    base: null,
    provisional: false,
    note: null,
  } satisfies IndicatorResult;
  const at: IndicatorArea = {
    base,
    members: area.communities,
    demands,
    isCity,
    empty,
    serving(types) {
      const out: number[] = [];
      for (const type of types)
        for (const i of slice.servingByType.get(type) ?? []) if (area.hasFacility(i)) out.push(i);
      return out.sort((a, b) => a - b);
    },
    unitOf: (types, field) => supplyUnit(base.catalog, types, field),
    judged(amount, denominator, scale, unit, notes, provisional, known = true) {
      const j = judgeTarget(amount, denominator, scale, indicator.target, indicator.comparison);
      const value = known ? j.value : null;
      return {
        ...empty,
        value,
        met: value === null ? null : j.met,
        shortfall: value === null ? null : j.shortfall,
        shortfallUnit: value === null || indicator.target === null ? null : unit,
        amount,
        base: denominator,
        provisional,
        note: notes.length > 0 ? notes.join('; ') : null,
      };
    },
  };
  return indicatorKind(indicator.kind)!.judge(indicator, at);
}

/** District names of the standing communities, most residents first (ties by name), as the analysis orders them. */
export function districtOrder(members: readonly CommunityCompliance[]): string[] {
  const population = new Map<string, number>();
  for (const c of members) {
    const name = c.record.district ?? NO_DISTRICT;
    population.set(name, (population.get(name) ?? 0) + c.population);
  }
  return [...population].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}
