import type { Rejection, Warning } from '../validate/problems.js';
import type { RoadGraphArrays } from './arrays.js';
import {
  adjacency,
  arcArrays,
  buildRoadGraphArrays,
  type RoadGraphOptions,
  type RoadGraphStats,
} from './build.js';
import { align8, BufferWriter, view } from './layout.js';
import { BACKWARD, FORWARD } from './tags.js';

// Declared in arrays.ts so that build.ts, which assembles the arrays, need not import this module.
export type { RoadGraphArrays } from './arrays.js';

type ArrayKind = 'f64' | 'u32' | 'u8';
type ArrayOfKind = { f64: Float64Array; u32: Uint32Array; u8: Uint8Array };
type ArrayField = {
  [K in keyof RoadGraphArrays]: RoadGraphArrays[K] extends Float64Array | Uint32Array | Uint8Array
    ? K
    : never;
}[keyof RoadGraphArrays];

/** The counts that size every section, written in the buffer's header. */
interface SectionCounts {
  readonly nodes: number;
  readonly edges: number;
  readonly vertices: number;
  readonly arcs: number;
  readonly reverseArcs: number;
  readonly segments: number;
}

/** How one array of the graph is sized and packed; `aliasOf` names the array it may be the same as. */
interface Section<K extends ArrayField = ArrayField> {
  readonly name: K;
  readonly kind: { [T in ArrayKind]: ArrayOfKind[T] extends RoadGraphArrays[K] ? T : never }[ArrayKind];
  readonly size: (counts: SectionCounts) => number;
  /**
   * The array this one is when nothing sets it apart (the reverse CSR of an undirected graph, the
   * costs of a graph in metres): then it is not written, and is read back as that array.
   */
  readonly aliasOf?: ArrayField;
}

const section = <K extends ArrayField>(s: Section<K>): Section => s as unknown as Section;

/** The graph's arrays in the order they are packed; the one place the binary layout is written. */
export const GRAPH_SECTIONS: readonly Section[] = [
  section({ name: 'nodeCoords', kind: 'f64', size: (c) => 2 * c.nodes }),
  section({ name: 'edgeFrom', kind: 'u32', size: (c) => c.edges }),
  section({ name: 'edgeTo', kind: 'u32', size: (c) => c.edges }),
  section({ name: 'edgeLength', kind: 'f64', size: (c) => c.edges }),
  section({ name: 'edgeDirection', kind: 'u8', size: (c) => c.edges }),
  section({ name: 'edgeFeature', kind: 'u32', size: (c) => c.edges }),
  section({ name: 'edgeKind', kind: 'u8', size: (c) => c.edges }),
  section({ name: 'edgeVertexStart', kind: 'u32', size: (c) => c.edges + 1 }),
  section({ name: 'vertexCoords', kind: 'f64', size: (c) => 2 * c.vertices }),
  section({ name: 'vertexDistance', kind: 'f64', size: (c) => c.vertices }),
  section({ name: 'offsets', kind: 'u32', size: (c) => c.nodes + 1 }),
  section({ name: 'target', kind: 'u32', size: (c) => c.arcs }),
  section({ name: 'length', kind: 'f64', size: (c) => c.arcs }),
  section({ name: 'arcEdge', kind: 'u32', size: (c) => c.arcs }),
  section({ name: 'component', kind: 'u32', size: (c) => c.nodes }),
  section({ name: 'segmentVertex', kind: 'u32', size: (c) => c.segments }),
  section({ name: 'segmentEdge', kind: 'u32', size: (c) => c.segments }),
  section({ name: 'reverseOffsets', kind: 'u32', size: (c) => c.nodes + 1, aliasOf: 'offsets' }),
  section({ name: 'reverseSource', kind: 'u32', size: (c) => c.reverseArcs, aliasOf: 'target' }),
  section({ name: 'reverseLength', kind: 'f64', size: (c) => c.reverseArcs, aliasOf: 'length' }),
  section({ name: 'reverseArcEdge', kind: 'u32', size: (c) => c.reverseArcs, aliasOf: 'arcEdge' }),
  section({ name: 'edgeForwardCost', kind: 'f64', size: (c) => c.edges, aliasOf: 'edgeLength' }),
  section({ name: 'edgeBackwardCost', kind: 'f64', size: (c) => c.edges, aliasOf: 'edgeLength' }),
  section({ name: 'vertexForwardCost', kind: 'f64', size: (c) => c.vertices, aliasOf: 'vertexDistance' }),
  section({ name: 'vertexBackwardCost', kind: 'f64', size: (c) => c.vertices, aliasOf: 'vertexDistance' }),
];

