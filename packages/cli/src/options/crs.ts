import { join } from 'node:path';
import { OptionError, type Warning } from '@lifecircle/core';
import {
  ACCEPTED_CRS_FORMS,
  type Crs,
  CrsError,
  crsMember,
  geometryReprojection,
  type InputCrsRecord,
  type InputRead,
  joinPopulation,
  OFFSET_HYPOTHESIS_LABELS,
  OffsetReference,
  type OffsetTestResult,
  offsetTest,
  type PopulationJoinRecord,
  parseCrs,
  readTable,
  reprojectFeatureCollection,
  shapefileZip,
  transformBetween,
  WGS84,
  writeGeoPackage,
} from '@lifecircle/io';
import { UsageError } from '../command.js';
import { readFileBytes } from '../inputs/files.js';
import { cliOptionWording, formatOptions, type InputCrsOptions } from '../inputs/reading.js';
import { csvChunksOf, featureCollectionChunks } from '../outputs/files.js';
import type { NamedOutput } from '../outputs/named.js';
import { valueFlags } from './flags.js';

/** The coordinate-system, population-table and output-format options every command takes. */
export const crsOptions = {
  ...valueFlags(
    'input-crs',
    'communities-crs',
    'facilities-crs',
    'demand-crs',
    'network-crs',
    'candidates-crs',
    'output-crs',
    'population-table',
    'join-by',
    'join-table-key',
  ),
  'population-column': { type: 'string', multiple: true },
  format: { type: 'string' },
} as const;

/** Help text of those options. */
export const crsHelp = `Coordinate systems (docs/crs.md; default WGS84 longitude/latitude):
  --input-crs CRS        system of inputs that declare none (a .prj or GeoJSON crs member wins)
  --communities-crs CRS  system of one file, winning over the file's own: the communities,
  --facilities-crs CRS   facilities (e.g. gcj02 for AMap/Gaode POIs), demand points, road
  --demand-crs CRS       network (--network) and site's candidates (--candidates)
  --network-crs CRS
  --candidates-crs CRS
  --output-crs CRS       system of the written GeoJSON, shapefiles and GeoPackages (default
                         WGS84); gcj02 or bd09 to lay them on Chinese web maps
  CRS is e.g. EPSG:4545, cgcs2000-gk3-36, cgcs2000-gk3 (zone from the eastings), gcj02, bd09,
  xian1980-gk6-18, web-mercator, or a .prj's WKT

Population table:
  --population-table FILE  CSV or XLSX of population per community, joined to the communities
  --join-by id|name      community field to join on (default id)
  --join-table-key COL   table column of the key (default: id, code, 编号 … or name, 名称, 社区 …)
  --population-column COL  table column of the population (default: population, 人口, 常住人口 …)
                         (or population-table=COL, beside ROLE=COL for the inputs)

Output formats:
  --format LIST          comma-separated: geojson, csv, shp (zipped shapefile, UTF-8 .dbf, .prj),
                         gpkg (GeoPackage); default geojson,csv`;

/** Input files whose coordinate system can be given per file. */
export type InputRole =
  | 'communities'
  | 'facilities'
  | 'demand'
  | 'network'
  | 'candidates'
  | 'study-area'
  | 'exclude'
  | 'buildings';

/** The file formats a command can write its layers and tables in. */
export type OutputFormat = 'geojson' | 'csv' | 'shp' | 'gpkg';
const OUTPUT_FORMATS: readonly OutputFormat[] = ['geojson', 'csv', 'shp', 'gpkg'];
const FORMAT_ALIASES: Readonly<Record<string, OutputFormat>> = { geopackage: 'gpkg', shapefile: 'shp' };

const PER_FILE_OPTION: Partial<Record<InputRole, string>> = {
  communities: 'communities-crs',
  facilities: 'facilities-crs',
  demand: 'demand-crs',
  network: 'network-crs',
  candidates: 'candidates-crs',
};

