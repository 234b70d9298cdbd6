/**
 * Splitting the engine's heaviest loops over several threads without the core knowing what a thread
 * is. The core names a kernel (a pure function of an input and an index range, registered in
 * `kernels.ts`), cuts its work into ranges and hands both to a {@link WorkPool}; the pool runs the
 * ranges wherever it likes (worker threads in Node, Web Workers in a browser, or one after another
 * here) and gives back each range's partial result in range order, which the core merges. Ranges
 * never share an output position, so the merged answer is the single-threaded one whatever ran where.
 */

/** A half-open index range `[from, to)` of a kernel's work (demand groups, targets). */
export type KernelRange = readonly [from: number, to: number];

/**
 * What a kernel is given: plain objects of numbers, booleans, strings and typed arrays (anything
 * structured clone copies). Typed arrays on a SharedArrayBuffer are shared with every thread, so
 * a kernel's outputs live there and the inputs it reads often, to spare a copy per thread.
 */
export type KernelInput = object;

/**
 * Runs named kernels over ranges, synchronously, on one or more threads. The engine's searches
 * stay synchronous functions: a pool blocks the calling thread (which takes ranges too) until every
 * range has run. Given to the distance sources through their options (`pool`).
 */
export interface WorkPool {
  /** Threads that run ranges, the calling one included (1 runs everything in place). */
  readonly threads: number;
  /**
   * Runs kernel `name` on `input` once per range and returns the partial results in the order of
   * `ranges`. Outputs a kernel writes into `input` must be on SharedArrayBuffer (see `sharedArray`).
   */
  run<Part>(name: string, input: KernelInput, ranges: readonly KernelRange[]): Part[];
}

/** How many ranges per thread the sources cut their work into: uneven ranges even out when there are several per thread. */
export const RANGES_PER_THREAD = 8;

/**
 * How many ranges to cut a kernel's work into on `pool`: `perThread` for each of its threads (by
 * default {@link RANGES_PER_THREAD}), so that a thread slowed by uneven ranges or another process
 * leaves the rest to the others.
 */
export function rangeCount(pool: WorkPool, perThread: number = RANGES_PER_THREAD): number {
  return pool.threads * perThread;
}

/**
 * Whether `pool` splits a job over two or more threads. Without a pool, or on a pool of one thread,
 * a job runs on the calling thread as one range, on ordinary memory; every search and kernel takes
 * that choice here, so that one pool means the same everywhere.
 */
export function splitsWork(pool: WorkPool | undefined): pool is WorkPool {
  return pool !== undefined && pool.threads >= 2;
}

type TypedArrayOf<T> = {
  new (buffer: ArrayBufferLike): T;
  new (length: number): T;
  BYTES_PER_ELEMENT: number;
};

/**
 * A typed array of `length` elements, on a SharedArrayBuffer when `pool` runs more than one thread
 * (so every thread reads and writes the same memory) and on an ordinary buffer otherwise.
 */
export function sharedArray<T>(type: TypedArrayOf<T>, length: number, pool: WorkPool | undefined): T {
  if (!splitsWork(pool)) return new type(length);
  return new type(new SharedArrayBuffer(length * type.BYTES_PER_ELEMENT));
}

/**
 * `data` with every typed array among its own properties copied onto a SharedArrayBuffer when
 * `pool` runs more than one thread, so that handing it to the pool's threads shares those arrays
 * instead of copying them on every job. Arrays already shared are kept; properties that held the
 * same array still do. Other properties are kept as they are.
 */
export function onSharedMemory<T extends object>(data: T, pool: WorkPool | undefined): T {
  if (!splitsWork(pool) || typeof SharedArrayBuffer === 'undefined') return data;
  const copies = new Map<unknown, unknown>();
  const shared: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  for (const [key, value] of Object.entries(data)) {
    if (!ArrayBuffer.isView(value) || value instanceof DataView) continue;
    if (value.buffer instanceof SharedArrayBuffer) continue;
    let copy = copies.get(value);
    if (copy === undefined) {
      const type = value.constructor as new (buffer: SharedArrayBuffer) => { set(from: unknown): void };
      const array = new type(new SharedArrayBuffer(value.byteLength));
      array.set(value);
      copy = array;
      copies.set(value, copy);
    }
    shared[key] = copy;
  }
  return shared as T;
}

/**
 * Cuts `[0, weightStart.length - 1)` into about `parts` ranges of similar weight, where item `i`
 * weighs `weightStart[i + 1] - weightStart[i]`, cutting only before items where `mayCutBefore`
 * allows (the great-circle source keeps each owner's groups in one range).
 */
export function balancedRanges(
  weightStart: ArrayLike<number>,
  parts: number,
  mayCutBefore: (item: number) => boolean = () => true,
): KernelRange[] {
  const items = weightStart.length - 1;
  if (items <= 0) return [];
  const total = weightStart[items]! - weightStart[0]!;
  const ranges: KernelRange[] = [];
  let from = 0;
  for (let i = 1; i < items; i++) {
    const due = weightStart[0]! + (total * (ranges.length + 1)) / Math.max(1, parts);
    if (weightStart[i]! >= due && mayCutBefore(i)) {
      ranges.push([from, i]);
      from = i;
    }
  }
  ranges.push([from, items]);
  return ranges;
}

/**
 * `[0, items)` cut into ranges that shrink as the work runs out, as OpenMP's `schedule(guided)`:
 * each range takes 1 / (2 × `threads`) of the items still left, and at least `smallest` items. A
 * pool's threads take ranges in order as they come free, so they finish within about one of the
 * last, small ranges of each other, while the early ranges stay long (long runs of neighbouring
 * items, few setups). Equal ranges ({@link evenRanges}) leave a thread idle for up to a whole
 * range at the end of every job.
 *
 * @example
 * guidedRanges(100, 2, 8); // [[0, 25], [25, 44], [44, 58], [58, 69], [69, 77], [77, 85], [85, 93], [93, 100]]
 */
export function guidedRanges(items: number, threads: number, smallest = 1): KernelRange[] {
  const share = 2 * Math.max(1, Math.floor(threads));
  const least = Math.max(1, Math.floor(smallest));
  const ranges: KernelRange[] = [];
  for (let from = 0; from < items; ) {
    const to = Math.min(items, from + Math.max(least, Math.ceil((items - from) / share)));
    ranges.push([from, to]);
    from = to;
  }
  return ranges;
}

/** `[0, items)` cut into `parts` ranges of nearly equal length (fewer when there are fewer items). */
export function evenRanges(items: number, parts: number): KernelRange[] {
  const count = Math.max(1, Math.min(items, Math.floor(parts)));
  const ranges: KernelRange[] = [];
  for (let r = 0; r < count; r++) {
    const from = Math.floor((items * r) / count);
    const to = Math.floor((items * (r + 1)) / count);
    if (to > from) ranges.push([from, to]);
  }
  return ranges;
}