/** The arrays of a graph in metres that a cost model replaces ({@link RoadGraph.withCosts}). */
export interface EdgeCosts {
  /** Walkable directions per edge for this walker (the graph's own, minus what the walker cannot use). */
  readonly edgeDirection: Uint8Array;
  readonly edgeForwardCost: Float64Array;
  readonly edgeBackwardCost: Float64Array;
  readonly vertexForwardCost: Float64Array;
  readonly vertexBackwardCost: Float64Array;
  readonly costUnit: 'min';
  readonly legCostPerM: number;
}

/** What {@link RoadGraph.fromGeoJSON} returns. */
export interface RoadGraphBuild {
  readonly graph: RoadGraph;
  /** Features that could not be used (not a line, bad coordinates), with the reason. */
  readonly rejected: Rejection[];
  /** Usable but suspicious: near-misses joined, pieces of network not joined to the rest. */
  readonly warnings: Warning[];
  readonly stats: RoadGraphStats;
}

// Header of the transferable buffer: magic, version, the counts that size every section, which
// aliased sections were written (one bit each, in GRAPH_SECTIONS order), the cost unit, and the
// leg cost per metre as a float64 in the last two words.
const MAGIC = 0x4c435247; // 'LCRG'
const VERSION = 3;
const HEADER_WORDS = 14;
const LEG_COST_WORD = 12;

// The class exposes every field of RoadGraphArrays, declared once there with its docs, and the
// constructor copies them in: declaration merging keeps the layout written in one place.
export interface RoadGraph extends RoadGraphArrays {}

