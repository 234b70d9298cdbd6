import type { OsmSource } from './types.js';

/**
 * Reads exact byte counts from a whole file or a chunk iterator. A read that spans chunks copies once
 * into a new array; a read inside one chunk is a view, so a file given whole is never copied.
 */
export class ByteReader {
  /** Bytes consumed so far: the file offset of the next read. */
  offset = 0;
  private chunk: Uint8Array = new Uint8Array(0);
  private position = 0;
  private readonly next: () => Promise<Uint8Array | null>;

  constructor(source: OsmSource) {
    if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
      let whole: Uint8Array | null = source instanceof Uint8Array ? source : new Uint8Array(source);
      this.next = async () => {
        const chunk = whole;
        whole = null;
        return chunk;
      };
    } else {
      const iterator =
        Symbol.asyncIterator in source
          ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
          : (source as Iterable<Uint8Array>)[Symbol.iterator]();
      this.next = async () => {
        const step = await iterator.next();
        return step.done ? null : step.value;
      };
    }
  }

  /** Up to `length` bytes: fewer only at the end of the file. */
  async read(length: number): Promise<Uint8Array> {
    const available = this.chunk.byteLength - this.position;
    if (available >= length) {
      const view = this.chunk.subarray(this.position, this.position + length);
      this.position += length;
      this.offset += length;
      return view;
    }
    const out = new Uint8Array(length);
    let filled = 0;
    for (;;) {
      const take = Math.min(length - filled, this.chunk.byteLength - this.position);
      out.set(this.chunk.subarray(this.position, this.position + take), filled);
      filled += take;
      this.position += take;
      if (filled === length) break;
      const next = await this.next();
      if (next === null) break;
      this.chunk = next;
      this.position = 0;
    }
    this.offset += filled;
    return filled === length ? out : out.subarray(0, filled);
  }

  /** The next chunk of whatever size the source gives, or null at the end (for text formats). */
  async nextChunk(): Promise<Uint8Array | null> {
    if (this.position < this.chunk.byteLength) {
      const rest = this.chunk.subarray(this.position);
      this.position = this.chunk.byteLength;
      this.offset += rest.byteLength;
      return rest;
    }
    const next = await this.next();
    if (next !== null) this.offset += next.byteLength;
    return next;
  }
}
