// What an indicator or condition kind provides, so that adding a kind is one module and one registry
// line: the reader asks the kind for its fields, the judge asks it for the verdict, the formatters ask
// it how to present the value. Only types here; the registry is index.ts.

import type { AreaMembers } from '../compliance/areas.js';
import type { MeasureBase } from '../compliance/base.js';
import type { Allocation, DemandCache } from '../compliance/evaluate.js';
import type { ConditionResult, IndicatorResult, ItemStatus, RequirementInfo } from '../compliance/types.js';
import type { LifeCircleTier } from '../standards/catalog.js';
import type {
  CommunityFilter,
  DemandSpec,
  IndicatorBase,
  ProfileTiers,
  ValueStatus,
} from '../standards/profile.js';
import type { CommunityRecord } from '../validate/features.js';

/** The profile reader's field checks, which record a problem naming the field and return null. */
export interface KindFieldReader {
  problem(path: string, reason: string): void;
  describe(value: unknown): string;
  allowOnly(entry: Record<string, unknown>, path: string, fields: readonly string[]): void;
  string(
    raw: Record<string, unknown>,
    key: string,
    path: string,
    options?: { required?: boolean },
  ): string | null;
  number(
    raw: Record<string, unknown>,
    key: string,
    path: string,
    check: (n: number) => boolean,
    expected: string,
    options?: { required?: boolean },
  ): number | null;
  positive(raw: Record<string, unknown>, key: string, path: string, required?: boolean): number | null;
  share(raw: Record<string, unknown>, key: string, path: string, required?: boolean): number | null;
  year(raw: Record<string, unknown>, key: string, path: string): number | null;
  boolean(raw: Record<string, unknown>, key: string, path: string, fallback: boolean): boolean;
  tier(value: unknown, path: string): LifeCircleTier | null;
  /** Catalog ids of the entry's `facilities`. */
  facilities(raw: Record<string, unknown>, path: string, required: boolean): string[];
  demand(value: unknown, path: string, fallback: DemandSpec): DemandSpec;
  scalar(value: unknown, path: string): boolean | string | number | null;
  communityFilter(value: unknown, path: string): CommunityFilter;
}

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

/** What the rest of the profile offers an indicator being read. */
export interface IndicatorProfileContext {
  /** Ids of the profile's requirements. */
  readonly requirements: ReadonlySet<string>;
  readonly tiers: ProfileTiers | null;
}

/** One area (a district or the city) as an indicator's judge sees it. */
export interface IndicatorArea {
  readonly base: MeasureBase;
  readonly members: AreaMembers['communities'];
  readonly demands: DemandCache;
  /** Whether the area is the whole city. */
  readonly isCity: boolean;
  /** Serving facility records (indices) of the types in the area, in input order. */
  serving(types: readonly string[]): number[];
  /** The unit a facility field is counted in for these types: m², places, or the field's name. */
  unitOf(types: readonly string[], field: string): string;
  /** A result with no figure, to spread over. */
  readonly empty: IndicatorResult;
  /**
   * The result of amount ÷ denominator × scale against the indicator's target. `known` false: the
   * data cannot give the figure (value null).
   */
  judged(
    amount: number,
    denominator: number,
    scale: number,
    unit: string | null,
    notes: readonly string[],
    provisional: boolean,
    known?: boolean,
  ): IndicatorResult;
}

/** Any indicator: the common fields and a kind. */
export type AnyIndicator = IndicatorBase & { readonly kind: string };

/**
 * An indicator kind (or a family of kinds read and judged alike, such as the per-capita ones): one
 * module in `kinds/indicators/`, one line in the registry.
 */
export interface IndicatorKindModule<I extends AnyIndicator = AnyIndicator> {
  /** The kind names this module reads, with how tools present each. */
  readonly names: Readonly<Record<I['kind'], IndicatorKindInfo>>;
  /** Fields an indicator of the kind may have beyond the common ones (id, target, unit, …). */
  readonly fields: readonly string[];
  /** Reads the kind's own fields (after the common ones), recording problems through `reader`. */
  read(
    kind: I['kind'],
    raw: Record<string, unknown>,
    path: string,
    reader: KindFieldReader,
    profile: IndicatorProfileContext,
  ): Omit<I, keyof IndicatorBase> | null;
  /** The figure over one area against the target. */
  judge(indicator: I, area: IndicatorArea): IndicatorResult;
}

/** Any condition: a kind, how far its value is confirmed, and its source. */
export interface AnyCondition {
  readonly kind: string;
  readonly status: ValueStatus;
  readonly source: string | null;
}

/** One community as a condition's judge sees it, for one requirement. */
export interface ConditionAt {
  readonly base: MeasureBase;
  readonly info: RequirementInfo;
  /** "within 300 m", or "within reach" when the types' radii differ. */
  readonly radiusText: string;
  readonly community: CommunityRecord;
  /** The community's index in the analysis. */
  readonly index: number;
  /** Serving facilities (record indices) within the radius of a demand point of the community. */
  readonly reachable: readonly number[];
  /** The supply shared to each community, for kinds that ask for it (`shares`). */
  readonly shared: Allocation | null;
  /** A verdict; `why` is called only when the run asks for reasons. */
  result(
    status: ItemStatus,
    why: () => string,
    value: number | null,
    target: number | null,
    unit: string,
    extra?: Partial<Pick<ConditionResult, 'shortfall' | 'shortfallUnit' | 'facilityId' | 'dependent'>>,
  ): ConditionResult;
}

/** A requirement condition kind (or a family read and judged alike): one module in `kinds/conditions/`. */
export interface ConditionKindModule<C extends AnyCondition = AnyCondition> {
  /** The kind names this module reads, each with what it asks of the data. */
  readonly names: Readonly<Record<C['kind'], { readonly needs: string }>>;
  /** Every field a condition of the kind may have (with kind, status and source), in message order. */
  readonly fields: readonly string[];
  /**
   * Per kind name: the words after a shortfall amount in tables ("16,810 m² (to enlarge)"); null
   * for kinds without an amount to add.
   */
  readonly shortfallLabels: Readonly<Record<C['kind'], string | null>>;
  /** Whether the requirement must list facility types for the condition to mean anything. */
  readonly needsFacilities: boolean;
  /** Reads the condition; `common` holds the status and source already read. */
  read(
    kind: C['kind'],
    raw: Record<string, unknown>,
    path: string,
    reader: KindFieldReader,
    common: Pick<AnyCondition, 'status' | 'source'>,
  ): C | null;
  /**
   * A facility field to share among the demand within reach (two-step floating catchment) before
   * judging, or null when the kind judges without it.
   */
  shares(condition: C): { readonly field: string; readonly per: DemandSpec } | null;
  /** The verdict for one community. */
  judge(condition: C, at: ConditionAt): ConditionResult;
  /** The stated figure, for lists of values not confirmed against a standard: `label` names a property. */
  stated(condition: C): { readonly label: string | null; readonly value: number | string | boolean };
}

/** The indicator type a kind module reads. */
export type IndicatorOf<M> = M extends IndicatorKindModule<infer I> ? I : never;
/** The condition type a kind module reads. */
export type ConditionOf<M> = M extends ConditionKindModule<infer C> ? C : never;
