/**
 * Shared scratch memory kept between a pool's jobs. A search on a pool writes into typed arrays on
 * SharedArrayBuffer, and a fresh one costs far more than its size suggests: the kernel maps and
 * zeroes each of its pages on first touch (a minor page fault, counted as system time, in whichever
 * thread touches it first), and its memory comes back only once every thread that saw it has
 * collected garbage, which a pool thread seldom does (a shared buffer adds nothing to a thread's
 * external-memory pressure). A run of searches thus kept asking the system for new pages:
 * on the coverage bench, one in three repetitions of six searches on two threads took 40,000 faults
 * and twice the CPU time of the others. An arena keeps the buffers a job used for scratch and hands
 * them to the next job that asks for about as much.
 *
 * Rules: an array taken from the arena is the taker's until it gives it back with
 * {@link SharedArena.release}; after that it must be neither read nor written, since the next job
 * may write the same memory. A result handed to a caller must therefore never be an arena's array:
 * {@link SharedArena.own} turns one into the caller's own array. Arrays never given back are
 * simply garbage, like any other.
 */
import { splitsWork, type WorkPool } from './pool.js';

type TypedArrayOf<T> = {
  new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T;
  BYTES_PER_ELEMENT: number;
};

/** The typed arrays an arena hands out (those with a `fill(0)`). */
type ArenaArray = ArrayBufferView & { fill(value: number): unknown; slice(): ArrayBufferView };

/**
 * What an array taken from an arena holds: zeros, or (for an array its job writes at every
 * position before reading any) whatever the buffer's last job left, which spares zeroing it.
 */
export type ScratchFill = 'zeros' | 'overwritten';

/** Free bytes an arena keeps for later jobs by default; beyond them, given-back buffers are dropped. */
export const DEFAULT_ARENA_BYTES: number = 64 * 1024 * 1024;

// A buffer serves a request of at least this share of its size (so that the six searches of a
// run, whose scratch differs by type, share buffers without one small request holding a large one).
const LEAST_USE = 0.5;
// Sizes are rounded up to an eighth of their power of two, so that requests a little apart (the
// same type's searches on another bound) take the same size.
const SIZE_STEPS = 8;

/**
 * Shared buffers kept between the jobs of one pool, handed out as zeroed typed arrays and given
 * back when the job that took them is done. Pure JavaScript (no Node or DOM API): the sources ask
 * for the arena of the pool they are given with {@link poolArena}.
 *
 * @example
 * const arena = new SharedArena();
 * const counts = arena.take(Uint32Array, 1_000_000); // zeroed, on a SharedArrayBuffer
 * // … a pool job writes counts …
 * const mine = arena.own(counts); // the caller's own copy; counts' buffer goes back to the arena
 */
export class SharedArena {
  // Buffers ready for a new job, smallest first.
  private free: SharedArrayBuffer[] = [];
  // Buffers handed out and not yet given back (weakly: one never given back is garbage).
  private readonly taken = new WeakSet<SharedArrayBuffer>();
  private freeBytesNow = 0;
  private createdCount = 0;
  private reusedCount = 0;

  constructor(
    /** Free bytes kept for later jobs at most; a buffer given back beyond them is dropped. */
    readonly maxFreeBytes: number = DEFAULT_ARENA_BYTES,
  ) {
    if (!(maxFreeBytes >= 0)) throw new Error(`maxFreeBytes must be 0 or more, got ${maxFreeBytes}.`);
  }

  /** Bytes of the buffers kept free for later jobs. */
  get freeBytes(): number {
    return this.freeBytesNow;
  }

  /** Buffers created and buffers reused since the arena was made (diagnostics, tests). */
  get counts(): { readonly created: number; readonly reused: number } {
    return { created: this.createdCount, reused: this.reusedCount };
  }

  /**
   * A typed array of `length` elements on a SharedArrayBuffer: a kept one at least that large (and
   * not more than twice), or a new one; zeroed unless `fill` is `'overwritten'` (then it holds what
   * the buffer's last job left). Its buffer may be larger than the array.
   */
  take<T extends ArenaArray>(type: TypedArrayOf<T>, length: number, fill: ScratchFill = 'zeros'): T {
    const bytes = length * type.BYTES_PER_ELEMENT;
    const at = this.free.findIndex((buffer) => buffer.byteLength >= bytes);
    let buffer: SharedArrayBuffer;
    let zeroed = false;
    if (at >= 0 && this.free[at]!.byteLength * LEAST_USE <= bytes) {
      buffer = this.free[at]!;
      this.free.splice(at, 1);
      this.freeBytesNow -= buffer.byteLength;
      this.reusedCount++;
    } else {
      buffer = new SharedArrayBuffer(roundedSize(bytes));
      zeroed = true;
      this.createdCount++;
    }
    this.taken.add(buffer);
    const array = new type(buffer, 0, length);
    if (!zeroed && fill === 'zeros') array.fill(0);
    return array;
  }

