import { join } from 'node:path';
import {
  type AnalysisOptions,
  type AnalysisResult,
  analyzeCoverage,
  communityFeatureCollection,
  FacilityCatalog,
  gapRows,
  InputError,
  type ProgressEvent,
  parseCatalogTypes,
} from '@lifecircle/core';
import { type Command, type Console, formatRejections, UsageError } from '../cli.js';
import { readJsonFile, toCsv, writeTextFile } from '../io/files.js';
import { formatTable, integer, percent } from '../io/table.js';

const usage = `Usage: lifecircle analyze --communities FILE --facilities FILE [options]

Finds the communities that lack each facility type within its walking radius.

Inputs (GeoJSON, WGS84 longitude/latitude):
  --communities FILE     communities: Point, Polygon or MultiPolygon with id and population
  --facilities FILE      facilities: Point (or Polygon) with id and type
  --demand FILE          population points (buildings, grid cells) with population; optional

Options:
  --catalog FILE         facility types as JSON {"types": [...]}: extends the built-in catalog,
                         or replaces it with "replace": true
  --radius TYPE=METRES   walking radius of a type (repeatable); an unknown TYPE adds a custom type
  --types A,B            analyse only these types (default: every type with a facility)
  --include-planned      let planned and under-construction facilities serve
  --gap-threshold S      covered share below which a community has a gap (default 0.5)
  --cell-m M             grid spacing that spreads a polygon's population (default 50)
  --out DIR              write communities.geojson, summary.json and gaps.csv to DIR
  --json                 print summary.json on stdout instead of the table
  --quiet                no progress on stderr
  -h, --help             this help
`;

// Plain decimal numbers only: Number() would also take '', ' ', '0x1F4' and '1e3'.
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/;

function decimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : Number.NaN;
}

