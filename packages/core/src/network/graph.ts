import Flatbush from 'flatbush';
import type { Rejection, Warning } from '../validate/problems.js';
import { buildRoadGraphArrays, type RoadGraphOptions, type RoadGraphStats } from './build.js';
import { BufferWriter, view } from './layout.js';

/** The typed arrays a {@link RoadGraph} is made of (see the field docs on the class). */
export interface RoadGraphArrays {
  readonly nodeCoords: Float64Array;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly edgeLength: Float64Array;
  readonly edgeDirection: Uint8Array;
  readonly edgeFeature: Uint32Array;
  readonly edgeVertexStart: Uint32Array;
  readonly vertexCoords: Float64Array;
  readonly vertexDistance: Float64Array;
  readonly offsets: Uint32Array;
  readonly target: Uint32Array;
  readonly length: Float64Array;
  readonly arcEdge: Uint32Array;
  readonly reverseOffsets: Uint32Array;
  readonly reverseSource: Uint32Array;
  readonly reverseLength: Float64Array;
  readonly reverseArcEdge: Uint32Array;
  readonly component: Uint32Array;
  readonly componentCount: number;
  readonly segmentVertex: Uint32Array;
  readonly segmentEdge: Uint32Array;
  readonly segmentIndex: Flatbush;
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

// Header of the transferable buffer: magic, version, then the counts that size every section.
const MAGIC = 0x4c435247; // 'LCRG'
const VERSION = 1;
const HEADER_WORDS = 12;

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
 * @example
 * const { graph, rejected, warnings } = RoadGraph.fromGeoJSON(roads, { joinToleranceM: 1 });
 * graph.nodeCount; // junctions and line ends
 * const buffer = graph.toTransferable();
 * worker.postMessage(buffer, [buffer]);
 * // in the worker: const graph = RoadGraph.fromTransferable(buffer);
 */
export class RoadGraph {
  /** Node positions, interleaved `[lon0, lat0, lon1, lat1, …]`. */
  readonly nodeCoords: Float64Array;
  /** Start node of each edge (its first vertex). */
  readonly edgeFrom: Uint32Array;
  /** End node of each edge (its last vertex). */
  readonly edgeTo: Uint32Array;
  /** Length of each edge in metres: the sum of the haversine lengths of its segments. */
  readonly edgeLength: Float64Array;
  /** Walkable directions per edge: `FORWARD` (1) | `BACKWARD` (2), see `tags.ts`. */
  readonly edgeDirection: Uint8Array;
  /** Index of the input feature each edge came from. */
  readonly edgeFeature: Uint32Array;
  /** Vertices of edge `e` are `edgeVertexStart[e] … edgeVertexStart[e + 1] - 1`; length edges + 1. */
  readonly edgeVertexStart: Uint32Array;
  /** Vertex positions of all edges, interleaved lon/lat; an edge's first and last are its nodes. */
  readonly vertexCoords: Float64Array;
  /** Metres from the edge's start to each vertex along the edge. */
  readonly vertexDistance: Float64Array;
  /** Forward CSR: arcs leaving node `u` are `offsets[u] … offsets[u + 1] - 1`. */
  readonly offsets: Uint32Array;
  /** Head node of each forward arc. */
  readonly target: Uint32Array;
  /** Length in metres of each forward arc. */
  readonly length: Float64Array;
  /** Edge of each forward arc. */
  readonly arcEdge: Uint32Array;
  /** Reverse CSR: arcs entering node `u`; the same arrays as the forward CSR when undirected. */
  readonly reverseOffsets: Uint32Array;
  /** Tail node of each reverse arc. */
  readonly reverseSource: Uint32Array;
  readonly reverseLength: Float64Array;
  readonly reverseArcEdge: Uint32Array;
  /** Connected component of each node (ignoring one-way restrictions), numbered from 0. */
  readonly component: Uint32Array;
  readonly componentCount: number;
  /** Segment `s` runs from vertex `segmentVertex[s]` to the next vertex of edge `segmentEdge[s]`. */
  readonly segmentVertex: Uint32Array;
  readonly segmentEdge: Uint32Array;
  /** Flatbush index of the segments' boxes (lon/lat degrees), for snapping. */
  readonly segmentIndex: Flatbush;

