import fc from 'fast-check';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { blockedTiff, type TiffLayout, withoutTags } from '../../test/tiff.js';
import type { Crs } from '../crs/definitions.js';
import { parseCrs } from '../crs/parse.js';
import { fromWgs84Transform } from '../crs/reproject.js';
import { readGeoTiff } from './geotiff.js';

type Metadata = Parameters<typeof writeArrayBuffer>[1];

/** A one-band Float32 GeoTIFF of `width` × `height` cells, values from `value(col, row)`. */
function tiff(
  width: number,
  height: number,
  value: (col: number, row: number) => number,
  meta: Metadata,
): ArrayBuffer {
  const values = new Float32Array(width * height);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) values[r * width + c] = value(c, r);
  return writeArrayBuffer(values, { width, height, SampleFormat: [3], BitsPerSample: [32], ...meta });
}

const MODEL_PIXEL_SCALE = 33550;
const MODEL_TIEPOINT = 33922;

// A lon/lat grid of 0.001° cells whose top-left corner is 106.6°E 35.6°N.
const geographic: Metadata = {
  ModelPixelScale: [0.001, 0.001, 0],
  ModelTiepoint: [0, 0, 0, 106.6, 35.6, 0],
  GTModelTypeGeoKey: 2,
  GTRasterTypeGeoKey: 1,
  GeographicTypeGeoKey: 4326,
};
// Elevation as a plane in cell indices: bilinear interpolation reproduces a plane exactly.
const plane = (col: number, row: number): number => 1000 + 2 * col - 3 * row;

/**
 * A projected grid of 30 m cells in `crs` (GeoTIFF code `projectedCode`) whose top-left corner lies
 * 1,500 m left of and above 106.66°E 35.54°N, and the fractional cell (`col`, `row`) of that point.
 */
function projectedAround(crs: Crs, projectedCode: number) {
  const [x, y] = fromWgs84Transform(crs)(106.66, 35.54);
  const x0 = Math.round(x) - 1500;
  const y0 = Math.round(y) + 1500;
  const meta: Metadata = {
    ModelPixelScale: [30, 30, 0],
    ModelTiepoint: [0, 0, 0, x0, y0, 0],
    GTModelTypeGeoKey: 1,
    GTRasterTypeGeoKey: 1,
    ProjectedCSTypeGeoKey: projectedCode,
  };
  return { meta, col: (x - x0) / 30 - 0.5, row: (y0 - y) / 30 - 0.5 };
}

