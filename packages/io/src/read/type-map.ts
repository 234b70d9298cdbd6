import {
  type FacilityCatalog,
  InputError,
  OptionError,
  parseTypeMap,
  type TypeMapEntry,
} from '@lifecircle/core';
import { readTable } from './read.js';
import type { Bytes } from './types.js';

/**
 * Headers {@link readTypeMap} takes for the category column (trimmed, lower case): the Chinese ones
 * are what a planner's spreadsheet would say. The viewer tells a dropped type map by them.
 */
export const TYPE_MAP_CATEGORY_COLUMNS: readonly string[] = ['category', '类别', '分类', 'poi类别'];
/** Headers {@link readTypeMap} takes for the type column (trimmed, lower case). */
export const TYPE_MAP_TYPE_COLUMNS: readonly string[] = ['type', '类型', '设施类型'];

/**
 * Reads a type map: a bureau's own table (CSV, TSV or XLSX) with a `category` (`类别`) and a `type`
 * (`类型`) column, one POI category per row and the catalog type it means — the CLI's
 * `--type-map FILE`, one home for every front end. Checked against the catalog, so a wrong row is
 * reported with the file, row and field before anything is analysed; each entry names its file and
 * spreadsheet row, which the categories table reports as the rule that typed a facility.
 *
 * @throws {InputError} naming the file: no category and type header, or a row whose type the catalog
 * does not know or whose category is empty.
 * @example
 * // not-run: needs a type-map file
 * const typeMap = await readTypeMap(readFileSync('type-map.csv'), 'type-map.csv', catalog);
 * analyzeCoverage({ communities, facilities }, { typeMap });
 */
export async function readTypeMap(
  bytes: Bytes,
  file: string,
  catalog: FacilityCatalog,
): Promise<TypeMapEntry[]> {
  const table = await readTable(bytes, file);
  const pick = (names: readonly string[]) =>
    table.columns.find((c) => names.includes(c.trim().toLowerCase()));
  const categoryColumn = pick(TYPE_MAP_CATEGORY_COLUMNS);
  const typeColumn = pick(TYPE_MAP_TYPE_COLUMNS);
  if (categoryColumn === undefined || typeColumn === undefined) {
    throw new InputError(
      file,
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
    if (error instanceof OptionError) throw new InputError(file, error.message.replace(/^typeMap: /, ''));
    throw error;
  }
  return entries.map((entry) => ({ ...entry, file }));
}
