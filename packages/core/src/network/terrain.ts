// Terrain along the road graph and a walker's direction-dependent costs: each edge's elevation
// profile is sampled from a DEM once; each walker's minutes per direction follow from the profile,
// its slope function and the ways it cannot use.

import { emptyBBox, extendBBox } from '../geodesy/index.js';
import type { Warning } from '../validate/problems.js';
import type { EdgeCosts, RoadGraph } from './graph.js';
import { NETWORK_WARNING_CODES } from './problems.js';
import { BACKWARD, FORWARD, NO_WHEELCHAIR, RAISED_KERB, STEPS } from './tags.js';
import { slopeSpeedFactor, type WalkerProfile } from './walkers.js';

/** Elevation in metres at a WGS84 position, NaN where unknown: a DEM (io's `readGeoTiff` grid) or a function. */
export interface ElevationSampler {
  sample(lon: number, lat: number): number;
  /** Approximate side of a DEM cell in metres; the profile is sampled at half of it. */
  readonly cellSizeM?: number;
  /** Name of the DEM in messages. */
  readonly file?: string;
}

/** Options of {@link edgeTerrain}. */
export interface EdgeTerrainOptions {
  /**
   * Largest distance in metres between two profile points along an edge; segments are cut into
   * equal pieces no longer than this. Default: half the DEM's cell, at least 5 m (15 m when the
   * sampler does not say its cell size).
   */
  readonly stepM?: number;
  /**
   * Elevations the network itself carries, at its vertices (see `networkElevations`): an edge
   * whose every vertex has one takes its rise and fall from them, linearly between vertices, and
   * is not sampled from the DEM.
   */
  readonly network?: NetworkElevations | null;
}

/** Where an edge's elevation came from: {@link EdgeTerrain.edgeSource}. */
export const ELEVATION_SOURCE = { flat: 0, dem: 1, network: 2 } as const;

/** Elevation in metres at a road network's own positions (NaN where it has none). */
export interface NetworkElevations {
  at(lon: number, lat: number): number;
  /** How many distinct positions carry an elevation. */
  readonly positions: number;
}

/**
 * The elevations a road network carries itself: the third value of GeoJSON positions
 * (`[lng, lat, z]`, metres), which io's OSM reader writes from the `ele` tags of nodes. Null when no
 * position of a line has one. Positions are matched exactly, as the graph's vertices copy them.
 *
 * @example
 * // No DEM: the roads' own elevations, where they have them (else every edge is flat).
 * const terrain = edgeTerrain(graph, null, { network: networkElevations(roads) });
 * terrain.sources; // { network, dem: 0, flat }
 */
