// What a command's format step returns: the files `--out` writes, each by name, and the text printed
// on stdout. One writer (writeOutputs) puts them in the folder, for every command.

import { join } from 'node:path';
import { writeBytesFile, writeChunksFile } from './files.js';

/**
 * A file's contents: text, bytes (a zipped shapefile, a GeoPackage), or text in pieces, written as
 * they come (a province's communities.geojson is longer than the longest string JavaScript can hold).
 */
export type OutputContents = string | Uint8Array | Iterable<string>;

/** One file of a command's `--out` folder. */
export interface NamedOutput {
  /** The file's name in the folder: `summary.json`, `communities.geojson`, `gaps.csv` … */
  readonly name: string;
  /**
   * Builds the contents when the file's turn comes, after the files before it are written: a large
   * file is never held while another is written, and a file may say what writing those before it
   * warned about (summary.json lists the field names a shapefile shortened).
   */
  readonly contents: () => OutputContents | Promise<OutputContents>;
}

/** A command's result as the user gets it: the files for `--out` and the text for stdout. */
export interface Formatted {
  /** The files `--out` writes, in the order they are written; none without `--out`. */
  readonly outputs: readonly NamedOutput[];
  /**
   * The text printed on stdout. Called once the outputs are written (or, without `--out`, at once):
   * it names the files and repeats what writing them warned about.
   */
  terminal(): string;
}

/**
 * Writes each output to `outDir` in its order, creating the folder, and adds its name to `written`
 * once it is whole, so that a run stopping on a file that cannot be written says which were.
 */
export async function writeOutputs(
  outDir: string,
  outputs: readonly NamedOutput[],
  written: string[],
): Promise<void> {
  for (const output of outputs) {
    const contents = await output.contents();
    const path = join(outDir, output.name);
    if (typeof contents === 'string' || contents instanceof Uint8Array) writeBytesFile(path, contents);
    else writeChunksFile(path, contents);
    written.push(output.name);
  }
}

/** `make()`'s value, made on the first call and kept: a text two outputs (a file and stdout) share. */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

/** A JSON file's text as the commands write it: two-space indents and a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
