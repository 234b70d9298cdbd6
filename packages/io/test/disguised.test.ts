// A file that is not what its extension says is named for what it looks like, never parsed as a
// table whose header is binary noise or '<!DOCTYPE html>'.
import { readFileSync } from 'node:fs';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { readFeatures } from '../src/index.js';
import { concatBytes } from '../src/osm/encode.js';

const OSM = new URL('../../../fixtures/osm/', import.meta.url);
const TRIAL = new URL('../../../fixtures/trial/', import.meta.url);
const ascii = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => concatBytes(parts);

const tiff = new Uint8Array(
  writeArrayBuffer(new Float32Array(4), { width: 2, height: 2, SampleFormat: [3], BitsPerSample: [32] }),
);
const zip = concat(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), new Uint8Array(60));
const sqlite = concat(ascii('SQLite format 3\0'), new Uint8Array(84));
const flatgeobuf = concat(new Uint8Array([0x66, 0x67, 0x62, 3, 0x66, 0x67, 0x62, 0]), new Uint8Array(16));
const html = ascii(
  '<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body>denied</body></html>\n',
);

async function messageOf(bytes: Uint8Array, name: string): Promise<string> {
  try {
    await readFeatures(bytes, name);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${name} was read`);
}

describe('a file that is not what its extension says', () => {
  it.each([
    [
      readFileSync(new URL('town.osm', OSM)),
      'pois.csv',
      'pois.csv: this looks like OSM XML (OpenStreetMap data)',
    ],
    [readFileSync(new URL('town.osm.pbf', OSM)), 'roads.geojson', 'roads.geojson: this looks like OSM PBF'],
    [tiff, 'population.csv', 'population.csv: has the extension .csv but this looks like a GeoTIFF raster'],
    [
      zip,
      'communities.geojson',
      'communities.geojson: has the extension .geojson but this looks like a zip archive',
    ],
    [sqlite, 'facilities.csv', 'facilities.csv: has the extension .csv but this looks like a GeoPackage'],
    [
      flatgeobuf,
      'communities.json',
      'communities.json: has the extension .json but this looks like FlatGeobuf',
    ],
    [zip, 'roads.gpkg', 'roads.gpkg: has the extension .gpkg but this looks like a zip archive'],
    [html, 'communities.csv', 'communities.csv: has the extension .csv but this looks like an HTML web page'],
    [html, 'download', 'download: this looks like an HTML web page'],
  ])('names what %#-th looks like', async (bytes, name, start) => {
    const message = await messageOf(bytes, name);
    expect(message.startsWith(start), message).toBe(true);
  });

  it('says how to settle each: the extension to give, or what a raster is for', async () => {
    expect(await messageOf(sqlite, 'facilities.csv')).toContain('name it .gpkg');
    expect(await messageOf(tiff, 'population.csv')).toContain('population raster');
    expect(await messageOf(html, 'communities.csv')).toContain('download the file again');
  });
});

// Tried as a user (issue #12): files renamed or saved by hand, each refused before (JSON parse
// errors at line 1, or headers of binary noise) with nothing saying what the file was.
describe('text and tables under the wrong extension, and empty files', () => {
  const amap = readFileSync(new URL('高德POI.csv', TRIAL));
  const dbf = readFileSync(new URL('社区边界.dbf', TRIAL));
  const geojson = readFileSync(new URL('../formats/points.geojson', TRIAL));

  it.each([
    [
      amap,
      '设施.geojson',
      "设施.geojson: has the extension .geojson but this looks like a delimited text table (CSV), not JSON: its first line is 'name,type,typecode,address,location,pname,cityname,adname': name it .csv",
    ],
    [
      geojson,
      'points.csv',
      'points.csv: has the extension .csv but this looks like JSON (GeoJSON?), not a delimited text table: name it .geojson',
    ],
    [
      dbf,
      '社区.csv',
      "社区.csv: has the extension .csv but this looks like a dBASE table (a shapefile's .dbf, its attributes without the shapes): give the .shp beside it",
    ],
    [new Uint8Array(0), 'empty.geojson', 'empty.geojson: is empty: it has 0 bytes'],
    [new Uint8Array(0), 'empty.csv', 'empty.csv: is empty: it has 0 bytes'],
    [new Uint8Array(0), 'empty.shp', 'empty.shp: is empty: it has 0 bytes'],
  ])('names what %#-th is', async (bytes, name, start) => {
    const message = await messageOf(new Uint8Array(bytes), name);
    expect(message.startsWith(start), message).toBe(true);
  });

  it('reads each as itself under its own extension', async () => {
    await expect(readFeatures(new Uint8Array(amap), '设施.csv')).resolves.toBeDefined();
    await expect(readFeatures(new Uint8Array(geojson), 'points.geojson')).resolves.toBeDefined();
    // A .dbf alone still gets the shapefile reader's own message, naming the missing .shp.
    expect(await messageOf(new Uint8Array(dbf), '社区边界.dbf')).toContain(
      'its .shp (the shapes) was not found',
    );
  });
});