function text(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function parseFormats(value: string | undefined): Set<OutputFormat> | null {
  if (value === undefined) return null;
  const formats = value
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean)
    .map((f) => FORMAT_ALIASES[f] ?? f);
  for (const format of formats) {
    if (!OUTPUT_FORMATS.includes(format as OutputFormat)) {
      throw new UsageError(`--format expects formats among ${OUTPUT_FORMATS.join(', ')}, got '${format}'.`);
    }
  }
  if (formats.length === 0)
    throw new UsageError(`--format expects formats among ${OUTPUT_FORMATS.join(', ')}.`);
  return new Set(formats as OutputFormat[]);
}

/** One offset test of a run: an undeclared input against `--network`, in summary.json's `crs.offset_tests`. */
export interface OffsetTestRecord extends OffsetTestResult {
  readonly file: string;
  readonly role: InputRole;
  /** The road network the input was tested against. */
  readonly network: string;
}

/** summary.json's `crs`: each input's system as read, declared and detected, and the output's. */
export interface CrsSummary {
  readonly inputs: InputCrsRecord[];
  readonly output: { readonly id: string; readonly name: string };
  /** With `--network`: the offset test of each input that nothing declared a system for. */
  readonly offset_tests?: OffsetTestRecord[];
}

/**
 * The `coordinates-offset` warning of an offset test that found a converted reading clearly better,
 * with its figures and the option that converts; null when the test chose the reading as read or
 * did not decide.
 */
export function offsetWarning(
  file: string,
  networkFile: string,
  test: OffsetTestResult,
  option: string,
): Warning | null {
  if (test.better !== 'gcj02' && test.better !== 'bd09') return null;
  const converted = test.better === 'gcj02' ? test.as_gcj02_median_m : test.as_bd09_median_m;
  return {
    code: 'coordinates-offset',
    file,
    field: 'geometry',
    message: `its ${test.points} points lie ${converted} m (median) from the roads of ${networkFile} ${OFFSET_HYPOTHESIS_LABELS[test.better]}, against ${test.as_read_median_m} m as read: the coordinates look ${test.better === 'gcj02' ? 'GCJ-02' : 'BD-09'}; give ${option} ${test.better} (figures: lifecircle inspect ${file} --network ${networkFile})`,
  };
}

/**
 * summary.json's `inputs.ROLE`: which column each attribute of an input was read from (the file is
 * named in `crs.inputs`).
 */
export interface InputColumnsSummary {
  /**
   * By attribute (`id`, `name`, `population` …), and for a table the columns its positions came from
   * (`longitude` and `latitude`, or `position` for one `lng,lat` column, `geometry` for one WKT
   * column): the file's column, `named` by an option or `detected`.
   */
  readonly columns: Record<string, { readonly column: string; readonly source: 'named' | 'detected' }>;
  /** Present when the file had no id column and ids were made up from rows or names. */
  readonly generated_ids?: { readonly from: 'row' | 'name'; readonly count: number };
}

/**
 * The coordinate systems of one run: converts every input to WGS84 as it is read (recording what
 * each file declared, what the user declared and what the data showed), joins the population table,
 * and writes the output layers in the output system and formats.
 */
export class CrsRun {
  readonly output: Crs;
  /** The formats of `--format`, or null for each command's default. */
  private readonly formats: ReadonlySet<OutputFormat> | null;
  readonly records: InputCrsRecord[] = [];
  readonly warnings: Warning[] = [];
  /** summary.json's `inputs`: the columns each input was read with, by role. */
  readonly inputs: Record<string, InputColumnsSummary> = {};
  populationJoin: PopulationJoinRecord | null = null;
  private readonly values: Record<string, unknown>;
  /** Files converted from GCJ-02 or BD-09: validation's hint that they may be web-map data is moot. */
  private readonly webMapFiles = new Set<string>();
  /** Inputs that nothing declared a system for, in WGS84 as read: what `--network` can test. */
  private readonly undeclared: { file: string; role: InputRole; collection: unknown }[] = [];
  readonly offsetTests: OffsetTestRecord[] = [];

