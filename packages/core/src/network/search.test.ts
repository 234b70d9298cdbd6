// The search workspace's heap (4-ary, decrease-key) against a plain reference: every node's cost
// within the bound, and its label (the seed whose walk is cheapest, ties to the smaller label), on
// random sparse graphs with many seeds, reusing one workspace as the engine does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedArb, seededRandom } from '../../test/reference.js';
import { SearchWorkspace } from './search.js';

interface CsrGraph {
  readonly nodes: number;
  readonly offsets: Uint32Array;
  readonly other: Uint32Array;
  readonly length: Float64Array;
}

/** A random directed graph in CSR form; lengths are whole metres 1…`maxLength` so that ties happen. */
function randomGraph(random: () => number, nodes: number, arcs: number, maxLength: number): CsrGraph {
  const lists: [number, number][][] = Array.from({ length: nodes }, () => []);
  for (let a = 0; a < arcs; a++) {
    const u = Math.floor(random() * nodes);
    const v = Math.floor(random() * nodes);
    lists[u]!.push([v, 1 + Math.floor(random() * maxLength)]);
  }
  const offsets = new Uint32Array(nodes + 1);
  for (let u = 0; u < nodes; u++) offsets[u + 1] = offsets[u]! + lists[u]!.length;
  const other = new Uint32Array(arcs);
  const length = new Float64Array(arcs);
  lists.flat().forEach(([v, w], a) => {
    other[a] = v;
    length[a] = w;
  });
  return { nodes, offsets, other, length };
}

/**
 * Costs and labels by repeated relaxation to a fixed point (Bellman–Ford), no heap: a node's label
 * is the smallest label among the seeds and predecessors that give its cost.
 */
function reference(
  graph: CsrGraph,
  seeds: readonly [node: number, cost: number, label: number][],
  bound: number,
): { cost: number[]; label: number[] } {
  const cost = new Array<number>(graph.nodes).fill(Number.POSITIVE_INFINITY);
  const label = new Array<number>(graph.nodes).fill(-1);
  const offer = (v: number, c: number, l: number): boolean => {
    if (c < cost[v]! || (c === cost[v]! && l < label[v]!)) {
      cost[v] = c;
      label[v] = l;
      return true;
    }
    return false;
  };
  for (const [node, c, l] of seeds) offer(node, c, l);
  for (let changed = true; changed; ) {
    changed = false;
    for (let u = 0; u < graph.nodes; u++) {
      if (!(cost[u]! <= bound)) continue;
      for (let a = graph.offsets[u]!; a < graph.offsets[u + 1]!; a++) {
        if (offer(graph.other[a]!, cost[u]! + graph.length[a]!, label[u]!)) changed = true;
      }
    }
  }
  return { cost, label };
}

describe('SearchWorkspace', () => {
  it('settles every node within the bound at its reference cost and label (random graphs, many seeds, one reused workspace)', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 60 }), (seed, seedCount) => {
        const random = seededRandom(seed);
        const nodes = 50 + Math.floor(random() * 250);
        const graph = randomGraph(random, nodes, nodes * 3, 20);
        const ws = new SearchWorkspace(nodes);
        // Two searches on one workspace: the second must not see the first's state.
        for (const bound of [15 + Math.floor(random() * 40), Number.POSITIVE_INFINITY]) {
          const seeds: [number, number, number][] = [];
          for (let k = 0; k < seedCount; k++) {
            seeds.push([Math.floor(random() * nodes), Math.floor(random() * 10), k]);
          }
          ws.reset();
          for (const [node, c, l] of seeds) ws.seed(node, c, l);
          const settled = ws.run(graph.offsets, graph.other, graph.length, bound);
          const want = reference(graph, seeds, bound);
          let within = 0;
          for (let v = 0; v < nodes; v++) {
            if (!(want.cost[v]! <= bound && want.cost[v]! < Number.POSITIVE_INFINITY)) {
              // Beyond the bound a node is unreached or holds a tentative cost above it.
              expect(ws.cost[v] === Number.POSITIVE_INFINITY || ws.cost[v]! > bound).toBe(true);
              continue;
            }
            within++;
            expect([v, ws.cost[v], ws.label[v]]).toEqual([v, want.cost[v], want.label[v]]);
          }
          expect(settled).toBe(within);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('tracks the metres of the path that gave each node its cost', () => {
    // A square 0-1-2-3 with a diagonal 0-2: costs are doubled lengths except the diagonal, which is
    // cheap to walk but long, so node 2's cheapest walk is the long one.
    const offsets = Uint32Array.from([0, 2, 3, 4, 4]);
    const other = Uint32Array.from([1, 2, 2, 3, 0]);
    const cost = Float64Array.from([2, 3, 2, 2]);
    const arcEdge = Uint32Array.from([0, 1, 2, 3]);
    const edgeLength = Float64Array.from([1, 9, 1, 1]);
    const ws = new SearchWorkspace(4);
    ws.seedTracking(0, 0, 0, 0);
    expect(ws.runTracking(offsets, other, cost, arcEdge, edgeLength, Number.POSITIVE_INFINITY)).toBe(4);
    expect(Array.from(ws.cost)).toEqual([0, 2, 3, 5]);
    expect(Array.from(ws.pathMetres)).toEqual([0, 1, 9, 10]);
  });
});
