// Node coordinates of a whole extract, kept as typed arrays in pages of 2^20: 16 bytes a node
// (a float64 id, two int32 coordinates in 1e-7 degrees) and no object per node, so tens of millions of
// nodes fit in well under a gigabyte, and growing never copies what is already stored.

const PAGE_BITS = 20;
const PAGE_SIZE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE_SIZE - 1;

/**
 * Ids in pages, looked up with a binary search (ids arrive sorted in OSM files); a subclass keeps its
 * columns in pages beside them, at the same positions.
 */
abstract class PagedIds {
  private readonly idPages: Float64Array[] = [];
  private count = 0;
  private lastId = Number.NEGATIVE_INFINITY;
  /** Positions in id order, built once on the first lookup if ids did not arrive sorted. */
  private order: Uint32Array | null = null;
  private sorted = true;

  get size(): number {
    return this.count;
  }

  /** Adds a page to each of the subclass's columns. */
  protected abstract addPages(): void;

  /** Stores `id` at the next position, which it returns. */
  protected push(id: number): number {
    const page = this.count >>> PAGE_BITS;
    if (page === this.idPages.length) {
      this.idPages.push(new Float64Array(PAGE_SIZE));
      this.addPages();
    }
    this.idPages[page]![this.count & PAGE_MASK] = id;
    if (id <= this.lastId) this.sorted = false;
    this.lastId = id;
    this.order = null;
    return this.count++;
  }

  private idAt(i: number): number {
    return this.idPages[i >>> PAGE_BITS]![i & PAGE_MASK]!;
  }

  /** The position of an id, or -1 when it was not stored. */
  find(id: number): number {
    if (!this.sorted && this.order === null) this.sortOrder();
    const order = this.order;
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = order ? order[mid]! : mid;
      const value = this.idAt(at);
      if (value === id) return at;
      if (value < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private sortOrder(): void {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => this.idAt(a) - this.idAt(b));
    this.order = order;
  }
}

/** Node ids and coordinates, looked up by id. */
export class NodeCoordinates extends PagedIds {
  private readonly lonPages: Int32Array[] = [];
  private readonly latPages: Int32Array[] = [];

  protected addPages(): void {
    this.lonPages.push(new Int32Array(PAGE_SIZE));
    this.latPages.push(new Int32Array(PAGE_SIZE));
  }

  add(id: number, lon7: number, lat7: number): void {
    const at = this.push(id);
    this.lonPages[at >>> PAGE_BITS]![at & PAGE_MASK] = lon7;
    this.latPages[at >>> PAGE_BITS]![at & PAGE_MASK] = lat7;
  }

  lon7(position: number): number {
    return this.lonPages[position >>> PAGE_BITS]![position & PAGE_MASK]!;
  }

  lat7(position: number): number {
    return this.latPages[position >>> PAGE_BITS]![position & PAGE_MASK]!;
  }
}

/**
 * Per way, the centroid of its nodes kept (int32 1e-7 degrees) and a weight: the ring's area when the
 * way is closed and wholly kept, else 0. Multipolygon relations, which come after all ways, are placed
 * from their members' entries.
 */
export class WayCentroids extends PagedIds {
  private readonly xPages: Int32Array[] = [];
  private readonly yPages: Int32Array[] = [];
  private readonly areaPages: Float64Array[] = [];

  protected addPages(): void {
    this.xPages.push(new Int32Array(PAGE_SIZE));
    this.yPages.push(new Int32Array(PAGE_SIZE));
    this.areaPages.push(new Float64Array(PAGE_SIZE));
  }

  add(id: number, x7: number, y7: number, area: number): void {
    const at = this.push(id);
    const page = at >>> PAGE_BITS;
    const slot = at & PAGE_MASK;
    this.xPages[page]![slot] = x7;
    this.yPages[page]![slot] = y7;
    this.areaPages[page]![slot] = area;
  }

  /** The way's centroid and weight, or null when it was not kept. */
  get(id: number): { x7: number; y7: number; area: number } | null {
    const at = this.find(id);
    if (at < 0) return null;
    const page = at >>> PAGE_BITS;
    const slot = at & PAGE_MASK;
    return {
      x7: this.xPages[page]![slot]!,
      y7: this.yPages[page]![slot]!,
      area: this.areaPages[page]![slot]!,
    };
  }
}
