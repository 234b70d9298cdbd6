import { InputError, OptionError, type Rejection, type Warning } from '@lifecircle/core';
import {
  type FeatureRead,
  locateProblems,
  type ReadOptions,
  readFeatures,
  textDecoder,
} from '@lifecircle/io';
import { readFileBytes, readFileIfPresent } from './files.js';

/** The reading options of the input options (`--encoding`, `--lon-column`, `--lat-column`, `--layer`). */
export type InputFileOptions = Pick<ReadOptions, 'encoding' | 'lonColumn' | 'latColumn' | 'layer'>;

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
];

const FORMAT_OPTIONS = {
  encoding: 'encoding',
  'lon-column': 'lonColumn',
  'lat-column': 'latColumn',
  layer: 'layer',
} as const;

/**
 * The reading options of each input from `--encoding`, `--lon-column`, `--lat-column` and `--layer`
 * (repeatable): `NAME` for every input, `ROLE=NAME` for one (`--layer communities=社区 --layer
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
  return (role) => ({ ...all, ...byRole.get(role) });
}

/**
 * The input files of one run, read in any supported format, and everything reading them found: the
 * rows or features a reader rejected, its warnings, and the coordinate system each file declares.
 * Validation later reports problems by feature index; {@link InputReading.locate} points those back at
 * each file's records and rows, so every problem of a CSV names its spreadsheet row.
 */
export class InputReading {
  readonly reads: FeatureRead[] = [];
  private readonly optionsFor: (role: string) => InputFileOptions;

  /** `optionsFor` gives the reading options of each input by its role (see {@link formatOptions}). */
  constructor(optionsFor: (role: string) => InputFileOptions = () => ({})) {
    // An unknown encoding is a mistake in the command line, reported before any file is read.
    for (const role of FORMAT_OPTION_ROLES) {
      const { encoding } = optionsFor(role);
      if (encoding !== undefined) textDecoder(encoding, false);
    }
    this.optionsFor = optionsFor;
  }

  /**
   * Reads the file of an input (`communities`, `facilities` …) in any supported format; a shapefile's
   * .dbf, .prj and .cpg are read from beside it.
   */
  async read(path: string, role: string): Promise<FeatureRead> {
    const bytes = readFileBytes(path, EXPECTED_FILE);
    const read = await readFeatures(bytes, path, {
      ...this.optionsFor(role),
      readSibling: readFileIfPresent,
      // An OpenStreetMap file holds roads and facilities alike: the role says which to take.
      ...(role === 'network' || role === 'facilities' ? { osm: { layer: role } } : {}),
    });
    this.reads.push(read);
    // Nothing is left to validate: say why here, with every row the reader rejected.
    if (read.collection.features.length === 0 && read.rejected.length > 0) {
      throw new InputError(
        path,
        `no row or feature could be read (${read.rejected.length} rejected).`,
        read.rejected,
      );
    }
    return read;
  }

  /** What the readers rejected, in the order the files were read. */
  get rejected(): Rejection[] {
    return this.reads.flatMap((r) => r.rejected);
  }

  /** What the readers warned about. */
  get warnings(): Warning[] {
    return this.reads.flatMap((r) => r.warnings);
  }

  /** Problems found by feature index (validation's), pointed at each file's own records and rows. */
  locate<T extends { readonly file: string; readonly index?: number }>(problems: readonly T[]): T[] {
    return locateProblems(problems, this.reads);
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