  constructor(values: Record<string, unknown>) {
    this.values = values;
    this.formats = parseFormats(text(values, 'format'));
    const output = text(values, 'output-crs');
    if (output === undefined) {
      this.output = WGS84;
    } else {
      let parsed: ReturnType<typeof parseCrs>;
      try {
        parsed = parseCrs(output);
      } catch (error) {
        if (!(error instanceof CrsError)) throw error;
        throw new OptionError(
          '--output-crs',
          `'${output}' ${error.message}\nAccepted forms:\n${ACCEPTED_CRS_FORMS.map((f) => `  ${f}`).join('\n')}`,
        );
      }
      if (parsed.kind === 'gauss-kruger-family') {
        throw new OptionError(
          '--output-crs',
          `'${output}' leaves the zone open, which only input data can settle; give the zone, e.g. ${parsed.id}-36 or ${parsed.id}-cm108.`,
        );
      }
      this.output = parsed;
    }
    for (const [role, option] of Object.entries(PER_FILE_OPTION)) {
      if (values[option] !== undefined && values[role] === undefined) {
        throw new UsageError(`--${option} is the system of --${role} FILE, which is not given.`);
      }
    }
    for (const option of ['join-by', 'join-table-key'] as const) {
      if (values[option] !== undefined && values['population-table'] === undefined) {
        throw new UsageError(`--${option} needs --population-table FILE.`);
      }
    }
  }

  /**
   * The coordinate systems declared for an input: its own option (`--communities-crs` …), winning over
   * the file's own declaration, and `--input-crs` for files that declare none.
   */
  declarationsFor(role: string): InputCrsOptions {
    const perFile = PER_FILE_OPTION[role as InputRole];
    const declared = perFile ? text(this.values, perFile) : undefined;
    const fallback = text(this.values, 'input-crs');
    return {
      crsFlag: perFile ? `--${perFile}` : '--input-crs',
      crs: declared === undefined ? null : { text: declared, option: `--${perFile}` },
      defaultCrs: fallback === undefined ? null : { text: fallback, option: '--input-crs' },
    };
  }

  /**
   * A file's features in WGS84, as io's front door converted them with {@link declarationsFor}; records
   * the file's coordinate system and what converting it warned about. The one place where read
   * features enter the analysis. For a file read as a stream (whose `read` holds only its first lines),
   * `positions` are points gathered over the whole file, interleaved longitude, latitude, for the
   * offset test.
   */
  toWgs84(read: InputRead, role: InputRole, positions?: Float64Array): unknown {
    if (read.system?.kind === 'web-map') this.webMapFiles.add(read.file);
    this.inputs[role] = {
      columns: Object.fromEntries(
        [...read.positionColumns, ...read.columns].map((c) => [
          c.role,
          { column: c.column, source: c.source },
        ]),
      ),
      ...(read.generatedIds ? { generated_ids: read.generatedIds } : {}),
    };
    if (read.crs) this.records.push(read.crs);
    if (read.crs?.source === 'default' && role !== 'network') {
      // A file read as a stream is tested on the points gathered over all of it, not its first lines.
      this.undeclared.push({ file: read.file, role, collection: positions ?? read.features });
    }
    this.warnings.push(...read.warnings.filter((w) => w.code.startsWith('crs-')));
    return read.features;
  }

  /**
   * Runs the offset test of every input read so far that nothing declared a system for against the
   * road network (taken to be WGS84), records the figures for summary.json and warns, with them, when
   * a converted reading fits clearly better. An input whose test decides either way no longer gets
   * validation's question about its export fields.
   */
  testOffsets(network: unknown, networkFile: string): void {
    const reference = new OffsetReference(network);
    for (const { file, role, collection } of this.undeclared.splice(0)) {
      const test = offsetTest(collection, reference);
      this.offsetTests.push({ file, role, network: networkFile, ...test });
      if (test.better !== null) this.decidedFiles.add(file);
      const option = PER_FILE_OPTION[role];
      const warning = offsetWarning(file, networkFile, test, option ? `--${option}` : '--input-crs');
      if (warning) this.warnings.push(warning);
    }
  }

