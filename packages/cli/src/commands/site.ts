import {
  type ChosenSiteProperties,
  type FacilityCatalog,
  OptionError,
  SITING_MODEL_NAMES,
  type SiteGenerateOptions,
  type SiteOptions,
  type SiteOutcome,
  type SiteSummaryJson,
  type SitingModelName,
  siteFacilities,
  siteFeatureCollection,
  siteSummaryJson,
  type Warning,
} from '@lifecircle/core';
import type { FeatureCollection, Point } from 'geojson';
import { type CommandSteps, type StepIo, type StepOptions, UsageError } from '../command.js';
import {
  analysisCollection,
  analysisInputOptions,
  checkAnalysisFlags,
  type DistanceSetup,
  distanceHelp,
  formatHelp,
  notWalkableMember,
  numberOption,
  type RunSetup,
  readAnalysisInputs,
  runSummaryMembers,
  typeMapOption,
  withReadingProblems,
} from '../options/analysis.js';
import { crsHelp, wroteLine } from '../options/crs.js';
import { decimal } from '../options/decimal.js';
import { switchFlags, valueFlags } from '../options/flags.js';
import { type WalkingSummary, wantsWalkers } from '../options/walkers.js';
import { formatCategories } from '../outputs/categories.js';
import { formatDemand } from '../outputs/demand.js';
import { type Formatted, jsonText, type NamedOutput, once } from '../outputs/named.js';
import { formatHeadlineNotes, formatNetwork } from '../outputs/network.js';
import { progressReporter, progressWanted } from '../outputs/progress.js';
import { communityShortLabel, formatTable, integer, percent } from '../outputs/table.js';
import { formatRejections, terminalText } from '../outputs/terminal.js';
import { formatTerrainLoss, type TerrainLossFigures } from '../outputs/walking.js';
import { type StepCommand, stepCommand } from '../steps.js';

const MODELS: readonly SitingModelName[] = SITING_MODEL_NAMES;

const usage = `Usage: lifecircle site --communities FILE --facilities FILE --type T --model MODEL [options]

Chooses where new facilities of one type should go; existing facilities stay where they are.

Models:
  mclp          k new sites covering the most residents not yet within the radius
  lscp          the fewest new sites covering every community, or --target-share of residents
  pmedian       k new sites minimising the residents' total distance to their nearest facility
  pcenter       k new sites minimising the worst distance
  capacitated   k new sites; residents × --rate count as served only up to each site's capacity

Inputs, as for 'lifecircle analyze': --communities, --facilities, --demand, --catalog, --cell-m,
  --include-planned, --type-map

Question:
  --type T               facility type (id, name or alias), e.g. nursery_childcare or 托育
  --model MODEL          ${MODELS.join(', ')}
  --k N | --k A..B       number of new sites; a range also prints the coverage-versus-sites curve
  --target-share S       lscp: share of residents to cover (default: everyone)
  --per-community        lscp: every community must reach the share (default: the city as a whole)
  --radius M             walking radius in metres (default: the catalog's radius of the type)
  --table-bound M        pmedian, pcenter: farthest distance in the distance table (default 4 × radius)
  --rate R               capacitated: demand per resident, e.g. 4.5/1000 childcare places
  --capacity-per-site N  capacitated: capacity of candidates without a capacity property

Candidates (default: a grid at half the radius around the communities with a gap, and their centroids):
  --candidates FILE      candidate sites (points or parcels; optional cost and capacity properties;
                         any input format, see --help of analyze or docs/formats.md)
  --generate-candidates SPEC
                         comma-separated: grid:M (spacing), all (not only around gaps),
                         centroids (centroids only), no-centroids, clip=study-area, margin=M
  --study-area FILE      polygon the generated grid is clipped to (with clip=study-area; any
                         input format, as --candidates)
  --exclude FILE         polygons where no new site may go (any input format)
  --budget B             total cost of new sites (cost property of candidates)
  --default-cost C       cost of a candidate without a cost property (default 1: the budget counts sites)
  --min-spacing M        new sites at least M metres from each other
  --min-per-district N   at least N new sites in every district

${formatHelp}

${crsHelp}

${distanceHelp}

Solver:
  --exact / --no-exact   force or forbid the exact MILP solver (HiGHS). Default: greedy + swap,
                         then, unless its bound proves it optimal, HiGHS warm-started from its
                         answer when the MILP fits (at most 100,000 nonzeros), within --exact-time;
                         the heuristic's answer is kept when HiGHS does not finish with a better one
  --exact-time S         seconds for that exact step (default 10; 0 turns it off)
  --time-limit S         seconds for HiGHS with --exact (default 60); without --exact, the exact
                         step's limit when --exact-time is not given

Output:
  --out DIR              write sites.geojson and summary.json (--format adds sites.csv,
                         sites.shp.zip, sites.gpkg)
  --gap-threshold S      covered share below which a community has a gap (default 0.5)
  --json                 print summary.json instead of the tables
  --progress             progress on stderr with an estimate of the time left, also when stderr
                         is not a terminal (a log); shown on a terminal without it
  --quiet                no progress on stderr
`;

