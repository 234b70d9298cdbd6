import { InputError, type Warning } from '@lifecircle/core';
import { FIELD_RANGES, isRecord } from '@lifecircle/core/internal';

/** A table to join, as `readTable` returns it (only these fields are used). */
export interface JoinTable {
  readonly file: string;
  readonly columns: readonly string[];
  readonly records: readonly Readonly<Record<string, unknown>>[];
  /** The spreadsheet row of each record (from 1, the header being row 1); by default index + 2. */
  readonly rows?: readonly number[];
}

/** Options of {@link joinPopulation}. */
export interface PopulationJoinOptions {
  /**
   * The community field the table is matched on: `id` (the `id` property, else the feature id), `name`,
   * or any other property name.
   */
  readonly by: string;
  /** The table column holding the key (default: found among id, code, 编号 … or name, 名称, 社区 …). */
  readonly tableKey?: string;
  /** The table column holding the population (default: found among population, pop, 人口, 常住人口 …). */
  readonly populationColumn?: string;
  /** The communities file, named in messages. */
  readonly communitiesFile?: string;
}

/** What a join did: summary.json's `population_join`. */
export interface PopulationJoinRecord {
  readonly table: string;
  readonly by: string;
  readonly table_key: string;
  readonly population_column: string;
  /** Table rows read (with a key). */
  readonly rows: number;
  /** Communities that took their population from the table. */
  readonly matched: number;
  readonly unmatched_rows: number;
  readonly unmatched_communities: number;
  /** Matched communities whose own population differed from the table's. */
  readonly replaced: number;
}

/** The result of {@link joinPopulation}. */
export interface PopulationJoined<T> {
  /** The communities with `population` from the table (a new object; the input is not modified). */
  readonly collection: T;
  readonly record: PopulationJoinRecord;
  readonly warnings: Warning[];
}

const ID_COLUMNS = [
  'id',
  'community_id',
  'communityid',
  'code',
  '编号',
  '社区编号',
  '小区编号',
  '代码',
  '编码',
];
const NAME_COLUMNS = ['name', 'community_name', 'community', '名称', '社区名称', '小区名称', '社区', '小区'];
/** Headers of a population column, lower-cased: a table's population to join, found without naming it. */
export const POPULATION_COLUMNS: readonly string[] = [
  'population',
  'pop',
  'residents',
  '人口',
  '常住人口',
  '人口数',
  '总人口',
  '户籍人口',
  '居住人口',
];
const LISTED = 8;
// Thousands separators as spreadsheets export them: 12,345 or 12 345.
const GROUPED_NUMBER = /^[+-]?\d{1,3}([,\s]\d{3})+(\.\d+)?$/;

/** A join key: full-width forms folded (ＡＢ１ → AB1), spaces trimmed and collapsed. */
function keyOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const key = value.normalize('NFKC').trim().replace(/\s+/g, ' ');
  return key === '' ? null : key;
}

function findColumn(columns: readonly string[], candidates: readonly string[]): string | undefined {
  const lower = new Map(columns.map((c) => [c.trim().toLowerCase(), c]));
  for (const candidate of candidates) {
    const found = lower.get(candidate);
    if (found !== undefined) return found;
  }
  return undefined;
}

// The most residents a community may have (core's FIELD_RANGES.population.largest): beyond it a value
// is refused rather than summed into an infinite or inexact total.
const LARGEST_POPULATION = FIELD_RANGES.population!.largest;

function population(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 && value <= LARGEST_POPULATION ? value : null;
  }
  if (typeof value !== 'string') return null;
  let text = value.normalize('NFKC').trim();
  if (GROUPED_NUMBER.test(text)) text = text.replace(/[,\s]/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return null;
  const n = Number(text);
  return n >= 0 && n <= LARGEST_POPULATION ? n : null;
}

function list(items: readonly string[]): string {
  return `${items.slice(0, LISTED).join(', ')}${items.length > LISTED ? ` and ${items.length - LISTED} more` : ''}`;
}

