import { yearOf } from '../../compliance/time.js';
import type { IndicatorBase } from '../../standards/profile.js';
import type { IndicatorKindModule } from '../types.js';

/** Number of serving facilities of the types (opened in or after `opened_from`). */
export type FacilityCountIndicator = IndicatorBase & {
  readonly kind: 'facility_count';
  readonly facilities: readonly string[];
  readonly opened_from: number | null;
};

/** `facility_count`: serving facilities of the types; the target is a city total. */
export const facilityCountIndicator: IndicatorKindModule<FacilityCountIndicator> = {
  names: { facility_count: { scale: null, share: false } },
  fields: ['facilities', 'opened_from'],
  read(kind, raw, path, reader) {
    return {
      kind,
      facilities: reader.facilities(raw, path, true),
      opened_from: reader.year(raw, 'opened_from', path),
    };
  },
  judge(indicator, area) {
    const records = area.base.analysis.facilities;
    let count = 0;
    let undated = 0;
    for (const f of area.serving(indicator.facilities)) {
      if (indicator.opened_from === null) {
        count++;
        continue;
      }
      const opened = yearOf(records[f]!.properties.opened ?? records[f]!.properties.planned_year);
      if (opened === null) undated++;
      else if (opened >= indicator.opened_from) count++;
    }
    const notes = undated > 0 ? [`${undated} facilities without an opening year not counted`] : [];
    if (!area.isCity) {
      return {
        ...area.empty,
        target: null,
        value: count,
        amount: count,
        base: 1,
        note: 'the target is a city total',
      };
    }
    return area.judged(count, 1, 1, 'facilities', notes, undated > 0);
  },
};
