// The readers the fuzz suite runs, each with a valid file to mutate. A new reader (OSM, GeoTIFF …)
// joins the suite by adding one entry here.
import { readFileSync } from 'node:fs';
import type { DemandColumns } from '@lifecircle/core';
import {
  DemandLinesReader,
  type FeatureRead,
  type ReadOptions,
  readFeatures,
  readGeoTiff,
} from '../../src/index.js';

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

/**
 * The Pingliang elevation model read whole with readGeoTiff. A raster has no features: its grid is
 * given to the suite as one feature whose properties are the grid's size, placement and a checksum
 * of its values, so that two reads of one file must agree on every cell.
 */
function geoTiffTarget(): FuzzTarget {
  const file = 'dem.tif';
  return {
    name: 'GeoTIFF',
    file,
    seed: new Uint8Array(readFileSync(new URL('../../../../fixtures/pingliang/dem.tif', import.meta.url))),
    text: false,
    read: async (bytes) => {
      const grid = await readGeoTiff(bytes, { file });
      let checksum = 0;
      for (let i = 0; i < grid.values.length; i++) {
        const v = grid.values[i]!;
        checksum = (checksum * 31 + (Number.isNaN(v) ? 7 : Math.round(v * 1000))) % 2_147_483_647;
      }
      const { width, height, originX, originY, stepX, stepY, nodata, validCount } = grid;
      return {
        file,
        collection: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              geometry: null,
              properties: { width, height, originX, originY, stepX, stepY, nodata, validCount, checksum },
            },
          ],
        },
        crs: null,
        rejected: [],
        warnings: [],
      } as unknown as FeatureRead;
    },
  };
}

/**
 * A demand file in GeoJSON lines read as the CLI streams it (`DemandLinesReader.pushBytes`, the
 * plain lines scanned from their bytes past the first hundred), each point given to the suite as a
 * feature at its record index; bytes that are not UTF-8 are read the usual way, as the CLI does.
 */
function streamedDemandTarget(): FuzzTarget {
  const file = 'demand.geojsonl';
  const lines = Array.from({ length: 130 }, (_, i) =>
    JSON.stringify({
      type: 'Feature',
      properties: { population: 1 + (i % 9), community_id: `C${i % 4}`, name: `点${i}` },
      geometry: { type: 'Point', coordinates: [106.6 + (i % 13) * 0.001, 35.5 + (i % 7) * 0.001] },
    }),
  );
  return {
    name: 'GeoJSON lines (streamed demand)',
    file,
    seed: new TextEncoder().encode(`${lines.join('\n')}\n`),
    text: true,
    read: async (bytes) => {
      const reader = new DemandLinesReader(file);
      let columns: DemandColumns;
      try {
        // In pieces, as the CLI reads a file, cut where a line would be cut.
        for (let at = 0; at < bytes.length; at += 4093) reader.pushBytes(bytes.subarray(at, at + 4093));
        columns = reader.end();
      } catch (error) {
        if (error instanceof TypeError) return readFeatures(bytes, file);
        throw error;
      }
      const features = Array.from({ length: columns.count }, (_, p) => ({
        type: 'Feature' as const,
        properties: {
          population: columns.population[p],
          community: columns.community[p] === -1 ? null : columns.communityIds[columns.community[p]!],
        },
        geometry: {
          type: 'Point' as const,
          coordinates: [columns.coords[2 * p]!, columns.coords[2 * p + 1]!],
        },
      }));
      return {
        file,
        format: 'geojsonseq',
        collection: { type: 'FeatureCollection', features },
        crs: null,
        encoding: 'utf-8',
        rejected: [...columns.rejected],
        warnings: [...columns.warnings],
        origins: { index: Uint32Array.from(columns.sourceIndex), row: null },
      } satisfies FeatureRead;
    },
  };
}

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  viaReadFeatures('GeoJSON', 'points.geojson', 'points.geojson', true),
  viaReadFeatures('GeoJSON (polygons)', 'polygons.geojson', 'polygons.geojson', true),
  viaReadFeatures('GeoJSON lines', 'points.geojsonl', 'points.geojsonl', true),
  streamedDemandTarget(),
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
  geoTiffTarget(),
];
