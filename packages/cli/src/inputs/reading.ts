import { type DemandColumns, InputError, OptionError, type Rejection, type Warning } from '@lifecircle/core';
import {
  convertInput,
  DEFAULT_LIMITS,
  type InputOptions,
  type InputRead,
  locateProblems,
  type OptionHint,
  type OptionWording,
  type OsmReadOptions,
  readInput,
  textDecoder,
} from '@lifecircle/io';
import { parseLimits } from '../options/limits.js';
import {
  isDemandFlatGeobufFile,
  isDemandLinesFile,
  locateDemandRecords,
  locateFlatGeobufRecords,
  readDemandFlatGeobufFile,
  readDemandLinesFile,
  readFlatGeobufStart,
  readLinesStart,
  readsAsStreamed,
  type StreamProgress,
  spreadPositions,
} from './demand-stream.js';

/** The first lines of a streamed demand file read the usual way, to see what that way makes of them. */
const SAMPLE_BYTES = 256 << 10;
/** The first features of a streamed FlatGeobuf demand file read the usual way, likewise. */
const SAMPLE_FEATURES = 2000;

/**
 * Most points of a streamed demand file handed to the offset test, spread over the whole file (the
 * test itself measures 2,000 of those inside the network's extent): enough for a network that covers
 * one district of a province's file, at a few milliseconds.
 */
const OFFSET_SAMPLE_POINTS = 100_000;

import { readFileBytes, readFileIfPresent } from './files.js';

/**
 * The reading options of the input options (`--encoding`, `--lon-column`, `--lat-column`, `--layer`,
 * `--id-column` …): the options io's {@link OptionHint} can name, listed there once, less the
 * coordinate system (given per role through `--communities-crs` …), plus the reading limits.
 */
export type InputFileOptions = Pick<InputOptions, Exclude<OptionHint['option'], 'crs'> | 'limits'>;

/**
 * The coordinate systems the user gave for an input: its own option and `--input-crs`, and the flag
 * that declares its system (`--communities-crs`, or `--input-crs` for inputs without their own).
 */
export type InputCrsOptions = Pick<InputOptions, 'crs' | 'defaultCrs'> & { readonly crsFlag?: string };

/** The flag of each reading option, as io's messages name it in the CLI. */
const FLAGS: Readonly<Record<Exclude<OptionHint['option'], 'crs'>, string>> = {
  layer: '--layer',
  encoding: '--encoding',
  lonColumn: '--lon-column',
  latColumn: '--lat-column',
  positionColumn: '--position-column',
  idColumn: '--id-column',
  nameColumn: '--name-column',
  typeColumn: '--type-column',
  populationColumn: '--population-column',
  householdsColumn: '--households-column',
  capacityColumn: '--capacity-column',
  districtColumn: '--district-column',
  statusColumn: '--status-column',
};

/**
 * io's option hints worded as the CLI's flags: `choose one with --layer`, `give the system with
 * --facilities-crs` (the input's own flag, `crsFlag`).
 */
export function cliOptionWording(crsFlag = '--input-crs'): OptionWording {
  return (hint) => (hint.option === 'crs' ? crsFlag : FLAGS[hint.option]);
}

const EXPECTED_FILE = 'a GeoJSON, CSV, XLSX, shapefile, FlatGeobuf, GeoPackage or OpenStreetMap file';

/** The inputs a format option can be given for one at a time, as in `--layer facilities=设施`. */
export const FORMAT_OPTION_ROLES: readonly string[] = [
  'communities',
  'facilities',
  'demand',
  'network',
  'candidates',
  'study-area',
  'exclude',
  'population-table',
  'buildings',
];

const FORMAT_OPTIONS = {
  encoding: 'encoding',
  'lon-column': 'lonColumn',
  'lat-column': 'latColumn',
  'position-column': 'positionColumn',
  layer: 'layer',
  'id-column': 'idColumn',
  'name-column': 'nameColumn',
  'type-column': 'typeColumn',
  'population-column': 'populationColumn',
  'households-column': 'householdsColumn',
  'capacity-column': 'capacityColumn',
  'district-column': 'districtColumn',
  'status-column': 'statusColumn',
} as const;

/**
 * The reading options of each input from `--encoding`, `--lon-column`, `--lat-column`, `--layer` and
 * the column options (`--id-column` …, repeatable): `NAME` for every input, `ROLE=NAME` for one (`--layer communities=社区 --layer
 * facilities=设施` for two tables of one GeoPackage); one for a role wins over one for every input.
 */
