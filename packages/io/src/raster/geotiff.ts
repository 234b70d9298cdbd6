// GeoTIFF rasters (elevation models, population grids) read for a study area only, through the
// `geotiff` package: the study area's box in WGS84 becomes a pixel window in the raster's own
// coordinate system, and only that window is decoded. Runs in Node and in the browser.

import { haversineM, InputError, OptionError } from '@lifecircle/core';
import type { GeoTIFF, GeoTIFFImage } from 'geotiff';
import type { Crs, GaussKrugerFamily } from '../crs/definitions.js';
import { ACCEPTED_CRS_FORMS, CrsError, completeCrs, parseCrs } from '../crs/parse.js';
import { fromWgs84Transform, type PositionTransform, toWgs84Transform } from '../crs/reproject.js';
import { type OptionWording, ReadOptionError, wordingOf } from '../read/hints.js';
import type { Bytes } from '../read/types.js';
import { type ReadBytes, readStripRows, singleStripLayout } from './strip.js';

/**
 * A file read by byte ranges, for a raster too large to hold whole (a province's WorldPop grid): only
 * its headers and the tiles or strips of the window asked for are read. The CLI reads ranges of a
 * file on disk; a browser can wrap a `File` (`file.slice(offset, offset + length).arrayBuffer()`).
 */
