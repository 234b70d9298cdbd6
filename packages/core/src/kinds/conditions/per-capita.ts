import { figure } from '../../compliance/format.js';
import { judgeTarget } from '../../indicators/targets.js';
import type { DemandSpec, ValueStatus } from '../../standards/profile.js';
import type { ConditionKindModule } from '../types.js';
import { demandName, supplyUnit } from '../values.js';

/**
 * m² of the facilities' `field` per 100 households (or per resident, per 1,000 of a group) within
 * reach, shared among everyone in each facility's catchment (two-step floating catchment).
 */
export interface PerCapitaCondition {
  readonly kind: 'm2_per_100_households' | 'm2_per_resident' | 'per_1000';
  readonly value: number;
  /** Facility field supplying the quantity: `area_m2`, `capacity` or any numeric property. */
  readonly field: string;
  /** Who the quantity is shared among. */
  readonly per: DemandSpec;
  readonly status: ValueStatus;
  readonly source: string | null;
}

const SCALE = { m2_per_100_households: 100, m2_per_resident: 1, per_1000: 1000 } as const;

/** The per-capita condition kinds: supply shared to the community per household, resident or 1,000. */
export const perCapitaCondition: ConditionKindModule<PerCapitaCondition> = {
  names: {
    m2_per_100_households: { needs: 'facility floor area per 100 households' },
    m2_per_resident: { needs: 'facility floor area per resident' },
    per_1000: { needs: 'facility capacity per 1,000 of the demand' },
  },
  fields: ['kind', 'value', 'status', 'source', 'field', 'per'],
  shortfallLabels: {
    m2_per_100_households: 'per 100 households',
    m2_per_resident: 'per resident',
    per_1000: 'per 1,000',
  },
  needsFacilities: true,
  read(kind, raw, path, reader, common) {
    const value = reader.positive(raw, 'value', path, true);
    const defaultField = kind === 'per_1000' ? 'capacity' : 'area_m2';
    const field = reader.string(raw, 'field', path) ?? defaultField;
    const defaultPer: DemandSpec =
      kind === 'm2_per_100_households' ? { kind: 'households' } : { kind: 'population' };
    const per = reader.demand(raw.per, `${path}.per`, defaultPer);
    return value === null ? null : { kind, value, field, per, ...common };
  },
  shares: (condition) => ({ field: condition.field, per: condition.per }),
  stated: (condition) => ({ label: null, value: condition.value }),
  judge(condition, at) {
    const { radiusText, reachable, result } = at;
    const shared = at.shared!;
    const c = at.index;
    const scale = SCALE[condition.kind];
    const who = demandName(condition.per);
    const supply = supplyUnit(at.base.catalog, at.info.facilities, condition.field);
    const unitText =
      condition.kind === 'm2_per_100_households'
        ? `${supply} per 100 households`
        : condition.kind === 'm2_per_resident'
          ? `${supply} per ${who === 'residents' ? 'resident' : who}`
          : `${supply} per 1,000 ${who}`;
    const target = condition.value;
    const own = shared.group.community[c]!;
    if (Number.isNaN(own)) return result('unknown', () => `${who} not given`, null, target, unitText);
    if (own === 0) {
      return result('pass', () => `no ${who}`, null, target, unitText, {
        shortfall: 0,
        shortfallUnit: supply,
      });
    }
    const judged = judgeTarget(shared.amount[c]!, own, scale, target);
    const value = judged.value ?? 0;
    if (judged.met) {
      return result(
        'pass',
        () => `${figure(value)} ${unitText} ≥ ${figure(target)}`,
        value,
        target,
        unitText,
        {
          shortfall: 0,
          shortfallUnit: supply,
        },
      );
    }
    if (shared.partial[c]) {
      return result(
        'unknown',
        () =>
          `${condition.field} unknown for a facility ${radiusText}; the known ones give ${figure(value)} ${unitText}, below ${figure(target)}`,
        value,
        target,
        unitText,
      );
    }
    return result(
      'fail',
      () => `${figure(value)} ${unitText}, below ${figure(target)}`,
      value,
      target,
      unitText,
      {
        shortfall: judged.shortfall,
        shortfallUnit: supply,
        dependent: reachable.length === 0,
      },
    );
  },
};
