import { percent } from '../../compliance/format.js';
import { judgeTarget } from '../../indicators/targets.js';
import type { ValueStatus } from '../../standards/profile.js';
import type { ConditionKindModule } from '../types.js';

/** The facility floor area shared to the community (by residents) over its own floor area. */
export interface ShareOfFloorAreaCondition {
  readonly kind: 'share_of_floor_area';
  readonly value: number;
  readonly field: string;
  /** Community property holding its total floor area in m². */
  readonly property: string;
  readonly status: ValueStatus;
  readonly source: string | null;
}

/** `share_of_floor_area`: facility floor area shared to the community over its floor area. */
export const shareOfFloorAreaCondition: ConditionKindModule<ShareOfFloorAreaCondition> = {
  names: { share_of_floor_area: { needs: "facility floor area over the community's floor area" } },
  fields: ['kind', 'value', 'status', 'source', 'field', 'property'],
  shortfallLabels: { share_of_floor_area: 'floor share' },
  needsFacilities: true,
  read(kind, raw, path, reader, common) {
    const value = reader.share(raw, 'value', path, true);
    const field = reader.string(raw, 'field', path) ?? 'area_m2';
    const property = reader.string(raw, 'property', path) ?? 'floor_area_m2';
    return value === null ? null : { kind, value, field, property, ...common };
  },
  shares: (condition) => ({ field: condition.field, per: { kind: 'population' } }),
  stated: (condition) => ({ label: null, value: condition.value }),
  judge(condition, at) {
    const { radiusText, reachable, result } = at;
    const shared = at.shared!;
    const c = at.index;
    const floor = Number(at.community.properties[condition.property]);
    const unitText = 'share of floor area';
    const target = condition.value;
    if (!(floor > 0))
      return result('unknown', () => `${condition.property} not given`, null, target, unitText);
    const judged = judgeTarget(shared.amount[c]!, floor, 1, target);
    const value = judged.value ?? 0;
    if (judged.met) {
      return result(
        'pass',
        () => `${percent(value)} of floor area ≥ ${percent(target)}`,
        value,
        target,
        unitText,
        {
          shortfall: 0,
          shortfallUnit: 'm²',
        },
      );
    }
    if (shared.partial[c]) {
      return result(
        'unknown',
        () =>
          `${condition.field} unknown for a facility ${radiusText}; the known ones give ${percent(value)} of floor area`,
        value,
        target,
        unitText,
      );
    }
    return result(
      'fail',
      () => `${percent(value)} of floor area, below ${percent(target)}`,
      value,
      target,
      unitText,
      {
        shortfall: judged.shortfall,
        shortfallUnit: 'm²',
        dependent: reachable.length === 0,
      },
    );
  },
};
