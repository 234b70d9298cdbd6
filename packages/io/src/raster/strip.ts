// A GeoTIFF stored as one strip (the whole image in one block: geotiff's own writer, many exports from
// R, Python and desktop GIS, `gdal_translate -co BLOCKYSIZE=<height>`) read by rows: the `geotiff`
// package can only fetch and decode a block whole, so a small window of a large single-strip raster
// would cost the whole image's memory. Uncompressed rows are read by byte range, only the window's;
// PackBits, Deflate and LZW strips (LZW also with horizontal differencing, predictor 2) are decoded as
// a stream from the strip's start, keeping only the window's rows, and reading stops after the
// window's last row. Other compressions (JPEG …) and the floating-point predictor 3 are left to the
// package (the strip decoded whole).

import { Unzlib } from 'fflate';
import type { GeoTIFFImage } from 'geotiff';

/** Reads `length` bytes of the file from `offset` (fewer at its end). */
export type ReadBytes = (offset: number, length: number) => Promise<Uint8Array>;

const NONE = 1;
const DEFLATE = 8;
const DEFLATE_OLD = 32946;
const PACKBITS = 32773;
const LZW = 5;
/** TIFF predictor 2: each sample after a row's first pixel is stored as its difference from the one before. */
const HORIZONTAL = 2;
/** Compressed bytes read from the file at a time. */
const READ_BYTES = 64 * 1024;
/** Compressed bytes pushed to the decoder at a time: small, as one push may inflate ~1000×. */
const CHUNK_BYTES = 16 * 1024;
/** Uncompressed rows are read this many bytes at a time (whole rows). */
const RANGE_BYTES = 4 * 1024 * 1024;

/** How a single-strip image's rows are laid out, when this module can read them; else null. */
export interface StripLayout {
  readonly compression: number;
  /** 1, or {@link HORIZONTAL} (LZW strips only): undone on each row before its values are read. */
  readonly predictor: number;
  /** Bytes of one sample, and samples of one pixel (1 for a planar band), for the predictor. */
  readonly sampleBytes: number;
  readonly samplesPerPixel: number;
  readonly littleEndian: boolean;
  /** File offset and length of the strip holding the band. */
  readonly offset: number;
  readonly byteCount: number;
  /** Bytes of one row of the strip (all samples for chunky images, one for planar). */
  readonly rowBytes: number;
  /** Bytes from one pixel to the next within a row, and of the band's sample within a pixel. */
  readonly pixelBytes: number;
  readonly sampleOffset: number;
  readonly read: (view: DataView, offset: number) => number;
}

/** The layout of `band` when the image is one strip per plane in a form read by rows; else null. */
export async function singleStripLayout(image: GeoTIFFImage, band: number): Promise<StripLayout | null> {
  const directory = image.getFileDirectory();
  const height = image.getHeight();
  const width = image.getWidth();
  if (image.isTiled || image.getTileHeight() < height) return null;
  const compression = (directory.getValue('Compression') as number | undefined) ?? NONE;
  if (![NONE, DEFLATE, DEFLATE_OLD, PACKBITS, LZW].includes(compression)) return null;
  const predictor = ((await directory.loadValue('Predictor')) as number | undefined) ?? 1;
  const bits = (directory.getValue('BitsPerSample') as ArrayLike<number> | undefined) ?? [];
  for (let i = 0; i < bits.length; i++) if (bits[i]! % 8 !== 0) return null;
  if (predictor !== 1) {
    // Horizontal differencing on LZW only (as GDAL writes PREDICTOR=2), samples of one size of 1, 2 or 4 bytes.
    if (predictor !== HORIZONTAL || compression !== LZW) return null;
    for (let i = 0; i < bits.length; i++)
      if (bits[i] !== bits[0] || ![8, 16, 32].includes(bits[i]!)) return null;
  }
  let sampleReader: (this: DataView, offset: number, littleEndian: boolean) => number;
  try {
    sampleReader = image.getReaderForSample(band) as typeof sampleReader;
  } catch {
    return null;
  }
  const planar = image.planarConfiguration === 2;
  const strips = planar ? image.getSamplesPerPixel() : 1;
  const offsets = (await directory.loadValue('StripOffsets')) as ArrayLike<number | bigint> | undefined;
  const counts = (await directory.loadValue('StripByteCounts')) as ArrayLike<number | bigint> | undefined;
  if (!offsets || !counts || offsets.length !== strips || counts.length !== strips) return null;
  const strip = planar ? band : 0;
  let sampleOffset = 0;
  if (!planar) for (let i = 0; i < band; i++) sampleOffset += bits[i]! / 8;
  const pixelBytes = planar ? bits[band]! / 8 : image.getBytesPerPixel();
  const littleEndian = image.littleEndian;
  return {
    compression,
    predictor,
    sampleBytes: (bits[0] ?? 8) / 8,
    samplesPerPixel: planar ? 1 : image.getSamplesPerPixel(),
    littleEndian,
    offset: Number(offsets[strip]),
    byteCount: Number(counts[strip]),
    rowBytes: pixelBytes * width,
    pixelBytes,
    sampleOffset,
    read: (view, offset) => sampleReader.call(view, offset, littleEndian),
  };
}