  /** Wraps prebuilt arrays; use {@link RoadGraph.fromGeoJSON} or {@link RoadGraph.fromTransferable}. */
  constructor(arrays: RoadGraphArrays) {
    const edges = arrays.edgeFrom.length;
    const nodes = arrays.nodeCoords.length >> 1;
    if (arrays.offsets.length !== nodes + 1 || arrays.edgeVertexStart.length !== edges + 1) {
      throw new Error(
        `Road graph arrays disagree: ${nodes} nodes with ${arrays.offsets.length} offsets, ${edges} edges with ${arrays.edgeVertexStart.length} vertex starts.`,
      );
    }
    this.nodeCoords = arrays.nodeCoords;
    this.edgeFrom = arrays.edgeFrom;
    this.edgeTo = arrays.edgeTo;
    this.edgeLength = arrays.edgeLength;
    this.edgeDirection = arrays.edgeDirection;
    this.edgeFeature = arrays.edgeFeature;
    this.edgeVertexStart = arrays.edgeVertexStart;
    this.vertexCoords = arrays.vertexCoords;
    this.vertexDistance = arrays.vertexDistance;
    this.offsets = arrays.offsets;
    this.target = arrays.target;
    this.length = arrays.length;
    this.arcEdge = arrays.arcEdge;
    this.reverseOffsets = arrays.reverseOffsets;
    this.reverseSource = arrays.reverseSource;
    this.reverseLength = arrays.reverseLength;
    this.reverseArcEdge = arrays.reverseArcEdge;
    this.component = arrays.component;
    this.componentCount = arrays.componentCount;
    this.segmentVertex = arrays.segmentVertex;
    this.segmentEdge = arrays.segmentEdge;
    this.segmentIndex = arrays.segmentIndex;
  }

  /**
   * Builds the walkable graph of a FeatureCollection of LineString and MultiLineString roads.
   * Lines are joined where they share a coordinate, and a line end within `joinToleranceM` of
   * another line is joined to it; non-walkable lines (see {@link isWalkable}) are left out.
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

  /** Number of nodes (junctions and line ends). */
  get nodeCount(): number {
    return this.nodeCoords.length >> 1;
  }

  /** Number of edges (stretches of line between nodes). */
  get edgeCount(): number {
    return this.edgeFrom.length;
  }

  /** Number of segments (vertex to vertex), the items of the snapping index. */
  get segmentCount(): number {
    return this.segmentVertex.length;
  }

