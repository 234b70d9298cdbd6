/**
 * The typed arrays a `RoadGraph` (graph.ts) is made of, and its cost unit: the one declaration of the
 * graph's layout. The class exposes exactly these fields; `GRAPH_SECTIONS` (graph.ts) says how each array
 * is sized and packed into the transferable buffer, and is checked against this interface.
 */
export interface RoadGraphArrays {
  /** Node positions, interleaved `[lon0, lat0, lon1, lat1, …]`. */
  readonly nodeCoords: Float64Array;
  /** Start node of each edge (its first vertex). */
  readonly edgeFrom: Uint32Array;
  /** End node of each edge (its last vertex). */
  readonly edgeTo: Uint32Array;
  /** Length of each edge in metres: the sum of the haversine lengths of its segments. */
  readonly edgeLength: Float64Array;
  /**
   * Walkable directions per edge: `FORWARD` (1) | `BACKWARD` (2), see `tags.ts`. In a graph with a
   * walker's costs (`RoadGraph.withCosts`) a direction the walker cannot use is cleared.
   */
  readonly edgeDirection: Uint8Array;
  /** Index of the input feature each edge came from. */
  readonly edgeFeature: Uint32Array;
  /** What kind of way each edge is, as bits: `STEPS`, `RAISED_KERB`, `NO_WHEELCHAIR` (see `tags.ts`). */
  readonly edgeKind: Uint8Array;
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
  /** Cost (see `costUnit`) of each forward arc: walking it from its tail to its head. */
  readonly length: Float64Array;
  /** Edge of each forward arc. */
  readonly arcEdge: Uint32Array;
  /** Reverse CSR: arcs entering node `u`; the same arrays as the forward CSR when undirected. */
  readonly reverseOffsets: Uint32Array;
  /** Tail node of each reverse arc. */
  readonly reverseSource: Uint32Array;
  /**
   * Cost of each reverse arc, walking it from its tail to `u`: the forward `length` array when costs
   * do not depend on the direction, its own array when they do (slopes).
   */
  readonly reverseLength: Float64Array;
  readonly reverseArcEdge: Uint32Array;
  /** Connected component of each node (ignoring one-way restrictions), numbered from 0. */
  readonly component: Uint32Array;
  readonly componentCount: number;
  /** Segment `s` runs from vertex `segmentVertex[s]` to the next vertex of edge `segmentEdge[s]`. */
  readonly segmentVertex: Uint32Array;
  readonly segmentEdge: Uint32Array;
  /** Cost of walking each edge from its start to its end (`edgeLength` in a graph in metres). */
  readonly edgeForwardCost: Float64Array;
  /** Cost of walking each edge from its end to its start (`edgeLength` in a graph in metres). */
  readonly edgeBackwardCost: Float64Array;
  /** Cost from the edge's start to each vertex, walking forward (`vertexDistance` in metres). */
  readonly vertexForwardCost: Float64Array;
  /** Cost from each vertex back to the edge's start, walking backward (`vertexDistance` in metres). */
  readonly vertexBackwardCost: Float64Array;
  /** Unit of every cost: metres, or minutes in a graph with a walker's costs. */
  readonly costUnit: 'm' | 'min';
  /** Cost of one metre walked off the network (a snap leg): 1 in metres, 1 ÷ the walker's flat speed in minutes. */
  readonly legCostPerM: number;
}
