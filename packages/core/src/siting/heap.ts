/**
 * A binary max-heap of (key, item) pairs on typed arrays: the priority queue of the lazy greedy
 * (CELF). Ties go to the lower item index so that every run on the same data picks the same sites.
 */
export class MaxHeap {
  private keys: Float64Array;
  private items: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(1, capacity));
    this.items = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** Key of the top item; -Infinity when empty. */
  topKey(): number {
    return this.count > 0 ? this.keys[0]! : Number.NEGATIVE_INFINITY;
  }

  /** The top item; -1 when empty. */
  topItem(): number {
    return this.count > 0 ? this.items[0]! : -1;
  }

  clear(): void {
    this.count = 0;
  }

  push(key: number, item: number): void {
    if (this.count === this.keys.length) this.grow();
    const keys = this.keys;
    const items = this.items;
    let at = this.count++;
    // Sift up: move parents down until the new pair's place is found, then write it once.
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const pk = keys[parent]!;
      if (pk > key || (pk === key && items[parent]! < item)) break;
      keys[at] = pk;
      items[at] = items[parent]!;
      at = parent;
    }
    keys[at] = key;
    items[at] = item;
  }

  /** Removes the top pair and returns its item; -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const keys = this.keys;
    const items = this.items;
    const top = items[0]!;
    const last = --this.count;
    if (last === 0) return top;
    const key = keys[last]!;
    const item = items[last]!;
    let at = 0;
    const half = last >> 1;
    while (at < half) {
      let child = 2 * at + 1;
      const right = child + 1;
      if (
        right < last &&
        (keys[right]! > keys[child]! || (keys[right] === keys[child] && items[right]! < items[child]!))
      ) {
        child = right;
      }
      const ck = keys[child]!;
      if (key > ck || (key === ck && item < items[child]!)) break;
      keys[at] = ck;
      items[at] = items[child]!;
      at = child;
    }
    keys[at] = key;
    items[at] = item;
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const items = new Int32Array(this.items.length * 2);
    items.set(this.items);
    this.items = items;
  }
}