  /** Files whose offset test decided: validation's question about their export fields is answered. */
  private readonly decidedFiles = new Set<string>();

  /** The communities with the population of `--population-table` joined, or as they are without it. */
  async joinPopulation(communities: unknown, communitiesFile: string): Promise<unknown> {
    const tablePath = text(this.values, 'population-table');
    if (tablePath === undefined) return communities;
    // --encoding and --layer (repeatable options) given for every input apply to the table too.
    const { encoding, layer, populationColumn, limits } = formatOptions(this.values)('population-table');
    const table = await readTable(readFileBytes(tablePath, 'a CSV or XLSX table'), tablePath, {
      optionWording: cliOptionWording(),
      ...(encoding === undefined ? {} : { encoding }),
      ...(layer === undefined ? {} : { layer }),
      ...(limits === undefined ? {} : { limits }),
    });
    const tableKey = text(this.values, 'join-table-key');
    const { collection, record, warnings } = joinPopulation(communities, table, {
      by: text(this.values, 'join-by') ?? 'id',
      ...(tableKey === undefined ? {} : { tableKey }),
      ...(populationColumn === undefined ? {} : { populationColumn }),
      communitiesFile,
    });
    this.populationJoin = record;
    this.warnings.push(...table.warnings, ...warnings);
    return collection;
  }

  /**
   * A result's warnings with this run's put first; validation's `coordinates-gcj02` question is
   * dropped for files the user declared GCJ-02 or BD-09, since they were converted, and for files
   * whose offset test decided, since the evidence answered it.
   */
  withWarnings<W extends { readonly code: string; readonly file?: string }>(warnings: readonly W[]): W[] {
    const kept = warnings.filter(
      (w) =>
        !(
          w.code === 'coordinates-gcj02' &&
          w.file !== undefined &&
          (this.webMapFiles.has(w.file) || this.decidedFiles.has(w.file))
        ),
    );
    return [...(this.warnings as unknown as W[]), ...kept];
  }

  /** summary.json's `crs`. */
  summary(): CrsSummary {
    return {
      inputs: this.records,
      output: { id: this.output.id, name: this.output.name },
      ...(this.offsetTests.length > 0 ? { offset_tests: this.offsetTests } : {}),
    };
  }

  /** summary.json's `crs`, `population_join` and `inputs` members, to spread into a summary. */
  summaryMembers(): {
    crs: CrsSummary;
    population_join?: PopulationJoinRecord;
    inputs: Record<string, InputColumnsSummary>;
  } {
    return {
      crs: this.summary(),
      ...(this.populationJoin ? { population_join: this.populationJoin } : {}),
      inputs: this.inputs,
    };
  }

  /** The formats of `--format`, or the command's own default. */
  formatsOr(defaults: readonly OutputFormat[]): ReadonlySet<OutputFormat> {
    return this.formats ?? new Set(defaults);
  }