function parseK(value: unknown): { k?: number; from?: number } {
  if (value === undefined) return {};
  const text = String(value);
  const range = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(text);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (from < 1 || to < from) throw new UsageError(`--k expects N or A..B with 1 ≤ A ≤ B, got '${text}'.`);
    return { k: to, from };
  }
  const k = decimal(text);
  if (!Number.isInteger(k) || k < 1)
    throw new UsageError(`--k expects a whole number ≥ 1 or a range A..B, got '${text}'.`);
  return { k };
}

function parseRate(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*([\d.]+)\s*\/\s*([\d.]+)\s*$/.exec(String(value));
  const rate = match ? decimal(match[1]!) / decimal(match[2]!) : decimal(String(value));
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new UsageError(
      `--rate expects a positive number such as 0.0045 or 4.5/1000, got '${String(value)}'.`,
    );
  }
  return rate;
}

function parseGenerate(value: unknown, radiusM: number | undefined): SiteGenerateOptions | undefined {
  if (value === undefined) return undefined;
  const options: { -readonly [K in keyof SiteGenerateOptions]: SiteGenerateOptions[K] } = {};
  for (const token of String(value)
    .split(',')
    .map((t) => t.trim())) {
    const grid = /^grid:(.+)$/.exec(token);
    const margin = /^margin=(.+)$/.exec(token);
    if (grid) options.spacingM = decimal(grid[1]!);
    else if (margin) options.marginM = decimal(margin[1]!);
    else if (token === 'all') options.onlyGaps = false;
    else if (token === 'centroids') options.spacingM = 0;
    else if (token === 'no-centroids') options.centroids = false;
    else if (token === 'clip=study-area') options.clip = 'study-area';
    else {
      throw new UsageError(
        `--generate-candidates: unknown part '${token}'. Use grid:M, all, centroids, no-centroids, clip=study-area, margin=M.`,
      );
    }
  }
  if (options.spacingM !== undefined && !(options.spacingM >= 0)) {
    throw new UsageError('--generate-candidates grid:M expects a spacing in metres ≥ 0.');
  }
  if (options.spacingM === undefined && radiusM !== undefined) options.spacingM = radiusM / 2;
  return options;
}

/**
 * The siting question of `lifecircle site`, from its own flags: the model, type, k, radius, candidate
 * generation, constraints and solver; the input options shared with analyze are read by
 * {@link readAnalysisInputs}. `catalogRadii` are the `--radius TYPE=M` values for the catalog.
 */
export interface SiteQuestion {
  readonly options: SiteQuestionOptions;
  /** The lower end of `--k A..B`: the trade-off curve is printed from there. */
  readonly from?: number;
  readonly catalogRadii: string[];
}

/** The siting options a question sets (the rest come from the inputs: catalog, demand, distance). */
export type SiteQuestionOptions = Omit<
  SiteOptions,
  'catalog' | 'includePlanned' | 'demand' | 'distance' | 'onProgress'
>;