  /**
   * Gives back arrays taken from this arena: their memory may be written by the next job, so no
   * result may still refer to them. Throws for an array not taken from it, or given back twice.
   */
  release(...arrays: readonly ArrayBufferView[]): void {
    for (const array of arrays) {
      const buffer = array.buffer as SharedArrayBuffer;
      if (!this.taken.has(buffer)) {
        throw new Error(
          `An array of ${array.byteLength} bytes given back to a SharedArena that did not hand it out, or gave it back already.`,
        );
      }
      this.taken.delete(buffer);
      this.keep(buffer);
    }
  }

  /**
   * The caller's own array with the contents of `array` (taken from this arena): an ordinary copy
   * when the arena keeps its buffer for later jobs (given back here), or `array` itself when the
   * buffer is larger than the arena keeps (then forgotten by it, so never reused).
   */
  own<T extends ArenaArray>(array: T): T {
    const buffer = array.buffer as SharedArrayBuffer;
    if (!this.taken.has(buffer)) {
      throw new Error(
        `An array of ${array.byteLength} bytes not handed out by this SharedArena, or given back.`,
      );
    }
    this.taken.delete(buffer);
    if (buffer.byteLength > this.maxFreeBytes) return array;
    // slice() of a view on shared memory copies onto an ordinary ArrayBuffer.
    const copy = array.slice() as T;
    this.keep(buffer);
    return copy;
  }

  /** Drops every free buffer (they go to the garbage collector once no thread holds them). */
  clear(): void {
    this.free = [];
    this.freeBytesNow = 0;
  }

  // Keeps a given-back buffer for later jobs, dropping the largest free ones while over the budget.
  private keep(buffer: SharedArrayBuffer): void {
    const at = this.free.findIndex((kept) => kept.byteLength >= buffer.byteLength);
    this.free.splice(at < 0 ? this.free.length : at, 0, buffer);
    this.freeBytesNow += buffer.byteLength;
    while (this.freeBytesNow > this.maxFreeBytes) {
      this.freeBytesNow -= this.free.pop()!.byteLength;
    }
  }
}

// `bytes` rounded up to the next of eight steps between powers of two (at most 12.5 % more).
function roundedSize(bytes: number): number {
  if (bytes <= 4096) return Math.max(8, Math.ceil(bytes / 8) * 8);
  const step = 2 ** Math.floor(Math.log2(bytes)) / SIZE_STEPS;
  return Math.ceil(bytes / step) * step;
}

const arenas = new WeakMap<WorkPool, SharedArena>();

/**
 * The {@link SharedArena} of `pool`, made on first use and kept as long as the pool; undefined when
 * `pool` runs one thread (its searches use ordinary arrays) or the platform has no SharedArrayBuffer.
 */
export function poolArena(pool: WorkPool | undefined): SharedArena | undefined {
  if (!splitsWork(pool) || typeof SharedArrayBuffer === 'undefined') return undefined;
  let arena = arenas.get(pool);
  if (arena === undefined) {
    arena = new SharedArena();
    arenas.set(pool, arena);
  }
  return arena;
}

/**
 * A typed array of `length` for a job on `pool`: from the pool's arena when it runs several threads
 * (give it back with {@link releaseScratch}), else an ordinary new array; zeroed unless `fill` is
 * `'overwritten'` (see {@link SharedArena.take}).
 */
export function scratchArray<T extends ArenaArray>(
  type: TypedArrayOf<T> & { new (length: number): T },
  length: number,
  pool: WorkPool | undefined,
  fill: ScratchFill = 'zeros',
): T {
  const arena = poolArena(pool);
  return arena === undefined ? new type(length) : arena.take(type, length, fill);
}

/** Gives arrays of {@link scratchArray} back to `pool`'s arena (nothing when it has none). */
export function releaseScratch(pool: WorkPool | undefined, ...arrays: readonly ArrayBufferView[]): void {
  poolArena(pool)?.release(...arrays);
}

/** `array` of {@link scratchArray} as the caller's own (see {@link SharedArena.own}); itself without an arena. */
export function ownScratch<T extends ArenaArray>(pool: WorkPool | undefined, array: T): T {
  const arena = poolArena(pool);
  return arena === undefined ? array : arena.own(array);
}
