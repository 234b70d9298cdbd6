// One walker run's setup, shared by the CLI (`--dem`, `--walker`) and the viewer: each type's
// walker, its radius in minutes, the distance factory and the summary.json member. Both build the
// run here, so that a walker run in the viewer gives the CLI's answer.

import type { DistanceContext, Origins, SnapCost } from '../distance/types.js';
import type { FacilityCatalog } from '../standards/catalog.js';
import type { RoadGraph } from './graph.js';
import { coordsBox, type SnapTo } from './pieces.js';
import { type EdgeTerrain, walkerGraph } from './terrain.js';
import { WalkerNetworkSource } from './walker-source.js';
import type { WalkerProfile, WalkerSet } from './walkers.js';
import { minutesToMetres } from './walking.js';

/** What a walker run measured with: per type its walker and radius in minutes (summary.json `walking`). */
export interface WalkingSummary {
  /** The elevation model's file name, or null without one. */
  readonly dem: string | null;
  readonly slope_function: string;
  /** Road edges by where their rise and fall came from: the network's own elevations, the DEM, none. */
  readonly elevation_sources: EdgeTerrain['sources'] | null;
  readonly uncovered: EdgeTerrain['uncovered'] | null;
  readonly types: Record<
    string,
    {
      readonly walker: string;
      readonly flat_speed_kmh: number;
      readonly speed_status: string;
      readonly radius_min: number;
      /** `minutes` (from --minutes) or `metres at flat speed` (the type's metres converted). */
      readonly radius_from: string;
      readonly radius_m?: number;
    }
  >;
}

/** Options of {@link walkerRun}. */
export interface WalkerRunOptions {
  /** The walker of each catalog type (see {@link walkersByType}). */
  readonly walkers: Readonly<Record<string, WalkerProfile>>;
  /** The walker of targets of no catalog type (siting candidates). */
  readonly fallback: WalkerProfile;
  /** The elevation profile of the graph's edges; null walks everything as flat. */
  readonly terrain: EdgeTerrain | null;
  /** The DEM's file name for the summary, or null. */
  readonly dem: string | null;
  /** Radii in metres given per type (`--radius`); others take the catalog's. */
  readonly metresRadii: Readonly<Record<string, number>>;
  /**
   * Walking minutes of the 5-, 10- and 15-minute life circles (`--minutes`): a type without a
   * radius in metres takes its tier's minutes. Absent: every radius is metres at flat speed.
   */
  readonly minutes?: readonly number[];
  /** The network source's options (snapping, names in warnings). */
  readonly network: {
    readonly maxSnapM?: number;
    readonly snapTo?: SnapTo;
    readonly snapCost?: SnapCost;
    readonly file?: string;
  };
}

/** A walker run: the distance factory, radii in minutes per type, and the summary member. */
export interface WalkerRun {
  readonly distance: (origins: Origins, context: DistanceContext) => WalkerNetworkSource;
  readonly radii: Record<string, number>;
  /**
   * The flat walk each type is compared with (`lost_to_terrain`): metres at the adult's flat
   * 4.5 km/h — the type's metres, or its minutes at that speed.
   */
  readonly flatRadiiM: Record<string, number>;
  readonly summary: WalkingSummary;
  /** The graph a type's walker walks (minutes over the terrain), built once per walker: for catchments. */
  readonly walkerGraphOf: (typeId: string) => RoadGraph;
}

const TIER_MINUTE_SLOT: Readonly<Record<string, number>> = {
  block: 0,
  '5min': 0,
  '10min': 1,
  '15min': 2,
  street: 2,
};

/**
 * The walking minutes of a life-circle tier from `--minutes A,B,C` (the 5-, 10- and 15-minute
 * circles; a shorter list repeats its last value): a block or 5-minute type takes A, 10-minute B,
 * 15-minute and street C.
 *
 * @example
 * tierMinutes([5, 10, 15], '10min'); // 10
 * tierMinutes([5], 'street'); // 5
 */
export function tierMinutes(minutes: readonly number[], tier: string): number {
  return minutes[Math.min(TIER_MINUTE_SLOT[tier] ?? 0, minutes.length - 1)]!;
}

/**
 * The walker of every catalog type: the one named for the type, else the one named for the whole
 * run, else the type's default from walkers.json (elderly care → elderly, childcare → pram …).
 *
 * @throws {OptionError} for an unknown walker id.
 *
 * @example
 * const { byType } = walkersByType(new WalkerSet(), FacilityCatalog.builtIn(), { kindergarten: 'child' }, 'adult');
 * byType.kindergarten?.id; // 'child'
 * byType.elderly_day_care_center?.id; // 'adult' (the run's walker wins over the type's default)
 */
