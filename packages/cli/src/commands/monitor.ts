import { join } from 'node:path';
import {
  type MonitorResult,
  monitorJson,
  monitorProfile,
  monitorRows,
  type NetworkSummary,
} from '@lifecircle/core';
import { type CommandSteps, type StepIo, type StepOptions, UsageError } from '../command.js';
import { checkAnalysisFlags, runSummaryMembers, yearOption } from '../options/analysis.js';
import { valueFlags } from '../options/flags.js';
import { inputOptions, type ProfileRun, runProfile } from '../options/profile.js';
import type { WalkingSummary } from '../options/walkers.js';
import { formatCategories } from '../outputs/categories.js';
import { formatDemand } from '../outputs/demand.js';
import { csvChunksOf } from '../outputs/files.js';
import { type Formatted, jsonText, type NamedOutput, once } from '../outputs/named.js';
import { formatHeadlineNotes, formatNetwork } from '../outputs/network.js';
import { formatTable, integer } from '../outputs/table.js';
import { formatRejections, formatWarning, terminalText } from '../outputs/terminal.js';
import { formatTerrainLoss } from '../outputs/walking.js';
import { indicatorValue, isShareKind, targetText } from '../report/figures.js';
import { type StepCommand, stepCommand } from '../steps.js';

const usage = `Usage: lifecircle monitor --profile NAME|FILE --communities FILE --facilities FILE [options]

Prints the city's indicators year by year, from the earliest facility opening to the profile's
target year, against the targets: each year is the city as it stood (facilities from their opened
year, communities from their built year) or, after the data's last year, as it will stand
(planned facilities from their planned_year). For each target: the first year it is met, the pace
of the last years and the year it will be met at that pace.

Inputs and profile: as for 'lifecircle check' (--communities, --facilities, --demand, --catalog,
--radius, --cell-m, --type-map, --profile), with its input formats, coordinate systems and population table
(--input-crs, --communities-crs, --facilities-crs, --population-table …; see 'lifecircle analyze --help').

Options:
  --from YEAR            first year (default: the earliest opened year of the profile's facilities)
  --to YEAR              last year (default: the profile's target year or the data's last year)
  --pace-years N         years of the pace that projects when a target is met (default 5)
  --include-planned      run to the last planned_year, to show planned facilities
  --out DIR              write monitor.csv and monitor.json to DIR
  --json                 print monitor.json instead of the tables
  --progress             progress on stderr with an estimate of the time left, also when stderr
                         is not a terminal (a log); shown on a terminal without it
  --quiet                no progress on stderr
  -h, --help             this help
`;

function outlookText(outlook: string): string {
  switch (outlook) {
    case 'met':
      return 'met';
    case 'slipping':
      return 'met now, not later';
    case 'on_track':
      return 'on track';
    case 'late':
      return 'late';
    case 'stalled':
      return 'not at this pace';
    case 'no_target':
      return '';
    default:
      return 'unknown';
  }
}

/** Residents the network block counts: every community placed on demand points, whatever its built year. */
function networkPopulation(network: NetworkSummary): number {
  return network.population_reached + network.population_outside;
}

/** The year table and the target summary printed on stdout. */
export function formatMonitor(
  result: MonitorResult,
  outDir: string | undefined,
  walking?: WalkingSummary,
): string {
  const { profile } = result;
  const kinds = new Map(profile.indicators.map((i) => [i.id, i.kind]));
  const shown = result.indicators.filter((i) => i.values.some((v) => v !== null));
  const hidden = result.indicators.filter((i) => i.values.every((v) => v === null));
  const lines: string[] = [];
  lines.push(`Profile ${profile.id}: ${profile.name_zh} (${profile.name_en})`);
  lines.push(
    `The city year by year, ${result.from}–${result.to}: as it stood to ${result.currentYear}${result.to > result.currentYear ? `, as planned after` : ''}`,
    ...formatDemand(result.demand),
    ...formatHeadlineNotes(result.headlineNotes),
    ...(result.network ? formatNetwork(result.network, networkPopulation(result.network)) : []),
    ...(result.lostToTerrain && walking ? formatTerrainLoss(result.lostToTerrain, walking) : []),
    '',
  );
  lines.push(
    formatTable(
      ['year', '', 'communities', 'residents', ...shown.map((_, k) => `[${k + 1}]`)],
      [
        ...result.years.map((y) => [
          String(y.year),
          y.kind === 'planned' ? 'planned' : '',
          integer(y.communities),
          integer(y.population),
          ...shown.map((i) => indicatorValue(kinds.get(i.id) ?? '', y.values[i.id] ?? null)),
        ]),
        [
          'target',
          '',
          '',
          '',
          ...shown.map((i) => targetText(kinds.get(i.id) ?? '', i.target, i.comparison)),
        ],
      ],
      ['left', 'left', 'right', 'right', ...shown.map(() => 'right' as const)],
    ),
    '',
  );
  lines.push(
    formatTable(
      [
        '',
        'indicator',
        `${result.currentYear}`,
        'target',
        'shortfall',
        'met since',
        'pace / year',
        'projected',
        'outlook',
      ],
      shown.map((i, k) => {
        const kind = kinds.get(i.id) ?? '';
        const pace =
          i.pacePerYear === null
            ? '–'
            : isShareKind(kind)
              ? `${(i.pacePerYear * 100).toFixed(1)} pts`
              : i.pacePerYear.toFixed(2);
        return [
          `[${k + 1}]`,
          `${i.label} (${i.nameZh})`,
          indicatorValue(kind, i.current),
          `${targetText(kind, i.target, i.comparison)}${i.status !== 'standard' && i.target !== null ? '*' : ''}`,
          i.shortfall === null || i.shortfall === 0
            ? '–'
            : `${integer(i.shortfall)} ${i.shortfallUnit ?? ''}`.trim(),
          i.metYear === null ? '–' : String(i.metYear),
          pace,
          i.projectedYear === null ? '–' : String(i.projectedYear),
          outlookText(i.outlook),
        ];
      }),
      ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    ),
  );
  lines.push(
    `  pace: least-squares change per year over ${result.paceYears} years to ${result.currentYear}; projected: the year the target is met at that pace`,
  );
  if (hidden.length > 0) {
    lines.push('', 'Not judged from this data (the figures it needs are not given):');
    for (const i of hidden) lines.push(`  ${i.id} (${i.nameZh})`);
  }
  if (profile.not_assessed.length > 0) {
    lines.push(
      '',
      `Not assessed by this profile (${profile.not_assessed.length}): ${profile.not_assessed.map((n) => n.id).join(', ')}`,
    );
  }
  lines.push('');
  for (const note of result.notes) lines.push(terminalText(`note: ${note}`));
  if (result.categories) lines.push(...formatCategories(result.categories), '');
  if (result.rejected.length > 0) lines.push(formatRejections(result.rejected, 10).trimEnd());
  for (const w of result.warnings) lines.push(formatWarning(w));
  if (outDir) lines.push(`Wrote ${join(outDir, 'monitor.csv')} and monitor.json`);
  return `${lines.join('\n')}\n`;
}

