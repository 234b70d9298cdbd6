import {
  type AnalysisResult,
  analyzeCoverage,
  catchments,
  communityFeatureCollection,
  coverageSummaryJson,
  DISTRICT_COVERAGE_COLUMNS,
  eachDistrictCoverageRow,
  GAP_COLUMNS,
  type Warning,
} from '@lifecircle/core';
import {
  type CatchmentMode,
  communityFeatureChunks,
  eachGapRow,
  lostToTerrainOfRun,
  type TerrainLoss,
  targetsAt,
  WALKING_SPEED_KMH,
  withTerrainLoss,
} from '@lifecircle/core/internal';
import type { FeatureCollection } from 'geojson';
import { type CommandSteps, type StepIo, type StepOptions, UsageError } from '../command.js';
import {
  analysisInputOptions,
  checkAnalysisFlags,
  type DistanceSetup,
  distanceHelp,
  formatHelp,
  notWalkableMember,
  numberOption,
  type RunSetup,
  readAnalysisInputs,
  typeMapHelp,
  typeMapOption,
  withReadingProblems,
} from '../options/analysis.js';
import { crsHelp, StreamedLayer, wroteLine } from '../options/crs.js';
import { valueFlags } from '../options/flags.js';
import type { WalkingSummary } from '../options/walkers.js';
import { formatCategories } from '../outputs/categories.js';
import { formatDemand } from '../outputs/demand.js';
import { csvChunksOf } from '../outputs/files.js';
import { type Formatted, jsonText, type NamedOutput, once } from '../outputs/named.js';
import { formatHeadlineNotes, formatNetwork } from '../outputs/network.js';
import { communityLabel, formatTable, integer, percent } from '../outputs/table.js';
import { formatRejections, formatWarning } from '../outputs/terminal.js';
import { formatTerrainLoss, terrainLossMember } from '../outputs/walking.js';
import { radiusFigure } from '../report/figures.js';
import { type StepCommand, stepCommand } from '../steps.js';

const CATCHMENT_MODES: readonly CatchmentMode[] = ['per-facility', 'dissolved', 'nearest'];

function parseCatchmentModes(value: unknown): CatchmentMode[] {
  if (value === undefined) return ['dissolved'];
  const modes = String(value)
    .split(',')
    .map((m) => m.trim());
  for (const mode of modes) {
    if (!CATCHMENT_MODES.includes(mode as CatchmentMode)) {
      throw new UsageError(`--catchments expects modes among ${CATCHMENT_MODES.join(', ')}, got '${mode}'.`);
    }
  }
  return modes as CatchmentMode[];
}

const usage = `Usage: lifecircle analyze --communities FILE --facilities FILE [options]

Finds the communities that lack each facility type within its walking radius.

Inputs (WGS84 longitude/latitude):
  --communities FILE     communities: Point, Polygon or MultiPolygon with id and population
  --facilities FILE      facilities: Point (or Polygon) with id and type
  --demand FILE          population points (buildings, grid cells) with population; optional

${formatHelp}

${crsHelp}

${distanceHelp}

Options:
  --catalog FILE         facility types as JSON {"types": [...]}: extends the built-in catalog,
                         or replaces it with "replace": true
  --radius TYPE=METRES   walking radius of a type (repeatable); an unknown TYPE adds a custom type
${typeMapHelp}
  --types A,B            analyse only these types (default: every type with a facility)
  --include-planned      let planned and under-construction facilities serve
  --gap-threshold S      covered share below which a community has a gap (default 0.5)
  --cell-m M             grid spacing that spreads a polygon's population (default 50)
  --catchments MODES     with --network: catchments.geojson in these modes, comma-separated:
                         per-facility, dissolved, nearest (default dissolved)
  --out DIR              write communities.geojson, summary.json, gaps.csv and districts.csv to DIR
  --community-outputs W  which per-community outputs --out writes: all (communities.geojson and
                         gaps.csv, the default), gaps (gaps.csv only) or none (a province: the
                         figures by district in districts.csv and summary.json only)
  --json                 print summary.json on stdout instead of the table
  --progress             progress on stderr with an estimate of the time left, also when stderr
                         is not a terminal (a log); shown on a terminal without it
  --quiet                no progress on stderr
  -h, --help             this help
`;

const WORST_SERVED_SHOWN = 10;
/** Districts shown as columns of the covered-share table; more are left to districts.csv. */
const DISTRICT_COLUMNS_SHOWN = 12;
const REJECTIONS_SHOWN = 10;

