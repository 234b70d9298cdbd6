import fc from 'fast-check';
import type { Geometry, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readGeoPackageGeometry, readWkb, writeGeoPackageGeometry, writeWkb } from './wkb.js';

/** WKB written by hand: byte order, type, then the given doubles and counts in order. */
type Part = readonly ['u8' | 'u32' | 'f64', number];

function wkb(littleEndian: boolean, parts: readonly Part[]): Uint8Array {
  const size = parts.reduce((n, [kind]) => n + (kind === 'f64' ? 8 : kind === 'u32' ? 4 : 1), 0);
  const view = new DataView(new ArrayBuffer(size));
  let o = 0;
  for (const [kind, value] of parts) {
    if (kind === 'u8') view.setUint8(o++, value);
    else if (kind === 'u32') {
      view.setUint32(o, value, littleEndian);
      o += 4;
    } else {
      view.setFloat64(o, value, littleEndian);
      o += 8;
    }
  }
  return new Uint8Array(view.buffer);
}

const header = (little: boolean, type: number) =>
  [
    ['u8', little ? 1 : 0],
    ['u32', type],
  ] as const;

describe('readWkb', () => {
  it('reads a point in either byte order', () => {
    for (const little of [true, false]) {
      const bytes = wkb(little, [...header(little, 1), ['f64', 106.66], ['f64', 35.54]]);
      expect(readWkb(bytes)).toEqual({ type: 'Point', coordinates: [106.66, 35.54] });
    }
  });

  it('keeps z of ISO (1001) and EWKB (flag) points, drops m', () => {
    expect(readWkb(wkb(true, [...header(true, 1001), ['f64', 1], ['f64', 2], ['f64', 3]]))).toEqual({
      type: 'Point',
      coordinates: [1, 2, 3],
    });
    expect(readWkb(wkb(true, [...header(true, 0x80000001), ['f64', 1], ['f64', 2], ['f64', 3]]))).toEqual({
      type: 'Point',
      coordinates: [1, 2, 3],
    });
    expect(readWkb(wkb(true, [...header(true, 2001), ['f64', 1], ['f64', 2], ['f64', 9]]))).toEqual({
      type: 'Point',
      coordinates: [1, 2],
    });
  });

  it('reads a polygon with a hole and a multipolygon', () => {
    const ring = (r: number[][]): Part[] => [
      ['u32', r.length],
      ...r.flatMap(([x, y]): Part[] => [
        ['f64', x!],
        ['f64', y!],
      ]),
    ];
    const outer = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 0],
    ];
    const inner = [
      [1, 1],
      [2, 1],
      [2, 2],
      [1, 1],
    ];
    const polygon: Part[] = [...header(true, 3), ['u32', 2], ...ring(outer), ...ring(inner)];
    expect(readWkb(wkb(true, polygon))).toEqual({
      type: 'Polygon',
      coordinates: [outer, inner],
    });
    const multi = wkb(true, [...header(true, 6), ['u32', 2], ...polygon, ...polygon]);
    expect(readWkb(multi)).toEqual({
      type: 'MultiPolygon',
      coordinates: [
        [outer, inner],
        [outer, inner],
      ],
    });
  });

  it('an empty point is null; a truncated blob and a curve are errors with the reason', () => {
    expect(readWkb(wkb(true, [...header(true, 1), ['f64', Number.NaN], ['f64', Number.NaN]]))).toBeNull();
    expect(() => readWkb(wkb(true, [...header(true, 2), ['u32', 5], ['f64', 1]]))).toThrowError(/ends early/);
    expect(() => readWkb(wkb(true, [...header(true, 8), ['u32', 0]]))).toThrowError(/unsupported .* type 8/);
  });
});

describe('readGeoPackageGeometry', () => {
  it('skips the GP header and its envelope', () => {
    const point = wkb(true, [...header(true, 1), ['f64', 106.66], ['f64', 35.54]]);
    const blob = new Uint8Array(8 + 32 + point.byteLength);
    blob.set([0x47, 0x50, 0, 0b0000_0011]); // little-endian, envelope [minx, maxx, miny, maxy]
    blob.set(point, 40);
    expect(readGeoPackageGeometry(blob)).toEqual({ type: 'Point', coordinates: [106.66, 35.54] });
    blob[3] = 0b0001_0011; // the empty-geometry flag
    expect(readGeoPackageGeometry(blob)).toBeNull();
    expect(() => readGeoPackageGeometry(point)).toThrowError(/does not start with "GP"/);
  });
});