/**
 * Calls `row(r, values)` for each row `r0 … r1 - 1` of the strip, in order, with the band's values of
 * columns `c0 … c1 - 1` (the array is reused from row to row). Returns the strip bytes read.
 */
export async function readStripRows(
  layout: StripLayout,
  readBytes: ReadBytes,
  window: { readonly c0: number; readonly r0: number; readonly c1: number; readonly r1: number },
  row: (r: number, values: Float64Array) => void,
): Promise<number> {
  const { c0, r0, c1, r1 } = window;
  const { rowBytes, pixelBytes, sampleOffset } = layout;
  const values = new Float64Array(c1 - c0);
  const emit = (r: number, bytes: Uint8Array, at: number): void => {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, rowBytes);
    if (layout.predictor === HORIZONTAL) undoHorizontalDifferencing(view, layout);
    for (let c = c0; c < c1; c++) values[c - c0] = layout.read(view, c * pixelBytes + sampleOffset);
    row(r, values);
  };
  if (layout.compression === NONE) {
    // Rows lie at fixed offsets: read the window's, a few MB of whole rows at a time.
    const rowsAtOnce = Math.max(1, Math.floor(RANGE_BYTES / rowBytes));
    let read = 0;
    for (let top = r0; top < r1; top += rowsAtOnce) {
      const rows = Math.min(rowsAtOnce, r1 - top);
      const bytes = await readBytes(layout.offset + top * rowBytes, rows * rowBytes);
      read += bytes.byteLength;
      if (bytes.byteLength < rows * rowBytes) throw new Error(`the strip ends before row ${top + rows}`);
      for (let k = 0; k < rows; k++) emit(top + k, bytes, k * rowBytes);
    }
    return read;
  }
  // Compressed: decode from the strip's start, gather whole rows, keep the window's, stop after r1.
  const pending = new Uint8Array(rowBytes);
  let filled = 0;
  let nextRow = 0;
  const take = (chunk: Uint8Array): void => {
    let at = 0;
    while (at < chunk.length && nextRow < r1) {
      const n = Math.min(rowBytes - filled, chunk.length - at);
      // Rows above the window are counted, not copied.
      if (nextRow >= r0) pending.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === rowBytes) {
        if (nextRow >= r0) emit(nextRow, pending, 0);
        nextRow++;
        filled = 0;
      }
    }
  };
  const push =
    layout.compression === PACKBITS
      ? packBitsDecoder(take)
      : layout.compression === LZW
        ? lzwDecoder(take)
        : deflateDecoder(take);
  let read = 0;
  for (let at = 0; at < layout.byteCount && nextRow < r1; at += READ_BYTES) {
    const length = Math.min(READ_BYTES, layout.byteCount - at);
    const bytes = await readBytes(layout.offset + at, length);
    read += bytes.byteLength;
    const last = at + length >= layout.byteCount || bytes.byteLength < length;
    for (let k = 0; k < bytes.byteLength && nextRow < r1; k += CHUNK_BYTES) {
      const end = Math.min(bytes.byteLength, k + CHUNK_BYTES);
      push(bytes.subarray(k, end), last && end === bytes.byteLength);
    }
    if (bytes.byteLength < length) break;
  }
  if (nextRow < r1) throw new Error(`the strip decodes to ${nextRow} rows, fewer than the ${r1} needed`);
  return read;
}

/**
 * Undoes TIFF predictor 2 on one row in place: each sample after the first pixel's adds the same
 * sample of the pixel before, wrapping at the sample's size (as libtiff and the geotiff package do).
 */
function undoHorizontalDifferencing(
  row: DataView,
  layout: Pick<StripLayout, 'sampleBytes' | 'samplesPerPixel' | 'littleEndian'>,
): void {
  const { sampleBytes, samplesPerPixel: stride, littleEndian } = layout;
  const samples = row.byteLength / sampleBytes;
  if (sampleBytes === 1) {
    for (let i = stride; i < samples; i++) row.setUint8(i, row.getUint8(i) + row.getUint8(i - stride));
  } else if (sampleBytes === 2) {
    for (let i = stride; i < samples; i++) {
      const sum = row.getUint16(2 * i, littleEndian) + row.getUint16(2 * (i - stride), littleEndian);
      row.setUint16(2 * i, sum, littleEndian);
    }
  } else {
    for (let i = stride; i < samples; i++) {
      const sum = row.getUint32(4 * i, littleEndian) + row.getUint32(4 * (i - stride), littleEndian);
      row.setUint32(4 * i, sum >>> 0, littleEndian);
    }
  }
}

