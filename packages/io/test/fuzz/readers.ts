// The readers the fuzz suite runs, each with a valid file to mutate. A new reader (OSM, GeoTIFF …)
// joins the suite by adding one entry here.
import { readFileSync } from 'node:fs';
import { type FeatureRead, type ReadOptions, readFeatures } from '../../src/index.js';

const DIR = new URL('../../../../fixtures/formats/', import.meta.url);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, DIR)));

/** One reader under test: the valid bytes to start from and how to read mutated ones. */
export interface FuzzTarget {
  /** Shown in test names and in the counts recorded in docs. */
  readonly name: string;
  /** The file name given to the reader; every error must start with it. */
  readonly file: string;
  /** A valid file of the format. */
  readonly seed: Uint8Array;
  /** Whether the format is text, so that nesting and long-string mutations apply. */
  readonly text: boolean;
  read(bytes: Uint8Array): Promise<FeatureRead>;
}

const viaReadFeatures = (
  name: string,
  fixtureName: string | Uint8Array,
  file: string,
  text: boolean,
  options: ReadOptions = {},
): FuzzTarget => ({
  name,
  file,
  seed: typeof fixtureName === 'string' ? fixture(fixtureName) : fixtureName,
  text,
  read: (bytes) => readFeatures(bytes, file, options),
});

/** A shapefile read from loose parts, with one part (`mutated`) replaced by the mutated bytes. */
function looseShapefile(mutated: 'shp' | 'dbf' | 'prj'): FuzzTarget {
  const parts = {
    shp: fixture('shapefile/points.shp'),
    dbf: fixture('shapefile/points.dbf'),
    prj: fixture('shapefile/points.prj'),
  };
  return {
    name: `shapefile (.${mutated} mutated)`,
    file: 'points.shp',
    seed: parts[mutated],
    text: mutated === 'prj',
    read: (bytes) =>
      readFeatures(mutated === 'shp' ? bytes : parts.shp, 'points.shp', {
        readSibling: (name) => {
          const ext = name.slice(-3).toLowerCase() as 'shp' | 'dbf' | 'prj';
          if (name !== `points.${ext}`) return undefined;
          return ext === mutated ? bytes : parts[ext];
        },
      }),
  };
}

/** The hand-made OpenStreetMap town of fixtures/osm, read as one layer. */
function osmTarget(name: string, file: string, layer: 'network' | 'facilities', text: boolean): FuzzTarget {
  return {
    name,
    file,
    seed: new Uint8Array(readFileSync(new URL(`../../../../fixtures/osm/${file}`, import.meta.url))),
    text,
    read: (bytes) => readFeatures(bytes, file, { osm: { layer } }),
  };
}

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  viaReadFeatures('GeoJSON', 'points.geojson', 'points.geojson', true),
  viaReadFeatures('GeoJSON (polygons)', 'polygons.geojson', 'polygons.geojson', true),
  viaReadFeatures('GeoJSON lines', 'points.geojsonl', 'points.geojsonl', true),
  viaReadFeatures('CSV (GBK)', 'points-gbk.csv', 'points.csv', true),
  viaReadFeatures('TSV', 'points.tsv', 'points.tsv', true),
  viaReadFeatures('XLSX', 'points.xlsx', 'points.xlsx', false),
  looseShapefile('shp'),
  looseShapefile('dbf'),
  looseShapefile('prj'),
  viaReadFeatures('shapefile (zipped)', 'points-shp.zip', 'points.zip', false),
  viaReadFeatures('shapefile (zipped polygons)', 'polygons-shp.zip', 'polygons.zip', false),
  viaReadFeatures('FlatGeobuf', 'points.fgb', 'points.fgb', false),
  viaReadFeatures('GeoPackage', 'points.gpkg', 'points.gpkg', false, { layer: 'communities' }),
  osmTarget('OSM XML (network)', 'town.osm', 'network', true),
  osmTarget('OSM PBF (network)', 'town.osm.pbf', 'network', false),
  osmTarget('OSM PBF (facilities)', 'town.osm.pbf', 'facilities', false),
];