  /** True when some edge can be walked one way only (one-way streets honoured). */
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
   * The whole graph, snapping index included, as one ArrayBuffer that can be transferred to a
   * worker; {@link RoadGraph.fromTransferable} reads it back without copying.
   */
  toTransferable(): ArrayBuffer {
    const writer = new BufferWriter(HEADER_WORDS * 4);
    const sections = [
      this.nodeCoords,
      this.edgeFrom,
      this.edgeTo,
      this.edgeLength,
      this.edgeDirection,
      this.edgeFeature,
      this.edgeVertexStart,
      this.vertexCoords,
      this.vertexDistance,
      this.offsets,
      this.target,
      this.length,
      this.arcEdge,
      this.component,
      this.segmentVertex,
      this.segmentEdge,
    ];
    for (const section of sections) writer.add(section);
    if (this.directed) {
      for (const section of [
        this.reverseOffsets,
        this.reverseSource,
        this.reverseLength,
        this.reverseArcEdge,
      ]) {
        writer.add(section);
      }
    }
    const index = this.segmentIndex.data as ArrayBuffer;
    writer.add(index);
    const header = Uint32Array.from([
      MAGIC,
      VERSION,
      this.nodeCount,
      this.edgeCount,
      this.vertexCoords.length >> 1,
      this.target.length,
      this.directed ? this.reverseSource.length : 0,
      this.directed ? 1 : 0,
      this.componentCount,
      this.segmentCount,
      index.byteLength,
      0,
    ]);
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
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < HEADER_WORDS * 4) {
      throw new Error('RoadGraph.fromTransferable expects the ArrayBuffer written by toTransferable().');
    }
    const header = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (header[0] !== MAGIC) throw new Error('RoadGraph.fromTransferable: the buffer is not a road graph.');
    if (header[1] !== VERSION) {
      throw new Error(`RoadGraph.fromTransferable: buffer version ${header[1]}, expected ${VERSION}.`);
    }
    const word = (k: number): number => header[k]!;
    const nodes = word(2);
    const edges = word(3);
    const vertices = word(4);
    const arcs = word(5);
    const reverseArcs = word(6);
    const directed = word(7);
    const componentCount = word(8);
    const segments = word(9);
    const indexBytes = word(10);
    let at = (HEADER_WORDS * 4 + 7) & ~7;
    const take = <T extends { byteLength: number }>(make: (offset: number) => T): T => {
      const array = make(at);
      at = (at + array.byteLength + 7) & ~7;
      return array;
    };
    const nodeCoords = take((o) => view(buffer, 'f64', o, 2 * nodes));
    const edgeFrom = take((o) => view(buffer, 'u32', o, edges));
    const edgeTo = take((o) => view(buffer, 'u32', o, edges));
    const edgeLength = take((o) => view(buffer, 'f64', o, edges));
    const edgeDirection = take((o) => view(buffer, 'u8', o, edges));
    const edgeFeature = take((o) => view(buffer, 'u32', o, edges));
    const edgeVertexStart = take((o) => view(buffer, 'u32', o, edges + 1));
    const vertexCoords = take((o) => view(buffer, 'f64', o, 2 * vertices));
    const vertexDistance = take((o) => view(buffer, 'f64', o, vertices));
    const offsets = take((o) => view(buffer, 'u32', o, nodes + 1));
    const target = take((o) => view(buffer, 'u32', o, arcs));
    const length = take((o) => view(buffer, 'f64', o, arcs));
    const arcEdge = take((o) => view(buffer, 'u32', o, arcs));
    const component = take((o) => view(buffer, 'u32', o, nodes));
    const segmentVertex = take((o) => view(buffer, 'u32', o, segments));
    const segmentEdge = take((o) => view(buffer, 'u32', o, segments));
    let reverse = {
      reverseOffsets: offsets,
      reverseSource: target,
      reverseLength: length,
      reverseArcEdge: arcEdge,
    };
    if (directed === 1) {
      reverse = {
        reverseOffsets: take((o) => view(buffer, 'u32', o, nodes + 1)),
        reverseSource: take((o) => view(buffer, 'u32', o, reverseArcs)),
        reverseLength: take((o) => view(buffer, 'f64', o, reverseArcs)),
        reverseArcEdge: take((o) => view(buffer, 'u32', o, reverseArcs)),
      };
    }
    if (at + indexBytes > buffer.byteLength) {
      throw new Error(`RoadGraph.fromTransferable: the buffer is truncated (${buffer.byteLength} bytes).`);
    }
    const segmentIndex = Flatbush.from(buffer, at);
    return new RoadGraph({
      nodeCoords,
      edgeFrom,
      edgeTo,
      edgeLength,
      edgeDirection,
      edgeFeature,
      edgeVertexStart,
      vertexCoords,
      vertexDistance,
      offsets,
      target,
      length,
      arcEdge,
      ...reverse,
      component,
      componentCount,
      segmentVertex,
      segmentEdge,
      segmentIndex,
    });
  }
}