  /**
   * A WGS84 layer as the named outputs of the output system and formats: `name.geojson` and, with
   * `--format shp` and `gpkg`, `name.shp.zip` and `name.gpkg` in `outDir`; what writing the shapefile
   * and GeoPackage warns about (shortened field names) is added to `warnings` as each is built. The
   * layer is a FeatureCollection, or a {@link StreamedLayer} whose GeoJSON is written piece by piece
   * (its collection is built only for the shapefile and GeoPackage writers, which need it whole).
   */
  layerOutputs(
    outDir: string,
    name: string,
    layer: unknown,
    warnings: Warning[],
    defaults: readonly OutputFormat[] = ['geojson', 'csv'],
  ): NamedOutput[] {
    const formats = this.formatsOr(defaults);
    const outputs: NamedOutput[] = [];
    const streamed = layer instanceof StreamedLayer ? layer : undefined;
    let converted: unknown;
    const convertedCollection = () => {
      converted ??= reprojectFeatureCollection(
        streamed ? streamed.collection() : layer,
        WGS84,
        this.output,
      ).collection;
      return converted;
    };
    if (formats.has('geojson')) {
      const member = crsMember(this.output);
      const chunks = () =>
        streamed
          ? streamed.geojsonChunks({
              geometry: geometryReprojection(WGS84, this.output, { shareUnchanged: true }),
              ...(member ? { members: { crs: member } } : {}),
            })
          : featureCollectionChunks(convertedCollection() as Parameters<typeof featureCollectionChunks>[0]);
      outputs.push({
        name: `${name}.geojson`,
        contents: function* () {
          yield* chunks();
          yield '\n';
        },
      });
    }
    if (formats.has('shp')) {
      outputs.push({
        name: `${name}.shp.zip`,
        contents: () => {
          const shapefile = shapefileZip(convertedCollection(), {
            name,
            prj: this.output.wkt,
            crs: this.output,
            file: join(outDir, `${name}.shp.zip`),
          });
          warnings.push(...shapefile.warnings);
          return shapefile.bytes;
        },
      });
    }
    if (formats.has('gpkg')) {
      outputs.push({
        name: `${name}.gpkg`,
        contents: async () => {
          const geoPackage = await writeGeoPackage(convertedCollection(), {
            name,
            crs: this.output,
            file: join(outDir, `${name}.gpkg`),
          });
          warnings.push(...geoPackage.warnings);
          return geoPackage.bytes;
        },
      });
    }
    return outputs;
  }

  /** Whether tables (CSV) are written, with the command's default formats. */
  csv(defaults: readonly OutputFormat[] = ['geojson', 'csv']): boolean {
    return this.formatsOr(defaults).has('csv');
  }

  /**
   * CSV of a point layer in pieces, for a named output: its properties, then x and y in the output system (longitude and latitude
   * for WGS84, GCJ-02 and BD-09; easting and northing for projected systems).
   */
  pointCsvChunks(collection: {
    readonly features: readonly { properties: unknown; geometry: unknown }[];
  }): Generator<string> {
    const transform = transformBetween(WGS84, this.output);
    const seen = new Set<string>();
    for (const feature of collection.features) {
      for (const key of Object.keys((feature.properties ?? {}) as object)) seen.add(key);
    }
    const columns = [...seen];
    // Rows one at a time: the table is written in pieces, never held whole.
    const rows = function* () {
      for (const feature of collection.features) {
        const properties = (feature.properties ?? {}) as Record<string, unknown>;
        const geometry = feature.geometry as { type?: string; coordinates?: number[] } | null;
        const [x, y] =
          geometry?.type === 'Point' && geometry.coordinates
            ? transform(geometry.coordinates[0]!, geometry.coordinates[1]!)
            : [null, null];
        yield { ...properties, x, y };
      }
    };
    return csvChunksOf([...columns.filter((c) => c !== 'x' && c !== 'y'), 'x', 'y'], rows());
  }
}

/**
 * A layer too large to build as one FeatureCollection: its GeoJSON text in pieces (given how to write
 * each geometry and which members follow `features`), and the collection for the writers that need it
 * whole. See {@link CrsRun.layerOutputs}.
 */
export class StreamedLayer {
  constructor(
    /** The GeoJSON text of the layer in pieces, each geometry as `geometry` maps it. */
    readonly geojsonChunks: (options: {
      geometry: (geometry: never) => unknown;
      members?: Record<string, unknown>;
    }) => Iterable<string>,
    /** The layer as a FeatureCollection, built only when a format needs it whole. */
    readonly collection: () => unknown,
  ) {}
}

/** `Wrote out/a.geojson, b.csv and summary.json`: the first file with its folder. */
export function wroteLine(outDir: string, files: readonly string[]): string {
  const [first, ...rest] = files;
  if (first === undefined) return '';
  const last = rest.pop();
  return `Wrote ${join(outDir, first)}${rest.length > 0 ? `, ${rest.join(', ')}` : ''}${last ? ` and ${last}` : ''}`;
}
