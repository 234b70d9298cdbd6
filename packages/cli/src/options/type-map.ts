import {
  type FacilityCatalog,
  InputError,
  OptionError,
  parseTypeMap,
  type TypeMapEntry,
} from '@lifecircle/core';
import { readTable } from '@lifecircle/io';
import { readFileBytes } from '../inputs/files.js';

// Header names of the two columns; the Chinese ones are what a planner's spreadsheet would say.
const CATEGORY_COLUMNS = ['category', '类别', '分类', 'poi类别'];
const TYPE_COLUMNS = ['type', '类型', '设施类型'];

/**
 * A `--type-map FILE`: a table (CSV, TSV or XLSX) with a `category` and a `type` column, one POI
 * category per row and the catalog type it means. Checked against the catalog here, so a wrong row
 * is reported with the file, row and field before anything is analysed.
 */
export async function loadTypeMap(path: string, catalog: FacilityCatalog): Promise<TypeMapEntry[]> {
  const table = await readTable(
    readFileBytes(path, 'a CSV, TSV or XLSX table with category and type columns'),
    path,
  );
  const pick = (names: readonly string[]) =>
    table.columns.find((c) => names.includes(c.trim().toLowerCase()));
  const categoryColumn = pick(CATEGORY_COLUMNS);
  const typeColumn = pick(TYPE_COLUMNS);
  if (categoryColumn === undefined || typeColumn === undefined) {
    throw new InputError(
      path,
      `expected a header row with a category column and a type column (category,type), found ${table.columns.map((c) => `'${c}'`).join(', ') || 'no columns'}.`,
    );
  }
  const entries = table.records.map((record, i) => ({
    category: String(record[categoryColumn] ?? ''),
    type: String(record[typeColumn] ?? ''),
    row: table.rows[i]!,
  }));
  try {
    parseTypeMap(entries, catalog);
  } catch (error) {
    if (error instanceof OptionError) throw new InputError(path, error.message.replace(/^typeMap: /, ''));
    throw error;
  }
  return entries.map((entry) => ({ ...entry, file: path }));
}
