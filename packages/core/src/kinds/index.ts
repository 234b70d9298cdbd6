// The one registry of indicator and condition kinds. The profile reader (standards/profile.ts) reads
// an entry through its kind's module, the judge (compliance/) asks the module for the verdict, and the
// formatters (report/, the CLI, the viewer) ask `isShareIndicator`. A new built-in kind is one module
// in indicators/ or conditions/ and one line in a list below; the profile's types follow from the
// lists. `registerIndicatorKind` and `registerConditionKind` add a kind at run time.

import { attributeCondition } from './conditions/attribute.js';
import { facilityRatioCondition } from './conditions/facility-ratio.js';
import { minBuildingAreaCondition } from './conditions/min-building-area.js';
import { perCapitaCondition } from './conditions/per-capita.js';
import { shareOfFloorAreaCondition } from './conditions/share-of-floor-area.js';
import { completeShareIndicator } from './indicators/complete-share.js';
import { facilityCountIndicator } from './indicators/facility-count.js';
import { fieldRatioIndicator } from './indicators/field-ratio.js';
import { floorAreaShareIndicator } from './indicators/floor-area-share.js';
import { passShareIndicator } from './indicators/pass-share.js';
import { perCapitaIndicator } from './indicators/per-capita.js';
import type {
  AnyCondition,
  AnyIndicator,
  ConditionKindModule,
  ConditionOf,
  IndicatorKindInfo,
  IndicatorKindModule,
  IndicatorOf,
} from './types.js';

/**
 * The built-in indicator kinds, in the order error messages list them (the tuple type is written out
 * because the declarations are emitted file by file, and the profile's types derive from it).
 */
const BUILT_IN_INDICATOR_KINDS: readonly [
  typeof perCapitaIndicator,
  typeof passShareIndicator,
  typeof completeShareIndicator,
  typeof facilityCountIndicator,
  typeof fieldRatioIndicator,
  typeof floorAreaShareIndicator,
] = [
  perCapitaIndicator,
  passShareIndicator,
  completeShareIndicator,
  facilityCountIndicator,
  fieldRatioIndicator,
  floorAreaShareIndicator,
];

/** The built-in condition kinds, in the order error messages list them. */
const BUILT_IN_CONDITION_KINDS: readonly [
  typeof minBuildingAreaCondition,
  typeof perCapitaCondition,
  typeof shareOfFloorAreaCondition,
  typeof facilityRatioCondition,
  typeof attributeCondition,
] = [
  minBuildingAreaCondition,
  perCapitaCondition,
  shareOfFloorAreaCondition,
  facilityRatioCondition,
  attributeCondition,
];

/** An indicator of a built-in kind. */
export type BuiltInIndicator = IndicatorOf<(typeof BUILT_IN_INDICATOR_KINDS)[number]>;
/** A condition of a built-in kind. */
export type BuiltInCondition = ConditionOf<(typeof BUILT_IN_CONDITION_KINDS)[number]>;
/** Kind of every built-in area indicator. */
export type IndicatorKindName = BuiltInIndicator['kind'];
/** Kind of every built-in requirement condition. */
export type ConditionKind = BuiltInCondition['kind'];

// biome-ignore lint/suspicious/noExplicitAny: a registry holds modules of every indicator type
const indicatorKinds = new Map<string, IndicatorKindModule<any>>();
// biome-ignore lint/suspicious/noExplicitAny: a registry holds modules of every condition type
const conditionKinds = new Map<string, ConditionKindModule<any>>();

function register<M extends { readonly names: object }>(
  registry: Map<string, M>,
  module: M,
  what: string,
): () => void {
  const names = Object.keys(module.names);
  for (const name of names) {
    if (registry.has(name)) throw new Error(`The ${what} kind '${name}' is registered already.`);
  }
  for (const name of names) registry.set(name, module);
  return () => {
    for (const name of names) if (registry.get(name) === module) registry.delete(name);
  };
}

/**
 * Adds an indicator kind: profiles may then use its names, `checkStandards` and `monitorProfile`
 * judge it with `module.judge`, and the formatters present it by `module.names`. Returns a function
 * that removes it again. Throws when a name is taken.
 */
export function registerIndicatorKind<I extends AnyIndicator>(module: IndicatorKindModule<I>): () => void {
  return register(indicatorKinds, module, 'indicator');
}

/**
 * Adds a requirement condition kind (see {@link registerIndicatorKind}). Returns a function that
 * removes it again. Throws when a name is taken.
 */
export function registerConditionKind<C extends AnyCondition>(module: ConditionKindModule<C>): () => void {
  return register(conditionKinds, module, 'condition');
}

for (const module of BUILT_IN_INDICATOR_KINDS)
  registerIndicatorKind<AnyIndicator>(module as IndicatorKindModule<AnyIndicator>);
for (const module of BUILT_IN_CONDITION_KINDS)
  registerConditionKind<AnyCondition>(module as ConditionKindModule<AnyCondition>);

/** The module of an indicator kind, or undefined for an unknown kind. */
export function indicatorKind(name: string): IndicatorKindModule<AnyIndicator> | undefined {
  return indicatorKinds.get(name);
}

/** The module of a condition kind, or undefined for an unknown kind. */
export function conditionKind(name: string): ConditionKindModule<AnyCondition> | undefined {
  return conditionKinds.get(name);
}

/** Names of every registered indicator kind, built-in ones first in their order. */
export function indicatorKindNames(): string[] {
  return [...indicatorKinds.keys()];
}

/** Names of every registered condition kind, built-in ones first in their order. */
export function conditionKindNames(): string[] {
  return [...conditionKinds.keys()];
}

/**
 * The words after a condition kind's shortfall amount in tables ("to enlarge", "per 1,000"), or the
 * kind's name when it has none.
 *
 * @example
 * conditionShortfallLabel('min_building_area_m2'); // 'to enlarge'
 */
export function conditionShortfallLabel(kind: string): string {
  const module = conditionKinds.get(kind);
  return (module?.shortfallLabels as Record<string, string | null> | undefined)?.[kind] ?? kind;
}

/** Every built-in indicator kind with how tools present it. */
export const INDICATOR_KINDS: Readonly<Record<IndicatorKindName, IndicatorKindInfo>> = Object.assign(
  {},
  ...BUILT_IN_INDICATOR_KINDS.map((m) => m.names),
);

/** Every built-in condition kind with what it asks of the data. */
export const CONDITION_KINDS: Readonly<Record<ConditionKind, { readonly needs: string }>> = Object.assign(
  {},
  ...BUILT_IN_CONDITION_KINDS.map((m) => m.names),
);

/**
 * Whether an indicator kind's value is a share on a 0–1 scale, to print as a percentage; false for
 * names that are not registered indicator kinds.
 *
 * @example
 * isShareIndicator('pass_share'); // true
 * isShareIndicator('per_1000'); // false
 */
export function isShareIndicator(kind: string): boolean {
  const module = indicatorKinds.get(kind);
  return module !== undefined && (module.names as Record<string, IndicatorKindInfo>)[kind]!.share;
}

export type {
  AnyCondition,
  AnyIndicator,
  ConditionAt,
  ConditionKindModule,
  IndicatorArea,
  IndicatorKindInfo,
  IndicatorKindModule,
  IndicatorProfileContext,
  KindFieldReader,
} from './types.js';
