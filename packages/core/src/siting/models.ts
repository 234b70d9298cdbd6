// The siting models, one registry line each. `siteFacilities`, the CLI's `--model` and the viewer's
// model picker all read this list; a new model is its class file, its name in `SitingModelName` and
// one entry here.
import type { CostTable, DistanceSource, Targets } from '../distance/types.js';
import type { WorkPool } from '../parallel/pool.js';
import { CapacitatedCoverage } from './capacitated.js';
import { MaximalCovering } from './maximal-covering.js';
import { PCenter } from './p-center.js';
import { PMedian } from './p-median.js';
import { SetCovering } from './set-covering.js';
import type { SitingDemand } from './shared.js';
import type {
  SitingModelName,
  SitingOptions,
  SitingResult,
  SitingSolveOptions,
  TradeoffPoint,
} from './types.js';

/** A built siting model: what `siteFacilities` asks of every model class. */
export interface SitingModel {
  readonly size: import('./types.js').SitingModelSize;
  solve(options?: SitingSolveOptions): SitingResult;
  /** Models that add sites one by one give their coverage curve up to `kMax`. */
  tradeoff?(kMax: number): TradeoffPoint[];
}

/** What a model's builder gets besides the cost table and the demand weights. */
export interface SitingModelParameters {
  /** Options shared by every model (targets, fixed and excluded ones, budget, spacing, districts). */
  readonly common: SitingOptions;
  /** New sites to add (models with `needsK`). */
  readonly k: number;
  /** Coverage radius in the source's unit. */
  readonly radius: number;
  /** The bound the cost table was measured to. */
  readonly tableBound: number;
  /** Set covering: share of residents to cover (overall or per community). */
  readonly targetShare: number;
  readonly perCommunity: boolean;
  /** Capacitated coverage: capacity per target and demand per resident. */
  readonly capacity?: Float64Array;
  readonly rate?: number;
  /** Threads for the models that use them (maximal covering; see `MaximalCoveringOptions.pool`). */
  readonly pool?: WorkPool;
}

/** One siting model as the tools present and build it. */
export interface SitingModelEntry {
  readonly name: SitingModelName;
  /** English name of the question it answers, for help texts. */
  readonly title: string;
  /** Whether it needs k (every model but set covering, which finds the number itself). */
  readonly needsK: boolean;
  /**
   * Whether it minimises a cost (p-median, p-center: the table is measured beyond the radius, to
   * `tableBoundM`) rather than counting residents within the radius.
   */
  readonly minimisesCost: boolean;
  /** Whether it needs capacities and a rate. */
  readonly capacitated: boolean;
  /** What its objective counts, as in summary.json's `objective_unit`. */
  readonly objectiveUnit: 'residents' | 'sites' | 'resident-cost' | 'cost';
  build(table: CostTable, demandWeight: Float64Array, p: SitingModelParameters): SitingModel;
  /**
   * Builds it from the distance source itself, for a model that can skip the cost table (maximal
   * covering on a great-circle source and a pool: the rows come straight from the scan); the same
   * model as `build` on `source.within(targets, tableBound)`.
   */
  readonly buildFromSource?: (
    source: DistanceSource,
    demand: SitingDemand,
    targets: Targets,
    p: SitingModelParameters,
  ) => SitingModel;
}

/** The siting models by name, in the order tools list them. */
export const SITING_MODELS: Readonly<Record<SitingModelName, SitingModelEntry>> = {
  mclp: {
    name: 'mclp',
    title: 'maximal covering: cover the most residents with k new sites',
    needsK: true,
    minimisesCost: false,
    capacitated: false,
    objectiveUnit: 'residents',
    build: (table, weight, p) =>
      MaximalCovering.fromCostMatrix(table, weight, {
        ...p.common,
        k: p.k,
        ...(p.pool === undefined ? {} : { pool: p.pool }),
      }),
    buildFromSource: (source, demand, targets, p) =>
      MaximalCovering.fromSource(source, demand, targets, {
        ...p.common,
        k: p.k,
        radius: p.radius,
        ...(p.pool === undefined ? {} : { pool: p.pool }),
      }),
  },
  lscp: {
    name: 'lscp',
    title: 'set covering: the fewest new sites that cover a target share',
    needsK: false,
    minimisesCost: false,
    capacitated: false,
    objectiveUnit: 'sites',
    build: (table, weight, p) =>
      SetCovering.fromCostMatrix(table, weight, {
        ...p.common,
        targetShare: p.targetShare,
        perOwner: p.perCommunity,
      }),
  },
  pmedian: {
    name: 'pmedian',
    title: 'p-median: the least total walk to the nearest site',
    needsK: true,
    minimisesCost: true,
    capacitated: false,
    objectiveUnit: 'resident-cost',
    build: (table, weight, p) =>
      PMedian.fromCostMatrix(table, weight, {
        ...p.common,
        k: p.k,
        radius: Math.min(p.radius, p.tableBound),
      }),
  },
  pcenter: {
    name: 'pcenter',
    title: 'p-center: the shortest longest walk to the nearest site',
    needsK: true,
    minimisesCost: true,
    capacitated: false,
    objectiveUnit: 'cost',
    build: (table, weight, p) =>
      PCenter.fromCostMatrix(table, weight, {
        ...p.common,
        k: p.k,
        radius: Math.min(p.radius, p.tableBound),
      }),
  },
  capacitated: {
    name: 'capacitated',
    title: 'capacitated coverage: cover the most residents within the sites’ capacities',
    needsK: true,
    minimisesCost: false,
    capacitated: true,
    objectiveUnit: 'residents',
    build: (table, weight, p) =>
      CapacitatedCoverage.fromCostMatrix(table, weight, {
        ...p.common,
        k: p.k,
        capacity: p.capacity!,
        rate: p.rate!,
      }),
  },
};

/** The model names, in registry order (what `--model` and the viewer's picker offer). */
export const SITING_MODEL_NAMES: readonly SitingModelName[] = Object.keys(SITING_MODELS) as SitingModelName[];

/** The registry entry of a name, or undefined for a name that is not a model. */
export function sitingModel(name: string): SitingModelEntry | undefined {
  return Object.hasOwn(SITING_MODELS, name) ? SITING_MODELS[name as SitingModelName] : undefined;
}
