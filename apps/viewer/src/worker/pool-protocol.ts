import type { KernelInput, KernelRange } from '@lifecircle/core/internal';
// What the analysis worker's pool (pool.ts) and its pool workers (pool.worker.ts) say to each other,
// and the encoding of a range's result into shared memory. The analysis worker waits for a job with
// Atomics.wait, so it cannot receive messages meanwhile: each pool worker writes its results into a
// mailbox on a SharedArrayBuffer instead, and the analysis worker decodes them after waking.

/** Positions in the pool's shared state words (`Int32Array` on a SharedArrayBuffer). */
export const POOL_STATE = {
  /** Pool workers that have finished the current job (their mailboxes are written). */
  finished: 0,
  /**
   * 1 + index of the first pool worker that failed outside its kernels (an error its job could not
   * send back, an uncaught error or rejection), its message in its mailbox; 0 while all run.
   */
  failedWorker: 1,
  words: 2,
} as const;

/** Positions in a mailbox's header words (`Int32Array` over its first bytes). */
const MAILBOX = {
  /** 0: the results follow; 1: they need a mailbox of `bytes` bytes (the worker waits for one). */
  status: 0,
  /** Length of the JSON shape in bytes. */
  shapeBytes: 1,
  /** Total bytes the encoded results take, header included. */
  bytes: 2,
  words: 4,
} as const;
const HEADER_BYTES = MAILBOX.words * Int32Array.BYTES_PER_ELEMENT;

/** A mailbox's first size: the results of most kernels (counts, pairs of small ranges) fit in it. */
export const MAILBOX_BYTES = 1 << 20;

/** The analysis worker to a pool worker. */
export type PoolMessage =
  /** Once, when started: the worker's index (from 0), the pool's state words and its mailbox. */
  | {
      readonly type: 'start';
      readonly index: number;
      readonly state: Int32Array;
      readonly mailbox: SharedArrayBuffer;
    }
  /** A job: the kernel, its input and its ranges, claimed one by one from `next`. */
  | {
      readonly type: 'job';
      readonly kernel: string;
      readonly input: KernelInput;
      readonly ranges: readonly KernelRange[];
      /** Index of the next unclaimed range, shared by every thread of the job. */
      readonly next: Int32Array;
    }
  /** A bigger mailbox for the results that did not fit (status 1). */
  | { readonly type: 'mailbox'; readonly mailbox: SharedArrayBuffer };

/** A pool worker to the analysis worker: started (and able to take jobs), or failed to. */
export type PoolAnswer = { readonly type: 'ready' } | { readonly type: 'failed'; readonly message: string };

/** What a pool worker sends back for one job: each range's result by range index, or its error. */
export interface JobResults {
  readonly parts: readonly [number, unknown][];
  readonly error?: string;
}

// Typed arrays by constructor name: what a kernel's result may hold besides numbers and objects.
const TYPED_ARRAYS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

/** A typed array in the JSON shape: its type and where its bytes start after the shape. */
interface ArrayRef {
  readonly $array: TypedArrayName;
  readonly at: number;
  readonly length: number;
}

/**
 * Encodes `results` into `mailbox`: a header, the results as JSON with every typed array replaced by
 * a reference, then the arrays' bytes (8-byte aligned). Returns the bytes needed when the mailbox is
 * too small (it then holds status 1), else 0.
 */
export function writeResults(results: JobResults, mailbox: SharedArrayBuffer): number {
  const arrays: AnyTypedArray[] = [];
  let binaryBytes = 0;
  const shape = JSON.stringify(results, (_key, value: unknown) => {
    // JSON has no NaN or infinities: they travel as text.
    if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
    if (!ArrayBuffer.isView(value) || value instanceof DataView) return value;
    const array = value as AnyTypedArray;
    const name = array.constructor.name as TypedArrayName;
    if (!(name in TYPED_ARRAYS))
      throw new Error(`A pool result holds a ${name}, which the mailbox cannot carry.`);
    const ref: ArrayRef = { $array: name, at: binaryBytes, length: array.length };
    arrays.push(array);
    binaryBytes += align8(array.byteLength);
    return ref;
  });
  const shapeBytes = new TextEncoder().encode(shape);
  const binaryStart = align8(HEADER_BYTES + shapeBytes.length);
  const total = binaryStart + binaryBytes;
  const header = new Int32Array(mailbox, 0, MAILBOX.words);
  if (total > mailbox.byteLength) {
    header[MAILBOX.status] = 1;
    header[MAILBOX.bytes] = total;
    return total;
  }
  const bytes = new Uint8Array(mailbox);
  bytes.set(shapeBytes, HEADER_BYTES);
  let at = binaryStart;
  for (const array of arrays) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
    at += align8(array.byteLength);
  }
  header[MAILBOX.status] = 0;
  header[MAILBOX.shapeBytes] = shapeBytes.length;
  header[MAILBOX.bytes] = total;
  return 0;
}

/** The bytes a mailbox asks for (status 1), or 0 when it holds results. */
export function mailboxShortBy(mailbox: SharedArrayBuffer): number {
  const header = new Int32Array(mailbox, 0, MAILBOX.words);
  return header[MAILBOX.status] === 1 ? header[MAILBOX.bytes]! : 0;
}

/** Decodes what {@link writeResults} wrote: copies of the arrays, on ordinary memory. */
export function readResults(mailbox: SharedArrayBuffer): JobResults {
  const header = new Int32Array(mailbox, 0, MAILBOX.words);
  const shapeLength = header[MAILBOX.shapeBytes]!;
  const bytes = new Uint8Array(mailbox);
  // TextDecoder does not read shared memory: the shape is copied out first.
  const shape = new TextDecoder().decode(bytes.slice(HEADER_BYTES, HEADER_BYTES + shapeLength));
  const binaryStart = align8(HEADER_BYTES + shapeLength);
  return JSON.parse(shape, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null) return value;
    if ('$number' in value) return Number((value as { $number: string }).$number);
    if (!('$array' in value)) return value;
    const ref = value as ArrayRef;
    const type = TYPED_ARRAYS[ref.$array];
    const start = binaryStart + ref.at;
    return new type(bytes.slice(start, start + ref.length * type.BYTES_PER_ELEMENT).buffer);
  }) as JobResults;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
