// The user's type map (the CLI's `--type-map FILE`): a table of `category,type` rows mapping POI
// categories the built-in tables leave unmapped to catalog types. A file is read by io's
// `readTypeMap`, the one parser the CLI calls, so the same file types the same facilities here and
// there; a category can also be mapped from the categories table, which adds a row to the same map.
// The map is part of the analysis options: the worker hands it to core, and scenario files and shared
// links carry it (it is settings, a few rows, not a bureau's data).
import { FacilityCatalog, formatCsv, parseTypeMap } from '@lifecircle/core';
import { decodeText, readTypeMap, TYPE_MAP_CATEGORY_COLUMNS, TYPE_MAP_TYPE_COLUMNS } from '@lifecircle/io';
import type { Page } from './page.js';
import type { AnalyzeOptions, ViewerTypeMap } from './worker/protocol.js';

/** The catalog the viewer's worker types facilities against (the CLI's without `--catalog`). */
const CATALOG = FacilityCatalog.builtIn();

/** The name a type map made in the categories table takes (and its download). */
export const TYPE_MAP_NAME = 'type-map.csv';

/** Names of a type-map file: dropped with other files, it is read as one by its name alone. */
const TYPE_MAP_FILE_NAME = /type[-_ ]?map|类别对照|类型对照|对照表/i;
const TABLE_NAME = /\.(csv|tsv|txt)$/i;
/** Headers of a column that places a row on the map: a table with one is a points file. */
const COORDINATE_HEADERS =
  /^(x|y|lon|lng|long|longitude|lat|latitude|location|coordinates?|wkt|geometry|geom|the_geom|point|经度|纬度|坐标|位置)$/i;

/** How far into a dropped table its header line is looked for. */
const HEADER_BYTES = 4096;

/**
 * The bytes of a table's first line, read no further than {@link HEADER_BYTES}, cut where no
 * character is split: at the first line feed (a byte no multi-byte character of UTF-8 or GB18030
 * holds), else, for a header longer than that, before an unfinished UTF-8 character. A character cut
 * in two would make the whole head invalid UTF-8 and read as GBK, garbling the header.
 */