describe('writeWkb', () => {
  it('writes a point as the bytes of the standard: little-endian, type 1, x, y', () => {
    expect(writeWkb({ type: 'Point', coordinates: [106.66, 35.54] })).toEqual(
      wkb(true, [...header(true, 1), ['f64', 106.66], ['f64', 35.54]]),
    );
    expect(writeWkb({ type: 'Point', coordinates: [1, 2, 3] })).toEqual(
      wkb(true, [...header(true, 1001), ['f64', 1], ['f64', 2], ['f64', 3]]),
    );
  });

  it('writes a polygon with a hole as rings of positions', () => {
    const outer = [
      [0, 0],
      [4, 0],
      [4, 4],
      [0, 0],
    ];
    const ring = (r: number[][]): Part[] => [
      ['u32', r.length],
      ...r.flatMap(([x, y]): Part[] => [
        ['f64', x!],
        ['f64', y!],
      ]),
    ];
    expect(writeWkb({ type: 'Polygon', coordinates: [outer, outer] })).toEqual(
      wkb(true, [...header(true, 3), ['u32', 2], ...ring(outer), ...ring(outer)]),
    );
  });

  // Positions as GeoJSON keeps them: two or three finite doubles.
  const xy = fc.tuple(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
  const geometryOf = (z: boolean): fc.Arbitrary<Geometry> => {
    const position: fc.Arbitrary<Position> = z
      ? fc.tuple(xy, fc.double({ noNaN: true, noDefaultInfinity: true })).map(([[x, y], h]) => [x, y, h])
      : xy.map(([x, y]) => [x, y]);
    const line = fc.array(position, { maxLength: 6 });
    const rings = fc.array(line, { maxLength: 3 });
    const simple: fc.Arbitrary<Geometry> = fc.oneof(
      position.map((coordinates): Geometry => ({ type: 'Point', coordinates })),
      fc
        .array(position, { minLength: 1, maxLength: 4 })
        .map((coordinates): Geometry => ({ type: 'MultiPoint', coordinates })),
      line.map((coordinates): Geometry => ({ type: 'LineString', coordinates })),
      fc
        .array(line, { maxLength: 3 })
        .map((coordinates): Geometry => ({ type: 'MultiLineString', coordinates })),
      rings.map((coordinates): Geometry => ({ type: 'Polygon', coordinates })),
      fc
        .array(rings, { maxLength: 3 })
        .map((coordinates): Geometry => ({ type: 'MultiPolygon', coordinates })),
    );
    return fc.oneof(
      { weight: 6, arbitrary: simple },
      {
        weight: 1,
        arbitrary: fc
          .array(simple, { maxLength: 3 })
          .map((geometries): Geometry => ({ type: 'GeometryCollection', geometries })),
      },
    );
  };

  it('reads back to the same geometry, 2D and with heights, alone and in a GeoPackage blob', () => {
    const cases = fc.boolean().chain((z) => fc.tuple(geometryOf(z), fc.integer({ min: -1, max: 200_000 })));
    fc.assert(
      fc.property(cases, ([geometry, srsId]) => {
        expect(readWkb(writeWkb(geometry))).toEqual(geometry);
        const blob = writeGeoPackageGeometry(geometry, srsId);
        expect(new DataView(blob.buffer).getInt32(4, true)).toBe(srsId);
        const back = readGeoPackageGeometry(blob);
        // A geometry without a position is written with the empty flag, and reads as null.
        if (back === null) expect(JSON.stringify(geometry)).not.toMatch(/\[-?\d/);
        else expect(back).toEqual(geometry);
      }),
      { numRuns: 300 },
    );
  });
});

describe('writeGeoPackageGeometry', () => {
  it('writes GP, version 0, little-endian flags with an x/y envelope, the SRS id and the envelope', () => {
    const line: Geometry = {
      type: 'LineString',
      coordinates: [
        [3, 8],
        [1, 9],
        [2, 7],
      ],
    };
    const blob = writeGeoPackageGeometry(line, 4524);
    const view = new DataView(blob.buffer);
    expect([...blob.subarray(0, 4)]).toEqual([0x47, 0x50, 0, 0b0000_0011]);
    expect(view.getInt32(4, true)).toBe(4524);
    // [minx, maxx, miny, maxy]
    expect([8, 16, 24, 32].map((o) => view.getFloat64(o, true))).toEqual([1, 3, 7, 9]);
    expect(blob.subarray(40)).toEqual(writeWkb(line));
  });

  it('flags a geometry without positions as empty, with no envelope; an empty point is NaN', () => {
    const blob = writeGeoPackageGeometry({ type: 'Point', coordinates: [] }, 4326);
    expect(blob[3]).toBe(0b0001_0001);
    expect(blob.subarray(8)).toEqual(
      wkb(true, [...header(true, 1), ['f64', Number.NaN], ['f64', Number.NaN]]),
    );
    expect(readGeoPackageGeometry(blob)).toBeNull();
    expect(writeGeoPackageGeometry({ type: 'Polygon', coordinates: [] }, 4326)[3]).toBe(0b0001_0001);
  });
});
