import { area, idList } from '../../compliance/format.js';
import { judgeTarget } from '../../indicators/targets.js';
import type { ValueStatus } from '../../standards/profile.js';
import type { ConditionKindModule } from '../types.js';

/** At least one facility within reach has a building area of `value` m² or more. */
export interface MinBuildingAreaCondition {
  readonly kind: 'min_building_area_m2';
  readonly value: number;
  readonly status: ValueStatus;
  readonly source: string | null;
}

/** `min_building_area_m2`: the largest facility within reach is big enough. */
export const minBuildingAreaCondition: ConditionKindModule<MinBuildingAreaCondition> = {
  names: { min_building_area_m2: { needs: 'the building area of a facility within reach' } },
  fields: ['kind', 'value', 'status', 'source'],
  shortfallLabels: { min_building_area_m2: 'to enlarge' },
  needsFacilities: true,
  read(kind, raw, path, reader, common) {
    const value = reader.positive(raw, 'value', path, true);
    return value === null ? null : { kind, value, ...common };
  },
  shares: () => null,
  stated: (condition) => ({ label: null, value: condition.value }),
  judge(condition, at) {
    const records = at.base.analysis.facilities;
    const { radiusText, reachable, result } = at;
    const min = condition.value;
    if (reachable.length === 0) {
      return result('fail', () => `no facility ${radiusText} to meet ${area(min)}`, null, min, 'm²', {
        dependent: true,
      });
    }
    let best = Number.NaN;
    let bestId = '';
    const unknownIds: string[] = [];
    for (const f of reachable) {
      const a = records[f]!.areaM2;
      if (Number.isNaN(a)) unknownIds.push(records[f]!.id);
      else if (!(a <= best)) {
        best = a;
        bestId = records[f]!.id;
      }
    }
    if (best >= min) {
      return result('pass', () => `${bestId} ${area(best)} ≥ ${area(min)}`, best, min, 'm²', {
        shortfall: 0,
        shortfallUnit: 'm²',
        facilityId: bestId,
      });
    }
    if (unknownIds.length > 0) {
      const known = Number.isNaN(best) ? null : best;
      return result(
        'unknown',
        () =>
          `building area unknown for ${idList(unknownIds)}${known === null ? '' : `; largest known ${bestId} ${area(known)}, below ${area(min)}`}`,
        known,
        min,
        'm²',
        { facilityId: bestId || null },
      );
    }
    return result(
      'fail',
      () => `largest ${radiusText}: ${bestId} ${area(best)}, below ${area(min)}`,
      best,
      min,
      'm²',
      {
        shortfall: judgeTarget(best, 1, 1, min).shortfall,
        shortfallUnit: 'm²',
        facilityId: bestId,
      },
    );
  },
};
