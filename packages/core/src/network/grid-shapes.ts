// Polygons drawn on a grid: the cells within a buffer of some lines, traced into rings with holes.
// Used for catchments, where it is fast at any size and gives non-overlapping shapes when each cell
// goes to one facility; @turf/buffer cannot do the second and takes minutes on a city.
import type { Position } from 'geojson';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';

/** A grid of `cellM` cells in a local equirectangular frame; cell keys are `y · cols + x`. */
interface Frame {
  readonly lon0: number;
  readonly lat0: number;
  readonly kx: number;
  readonly ky: number;
  readonly cellM: number;
  readonly cols: number;
}

function frameOf(lines: readonly (readonly Position[])[], margin: number, cellM: number): Frame {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const line of lines) {
    for (const p of line) {
      minX = Math.min(minX, p[0]!);
      maxX = Math.max(maxX, p[0]!);
      minY = Math.min(minY, p[1]!);
      maxY = Math.max(maxY, p[1]!);
    }
  }
  // One scale for the whole frame, at the middle latitude: across a 50 km county it is off by
  // 0.3% at the edges, a few centimetres on a 25 m buffer.
  const kx = metresPerDegreeLon((minY + maxY) / 2);
  const ky = METRES_PER_DEGREE;
  // Two spare cells on every side keep every used cell's neighbours inside the frame.
  const pad = margin + 2 * cellM;
  const cols = Math.ceil(((maxX - minX) * kx + 2 * pad) / cellM) + 1;
  const rows = Math.ceil(((maxY - minY) * ky + 2 * pad) / cellM) + 1;
  if (cols * rows > 2 ** 52)
    throw new Error(`A ${cellM} m grid over these streets has too many cells; use a larger cellM.`);
  return { lon0: minX - pad / kx, lat0: minY - pad / ky, kx, ky, cellM, cols };
}

/**
 * Calls `visit(cell, cost)` for every cell whose centre lies within `bufferM` of the line, with
 * the cost of walking from the centre: the leg to the nearest point of the line plus the line's
 * cost there.
 */
function rasterizeLine(
  gridLine: GridLine,
  frame: Frame,
  bufferM: number,
  visit: (cell: number, cost: number) => void,
): void {
  const { lon0, lat0, kx, ky, cellM, cols } = frame;
  const { line, cost: cost0, slope } = gridLine;
  const legCostPerM = gridLine.legCostPerM ?? 1;
  const buffer2 = bufferM * bufferM;
  let along = 0;
  for (let s = 0; s + 1 < line.length; s++) {
    const ax = (line[s]![0]! - lon0) * kx;
    const ay = (line[s]![1]! - lat0) * ky;
    const bx = (line[s + 1]![0]! - lon0) * kx;
    const by = (line[s + 1]![1]! - lat0) * ky;
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const len = Math.sqrt(len2);
    const x0 = Math.floor((Math.min(ax, bx) - bufferM) / cellM);
    const x1 = Math.floor((Math.max(ax, bx) + bufferM) / cellM);
    const y0 = Math.floor((Math.min(ay, by) - bufferM) / cellM);
    const y1 = Math.floor((Math.max(ay, by) + bufferM) / cellM);
    for (let cy = y0; cy <= y1; cy++) {
      const py = (cy + 0.5) * cellM;
      for (let cx = x0; cx <= x1; cx++) {
        const px = (cx + 0.5) * cellM;
        let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
        if (t < 0) t = 0;
        else if (t > 1) t = 1;
        const fx = ax + t * dx - px;
        const fy = ay + t * dy - py;
        const d2 = fx * fx + fy * fy;
        if (d2 > buffer2) continue;
        visit(cy * cols + cx, Math.sqrt(d2) * legCostPerM + cost0 + slope * (along + t * len));
      }
    }
    along += len;
  }
}

/**
 * Dense ids for integer keys (cell and grid-vertex numbers below 2^53), by open addressing in typed
 * arrays: the grid touches hundreds of thousands of cells, and a `Map` with double keys spends most
 * of the drawing time hashing and collecting garbage.
 */
class KeyIndex {
  /** Keys by id, in insertion order. */
  keys: Float64Array = new Float64Array(1024);
  size = 0;
  private slots: Int32Array = new Int32Array(2048).fill(-1);