export interface ByteRangeSource {
  /** The file's size in bytes. */
  readonly byteLength: number;
  /** The bytes `offset … offset + length - 1` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A box `[west, south, east, north]` in WGS84 degrees. */
export type Wgs84Box = readonly [west: number, south: number, east: number, north: number];

/** Options of {@link readGeoTiff}. */
export interface GeoTiffReadOptions {
  /** Name of the file in messages. */
  readonly file: string;
  /**
   * The study area in WGS84 degrees: only the pixels covering it (plus a margin of two pixels, so
   * that interpolation at its edge has neighbours) are decoded. Default: the whole raster.
   */
  readonly bbox?: Wgs84Box;
  /** Band to read, from 0. Default 0. */
  readonly band?: number;
  /**
   * The raster's coordinate system, winning over its GeoKeys: for a raster whose GeoKeys name none,
   * one lifecircle does not know, or the wrong one. Anything {@link parseCrs} accepts (`EPSG:4544`,
   * `cgcs2000-gk3-35`, `cgcs2000-gk3` with the zone read from the raster's eastings, WKT …).
   * Default: the GeoKeys.
   */
  readonly crs?: string;
  /**
   * How messages name the option that sets `crs` (the CLI's `--dem-crs`, the viewer's menu); by
   * default `the crs option`.
   */
  readonly optionWording?: OptionWording;
  /** Largest window read, in pixels; a bigger one is refused with a message. Default 64 million. */
  readonly maxPixels?: number;
  /**
   * Pixels decoded at a time: the window is decoded in bands of whole tiles or strips of about this
   * many pixels (at least one row of blocks), so that beside the window's values only one band's raw
   * cells are held. Default 4 million.
   */
  readonly piecePixels?: number;
}

/**
 * A window of a georeferenced raster, decoded: values already scaled (`value × scale + offset`) with
 * no-data cells as NaN, and its placement in the raster's coordinate system.
 */
export interface RasterGrid {
  readonly file: string;
  /** The raster's coordinate system. */
  readonly crs: Crs;
  /** Columns and rows of the window. */
  readonly width: number;
  readonly height: number;
  /** Cell values row by row from the window's first row; NaN where the raster has no data. */
  readonly values: Float32Array;
  /** Centre of the window's first cell (column 0, row 0), in the raster's coordinate system. */
  readonly originX: number;
  readonly originY: number;
  /** Step from one column / row centre to the next (`stepY` is negative for north-up rasters). */
  readonly stepX: number;
  readonly stepY: number;
  /** Whether the file's cells are areas (GeoTIFF `PixelIsArea`) or points sampled at their centre. */
  readonly pixelIsArea: boolean;
  /** The file's no-data value, if it declares one. */
  readonly nodata: number | null;
  /** Scale and offset applied to the stored values. */
  readonly scale: number;
  readonly offset: number;
  /** Cells of the window holding data. */
  readonly validCount: number;
  /** Box of the window's cells in WGS84 degrees. */
  readonly bbox: Wgs84Box;
  /** Approximate side of a cell in metres (at the window's centre). */
  readonly cellSizeM: number;
  /**
   * The value at a WGS84 position by bilinear interpolation between the four nearest cell centres
   * (no-data neighbours left out, the others' weights renormalised); NaN outside the window or
   * where all four have no data.
   */
  sample(lon: number, lat: number): number;
  /** Centre of the window's cell (`col`, `row`) as WGS84 `[lon, lat]` (core's `PopulationGrid`). */
  cellCentre(col: number, row: number): readonly [number, number];
}

const DEFAULT_MAX_PIXELS = 64_000_000;
const DEFAULT_PIECE_PIXELS = 4_000_000;
// GeoKey values: 32767 is "user-defined", 0 "undefined"; neither names a system.
const USER_DEFINED = 32767;
const WINDOW_MARGIN = 2;

/**
 * Reads a window of a GeoTIFF as a {@link RasterGrid}. `source` is the file's bytes, a
 * {@link ByteRangeSource}, or a `Blob` / `File` (a browser's dropped file, read by ranges with
 * `blob.slice(…).arrayBuffer()`). From a range source or a blob only the headers and the tiles or
 * strips of the window are read, and the window is decoded in bands of whole tiles or strips, so the
 * memory it takes is the window's, not the file's. A file stored as one strip is read by rows: the
 * window's rows by byte range when uncompressed, and decoded as a stream up to the window's last row
 * when PackBits, Deflate or LZW, LZW also with predictor 2 (other compressions, and the
 * floating-point predictor 3, are decoded whole).
 *
 * @throws {InputError} naming the file when it is not a GeoTIFF, has no georeference, a rotated
 * grid, a coordinate system lifecircle does not know, does not cover `bbox`, or holds no data there.
 * @example
 * // not-run: needs a GeoTIFF file
 * const dem = await readGeoTiff(readFileSync('dem.tif'), { file: 'dem.tif', bbox: [106.6, 35.5, 106.75, 35.6] });
 * dem.sample(106.67, 35.54); // metres above sea level
 */
export async function readGeoTiff(
  source: Bytes | Blob | ByteRangeSource,
  options: GeoTiffReadOptions,
): Promise<RasterGrid> {
  const { file } = options;
  const band = options.band ?? 0;
  // Loaded on first use: most runs read no raster, and the CLI starts faster without it.
  const geotiff = await import('geotiff');
  let tiff: GeoTIFF;
  let image: GeoTIFFImage;
  try {
    tiff =
      source instanceof Blob || isRangeSource(source)
        ? await geotiff.GeoTIFF.fromSource(rangesOf(source instanceof Blob ? blobRanges(source) : source))
        : await geotiff.fromArrayBuffer(
            source instanceof ArrayBuffer
              ? source
              : (source.buffer.slice(
                  source.byteOffset,
                  source.byteOffset + source.byteLength,
                ) as ArrayBuffer),
          );
    image = await tiff.getImage();
  } catch (error) {
    throw new InputError(file, `is not a readable GeoTIFF (${(error as Error).message}).`);
  }
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(band >= 0 && band < image.getSamplesPerPixel())) {
    throw new InputError(file, `has ${image.getSamplesPerPixel()} band(s); band ${band} does not exist.`);
  }
  const placement = placementOf(image, file);
  // The eastings of the raster's two sides: where a Gauss-Krüger family's zone number is read from.
  const eastings = [placement.x0, placement.x0 + width * placement.dx];
  const crs = crsOf(image, file, options, eastings);
  const fromWgs84 = fromWgs84Transform(crs);
  const toWgs84 = toWgs84Transform(crs);
  const pixelIsArea = image.pixelIsArea();
  // Centre of cell (0, 0): a PixelIsArea tie point is the cell's corner, a PixelIsPoint one its centre.
  const half = pixelIsArea ? 0.5 : 0;
  const centreX0 = placement.x0 + half * placement.dx;
  const centreY0 = placement.y0 + half * placement.dy;