/** Parses the flags of `lifecircle site`; a mistake is a {@link UsageError} naming the flag. */
export function parseSiteQuestion(values: Record<string, unknown>): SiteQuestion {
  const type = values.type as string | undefined;
  const model = values.model as SitingModelName | undefined;
  if (!type) throw new UsageError('--type T is required.');
  if (!model) {
    throw new UsageError(
      `--model MODEL is required: one of ${MODELS.join(', ')} (mclp: the k sites that cover the most people).`,
    );
  }
  if (!MODELS.includes(model)) {
    throw new UsageError(`--model expects one of ${MODELS.join(', ')}, got '${model}'.`);
  }
  // `--radius 500` is this command's radius; `--radius TYPE=M` (as in analyze) sets catalog radii.
  const radiusValues = (values.radius as string[] | undefined) ?? [];
  const plain = radiusValues.filter((r) => !r.includes('='));
  if (plain.length > 1) throw new UsageError('--radius M may be given once.');
  const radiusM =
    plain.length === 1
      ? numberOption(plain[0], '--radius', (n) => n > 0, 'a positive number of metres')
      : undefined;
  const { k, from } = parseK(values.k);
  if (model === 'lscp' && k !== undefined)
    throw new UsageError('--k does not apply to lscp; give --target-share.');
  if (model !== 'lscp' && k === undefined) throw new UsageError(`--k N is required for ${model}.`);
  if (from !== undefined && (model === 'lscp' || model === 'pcenter')) {
    throw new UsageError(
      `--k A..B (a trade-off curve) works with mclp, pmedian and capacitated, not ${model}.`,
    );
  }
  if (values.exact && values['no-exact']) throw new UsageError('give --exact or --no-exact, not both.');
  const generate = parseGenerate(values['generate-candidates'], radiusM);
  if (generate && values['cost-matrix']) {
    throw new UsageError(
      'generated candidates have no ids in a cost matrix; give --candidates FILE with a matrix.',
    );
  }
  const positive = (name: string) =>
    numberOption(values[name], `--${name}`, (n) => n > 0, 'a positive number');
  const count = (name: string) =>
    numberOption(values[name], `--${name}`, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0');
  const targetShare = numberOption(
    values['target-share'],
    '--target-share',
    (n) => n > 0 && n <= 1,
    'a share above 0 and at most 1',
  );
  const gapThreshold = numberOption(
    values['gap-threshold'],
    '--gap-threshold',
    (n) => n >= 0 && n <= 1,
    'a share between 0 and 1',
  );
  const timeLimitS = positive('time-limit');
  const exactTimeS = numberOption(
    values['exact-time'],
    '--exact-time',
    (n) => n >= 0 && Number.isFinite(n),
    'a number of seconds ≥ 0 (0 turns the exact step off)',
  );
  if (exactTimeS !== undefined && (values.exact || values['no-exact'])) {
    throw new UsageError(
      '--exact-time limits the exact step of the default solver; with --exact use --time-limit, with --no-exact there is no exact step.',
    );
  }
  const tableBoundM = positive('table-bound');
  if (tableBoundM !== undefined && model !== 'pmedian' && model !== 'pcenter') {
    throw new UsageError(
      `--table-bound applies to pmedian and pcenter (their distance table), not ${model}.`,
    );
  }
  return {
    catalogRadii: radiusValues.filter((r) => r.includes('=')),
    ...(from === undefined ? {} : { from }),
    options: {
      type,
      model,
      ...(k !== undefined ? { k } : {}),
      ...(from !== undefined ? { kMax: k } : {}),
      ...(targetShare !== undefined ? { targetShare } : {}),
      ...(values['per-community'] ? { perCommunity: true } : {}),
      ...(radiusM !== undefined ? { radiusM } : {}),
      ...(generate ? { generate } : {}),
      ...optional('budget', positive('budget')),
      ...optional('defaultCost', positive('default-cost')),
      ...optional('minSpacingM', positive('min-spacing')),
      ...optional('tableBoundM', tableBoundM),
      ...optional('minPerDistrict', count('min-per-district')),
      ...optional('rate', parseRate(values.rate)),
      ...optional('capacityPerSite', positive('capacity-per-site')),
      ...optional('gapThreshold', gapThreshold),
      solve: {
        ...(values.exact ? { exact: true } : values['no-exact'] ? { exact: false } : {}),
        ...(timeLimitS !== undefined ? { timeLimitS } : {}),
        ...(exactTimeS !== undefined ? { exactTimeMs: Math.round(1000 * exactTimeS) } : {}),
      },
    },
  };
}

/**
 * The readable summary of a siting run printed on stdout: the question, coverage before and after,
 * the solver's bound, the new sites (the communities each newly serves by name, from `communities`,
 * else by id), the trade-off curve from `from` (with `--k A..B`), and the files `written` to `outDir`.
 */
export function formatSite(
  s: SiteSummaryJson,
  sites: FeatureCollection<Point, ChosenSiteProperties>,
  communities: readonly { readonly id: string; readonly name: string | null }[],
  from: number | undefined,
  outDir: string | undefined,
  written: readonly string[],
  walked?: { readonly terrainLoss: TerrainLossFigures; readonly walking: WalkingSummary },
): string {
  const nameOf = new Map(communities.map((c) => [c.id, c.name]));
  const lines = [
    `${s.type}, ${s.model}: ${s.parameters.existing_facilities} existing facilities kept, ${s.parameters.candidates} candidate sites, radius ${Number((s.parameters.radius_m ?? s.parameters.radius_min ?? 0).toFixed(2))} ${s.parameters.cost_unit}, ${s.parameters.distance} distance`,
    `covered ${integer(s.covered_population_before)} → ${integer(s.covered_population_after)} residents (${percent(s.covered_share_before)} → ${percent(s.covered_share_after)}${s.covered_share_after_of_reached === undefined ? '' : `; ${percent(s.covered_share_after_of_reached)} of the residents the network reaches`}); communities with a gap ${s.gap_communities_before} → ${s.gap_communities_after}`,
    ...formatDemand(s.demand),
    ...formatHeadlineNotes(s.headline_notes),
    ...(s.network ? formatNetwork(s.network, s.population) : []),
    ...(walked ? formatTerrainLoss({ [s.type]: walked.terrainLoss }, walked.walking) : []),
    `objective ${s.objective_before ?? '–'} → ${s.objective} ${s.objective_unit}; method ${s.method}; solver ${s.solver}, ${s.status}; bound ${s.bound ?? '–'} (${s.bound_method ?? 'none'}${s.bound_stop === null ? '' : `, stopped: ${s.bound_stop}`}), gap ${s.gap === null ? '–' : percent(s.gap)}; ${(s.time_ms / 1000).toFixed(1)} s`,
    '',
    formatTable(
      ['rank', 'site', 'added residents', 'covered', 'newly served communities'],
      sites.features.map(({ properties: p }) => {
        const served = p.newly_served_communities.map((id) => communityShortLabel(id, nameOf.get(id)));
        return [
          String(p.rank),
          p.id,
          integer(p.added_population),
          percent(p.cumulative_covered_share),
          `${served.slice(0, 6).join(', ')}${served.length > 6 ? ` … (${served.length})` : ''}`,
        ];
      }),
      ['right', 'left', 'right', 'right', 'left'],
    ),
  ];
  if (s.tradeoff && from !== undefined) {
    lines.push(
      '',
      'Coverage against the number of new sites:',
      formatTable(
        ['k', 'covered residents', 'share', 'bound'],
        s.tradeoff
          .filter((t) => t.k >= from)
          .map((t) => [
            String(t.k),
            integer(t.covered_population),
            percent(t.covered_share),
            t.bound === null ? '–' : integer(t.bound),
          ]),
        ['right', 'right', 'right', 'right'],
      ),
      boundNote(s.model),
    );
    const fromGreedy = s.tradeoff.filter((t) => t.k >= from && t.solution === 'greedy').map((t) => t.k);
    if (fromGreedy.length > 0) {
      lines.push(
        `At k = ${fromGreedy.join(', ')} the curve is the greedy's first k sites, which do better than the first k of the ranked answer above; the ranked table's cumulative figures are those of its own sites in rank order.`,
      );
    }
  }
  if (s.oversubscribed && s.oversubscribed.length > 0)
    lines.push('', `over-subscribed sites: ${s.oversubscribed.join(', ')}`);
  if (s.categories) lines.push('', ...formatCategories(s.categories));
  if (s.rejected.length > 0) lines.push('', formatRejections(s.rejected, 10).trimEnd());
  for (const w of s.warnings)
    lines.push(terminalText(`warning: ${'file' in w ? `${w.file}: ` : ''}${w.message}`));
  if (outDir) lines.push(wroteLine(outDir, written));
  return `${lines.join('\n')}\n`;
}

/** What the curve's bound column means, for the model's objective. */
function boundNote(model: string): string {
  const what =
    model === 'pmedian'
      ? 'the lowest total resident-cost'
      : model === 'capacitated'
        ? 'the most residents served within capacity'
        : 'the most residents covered';
  return `Each row is the best solution found for that k; the last is the answer above. bound: ${what} any choice of k new sites could reach (the tighter of the greedy's online bound and the solver's bound for the largest k), so the distance between share and bound is what a better solver could still gain.`;
}

/** The options of `lifecircle site`: the siting question, and where and how it writes. */
export type SiteRunOptions = SiteQuestion & StepOptions;

/** What `lifecircle site` ran: the new sites, and how the run read and measured. */
export interface SiteRun {
  /** siteFacilities' outcome: the sites, the summary and, with terrain or walkers, the loss to terrain. */
  readonly outcome: SiteOutcome;
  readonly setup: RunSetup;
}

/** Reads the inputs, candidates and excluded areas, and chooses the new sites. */
async function runSite(options: SiteRunOptions, { console, record, pool }: StepIo): Promise<SiteRun> {
  const values = options.inputs;
  const question = options;
  // With terrain or walkers, `--radius M` is metres like `--radius TYPE=M`: the walker run turns it
  // into the minutes of the type's walker (and records both); alone it would be read as minutes.
  const walkerRadius = wantsWalkers({ ...values }) && question.options.radiusM !== undefined;
  const {
    input,
    options: analysis,
    distance,
    studyArea,
  } = await readAnalysisInputs(
    {
      ...values,
      radius: walkerRadius
        ? [...question.catalogRadii, `${question.options.type}=${question.options.radiusM}`]
        : question.catalogRadii,
    },
    console,
    pool,
  );
  const { radiusM, tableBoundM, ...asked } = question.options;
  const siteOptions: SiteOptions = {
    ...asked,
    ...(radiusM !== undefined && !walkerRadius ? { radiusM } : {}),
    ...(tableBoundM !== undefined
      ? { tableBoundM: inWalkerMinutes(tableBoundM, distance, analysis.catalog, asked.type) }
      : {}),
    ...(distance.flatWalk ? { flatWalk: distance.flatWalk } : {}),
    includePlanned: analysis.includePlanned ?? false,
    catalog: analysis.catalog,
    ...(analysis.typeMap ? { typeMap: analysis.typeMap } : {}),
    ...(analysis.demand ? { demand: analysis.demand } : {}),
    ...(analysis.distance ? { distance: analysis.distance } : {}),
    ...(distance.pool && distance.threads > 1 ? { pool: distance.pool } : {}),
    onProgress: progressReporter(console, progressWanted({ ...values }, console)),
  };
  if (analysis.radii && Object.keys(analysis.radii).length > 0) {
    siteOptions.catalog = Object.entries(analysis.radii).reduce(
      (c, [t, m]) => c.withRadius(t, m),
      analysis.catalog,
    );
  }
  const files = input.files ?? {};
  // Candidates and excluded areas are read like every input: any format, with their coordinate
  // systems. The study area was read once with the inputs (it clips OpenStreetMap files too).
  const readRole = async (role: 'candidates' | 'exclude') => {
    const path = values[role] as string | undefined;
    return path ? analysisCollection(await distance.reading.read(path, role), distance.crs, role) : undefined;
  };
  const candidates = await readRole('candidates');
  const excludedAreas = await readRole('exclude');
  record.stage = 'analysing';
  const sited = await distance.reading.guard(() =>
    siteFacilitiesWithFlags(
      {
        ...input,
        ...(candidates === undefined ? {} : { candidates }),
        ...(excludedAreas === undefined ? {} : { excludedAreas }),
        ...(studyArea === undefined ? {} : { studyArea }),
        files: {
          ...files,
          ...(values.candidates ? { candidates: values.candidates as string } : {}),
          ...(values.exclude ? { excludedAreas: values.exclude as string } : {}),
          ...(values['study-area'] ? { studyArea: values['study-area'] as string } : {}),
        },
      },
      siteOptions,
    ),
  );
  record.done.sites = sited.chosen.length;
  // Reading the inputs is part of this run: its rejections and warnings join the summary's.
  const outcome = { ...sited, summary: withReadingProblems(sited.summary, distance) };
  return { outcome, setup: distance };
}

/**
 * The outputs of `lifecircle site`: with `--out`, sites.geojson (`--format` adds sites.csv,
 * sites.shp.zip, sites.gpkg) and summary.json; on stdout the question, the coverage change and the
 * ranked sites, or summary.json's text with `--json`.
 */
function formatSiteRun({ outcome, setup }: SiteRun, options: SiteRunOptions): Formatted {
  const outDir = options.out;
  const sites = siteFeatureCollection(outcome);
  const writeWarnings: Warning[] = [];
  const outputs: NamedOutput[] = outDir
    ? setup.crs.layerOutputs(outDir, 'sites', sites, writeWarnings, ['geojson'])
    : [];
  const terrainLoss = outcome.terrainLoss;
  const summary = once(() => {
    const read = siteSummaryJson(outcome.summary);
    return {
      ...read,
      warnings: [...read.warnings, ...writeWarnings],
      ...notWalkableMember(setup),
      ...runSummaryMembers(setup, terrainLoss && { [outcome.summary.type]: terrainLoss }),
      threads: setup.threads,
    };
  });
  if (outDir) {
    if (setup.crs.formatsOr(['geojson']).has('csv')) {
      outputs.push({ name: 'sites.csv', contents: () => setup.crs.pointCsvChunks(sites) });
    }
    outputs.push({ name: 'summary.json', contents: () => jsonText(summary()) });
  }
  return {
    outputs,
    terminal: () =>
      options.json
        ? jsonText(summary())
        : formatSite(
            summary(),
            sites,
            outcome.summary.communities,
            options.from,
            outDir,
            outputs.map((o) => o.name),
            terrainLoss && setup.walking ? { terrainLoss, walking: setup.walking } : undefined,
          ),
  };
}

export const siteCommand: StepCommand<SiteQuestion, SiteRun> = stepCommand({
  name: 'site',
  summary: 'where new facilities of a type should go (coverage, count, distance and capacity models)',
  usage,
  options: {
    ...analysisInputOptions,
    ...typeMapOption,
    ...valueFlags('type', 'model', 'k', 'target-share'),
    'per-community': { type: 'boolean' },
    ...valueFlags(
      'rate',
      'capacity-per-site',
      'candidates',
      'generate-candidates',
      'study-area',
      'exclude',
      'budget',
      'default-cost',
      'min-spacing',
      'min-per-district',
      'table-bound',
    ),
    ...switchFlags('exact', 'no-exact'),
    ...valueFlags('time-limit', 'exact-time', 'gap-threshold'),
  },
  parse: parseSiteQuestion,
  checkSharedFlags: checkAnalysisFlags,
  run: runSite,
  format: formatSiteRun,
});

/** `lifecircle site` as its three steps, to call one by one. */
export const siteSteps: CommandSteps<SiteRunOptions, SiteRun> = siteCommand.steps;

/**
 * A distance given in metres (`--table-bound`) in the run's unit: with terrain or walkers, the minutes
 * the sited type's walker takes for it on the flat, as its radius in metres is converted.
 */
function inWalkerMinutes(
  metres: number,
  distance: DistanceSetup,
  catalog: FacilityCatalog,
  type: string,
): number {
  const typeId = catalog.resolve(type)?.id;
  const walker = typeId === undefined ? undefined : distance.walking?.types[typeId];
  return walker ? metres / ((walker.flat_speed_kmh * 1000) / 60) : metres;
}

/** The library options of siteFacilities' messages, as the flags of `lifecircle site`. */
const SITE_FLAGS: Readonly<Record<string, string>> = {
  capacityPerSite: '--capacity-per-site',
  rate: '--rate',
  k: '--k',
  radiusM: '--radius',
  type: '--type',
  model: '--model',
};

/** siteFacilities, with an option mistake it reports named by the CLI's flag rather than the library option. */
async function siteFacilitiesWithFlags(...args: Parameters<typeof siteFacilities>) {
  try {
    return await siteFacilities(...args);
  } catch (error) {
    const flag = error instanceof OptionError ? SITE_FLAGS[error.option] : undefined;
    if (flag === undefined) throw error;
    const option = (error as OptionError).option;
    const message = (error as OptionError).message
      .slice(option.length + 2)
      .replaceAll(`give ${option}`, `give ${flag}`)
      .replaceAll(`${option},`, `${flag},`);
    throw new OptionError(flag, message);
  }
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}