function parseRadii(values: readonly string[]): Record<string, number> {
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

function numberOption(
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

function loadCatalog(path: string): FacilityCatalog {
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
function progressReporter(console: Console, quiet: boolean): (event: ProgressEvent) => void {
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

const WORST_SERVED_SHOWN = 10;
const REJECTIONS_SHOWN = 10;

/** The communities lacking the most types, most residents first among equals. */
function formatWorstServed(result: AnalysisResult): string[] {
  const worst = result.communities
    .filter((c) => c.gaps.length > 0)
    .sort((a, b) => b.gaps.length - a.gaps.length || b.population - a.population)
    .slice(0, WORST_SERVED_SHOWN);
  if (worst.length === 0) return [];
  const nameOf = new Map(result.types.map((t) => [t.id, t.name_zh]));
  return [
    '',
    `Communities lacking the most types (${worst.length} of ${result.communities.filter((c) => c.gaps.length > 0).length} with a gap; all in gaps.csv):`,
    formatTable(
      ['community', 'district', 'residents', 'gaps', 'lacking'],
      worst.map((c) => [
        `${c.record.id}${c.record.name ? ` ${c.record.name}` : ''}`,
        c.record.district ?? '',
        integer(c.population),
        String(c.gaps.length),
        c.gaps.map((g) => nameOf.get(g) ?? g).join('、'),
      ]),
      ['left', 'left', 'right', 'right', 'left'],
    ),
  ];
}

/** The readable summary printed on stdout. */
export function formatSummary(result: AnalysisResult, outDir: string | undefined): string {
  const { summary } = result;
  const lines: string[] = [];
  const distance = summary.distance === 'great-circle' ? 'straight-line (great-circle)' : summary.distance;
  lines.push(
    `${integer(summary.communities)} communities, ${integer(summary.population)} residents on ${integer(summary.demand.points)} demand points; ${distance} distance, gap below ${percent(summary.gap_threshold)} covered`,
    '',
  );
  const typeRows = Object.entries(summary.types).map(([id, t]) => [
    id,
    t.name_zh,
    `${t.radius_m} m${t.radius_status === 'standard' || t.radius_status === 'user' ? '' : '*'}`,
    integer(t.facilities),
    percent(t.covered_share),
    integer(t.gap_communities),
    integer(t.gap_population),
    t.capacity_per_1000 === null ? '–' : `${t.capacity_per_1000.toFixed(2)} ${t.capacity_unit ?? ''}`.trim(),
  ]);
  lines.push(
    formatTable(
      [
        'type',
        '名称',
        'radius',
        'facilities',
        'covered',
        'gap communities',
        'gap residents',
        'capacity / 1,000',
      ],
      typeRows,
      ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  if (typeRows.some((r) => r[2]!.endsWith('*'))) {
    lines.push('* radius not confirmed against the standard text (set it with --radius TYPE=METRES)');
  }
  const typeIds = Object.keys(summary.types);
  const districts = Object.entries(summary.districts);
  if (districts.length > 1 && typeIds.length > 0) {
    lines.push('', 'Covered share by district:');
    lines.push(
      formatTable(
        ['type', ...districts.map(([name]) => name)],
        [
          ['residents', ...districts.map(([, d]) => integer(d.population))],
          ...typeIds.map((t) => [t, ...districts.map(([, d]) => percent(d.types[t]!.covered_share))]),
        ],
        ['left', ...districts.map(() => 'right' as const)],
      ),
    );
  }
  lines.push(...formatWorstServed(result), '');
  if (summary.rejected.length > 0) lines.push(formatRejections(summary.rejected, REJECTIONS_SHOWN).trimEnd());
  for (const w of summary.warnings)
    lines.push(`warning: ${w.file}${w.field ? ` (${w.field})` : ''}: ${w.message}`);
  if (outDir) lines.push(`Wrote ${join(outDir, 'communities.geojson')}, summary.json and gaps.csv`);
  return `${lines.join('\n')}\n`;
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'coverage and gaps of every facility type, per community, district and city',
  usage,
  options: {
    communities: { type: 'string' },
    facilities: { type: 'string' },
    demand: { type: 'string' },
    catalog: { type: 'string' },
    radius: { type: 'string', multiple: true },
    types: { type: 'string' },
    'include-planned': { type: 'boolean' },
    'gap-threshold': { type: 'string' },
    'cell-m': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
  },
  run(values, console) {
    const communitiesPath = values.communities as string | undefined;
    const facilitiesPath = values.facilities as string | undefined;
    if (!communitiesPath || !facilitiesPath) {
      throw new UsageError('--communities FILE and --facilities FILE are required.');
    }
    const demandPath = values.demand as string | undefined;
    const outDir = values.out as string | undefined;
    const cellM = numberOption(
      values['cell-m'],
      '--cell-m',
      (n) => n > 0 && Number.isFinite(n),
      'a positive number of metres',
    );
    const options: AnalysisOptions = {
      catalog: values.catalog ? loadCatalog(values.catalog as string) : FacilityCatalog.builtIn(),
      radii: parseRadii((values.radius as string[] | undefined) ?? []),
      includePlanned: values['include-planned'] === true,
      onProgress: progressReporter(console, values.quiet === true),
      ...(cellM === undefined ? {} : { demand: { cellM } }),
    };
    const gapThreshold = numberOption(
      values['gap-threshold'],
      '--gap-threshold',
      (n) => n >= 0 && n <= 1,
      'a share between 0 and 1',
    );
    if (gapThreshold !== undefined) options.gapThreshold = gapThreshold;
    if (typeof values.types === 'string')
      options.types = values.types
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);

    const result = analyzeCoverage(
      {
        communities: readJsonFile(communitiesPath),
        facilities: readJsonFile(facilitiesPath),
        ...(demandPath ? { demand: readJsonFile(demandPath) } : {}),
        files: {
          communities: communitiesPath,
          facilities: facilitiesPath,
          ...(demandPath ? { demand: demandPath } : {}),
        },
      },
      options,
    );
    if (outDir) {
      writeTextFile(
        join(outDir, 'communities.geojson'),
        `${JSON.stringify(communityFeatureCollection(result))}\n`,
      );
      writeTextFile(join(outDir, 'summary.json'), `${JSON.stringify(result.summary, null, 2)}\n`);
      const rows = gapRows(result);
      const columns = [
        'community_id',
        'community_name',
        'district',
        'population',
        'type',
        'type_name_zh',
        'radius_m',
        'covered_share',
        'nearest_m',
        'nearest_id',
      ];
      writeTextFile(join(outDir, 'gaps.csv'), toCsv(columns, rows as unknown as Record<string, unknown>[]));
    }
    console.out(values.json ? `${JSON.stringify(result.summary, null, 2)}\n` : formatSummary(result, outDir));
    return 0;
  },
};
