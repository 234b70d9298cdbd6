import type { FacilityCatalog, TypeMapEntry } from '@lifecircle/core';
import { readTypeMap } from '@lifecircle/io';
import { readFileBytes } from '../inputs/files.js';

/**
 * A `--type-map FILE`: a table (CSV, TSV or XLSX) with a `category` and a `type` column, read by io's
 * `readTypeMap` (the one parser, which the viewer calls too) and checked against the catalog there.
 */
export async function loadTypeMap(path: string, catalog: FacilityCatalog): Promise<TypeMapEntry[]> {
  return readTypeMap(
    readFileBytes(path, 'a CSV, TSV or XLSX table with category and type columns'),
    path,
    catalog,
  );
}