/** The communities lacking the most types, most residents first among equals. */
function formatWorstServed(result: AnalysisResult, gapsFile: boolean): string[] {
  const worst = result.communities
    .filter((c) => c.gaps.length > 0)
    .sort((a, b) => b.gaps.length - a.gaps.length || b.population - a.population)
    .slice(0, WORST_SERVED_SHOWN);
  if (worst.length === 0) return [];
  const nameOf = new Map(result.types.map((t) => [t.id, t.name_zh]));
  return [
    '',
    `Communities lacking the most types (${worst.length} of ${integer(result.communities.filter((c) => c.gaps.length > 0).length)} with a gap${gapsFile ? '; all in gaps.csv' : ''}):`,
    formatTable(
      ['community', 'district', 'residents', 'gaps', 'lacking'],
      worst.map((c) => [
        communityLabel(c.record.id, c.record.name),
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
export function formatSummary(
  result: AnalysisResult,
  outDir: string | undefined,
  written: readonly string[] = ['communities.geojson', 'summary.json', 'gaps.csv'],
  walked?: { readonly terrainLoss: Readonly<Record<string, TerrainLoss>>; readonly walking: WalkingSummary },
): string {
  // The terminal shows the figures of summary.json, rounded as there.
  const summary = coverageSummaryJson(result.summary);
  const lines: string[] = [];
  const distance = {
    'great-circle': 'straight-line (great-circle)',
    network: 'walking (road network)',
    'cost-matrix': `cost-matrix (${summary.cost_unit})`,
  }[summary.distance];
  lines.push(
    `${integer(summary.communities)} communities, ${integer(summary.population)} residents on ${integer(summary.demand.points)} demand points; ${distance} distance, gap below ${percent(summary.gap_threshold)} covered`,
  );
  lines.push(...formatDemand(summary.demand));
  lines.push('');
  const typeRows = Object.entries(summary.types).map(([id, t]) => [
    id,
    t.name_zh,
    // With a cost matrix in minutes, radii are minutes too (radius_m holds the cost).
    `${radiusFigure(t.radius_m, summary.cost_unit)}${t.radius_status === 'standard' || t.radius_status === 'user' ? '' : '*'}`,
    integer(t.facilities),
    percent(t.covered_share),
    ...(summary.network ? [percent(t.covered_share_of_reached ?? null)] : []),
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
        ...(summary.network ? ['of reached'] : []),
        'gap communities',
        'gap residents',
        'capacity / 1,000',
      ],
      typeRows,
      [
        'left',
        'left',
        'right',
        'right',
        'right',
        ...(summary.network ? ['right' as const] : []),
        'right',
        'right',
        'right',
      ],
    ),
  );
  lines.push(...formatHeadlineNotes(summary.headline_notes));
  if (summary.network) lines.push(...formatNetwork(summary.network, summary.population));
  if (walked)
    lines.push(
      ...formatTerrainLoss(walked.terrainLoss, walked.walking, 'communities.geojson: TYPE_lost_to_terrain'),
    );
  if (typeRows.some((r) => r[2]!.endsWith('*'))) {
    lines.push('* radius not confirmed against the standard text (set it with --radius TYPE=METRES)');
  }
  const typeIds = Object.keys(summary.types);
  const districts = Object.entries(summary.districts);
  if (districts.length > DISTRICT_COLUMNS_SHOWN && typeIds.length > 0) {
    // A province's hundred districts do not fit a terminal's width: they are in districts.csv.
    lines.push(
      '',
      `Covered share by district: ${integer(districts.length)} districts${written.includes('districts.csv') ? ', in districts.csv' : '; write them with --out'}.`,
    );
  } else if (districts.length > 1 && typeIds.length > 0) {
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
  lines.push(...formatWorstServed(result, outDir === undefined || written.includes('gaps.csv')), '');
  if (summary.categories) lines.push(...formatCategories(summary.categories), '');
  if (summary.rejected.length > 0) lines.push(formatRejections(summary.rejected, REJECTIONS_SHOWN).trimEnd());
  for (const w of summary.warnings) lines.push(formatWarning(w));
  if (outDir) lines.push(wroteLine(outDir, written));
  return `${lines.join('\n')}\n`;
}

/** `--community-outputs`: which per-community files `--out` writes. */
export type CommunityOutputs = 'all' | 'gaps' | 'none';
const COMMUNITY_OUTPUTS: readonly CommunityOutputs[] = ['all', 'gaps', 'none'];

/** The options of `lifecircle analyze` beyond the inputs shared with every analysing command. */
export interface AnalyzeOptions {
  /** `--community-outputs`: communities.geojson and gaps.csv (all), gaps.csv only, or neither. */
  readonly communityOutputs: CommunityOutputs;
  /** `--catchments`: the catchment shapes written with `--network` (default dissolved). */
  readonly catchmentModes: CatchmentMode[];
  /** `--gap-threshold`: covered share below which a community has a gap. */
  readonly gapThreshold?: number;
  /** `--types`: the types to analyse (ids, names or aliases). */
  readonly types?: string[];
}

/** Parses the flags of `lifecircle analyze`; a mistake is a {@link UsageError} naming the flag. */
export function parseAnalyzeOptions(values: Record<string, unknown>): AnalyzeOptions {
  const catchmentModes = parseCatchmentModes(values.catchments);
  const communityOutputs = (values['community-outputs'] ?? 'all') as CommunityOutputs;
  if (!COMMUNITY_OUTPUTS.includes(communityOutputs)) {
    throw new UsageError(
      `--community-outputs expects ${COMMUNITY_OUTPUTS.join(', ')}, got '${String(values['community-outputs'])}'.`,
    );
  }
  const gapThreshold = numberOption(
    values['gap-threshold'],
    '--gap-threshold',
    (n) => n >= 0 && n <= 1,
    'a share between 0 and 1',
  );
  const types =
    typeof values.types === 'string'
      ? values.types
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : undefined;
  return {
    catchmentModes,
    communityOutputs,
    ...(gapThreshold === undefined ? {} : { gapThreshold }),
    ...(types === undefined ? {} : { types }),
  };
}

/** The options of `lifecircle analyze`: its own, and where and how it writes. */
export type AnalyzeCommandOptions = AnalyzeOptions & StepOptions;

/** What `lifecircle analyze` ran: the analysis, and what the outputs say beside it. */
export interface AnalyzeRun {
  /** The analysis, with the rejections and warnings of reading every input file. */
  readonly result: AnalysisResult;
  /** With terrain or walkers: per type, the communities the flat walk serves and the walker does not. */
  readonly terrainLoss?: Readonly<Record<string, TerrainLoss>>;
  /** With `--network` and `--out`: the catchment shapes of each type, in the `--catchments` modes. */
  readonly catchments?: FeatureCollection;
  /** How the run read and measured: coordinate systems, walking, threads (summary.json's members). */
  readonly setup: RunSetup;
}

/** Reads the inputs and runs the coverage analysis (and, to write them, the catchments). */
async function runAnalyze(
  options: AnalyzeCommandOptions,
  { console, record, pool }: StepIo,
): Promise<AnalyzeRun> {
  const {
    input,
    options: analysis,
    distance,
  } = await readAnalysisInputs({ ...options.inputs }, console, pool);
  if (options.gapThreshold !== undefined) analysis.gapThreshold = options.gapThreshold;
  if (options.types !== undefined) analysis.types = options.types;
  record.stage = 'analysing';
  const walked = distance.reading.guard(() => analyzeCoverage(input, analysis));
  // With terrain or walkers, the flat walk of the same run says who the hills and steps cost coverage.
  const flatWalk = distance.flatWalk;
  const terrainLoss = flatWalk ? lostToTerrainOfRun(walked, input, analysis, flatWalk) : undefined;
  const analysed = terrainLoss ? withTerrainLoss(walked, terrainLoss) : walked;
  record.done.communities = analysed.summary.communities;
  record.done.demand_points = analysed.summary.demand.points;
  record.done.types = analysed.types.length;
  // Reading the road network or cost matrix is part of this run: its rejections and warnings join
  // the analysis's, so summary.json accounts for every input feature.
  const result: AnalysisResult = { ...analysed, summary: withReadingProblems(analysed.summary, distance) };
  const catchmentShapes = options.out && distance.graph ? catchmentsOf(result, distance, options) : undefined;
  return {
    result,
    ...(terrainLoss ? { terrainLoss } : {}),
    ...(catchmentShapes ? { catchments: catchmentShapes } : {}),
    setup: distance,
  };
}

/** Catchment shapes: in metres on the flat graph, or in minutes on the graph of each type's walker. */
function catchmentsOf(
  result: AnalysisResult,
  distance: DistanceSetup,
  { catchmentModes }: AnalyzeOptions,
): FeatureCollection {
  const graphOf = distance.walkerGraphOf ?? (() => distance.graph!);
  const features = result.types.flatMap((type) => {
    const { facilityIndex } = result.coverage[type.id]!;
    const { coords, ids } = targetsAt(result.facilities, facilityIndex);
    const walker = distance.walking?.types[type.id]?.walker;
    return catchmentModes.flatMap((mode) =>
      catchments(graphOf(type.id), { coords, ids }, type.radius_m, {
        mode,
        type: type.id,
        maxSnapM: distance.maxSnapM,
      }).features.map((f) => (walker ? { ...f, properties: { ...f.properties, walker } } : f)),
    );
  });
  return { type: 'FeatureCollection', features };
}

/** summary.json's members about how this run walked, after the analysis's own. */
function walkingMembers(setup: RunSetup, terrainLoss: AnalyzeRun['terrainLoss']): Record<string, unknown> {
  return {
    ...(setup.minutes && !setup.walking
      ? { walking_minutes: setup.minutes, walking_speed_kmh: WALKING_SPEED_KMH }
      : {}),
    ...(setup.walking
      ? { walking: { ...setup.walking, ...terrainLossMember(terrainLoss, setup.walking) } }
      : {}),
    ...notWalkableMember(setup),
  };
}

/**
 * The outputs of `lifecircle analyze`: with `--out`, communities.geojson (streamed; not with
 * `--community-outputs gaps|none`), catchments.geojson (with `--network`), summary.json, gaps.csv and
 * districts.csv (with `--format csv`, the default); on stdout the summary table, or summary.json's text
 * with `--json`.
 */
function formatAnalyze(ran: AnalyzeRun, options: AnalyzeCommandOptions): Formatted {
  const { result, terrainLoss, setup } = ran;
  const outDir = options.out;
  const outputs: NamedOutput[] = [];
  const writeWarnings: Warning[] = [];
  if (outDir && options.communityOutputs === 'all') {
    // Streamed: a large city's communities.geojson is written piece by piece, never one string.
    const communities = new StreamedLayer(
      (chunkOptions) =>
        communityFeatureChunks(result, chunkOptions as Parameters<typeof communityFeatureChunks>[1]),
      () => communityFeatureCollection(result),
    );
    outputs.push(...setup.crs.layerOutputs(outDir, 'communities', communities, writeWarnings));
  }
  if (outDir && ran.catchments) {
    outputs.push(...setup.crs.layerOutputs(outDir, 'catchments', ran.catchments, writeWarnings));
  }
  // Writing shapefiles can warn too (shortened field names): those warnings belong to this run.
  const shown = once(
    (): AnalysisResult => ({
      ...result,
      summary: { ...result.summary, warnings: [...result.summary.warnings, ...writeWarnings] },
    }),
  );
  const summaryJson = once(() =>
    jsonText({
      ...coverageSummaryJson(shown().summary),
      ...walkingMembers(setup, terrainLoss),
      ...setup.crs.summaryMembers(),
      threads: setup.threads,
    }),
  );
  if (outDir) {
    outputs.push({ name: 'summary.json', contents: summaryJson });
    if (setup.crs.csv()) {
      if (options.communityOutputs !== 'none') {
        outputs.push({
          name: 'gaps.csv',
          contents: () =>
            csvChunksOf(GAP_COLUMNS, eachGapRow(result) as Iterable<Readonly<Record<string, unknown>>>),
        });
      }
      // The figures by district: what a province reads first, a few rows per district however many
      // communities there are.
      outputs.push({
        name: 'districts.csv',
        contents: () =>
          csvChunksOf(
            DISTRICT_COVERAGE_COLUMNS,
            eachDistrictCoverageRow(result.summary) as Iterable<Readonly<Record<string, unknown>>>,
          ),
      });
    }
  }
  return {
    outputs,
    terminal: () =>
      options.json
        ? summaryJson()
        : formatSummary(
            shown(),
            outDir,
            outputs.map((o) => o.name),
            setup.walking && terrainLoss ? { terrainLoss, walking: setup.walking } : undefined,
          ),
  };
}

export const analyzeCommand: StepCommand<AnalyzeOptions, AnalyzeRun> = stepCommand({
  name: 'analyze',
  summary: 'coverage and gaps of every facility type, per community, district and city',
  usage,
  options: {
    ...analysisInputOptions,
    ...typeMapOption,
    ...valueFlags('types', 'gap-threshold', 'catchments', 'community-outputs'),
  },
  parse: parseAnalyzeOptions,
  checkSharedFlags: checkAnalysisFlags,
  run: runAnalyze,
  format: formatAnalyze,
});

/** `lifecircle analyze` as its three steps, to call one by one. */
export const analyzeSteps: CommandSteps<AnalyzeCommandOptions, AnalyzeRun> = analyzeCommand.steps;