  let window = [0, 0, width, height];
  if (options.bbox) {
    const [west, south, east, north] = options.bbox;
    // The box's edges, densified: a projected raster sees a lon/lat box as a curved quadrilateral.
    const [minCol, minRow, maxCol, maxRow] = mappedBounds(west, south, east, north, 16, (lon, lat) => {
      const [x, y] = fromWgs84(lon, lat);
      return [(x - centreX0) / placement.dx, (y - centreY0) / placement.dy];
    });
    const c0 = Math.max(0, Math.floor(minCol) - WINDOW_MARGIN + 1);
    const c1 = Math.min(width, Math.ceil(maxCol) + WINDOW_MARGIN);
    const r0 = Math.max(0, Math.floor(minRow) - WINDOW_MARGIN + 1);
    const r1 = Math.min(height, Math.ceil(maxRow) + WINDOW_MARGIN);
    if (!(c0 < c1 && r0 < r1)) {
      const covers = boxOfCells(toWgs84, centreX0, centreY0, placement.dx, placement.dy, 0, 0, width, height);
      throw new InputError(
        file,
        `does not cover the study area: the raster spans ${formatBox(covers)}, the study area is ${formatBox(options.bbox)} (WGS84 west, south, east, north).`,
      );
    }
    window = [c0, r0, c1, r1];
  }
  const [c0, r0, c1, r1] = window as [number, number, number, number];
  const windowWidth = c1 - c0;
  const windowHeight = r1 - r0;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (windowWidth * windowHeight > maxPixels) {
    throw new InputError(
      file,
      `the window to read is ${windowWidth} × ${windowHeight} pixels, more than the limit of ${maxPixels}; clip the raster to the study area or give a smaller study area.`,
    );
  }

  const nodata = image.getGDALNoData();
  const { scale, offset } = await scaleOffsetOf(image, band);
  const values = new Float32Array(windowWidth * windowHeight);
  let validCount = 0;
  const store = (start: number, raw: ArrayLike<number>): void => {
    for (let k = 0; k < raw.length; k++) {
      const v = raw[k]!;
      if (Number.isNaN(v) || (nodata !== null && (v === nodata || Math.fround(v) === Math.fround(nodata)))) {
        values[start + k] = Number.NaN;
      } else {
        values[start + k] = v * scale + offset;
        validCount++;
      }
    }
  };
  // One strip for the whole image: read by rows, only the window's (see strip.ts).
  const strip = await singleStripLayout(image, band);
  if (strip) {
    try {
      await readStripRows(strip, bytesReader(source), { c0, r0, c1, r1 }, (row, raw) =>
        store((row - r0) * windowWidth, raw),
      );
    } catch (error) {
      throw new InputError(file, `could not be decoded (${(error as Error).message}).`);
    }
  }
  // Bands of whole tiles or strips, their edges on the file's own block rows, so no block is decoded twice.
  const blockRows = Math.max(1, image.getTileHeight());
  const piecePixels = options.piecePixels ?? DEFAULT_PIECE_PIXELS;
  const bandRows = blockRows * Math.max(1, Math.floor(piecePixels / windowWidth / blockRows));
  for (let top = strip ? r1 : r0; top < r1; ) {
    const bottom = Math.min(r1, (Math.floor(top / bandRows) + 1) * bandRows);
    let raw: ArrayLike<number>;
    try {
      const rasters = await image.readRasters({ window: [c0, top, c1, bottom], samples: [band] });
      raw = rasters[0] as ArrayLike<number>;
    } catch (error) {
      throw new InputError(file, `could not be decoded (${(error as Error).message}).`);
    }
    store((top - r0) * windowWidth, raw);
    top = bottom;
  }
  const originX = centreX0 + c0 * placement.dx;
  const originY = centreY0 + r0 * placement.dy;
  const bbox = boxOfCells(
    toWgs84,
    originX,
    originY,
    placement.dx,
    placement.dy,
    0,
    0,
    windowWidth,
    windowHeight,
  );
  if (validCount === 0) {
    throw new InputError(
      file,
      `holds no data over the study area: all ${values.length} cells of the window ${formatBox(bbox)} are no-data (${nodata === null ? 'NaN' : `value ${nodata}`}).`,
    );
  }
  const midLon = (bbox[0] + bbox[2]) / 2;
  const midLat = (bbox[1] + bbox[3]) / 2;
  const cellSizeM = cellSideM(fromWgs84, toWgs84, midLon, midLat, placement.dx);