describe('readGeoTiff', () => {
  it('reads a lon/lat raster and interpolates between cell centres', async () => {
    const grid = await readGeoTiff(tiff(100, 80, plane, geographic), { file: 'dem.tif' });
    expect(grid.crs.id).toBe('EPSG:4326');
    expect([grid.width, grid.height, grid.validCount]).toEqual([100, 80, 8000]);
    // Cell (10, 20) has its centre at 106.6105°E, 35.5795°N (PixelIsArea: the tie point is a corner).
    expect(grid.sample(106.6105, 35.5795)).toBeCloseTo(plane(10, 20), 3);
    // A quarter of the way to the next column, half way to the next row.
    expect(grid.sample(106.6105 + 0.00025, 35.5795 - 0.0005)).toBeCloseTo(plane(10.25, 20.5), 3);
    expect(grid.sample(106.5, 35.5)).toBeNaN();
    expect(grid.cellSizeM).toBeGreaterThan(85);
    expect(grid.cellSizeM).toBeLessThan(95);
  });

  it('decodes only the window covering the study area, plus a margin', async () => {
    const grid = await readGeoTiff(tiff(100, 80, plane, geographic), {
      file: 'dem.tif',
      bbox: [106.62, 35.55, 106.63, 35.56],
    });
    expect(grid.width).toBeLessThan(20);
    expect(grid.height).toBeLessThan(20);
    expect(grid.bbox[0]).toBeLessThanOrEqual(106.62);
    expect(grid.bbox[3]).toBeGreaterThanOrEqual(35.56);
    expect(grid.sample(106.6255, 35.5555)).toBeCloseTo(plane(25, 44), 3);
  });

  it('places PixelIsPoint cells on the tie point, not half a cell from it', async () => {
    const grid = await readGeoTiff(tiff(10, 10, plane, { ...geographic, GTRasterTypeGeoKey: 2 }), {
      file: 'points.tif',
    });
    expect(grid.pixelIsArea).toBe(false);
    expect(grid.sample(106.603, 35.598)).toBeCloseTo(plane(3, 2), 3);
  });

  it('turns no-data cells into NaN and interpolates from the neighbours that have data', async () => {
    const holed = (c: number, r: number): number => (c === 5 && r === 5 ? -9999 : 100);
    const grid = await readGeoTiff(tiff(10, 10, holed, { ...geographic, GDAL_NODATA: '-9999' }), {
      file: 'holed.tif',
    });
    expect(grid.nodata).toBe(-9999);
    expect(grid.validCount).toBe(99);
    // At the hole's centre and next to it only the neighbours with data count.
    expect(grid.sample(106.6055, 35.5945)).toBeCloseTo(100, 9);
    expect(grid.sample(106.6057, 35.5943)).toBeCloseTo(100, 9);
  });

  it('reads a projected raster through its EPSG code (UTM zone 48N)', async () => {
    const { meta, col, row } = projectedAround(parseCrs('EPSG:32648') as Crs, 32648);
    const grid = await readGeoTiff(tiff(100, 100, plane, meta), {
      file: 'utm.tif',
      bbox: [106.65, 35.53, 106.67, 35.55],
    });
    expect(grid.crs.epsg).toBe(32648);
    // The cell holding (106.66, 35.54) lies 1,500 m right of and below the corner.
    expect(grid.sample(106.66, 35.54)).toBeCloseTo(plane(col, row), 2);
    expect(grid.cellSizeM).toBeCloseTo(30, 0);
  });

  describe('a coordinate system given for the raster', () => {
    // CGCS2000 3-degree Gauss-Krüger zone 36 with the zone number in front of the eastings (EPSG:4524).
    const zone36 = parseCrs('EPSG:4524') as Crs;
    // 32767: user-defined, so the file itself does not say which system it is.
    const { meta: userDefined, col, row } = projectedAround(zone36, 32767);
    const bytes = () => tiff(100, 100, plane, userDefined);

    it('is refused without one, naming the option that gives it', async () => {
      await expect(readGeoTiff(bytes(), { file: 'gk.tif' })).rejects.toThrow(
        /^gk\.tif: has no EPSG code in its GeoKeys \(a user-defined system\).*give it with the crs option/,
      );
      await expect(
        readGeoTiff(bytes(), { file: 'gk.tif', optionWording: () => '--dem-crs' }),
      ).rejects.toThrow(/give it with --dem-crs \(e\.g\. EPSG:4544/);
    });

    it('places the cells by an EPSG code, a short form, or a family whose zone the eastings give', async () => {
      for (const crs of ['EPSG:4524', 'cgcs2000-gk3-36', 'cgcs2000-gk3']) {
        const grid = await readGeoTiff(bytes(), {
          file: 'gk.tif',
          crs,
          bbox: [106.65, 35.53, 106.67, 35.55],
        });
        expect(grid.crs.id).toBe('EPSG:4524');
        expect(grid.sample(106.66, 35.54)).toBeCloseTo(plane(col, row), 2);
        expect(grid.cellSizeM).toBeCloseTo(30, 0);
      }
    });

    it('wins over the GeoKeys', async () => {
      // GeoKeys that say UTM 48N for a raster that is really in GK zone 36.
      const wrongKeys = tiff(100, 100, plane, { ...userDefined, ProjectedCSTypeGeoKey: 32648 });
      const grid = await readGeoTiff(wrongKeys, { file: 'gk.tif', crs: 'EPSG:4524' });
      expect(grid.crs.id).toBe('EPSG:4524');
      expect(grid.sample(106.66, 35.54)).toBeCloseTo(plane(col, row), 2);
    });

    it('is an option mistake when lifecircle does not know it, named by the option', async () => {
      await expect(
        readGeoTiff(bytes(), { file: 'gk.tif', crs: 'EPSG:1', optionWording: () => '--dem-crs' }),
      ).rejects.toThrow(/^--dem-crs: 'EPSG:1' \(for gk\.tif\) .*\nAccepted forms:/s);
      // A zone family on eastings that carry no zone number cannot say which zone.
      const noPrefix = tiff(10, 10, plane, { ...userDefined, ModelTiepoint: [0, 0, 0, 376000, 3936000, 0] });
      await expect(readGeoTiff(noPrefix, { file: 'gk.tif', crs: 'cgcs2000-gk3' })).rejects.toThrow(
        /^gk\.tif: is read as cgcs2000-gk3 \(the crs option\): /,
      );
    });
  });

  describe('bad input names the file and says what is wrong', () => {
    it('a TIFF without georeference', async () => {
      // The writer always georeferences, so the tags are renamed away afterwards.
      const bytes = withoutTags(tiff(4, 4, plane, geographic), [MODEL_PIXEL_SCALE, MODEL_TIEPOINT]);
      await expect(readGeoTiff(bytes, { file: 'photo.tif' })).rejects.toThrow(
        /^photo\.tif: has no georeference/,
      );
    });

    it('a coordinate system with no EPSG code', async () => {
      const bytes = tiff(4, 4, plane, { ...geographic, GeographicTypeGeoKey: 32767 });
      await expect(readGeoTiff(bytes, { file: 'local.tif' })).rejects.toThrow(
        /local\.tif: has no EPSG code in its GeoKeys \(a user-defined system\)/,
      );
    });

    it('an EPSG code lifecircle does not know', async () => {
      const bytes = tiff(4, 4, plane, { ...geographic, GeographicTypeGeoKey: 4999 });
      await expect(readGeoTiff(bytes, { file: 'odd.tif' })).rejects.toThrow(
        /odd\.tif: its GeoKeys name EPSG:4999/,
      );
    });

    it('a raster that misses the study area', async () => {
      const bytes = tiff(10, 10, plane, geographic);
      await expect(
        readGeoTiff(bytes, { file: 'elsewhere.tif', bbox: [110, 30, 110.1, 30.1] }),
      ).rejects.toThrow(
        /elsewhere\.tif: does not cover the study area: the raster spans \[106\.6000, 35\.5900, 106\.6100, 35\.6000\]/,
      );
    });

    it('no data anywhere over the study area', async () => {
      const bytes = tiff(10, 10, () => -32768, { ...geographic, GDAL_NODATA: '-32768' });
      await expect(readGeoTiff(bytes, { file: 'empty.tif' })).rejects.toThrow(
        /empty\.tif: holds no data over the study area: all 100 cells .* are no-data \(value -32768\)/,
      );
    });

    it('bytes that are not a TIFF', async () => {
      await expect(
        readGeoTiff(new TextEncoder().encode('id,lon,lat\n'), { file: 'dem.csv' }),
      ).rejects.toThrow(/^dem\.csv: is not a readable GeoTIFF/);
    });
  });
});

describe('readGeoTiff by window, in pieces', () => {
  // 300 × 240 cells of 0.001°, values a hash of the cell (no plane: each cell must land in its own
  // place), a few cells without data (NaN).
  const width = 300;
  const height = 240;
  const cellValue = (col: number, row: number): number =>
    (col * 7 + row * 13) % 29 === 0 ? Number.NaN : ((col * 2654435761 + row * 40503) % 1000) / 10;
  const values = new Float32Array(width * height);
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) values[r * width + c] = cellValue(c, r);
  const grid = { width, height, values, west: 106.6, north: 35.6, cell: 0.001 };
  const bbox = [106.7, 35.45, 106.78, 35.52] as const;
  const layouts: [string, TiffLayout][] = [
    ['tiled (32 × 16 tiles)', { tile: [32, 16] }],
    ['striped (7 rows a strip)', { rowsPerStrip: 7 }],
  ];

  /** A range source over the bytes that counts what is read. */
  const counted = (bytes: ArrayBuffer) => {
    const whole = new Uint8Array(bytes);
    const source = {
      byteLength: whole.byteLength,
      read: async (offset: number, length: number) => {
        source.bytesRead += length;
        return whole.slice(offset, offset + length);
      },
      bytesRead: 0,
    };
    return source;
  };

  for (const [name, layout] of layouts) {
    it(`a ${name} raster gives the cells of the window, read whole or in bands of blocks, from bytes or by ranges`, async () => {
      const bytes = blockedTiff(grid, layout);
      // Today's read of the window in one piece, from the file's bytes.
      const whole = await readGeoTiff(bytes, { file: 'pop.tif', bbox, piecePixels: 1e9 });
      // The cells themselves, by their column and row: the window starts where its origin says.
      const col0 = Math.round((whole.originX - 106.6) / 0.001 - 0.5);
      const row0 = Math.round((35.6 - whole.originY) / 0.001 - 0.5);
      expect(col0).toBeGreaterThan(0);
      expect(row0).toBeGreaterThan(0);
      const expected = new Float32Array(whole.width * whole.height);
      for (let r = 0; r < whole.height; r++)
        for (let c = 0; c < whole.width; c++) expected[r * whole.width + c] = cellValue(col0 + c, row0 + r);
      expect(whole.values).toEqual(expected);
      // Pieces of a few hundred pixels: many bands, each of whole tiles or strips.
      const source = counted(bytes);
      const pieces = await readGeoTiff(source, { file: 'pop.tif', bbox, piecePixels: 500 });
      expect(pieces.values).toEqual(whole.values);
      expect([pieces.width, pieces.height, pieces.validCount]).toEqual([
        whole.width,
        whole.height,
        whole.validCount,
      ]);
      expect(pieces.sample(106.74, 35.48)).toBe(whole.sample(106.74, 35.48));
      // Only the window's blocks (and the headers) were read: far less than the file.
      expect(source.bytesRead).toBeLessThan(bytes.byteLength / 3);
      // geotiff's own one-strip writer, read whole as before: the same cells.
      const oneStrip = await readGeoTiff(
        writeArrayBuffer(values, { width, height, SampleFormat: [3], BitsPerSample: [32], ...geographic }),
        { file: 'pop.tif', bbox },
      );
      expect(oneStrip.values).toEqual(whole.values);
    });
  }

  describe('a raster stored as one strip is read by rows', () => {
    // 1000 × 800 cells, so that the parts read are measurable against the file.
    const bigWidth = 1000;
    const bigHeight = 800;
    const bigValues = new Float32Array(bigWidth * bigHeight);
    for (let r = 0; r < bigHeight; r++)
      for (let c = 0; c < bigWidth; c++) bigValues[r * bigWidth + c] = cellValue(c, r);
    const big = { ...grid, width: bigWidth, height: bigHeight, values: bigValues };
    // Rows about 300 to 400 of 800.
    const middle = [106.9, 35.2, 107.0, 35.3] as const;
    /** The window's cells from the raster's own values, by the column and row its origin gives. */
    const expectedCells = (read: { originX: number; originY: number; width: number; height: number }) => {
      const col0 = Math.round((read.originX - 106.6) / 0.001 - 0.5);
      const row0 = Math.round((35.6 - read.originY) / 0.001 - 0.5);
      const cells = new Float32Array(read.width * read.height);
      for (let r = 0; r < read.height; r++)
        for (let c = 0; c < read.width; c++) cells[r * read.width + c] = cellValue(col0 + c, row0 + r);
      return { cells, row0 };
    };
    const compressions = [undefined, 'deflate', 'packbits', 'lzw', 'lzw-predictor'] as const;

    for (const compression of compressions) {
      it(`${compression ?? 'uncompressed'}: the window's cells, the same as from 7-row strips, reading only what it needs`, async () => {
        const striped = await readGeoTiff(blockedTiff(big, { rowsPerStrip: 7, compression }), {
          file: 'pop.tif',
          bbox: middle,
        });
        const bytes = blockedTiff(big, { rowsPerStrip: bigHeight, compression });
        const source = counted(bytes);
        const one = await readGeoTiff(source, { file: 'pop.tif', bbox: middle });
        const { cells, row0 } = expectedCells(one);
        expect(one.values).toEqual(cells);
        expect(one.values).toEqual(striped.values);
        expect([one.width, one.height, one.validCount]).toEqual([
          striped.width,
          striped.height,
          striped.validCount,
        ]);
        // From the bytes and from a Blob (a dropped File), the same cells.
        expect((await readGeoTiff(bytes, { file: 'pop.tif', bbox: middle })).values).toEqual(cells);
        expect((await readGeoTiff(new Blob([bytes]), { file: 'pop.tif', bbox: middle })).values).toEqual(
          cells,
        );
        const lastRow = row0 + one.height;
        expect(lastRow / bigHeight).toBeLessThan(0.55);
        if (compression === undefined) {
          // Only the window's rows (whole rows of 1000 cells of 4 bytes) and the headers.
          expect(source.bytesRead).toBeLessThan(one.height * bigWidth * 4 + 8192);
        } else {
          // Decoded from the strip's start, stopped after the window's last row (and one read of 64 KB).
          expect(source.bytesRead).toBeLessThan((lastRow / bigHeight) * bytes.byteLength + 64 * 1024 + 8192);
        }
      });
    }

    it('a window in the top rows of a compressed strip reads a small part of the file', async () => {
      for (const compression of ['deflate', 'packbits', 'lzw', 'lzw-predictor'] as const) {
        const bytes = blockedTiff(big, { rowsPerStrip: bigHeight, compression });
        const source = counted(bytes);
        const top = await readGeoTiff(source, { file: 'pop.tif', bbox: [106.65, 35.55, 106.75, 35.58] });
        const { cells, row0 } = expectedCells(top);
        expect(top.values).toEqual(cells);
        // Rows 20 to about 50 of 800: one read of 64 KB beyond them at most, half the file or less.
        const needed = ((row0 + top.height) / bigHeight) * bytes.byteLength;
        expect(source.bytesRead).toBeLessThan(needed + 64 * 1024 + 8192);
        expect(source.bytesRead).toBeLessThan(bytes.byteLength / 2);
      }
    });

    it('an LZW strip, with or without predictor 2, read by rows equals the package reading it whole, cell by cell (property)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 90 }),
          fc.integer({ min: 1, max: 70 }),
          // Few distinct values make long table entries and clears; any float32 bits make short ones.
          fc.oneof(fc.constantFrom(0, 1, 2.5), fc.float({ noNaN: true })),
          fc.integer({ min: 0, max: 2 ** 31 }),
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          fc.boolean(),
          async (width, height, base, seed, [top, span], predictor) => {
            const values = new Float32Array(width * height);
            let state = seed;
            for (let i = 0; i < values.length; i++) {
              state = (Math.imul(state, 1103515245) + 12345) >>> 0;
              values[i] = state % 3 === 0 ? base : (state >>> 8) % 7;
            }
            const g = { width, height, values, west: 106.6, north: 35.6, cell: 0.001 };
            const compression = predictor ? 'lzw-predictor' : 'lzw';
            const north = 35.6 - top * height * 0.001;
            const box = [
              106.6,
              north - Math.max(0.0005, span * height * 0.001),
              106.6 + width * 0.001,
              north,
            ] as const;
            // Rows of 1: the package decodes each strip whole, so it is the reference.
            const whole = await readGeoTiff(blockedTiff(g, { rowsPerStrip: 1, compression }), {
              file: 'a.tif',
              bbox: box,
            });
            const byRows = await readGeoTiff(blockedTiff(g, { rowsPerStrip: height, compression }), {
              file: 'a.tif',
              bbox: box,
            });
            expect([byRows.width, byRows.height, byRows.validCount]).toEqual([
              whole.width,
              whole.height,
              whole.validCount,
            ]);
            expect(byRows.values).toEqual(whole.values);
          },
        ),
        { numRuns: 40 },
      );
    });

    it('a corrupt LZW strip names the file', async () => {
      const bytes = new Uint8Array(blockedTiff(big, { rowsPerStrip: bigHeight, compression: 'lzw' }));
      // Codes far beyond the table from the strip's start on.
      bytes.fill(0xff, bytes.byteLength - Math.floor(bytes.byteLength * 0.9), bytes.byteLength);
      await expect(readGeoTiff(bytes, { file: 'bad.tif', bbox: middle })).rejects.toThrow(
        /^bad\.tif: could not be decoded \(invalid LZW code/,
      );
    });

    it('a strip shorter than its rows names the file', async () => {
      const bytes = new Uint8Array(blockedTiff(grid, { rowsPerStrip: height }));
      // Cut the file in the window's rows: the range reader gets fewer bytes than the rows need.
      const cut = bytes.slice(0, Math.floor(bytes.byteLength * 0.4));
      await expect(readGeoTiff(cut, { file: 'cut.tif', bbox })).rejects.toThrow(
        /^cut\.tif: could not be decoded \(the strip ends before row/,
      );
    });
  });

  it('a range source names the file when the raster misses the study area', async () => {
    const source = counted(blockedTiff(grid, { tile: [32, 16] }));
    await expect(readGeoTiff(source, { file: 'far.tif', bbox: [110, 30, 110.1, 30.1] })).rejects.toThrow(
      /^far\.tif: does not cover the study area/,
    );
  });
});
