import {
  BUILT_IN_PROFILE_IDS,
  type ComplianceResult,
  checkStandards,
  complianceColumns,
  complianceFeatureCollection,
  complianceHeadlineNotes,
  complianceSummaryJson,
  districtRows,
  type IndicatorResult,
  type Warning,
} from '@lifecircle/core';
import { eachComplianceRow } from '@lifecircle/core/internal';
import { type CommandSteps, type StepIo, type StepOptions, UsageError } from '../command.js';
import {
  checkAnalysisFlags,
  formatHelp,
  runSummaryMembers,
  typeMapHelp,
  yearOption,
} from '../options/analysis.js';
import { crsHelp, wroteLine } from '../options/crs.js';
import { inputOptions, type ProfileRun, runProfile } from '../options/profile.js';
import type { WalkingSummary } from '../options/walkers.js';
import { formatCategories } from '../outputs/categories.js';
import { formatDemand } from '../outputs/demand.js';
import { csvChunksOf } from '../outputs/files.js';
import { type Formatted, jsonText, type NamedOutput, once } from '../outputs/named.js';
import { formatHeadlineNotes, formatNetwork } from '../outputs/network.js';
import { formatTable, integer, percent } from '../outputs/table.js';
import { formatRejections, formatWarning, terminalText } from '../outputs/terminal.js';
import { formatTerrainLoss } from '../outputs/walking.js';
import {
  areaFigures,
  indicatorValue,
  REACHED_COLUMNS,
  radiusFigure,
  requirementFigures,
  shortfallAmounts,
  targetText,
} from '../report/figures.js';
import { complianceReportChunks } from '../report/html.js';
import { type StepCommand, stepCommand } from '../steps.js';

const inputHelp = `Inputs (WGS84 longitude/latitude; any input format), as for 'lifecircle analyze':
  --communities FILE     communities with id and population (households, built, children_0_3,
                         elderly_60plus and district are read when present)
  --facilities FILE      facilities with id and type (capacity, area_m2, status, opened and
                         planned_year are read when present)
  --demand FILE          population points (buildings, grid cells); optional

${formatHelp}

${crsHelp}

Profile and catalog:
  --profile NAME|FILE    ${BUILT_IN_PROFILE_IDS.join(', ')}, or a profile file (JSON;
                         "extends" a built-in one to change it); see docs/standards-profiles.md
  --catalog FILE         facility types as JSON {"types": [...]} (extends the built-in catalog)
  --radius TYPE=METRES   walking radius of a type (repeatable); wins over the catalog and profile
${typeMapHelp}
  --cell-m M             grid spacing that spreads a polygon's population (default 50)`;

const usage = `Usage: lifecircle check --profile NAME|FILE --communities FILE --facilities FILE [options]

Judges every community against a standard profile: each item passes, fails or cannot be judged
(unknown), with the reason; whether the community is complete; and per county and city the
complete-community rate, each item's compliance rate and shortfall, and the indicators against
their targets.

${inputHelp}

Options:
  --as-of YEAR           the city as it stood (or will stand) at the end of YEAR: facilities from
                         their opened / planned_year, communities from their built year
  --include-planned      planned and under-construction facilities serve (not with --as-of)
  --complete-inventory   the facility file is the whole inventory: an item whose facility types
                         are absent from it fails (default: unknown, "no facilities of this type
                         in the input"); a profile's "complete_inventory": true does the same
  --out DIR              write compliance.geojson, compliance.csv, districts.csv, summary.json
                         (the --json text) and report.html
  --json                 print the summary as JSON instead of the tables
  --progress             progress on stderr with an estimate of the time left, also when stderr
                         is not a terminal (a log); shown on a terminal without it
  --quiet                no progress on stderr
  -h, --help             this help
`;

function indicatorStatus(i: IndicatorResult): string {
  if (i.value === null) return 'unknown';
  if (i.met === null) return '';
  if (i.met) return i.provisional ? 'met (partial)' : 'met';
  return i.provisional ? 'below (partial)' : 'below';
}