  /** The id of `key`, or -1. */
  get(key: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hashKey(key) & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id < 0 || this.keys[id] === key) return id;
    }
  }

  /** The id of `key`, added when new (then `size` grows by one). */
  add(key: number): number {
    const mask = this.slots.length - 1;
    let slot = hashKey(key) & mask;
    for (; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot]!;
      if (id < 0) break;
      if (this.keys[id] === key) return id;
    }
    const id = this.size++;
    if (id === this.keys.length) {
      const grown = new Float64Array(2 * id);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[id] = key;
    this.slots[slot] = id;
    if (2 * this.size > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length).fill(-1);
    const mask = slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = hashKey(this.keys[id]!) & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

function hashKey(key: number): number {
  const h = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 4294967296), 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Cells of a grid drawing: ids from a {@link KeyIndex}, with the owning label and cost per id. */
class CellOwners {
  readonly index: KeyIndex = new KeyIndex();
  label: Int32Array = new Int32Array(1024);
  cost: Float64Array = new Float64Array(1024);

  /** Gives `cell` to `label` when it has no owner yet or `cost` is cheaper (ties to the lower label). */
  offer(cell: number, label: number, cost: number): void {
    const before = this.index.size;
    const id = this.index.add(cell);
    if (id === before) {
      if (id === this.label.length) {
        const label2 = new Int32Array(2 * id);
        label2.set(this.label);
        this.label = label2;
        const cost2 = new Float64Array(2 * id);
        cost2.set(this.cost);
        this.cost = cost2;
      }
      this.label[id] = label;
      this.cost[id] = cost;
    } else if (cost < this.cost[id]! || (cost === this.cost[id]! && label < this.label[id]!)) {
      this.label[id] = label;
      this.cost[id] = cost;
    }
  }

  ownerOf(cell: number): number {
    const id = this.index.get(cell);
    return id < 0 ? -2 : this.label[id]!;
  }
}

/** A reached stretch of street as a line, with the walking cost at its start and its slope (+1 or -1). */
export interface GridLine {
  readonly line: readonly Position[];
  readonly cost: number;
  readonly slope: number;
  /** Cost of a metre of the leg from a cell to the line (a walker's minutes per metre); default 1. */
  readonly legCostPerM?: number;
}

/**
 * Polygons drawn on a grid of `cellM` cells, per label: a cell belongs to a label's shape when its
 * centre lies within `bufferM` of one of the label's lines. With `exclusive`, each cell goes to the
 * single label with the cheapest walk from its centre (the leg to the line plus the cost along it,
 * ties to the lower label), so shapes never overlap. Cells live in a hash table, so only the cells
 * near the lines cost memory, whatever the extent of the network. Labels without a cell are absent.
 *
 * @example
 * const shapes = gridPolygons(new Map([[0, [{ line, cost: 0, slope: 0 }]]]), 25, 5, false);
 * shapes.get(0); // [[outer ring, …holes]] as lon/lat positions
 */
export function gridPolygons(
  groups: ReadonlyMap<number, readonly GridLine[]>,
  bufferM: number,
  cellM: number,
  exclusive: boolean,
): Map<number, Position[][][]> {
  const out = new Map<number, Position[][][]>();
  const lines = [...groups.values()].flat();
  if (lines.length === 0) return out;
  const frame = frameOf(
    lines.map((l) => l.line),
    bufferM,
    cellM,
  );
  const emit = (label: number, cells: CellOwners, mine: ArrayLike<number>) => {
    const polygons = traceCells(cells, label, mine, frame);
    if (polygons.length > 0) out.set(label, polygons);
  };
  if (!exclusive) {
    for (const [label, group] of groups) {
      const cells = new CellOwners();
      for (const l of group) rasterizeLine(l, frame, bufferM, (cell) => cells.offer(cell, label, 0));
      emit(label, cells, cells.index.keys.subarray(0, cells.index.size));
    }
    return out;
  }
  const cells = new CellOwners();
  for (const [label, group] of groups) {
    for (const l of group) rasterizeLine(l, frame, bufferM, (cell, cost) => cells.offer(cell, label, cost));
  }
  const cellsOf = new Map<number, number[]>();
  for (let id = 0; id < cells.index.size; id++) {
    const label = cells.label[id]!;
    const list = cellsOf.get(label);
    if (list) list.push(cells.index.keys[id]!);
    else cellsOf.set(label, [cells.index.keys[id]!]);
  }
  for (const label of groups.keys()) emit(label, cells, cellsOf.get(label) ?? []);
  return out;
}

// Directions of boundary edges on the cell grid: east, north, west, south.
const DX = [1, 0, -1, 0] as const;
const DY = [0, 1, 0, -1] as const;
// Preferred turns at a grid vertex: left, straight on, right.
const TURNS = [1, 0, 3] as const;

/**
 * Polygons (outer ring first, then holes; outer rings counter-clockwise, holes clockwise, as
 * GeoJSON's right-hand rule wants) covering the cells `mine`, those owned by `label`. Boundary
 * edges keep the region on their left; at a vertex where two cells of the region touch only
 * diagonally the walk turns left, so the cells count as separate and no ring crosses itself.
 */
function traceCells(cells: CellOwners, label: number, mine: ArrayLike<number>, frame: Frame): Position[][][] {
  const { cols } = frame;
  const is = (x: number, y: number) => cells.ownerOf(y * cols + x) === label;
  // Boundary edges leaving each grid vertex, as direction bits (low four) and walked bits (high four).
  const vertices = new KeyIndex();
  let bits = new Uint8Array(1024);
  const vertex = (x: number, y: number) => y * (cols + 1) + x;
  const add = (x: number, y: number, dir: number) => {
    const id = vertices.add(vertex(x, y));
    if (id >= bits.length) {
      const grown = new Uint8Array(2 * bits.length);
      grown.set(bits);
      bits = grown;
    }
    bits[id]! |= 1 << dir;
  };
  for (let i = 0; i < mine.length; i++) {
    const cell = mine[i]!;
    const x = cell % cols;
    const y = (cell - x) / cols;
    if (!is(x, y - 1)) add(x, y, 0);
    if (!is(x + 1, y)) add(x + 1, y, 1);
    if (!is(x, y + 1)) add(x + 1, y + 1, 2);
    if (!is(x - 1, y)) add(x, y + 1, 3);
  }
  // Start rings at vertices in key order, so the output does not depend on the order cells came in.
  const order = Array.from({ length: vertices.size }, (_, id) => id).sort(
    (a, b) => vertices.keys[a]! - vertices.keys[b]!,
  );
  const rings: [number, number][][] = [];
  for (const startId of order) {
    for (let first = 0; first < 4; first++) {
      if (!(bits[startId]! & (1 << first)) || bits[startId]! & (16 << first)) continue;
      const start = vertices.keys[startId]!;
      let x = start % (cols + 1);
      let y = (start - x) / (cols + 1);
      let id = startId;
      let dir = first;
      let previous = -1;
      const ring: [number, number][] = [];
      for (;;) {
        bits[id]! |= 16 << dir;
        if (dir !== previous) ring.push([x, y]);
        previous = dir;
        x += DX[dir]!;
        y += DY[dir]!;
        // Every boundary vertex has as many edges in as out; at a diagonal touch there are two of
        // each, and the left turn pairs them so that the touching cells stay separate rings.
        id = vertices.get(vertex(x, y));
        const next = id < 0 ? 0 : bits[id]!;
        let chosen = -1;
        for (const turn of TURNS) {
          if (next & (1 << ((dir + turn) % 4))) {
            chosen = (dir + turn) % 4;
            break;
          }
        }
        if (chosen < 0 || next & (16 << chosen)) break;
        dir = chosen;
      }
      // The walk began on the first edge; its start is a corner only if the last edge turned into it.
      if (previous === first) ring.shift();
      ring.push(ring[0]!);
      rings.push(ring);
    }
  }
  const area = (ring: [number, number][]) => {
    let a = 0;
    for (let i = 0; i + 1 < ring.length; i++)
      a += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
    return a / 2;
  };
  const outers = rings
    .filter((r) => area(r) > 0)
    .map((r) => ({ ring: r, area: area(r), holes: [] as [number, number][][] }));
  for (const hole of rings.filter((r) => area(r) < 0)) {
    // A hole belongs to the smallest outer ring that contains it; test the middle of the cell just
    // inside the hole, to the right of its first edge.
    const [x0, y0] = hole[0]!;
    const [x1, y1] = hole[1]!;
    const px = x0 + Math.sign(x1 - x0) * 0.5 + Math.sign(y1 - y0) * 0.5;
    const py = y0 + Math.sign(y1 - y0) * 0.5 - Math.sign(x1 - x0) * 0.5;
    let home: (typeof outers)[number] | undefined;
    for (const outer of outers) {
      if (insideRing(outer.ring, px, py) && (!home || outer.area < home.area)) home = outer;
    }
    home?.holes.push(hole);
  }
  const { lon0, lat0, kx, ky, cellM } = frame;
  const toPosition = ([vx, vy]: [number, number]): Position => [
    lon0 + (vx * cellM) / kx,
    lat0 + (vy * cellM) / ky,
  ];
  return outers.map((o) => [o.ring, ...o.holes].map((ring) => ring.map(toPosition)));
}

function insideRing(ring: readonly [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
