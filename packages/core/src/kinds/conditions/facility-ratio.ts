import { figure, idList } from '../../compliance/format.js';
import { judgeTarget } from '../../indicators/targets.js';
import type { ValueStatus } from '../../standards/profile.js';
import type { ConditionKindModule } from '../types.js';
import { facilityField, supplyUnit } from '../values.js';

/** At least one facility within reach has `numerator / denominator` of `value` or more. */
export interface FacilityRatioCondition {
  readonly kind: 'facility_ratio';
  readonly value: number;
  readonly numerator: string;
  readonly denominator: string;
  readonly status: ValueStatus;
  readonly source: string | null;
}

/** `facility_ratio`: the best ratio of two fields among the facilities within reach. */
export const facilityRatioCondition: ConditionKindModule<FacilityRatioCondition> = {
  names: { facility_ratio: { needs: 'a ratio of two fields of a facility within reach' } },
  fields: ['kind', 'value', 'status', 'source', 'numerator', 'denominator'],
  shortfallLabels: { facility_ratio: 'ratio' },
  needsFacilities: true,
  read(kind, raw, path, reader, common) {
    const value = reader.positive(raw, 'value', path, true);
    const numerator = reader.string(raw, 'numerator', path, { required: true });
    const denominator = reader.string(raw, 'denominator', path) ?? 'area_m2';
    return value === null || numerator === null ? null : { kind, value, numerator, denominator, ...common };
  },
  shares: () => null,
  stated: (condition) => ({ label: null, value: condition.value }),
  judge(condition, at) {
    const records = at.base.analysis.facilities;
    const { radiusText, reachable, result } = at;
    const label = `${condition.numerator}/${condition.denominator}`;
    const min = condition.value;
    const unit = supplyUnit(at.base.catalog, at.info.facilities, condition.numerator);
    if (reachable.length === 0) {
      return result(
        'fail',
        () => `no facility ${radiusText} to meet ${label} ≥ ${figure(min)}`,
        null,
        min,
        'ratio',
        {
          dependent: true,
        },
      );
    }
    let best = Number.NaN;
    let bestId = '';
    let bestNeed = 0;
    const unknownIds: string[] = [];
    for (const f of reachable) {
      const num = facilityField(records[f]!, condition.numerator);
      const den = facilityField(records[f]!, condition.denominator);
      if (Number.isNaN(num) || !(den > 0)) {
        unknownIds.push(records[f]!.id);
        continue;
      }
      if (!(num / den <= best)) {
        best = num / den;
        bestId = records[f]!.id;
        bestNeed = judgeTarget(num, den, 1, min).shortfall ?? 0;
      }
    }
    if (best >= min) {
      return result('pass', () => `${bestId} ${label} ${figure(best)} ≥ ${figure(min)}`, best, min, 'ratio', {
        shortfall: 0,
        shortfallUnit: unit,
        facilityId: bestId,
      });
    }
    if (unknownIds.length > 0) {
      return result(
        'unknown',
        () => `${condition.numerator} or ${condition.denominator} not given for ${idList(unknownIds)}`,
        Number.isNaN(best) ? null : best,
        min,
        'ratio',
      );
    }
    return result(
      'fail',
      () => `best ${label}: ${bestId} ${figure(best)}, below ${figure(min)}`,
      best,
      min,
      'ratio',
      {
        shortfall: bestNeed,
        shortfallUnit: unit,
        facilityId: bestId,
      },
    );
  },
};
