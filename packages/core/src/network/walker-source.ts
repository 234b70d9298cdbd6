// A distance source that measures each facility type for its own walker: the elderly to a day-care
// centre, a parent with a pram to a childcare point. One graph in minutes per walker, built once.

import { NetworkSource, type NetworkSourceOptions } from '../distance/network-source.js';
import type {
  CostTable,
  DistanceSource,
  NetworkFacts,
  Origins,
  Reach,
  TargetFacts,
  Targets,
} from '../distance/types.js';
import type { Warning } from '../validate/problems.js';
import type { RoadGraph } from './graph.js';
import { type EdgeTerrain, walkerGraph } from './terrain.js';
import type { WalkerProfile } from './walkers.js';

/** Options of {@link WalkerNetworkSource}. */
export interface WalkerNetworkSourceOptions extends NetworkSourceOptions {
  /** The elevation profile of the graph's edges, or null to walk everything as flat. */
  readonly terrain?: EdgeTerrain | null;
  /** The walker of each facility type. */
  readonly walkers: Readonly<Record<string, WalkerProfile>>;
  /** The walker of targets with no type or a type not in `walkers` (siting candidates). */
  readonly fallback: WalkerProfile;
}

/**
 * Walking time in minutes over a road graph, each facility type for its own walker (see
 * {@link WalkerSet}): a target set is measured on the graph of the walker of its `type`. Costs run
 * from home to the facility, uphill and downhill as they come; `reach` also gives the length in
 * metres of each quickest walk (`nearestLengthM`).
 *
 * @example
 * const walkers = new WalkerSet();
 * const source = new WalkerNetworkSource(graph, demand, {
 *   terrain: null, // or edgeTerrain(graph, dem) to walk over hills
 *   walkers: { elderly_day_care_center: walkers.get('elderly') },
 *   fallback: walkers.get('adult'),
 * });
 * source.reach({ coords, type: 'elderly_day_care_center' }, 5).nearestCost; // minutes
 */
export class WalkerNetworkSource implements DistanceSource {
  readonly kind = 'network' as const;
  readonly costUnit = 'min' as const;
  readonly origins: Origins;
  /** Origins off the network, for each walker (once per message). */
  readonly warnings: Warning[];
  private readonly sources = new Map<string, NetworkSource>();
  private readonly options: WalkerNetworkSourceOptions;

  constructor(graph: RoadGraph, origins: Origins, options: WalkerNetworkSourceOptions) {
    this.origins = origins;
    this.options = options;
    const seen = new Set<string>();
    this.warnings = [];
    for (const walker of [options.fallback, ...Object.values(options.walkers)]) {
      if (this.sources.has(walker.id)) continue;
      const source = new NetworkSource(walkerGraph(graph, walker, options.terrain ?? null), origins, options);
      this.sources.set(walker.id, source);
      for (const warning of source.warnings) {
        if (seen.has(warning.message)) continue;
        seen.add(warning.message);
        this.warnings.push(warning);
      }
    }
  }

  /** The walker a target set is measured for. */
  walkerOf(targets: Targets): WalkerProfile {
    return (
      (targets.type !== undefined ? this.options.walkers[targets.type] : undefined) ?? this.options.fallback
    );
  }

  /** Metres per minute of the flat walk of the walker of `targets`. */
  metresPerCost(targets: Targets): number {
    return (this.walkerOf(targets).flat_speed_kmh * 1000) / 60;
  }

  private sourceOf(targets: Targets): NetworkSource {
    return this.sources.get(this.walkerOf(targets).id)!;
  }

  reach(targets: Targets, bound: number): Reach {
    return this.sourceOf(targets).reach(targets, bound);
  }

  within(targets: Targets, bound: number): CostTable {
    return this.sourceOf(targets).within(targets, bound);
  }

  checkTargets(targets: Targets, file: string, what: string): Warning[] {
    return this.sourceOf(targets).checkTargets(targets, file, what);
  }

  /** The pieces and snaps of the fallback walker's graph (every walker's graph has the same pieces). */
  get networkFacts(): NetworkFacts {
    return this.sources.get(this.options.fallback.id)!.networkFacts;
  }

  targetFacts(targets: Targets): TargetFacts {
    return this.sourceOf(targets).targetFacts(targets);
  }
}
