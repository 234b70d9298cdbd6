// Where the viewer plugs into core's siting models.
//
// The siting module (`packages/core/src/siting/`) was written alongside the viewer. The viewer takes
// `MaximalCovering` from core's public index when core re-exports it there, and until then from the
// siting module's own index in core's sources, when that file exists (an eager glob of a missing
// file is empty, so a checkout without the module still builds). Without either,
// `findMaximalCovering()` returns null and the siting panel says "not available yet": it never makes
// results up. The shape below is the part of the model the viewer uses (spopt-style
// `fromCostMatrix`, immutable `solve()` result, `tradeoff(k)`); `isMaximalCovering` checks it first.

import type { CostTable } from '@lifecircle/core';
import * as core from '@lifecircle/core';

/** The parts of a siting answer the viewer reads. */
export interface SitingAnswer {
  readonly sites: readonly {
    readonly candidate: number;
    readonly rank: number;
    readonly addedWeight: number;
    readonly cumulativeWeight: number;
    readonly cumulativeShare: number;
    readonly newlyServedOwners: readonly number[];
  }[];
  readonly coveredBefore: number;
  readonly coveredAfter: number;
  readonly population: number;
  readonly solver: string;
  readonly status: string;
  readonly gap: number;
  readonly warnings: readonly string[];
}

/** Options both models take (core's `SitingOptions`, the part the viewer sets). */
export interface SitingModelOptions {
  fixed?: ArrayLike<number>;
  radius?: number;
  owner?: Uint32Array;
  ownerCount?: number;
  targetCount?: number;
  coords?: Float64Array;
}

export interface MaximalCoveringModel {
  solve(): SitingAnswer;
  tradeoff(kMax?: number): readonly { readonly k: number; readonly coveredShare: number }[];
}

export interface MaximalCoveringClass {
  fromCostMatrix(
    table: CostTable,
    demandWeight: Float64Array,
    options: SitingModelOptions & { k: number },
  ): MaximalCoveringModel;
}

export interface SetCoveringClass {
  fromCostMatrix(
    table: CostTable,
    demandWeight: Float64Array,
    options: SitingModelOptions & { targetShare: number },
  ): { solve(): SitingAnswer };
}

function isModelClass(value: unknown): boolean {
  return (
    typeof value === 'function' &&
    typeof (value as { fromCostMatrix?: unknown }).fromCostMatrix === 'function' &&
    typeof (value as { prototype?: { solve?: unknown } }).prototype?.solve === 'function'
  );
}

function isMaximalCovering(value: unknown): value is MaximalCoveringClass {
  return (
    isModelClass(value) &&
    typeof (value as { prototype: { tradeoff?: unknown } }).prototype.tradeoff === 'function'
  );
}

// Looked up by computed names, so that the bundler does not flag a missing export while core lacks it.
const MCLP_EXPORT = ['Maximal', 'Covering'].join('');
const LSCP_EXPORT = ['Set', 'Covering'].join('');

// HOOK(siting): drop this glob once core's index re-exports the siting module.
const sitingSources = import.meta.glob<Record<string, unknown>>(
  '../../../../packages/core/src/siting/index.ts',
  {
    eager: true,
  },
);

function findExport(name: string, check: (value: unknown) => boolean): unknown {
  const fromIndex = (core as unknown as Record<string, unknown>)[name];
  if (check(fromIndex)) return fromIndex;
  for (const module of Object.values(sitingSources)) if (check(module[name])) return module[name];
  return null;
}

/** Core's `MaximalCovering` when core provides it, else null. */
export function findMaximalCovering(): MaximalCoveringClass | null {
  return findExport(MCLP_EXPORT, isMaximalCovering) as MaximalCoveringClass | null;
}

/** Core's `SetCovering` when core provides it, else null. */
export function findSetCovering(): SetCoveringClass | null {
  return findExport(LSCP_EXPORT, isModelClass) as SetCoveringClass | null;
}