/**
 * A walkable road network as a compact graph: nodes where lines meet or end, edges along the lines
 * between them (each keeping its vertices, so points can be snapped onto it and catchments can cut
 * it), and compressed sparse row (CSR) adjacency in typed arrays for shortest-path searches.
 *
 * Build it once with {@link RoadGraph.fromGeoJSON}; send it to a worker with
 * {@link RoadGraph.toTransferable} and {@link RoadGraph.fromTransferable}. A graph is immutable.
 *
 * Arcs: with one-way streets ignored (the default) every edge is an arc in both directions and the
 * reverse adjacency is the same arrays as the forward one. Searches towards facilities run on the
 * reverse adjacency, so costs are always *from* a demand point *to* a facility.
 *
 * Costs: a graph from {@link RoadGraph.fromGeoJSON} costs metres, the same both ways. A walker's
 * graph ({@link RoadGraph.withCosts}, built by `walkerGraph`) costs minutes that may differ by
 * direction (uphill, downhill, steps); the arc arrays then hold each direction's own cost.
 *
 * @example
 * const { graph, rejected, warnings } = RoadGraph.fromGeoJSON(roads, { joinToleranceM: 1 });
 * graph.nodeCount; // junctions and line ends
 * const buffer = graph.toTransferable();
 * worker.postMessage(buffer, [buffer]);
 * // in the worker: const graph = RoadGraph.fromTransferable(buffer);
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the constructor assigns every field.
export class RoadGraph {
  /** Wraps prebuilt arrays; use {@link RoadGraph.fromGeoJSON} or {@link RoadGraph.fromTransferable}. */
  constructor(arrays: RoadGraphArrays) {
    const edges = arrays.edgeFrom.length;
    const nodes = arrays.nodeCoords.length >> 1;
    if (arrays.offsets.length !== nodes + 1 || arrays.edgeVertexStart.length !== edges + 1) {
      throw new Error(
        `Road graph arrays disagree: ${nodes} nodes with ${arrays.offsets.length} offsets, ${edges} edges with ${arrays.edgeVertexStart.length} vertex starts.`,
      );
    }
    Object.assign(this, arrays);
  }

  /**
   * Builds the walkable graph of a FeatureCollection of LineString and MultiLineString roads.
   * Lines are joined where they share a coordinate, and a line end within `joinToleranceM` of
   * another line is joined to it; non-walkable lines (see `isWalkable`) are left out.
   * Features that are not lines or have bad coordinates go to `rejected`; input that is not a
   * FeatureCollection, or holds no walkable line, throws an {@link InputError}.
   *
   * @example
   * const { graph, rejected } = RoadGraph.fromGeoJSON(roads);
   * rejected; // [{ file: 'roads', index: 7, field: 'geometry', reason: 'geometry type "Point" …' }]
   */
  static fromGeoJSON(roads: unknown, options: RoadGraphOptions = {}): RoadGraphBuild {
    const { arrays, rejected, warnings, stats } = buildRoadGraphArrays(roads, options);
    return { graph: new RoadGraph(arrays), rejected, warnings, stats };
  }

  /** The graph's arrays (the fields of `RoadGraphArrays`), as a plain object. */
  arrays(): RoadGraphArrays {
    return { ...this };
  }

  /**
   * The same network with a walker's costs: the directions the walker cannot use removed and the
   * adjacency rebuilt with each arc's cost in its own direction. Geometry, segments and
   * components are shared with this graph, not copied. Build costs with `walkerCosts`.
   *
   * @example
   * const elderly = graph.withCosts(walkerCosts(graph, new WalkerSet().get('elderly')));
   * elderly.costUnit; // 'min'
   */
  withCosts(costs: EdgeCosts): RoadGraph {
    const nodes = this.nodeCount;
    const { edgeFrom, edgeTo } = this;
    const { edgeDirection, edgeForwardCost, edgeBackwardCost } = costs;
    const forward = adjacency(
      nodes,
      edgeFrom,
      edgeTo,
      edgeForwardCost,
      edgeBackwardCost,
      edgeDirection,
      false,
    );
    const directed = edgeDirection.some((d) => d !== (FORWARD | BACKWARD));
    const reverse = directed
      ? adjacency(nodes, edgeFrom, edgeTo, edgeForwardCost, edgeBackwardCost, edgeDirection, true)
      : {
          // Undirected: the reverse CSR lists the same arcs in the same order as the forward one,
          // only each arc's cost is that of walking it towards `u`.
          offsets: forward.offsets,
          other: forward.other,
          edge: forward.edge,
          length: reverseCosts(forward.offsets, forward.edge, edgeTo, edgeForwardCost, edgeBackwardCost),
        };
    return new RoadGraph({
      ...this.arrays(),
      ...costs,
      ...arcArrays(forward, reverse),
    });
  }

  /** Number of nodes (junctions and line ends). */
  get nodeCount(): number {
    return this.nodeCoords.length >> 1;
  }

  /** Number of edges (stretches of line between nodes). */
  get edgeCount(): number {
    return this.edgeFrom.length;
  }

  /** Number of segments (vertex to vertex), the items snapping looks through (segment-grid.ts). */
  get segmentCount(): number {
    return this.segmentVertex.length;
  }

  /** True when some edge can be walked one way only (one-way streets honoured, or a walker's barriers). */
  get directed(): boolean {
    return this.reverseOffsets !== this.offsets;
  }

  /** Total length of the edges in metres. */
  get totalLengthM(): number {
    let total = 0;
    for (let e = 0; e < this.edgeLength.length; e++) total += this.edgeLength[e]!;
    return total;
  }

  /** The vertices of edge `e` as `[lon, lat]` positions, from `edgeFrom[e]` to `edgeTo[e]`. */
  edgeCoordinates(e: number): [number, number][] {
    if (!(e >= 0 && e < this.edgeCount))
      throw new Error(`Edge ${e} is out of range 0…${this.edgeCount - 1}.`);
    const out: [number, number][] = [];
    for (let v = this.edgeVertexStart[e]!; v < this.edgeVertexStart[e + 1]!; v++) {
      out.push([this.vertexCoords[2 * v]!, this.vertexCoords[2 * v + 1]!]);
    }
    return out;
  }

  /**
   * The whole graph as one ArrayBuffer that can be transferred to a
   * worker; {@link RoadGraph.fromTransferable} reads it back without copying.
   */
  toTransferable(): ArrayBuffer {
    const writer = new BufferWriter(HEADER_WORDS * 4);
    let written = 0;
    GRAPH_SECTIONS.forEach((s, bit) => {
      const array = this[s.name];
      if (s.aliasOf !== undefined && array === this[s.aliasOf]) return;
      if (s.aliasOf !== undefined) written |= 1 << bit;
      writer.add(array);
    });
    const header = new Uint32Array(HEADER_WORDS);
    header.set([
      MAGIC,
      VERSION,
      this.nodeCount,
      this.edgeCount,
      this.vertexCoords.length >> 1,
      this.target.length,
      this.reverseSource.length,
      this.segmentCount,
      this.componentCount,
      0, // was the bytes of a segment index (version 2); snapping keeps its own grid
      written,
      this.costUnit === 'min' ? 1 : 0,
    ]);
    new Float64Array(header.buffer, LEG_COST_WORD * 4, 1)[0] = this.legCostPerM;
    return writer.finish(header);
  }

  /**
   * Reads a graph written by {@link RoadGraph.toTransferable}; the arrays are views of `buffer`.
   *
   * @example
   * // not-run: runs inside a Web Worker (self.onmessage)
   * self.onmessage = (event) => { const graph = RoadGraph.fromTransferable(event.data); };
   */
  static fromTransferable(buffer: ArrayBuffer): RoadGraph {
    return readGraphBuffer(buffer);
  }
}

