import type { IndicatorBase } from '../../standards/profile.js';
import type { IndicatorKindModule } from '../types.js';
import { facilityField } from '../values.js';

/** Σ facility `field` ÷ Σ the communities' floor area `property`. */
export type FloorAreaShareIndicator = IndicatorBase & {
  readonly kind: 'floor_area_share';
  readonly facilities: readonly string[];
  readonly field: string;
  readonly property: string;
};

/** `floor_area_share`: facility floor area over the communities' floor area. */
export const floorAreaShareIndicator: IndicatorKindModule<FloorAreaShareIndicator> = {
  names: { floor_area_share: { scale: null, share: true } },
  fields: ['facilities', 'field', 'property'],
  read(kind, raw, path, reader) {
    return {
      kind,
      facilities: reader.facilities(raw, path, true),
      field: reader.string(raw, 'field', path) ?? 'area_m2',
      property: reader.string(raw, 'property', path) ?? 'floor_area_m2',
    };
  },
  judge(indicator, area) {
    const records = area.base.analysis.facilities;
    let amount = 0;
    let unknownCount = 0;
    for (const f of area.serving(indicator.facilities)) {
      const v = facilityField(records[f]!, indicator.field);
      if (Number.isNaN(v)) unknownCount++;
      else amount += v;
    }
    let floor = 0;
    let missing = 0;
    for (const { result } of area.members) {
      const v = Number(result.record.properties[indicator.property]);
      if (v > 0) floor += v;
      else missing++;
    }
    const notes: string[] = [];
    if (missing > 0)
      notes.push(`${indicator.property} not given for ${missing} of ${area.members.length} communities`);
    if (unknownCount > 0)
      notes.push(`${indicator.field} unknown for ${unknownCount} facilities (not counted)`);
    return area.judged(amount, floor, 1, 'm²', notes, unknownCount > 0, missing === 0);
  },
};