export function formatOptions(values: Record<string, unknown>): (role: string) => InputFileOptions {
  const all: Record<string, string> = {};
  const byRole = new Map<string, Record<string, string>>();
  for (const [option, key] of Object.entries(FORMAT_OPTIONS)) {
    const given = values[option];
    const texts = Array.isArray(given) ? (given as string[]) : typeof given === 'string' ? [given] : [];
    for (const text of texts) {
      const match = /^([a-z-]+)=(.*)$/.exec(text);
      const role = match && FORMAT_OPTION_ROLES.includes(match[1]!) ? match[1]! : null;
      const value = role ? match![2]! : text;
      // With a population table, a plain --population-column names its column, as before the inputs
      // had population columns of their own.
      if (!role && key === 'populationColumn' && values['population-table'] !== undefined) {
        const table =
          byRole.get('population-table') ?? byRole.set('population-table', {}).get('population-table')!;
        if (table[key] !== undefined) {
          throw new OptionError(
            `--${option}`,
            `given twice for population-table ('${table[key]}', '${value}').`,
          );
        }
        table[key] = value;
        continue;
      }
      const target = role ? (byRole.get(role) ?? byRole.set(role, {}).get(role)!) : all;
      if (target[key] !== undefined) {
        throw new OptionError(
          `--${option}`,
          `given twice${role ? ` for ${role}` : ''} ('${target[key]}', '${value}'); give NAME once for every input, or ROLE=NAME once per input (${FORMAT_OPTION_ROLES.join(', ')}).`,
        );
      }
      target[key] = value;
    }
  }
  // --limit applies to every file read.
  const limits = parseLimits(values);
  return (role) => ({ ...all, ...byRole.get(role), ...(limits ? { limits } : {}) });
}

/**
 * The input files of one run, read in any supported format, and everything reading them found: the
 * rows or features a reader rejected, its warnings, and the coordinate system each file declares.
 * Validation later reports problems by feature index; {@link InputReading.locate} points those back at
 * each file's records and rows, so every problem of a CSV names its spreadsheet row.
 */
export class InputReading {
  readonly reads: InputRead[] = [];
  private readonly optionsFor: (role: string) => InputFileOptions;
  private readonly crsFor: (role: string) => InputCrsOptions;
  /**
   * The box and study area an OpenStreetMap network or facilities file is clipped to while it is
   * read (`--bbox`, `--study-area`), so that a provincial extract costs memory only for the city.
   */
  osmClip: Pick<OsmReadOptions, 'bbox' | 'area'> = {};

  /**
   * `optionsFor` gives the reading options of each input by its role (see {@link formatOptions}),
   * `crsFor` the coordinate systems declared for it (asked when the file is read).
   */
  constructor(
    optionsFor: (role: string) => InputFileOptions = () => ({}),
    crsFor: (role: string) => InputCrsOptions = () => ({}),
  ) {
    // An unknown encoding is a mistake in the command line, reported before any file is read.
    for (const role of FORMAT_OPTION_ROLES) {
      const { encoding } = optionsFor(role);
      if (encoding !== undefined) textDecoder(encoding, false);
    }
    this.optionsFor = optionsFor;
    this.crsFor = crsFor;
  }

  /**
   * Reads the file of an input (`communities`, `facilities` …) through io's front door: any supported
   * format (a shapefile's .dbf, .prj and .cpg read from beside it), its columns by role, its
   * coordinates in WGS84.
   */
  async read(path: string, role: string): Promise<InputRead> {
    const bytes = readFileBytes(path, EXPECTED_FILE);
    const { crsFlag, ...crs } = this.crsFor(role);
    const read = await readInput(bytes, path, {
      ...this.optionsFor(role),
      ...crs,
      optionWording: cliOptionWording(crsFlag),
      kind: role === 'communities' || role === 'facilities' ? role : 'other',
      readSibling: readFileIfPresent,
      // An OpenStreetMap file holds roads and facilities alike: the role says which to take.
      ...(role === 'network' || role === 'facilities' ? { osm: { layer: role, ...this.osmClip } } : {}),
    });
    this.reads.push(read);
    // Nothing is left to validate: say why here, with every row the reader rejected.
    if (read.features.features.length === 0 && read.rejected.length > 0) {
      throw new InputError(
        path,
        `no row or feature could be read (${read.rejected.length} rejected).`,
        read.rejected,
      );
    }
    return read;
  }

