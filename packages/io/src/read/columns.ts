import type { Feature, FeatureCollection } from 'geojson';
import { type OptionWording, ReadOptionError, type ReadWarning, wordingOf } from './hints.js';
import type { FeatureOrigins } from './types.js';

/**
 * The attributes lifecircle reads from an input, each under the property name core validates
 * (`id`, `name`, `population` …), whatever the file calls its column.
 */
export type ColumnRole =
  | 'id'
  | 'name'
  | 'type'
  | 'population'
  | 'households'
  | 'capacity'
  | 'district'
  | 'status';

/** Every column role, in the order messages and summaries list them. */
export const COLUMN_ROLES: readonly ColumnRole[] = [
  'id',
  'name',
  'type',
  'population',
  'households',
  'capacity',
  'district',
  'status',
];

/** The reading option that names the column of each role (`idColumn` …). */
export type ColumnOption = `${ColumnRole}Column`;

/** Options naming the column of each role; a role not named is detected from common headers. */
export type ColumnOptions = { readonly [R in ColumnRole as `${R}Column`]?: string };

/**
 * Headers recognised for each role when no option names its column, most likely first (any case,
 * trimmed). A file with two of them for one role gets the first and a warning naming both.
 */
const HEADERS: Readonly<Record<ColumnRole, readonly string[]>> = {
  id: ['id', 'code', '编号', '代码', '编码', '社区代码', '社区编码', '社区编号', 'admincode'],
  name: ['name', '名称', '社区名称', '小区名称'],
  type: ['type', '类型', '设施类型'],
  population: ['population', 'pop', '人口', '常住人口', '总人口', '户籍人口'],
  households: ['households', '户数'],
  capacity: ['capacity', '学位', '床位', '托位'],
  district: ['district', 'adname', '区县', '街道'],
  status: ['status', '状态'],
};

/**
 * Headers taken for a role only when none of {@link HEADERS} is there; they never make a detection
 * ambiguous. Ids: Baidu's `uid`, its POIs' stable id, then an OBJECTID or FID, which numbers the rows
 * of one export and changes with the next. Type: Baidu's `tag` (`教育培训;幼儿园`), which core's
 * category tables read from `tag` itself (Baidu's table, its `,`-joined parts), so it is reported,
 * not copied to `type`.
 */
const LAST_RESORT: Partial<Record<ColumnRole, readonly string[]>> = {
  id: ['uid', 'objectid', 'fid'],
  type: ['tag'],
};
/** Last-resort columns whose value is not copied to the role's property (core reads them by name). */
const READ_BY_NAME = new Set(['tag']);

/** Which column a role was read from, and how it was chosen: one entry of summary.json's `columns`. */
export interface ColumnUse {
  readonly role: ColumnRole;
  /** The file's column (property) the role was read from. */
  readonly column: string;
  /** `named` by an option, or `detected` from its header. */
  readonly source: 'named' | 'detected';
}

/** How features without an id column were given one. */
export interface GeneratedIds {
  /** `row`: `幼儿园.csv#12` from the row or feature number; `name`: the feature's unique name. */
  readonly from: 'row' | 'name';
  readonly count: number;
}

/** What {@link applyColumnRoles} did. */
export interface ColumnsApplied {
  readonly collection: FeatureCollection;
  readonly columns: ColumnUse[];
  /** Set when the file had no id column and ids were made up (communities and facilities only). */
  readonly generatedIds: GeneratedIds | null;
  readonly warnings: ReadWarning[];
}

/** Which input a file is: decides whether features without ids get made-up ones, and how. */
export type InputKind = 'communities' | 'facilities' | 'other';

