// What the io tests that read fixtures/formats share: the folder, and the sibling reader a reader is
// handed in Node (a shapefile's .dbf and .prj are read beside its .shp).
import { readFileSync } from 'node:fs';

/** The fixtures/formats folder. */
export const FORMATS_DIR: URL = new URL('../../../fixtures/formats/', import.meta.url);

/** The file at `path`, or undefined where there is none (as `readSibling` of the read options wants). */
export function readSibling(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