/** The options of `lifecircle monitor` beyond the inputs and profile shared with check. */
export interface MonitorCommandOptions {
  /** `--from`: the first year shown. */
  readonly from?: number;
  /** `--to`: the last year shown. */
  readonly to?: number;
  /** `--pace-years`: the years whose trend projects when a target is met. */
  readonly paceYears?: number;
}

/** Parses the flags of `lifecircle monitor`; a mistake is a {@link UsageError} naming the flag. */
export function parseMonitorOptions(values: Record<string, unknown>): MonitorCommandOptions {
  const from = yearOption(values.from, '--from');
  const to = yearOption(values.to, '--to');
  let paceYears: number | undefined;
  if (values['pace-years'] !== undefined) {
    paceYears = Number(values['pace-years']);
    if (!Number.isInteger(paceYears) || paceYears < 2 || !/^\s*\d+\s*$/.test(String(values['pace-years']))) {
      throw new UsageError(
        `--pace-years expects a whole number of years ≥ 2, got '${String(values['pace-years'])}'.`,
      );
    }
  }
  return {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(paceYears === undefined ? {} : { paceYears }),
  };
}

/** The options of `lifecircle monitor`: its own, and where and how it writes. */
export type MonitorRunOptions = MonitorCommandOptions & StepOptions;

/** What `lifecircle monitor` ran: the years and indicators, and how the run read and measured. */
export type MonitorRun = ProfileRun<MonitorResult>;

/** Reads the inputs and profile and measures the profile's indicators year by year. */
async function runMonitor(options: MonitorRunOptions, io: StepIo): Promise<MonitorRun> {
  const { from, to, paceYears } = options;
  const ran = await runProfile(options.inputs, io, (input, profile, checkOptions) =>
    monitorProfile(input, profile, {
      ...checkOptions,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(paceYears === undefined ? {} : { paceYears }),
    }),
  );
  io.record.done.years = ran.result.years.length;
  io.record.done.indicators = ran.result.indicators.length;
  return ran;
}

/** The walking section's loss to terrain, as the result names it. */
function terrainLossOf(result: MonitorResult) {
  return result.lostToTerrain;
}

/**
 * The outputs of `lifecircle monitor`: with `--out`, monitor.csv (one row per year) and monitor.json
 * (the `--json` text); on stdout the year table and the targets, or the JSON with `--json`.
 */
function formatMonitorRun({ result, setup }: MonitorRun, options: MonitorRunOptions): Formatted {
  const json = once(() =>
    jsonText({
      ...(monitorJson(result) as object),
      ...runSummaryMembers(setup, terrainLossOf(result)),
    }),
  );
  const outputs: NamedOutput[] = options.out
    ? [
        {
          name: 'monitor.csv',
          contents: () => {
            const { columns, rows } = monitorRows(result);
            return csvChunksOf(columns, rows);
          },
        },
        { name: 'monitor.json', contents: json },
      ]
    : [];
  return {
    outputs,
    terminal: () => (options.json ? json() : formatMonitor(result, options.out, setup.walking)),
  };
}

export const monitorCommand: StepCommand<MonitorCommandOptions, MonitorRun> = stepCommand({
  name: 'monitor',
  summary: "the plan's indicators year by year against the targets, with the projected year each is met",
  usage,
  options: {
    ...inputOptions,
    ...valueFlags('from', 'to', 'pace-years'),
  },
  parse: parseMonitorOptions,
  checkSharedFlags: checkAnalysisFlags,
  run: runMonitor,
  format: formatMonitorRun,
});

/** `lifecircle monitor` as its three steps, to call one by one. */
export const monitorSteps: CommandSteps<MonitorRunOptions, MonitorRun> = monitorCommand.steps;