function normalized(name: string): string {
  return name.trim().toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Property names of the features, in first-seen order (a table's columns; GeoJSON's keys). */
function propertyNames(features: readonly Feature[]): string[] {
  const names = new Set<string>();
  // Tables give every feature every column: looking at the first features is enough and keeps big files fast.
  for (const feature of features.slice(0, 1000)) {
    if (isRecord(feature.properties)) for (const key of Object.keys(feature.properties)) names.add(key);
  }
  return [...names];
}

function baseName(file: string): string {
  return file.replace(/^.*[\\/]/, '');
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/**
 * Reads each role from the column the options name, else from the first common header found for it
 * (`ADMINCODE` for ids, `名称` for names, `常住人口` for population …), and copies its value to the
 * role's own property (`id`, `name`, `population` …), so that core's validation reads any file the
 * same way; the original columns stay. A column named by an option that the file lacks is a
 * {@link ReadOptionError} listing the columns it has.
 *
 * Communities and facilities without any id column (and no GeoJSON feature ids) get made-up ids with
 * one warning: facilities their row or feature number (`幼儿园.csv#12`), communities their name when
 * every name is present and unique, else their row. Where the file has an id column, a feature
 * missing its id is left for validation to reject.
 *
 * @example
 * const { collection, columns } = applyColumnRoles(read.collection, '社区.shp', read.origins, 'communities');
 * columns; // [{ role: 'id', column: 'ADMINCODE', source: 'detected' }, { role: 'name', column: '名称', … }]
 */
export function applyColumnRoles(
  collection: FeatureCollection,
  file: string,
  origins: FeatureOrigins | null,
  kind: InputKind,
  options: ColumnOptions & { readonly optionWording?: OptionWording } = {},
): ColumnsApplied {
  const wording = wordingOf(options);
  const features = Array.isArray(collection.features) ? collection.features : [];
  const names = propertyNames(features);
  const columns: ColumnUse[] = [];
  const warnings: ReadWarning[] = [];
  for (const role of COLUMN_ROLES) {
    const option: ColumnOption = `${role}Column`;
    const named = options[option];
    if (named !== undefined && named.trim() !== '') {
      const column = names.find((c) => c === named) ?? names.find((c) => normalized(c) === normalized(named));
      if (column === undefined) {
        throw new ReadOptionError(
          file,
          `has no column '${named}' for the ${role} (${wording({ option })}); its columns are ${names.map((c) => `'${c}'`).join(', ') || '(none)'}.`,
          { option },
        );
      }
      columns.push({ role, column, source: 'named' });
      continue;
    }
    const candidates = HEADERS[role].flatMap((h) => names.filter((c) => normalized(c) === h));
    const fallback = (LAST_RESORT[role] ?? []).flatMap((h) => names.filter((c) => normalized(c) === h));
    const column = candidates[0] ?? fallback[0];
    if (column === undefined) continue;
    columns.push({ role, column, source: 'detected' });
    if (candidates.length > 1) {
      warnings.push({
        code: 'column-ambiguous',
        file,
        field: column,
        message: `both ${candidates.map((c) => `'${c}'`).join(' and ')} look like the ${role} column; '${column}' was used (name the one to use with ${wording({ option })})`,
        hint: { option },
      });
    }
  }
  const copies = columns.filter(
    (c) => c.column !== c.role && !(c.source === 'detected' && READ_BY_NAME.has(normalized(c.column))),
  );
  let out = features;
  if (copies.length > 0) {
    out = features.map((feature) => {
      if (!isRecord(feature) || !isRecord(feature.properties)) return feature;
      const properties: Record<string, unknown> = { ...feature.properties };
      for (const { role, column } of copies) properties[role] = feature.properties[column] ?? null;
      return { ...feature, properties } as Feature;
    });
  }
  let generatedIds: GeneratedIds | null = null;
  const hasIds = columns.some((c) => c.role === 'id') || features.some((f) => isRecord(f) && present(f.id));
  if (!hasIds && kind !== 'other' && out.length > 0) {
    const made = madeUpIds(out, file, origins, kind);
    out = made.features;
    generatedIds = { from: made.from, count: out.length };
    warnings.push({
      code: 'ids-generated',
      file,
      field: 'id',
      message:
        made.from === 'name'
          ? `has no id column, so each of its ${out.length} features takes its name as id (the names are unique); name the id column with ${wording({ option: 'idColumn' })} to use another`
          : `has no id column, so each of its ${out.length} features takes its ${origins?.row ? 'row' : 'feature'} number as id (${made.example}); name the id column with ${wording({ option: 'idColumn' })} to use another`,
      hint: { option: 'idColumn' },
    });
  }
  const changed = out !== features;
  return {
    collection: changed ? ({ ...collection, features: out } as FeatureCollection) : collection,
    columns,
    generatedIds,
    warnings,
  };
}

function madeUpIds(
  features: readonly Feature[],
  file: string,
  origins: FeatureOrigins | null,
  kind: Exclude<InputKind, 'other'>,
): { features: Feature[]; from: GeneratedIds['from']; example: string } {
  if (kind === 'communities') {
    const names = features.map((f) => (isRecord(f.properties) ? f.properties.name : undefined));
    const texts = names.map((n) => (present(n) ? String(n).trim() : null));
    if (texts.every((t) => t !== null) && new Set(texts).size === texts.length) {
      return {
        features: features.map((f, i) => withId(f, texts[i]!)),
        from: 'name',
        example: texts[0]!,
      };
    }
  }
  // A table's row as a spreadsheet shows it; otherwise the feature's position in the file, from 0 as
  // every other message numbers features.
  const base = baseName(file);
  const numberOf = (i: number) => origins?.row?.[i] ?? origins?.index[i] ?? i;
  const made = features.map((f, i) => withId(f, `${base}#${numberOf(i)}`));
  return { features: made, from: 'row', example: `${base}#${numberOf(0)}` };
}

function withId(feature: Feature, id: string): Feature {
  return { ...feature, properties: { ...(feature.properties ?? {}), id } };
}
