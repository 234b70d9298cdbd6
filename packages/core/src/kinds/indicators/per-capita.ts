import type { DemandSpec, IndicatorBase } from '../../standards/profile.js';
import type { IndicatorKindModule } from '../types.js';
import { communities, facilityField } from '../values.js';

/** Σ facility `field` ÷ Σ demand × scale: places per 1,000, m² per 100 households, m² per resident. */
export type PerCapitaIndicator = IndicatorBase & {
  readonly kind: 'per_1000' | 'per_100_households' | 'per_resident' | 'per_10000';
  readonly facilities: readonly string[];
  readonly field: string;
  readonly per: DemandSpec;
};

const SCALE = { per_1000: 1000, per_10000: 10_000, per_100_households: 100, per_resident: 1 } as const;

/** The per-capita indicator kinds: supply of the types in the area per resident, household or group. */
export const perCapitaIndicator: IndicatorKindModule<PerCapitaIndicator> = {
  names: {
    per_1000: { scale: SCALE.per_1000, share: false },
    per_10000: { scale: SCALE.per_10000, share: false },
    per_100_households: { scale: SCALE.per_100_households, share: false },
    per_resident: { scale: SCALE.per_resident, share: false },
  },
  fields: ['facilities', 'field', 'per'],
  read(kind, raw, path, reader) {
    const facilities = reader.facilities(raw, path, true);
    const field = reader.string(raw, 'field', path) ?? (kind === 'per_1000' ? 'capacity' : 'area_m2');
    const per = reader.demand(
      raw.per,
      `${path}.per`,
      kind === 'per_100_households' ? { kind: 'households' } : { kind: 'population' },
    );
    return { kind, facilities, field, per };
  },
  judge(indicator, area) {
    const scale = SCALE[indicator.kind];
    const records = area.base.analysis.facilities;
    let amount = 0;
    let known = 0;
    let unknownCount = 0;
    for (const f of area.serving(indicator.facilities)) {
      const v = facilityField(records[f]!, indicator.field);
      if (Number.isNaN(v)) unknownCount++;
      else {
        amount += v;
        known++;
      }
    }
    const group = area.demands.get(indicator.per);
    let denominator = 0;
    let estimated = 0;
    for (const { index } of area.members) {
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
    return area.judged(
      amount,
      denominator,
      scale,
      area.unitOf(indicator.facilities, indicator.field),
      notes,
      unknownCount > 0 || estimated > 0,
      !(known === 0 && unknownCount > 0),
    );
  },
};