// The graphs already copied onto shared memory, so that each is copied once however many sources
// and searches hand it to a work pool's threads.
const sharedGraphs = new WeakMap<RoadGraph, SharedArrayBuffer>();

/**
 * The graph as written by {@link RoadGraph.toTransferable}, on a SharedArrayBuffer that every thread
 * of a work pool reads in place ({@link readGraphBuffer}); made once per graph.
 */
export function sharedGraphBuffer(graph: RoadGraph): SharedArrayBuffer {
  let shared = sharedGraphs.get(graph);
  if (shared === undefined) {
    const bytes = new Uint8Array(graph.toTransferable());
    shared = new SharedArrayBuffer(bytes.byteLength);
    new Uint8Array(shared).set(bytes);
    sharedGraphs.set(graph, shared);
  }
  return shared;
}

/** {@link RoadGraph.fromTransferable}, also for the shared buffer of {@link sharedGraphBuffer}. */
export function readGraphBuffer(buffer: ArrayBuffer | SharedArrayBuffer): RoadGraph {
  // SharedArrayBuffer is missing where the page is not cross-origin isolated.
  const isBuffer =
    buffer instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer);
  if (!isBuffer || buffer.byteLength < HEADER_WORDS * 4) {
    throw new Error('RoadGraph.fromTransferable expects the ArrayBuffer written by toTransferable().');
  }
  const header = new Uint32Array(buffer, 0, HEADER_WORDS);
  if (header[0] !== MAGIC) throw new Error('RoadGraph.fromTransferable: the buffer is not a road graph.');
  if (header[1] !== VERSION) {
    throw new Error(`RoadGraph.fromTransferable: buffer version ${header[1]}, expected ${VERSION}.`);
  }
  const word = (k: number): number => header[k]!;
  const counts: SectionCounts = {
    nodes: word(2),
    edges: word(3),
    vertices: word(4),
    arcs: word(5),
    reverseArcs: word(6),
    segments: word(7),
  };
  const componentCount = word(8);
  const written = word(10);
  let at = align8(HEADER_WORDS * 4);
  const arrays: Record<string, unknown> = {};
  GRAPH_SECTIONS.forEach((s, bit) => {
    if (s.aliasOf !== undefined && !(written & (1 << bit))) {
      arrays[s.name] = arrays[s.aliasOf];
      return;
    }
    const array = view(buffer, s.kind, at, s.size(counts));
    at = align8(at + array.byteLength);
    arrays[s.name] = array;
  });
  const legCostPerM = new Float64Array(buffer, LEG_COST_WORD * 4, 1)[0]!;
  return new RoadGraph({
    ...(arrays as unknown as Omit<RoadGraphArrays, 'componentCount' | 'costUnit' | 'legCostPerM'>),
    componentCount,
    costUnit: word(11) === 1 ? 'min' : 'm',
    legCostPerM,
  });
}

/**
 * Costs of the arcs of an undirected graph's reverse CSR: the arc of edge `e` listed at node `u`
 * enters `u`, so it walks the edge forwards when `u` is its end node.
 */
function reverseCosts(
  offsets: Uint32Array,
  arcEdge: Uint32Array,
  edgeTo: Uint32Array,
  forwardCost: Float64Array,
  backwardCost: Float64Array,
): Float64Array {
  const costs = new Float64Array(arcEdge.length);
  for (let u = 0; u + 1 < offsets.length; u++) {
    for (let a = offsets[u]!; a < offsets[u + 1]!; a++) {
      const e = arcEdge[a]!;
      costs[a] = edgeTo[e] === u ? forwardCost[e]! : backwardCost[e]!;
    }
  }
  return costs;
}
