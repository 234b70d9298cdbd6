// TIFF surgery for the tests of rasters that lack what a GeoTIFF needs (io's and the CLI's).
import { zlibSync } from 'fflate';

/** The TIFF with the given tags of its first directory renamed to private, unknown tag numbers. */
export function withoutTags(buffer: ArrayBuffer, tags: readonly number[]): ArrayBuffer {
  const view = new DataView(buffer);
  const little = view.getUint16(0) === 0x4949;
  const ifd = view.getUint32(4, little);
  const entries = view.getUint16(ifd, little);
  for (let k = 0; k < entries; k++) {
    const at = ifd + 2 + 12 * k;
    const tag = view.getUint16(at, little);
    if (tags.includes(tag)) view.setUint16(at, 65000 + tags.indexOf(tag), little);
  }
  return buffer;
}

/**
 * How {@link blockedTiff} lays out its cells: in tiles, or in strips of some rows (one strip when
 * `rowsPerStrip` is the height), each block stored as it is or compressed.
 */
export type TiffLayout = (
  | { readonly tile: readonly [width: number, height: number] }
  | { readonly rowsPerStrip: number }
) & {
  /** `lzw-predictor`: LZW of rows stored as differences (TIFF predictor 2), as GDAL's PREDICTOR=2. */
  readonly compression?: 'deflate' | 'packbits' | 'lzw' | 'lzw-predictor';
};

/**
 * TIFF LZW of `bytes` (compression 5): 9- to 12-bit codes, most significant bit first, widened one
 * code early and cleared before the table fills, as libtiff writes them.
 */
