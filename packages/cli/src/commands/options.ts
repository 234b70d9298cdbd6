import {
  type AnalysisInput,
  type AnalysisOptions,
  FacilityCatalog,
  InputError,
  type ProgressEvent,
  parseCatalogTypes,
} from '@lifecircle/core';
import { type Console, UsageError } from '../cli.js';
import { readJsonFile } from '../io/files.js';

// Plain decimal numbers only: Number() would also take '', ' ', '0x1F4' and '1e3'.
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;

/** A plain decimal number, or NaN for anything else. */
export function decimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}

/** A numeric option, or undefined when absent; a value failing `check` is a usage error. */
export function numberOption(
  value: unknown,
  name: string,
  check: (n: number) => boolean,
  expected: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = decimal(String(value));
  if (!check(n)) throw new UsageError(`${name} expects ${expected}, got '${String(value)}'.`);
  return n;
}

/** A whole year option such as `--as-of 2023`, or undefined when absent. */
export function yearOption(value: unknown, name: string): number | undefined {
  return numberOption(
    value,
    name,
    (n) => Number.isInteger(n) && n >= 1800 && n <= 2200,
    'a year such as 2025',
  );
}

/** `--radius TYPE=METRES` values as a radii option. */
export function parseRadii(values: readonly string[]): Record<string, number> {
  const radii: Record<string, number> = {};
  for (const text of values) {
    const match = /^([^=]*)=(.*)$/.exec(text);
    const type = match?.[1]?.trim() ?? '';
    const metres = match ? decimal(match[2]!) : Number.NaN;
    if (!match || type === '' || !(metres > 0)) {
      throw new UsageError(
        `--radius expects TYPE=METRES with a type and a positive number of metres, got '${text}'.`,
      );
    }
    radii[type] = metres;
  }
  return radii;
}

/** A `--catalog` file: extends the built-in catalog, or replaces it with `"replace": true`. */
export function loadCatalog(path: string): FacilityCatalog {
  const value = readJsonFile(path);
  const { types, problems } = parseCatalogTypes(value);
  if (problems.length > 0) {
    const list = problems
      .map((p) => `  type ${p.index}${p.id ? ` (${p.id})` : ''}, field ${p.field}: ${p.reason}`)
      .join('\n');
    throw new InputError(path, `the catalog has ${problems.length} problem(s):\n${list}`);
  }
  const replace =
    typeof value === 'object' && value !== null && (value as { replace?: unknown }).replace === true;
  return replace ? new FacilityCatalog(types) : FacilityCatalog.builtIn().extend(types);
}

/** Progress on stderr: one line redrawn in a terminal, plain lines in a log. */
export function progressReporter(console: Console, quiet: boolean): (event: ProgressEvent) => void {
  if (quiet) return () => {};
  const started = performance.now();
  return (event) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
    const step = event.total
      ? ` [${(event.done ?? 0) + (event.done === event.total ? 0 : 1)}/${event.total}]`
      : '';
    const line = `${seconds}s ${event.stage}${step} ${event.message}`;
    if (console.interactive) console.err(`\r\x1b[2K${line}${event.stage === 'summarize' ? '\n' : ''}`);
    else console.err(`${line}\n`);
  };
}

/** The input options every analysing command takes (analyze, check, monitor). */
export const analysisInputOptions = {
  communities: { type: 'string' },
  facilities: { type: 'string' },
  demand: { type: 'string' },
  catalog: { type: 'string' },
  radius: { type: 'string', multiple: true },
  'include-planned': { type: 'boolean' },
  'cell-m': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

/** Reads the input files, catalog, radii and shared options of an analysing command. */
export function readAnalysisInputs(
  values: Record<string, unknown>,
  console: Console,
): { input: AnalysisInput; options: AnalysisOptions & { catalog: FacilityCatalog } } {
  const communitiesPath = values.communities as string | undefined;
  const facilitiesPath = values.facilities as string | undefined;
  if (!communitiesPath || !facilitiesPath) {
    throw new UsageError('--communities FILE and --facilities FILE are required.');
  }
  const cellM = numberOption(values['cell-m'], '--cell-m', (n) => n > 0, 'a positive number of metres');
  const radii = parseRadii((values.radius as string[] | undefined) ?? []);
  const catalog = values.catalog ? loadCatalog(values.catalog as string) : FacilityCatalog.builtIn();
  const demandPath = values.demand as string | undefined;
  const input: AnalysisInput = {
    communities: readJsonFile(communitiesPath),
    facilities: readJsonFile(facilitiesPath),
    ...(demandPath ? { demand: readJsonFile(demandPath) } : {}),
    files: {
      communities: communitiesPath,
      facilities: facilitiesPath,
      ...(demandPath ? { demand: demandPath } : {}),
    },
  };
  return {
    input,
    options: {
      catalog,
      radii,
      includePlanned: values['include-planned'] === true,
      onProgress: progressReporter(console, values.quiet === true),
      ...(cellM === undefined ? {} : { demand: { cellM } }),
    },
  };
}
