// Packs typed arrays into one ArrayBuffer and reads them back as views, so a whole road graph moves
// to a worker as a single transferable buffer (like flatbush's `index.data` and `Flatbush.from`).

type ArrayKind = 'f64' | 'u32' | 'i32' | 'u8';
type AnyArray = Float64Array | Uint32Array | Int32Array | Uint8Array;

const BYTES: Record<ArrayKind, number> = { f64: 8, u32: 4, i32: 4, u8: 1 };

/** Rounds up to a multiple of 8 so every section (and a Float64Array view of it) is aligned. */
export function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** Writes sections one after another, each 8-byte aligned, after a fixed-size header. */
export class BufferWriter {
  private readonly parts: { at: number; bytes: Uint8Array }[] = [];
  private size: number;

  constructor(headerBytes: number) {
    this.size = align8(headerBytes);
  }

  /** Reserves a section for `array` and returns its byte offset in the final buffer. */
  add(array: AnyArray | ArrayBuffer): number {
    const bytes =
      array instanceof ArrayBuffer
        ? new Uint8Array(array)
        : new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    const at = this.size;
    this.parts.push({ at, bytes });
    this.size = align8(at + bytes.byteLength);
    return at;
  }

  /** The packed buffer, with `header` written at the start. */
  finish(header: Uint32Array): ArrayBuffer {
    const buffer = new ArrayBuffer(this.size);
    const out = new Uint8Array(buffer);
    out.set(new Uint8Array(header.buffer, header.byteOffset, header.byteLength), 0);
    for (const { at, bytes } of this.parts) out.set(bytes, at);
    return buffer;
  }
}

/** A view of `length` elements of `kind` at byte `offset` of `buffer` (no copy). */
export function view(buffer: ArrayBufferLike, kind: 'f64', offset: number, length: number): Float64Array;
export function view(buffer: ArrayBufferLike, kind: 'u32', offset: number, length: number): Uint32Array;
export function view(buffer: ArrayBufferLike, kind: 'i32', offset: number, length: number): Int32Array;
export function view(buffer: ArrayBufferLike, kind: 'u8', offset: number, length: number): Uint8Array;
export function view(buffer: ArrayBufferLike, kind: ArrayKind, offset: number, length: number): AnyArray;
export function view(buffer: ArrayBufferLike, kind: ArrayKind, offset: number, length: number): AnyArray {
  if (offset + length * BYTES[kind] > buffer.byteLength) {
    throw new Error(
      `Road graph buffer is truncated: a section needs bytes up to ${offset + length * BYTES[kind]}, the buffer has ${buffer.byteLength}.`,
    );
  }
  switch (kind) {
    case 'f64':
      return new Float64Array(buffer, offset, length);
    case 'u32':
      return new Uint32Array(buffer, offset, length);
    case 'i32':
      return new Int32Array(buffer, offset, length);
    case 'u8':
      return new Uint8Array(buffer, offset, length);
  }
}
