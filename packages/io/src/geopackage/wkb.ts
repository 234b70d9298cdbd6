import type { Geometry, LineString, Point, Polygon, Position } from 'geojson';

/**
 * Reads well-known binary (ISO WKB, as in GeoPackage, and PostGIS's EWKB flags) into GeoJSON: points,
 * lines, polygons, their multi forms and collections, in 2, 3 (Z or M) or 4 dimensions. Positions keep
 * x, y and z; m is dropped. An empty point (NaN coordinates) reads as null. Throws a plain Error with
 * the offset on bytes it cannot read; the caller names the file and feature.
 *
 * @example
 * const xy = new Uint8Array(Float64Array.of(106.66, 35.54).buffer); // x, y as little-endian doubles
 * readWkb(new Uint8Array([1, 1, 0, 0, 0, ...xy])); // { type: 'Point', coordinates: [106.66, 35.54] }
 */
export function readWkb(bytes: Uint8Array, start = 0): Geometry | null {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = start;

  function need(n: number): void {
    if (offset + n > bytes.byteLength) {
      throw new Error(
        `well-known binary ends early (needs ${n} bytes at byte ${offset} of ${bytes.byteLength})`,
      );
    }
  }

  function geometry(): Geometry | null {
    need(5);
    const little = v.getUint8(offset) === 1;
    let type = v.getUint32(offset + 1, little);
    offset += 5;
    let hasZ = (type & 0x80000000) !== 0;
    let hasM = (type & 0x40000000) !== 0;
    if (type & 0x20000000) {
      need(4);
      offset += 4; // an EWKB SRID, which GeoPackage does not use
    }
    type &= 0x0fffffff;
    const thousands = Math.floor(type / 1000);
    type %= 1000;
    if (thousands === 1 || thousands === 3) hasZ = true;
    if (thousands === 2 || thousands === 3) hasM = true;
    const dims = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0);

    const u32 = (): number => {
      need(4);
      const n = v.getUint32(offset, little);
      offset += 4;
      return n;
    };
    const position = (): Position => {
      need(8 * dims);
      const p: Position = [v.getFloat64(offset, little), v.getFloat64(offset + 8, little)];
      if (hasZ) p.push(v.getFloat64(offset + 16, little));
      offset += 8 * dims;
      return p;
    };
    const positions = (): Position[] => {
      const n = u32();
      need(n * 8 * dims);
      return Array.from({ length: n }, position);
    };
    const rings = (): Position[][] => Array.from({ length: u32() }, positions);
    const parts = <T>(read: () => T): T[] => {
      const n = u32();
      return Array.from({ length: n }, read);
    };
    const part = <G extends Geometry>(kind: G['type']) => {
      return () => {
        const g = geometry();
        if (g !== null && g.type !== kind) throw new Error(`a ${g.type} inside a multi-geometry of ${kind}s`);
        return g as G | null;
      };
    };

    switch (type) {
      case 1: {
        const p = position();
        return Number.isNaN(p[0]) && Number.isNaN(p[1]) ? null : { type: 'Point', coordinates: p };
      }
      case 2:
        return { type: 'LineString', coordinates: positions() };
      case 3:
        return { type: 'Polygon', coordinates: rings() };
      case 4:
        return {
          type: 'MultiPoint',
          coordinates: parts(part<Point>('Point'))
            .filter((g) => g !== null)
            .map((g) => g.coordinates),
        };
      case 5:
        return {
          type: 'MultiLineString',
          coordinates: parts(part<LineString>('LineString')).map((g) => g?.coordinates ?? []),
        };
      case 6:
        return {
          type: 'MultiPolygon',
          coordinates: parts(part<Polygon>('Polygon')).map((g) => g?.coordinates ?? []),
        };
      case 7:
        return {
          type: 'GeometryCollection',
          geometries: parts(geometry).filter((g): g is Geometry => g !== null),
        };
      default:
        throw new Error(
          `unsupported well-known binary geometry type ${type} (curves and surfaces are not read)`,
        );
    }
  }

  return geometry();
}

