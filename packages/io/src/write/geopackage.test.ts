import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import initSqlJs from 'sql.js';
import { afterAll, describe, expect, it } from 'vitest';
import { crsOfEpsg, WGS84 } from '../crs/definitions.js';
import { parseCrs } from '../crs/parse.js';
import { reprojectFeatureCollection } from '../crs/reproject.js';
import { readGeoPackage } from '../geopackage/geopackage.js';
import type { Crs } from '../index.js';
import { writeGeoPackage } from './geopackage.js';

const COMMUNITIES = JSON.parse(
  readFileSync(new URL('../../../../fixtures/pingliang/communities.geojson', import.meta.url), 'utf8'),
) as FeatureCollection;
const DATE = new Date('2025-06-01T08:00:00.000Z');
const TMP = mkdtempSync(join(tmpdir(), 'lifecircle-gpkg-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

type Row = Record<string, unknown>;
type Database = InstanceType<Awaited<ReturnType<typeof initSqlJs>>['Database']>;

/** Opens the bytes with sql.js directly, as any SQLite reader would, not through lifecircle's reader. */
async function open(bytes: Uint8Array): Promise<Database> {
  const SQL = await initSqlJs();
  return new SQL.Database(bytes);
}

function rows(db: Database, sql: string): Row[] {
  const [result] = db.exec(sql);
  if (!result) return [];
  return result.values.map((values) => Object.fromEntries(result.columns.map((c, i) => [c, values[i]])));
}

/** Columns as `PRAGMA table_info` gives them: name, declared type, NOT NULL and primary key. */
function columns(db: Database, table: string): [string, string, number, number][] {
  return rows(db, `PRAGMA table_info("${table}")`).map((c) => [
    String(c.name),
    String(c.type),
    Number(c.notnull),
    Number(c.pk),
  ]);
}

/** A multipolygon's coordinates, for comparing with what a Polygon became in a MULTIPOLYGON table. */
function asMulti(geometry: Geometry): Position[][][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  throw new Error(`not a polygon: ${geometry.type}`);
}

function bounds(collection: FeatureCollection): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of collection.features) {
    for (const polygon of asMulti(f.geometry!)) {
      for (const ring of polygon) {
        for (const [x, y] of ring) {
          minX = Math.min(minX, x!);
          minY = Math.min(minY, y!);
          maxX = Math.max(maxX, x!);
          maxY = Math.max(maxY, y!);
        }
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

describe('writeGeoPackage: the bundled city', () => {
  it('reads back with lifecircle’s reader: every feature, property and position, Chinese names intact', async () => {
    const { bytes, tables, srsId, warnings } = await writeGeoPackage(COMMUNITIES, {
      name: 'communities',
      date: DATE,
    });
    expect(tables).toEqual(['communities']);
    expect(srsId).toBe(4326);
    expect(warnings).toEqual([]);
    const back = await readGeoPackage(bytes, 'communities.gpkg');
    expect(back.crs).toEqual({ source: 'geopackage', name: 'EPSG:4326', wkt: WGS84.wkt });
    expect(back.rejected).toEqual([]);
    expect(back.collection.features).toHaveLength(COMMUNITIES.features.length);
    const keys = new Set(COMMUNITIES.features.flatMap((f) => Object.keys(f.properties ?? {})));
    const nulls = Object.fromEntries([...keys].map((k) => [k, null]));
    back.collection.features.forEach((feature, i) => {
      const original = COMMUNITIES.features[i]!;
      expect(feature.id).toBe(i + 1);
      // A property some communities lack is a column all have: NULL where it was missing.
      expect(feature.properties).toEqual({ ...nulls, ...original.properties });
      // Polygons and multipolygons share one MULTIPOLYGON table; positions are exact doubles.
      expect(feature.geometry.type).toBe('MultiPolygon');
      expect(asMulti(feature.geometry)).toEqual(asMulti(original.geometry!));
    });
    expect(back.collection.features[0]!.properties!.name).toBe('阳光新村社区');
  });

  it('is a GeoPackage by the standard, checked with plain SQL: header, required tables, rows and blobs', async () => {
    const { bytes } = await writeGeoPackage(COMMUNITIES, { name: 'communities', date: DATE });
    // The SQLite header: application_id 'GPKG' at byte 68, user_version 10300 at byte 60 (big-endian).
    const header = new DataView(bytes.buffer, bytes.byteOffset);
    expect(new TextDecoder().decode(bytes.subarray(68, 72))).toBe('GPKG');
    expect(header.getUint32(60, false)).toBe(10300);
    const db = await open(bytes);
    try {
      expect(rows(db, 'PRAGMA application_id')[0]!.application_id).toBe(0x47504b47);
      expect(rows(db, 'PRAGMA user_version')[0]!.user_version).toBe(10300);
      expect(rows(db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
      // Table definitions of GeoPackage 1.3, Annex C.
      expect(columns(db, 'gpkg_spatial_ref_sys')).toEqual([
        ['srs_name', 'TEXT', 1, 0],
        ['srs_id', 'INTEGER', 1, 1],
        ['organization', 'TEXT', 1, 0],
        ['organization_coordsys_id', 'INTEGER', 1, 0],
        ['definition', 'TEXT', 1, 0],
        ['description', 'TEXT', 0, 0],
      ]);
      expect(columns(db, 'gpkg_contents')).toEqual([
        ['table_name', 'TEXT', 1, 1],
        ['data_type', 'TEXT', 1, 0],
        ['identifier', 'TEXT', 0, 0],
        ['description', 'TEXT', 0, 0],
        ['last_change', 'DATETIME', 1, 0],
        ['min_x', 'DOUBLE', 0, 0],
        ['min_y', 'DOUBLE', 0, 0],
        ['max_x', 'DOUBLE', 0, 0],
        ['max_y', 'DOUBLE', 0, 0],
        ['srs_id', 'INTEGER', 0, 0],
      ]);
      expect(columns(db, 'gpkg_geometry_columns')).toEqual([
        ['table_name', 'TEXT', 1, 1],
        ['column_name', 'TEXT', 1, 2],
        ['geometry_type_name', 'TEXT', 1, 0],
        ['srs_id', 'INTEGER', 1, 0],
        ['z', 'TINYINT', 1, 0],
        ['m', 'TINYINT', 1, 0],
      ]);
      // Requirement 11: EPSG:4326 and the undefined Cartesian (-1) and geographic (0) systems.
      expect(
        rows(
          db,
          'SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys ORDER BY srs_id',
        ),
      ).toEqual([
        { srs_id: -1, organization: 'NONE', organization_coordsys_id: -1, definition: 'undefined' },
        { srs_id: 0, organization: 'NONE', organization_coordsys_id: 0, definition: 'undefined' },
        { srs_id: 4326, organization: 'EPSG', organization_coordsys_id: 4326, definition: WGS84.wkt },
      ]);
      const [minX, minY, maxX, maxY] = bounds(COMMUNITIES);
      expect(rows(db, 'SELECT * FROM gpkg_contents')).toEqual([
        {
          table_name: 'communities',
          data_type: 'features',
          identifier: 'communities',
          description: '',
          last_change: '2025-06-01T08:00:00.000Z',
          min_x: minX,
          min_y: minY,
          max_x: maxX,
          max_y: maxY,
          srs_id: 4326,
        },
      ]);
      expect(rows(db, 'SELECT * FROM gpkg_geometry_columns')).toEqual([
        {
          table_name: 'communities',
          column_name: 'geom',
          geometry_type_name: 'MULTIPOLYGON',
          srs_id: 4326,
          z: 0,
          m: 0,
        },
      ]);
      // The feature table: an integer primary key, the geometry, and a typed column per property.
      expect(columns(db, 'communities')).toEqual([
        ['fid', 'INTEGER', 1, 1],
        ['geom', 'MULTIPOLYGON', 0, 0],
        ['id', 'TEXT', 0, 0],
        ['name', 'TEXT', 0, 0],
        ['district', 'TEXT', 0, 0],
        ['population', 'INTEGER', 0, 0],
        ['households', 'INTEGER', 0, 0],
        ['built', 'INTEGER', 0, 0],
        ['children_0_3', 'INTEGER', 0, 0],
        ['elderly_60plus', 'INTEGER', 0, 0],
      ]);
      // Text is stored as UTF-8.
      const utf8 = [...new TextEncoder().encode('阳光新村社区')]
        .map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
        .join('');
      expect(rows(db, "SELECT hex(name) AS hex FROM communities WHERE id = 'KT-001'")[0]!.hex).toBe(utf8);
      // Each blob: GP, version 0, little-endian with an x/y envelope, SRS 4326, the feature's
      // [minx, maxx, miny, maxy], then little-endian WKB of a MultiPolygon (type 6).
      for (const row of rows(db, 'SELECT fid, geom FROM communities')) {
        const blob = row.geom as Uint8Array;
        const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
        expect([...blob.subarray(0, 4)]).toEqual([0x47, 0x50, 0, 0b0000_0011]);
        expect(view.getInt32(4, true)).toBe(4326);
        const feature = COMMUNITIES.features[(row.fid as number) - 1]!;
        const [fMinX, fMinY, fMaxX, fMaxY] = bounds({ type: 'FeatureCollection', features: [feature] });
        expect([8, 16, 24, 32].map((o) => view.getFloat64(o, true))).toEqual([fMinX, fMaxX, fMinY, fMaxY]);
        expect(blob[40]).toBe(1);
        expect(view.getUint32(41, true)).toBe(6);
      }
    } finally {
      db.close();
    }
  });

  it('in CGCS2000 zone 36: the system’s code is the srs_id of the table, column and every blob', async () => {
    const zone36 = crsOfEpsg(4524)!;
    const metres = reprojectFeatureCollection(COMMUNITIES, WGS84, zone36).collection;
    const { bytes, srsId, warnings } = await writeGeoPackage(metres, { name: 'communities', crs: zone36 });
    expect(srsId).toBe(4524);
    expect(warnings).toEqual([]);
    const db = await open(bytes);
    try {
      expect(rows(db, 'SELECT * FROM gpkg_spatial_ref_sys WHERE srs_id = 4524')).toEqual([
        {
          srs_name: 'CGCS2000 / 3-degree Gauss-Kruger zone 36',
          srs_id: 4524,
          organization: 'EPSG',
          organization_coordsys_id: 4524,
          definition: zone36.wkt,
          description: 'CGCS2000 / 3-degree Gauss-Kruger zone 36',
        },
      ]);
      expect(rows(db, 'SELECT srs_id FROM gpkg_contents')).toEqual([{ srs_id: 4524 }]);
      expect(rows(db, 'SELECT srs_id FROM gpkg_geometry_columns')).toEqual([{ srs_id: 4524 }]);
      const srsIds = rows(db, 'SELECT geom FROM communities').map((r) =>
        new DataView((r.geom as Uint8Array).buffer, (r.geom as Uint8Array).byteOffset).getInt32(4, true),
      );
      expect(new Set(srsIds)).toEqual(new Set([4524]));
    } finally {
      db.close();
    }
    const back = await readGeoPackage(bytes, 'communities.gpkg');
    expect(back.crs).toMatchObject({ name: 'EPSG:4524', wkt: zone36.wkt });
    expect(asMulti(back.collection.features[0]!.geometry)).toEqual(asMulti(metres.features[0]!.geometry!));
  });

  // An independent SQLite (python's sqlite3 module) opens the file and sees a GeoPackage, when python3 is here.
  const python = spawnSync('python3', ['-c', 'import sqlite3'], { encoding: 'utf8' });
  it.skipIf(python.status !== 0)(
    'opens in python’s sqlite3 as a GeoPackage (when python3 is installed)',
    async () => {
      const { bytes } = await writeGeoPackage(COMMUNITIES, { name: 'communities' });
      const path = join(TMP, 'communities.gpkg');
      writeFileSync(path, bytes);
      const script = `
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
one = lambda sql: db.execute(sql).fetchone()[0]
print(json.dumps({
  "application_id": one("PRAGMA application_id"),
  "user_version": one("PRAGMA user_version"),
  "integrity": one("PRAGMA integrity_check"),
  "tables": sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")),
  "features": one("SELECT count(*) FROM communities"),
  "name": one("SELECT name FROM communities WHERE id = 'KT-001'"),
}, ensure_ascii=False))`;
      const run = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({
        application_id: 0x47504b47,
        user_version: 10300,
        integrity: 'ok',
        tables: ['communities', 'gpkg_contents', 'gpkg_geometry_columns', 'gpkg_spatial_ref_sys'],
        features: COMMUNITIES.features.length,
        name: '阳光新村社区',
      });
    },
  );

  // GDAL's own GeoPackage validator, when GDAL's python bindings are here (apt-get install python3-gdal).
  const validator = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
  const gdal = spawnSync('/usr/bin/python3', ['-c', 'import osgeo_utils.samples.validate_gpkg'], {
    encoding: 'utf8',
  });
  it.skipIf(gdal.error !== undefined || gdal.status !== 0)(
    'passes GDAL’s validate_gpkg.py (when GDAL’s python bindings are installed)',
    async () => {
      const zone36 = crsOfEpsg(4524)!;
      const metres = reprojectFeatureCollection(COMMUNITIES, WGS84, zone36).collection;
      for (const [name, collection, crs] of [
        ['wgs84', COMMUNITIES, WGS84],
        ['zone36', metres, zone36],
      ] as const) {
        const path = join(TMP, `${name}.gpkg`);
        writeFileSync(path, (await writeGeoPackage(collection, { name: 'communities', crs })).bytes);
        const run = spawnSync('/usr/bin/python3', [validator, path], { encoding: 'utf8' });
        expect(`${run.stdout}${run.stderr}`).toBe('');
        expect(run.status).toBe(0);
      }
    },
  );
});

describe('writeGeoPackage: layers, columns and systems', () => {
  const mixed: FeatureCollection<Geometry | null> = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: {
          id: 'p',
          名称: '幼儿园',
          open: true,
          capacity: 120,
          share: 0.25,
          gaps: ['托育', 'clinic'],
        },
        geometry: { type: 'Point', coordinates: [106.66, 35.54] },
      },
      {
        type: 'Feature',
        properties: {
          id: 'h',
          open: false,
          capacity: 80,
          share: 1,
          fid: 9,
          GEOM: 'x',
          ID: 'dup',
          detail: { a: 1 },
        },
        geometry: { type: 'Point', coordinates: [106.67, 35.55, 1350] },
      },
      {
        type: 'Feature',
        properties: { id: 'l', note: null },
        geometry: {
          type: 'LineString',
          coordinates: [
            [106.6, 35.5],
            [106.7, 35.6],
          ],
        },
      },
      { type: 'Feature', properties: { id: 'n', capacity: Number.NaN }, geometry: null },
    ],
  };

  it('one table per kind of geometry, typed columns, renamed clashes, heights and null geometries', async () => {
    const { bytes, tables, warnings } = await writeGeoPackage(mixed, { name: 'sites' });
    expect(tables).toEqual(['sites_point', 'sites_line']);
    expect(warnings.map((w) => w.code)).toEqual(['output-field-renamed']);
    expect(warnings[0]!.message).toContain('fid → fid_2, GEOM → GEOM_2, ID → ID_2');
    const db = await open(bytes);
    try {
      expect(columns(db, 'sites_point').map(([name, type]) => `${name} ${type}`)).toEqual([
        'fid INTEGER',
        'geom POINT',
        'id TEXT',
        '名称 TEXT',
        'open BOOLEAN',
        'capacity INTEGER',
        'share DOUBLE',
        'gaps TEXT',
        'fid_2 INTEGER',
        'GEOM_2 TEXT',
        'ID_2 TEXT',
        'detail TEXT',
      ]);
      expect(
        rows(db, 'SELECT table_name, geometry_type_name, z FROM gpkg_geometry_columns ORDER BY table_name'),
      ).toEqual([
        { table_name: 'sites_line', geometry_type_name: 'LINESTRING', z: 0 },
        { table_name: 'sites_point', geometry_type_name: 'POINT', z: 2 },
      ]);
      expect(rows(db, 'PRAGMA foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
    const points = await readGeoPackage(bytes, 'sites.gpkg', { layer: 'sites_point' });
    expect(points.collection.features.map((f) => [f.properties, f.geometry])).toEqual([
      [
        {
          id: 'p',
          名称: '幼儿园',
          open: true,
          capacity: 120,
          share: 0.25,
          gaps: '托育;clinic',
          fid_2: null,
          GEOM_2: null,
          ID_2: null,
          detail: null,
        },
        { type: 'Point', coordinates: [106.66, 35.54] },
      ],
      [
        {
          id: 'h',
          名称: null,
          open: false,
          capacity: 80,
          share: 1,
          gaps: null,
          fid_2: 9,
          GEOM_2: 'x',
          ID_2: 'dup',
          detail: '{"a":1}',
        },
        { type: 'Point', coordinates: [106.67, 35.55, 1350] },
      ],
      // The feature without a geometry rides with the largest layer; NaN is no number, so NULL.
      [
        {
          id: 'n',
          名称: null,
          open: null,
          capacity: null,
          share: null,
          gaps: null,
          fid_2: null,
          GEOM_2: null,
          ID_2: null,
          detail: null,
        },
        null,
      ],
    ]);
    const lines = await readGeoPackage(bytes, 'sites.gpkg', { layer: 'sites_line' });
    expect(lines.collection.features.map((f) => f.geometry)).toEqual([mixed.features[2]!.geometry]);
  });

  it('dates are DATETIME columns of ISO 8601 UTC text, as the standard says; a date among text is the same text', async () => {
    const surveyed = new Date('2026-03-15T09:30:00.250Z');
    const dated: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { surveyed, opened: surveyed, checked: new Date('2026-12-07T00:00:00Z') },
        { surveyed: new Date(Number.NaN), opened: 'unknown', checked: null },
      ].map((properties, k) => ({
        type: 'Feature',
        properties,
        geometry: { type: 'Point', coordinates: [106.66 + k / 100, 35.54] },
      })),
    };
    const { bytes } = await writeGeoPackage(dated, { name: 'dated' });
    const db = await open(bytes);
    try {
      expect(columns(db, 'dated').map(([name, type]) => `${name} ${type}`)).toEqual([
        'fid INTEGER',
        'geom POINT',
        'surveyed DATETIME',
        'opened TEXT',
        'checked DATETIME',
      ]);
      // An invalid date is no date: NULL, as NaN is in a number column.
      expect(rows(db, 'SELECT surveyed, opened, checked FROM dated ORDER BY fid')).toEqual([
        {
          surveyed: '2026-03-15T09:30:00.250Z',
          opened: '2026-03-15T09:30:00.250Z',
          checked: '2026-12-07T00:00:00.000Z',
        },
        { surveyed: null, opened: 'unknown', checked: null },
      ]);
    } finally {
      db.close();
    }
  });

  it('GCJ-02 has no code or WKT: filed under its name, which reads back, with a warning that says why', async () => {
    const gcj = parseCrs('gcj02') as Crs;
    const { bytes, srsId, warnings } = await writeGeoPackage(mixed, { name: 'sites', crs: gcj });
    expect(srsId).toBe(100000);
    const db = await open(bytes);
    try {
      expect(
        rows(
          db,
          'SELECT srs_name, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = 100000',
        ),
      ).toEqual([
        {
          srs_name: 'gcj02',
          organization: 'NONE',
          organization_coordsys_id: 100000,
          definition: 'undefined',
        },
      ]);
    } finally {
      db.close();
    }
    expect((await readGeoPackage(bytes, 'sites.gpkg', { layer: 'sites_point' })).crs).toEqual({
      source: 'geopackage',
      name: 'gcj02',
    });
    const noWkt = warnings.find((w) => w.code === 'output-no-wkt')!;
    expect(noWkt.message).toContain('GCJ-02 (AMap/Gaode, Tencent) is WGS84 shifted by an algorithm');
  });

  it('a UTM code without WKT: filed as EPSG with the definition undefined; the warning is not about GCJ-02', async () => {
    const utm = parseCrs('EPSG:32648') as Crs;
    const { bytes, srsId, warnings } = await writeGeoPackage(mixed, {
      name: 'sites',
      crs: utm,
      file: 'out/sites.gpkg',
    });
    expect(srsId).toBe(32648);
    expect(warnings.filter((w) => w.code === 'output-no-wkt')).toEqual([
      {
        code: 'output-no-wkt',
        file: 'out/sites.gpkg',
        message:
          "the coordinate system is filed as EPSG:32648 (srs_id 32648) with the definition 'undefined': lifecircle has no WKT definition of EPSG:32648, only a proj4 one; give the output system as WKT (the text of its .prj file) to have it written, or tell GIS users the coordinates are in EPSG:32648",
      },
    ]);
    expect((await readGeoPackage(bytes, 'sites.gpkg', { layer: 'sites_line' })).crs).toEqual({
      source: 'geopackage',
      name: 'EPSG:32648',
    });
  });

  it('a system given as WKT only is filed under NONE with its WKT, which reads back', async () => {
    const wkt = crsOfEpsg(4545)!
      .wkt!.replace(/,AUTHORITY\["EPSG","4545"\]/, '')
      .replace('CM 108E', 'local');
    const custom = { ...parseCrs(wkt), id: 'wkt:local', epsg: null, name: 'local', wkt } as Crs;
    const { bytes, srsId, warnings } = await writeGeoPackage(mixed, { name: 'sites', crs: custom });
    expect(srsId).toBe(100000);
    expect(warnings.map((w) => w.code)).toEqual(['output-field-renamed']);
    const back = await readGeoPackage(bytes, 'sites.gpkg', { layer: 'sites_line' });
    expect(back.crs).toEqual({ source: 'geopackage', name: 'local', wkt });
  });

  it('an empty collection is an empty table; the input is not modified', async () => {
    const before = JSON.stringify(mixed);
    await writeGeoPackage(mixed, { name: 'sites' });
    expect(JSON.stringify(mixed)).toBe(before);
    const { bytes, tables } = await writeGeoPackage(
      { type: 'FeatureCollection', features: [] },
      { name: 'empty' },
    );
    expect(tables).toEqual(['empty']);
    const back = await readGeoPackage(bytes, 'empty.gpkg');
    expect(back.collection.features).toEqual([]);
    const db = await open(bytes);
    try {
      expect(rows(db, 'SELECT geometry_type_name FROM gpkg_geometry_columns')).toEqual([
        { geometry_type_name: 'GEOMETRY' },
      ]);
      expect(rows(db, 'SELECT min_x FROM gpkg_contents')).toEqual([{ min_x: null }]);
    } finally {
      db.close();
    }
  });

  it('keeps features in order: fid is the position in the collection, from 1', async () => {
    const points: Feature[] = Array.from({ length: 50 }, (_, i) => ({
      type: 'Feature',
      properties: { id: `s${i}` },
      geometry: { type: 'Point', coordinates: [106 + i / 100, 35] },
    }));
    const { bytes } = await writeGeoPackage({ type: 'FeatureCollection', features: points }, { name: 'p' });
    const back = await readGeoPackage(bytes, 'p.gpkg');
    expect(back.collection.features.map((f) => [f.id, f.properties!.id])).toEqual(
      points.map((f, i) => [i + 1, f.properties!.id]),
    );
  });
});
