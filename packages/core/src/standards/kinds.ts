// The indicator and condition kinds of a standard profile, one registry line each. The profile
// reader checks `kind` against these lists, the judge (compliance/) dispatches on them, and the
// formatters (CLI, viewer, report) ask `isShareIndicator` how to print a value. TypeScript holds the
// registries and the profile's types in step: profile.ts checks at compile time that the kinds of
// its `ProfileIndicator` and `ProfileCondition` unions are exactly the kinds named here.

/** How tools present an indicator kind. */
export interface IndicatorKindInfo {
  /**
   * Per-capita kinds: residents (or households) the value is counted per (1000 for `per_1000`);
   * null for the other kinds.
   */
  readonly scale: number | null;
  /** Whether the value is a share on a 0–1 scale (printed as a percentage). */
  readonly share: boolean;
}

/** Kind of every area indicator (the same as `ProfileIndicator['kind']`). */
export type IndicatorKindName =
  | 'per_1000'
  | 'per_10000'
  | 'per_100_households'
  | 'per_resident'
  | 'pass_share'
  | 'complete_share'
  | 'facility_count'
  | 'field_ratio'
  | 'floor_area_share';

/** Every indicator kind, in the order error messages list them. */
export const INDICATOR_KINDS: Readonly<Record<IndicatorKindName, IndicatorKindInfo>> = {
  per_1000: { scale: 1000, share: false },
  per_10000: { scale: 10_000, share: false },
  per_100_households: { scale: 100, share: false },
  per_resident: { scale: 1, share: false },
  pass_share: { scale: null, share: true },
  complete_share: { scale: null, share: true },
  facility_count: { scale: null, share: false },
  field_ratio: { scale: null, share: true },
  floor_area_share: { scale: null, share: true },
};

/** Kind of every requirement condition (the same as `ProfileCondition['kind']`). */
export type ConditionKind =
  | 'min_building_area_m2'
  | 'm2_per_100_households'
  | 'm2_per_resident'
  | 'per_1000'
  | 'share_of_floor_area'
  | 'facility_ratio'
  | 'attribute';

/** Every condition kind, in the order error messages list them, with what it asks of the data. */
export const CONDITION_KINDS: Readonly<Record<ConditionKind, { readonly needs: string }>> = {
  min_building_area_m2: { needs: 'the building area of a facility within reach' },
  m2_per_100_households: { needs: 'facility floor area per 100 households' },
  m2_per_resident: { needs: 'facility floor area per resident' },
  per_1000: { needs: 'facility capacity per 1,000 of the demand' },
  share_of_floor_area: { needs: "facility floor area over the community's floor area" },
  facility_ratio: { needs: 'a ratio of two fields of a facility within reach' },
  attribute: { needs: 'a property of the community' },
};

/**
 * Whether an indicator kind's value is a share on a 0–1 scale, to print as a percentage; false for
 * kinds that are not indicator kinds.
 *
 * @example
 * isShareIndicator('pass_share'); // true
 * isShareIndicator('per_1000'); // false
 */
export function isShareIndicator(kind: string): boolean {
  return Object.hasOwn(INDICATOR_KINDS, kind) && INDICATOR_KINDS[kind as IndicatorKindName].share;
}