export function walkersByType(
  walkers: WalkerSet,
  catalog: FacilityCatalog,
  named: Readonly<Record<string, string>>,
  all: string | null = null,
): { byType: Record<string, WalkerProfile>; fallback: WalkerProfile } {
  const everyType = all === null ? null : walkers.get(all);
  const byType: Record<string, WalkerProfile> = {};
  for (const type of catalog.types) {
    const id = named[type.id];
    byType[type.id] = id !== undefined ? walkers.get(id) : (everyType ?? walkers.forType(type.id));
  }
  return { byType, fallback: everyType ?? walkers.get('adult') };
}

/**
 * The setup of a run measured in minutes for each type's walker on `graph`: radii in minutes (the
 * tier's `minutes` when given and no metres were, else the type's metres at its walker's flat
 * speed), a factory of {@link WalkerNetworkSource}s and the summary.json `walking` member.
 *
 * @example
 * const catalog = FacilityCatalog.builtIn();
 * const { byType, fallback } = walkersByType(new WalkerSet(), catalog, { nursery_childcare: 'pram' });
 * const run = walkerRun(graph, catalog, {
 *   walkers: byType,
 *   fallback,
 *   terrain: null, // or edgeTerrain(graph, dem) to walk over hills
 *   dem: null,
 *   metresRadii: {},
 *   network: {},
 * });
 * run.summary.types.nursery_childcare?.radius_min; // the catalog's metres at the pram's flat speed
 * analyzeCoverage(input, { radii: run.radii, distance: run.distance });
 */
export function walkerRun(graph: RoadGraph, catalog: FacilityCatalog, options: WalkerRunOptions): WalkerRun {
  const { terrain, minutes, metresRadii } = options;
  const radii: Record<string, number> = {};
  const flatRadiiM: Record<string, number> = {};
  const types: WalkingSummary['types'] = {};
  for (const type of catalog.types) {
    const walker = options.walkers[type.id] ?? options.fallback;
    const metresPerMinute = (walker.flat_speed_kmh * 1000) / 60;
    let radiusMin: number;
    let radiusFrom: string;
    let radiusM: number | undefined;
    if (minutes && minutes.length > 0 && metresRadii[type.id] === undefined) {
      radiusMin = tierMinutes(minutes, type.tier);
      radiusFrom = 'minutes';
    } else {
      radiusM = metresRadii[type.id] ?? type.radius_m;
      radiusMin = radiusM / metresPerMinute;
      radiusFrom = 'metres at flat speed';
    }
    radii[type.id] = radiusMin;
    flatRadiiM[type.id] = radiusM ?? minutesToMetres(radiusMin);
    types[type.id] = {
      walker: walker.id,
      flat_speed_kmh: walker.flat_speed_kmh,
      speed_status: walker.speed_status,
      radius_min: Math.round(radiusMin * 100) / 100,
      radius_from: radiusFrom,
      ...(radiusM === undefined ? {} : { radius_m: radiusM }),
    };
  }
  const graphs = new Map<string, RoadGraph>();
  const walkerGraphOf = (typeId: string): RoadGraph => {
    const walker = options.walkers[typeId] ?? options.fallback;
    let walked = graphs.get(walker.id);
    if (!walked) {
      walked = walkerGraph(graph, walker, terrain);
      graphs.set(walker.id, walked);
    }
    return walked;
  };
  return {
    walkerGraphOf,
    flatRadiiM,
    distance: (origins, context) =>
      new WalkerNetworkSource(graph, origins, {
        terrain,
        walkers: options.walkers,
        fallback: options.fallback,
        ...options.network,
        ownerNames: context.communityIds,
      }),
    radii,
    summary: {
      dem: options.dem,
      slope_function: terrain ? 'tobler' : 'flat (no --dem, no elevation in the network)',
      elevation_sources: terrain ? terrain.sources : null,
      uncovered: terrain ? terrain.uncovered : null,
      types,
    },
  };
}

/**
 * The network's box in WGS84 degrees, widened by `marginDeg` (about 100 m) for a DEM window.
 *
 * @example
 * const [west, south, east, north] = graphBox(graph); // readGeoTiff(bytes, { file, bbox: graphBox(graph) })
 */
export function graphBox(graph: RoadGraph, marginDeg = 0.001): [number, number, number, number] {
  const [west, south, east, north] = coordsBox(graph.vertexCoords);
  return [west - marginDeg, south - marginDeg, east + marginDeg, north + marginDeg];
}