export function lzw(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let bitCount = 0;
  let width = 9;
  const put = (code: number) => {
    bits = (bits << width) | code;
    bitCount += width;
    while (bitCount >= 8) {
      bitCount -= 8;
      out.push((bits >>> bitCount) & 0xff);
    }
    bits &= (1 << bitCount) - 1;
  };
  let table = new Map<number, number>();
  let next = 258;
  put(256);
  let current = bytes.length > 0 ? bytes[0]! : -1;
  for (let i = 1; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const known = table.get(current * 256 + byte);
    if (known !== undefined) {
      current = known;
      continue;
    }
    put(current);
    table.set(current * 256 + byte, next++);
    if (next >= 1 << width && width < 12) width++;
    if (next >= 4093) {
      put(256);
      table = new Map();
      next = 258;
      width = 9;
    }
    current = byte;
  }
  if (current >= 0) {
    put(current);
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  put(257);
  if (bitCount > 0) out.push((bits << (8 - bitCount)) & 0xff);
  return Uint8Array.from(out);
}

/** Rows of 32-bit samples stored as differences from the sample before (TIFF predictor 2). */
function differenced(block: Float32Array, rowLength: number): Uint8Array {
  const words = new Uint32Array(block.buffer.slice(0));
  const source = new Uint32Array(block.buffer);
  for (let i = 0; i < words.length; i++) {
    if (i % rowLength !== 0) words[i] = (source[i]! - source[i - 1]!) >>> 0;
  }
  return new Uint8Array(words.buffer);
}

const COMPRESSION_CODES = { none: 1, deflate: 8, packbits: 32773, lzw: 5, 'lzw-predictor': 5 } as const;

/** TIFF PackBits of `bytes` (runs of 3 or more repeated, the rest as literals of at most 128). */
export function packBits(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let run = 1;
    while (i + run < bytes.length && run < 128 && bytes[i + run] === bytes[i]) run++;
    if (run >= 3) {
      out.push(257 - run, bytes[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < bytes.length && i - start < 128) {
      if (i + 2 < bytes.length && bytes[i] === bytes[i + 1] && bytes[i] === bytes[i + 2]) break;
      i++;
    }
    out.push(i - start - 1, ...bytes.subarray(start, i));
  }
  return Uint8Array.from(out);
}

/**
 * An uncompressed little-endian GeoTIFF of 32-bit floats on a WGS84 lon/lat grid (`cell` degrees,
 * north-west corner at `west`, `north`), stored in tiles or in strips of several rows: the layouts
 * of real rasters (GDAL writes tiles with `-co TILED=YES`, strips otherwise), which geotiff's own
 * writer does not make (it writes one strip).
 */
export function blockedTiff(
  grid: {
    readonly width: number;
    readonly height: number;
    readonly values: Float32Array;
    readonly west: number;
    readonly north: number;
    readonly cell: number;
  },
  layout: TiffLayout,
): ArrayBuffer {
  const { width, height, values } = grid;
  const [blockWidth, blockHeight] = 'tile' in layout ? layout.tile : [width, layout.rowsPerStrip];
  const across = Math.ceil(width / blockWidth);
  const down = Math.ceil(height / blockHeight);
  // Tiles are always whole (padded past the edges); the last strip holds only the rows left.
  const cells: Float32Array[] = [];
  for (let by = 0; by < down; by++) {
    for (let bx = 0; bx < across; bx++) {
      const rows = 'tile' in layout ? blockHeight : Math.min(blockHeight, height - by * blockHeight);
      const block = new Float32Array(blockWidth * rows);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < blockWidth; c++) {
          const row = by * blockHeight + r;
          const col = bx * blockWidth + c;
          if (row < height && col < width) block[r * blockWidth + c] = values[row * width + col]!;
        }
      }
      cells.push(block);
    }
  }
  const blocks = cells.map((block) => {
    const raw = new Uint8Array(block.buffer);
    if (layout.compression === 'lzw') return lzw(raw);
    if (layout.compression === 'lzw-predictor') return lzw(differenced(block, blockWidth));
    return layout.compression === 'deflate'
      ? zlibSync(raw)
      : layout.compression === 'packbits'
        ? packBits(raw)
        : raw;
  });
  const geoKeys = [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326];
  const SHORT = 3;
  const LONG = 4;
  const DOUBLE = 12;
  const entries: [tag: number, type: number, values: readonly number[]][] = [
    [256, LONG, [width]],
    [257, LONG, [height]],
    [258, SHORT, [32]],
    [259, SHORT, [COMPRESSION_CODES[layout.compression ?? 'none']]],
    [262, SHORT, [1]],
    ...('tile' in layout ? [] : ([[273, LONG, []]] as [number, number, number[]][])),
    [277, SHORT, [1]],
    ...('tile' in layout
      ? []
      : ([
          [278, LONG, [blockHeight]],
          [279, LONG, blocks.map((b) => b.byteLength)],
        ] as [number, number, number[]][])),
    [284, SHORT, [1]],
    ...(layout.compression === 'lzw-predictor' ? ([[317, SHORT, [2]]] as [number, number, number[]][]) : []),
    ...('tile' in layout
      ? ([
          [322, LONG, [blockWidth]],
          [323, LONG, [blockHeight]],
          [324, LONG, []],
          [325, LONG, blocks.map((b) => b.byteLength)],
        ] as [number, number, number[]][])
      : []),
    [339, SHORT, [3]],
    [33550, DOUBLE, [grid.cell, grid.cell, 0]],
    [33922, DOUBLE, [0, 0, 0, grid.west, grid.north, 0]],
    [34735, SHORT, geoKeys],
  ];
  const offsetsTag = 'tile' in layout ? 324 : 273;
  const size = (type: number) => (type === SHORT ? 2 : type === LONG ? 4 : 8);
  const ifdStart = 8;
  const ifdSize = 2 + 12 * entries.length + 4;
  // Values longer than 4 bytes follow the directory, then the blocks.
  let at = ifdStart + ifdSize;
  const valueAt = entries.map(([tag, type, v]) => {
    const count = tag === offsetsTag ? blocks.length : v.length;
    if (count * size(type) <= 4) return -1;
    const here = at;
    at += count * size(type);
    at += at % 8 === 0 ? 0 : 8 - (at % 8);
    return here;
  });
  at += at % 8 === 0 ? 0 : 8 - (at % 8);
  const blockAt: number[] = [];
  for (const b of blocks) {
    blockAt.push(at);
    at += b.byteLength;
  }
  const buffer = new ArrayBuffer(at);
  const view = new DataView(buffer);
  view.setUint16(0, 0x4949);
  view.setUint16(2, 42, true);
  view.setUint32(4, ifdStart, true);
  view.setUint16(ifdStart, entries.length, true);
  entries.forEach(([tag, type, given], k) => {
    const v = tag === offsetsTag ? blockAt : given;
    const entry = ifdStart + 2 + 12 * k;
    view.setUint16(entry, tag, true);
    view.setUint16(entry + 2, type, true);
    view.setUint32(entry + 4, v.length, true);
    const target = valueAt[k]! < 0 ? entry + 8 : valueAt[k]!;
    if (valueAt[k]! >= 0) view.setUint32(entry + 8, target, true);
    v.forEach((x, i) => {
      if (type === SHORT) view.setUint16(target + 2 * i, x, true);
      else if (type === LONG) view.setUint32(target + 4 * i, x, true);
      else view.setFloat64(target + 8 * i, x, true);
    });
  });
  view.setUint32(ifdStart + 2 + 12 * entries.length, 0, true);
  blocks.forEach((b, i) => {
    new Uint8Array(buffer, blockAt[i]!, b.length).set(b);
  });
  return buffer;
}
