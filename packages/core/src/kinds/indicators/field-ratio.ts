import type { IndicatorBase } from '../../standards/profile.js';
import { isRecord } from '../../validate/problems.js';
import type { IndicatorKindModule } from '../types.js';
import { facilityField, matches } from '../values.js';

/** Σ numerator field (of facilities matching `where`) ÷ Σ denominator field. */
export type FieldRatioIndicator = IndicatorBase & {
  readonly kind: 'field_ratio';
  readonly facilities: readonly string[];
  readonly numerator: string;
  readonly where: { readonly property: string; readonly equals: boolean | string | number } | null;
  readonly denominator: string;
};

/** `field_ratio`: a ratio of two fields summed over the area's serving facilities. */
export const fieldRatioIndicator: IndicatorKindModule<FieldRatioIndicator> = {
  names: { field_ratio: { scale: null, share: true } },
  fields: ['facilities', 'numerator', 'where', 'denominator'],
  read(kind, raw, path, reader) {
    let where: { property: string; equals: boolean | string | number } | null = null;
    if (raw.where !== undefined && raw.where !== null) {
      const w = raw.where;
      if (!isRecord(w) || typeof w.property !== 'string') {
        reader.problem(
          `${path}.where`,
          `expected {"property": "...", "equals": ...}, got ${reader.describe(w)}`,
        );
      } else {
        reader.allowOnly(w, `${path}.where`, ['property', 'equals']);
        const equals = reader.scalar(w.equals, `${path}.where.equals`);
        if (equals === null) reader.problem(`${path}.where.equals`, 'expected the value to match');
        else where = { property: w.property, equals };
      }
    }
    return {
      kind,
      facilities: reader.facilities(raw, path, true),
      numerator: reader.string(raw, 'numerator', path) ?? 'capacity',
      where,
      denominator: reader.string(raw, 'denominator', path) ?? 'capacity',
    };
  },
  judge(indicator, area) {
    const records = area.base.analysis.facilities;
    let numerator = 0;
    let denominator = 0;
    let known = 0;
    let unknownCount = 0;
    for (const f of area.serving(indicator.facilities)) {
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
    return area.judged(
      numerator,
      denominator,
      1,
      area.unitOf(indicator.facilities, indicator.numerator),
      notes,
      unknownCount > 0,
      known > 0,
    );
  },
};