  const sample = (lon: number, lat: number): number => {
    const [x, y] = crs.id === 'EPSG:4326' ? [lon, lat] : fromWgs84(lon, lat);
    const fx = (x - originX) / placement.dx;
    const fy = (y - originY) / placement.dy;
    // Within half a cell of the window's outer centres the edge cells still answer.
    if (!(fx >= -0.5 && fx <= windowWidth - 0.5 && fy >= -0.5 && fy <= windowHeight - 0.5)) return Number.NaN;
    const cx = Math.min(Math.max(fx, 0), windowWidth - 1);
    const cy = Math.min(Math.max(fy, 0), windowHeight - 1);
    const i0 = Math.min(Math.floor(cx), windowWidth - 1);
    const j0 = Math.min(Math.floor(cy), windowHeight - 1);
    const i1 = Math.min(i0 + 1, windowWidth - 1);
    const j1 = Math.min(j0 + 1, windowHeight - 1);
    const tx = cx - i0;
    const ty = cy - j0;
    let sum = 0;
    let weights = 0;
    const add = (i: number, j: number, w: number): void => {
      if (w === 0) return;
      const v = values[j * windowWidth + i]!;
      if (Number.isNaN(v)) return;
      sum += w * v;
      weights += w;
    };
    add(i0, j0, (1 - tx) * (1 - ty));
    add(i1, j0, tx * (1 - ty));
    add(i0, j1, (1 - tx) * ty);
    add(i1, j1, tx * ty);
    return weights > 0 ? sum / weights : Number.NaN;
  };

  return {
    file,
    crs,
    width: windowWidth,
    height: windowHeight,
    values,
    originX,
    originY,
    stepX: placement.dx,
    stepY: placement.dy,
    pixelIsArea,
    nodata,
    scale,
    offset,
    validCount,
    bbox,
    cellSizeM,
    sample,
    cellCentre: (col, row) => {
      const x = originX + col * placement.dx;
      const y = originY + row * placement.dy;
      return crs.id === 'EPSG:4326' ? [x, y] : toWgs84(x, y);
    },
  };
}

/**
 * A {@link ByteRangeSource} over a `Blob` (a browser's dropped `File`): each range is read with
 * `blob.slice(offset, offset + length).arrayBuffer()`, so a 2 GB raster is never read whole.
 */
