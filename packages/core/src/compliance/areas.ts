import { judgeTarget } from '../indicators/targets.js';
import type { LifeCircleTier } from '../standards/catalog.js';
import type { ProfileIndicator } from '../standards/profile.js';
import { facilityField, type MeasureBase, NO_DISTRICT, type ResolvedRequirement } from './base.js';
import { type DemandCache, type Slice, yesNo } from './evaluate.js';
import { yearOf } from './time.js';
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

function matches(value: unknown, wanted: boolean | string | number): boolean | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof wanted === 'boolean') {
    const answer = yesNo(value);
    return answer === null ? null : answer === wanted;
  }
  return String(value) === String(wanted);
}

function communities(n: number): string {
  return `${n} ${n === 1 ? 'community' : 'communities'}`;
}

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
        const got = result.tier_attained === null ? -1 : profile.tiers!.order.indexOf(result.tier_attained);
        return got >= at;
      }).length;
    }
  }
  const requirements: Record<string, RequirementSummary> = {};
  base.requirements.forEach((rr, k) => {
    requirements[rr.info.id] = summarizeRequirement(rr, k, members, estimates);
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
        over += a.over_capacity ?? 0;
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
      over_capacity: assigned ? over : null,
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
    complete_share: share(complete, n),
    complete_share_max: share(complete + unknown, n),
    complete_population_share: share(completePopulation, population),
    mean_score: n > 0 ? scoreSum / n : null,
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
  for (const { index, result } of members) {
    const item = result.items[k]!;
    if (item.status === 'pass') pass++;
    else if (item.status === 'fail') fail++;
    else unknown++;
    for (const condition of item.conditions) {
      if (condition.status !== 'fail') continue;
      if (condition.kind === 'access') {
        withoutAccess++;
        residentsWithout += result.population;
        failing.push(index);
      } else if (condition.shortfall !== null && condition.shortfall_unit !== null) {
        const at = item.conditions.indexOf(condition);
        meta.set(at, { kind: condition.kind, unit: condition.shortfall_unit });
        if (condition.facility_id !== null) {
          const byFacility = perFacility.get(at) ?? new Map<string, number>();
          byFacility.set(condition.facility_id, condition.shortfall);
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
    pass_share: share(pass, pass + fail),
    shortfall: {
      communities_without_access: withoutAccess,
      residents_without_access: residentsWithout,
      facilities_needed: estimate ? (failing.length === 0 ? 0 : estimate(failing)) : null,
      amounts,
    },
  };
}

function unitOf(base: MeasureBase, types: readonly string[], field: string): string {
  if (field === 'area_m2') return 'm²';
  if (field === 'capacity') {
    const unit = base.catalog.get(types[0] ?? '')?.capacity_unit;
    return unit === 'm2' ? 'm²' : (unit ?? 'capacity');
  }
  return field;
}

/** Judges one indicator over an area. */
function judgeIndicator(
  base: MeasureBase,
  slice: Slice,
  demands: DemandCache,
  area: AreaMembers,
  indicator: ProfileIndicator,
  isCity: boolean,
): IndicatorResult {
  const records = base.analysis.facilities;
  const empty = {
    id: indicator.id,
    kind: indicator.kind,
    value: null,
    value_max: null,
    target: indicator.target,
    comparison: indicator.comparison,
    met: null,
    shortfall: null,
    shortfall_unit: null,
    amount: null,
    base: null,
    provisional: false,
    note: null,
  } satisfies IndicatorResult;
  const judged = (
    amount: number,
    denominator: number,
    scale: number,
    unit: string | null,
    notes: string[],
    provisional: boolean,
    known = true,
  ): IndicatorResult => {
    const j = judgeTarget(amount, denominator, scale, indicator.target, indicator.comparison);
    const value = known ? j.value : null;
    return {
      ...empty,
      value,
      met: value === null ? null : j.met,
      shortfall: value === null ? null : j.shortfall,
      shortfall_unit: value === null || indicator.target === null ? null : unit,
      amount,
      base: denominator,
      provisional,
      note: notes.length > 0 ? notes.join('; ') : null,
    };
  };
  const serving = (types: readonly string[]) => {
    const out: number[] = [];
    for (const type of types)
      for (const i of slice.servingByType.get(type) ?? []) if (area.hasFacility(i)) out.push(i);
    return out.sort((a, b) => a - b);
  };
  switch (indicator.kind) {
    case 'per_1000':
    case 'per_10000':
    case 'per_100_households':
    case 'per_resident': {
      const scale = { per_1000: 1000, per_10000: 10000, per_100_households: 100, per_resident: 1 }[
        indicator.kind
      ];
      let amount = 0;
      let known = 0;
      let unknownCount = 0;
      for (const f of serving(indicator.facilities)) {
        const v = facilityField(records[f]!, indicator.field);
        if (Number.isNaN(v)) unknownCount++;
        else {
          amount += v;
          known++;
        }
      }
      const group = demands.get(indicator.per);
      let denominator = 0;
      let estimated = 0;
      for (const { index } of area.communities) {
        denominator += group.spread[index]!;
        if (Number.isNaN(group.community[index]!)) estimated++;
      }
      const notes: string[] = [];
      if (unknownCount > 0) {
        notes.push(
          `${indicator.field} unknown for ${unknownCount} of ${known + unknownCount} facilities (not counted)`,
        );
      }
      if (estimated > 0) {
        const who = indicator.per.kind === 'property' ? indicator.per.property : indicator.per.kind;
        notes.push(`${who} not given for ${communities(estimated)} (estimated from their residents)`);
      }
      return judged(
        amount,
        denominator,
        scale,
        unitOf(base, indicator.facilities, indicator.field),
        notes,
        unknownCount > 0 || estimated > 0,
        !(known === 0 && unknownCount > 0),
      );
    }
    case 'pass_share': {
      const k = base.requirements.findIndex((rr) => rr.info.id === indicator.requirement);
      const filter = indicator.communities;
      let pass = 0;
      let fail = 0;
      let unknown = 0;
      let undated = 0;
      for (const { result } of area.communities) {
        if (filter.built_from !== null) {
          const built = yearOf(result.record.properties.built);
          if (built === null) {
            undated++;
            continue;
          }
          if (built < filter.built_from) continue;
        }
        if (
          filter.property !== null &&
          matches(result.record.properties[filter.property], filter.equals!) !== true
        ) {
          continue;
        }
        const item = result.items[k]!;
        const access = item.conditions.find((c) => c.kind === 'access');
        const status = indicator.access_only && access ? access.status : item.status;
        if (status === 'pass') pass++;
        else if (status === 'fail') fail++;
        else unknown++;
      }
      const denominator = indicator.among === 'judged' ? pass + fail : pass + fail + unknown;
      const notes: string[] = [];
      if (unknown > 0) {
        notes.push(
          indicator.among === 'judged'
            ? `${communities(unknown)} could not be judged (left out)`
            : `${communities(unknown)} could not be judged (counted as not passing)`,
        );
      }
      if (undated > 0) notes.push(`${communities(undated)} without a built year left out`);
      if (denominator === 0) notes.push('no community to count');
      return judged(pass, denominator, 1, 'communities', notes, unknown > 0 && indicator.among === 'all');
    }
    case 'complete_share': {
      const order = base.profile.tiers?.order ?? [];
      const at = indicator.tier === null ? -1 : order.indexOf(indicator.tier);
      let yes = 0;
      let maybe = 0;
      for (const { result } of area.communities) {
        if (indicator.tier === null) {
          if (result.completeness === 'complete') yes++;
          else if (result.completeness === 'unknown') maybe++;
          continue;
        }
        const got = result.tier_attained === null ? -1 : order.indexOf(result.tier_attained);
        if (got >= at) {
          yes++;
          continue;
        }
        // Could it attain the tier once the unknown items are known? Only if nothing up to it fails.
        const blocked = base.requirements.some((rr, k) => {
          const tier = rr.info.tier;
          return (
            rr.info.required &&
            tier !== null &&
            order.indexOf(tier) >= 0 &&
            order.indexOf(tier) <= at &&
            result.items[k]!.status === 'fail'
          );
        });
        if (!blocked) maybe++;
      }
      const n = area.communities.length;
      const result = judged(
        yes,
        n,
        1,
        'communities',
        maybe > 0 ? [`${communities(maybe)} could be complete once their unknown items are known`] : [],
        false,
      );
      return { ...result, value_max: n > 0 ? (yes + maybe) / n : null };
    }
    case 'facility_count': {
      let count = 0;
      let undated = 0;
      for (const f of serving(indicator.facilities)) {
        if (indicator.opened_from === null) {
          count++;
          continue;
        }
        const opened = yearOf(records[f]!.properties.opened ?? records[f]!.properties.planned_year);
        if (opened === null) undated++;
        else if (opened >= indicator.opened_from) count++;
      }
      const notes = undated > 0 ? [`${undated} facilities without an opening year not counted`] : [];
      if (!isCity) {
        return {
          ...empty,
          target: null,
          value: count,
          amount: count,
          base: 1,
          note: 'the target is a city total',
        };
      }
      return judged(count, 1, 1, 'facilities', notes, undated > 0);
    }
    case 'field_ratio': {
      let numerator = 0;
      let denominator = 0;
      let known = 0;
      let unknownCount = 0;
      for (const f of serving(indicator.facilities)) {
        const record = records[f]!;
        const den = facilityField(record, indicator.denominator);
        const picked =
          indicator.where === null
            ? true
            : matches(record.properties[indicator.where.property], indicator.where.equals);
        const num = picked === false ? 0 : facilityField(record, indicator.numerator);
        if (Number.isNaN(den) || picked === null || Number.isNaN(num)) {
          unknownCount++;
          continue;
        }
        known++;
        numerator += num;
        denominator += den;
      }
      const notes: string[] = [];
      if (unknownCount > 0) {
        const what = indicator.where
          ? `${indicator.where.property} or ${indicator.denominator}`
          : `${indicator.numerator} or ${indicator.denominator}`;
        notes.push(`${what} not given for ${unknownCount} of ${known + unknownCount} facilities`);
      }
      return judged(
        numerator,
        denominator,
        1,
        unitOf(base, indicator.facilities, indicator.numerator),
        notes,
        unknownCount > 0,
        known > 0,
      );
    }
    case 'floor_area_share': {
      let amount = 0;
      let unknownCount = 0;
      for (const f of serving(indicator.facilities)) {
        const v = facilityField(records[f]!, indicator.field);
        if (Number.isNaN(v)) unknownCount++;
        else amount += v;
      }
      let floor = 0;
      let missing = 0;
      for (const { result } of area.communities) {
        const v = Number(result.record.properties[indicator.property]);
        if (v > 0) floor += v;
        else missing++;
      }
      const notes: string[] = [];
      if (missing > 0)
        notes.push(
          `${indicator.property} not given for ${missing} of ${area.communities.length} communities`,
        );
      if (unknownCount > 0)
        notes.push(`${indicator.field} unknown for ${unknownCount} facilities (not counted)`);
      return judged(amount, floor, 1, 'm²', notes, unknownCount > 0, missing === 0);
    }
  }
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
