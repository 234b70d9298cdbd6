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
) & { readonly compression?: 'deflate' | 'packbits' };

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
    [259, SHORT, [layout.compression === 'deflate' ? 8 : layout.compression === 'packbits' ? 32773 : 1]],
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