/**
 * Reads a GeoPackage geometry blob: the `GP` header (version, flags, SRS id, optional envelope) and the
 * WKB after it. An empty geometry reads as null.
 */
export function readGeoPackageGeometry(blob: Uint8Array): Geometry | null {
  if (blob.byteLength < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) {
    throw new Error('not a GeoPackage geometry (it does not start with "GP")');
  }
  const flags = blob[3]!;
  if (flags & 0x20) throw new Error('an extended GeoPackage geometry type, which is not read');
  const envelope = (flags >> 1) & 0x07;
  const envelopeBytes = [0, 32, 48, 48, 64][envelope];
  if (envelopeBytes === undefined) throw new Error(`an invalid envelope code ${envelope}`);
  if (flags & 0x10) return null;
  return readWkb(blob, 8 + envelopeBytes);
}

/** Bytes written one value at a time into a buffer that grows as needed. */
class ByteWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.byteLength) return;
    let size = this.bytes.byteLength * 2;
    while (size < this.length + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
    this.view = new DataView(bigger.buffer);
  }

  u8(value: number): void {
    this.room(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
  }

  u32(value: number): void {
    this.room(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  i32(value: number): void {
    this.room(4);
    this.view.setInt32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.room(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

const WKB_TYPE: Readonly<Record<string, number>> = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
};

function isPosition(p: unknown): p is number[] {
  return Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

/** Positions of a coordinate array; anything that is not a position of finite numbers is left out. */
function positionsOf(coordinates: unknown): number[][] {
  return Array.isArray(coordinates) ? coordinates.filter(isPosition) : [];
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The parts of a collection that are geometries of a type WKB has. */
function partsOf(collection: { geometries?: unknown }): Geometry[] {
  return listOf(collection.geometries).filter(
    (g): g is Geometry =>
      typeof g === 'object' && g !== null && WKB_TYPE[(g as { type?: string }).type ?? ''] !== undefined,
  );
}

/** Calls `visit` with every position of a geometry that {@link writeWkb} writes. */
function eachPosition(geometry: Geometry, visit: (p: number[]) => void): void {
  const c = (geometry as { coordinates?: unknown }).coordinates;
  switch (geometry.type) {
    case 'Point':
      if (isPosition(c)) visit(c);
      return;
    case 'LineString':
    case 'MultiPoint':
      positionsOf(c).forEach(visit);
      return;
    case 'Polygon':
    case 'MultiLineString':
      for (const ring of listOf(c)) positionsOf(ring).forEach(visit);
      return;
    case 'MultiPolygon':
      for (const polygon of listOf(c)) for (const ring of listOf(polygon)) positionsOf(ring).forEach(visit);
      return;
    case 'GeometryCollection':
      for (const part of partsOf(geometry)) eachPosition(part, visit);
      return;
  }
}

/** Whether a geometry has heights: some position with a third, finite number. */
export function hasZ(geometry: Geometry): boolean {
  let z = false;
  eachPosition(geometry, (p) => {
    if (Number.isFinite(p[2])) z = true;
  });
  return z;
}

function putGeometry(out: ByteWriter, geometry: Geometry, z: boolean): void {
  const type = WKB_TYPE[geometry.type];
  if (type === undefined) throw new Error(`'${String(geometry.type)}' is not a GeoJSON geometry type`);
  out.u8(1);
  out.u32(type + (z ? 1000 : 0));
  const position = (p: number[]) => {
    out.f64(p[0]!);
    out.f64(p[1]!);
    if (z) out.f64(Number.isFinite(p[2]) ? p[2]! : 0);
  };
  const positions = (c: unknown) => {
    const list = positionsOf(c);
    out.u32(list.length);
    list.forEach(position);
  };
  const rings = (c: unknown) => {
    const list = listOf(c);
    out.u32(list.length);
    list.forEach(positions);
  };
  const c = (geometry as { coordinates?: unknown }).coordinates;
  switch (geometry.type) {
    case 'Point':
      // GeoPackage writes an empty point as NaN coordinates.
      if (isPosition(c)) position(c);
      else position(z ? [Number.NaN, Number.NaN, Number.NaN] : [Number.NaN, Number.NaN]);
      return;
    case 'LineString':
      positions(c);
      return;
    case 'Polygon':
      rings(c);
      return;
    case 'MultiPoint': {
      const list = positionsOf(c);
      out.u32(list.length);
      for (const p of list) putGeometry(out, { type: 'Point', coordinates: p }, z);
      return;
    }
    case 'MultiLineString': {
      const list = listOf(c);
      out.u32(list.length);
      for (const line of list) putGeometry(out, { type: 'LineString', coordinates: line as Position[] }, z);
      return;
    }
    case 'MultiPolygon': {
      const list = listOf(c);
      out.u32(list.length);
      for (const polygon of list) {
        putGeometry(out, { type: 'Polygon', coordinates: polygon as Position[][] }, z);
      }
      return;
    }
    case 'GeometryCollection': {
      const list = partsOf(geometry);
      out.u32(list.length);
      for (const part of list) putGeometry(out, part, z);
      return;
    }
  }
}

/**
 * Writes a GeoJSON geometry as little-endian ISO well-known binary: points, lines, polygons, their
 * multi forms and collections, with z (types 1001–1007) when `z` is true, else 2D. Positions that are
 * not two finite numbers are left out; a point without one is written empty (NaN coordinates).
 * The inverse of {@link readWkb}.
 *
 * @example
 * readWkb(writeWkb({ type: 'Point', coordinates: [106.66, 35.54] })); // the same point
 */
export function writeWkb(geometry: Geometry, z: boolean = hasZ(geometry)): Uint8Array {
  const out = new ByteWriter();
  putGeometry(out, geometry, z);
  return out.result();
}

/** The x and y extent of a geometry's positions, `[minX, minY, maxX, maxY]`, or null when it has none. */
export function extentOf(geometry: Geometry): [number, number, number, number] | null {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  eachPosition(geometry, ([x, y]) => {
    if (x! < minX) minX = x!;
    if (x! > maxX) maxX = x!;
    if (y! < minY) minY = y!;
    if (y! > maxY) maxY = y!;
  });
  return minX === Infinity ? null : [minX, minY, maxX, maxY];
}

/**
 * A GeoPackage geometry blob (GeoPackage 1.3, clause 2.1.3): `GP`, version 0, flags (little-endian,
 * standard type, an x/y envelope, or the empty flag for a geometry without positions), the SRS id,
 * the envelope `[minX, maxX, minY, maxY]`, then {@link writeWkb}. The inverse of
 * {@link readGeoPackageGeometry}.
 *
 * @param srsId the `srs_id` of the table's geometry column in `gpkg_spatial_ref_sys`
 * @param z whether to write heights (default: when the geometry has any)
 */
export function writeGeoPackageGeometry(
  geometry: Geometry,
  srsId: number,
  z: boolean = hasZ(geometry),
): Uint8Array {
  const extent = extentOf(geometry);
  const out = new ByteWriter();
  out.u8(0x47);
  out.u8(0x50);
  out.u8(0);
  // Bit 0: little-endian header; bits 1–3: envelope code 1 (x/y); bit 4: empty geometry.
  out.u8(extent === null ? 0x11 : 0x03);
  out.i32(srsId);
  if (extent !== null) {
    const [minX, minY, maxX, maxY] = extent;
    out.f64(minX);
    out.f64(maxX);
    out.f64(minY);
    out.f64(maxY);
  }
  putGeometry(out, geometry, z);
  return out.result();
}