const LZW_CLEAR = 256;
const LZW_END = 257;
const LZW_FIRST = 258;
const LZW_CODES = 4096;

/**
 * A streaming TIFF LZW decoder (compression 5): codes of 9 to 12 bits, most significant bit first,
 * widening one code early (when the next entry would need the wider code, as libtiff writes them);
 * 256 clears the table and 257 ends the data. Its state between chunks is the bits not yet making a
 * code, the table and the previous code. Entries are chains of (prefix code, last byte) with their
 * lengths, spelled backwards into a scratch buffer; the output gathers in a buffer of CHUNK_BYTES.
 */
function lzwDecoder(out: (chunk: Uint8Array) => void): (chunk: Uint8Array, final: boolean) => void {
  const prefix = new Uint16Array(LZW_CODES);
  const suffix = new Uint8Array(LZW_CODES);
  const length = new Uint16Array(LZW_CODES);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    length[i] = 1;
  }
  const spelled = new Uint8Array(LZW_CODES);
  const buffer = new Uint8Array(CHUNK_BYTES);
  let used = 0;
  let next = LZW_FIRST;
  let width = 9;
  let previous = -1;
  let bits = 0;
  let bitCount = 0;
  let ended = false;
  /** Writes entry `code`'s bytes, and returns its first byte. */
  const write = (code: number): number => {
    const n = length[code]!;
    for (let k = n - 1, c = code; k >= 0; k--, c = prefix[c]!) spelled[k] = suffix[c]!;
    for (let k = 0; k < n; k++) {
      buffer[used++] = spelled[k]!;
      if (used === buffer.length) {
        out(buffer);
        used = 0;
      }
    }
    return spelled[0]!;
  };
  const add = (first: number): void => {
    // A full table takes no more entries until the next clear (as the geotiff package reads it).
    if (previous < 0 || next + 1 >= LZW_CODES) return;
    prefix[next] = previous;
    suffix[next] = first;
    length[next] = length[previous]! + 1;
    next++;
  };
  const decode = (code: number): void => {
    if (code === LZW_CLEAR) {
      next = LZW_FIRST;
      width = 9;
      previous = -1;
      return;
    }
    if (code === LZW_END) {
      ended = true;
      return;
    }
    if (code < next && (code < 256 || code >= LZW_FIRST)) {
      add(write(code));
    } else if (code === next && previous >= 0) {
      // The entry being defined: the previous one and its own first byte.
      const first = write(previous);
      buffer[used++] = first;
      if (used === buffer.length) {
        out(buffer);
        used = 0;
      }
      add(first);
    } else {
      throw new Error(`invalid LZW code ${code} (the table holds ${next})`);
    }
    previous = code;
    if (next + 1 >= 1 << width && width < 12) width++;
  };
  return (chunk) => {
    for (let i = 0; i < chunk.length && !ended; i++) {
      bits = ((bits << 8) | chunk[i]!) & 0xffffff;
      bitCount += 8;
      while (bitCount >= width && !ended) {
        bitCount -= width;
        decode((bits >>> bitCount) & ((1 << width) - 1));
      }
    }
    if (used > 0) {
      out(buffer.subarray(0, used));
      used = 0;
    }
  };
}

/** A streaming Deflate (zlib) decoder passing its output to `out`. */
function deflateDecoder(out: (chunk: Uint8Array) => void): (chunk: Uint8Array, final: boolean) => void {
  const inflater = new Unzlib((chunk) => out(chunk));
  return (chunk, final) => inflater.push(chunk, final);
}

/**
 * A streaming PackBits decoder (TIFF compression 32773): a header byte n copies the next n + 1 bytes
 * (0 ≤ n ≤ 127) or repeats the next byte 1 − n times (−127 ≤ n ≤ −1); −128 is skipped. The state
 * between chunks is the literal bytes still to copy or a repeat waiting for its byte.
 */
function packBitsDecoder(out: (chunk: Uint8Array) => void): (chunk: Uint8Array, final: boolean) => void {
  let literal = 0;
  let repeat = 0;
  const buffer = new Uint8Array(CHUNK_BYTES);
  let used = 0;
  const put = (byte: number) => {
    buffer[used++] = byte;
    if (used === buffer.length) {
      out(buffer);
      used = 0;
    }
  };
  return (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (literal > 0) {
        put(byte);
        literal--;
      } else if (repeat > 0) {
        for (let k = 0; k < repeat; k++) put(byte);
        repeat = 0;
      } else {
        const n = byte > 127 ? byte - 256 : byte;
        if (n >= 0) literal = n + 1;
        else if (n !== -128) repeat = 1 - n;
      }
    }
    if (used > 0) {
      out(buffer.subarray(0, used));
      used = 0;
    }
  };
}