  /**
   * A GeoJSON-lines or FlatGeobuf demand file read as a stream straight into typed columns (no feature
   * objects: a province's grid of 20 million points fits), or undefined when the file must be read the
   * usual way: another format, a column option or coordinate system given for it, first lines or
   * features that the usual way reads differently (columns under other names, coordinates not in
   * WGS84), text that is not UTF-8, or a FlatGeobuf file whose start is not one. `read` is its first
   * lines or features read the usual way, for the run's record of columns and coordinate systems;
   * `positions` points spread over the whole file, for the offset test. Everything else is what
   * reading the whole file gives: the lines that are not features among the reading's rejections, the
   * features' rejections and warnings in the columns, and problems found later by record pointed at
   * their lines and ids ({@link locate}).
   */
  async readDemandColumns(
    path: string,
    progress?: (state: StreamProgress) => void,
  ): Promise<{ columns: DemandColumns; read: InputRead; positions: Float64Array } | undefined> {
    const flatGeobuf = isDemandFlatGeobufFile(path);
    if (!isDemandLinesFile(path) && !flatGeobuf) return undefined;
    const { limits, ...columnOptions } = this.optionsFor('demand');
    const { crsFlag, ...crs } = this.crsFor('demand');
    if (Object.keys(columnOptions).length > 0 || crs.crs || crs.defaultCrs) return undefined;
    const inputOptions = {
      ...(limits ? { limits } : {}),
      ...crs,
      optionWording: cliOptionWording(crsFlag),
      kind: 'other',
    } as const;
    const readLimits = { ...DEFAULT_LIMITS, ...limits };
    let sample: InputRead;
    if (flatGeobuf) {
      try {
        sample = convertInput(readFlatGeobufStart(path, SAMPLE_FEATURES, readLimits), inputOptions);
      } catch (error) {
        // Not FlatGeobuf after all, or damaged: the usual reading says what it is, as it always has.
        if (error instanceof InputError) return undefined;
        throw error;
      }
    } else {
      sample = await readInput(readLinesStart(path, SAMPLE_BYTES), path, inputOptions);
    }
    if (!readsAsStreamed(sample)) return undefined;
    const streamed = flatGeobuf
      ? readDemandFlatGeobufFile(path, readLimits, progress)
      : readDemandLinesFile(path, readLimits, progress);
    if (!streamed) return undefined;
    const { columns, linesRejected } = streamed;
    if (columns.count === 0 && columns.rejected.length === 0 && linesRejected.length > 0) {
      throw new InputError(path, `no row or feature could be read (${linesRejected.length} rejected).`, [
        ...linesRejected,
      ]);
    }
    this.reads.push({ ...sample, rejected: [...linesRejected], origins: null });
    this.streamedFiles.add(path);
    return { columns, read: sample, positions: spreadPositions(columns.coords, OFFSET_SAMPLE_POINTS) };
  }

  /** Demand files read as a stream, whose records are located by reading them again. */
  private readonly streamedFiles = new Set<string>();

  /** What the readers rejected, in the order the files were read. */
  get rejected(): Rejection[] {
    return this.reads.flatMap((r) => r.rejected);
  }

  /**
   * What the readers warned about (the coordinate-system stage's warnings, `crs-…`, are reported with
   * the run's coordinate systems, see `CrsRun`).
   */
  get warnings(): Warning[] {
    return this.reads.flatMap((r) => r.warnings.filter((w) => !w.code.startsWith('crs-')));
  }

  /** Problems found by feature index (validation's), pointed at each file's own records and rows. */
  locate<T extends { readonly file: string; readonly index?: number }>(problems: readonly T[]): T[] {
    const located = locateProblems(problems, this.reads);
    if (this.streamedFiles.size === 0) return located;
    for (const file of this.streamedFiles) {
      const unplaced = located.flatMap((p, i) =>
        p.file === file && p.index !== undefined && !('row' in p) ? [i] : [],
      );
      if (unplaced.length === 0) continue;
      const unlocated = unplaced.map((i) => located[i]! as T & { readonly id?: string | null });
      const placed = isDemandFlatGeobufFile(file)
        ? locateFlatGeobufRecords(file, unlocated, { ...DEFAULT_LIMITS, ...this.optionsFor('demand').limits })
        : locateDemandRecords(file, unlocated);
      unplaced.forEach((at, k) => {
        located[at] = placed[k]!;
      });
    }
    return located;
  }

  /**
   * Runs an analysis step; an {@link InputError} it throws with rejected features (nothing usable
   * left) is thrown again with those features located and the readers' own rejections added.
   */
  guard<T>(step: () => T): T {
    try {
      const result = step();
      if (result instanceof Promise) {
        return result.catch((error: unknown) => {
          throw this.located(error);
        }) as T;
      }
      return result;
    } catch (error) {
      throw this.located(error);
    }
  }

  private located(error: unknown): unknown {
    if (!(error instanceof InputError) || (error.rejected.length === 0 && this.rejected.length === 0)) {
      return error;
    }
    const located = new InputError(error.file, '', [...this.rejected, ...this.locate(error.rejected)]);
    located.message = error.message;
    return located;
  }
}