function radiusText(r: ComplianceResult['requirements'][number], unit: ComplianceResult['costUnit']): string {
  if (r.radii.length === 0) return '–';
  const texts = [
    ...new Set(
      r.radii.map((x) => `${radiusFigure(x.radius, unit)}${x.radiusStatus === 'standard' ? '' : '*'}`),
    ),
  ];
  return texts.join('/');
}

/** The readable summary printed on stdout. */
export function formatCheck(
  result: ComplianceResult,
  outDir: string | undefined,
  written: readonly string[] = [
    'compliance.geojson',
    'summary.json',
    'compliance.csv',
    'districts.csv',
    'report.html',
  ],
  walking?: WalkingSummary,
): string {
  const { profile, city } = result;
  const lines: string[] = [];
  const distance = result.distance === 'great-circle' ? 'straight-line (great-circle)' : result.distance;
  const when =
    result.asOf === null
      ? result.includePlanned
        ? 'planned facilities included'
        : 'statuses as given'
      : `as of ${result.asOf}`;
  lines.push(`Profile ${profile.id}: ${profile.name_zh} (${profile.name_en})`);
  lines.push(
    `${integer(city.communities)} communities, ${integer(city.population)} residents; ${distance} distance; ${when}`,
    ...formatDemand(result.demand),
    '',
  );
  lines.push(
    `Complete communities: ${integer(city.complete)} of ${integer(city.communities)} (${percent(city.completeShare)}); ${integer(city.incomplete)} incomplete; ${integer(city.unknown)} unknown${
      city.unknown > 0
        ? ` (at most ${percent(city.completeShareMax)} once their unknown items are known)`
        : ''
    }`,
    ...formatHeadlineNotes(complianceHeadlineNotes(result)),
    ...(result.network ? formatNetwork(result.network, city.population) : []),
    ...(result.lostToTerrain && walking ? formatTerrainLoss(result.lostToTerrain, walking) : []),
    '',
  );
  const inventory = inventoryLine(result);
  if (inventory !== null) lines.push(inventory, '');
  const tiers = profile.tiers?.nested ? profile.tiers.order : [];
  const onNetwork = result.network !== undefined;
  const areas = [...result.districts, city];
  lines.push('By county:');
  lines.push(
    formatTable(
      [
        'county',
        'communities',
        'residents',
        'complete',
        'incomplete',
        'unknown',
        'complete rate',
        'at most',
        'mean score',
        ...tiers.map((t) => `${t} tier`),
      ],
      areas.map((a) => [a.name, ...areaFigures(a, tiers)]),
      ['left', ...Array<'right'>(8 + tiers.length).fill('right')],
    ),
    '',
  );
  lines.push('Items (city):');
  lines.push(
    formatTable(
      [
        'item',
        '名称',
        'radius',
        'required',
        'pass',
        'fail',
        'unknown',
        'pass rate',
        ...(onNetwork ? REACHED_COLUMNS.headers : []),
        'no access',
        'new facilities',
        'other shortfall',
      ],
      result.requirements.map((r) => {
        const s = city.requirements[r.id]!;
        return [
          r.id,
          r.nameZh,
          radiusText(r, result.costUnit),
          r.required ? 'yes' : 'no',
          ...requirementFigures(s),
          shortfallAmounts(s.shortfall.amounts),
        ];
      }),
      [
        'left',
        'left',
        'right',
        'left',
        ...Array<'right'>(6 + (onNetwork ? REACHED_COLUMNS.headers.length : 0)).fill('right'),
        'left',
      ],
    ),
  );
  lines.push(
    '  pass rate: among communities where the item could be judged; new facilities: a greedy estimate of the sites that would reach every community without one',
    ...(onNetwork ? [`  ${REACHED_COLUMNS.legend}`] : []),
    '',
  );
  if (profile.indicators.length > 0) {
    lines.push('Indicators (city) against targets:');
    lines.push(
      formatTable(
        ['indicator', 'value', 'target', 'status', 'shortfall', 'note'],
        profile.indicators.map((ind) => {
          const i = city.indicators[ind.id]!;
          return [
            ind.id,
            indicatorValue(ind.kind, i.value),
            `${targetText(ind.kind, i.target, i.comparison)}${ind.status !== 'standard' && i.target !== null ? '*' : ''}`,
            indicatorStatus(i),
            i.shortfall === null || i.shortfall === 0
              ? '–'
              : `${integer(i.shortfall)} ${i.shortfallUnit ?? ''}`.trim(),
            i.note ?? '',
          ];
        }),
        ['left', 'right', 'right', 'left', 'right', 'left'],
      ),
    );
    lines.push(
      '  partial: part of the data was unknown (see note) and the value counts what is known; * target not confirmed',
      '',
    );
  }
  if (profile.access.length > 0) {
    lines.push('Access with crowding (city):');
    lines.push(
      formatTable(
        ['score', 'demand', 'supply', 'per 1,000 in reach', 'served', 'over capacity', 'outside', 'unknown'],
        profile.access.map((a) => {
          const s = city.access[a.id]!;
          return [
            a.id,
            integer(s.demand),
            integer(s.supply),
            s.score === null ? '–' : s.score.toFixed(1),
            integer(s.served),
            integer(s.overCapacity),
            integer(s.outside),
            integer(s.unknown),
          ];
        }),
        ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
      '',
    );
  }
  if (result.unconfirmed.length > 0) {
    lines.push(
      `* ${result.unconfirmed.length} values are not confirmed against the standard text (unverified or assumed); report.html and --json list them all:`,
    );
    lines.push(
      `  ${result.unconfirmed
        .slice(0, 8)
        .map((u) => `${u.what} ${String(u.value)} (${u.status})`)
        .join('; ')}${result.unconfirmed.length > 8 ? '; …' : ''}`,
      '',
    );
  }
  if (result.notAssessed.length > 0) {
    lines.push(`Not assessed from this data (${result.notAssessed.length}):`);
    for (const n of result.notAssessed) lines.push(`  ${n.id} (${n.name_zh}): ${n.reason}`);
    lines.push('');
  }
  for (const note of result.notes) lines.push(terminalText(`note: ${note}`));
  if (result.categories) lines.push(...formatCategories(result.categories), '');
  if (result.rejected.length > 0) lines.push(formatRejections(result.rejected, 10).trimEnd());
  for (const w of result.warnings) lines.push(formatWarning(w));
  if (outDir) {
    lines.push(wroteLine(outDir, written));
  }
  return `${lines.join('\n')}\n`;
}

/** The options of `lifecircle check` beyond the inputs and profile shared with monitor. */
export interface CheckCommandOptions {
  /** `--as-of`: the city as it stood (or will stand) at the end of this year. */
  readonly asOf?: number;
  /** `--complete-inventory`: the facility file is the whole inventory. */
  readonly completeInventory?: boolean;
}

/**
 * Whether the facility file was taken as the whole inventory, and what that did to the items whose
 * facility types are absent from it (the reader of a headline must know which).
 */
export function inventoryLine(result: ComplianceResult): string | null {
  const absent = result.absentTypes.map((a) => a.requirement);
  if (result.completeInventory) {
    return `Facility file taken as the whole inventory${absent.length > 0 ? `: ${absent.join(', ')} fail (no facilities of their types)` : ''}.`;
  }
  return absent.length > 0
    ? `Facility file not declared the whole inventory: ${absent.join(', ')} unknown (no facilities of their types in the input; --complete-inventory judges them failing).`
    : null;
}

/** Parses the flags of `lifecircle check`; a mistake is a {@link UsageError} naming the flag. */
export function parseCheckOptions(values: Record<string, unknown>): CheckCommandOptions {
  const asOf = yearOption(values['as-of'], '--as-of');
  if (asOf !== undefined && values['include-planned'] === true) {
    throw new UsageError(
      '--include-planned and --as-of cannot be combined: as of a year, planned facilities serve from their planned_year.',
    );
  }
  return {
    ...(asOf === undefined ? {} : { asOf }),
    ...(values['complete-inventory'] === true ? { completeInventory: true } : {}),
  };
}

/** The options of `lifecircle check`: its own, and where and how it writes. */
export type CheckRunOptions = CheckCommandOptions & StepOptions;

/** What `lifecircle check` ran: the verdicts, and how the run read and measured. */
export type CheckRun = ProfileRun<ComplianceResult>;

/** Reads the inputs and profile and judges every community against it. */
function runCheck(options: CheckRunOptions, io: StepIo): Promise<CheckRun> {
  const { asOf, completeInventory } = options;
  return runProfile(options.inputs, io, (input, profile, checkOptions) => {
    const result = checkStandards(input, profile, {
      ...checkOptions,
      ...(asOf === undefined ? {} : { asOf }),
      ...(completeInventory === undefined ? {} : { completeInventory }),
    });
    io.record.done.communities = result.communities.length;
    io.record.done.requirements = result.requirements.length;
    return result;
  });
}

/** The walking section's loss to terrain, as the result names it. */
function terrainLossOf(result: ComplianceResult) {
  return result.lostToTerrain;
}

/**
 * The outputs of `lifecircle check`: with `--out`, compliance.geojson, summary.json (the `--json`
 * text), compliance.csv and districts.csv (with `--format csv`, the default) and report.html, the
 * tables and report streamed row by row; on stdout the tables, or the JSON with `--json`.
 */
function formatCheckRun({ result: checked, setup }: CheckRun, options: CheckRunOptions): Formatted {
  const outDir = options.out;
  const writeWarnings: Warning[] = [];
  const outputs: NamedOutput[] = outDir
    ? setup.crs.layerOutputs(outDir, 'compliance', complianceFeatureCollection(checked), writeWarnings)
    : [];
  // Writing shapefiles can warn too (shortened field names): those warnings belong to this run.
  const result = once(
    (): ComplianceResult => ({ ...checked, warnings: [...checked.warnings, ...writeWarnings] }),
  );
  // summary.json and --json are one text: the verdicts and how the run read and measured.
  const summaryJson = once(() =>
    jsonText({
      ...(complianceSummaryJson(result()) as object),
      ...runSummaryMembers(setup, terrainLossOf(result())),
    }),
  );
  if (outDir) {
    outputs.push({ name: 'summary.json', contents: summaryJson });
    if (setup.crs.csv()) {
      // Streamed: one row per community and requirement, written as they come.
      outputs.push({
        name: 'compliance.csv',
        contents: () => csvChunksOf(complianceColumns(result()), eachComplianceRow(result())),
      });
      outputs.push({
        name: 'districts.csv',
        contents: () => {
          const districts = districtRows(result());
          return csvChunksOf(districts.columns, districts.rows);
        },
      });
    }
    // In pieces: a province's report is longer than one string can hold.
    outputs.push({ name: 'report.html', contents: () => complianceReportChunks(result()) });
  }
  return {
    outputs,
    terminal: () =>
      options.json
        ? summaryJson()
        : formatCheck(
            result(),
            outDir,
            outputs.map((o) => o.name),
            setup.walking,
          ),
  };
}

export const checkCommand: StepCommand<CheckCommandOptions, CheckRun> = stepCommand({
  name: 'check',
  summary:
    'judge every community against a standard profile (complete community, life circles, plan targets)',
  usage,
  options: { ...inputOptions, 'as-of': { type: 'string' }, 'complete-inventory': { type: 'boolean' } },
  parse: parseCheckOptions,
  checkSharedFlags: checkAnalysisFlags,
  run: runCheck,
  format: formatCheckRun,
});

/** `lifecircle check` as its three steps, to call one by one. */
export const checkSteps: CommandSteps<CheckRunOptions, CheckRun> = checkCommand.steps;