function headerLine(bytes: Uint8Array): Uint8Array {
  const limit = Math.min(bytes.length, HEADER_BYTES);
  const lineFeed = bytes.subarray(0, limit).indexOf(0x0a);
  if (lineFeed >= 0) return bytes.subarray(0, lineFeed);
  if (limit === bytes.length) return bytes;
  let end = limit;
  // Back to the first byte of the character the limit falls in (UTF-8 continuation bytes are 10xxxxxx).
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

/**
 * Whether a dropped file is a type map: by its name (`type-map.csv`, `类别对照表.xlsx`), or a text
 * table whose header has a category and a type column (the headers io's `readTypeMap` takes) and no
 * coordinate column (a facilities file with a category column is still a facilities file).
 */
export function isTypeMapFile(name: string, bytes: ArrayBuffer): boolean {
  if (TYPE_MAP_FILE_NAME.test(name)) return true;
  if (!TABLE_NAME.test(name)) return false;
  // io's decoder, as the table itself will be read: UTF-8, else GBK (a spreadsheet saved on a Chinese
  // Windows), a byte-order mark first. Bytes it refuses as not text are no type map; reading them as
  // data then says why.
  let text: string;
  try {
    text = decodeText(headerLine(new Uint8Array(bytes)), name).text;
  } catch {
    return false;
  }
  const header = (text.split(/\r?\n/)[0] ?? '')
    .split(/[,\t;]/)
    .map((c) => c.trim().replace(/^"|"$/g, '').trim().toLowerCase());
  return (
    header.some((c) => TYPE_MAP_CATEGORY_COLUMNS.includes(c)) &&
    header.some((c) => TYPE_MAP_TYPE_COLUMNS.includes(c)) &&
    !header.some((c) => COORDINATE_HEADERS.test(c))
  );
}

/**
 * Reads a type-map file as the CLI's `--type-map` does (io's `readTypeMap`, checked against the
 * catalog). Throws io's InputError naming the file, row and field of every wrong row.
 */
export async function readTypeMapFile(name: string, bytes: ArrayBuffer): Promise<ViewerTypeMap> {
  const entries = await readTypeMap(new Uint8Array(bytes), name, CATALOG);
  return {
    name,
    entries: entries.map((e) => ({ category: e.category, type: e.type, row: e.row ?? 0 })),
  };
}

/**
 * The type map with `category` mapped to `typeId`, as the categories table writes it: the row of
 * that category takes the new type, else a row is added after the last (a map made here is named
 * {@link TYPE_MAP_NAME}).
 */
export function typeMapWith(map: ViewerTypeMap | undefined, category: string, typeId: string): ViewerTypeMap {
  const entries = map?.entries ?? [];
  const same = (text: string) => text.trim() === category.trim();
  if (entries.some((e) => same(e.category)))
    return { name: map!.name, entries: entries.map((e) => (same(e.category) ? { ...e, type: typeId } : e)) };
  // Row 1 is the header, as a spreadsheet numbers it.
  const row = entries.reduce((last, e) => Math.max(last, e.row), 1) + 1;
  return {
    name: map?.name ?? TYPE_MAP_NAME,
    entries: [...entries, { category: category.trim(), type: typeId, row }],
  };
}

/** The type map as the CSV the CLI's `--type-map` reads (`category,type`), rows in their order. */
export function typeMapCsv(map: ViewerTypeMap): string {
  const rows = [...map.entries].sort((a, b) => a.row - b.row);
  return formatCsv(
    ['category', 'type'],
    rows.map((e) => [e.category, e.type]),
  );
}

/**
 * A scenario's type map, checked again against the catalog as a loaded file is; null when it is
 * absent or not one (a scenario is untrusted JSON).
 */
export function parseScenarioTypeMap(value: unknown): ViewerTypeMap | null {
  if (typeof value !== 'object' || value === null) return null;
  const { name, entries } = value as { name?: unknown; entries?: unknown };
  if (typeof name !== 'string' || !Array.isArray(entries)) return null;
  const rows = entries.slice(0, 10_000).flatMap((e: unknown, i) => {
    if (typeof e !== 'object' || e === null) return [];
    const { category, type, row } = e as Record<string, unknown>;
    if (typeof category !== 'string' || typeof type !== 'string') return [];
    const at = typeof row === 'number' && Number.isInteger(row) && row > 0 ? row : i + 2;
    return [{ category: category.slice(0, 500), type: type.slice(0, 100), row: at }];
  });
  try {
    parseTypeMap(rows, CATALOG);
  } catch {
    return null;
  }
  return { name: name.slice(0, 200), entries: rows };
}

/** Analyses again with `typeMap` (undefined: without one); says why a file cannot be read. */
async function analyseWith(page: Page, typeMap: ViewerTypeMap | undefined): Promise<void> {
  const { typeMap: _, ...options } = page.view.options;
  const next: AnalyzeOptions = typeMap ? { ...options, typeMap } : options;
  await page.runAnalysis(next);
}

/**
 * Loads a type-map file the user dropped or chose: the facilities are typed again with it. A file
 * with a wrong row changes nothing and says which file, row and field, and what was expected.
 */
export async function loadTypeMapFile(page: Page, name: string, bytes: ArrayBuffer): Promise<void> {
  page.setNotice(null);
  try {
    let map: ViewerTypeMap;
    try {
      map = await readTypeMapFile(name, bytes);
    } catch (error) {
      page.setNotice({
        kind: 'error',
        title: page.t('typeMapProblems'),
        message: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    await analyseWith(page, map);
  } catch (error) {
    page.showError(error);
  } finally {
    page.render();
  }
}

/** Maps one category to a catalog type from the categories table, and analyses again. */
export async function mapCategory(page: Page, category: string, typeId: string): Promise<void> {
  try {
    await analyseWith(page, typeMapWith(page.view.options.typeMap, category, typeId));
  } catch (error) {
    page.showError(error);
  } finally {
    page.render();
  }
}

/** Drops the type map: the facilities are typed by the built-in tables alone again. */
export async function removeTypeMap(page: Page): Promise<void> {
  try {
    await analyseWith(page, undefined);
  } finally {
    page.render();
  }
}