function blobRanges(blob: Blob): ByteRangeSource {
  return {
    byteLength: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** Byte ranges of the file, whichever form it came in. */
function bytesReader(source: Bytes | Blob | ByteRangeSource): ReadBytes {
  if (source instanceof Blob) return blobRanges(source).read;
  if (isRangeSource(source)) return (offset, length) => source.read(offset, length);
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  return async (offset, length) => bytes.subarray(offset, Math.min(bytes.byteLength, offset + length));
}

function isRangeSource(source: Bytes | ByteRangeSource): source is ByteRangeSource {
  return typeof (source as Partial<ByteRangeSource>).read === 'function';
}

/** A {@link ByteRangeSource} as the `geotiff` package asks a source for bytes (its `BaseSource` shape). */
function rangesOf(source: ByteRangeSource): Parameters<typeof GeoTIFF.fromSource>[0] {
  const slice = async ({ offset, length }: { offset: number; length: number }) => {
    const bytes = await source.read(offset, Math.max(0, Math.min(length, source.byteLength - offset)));
    // The package views the bytes as an ArrayBuffer of their own.
    const own =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    return { offset, length: own.byteLength, data: own.buffer as ArrayBuffer };
  };
  return {
    fetch: (slices: { offset: number; length: number }[]) =>
      Promise.all(slices.map(async (s) => (await slice(s)).data)),
    fetchSlice: slice,
    fileSize: source.byteLength,
    close: async () => {},
  } as unknown as Parameters<typeof GeoTIFF.fromSource>[0];
}

/** Tie point and pixel size of an image without rotation, or a clear refusal. */
function placementOf(image: GeoTIFFImage, file: string): { x0: number; y0: number; dx: number; dy: number } {
  const directory = image.getFileDirectory();
  const transformation = directory.getValue('ModelTransformation') as number[] | undefined;
  if (transformation && (transformation[1] !== 0 || transformation[4] !== 0)) {
    throw new InputError(
      file,
      'is a rotated or sheared grid (ModelTransformation with rotation terms), which lifecircle does not read; warp it to a north-up grid first (gdalwarp).',
    );
  }
  let origin: number[];
  let resolution: number[];
  try {
    origin = image.getOrigin();
    resolution = image.getResolution();
  } catch {
    throw new InputError(
      file,
      'has no georeference (no ModelTiepoint and ModelPixelScale, nor ModelTransformation tags): lifecircle cannot tell where its cells lie. Export it as a GeoTIFF with its coordinate system.',
    );
  }
  const [x0, y0] = origin as [number, number];
  const [dx, dy] = resolution as [number, number];
  if (![x0, y0, dx, dy].every(Number.isFinite) || dx === 0 || dy === 0) {
    throw new InputError(
      file,
      `has an unusable georeference (origin ${x0}, ${y0}; cell size ${dx} × ${dy}).`,
    );
  }
  return { x0, y0, dx, dy };
}

/**
 * The raster's coordinate system: the one given in the options (winning over the GeoKeys), else its
 * GeoKeys' EPSG code; a clear refusal naming the option to give when neither names a system
 * lifecircle knows.
 */
function crsOf(
  image: GeoTIFFImage,
  file: string,
  options: Pick<GeoTiffReadOptions, 'crs' | 'optionWording'>,
  eastings: readonly number[],
): Crs {
  const option = wordingOf(options)({ option: 'crs' });
  const complete = (parsed: Crs | GaussKrugerFamily, what: string): Crs => {
    if (parsed.kind !== 'gauss-kruger-family') return parsed;
    try {
      return completeCrs(parsed, eastings);
    } catch (error) {
      if (!(error instanceof CrsError)) throw error;
      throw new InputError(file, `${what}: ${error.message}`);
    }
  };
  if (options.crs !== undefined) {
    let parsed: Crs | GaussKrugerFamily;
    try {
      parsed = parseCrs(options.crs);
    } catch (error) {
      if (!(error instanceof CrsError)) throw error;
      throw new OptionError(
        option,
        `'${options.crs}' (for ${file}) ${error.message}\nAccepted forms:\n${ACCEPTED_CRS_FORMS.map((f) => `  ${f}`).join('\n')}`,
      );
    }
    return complete(parsed, `is read as ${options.crs} (${option})`);
  }
  let keys: Record<string, unknown>;
  try {
    keys = image.getGeoKeys() ?? {};
  } catch (error) {
    // The geotiff package throws a bare Error for a GeoKey directory pointing outside its tags.
    throw new InputError(
      file,
      `has a damaged GeoKey directory (${(error as Error).message}); give its coordinate system with ${option}, e.g. EPSG:4544.`,
    );
  }
  const projected = keys.ProjectedCSTypeGeoKey as number | undefined;
  const geographic = keys.GeographicTypeGeoKey as number | undefined;
  const model = keys.GTModelTypeGeoKey as number | undefined;
  const code = model === 2 ? geographic : (projected ?? (model === 1 ? undefined : geographic));
  if (code === undefined || code === 0 || code === USER_DEFINED) {
    const citation = (keys.GTCitationGeoKey ?? keys.PCSCitationGeoKey ?? keys.GeogCitationGeoKey) as
      | string
      | undefined;
    throw new ReadOptionError(
      file,
      `has no EPSG code in its GeoKeys${code === USER_DEFINED ? ' (a user-defined system)' : ''}${citation ? ` (citation: "${citation}")` : ''}, so lifecircle does not know its coordinate system; give it with ${option} (e.g. EPSG:4544, cgcs2000-gk3-35, or cgcs2000-gk3 to read the zone from the eastings), or reproject the raster to a system with an EPSG code (gdalwarp -t_srs).`,
      { option: 'crs' },
    );
  }
  let parsed: Crs | GaussKrugerFamily;
  try {
    parsed = parseCrs(`EPSG:${code}`);
  } catch (error) {
    if (!(error instanceof CrsError)) throw error;
    throw new ReadOptionError(
      file,
      `its GeoKeys name EPSG:${code}: ${error.message} Give the system it is in with ${option}, e.g. EPSG:4544.`,
      { option: 'crs' },
    );
  }
  return complete(parsed, `its GeoKeys name EPSG:${code}`);
}

/** Band scale and offset from the GDAL metadata (`SCALE`, `OFFSET` items), else 1 and 0. */
async function scaleOffsetOf(image: GeoTIFFImage, band: number): Promise<{ scale: number; offset: number }> {
  const metadata = (await image.getGDALMetadata(band)) ?? {};
  const number = (name: string, fallback: number): number => {
    const raw = metadata[name] ?? metadata[name.toLowerCase()];
    const value = raw === undefined ? Number.NaN : Number(raw);
    return Number.isFinite(value) ? value : fallback;
  };
  return { scale: number('SCALE', 1), offset: number('OFFSET', 0) };
}

/** WGS84 box of the cells `c0…c1 - 1` × `r0…r1 - 1` (their outer edges), densified along the sides. */
function boxOfCells(
  toWgs84: PositionTransform,
  x0: number,
  y0: number,
  dx: number,
  dy: number,
  c0: number,
  r0: number,
  c1: number,
  r1: number,
): Wgs84Box {
  const left = x0 + (c0 - 0.5) * dx;
  const right = x0 + (c1 - 0.5) * dx;
  const top = y0 + (r0 - 0.5) * dy;
  const bottom = y0 + (r1 - 0.5) * dy;
  return mappedBounds(left, top, right, bottom, 8, toWgs84);
}

/**
 * Bounds `[minU, minV, maxU, maxV]` of the box `a0…a1` × `b0…b1` mapped by `transform`, each side
 * densified into `steps` pieces: a projection bends the box's straight sides.
 */
function mappedBounds(
  a0: number,
  b0: number,
  a1: number,
  b1: number,
  steps: number,
  transform: PositionTransform,
): [number, number, number, number] {
  let minU = Number.POSITIVE_INFINITY;
  let maxU = Number.NEGATIVE_INFINITY;
  let minV = Number.POSITIVE_INFINITY;
  let maxV = Number.NEGATIVE_INFINITY;
  for (let k = 0; k <= steps; k++) {
    const t = k / steps;
    for (const [a, b] of [
      [a0 + t * (a1 - a0), b0],
      [a0 + t * (a1 - a0), b1],
      [a0, b0 + t * (b1 - b0)],
      [a1, b0 + t * (b1 - b0)],
    ] as [number, number][]) {
      const [u, v] = transform(a, b);
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      minV = Math.min(minV, v);
      maxV = Math.max(maxV, v);
    }
  }
  return [minU, minV, maxU, maxV];
}

/** Ground length of one cell step along x at a WGS84 position. */
function cellSideM(
  fromWgs84: PositionTransform,
  toWgs84: PositionTransform,
  lon: number,
  lat: number,
  dx: number,
): number {
  const [x, y] = fromWgs84(lon, lat);
  const [lon2, lat2] = toWgs84(x + dx, y);
  return haversineM(lon, lat, lon2, lat2);
}

/** A WGS84 box as text, to 4 decimals. */
export function formatBox(box: Wgs84Box): string {
  return `[${box.map((v) => v.toFixed(4)).join(', ')}]`;
}