/**
 * Joins a population table (CSV or XLSX rows) to communities by id or name, setting each matched
 * community's `population`; the analysis then validates it as if the communities file carried it.
 *
 * Keys match after folding full-width characters and collapsing spaces. A key repeated in the table,
 * or (joining by name) a name shared by communities, is an error naming the rows or features: the
 * join would be a guess. Table rows matching no community and communities matching no row are warned
 * about by name; an unmatched community keeps the population of its file, if any. A population that
 * is not a number ≥ 0 is passed on as it is, so validation rejects that community with its reason.
 *
 * @throws {InputError} when a column is missing or keys repeat.
 * @example
 * const table = await readTable(bytes, '人口.csv');
 * const { collection, record, warnings } = joinPopulation(communities, table, { by: 'id' });
 */
export function joinPopulation<T>(
  communities: T,
  table: JoinTable,
  options: PopulationJoinOptions,
): PopulationJoined<T> {
  const communitiesFile = options.communitiesFile ?? 'communities';
  const by = options.by.trim();
  const defaultKeys = by === 'id' ? ID_COLUMNS : by === 'name' ? NAME_COLUMNS : [by.toLowerCase()];
  const tableKey = options.tableKey ?? findColumn(table.columns, defaultKeys);
  const populationColumn = options.populationColumn ?? findColumn(table.columns, POPULATION_COLUMNS);
  const columnList = table.columns.map((c) => `'${c}'`).join(', ');
  if (tableKey === undefined || !table.columns.includes(tableKey)) {
    throw new InputError(
      table.file,
      tableKey === undefined
        ? `no column to join communities by ${by} (looked for ${defaultKeys.join(', ')}); the columns are ${columnList}. Name the key column with --join-table-key.`
        : `has no column '${tableKey}' (--join-table-key); the columns are ${columnList}.`,
    );
  }
  if (populationColumn === undefined || !table.columns.includes(populationColumn)) {
    throw new InputError(
      table.file,
      populationColumn === undefined
        ? `no population column (looked for ${POPULATION_COLUMNS.join(', ')}); the columns are ${columnList}. Name it with --population-column.`
        : `has no column '${populationColumn}' (--population-column); the columns are ${columnList}.`,
    );
  }
  const rowOf = (i: number) => table.rows?.[i] ?? i + 2;

  // Table keys: a repeated key cannot be joined without guessing which row is right.
  const rowsByKey = new Map<string, number[]>();
  const keyless: number[] = [];
  table.records.forEach((record, i) => {
    const key = keyOf(record[tableKey]);
    if (key === null) {
      keyless.push(rowOf(i));
      return;
    }
    const rows = rowsByKey.get(key);
    if (rows) rows.push(i);
    else rowsByKey.set(key, [i]);
  });
  const repeated = [...rowsByKey.entries()].filter(([, rows]) => rows.length > 1);
  if (repeated.length > 0) {
    throw new InputError(
      table.file,
      `${repeated.length} ${tableKey} value(s) appear on more than one row, so the population to join is ambiguous: ${list(
        repeated.map(([key, rows]) => `'${key}' on rows ${rows.map(rowOf).join(', ')}`),
      )}. Keep one row per community (or sum them) and run again.`,
    );
  }

  const features = isRecord(communities) && Array.isArray(communities.features) ? communities.features : [];
  const communityKey = (feature: Record<string, unknown>): string | null => {
    const properties = isRecord(feature.properties) ? feature.properties : {};
    return keyOf(by === 'id' ? (properties.id ?? feature.id) : properties[by]);
  };
  const featuresByKey = new Map<string, number[]>();
  features.forEach((feature: unknown, index: number) => {
    if (!isRecord(feature)) return;
    const key = communityKey(feature);
    if (key === null) return;
    const list = featuresByKey.get(key);
    if (list) list.push(index);
    else featuresByKey.set(key, [index]);
  });
  const shared = [...featuresByKey.entries()].filter(
    ([key, indices]) => indices.length > 1 && rowsByKey.has(key),
  );
  if (shared.length > 0 && by !== 'id') {
    throw new InputError(
      communitiesFile,
      `${shared.length} ${by} value(s) are shared by several communities, so the population of ${table.file} cannot be joined by ${by}: ${list(
        shared.map(([key, indices]) => `'${key}' (features ${indices.map((i) => `#${i}`).join(', ')})`),
      )}. Join by id (--join-by id) or make the names unique.`,
    );
  }

  const used = new Set<string>();
  // By row: several communities may share one row (one id repeated), and the warning counts rows.
  const invalid = new Map<number, string>();
  let invalidCommunities = 0;
  const replaced: string[] = [];
  const unmatchedCommunities: string[] = [];
  let unmatchedWithout = 0;
  let matched = 0;
  const joined = features.map((feature: unknown, index: number) => {
    if (!isRecord(feature)) return feature;
    const properties = isRecord(feature.properties) ? feature.properties : {};
    const key = communityKey(feature);
    const rows = key === null ? undefined : rowsByKey.get(key);
    const label = `#${index}${key === null ? '' : ` (${key})`}`;
    if (!rows) {
      unmatchedCommunities.push(label);
      if (
        properties.population === undefined ||
        properties.population === null ||
        properties.population === ''
      ) {
        unmatchedWithout++;
      }
      return feature;
    }
    used.add(key!);
    matched++;
    const row = rows[0]!;
    const raw = table.records[row]![populationColumn];
    const value = population(raw);
    if (value === null) {
      invalidCommunities++;
      if (!invalid.has(row)) invalid.set(row, `row ${rowOf(row)} (${key}: ${JSON.stringify(raw ?? null)})`);
    }
    const own = population(properties.population);
    if (own !== null && value !== null && own !== value) replaced.push(`${label}: ${own} → ${value}`);
    return { ...feature, properties: { ...properties, population: value ?? raw ?? null } };
  });

  const warnings: Warning[] = [];
  const unmatchedRows = [...rowsByKey.entries()]
    .filter(([key]) => !used.has(key))
    .map(([key, rows]) => `row ${rowOf(rows[0]!)} (${key})`);
  if (unmatchedRows.length > 0) {
    warnings.push({
      code: 'population-unmatched-row',
      file: table.file,
      field: tableKey,
      message: `${unmatchedRows.length} of ${rowsByKey.size} rows match no community by ${by}: ${list(unmatchedRows)}`,
    });
  }
  if (keyless.length > 0) {
    warnings.push({
      code: 'population-unmatched-row',
      file: table.file,
      field: tableKey,
      message: `${keyless.length} rows have no ${tableKey} and were not joined: rows ${list(keyless.map(String))}`,
    });
  }
  if (unmatchedCommunities.length > 0) {
    warnings.push({
      code: 'population-unmatched-community',
      file: communitiesFile,
      field: by,
      message: `${unmatchedCommunities.length} of ${features.length} communities match no row of ${table.file} by ${by}: ${list(unmatchedCommunities)}; ${
        unmatchedWithout === 0
          ? 'they keep the population of their file'
          : `${unmatchedWithout} of them have no population of their own and are rejected`
      }`,
    });
  }
  if (invalid.size > 0) {
    const communities =
      invalidCommunities === invalid.size
        ? 'their communities are'
        : `their ${invalidCommunities} communities are`;
    warnings.push({
      code: 'population-invalid',
      file: table.file,
      field: populationColumn,
      message: `${invalid.size} rows have a population that is not a plain decimal number from 0 to 1,000,000,000, so ${communities} rejected: ${list([...invalid.values()])}`,
    });
  }
  if (replaced.length > 0) {
    warnings.push({
      code: 'population-replaced',
      file: communitiesFile,
      field: 'population',
      message: `${replaced.length} communities had a population of their own that the table's replaced: ${list(replaced)}`,
    });
  }
  const collection = (isRecord(communities) ? { ...communities, features: joined } : communities) as T;
  return {
    collection,
    record: {
      table: table.file,
      by,
      table_key: tableKey,
      population_column: populationColumn,
      rows: rowsByKey.size,
      matched,
      unmatched_rows: unmatchedRows.length,
      unmatched_communities: unmatchedCommunities.length,
      replaced: replaced.length,
    },
    warnings,
  };
}