export function networkElevations(network: unknown): NetworkElevations | null {
  const byPosition = new Map<string, number>();
  const visit = (positions: unknown): void => {
    if (!Array.isArray(positions)) return;
    for (const p of positions) {
      if (!Array.isArray(p)) continue;
      if (typeof p[0] !== 'number') {
        visit(p);
        continue;
      }
      const z = p[2];
      if (typeof z === 'number' && Number.isFinite(z)) byPosition.set(`${p[0]},${p[1]}`, z);
    }
  };
  const features = (network as { features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return null;
  for (const feature of features) {
    const geometry = (feature as { geometry?: { type?: string; coordinates?: unknown } } | null)?.geometry;
    if (geometry?.type === 'LineString' || geometry?.type === 'MultiLineString') visit(geometry.coordinates);
  }
  if (byPosition.size === 0) return null;
  return { at: (lon, lat) => byPosition.get(`${lon},${lat}`) ?? Number.NaN, positions: byPosition.size };
}

/** The elevation profile of every edge of a graph, and where the DEM had no data. */
export interface EdgeTerrain {
  /** Points of edge `e` are `pointStart[e] … pointStart[e + 1] - 1`, from its start to its end. */
  readonly pointStart: Uint32Array;
  /** Metres along the edge of each profile point. */
  readonly pointAlong: Float64Array;
  /** Elevation of each profile point in metres; NaN where the DEM had no data. */
  readonly pointElevation: Float64Array;
  /** The profile point at each graph vertex (so costs can be accumulated per vertex). */
  readonly pointOfVertex: Uint32Array;
  /** Metres climbed walking each edge from its start to its end (its fall is the climb the other way). */
  readonly rise: Float64Array;
  readonly fall: Float64Array;
  /** 1 where the DEM or the network has elevation along the whole edge; 0 where it is costed as flat. */
  readonly covered: Uint8Array;
  /** Where each edge's elevation came from: a value of `ELEVATION_SOURCE`. */
  readonly edgeSource: Uint8Array;
  /** How many edges took their elevation from the network's own, from the DEM, or none (flat). */
  readonly sources: { readonly network: number; readonly dem: number; readonly flat: number };
  /** Edges without elevation for their whole length: how many, their length, their box. */
  readonly uncovered: {
    readonly edges: number;
    readonly lengthM: number;
    readonly bbox: readonly [number, number, number, number] | null;
  };
  /** Name of the DEM in messages. */
  readonly file: string;
}

/**
 * Samples a DEM along every edge of a graph: a profile point at each vertex and at equal steps
 * between (no farther apart than `stepM`), with each edge's rise and fall. An edge whose every
 * vertex has an elevation of the network's own (`options.network`) takes it instead, interpolated
 * between vertices. An edge whose profile has a point without data is left uncovered and will be
 * costed as flat; `terrainWarning` says where. `dem` may be null when the network has
 * elevations.
 *
 * @example
 * const terrain = edgeTerrain(graph, { sample: (_lon, lat) => 1350 + 1000 * (lat - 35.5) });
 * terrain.rise[0]; // metres climbed along edge 0, walking forward
 */
export function edgeTerrain(
  graph: RoadGraph,
  dem: ElevationSampler | null,
  options: EdgeTerrainOptions = {},
): EdgeTerrain {
  const stepM = options.stepM ?? (dem?.cellSizeM ? Math.max(5, dem.cellSizeM / 2) : 15);
  const own = options.network ?? null;
  if (!(stepM > 0)) throw new Error(`stepM must be a positive number of metres, got ${stepM}.`);
  const { edgeVertexStart, vertexCoords, vertexDistance } = graph;
  const edges = graph.edgeCount;
  const pointStart = new Uint32Array(edges + 1);
  const pointOfVertex = new Uint32Array(vertexDistance.length);
  // First pass: how many points, so the arrays are allocated once.
  let total = 0;
  for (let e = 0; e < edges; e++) {
    pointStart[e] = total;
    const first = edgeVertexStart[e]!;
    const last = edgeVertexStart[e + 1]! - 1;
    for (let v = first; v < last; v++) total += piecesOf(vertexDistance[v + 1]! - vertexDistance[v]!, stepM);
    total += 1;
  }
  pointStart[edges] = total;
  const pointAlong = new Float64Array(total);
  const pointElevation = new Float64Array(total);
  const rise = new Float64Array(edges);
  const fall = new Float64Array(edges);
  const covered = new Uint8Array(edges);
  const edgeSource = new Uint8Array(edges);
  const sources = { network: 0, dem: 0, flat: 0 };
  let uncoveredEdges = 0;
  let uncoveredLength = 0;
  // The box of the uncovered edges' vertices: [west, south, east, north].
  const uncoveredBox = emptyBBox();
  for (let e = 0; e < edges; e++) {
    let p = pointStart[e]!;
    const first = edgeVertexStart[e]!;
    const last = edgeVertexStart[e + 1]! - 1;
    let complete = true;
    let fromNetwork = own !== null;
    for (let v = first; fromNetwork && v <= last; v++) {
      fromNetwork = Number.isFinite(own!.at(vertexCoords[2 * v]!, vertexCoords[2 * v + 1]!));
    }
    // Between two vertices of the network's own elevation the profile is a straight line.
    let z0 = Number.NaN;
    let z1 = Number.NaN;
    let t = 0;
    const put = (along: number, lon: number, lat: number): void => {
      const z = fromNetwork ? z0 + t * (z1 - z0) : dem ? dem.sample(lon, lat) : Number.NaN;
      if (!Number.isFinite(z)) complete = false;
      pointAlong[p] = along;
      pointElevation[p++] = Number.isFinite(z) ? z : Number.NaN;
    };
    for (let v = first; v < last; v++) {
      const d0 = vertexDistance[v]!;
      const pieces = piecesOf(vertexDistance[v + 1]! - d0, stepM);
      pointOfVertex[v] = p;
      const lon0 = vertexCoords[2 * v]!;
      const lat0 = vertexCoords[2 * v + 1]!;
      const lon1 = vertexCoords[2 * v + 2]!;
      const lat1 = vertexCoords[2 * v + 3]!;
      if (fromNetwork) {
        z0 = own!.at(lon0, lat0);
        z1 = own!.at(lon1, lat1);
      }
      for (let k = 0; k < pieces; k++) {
        t = k / pieces;
        put(d0 + t * (vertexDistance[v + 1]! - d0), lon0 + t * (lon1 - lon0), lat0 + t * (lat1 - lat0));
      }
    }
    pointOfVertex[last] = p;
    if (fromNetwork) z0 = own!.at(vertexCoords[2 * last]!, vertexCoords[2 * last + 1]!);
    t = 0;
    put(vertexDistance[last]!, vertexCoords[2 * last]!, vertexCoords[2 * last + 1]!);
    if (complete) {
      covered[e] = 1;
      edgeSource[e] = fromNetwork ? ELEVATION_SOURCE.network : ELEVATION_SOURCE.dem;
      if (fromNetwork) sources.network++;
      else sources.dem++;
      let up = 0;
      let down = 0;
      for (let q = pointStart[e]! + 1; q < pointStart[e + 1]!; q++) {
        const dz = pointElevation[q]! - pointElevation[q - 1]!;
        if (dz > 0) up += dz;
        else down -= dz;
      }
      rise[e] = up;
      fall[e] = down;
    } else {
      sources.flat++;
      uncoveredEdges++;
      uncoveredLength += graph.edgeLength[e]!;
      extendBBox(uncoveredBox, vertexCoords, first, last + 1);
    }
  }
  return {
    pointStart,
    pointAlong,
    pointElevation,
    pointOfVertex,
    rise,
    fall,
    covered,
    edgeSource,
    sources,
    uncovered: {
      edges: uncoveredEdges,
      lengthM: uncoveredLength,
      bbox: uncoveredEdges > 0 ? uncoveredBox : null,
    },
    file: dem ? (dem.file ?? 'dem') : 'network',
  };
}

function piecesOf(lengthM: number, stepM: number): number {
  return Math.max(1, Math.ceil(lengthM / stepM - 1e-9));
}

/**
 * The warning for edges the DEM does not cover (no data, or outside it): where, how many, how
 * long; null when it covers every edge.
 */
export function terrainWarning(terrain: EdgeTerrain, graph: RoadGraph): Warning | null {
  const { edges, lengthM, bbox } = terrain.uncovered;
  if (edges === 0 || bbox === null) return null;
  const share = (100 * lengthM) / graph.totalLengthM;
  return {
    code: NETWORK_WARNING_CODES.terrainNoData,
    file: terrain.file,
    message: `${terrain.file === 'network' ? 'the network carries no elevation' : 'the elevation model has no data'} along ${edges} of ${graph.edgeCount} road edges (${(lengthM / 1000).toFixed(2)} km, ${share.toFixed(1)}% of the network) within [${bbox.map((v) => v.toFixed(4)).join(', ')}] (WGS84 west, south, east, north); those edges are walked as if flat.`,
  };
}

/**
 * A walker's costs on a graph, in minutes: per edge and direction, and accumulated per vertex so a
 * walk can start or end anywhere along an edge. Along a covered edge each piece between profile
 * points takes `length ÷ (flat speed × slopeSpeedFactor(gradient))`, its gradient taken in the
 * direction walked; steps take `length ÷ (flat speed × steps.speed_factor)` whatever the terrain;
 * an uncovered edge or a graph without terrain is walked at the flat speed. A way the walker cannot
 * use (steps, raised kerb, `wheelchair=no`, a piece steeper than `max_grade`) loses both directions.
 *
 * @example
 * const terrain = edgeTerrain(graph, { sample: (_lon, lat) => 1350 + 1000 * (lat - 35.5) });
 * const costs = walkerCosts(graph, new WalkerSet().get('elderly'), terrain);
 * const elderly = graph.withCosts(costs); // costUnit 'min'
 */
export function walkerCosts(
  graph: RoadGraph,
  walker: WalkerProfile,
  terrain: EdgeTerrain | null = null,
): EdgeCosts {
  if (graph.costUnit !== 'm')
    throw new Error('walkerCosts needs the graph in metres (from RoadGraph.fromGeoJSON).');
  const edges = graph.edgeCount;
  const { edgeVertexStart, vertexDistance, edgeKind } = graph;
  const metresPerMinute = (walker.flat_speed_kmh * 1000) / 60;
  const edgeDirection = new Uint8Array(graph.edgeDirection);
  const edgeForwardCost = new Float64Array(edges);
  const edgeBackwardCost = new Float64Array(edges);
  const vertexForwardCost = new Float64Array(vertexDistance.length);
  const vertexBackwardCost = new Float64Array(vertexDistance.length);
  const maxGrade = walker.max_grade ?? Number.POSITIVE_INFINITY;
  for (let e = 0; e < edges; e++) {
    const kind = edgeKind[e]!;
    let blocked =
      (kind & STEPS && walker.steps === 'impassable') ||
      (kind & RAISED_KERB && walker.raised_kerb === 'impassable') ||
      (kind & NO_WHEELCHAIR && walker.wheelchair_no === 'impassable');
    const first = edgeVertexStart[e]!;
    const last = edgeVertexStart[e + 1]! - 1;
    let forward = 0;
    let backward = 0;
    const steps = walker.steps;
    const onSteps = (kind & STEPS) !== 0 && steps !== 'impassable';
    const stepsSpeed = steps === 'impassable' ? 0 : metresPerMinute * steps.speed_factor;
    const sloped = terrain !== null && terrain.covered[e] === 1 && !onSteps && walker.slope !== 'flat';
    for (let v = first; v <= last; v++) {
      if (v > first) {
        if (sloped) {
          // The profile's pieces between this vertex and the previous one.
          const a = terrain.pointOfVertex[v - 1]!;
          const b = terrain.pointOfVertex[v]!;
          for (let q = a + 1; q <= b; q++) {
            const dx = terrain.pointAlong[q]! - terrain.pointAlong[q - 1]!;
            if (dx <= 0) continue;
            const grade = (terrain.pointElevation[q]! - terrain.pointElevation[q - 1]!) / dx;
            if (Math.abs(grade) > maxGrade) blocked = true;
            forward += dx / (metresPerMinute * slopeSpeedFactor(walker.slope, grade));
            backward += dx / (metresPerMinute * slopeSpeedFactor(walker.slope, -grade));
          }
        } else {
          const dx = vertexDistance[v]! - vertexDistance[v - 1]!;
          const minutes = dx / (onSteps ? stepsSpeed : metresPerMinute);
          forward += minutes;
          backward += minutes;
        }
      }
      vertexForwardCost[v] = forward;
      vertexBackwardCost[v] = backward;
    }
    edgeForwardCost[e] = forward;
    edgeBackwardCost[e] = backward;
    if (blocked) edgeDirection[e] = edgeDirection[e]! & ~(FORWARD | BACKWARD);
  }
  return {
    edgeDirection,
    edgeForwardCost,
    edgeBackwardCost,
    vertexForwardCost,
    vertexBackwardCost,
    costUnit: 'min',
    legCostPerM: 1 / metresPerMinute,
  };
}

/**
 * The graph a walker walks: {@link walkerCosts} applied with {@link RoadGraph.withCosts}.
 *
 * @example
 * const pram = walkerGraph(graph, new WalkerSet().get('pram'));
 * new NetworkSource(pram, demand).reach({ coords: kindergartens }, 5); // minutes
 */
export function walkerGraph(
  graph: RoadGraph,
  walker: WalkerProfile,
  terrain: EdgeTerrain | null = null,
): RoadGraph {
  return graph.withCosts(walkerCosts(graph, walker, terrain));
}
