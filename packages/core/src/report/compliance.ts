import type { Feature, FeatureCollection } from 'geojson';
import type {
  MonitorIndicator,
  MonitorNetworkFigures,
  MonitorResult,
  MonitorYear,
} from '../compliance/monitor.js';
import type {
  AccessSummary,
  AreaCompliance,
  CommunityCompliance,
  ComplianceResult,
  IndicatorResult,
  ItemResult,
  RequirementInfo,
  RequirementShortfall,
  RequirementSummary,
} from '../compliance/types.js';
import { conditionKind } from '../kinds/index.js';
import type { ValueStatus } from '../standards/profile.js';
import { type JsonFields, type SnakeCased, snakeCasedJson } from './json-fields.js';
import { type HeadlineNote, headlineNotes } from './notes.js';
import { roundOrNull as round } from './round.js';

function shortfallText(item: ItemResult): string | null {
  const parts = item.conditions
    .filter((c) => c.status === 'fail' && c.shortfall !== null && c.shortfall > 0 && c.shortfallUnit !== null)
    .map((c) => `${c.shortfall} ${c.shortfallUnit} (${c.kind})`);
  return parts.length > 0 ? parts.join('; ') : null;
}

/**
 * The standing communities as GeoJSON, each with its original properties and geometry plus
 * `completeness` (complete, incomplete, unknown), `complete` (true, false or null), `score`,
 * `passed`/`failed`/`unknown` (required items), `failed_items`, `unknown_items`, `tier_attained`
 * (nested profiles), per item `<id>_status` and `<id>_reason`, and per access score `<id>_score`,
 * `<id>_served`, `<id>_over_capacity`, `<id>_outside`. The result is not modified.
 *
 * @example
 * const result = checkStandards({ communities, facilities }, 'complete-community');
 * writeFileSync('compliance.geojson', JSON.stringify(complianceFeatureCollection(result)));
 */
export function complianceFeatureCollection(result: ComplianceResult): FeatureCollection {
  const features: Feature[] = result.communities.map((c) => {
    const properties: Record<string, unknown> = { ...c.record.properties };
    properties.completeness = c.completeness;
    properties.complete =
      c.completeness === 'complete' ? true : c.completeness === 'incomplete' ? false : null;
    properties.score = round(c.score, 4);
    properties.passed = c.passed;
    properties.failed = c.failed;
    properties.unknown = c.unknown;
    properties.failed_items = c.items.filter((i) => i.required && i.status === 'fail').map((i) => i.id);
    properties.unknown_items = c.items.filter((i) => i.required && i.status === 'unknown').map((i) => i.id);
    if (result.profile.tiers?.nested) properties.tier_attained = c.tierAttained;
    for (const item of c.items) {
      properties[`${item.id}_status`] = item.status;
      properties[`${item.id}_reason`] = item.reason;
    }
    for (const [id, a] of Object.entries(c.access)) {
      properties[`${id}_score`] = round(a.score, 2);
      properties[`${id}_served`] = round(a.served, 1);
      properties[`${id}_over_capacity`] = round(a.overCapacity, 1);
      properties[`${id}_outside`] = round(a.outside, 1);
    }
    return { type: 'Feature', properties, geometry: structuredClone(c.record.geometry) };
  });
  return { type: 'FeatureCollection', features };
}

/** Columns of {@link complianceRows}, in order. */
export const COMPLIANCE_COLUMNS: readonly string[] = [
  'community_id',
  'community_name',
  'district',
  'population',
  'households',
  'completeness',
  'score',
  'item',
  'item_name_zh',
  'required',
  'status',
  'reason',
  'nearest_m',
  'nearest_id',
  'within_count',
  'covered_share',
  'shortfall',
  'unconfirmed',
];

/**
 * The columns of compliance.csv for a result: `COMPLIANCE_COLUMNS`, and on a walking network
 * `covered_share_of_reached` (the covered share of the community's residents the network reaches)
 * and `network_note` (residents it does not reach, or demand snapped onto a small piece).
 */
export function complianceColumns(result: ComplianceResult): readonly string[] {
  const nearest = nearestColumn(result);
  const columns = COMPLIANCE_COLUMNS.map((c) => (c === 'nearest_m' ? nearest : c));
  return result.network ? [...columns, 'covered_share_of_reached', 'network_note'] : columns;
}

/**
 * The nearest facility's column: `nearest_m`, or `nearest_min` when costs are walking minutes (a
 * walker's graph or a matrix in minutes), so that the name says the unit of its figures.
 */
function nearestColumn(result: ComplianceResult): 'nearest_m' | 'nearest_min' {
  return result.costUnit === 'min' ? 'nearest_min' : 'nearest_m';
}

/** A community's network note: the residents the network does not reach, and its small-piece note. */
function communityNetworkNote(c: CommunityCompliance): string | null {
  const outside = c.population - (c.reachedPopulation ?? c.population);
  const parts: string[] = [];
  // Below half a resident is rounding of the demand weights, not someone left out.
  if (outside >= 0.5) {
    parts.push(
      `${Math.round(outside)} of its ${Math.round(c.population)} residents live where the road network does not reach and count as not covered`,
    );
  }
  if (c.networkNote !== undefined) parts.push(c.networkNote);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** The values of an item that are not confirmed against a standard's text, as text. */
function unconfirmedText(
  info: ComplianceResult['requirements'][number],
  unit: ComplianceResult['costUnit'],
): string | null {
  const parts: string[] = [];
  for (const r of info.radii) {
    if (r.radiusStatus !== 'standard') {
      // Metres as given (the golden outputs' words); minutes to one decimal.
      const radius = unit === 'min' ? `${Number(r.radius.toFixed(1))} min` : `${r.radius} m`;
      parts.push(`radius ${radius} ${r.radiusStatus}`);
    }
  }
  for (const c of info.conditions) {
    if (c.status === 'standard') continue;
    const stated = conditionKind(c.kind)!.stated(c);
    const value = stated.label === null ? String(stated.value) : `${stated.label} ${String(stated.value)}`;
    parts.push(`${c.kind} ${value} ${c.status}`);
  }
  return parts.length > 0 ? parts.join('; ') : null;
}

/** One row per standing community and requirement: the rows of compliance.csv. */
export function complianceRows(result: ComplianceResult): Record<string, unknown>[] {
  return [...eachComplianceRow(result)];
}

/**
 * {@link complianceRows} one at a time, for an output written in pieces: a large city's rows are
 * never all held at once.
 *
 * @example
 * const checked = checkStandards({ communities, facilities }, 'complete-community');
 * for (const row of eachComplianceRow(checked)) console.log(row.community_id, row.item, row.status);
 */
export function* eachComplianceRow(result: ComplianceResult): Generator<Record<string, unknown>> {
  const names = new Map(result.requirements.map((r) => [r.id, r.nameZh]));
  const unconfirmed = new Map(result.requirements.map((r) => [r.id, unconfirmedText(r, result.costUnit)]));
  const onNetwork = result.network !== undefined;
  const nearest = nearestColumn(result);
  for (const c of result.communities) {
    const note = onNetwork ? communityNetworkNote(c) : null;
    const reached = c.reachedPopulation ?? 0;
    for (const item of c.items) {
      const row: Record<string, unknown> = {
        community_id: c.record.id,
        community_name: c.record.name,
        district: c.record.district,
        population: round(c.population, 1),
        households: Number.isNaN(c.record.households) ? null : c.record.households,
        completeness: c.completeness,
        score: round(c.score, 4),
        item: item.id,
        item_name_zh: names.get(item.id) ?? item.id,
        required: item.required,
        status: item.status,
        reason: item.reason,
        [nearest]: round(item.nearestCost, 1),
        nearest_id: item.nearestId,
        within_count: item.withinCount,
        covered_share: round(item.coveredShare, 4),
        shortfall: shortfallText(item),
        unconfirmed: unconfirmed.get(item.id) ?? null,
      };
      if (onNetwork) {
        row.covered_share_of_reached =
          item.coveredShare === null || reached <= 0
            ? null
            : round(Math.min(1, (item.coveredShare * c.population) / reached), 4);
        row.network_note = note;
      }
      yield row;
    }
  }
}

/** The columns and rows of districts.csv: one row per district, then the city. */
export function districtRows(result: ComplianceResult): {
  columns: string[];
  rows: Record<string, unknown>[];
} {
  const columns = [
    'area',
    'communities',
    'population',
    'complete',
    'incomplete',
    'unknown',
    'complete_share',
    'complete_share_max',
    'mean_score',
  ];
  const tiers = result.profile.tiers?.nested ? result.profile.tiers.order : [];
  for (const t of tiers) columns.push(`tier_${t}`);
  for (const r of result.requirements) {
    columns.push(
      `${r.id}_pass`,
      `${r.id}_fail`,
      `${r.id}_unknown`,
      `${r.id}_pass_share`,
      ...(result.network ? [`${r.id}_covered_share`, `${r.id}_covered_share_of_reached`] : []),
      `${r.id}_without_access`,
      `${r.id}_facilities_needed`,
      `${r.id}_shortfall`,
    );
  }
  for (const i of result.profile.indicators) columns.push(i.id, `${i.id}_met`, `${i.id}_shortfall`);
  for (const a of result.profile.access) {
    columns.push(`${a.id}_score`, `${a.id}_served`, `${a.id}_over_capacity`, `${a.id}_outside`);
  }
  const row = (area: AreaCompliance): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      area: area.name,
      communities: area.communities,
      population: round(area.population, 1),
      complete: area.complete,
      incomplete: area.incomplete,
      unknown: area.unknown,
      complete_share: round(area.completeShare, 4),
      complete_share_max: round(area.completeShareMax, 4),
      mean_score: round(area.meanScore, 4),
    };
    for (const t of tiers) out[`tier_${t}`] = area.tiers[t] ?? 0;
    for (const [id, r] of Object.entries(area.requirements)) {
      out[`${id}_pass`] = r.pass;
      out[`${id}_fail`] = r.fail;
      out[`${id}_unknown`] = r.unknown;
      out[`${id}_pass_share`] = round(r.passShare, 4);
      if (result.network) {
        out[`${id}_covered_share`] = round(r.coveredShare ?? null, 4);
        out[`${id}_covered_share_of_reached`] = round(r.coveredShareOfReached ?? null, 4);
      }
      out[`${id}_without_access`] = r.shortfall.communitiesWithoutAccess;
      out[`${id}_facilities_needed`] = r.shortfall.facilitiesNeeded;
      out[`${id}_shortfall`] =
        r.shortfall.amounts.map((a) => `${a.amount} ${a.unit} (${a.kind})`).join('; ') || null;
    }
    for (const [id, i] of Object.entries(area.indicators)) {
      out[id] = round(i.value, 4);
      out[`${id}_met`] = i.met;
      out[`${id}_shortfall`] = i.shortfall;
    }
    for (const [id, a] of Object.entries(area.access)) {
      out[`${id}_score`] = round(a.score, 2);
      out[`${id}_served`] = round(a.served, 1);
      out[`${id}_over_capacity`] = round(a.overCapacity, 1);
      out[`${id}_outside`] = round(a.outside, 1);
    }
    return out;
  };
  return { columns, rows: [...result.districts.map(row), row(result.city)] };
}

/**
 * The columns and rows of monitor.csv: the city per year, then each district per year. On a walking
 * network each row also says what its figures rest on: the residents the network reaches and their
 * share (`population_reached`, `reached_share`), and per requirement measured on it the covered
 * share of all residents and of those reached (`R_covered_share`, `R_covered_share_of_reached`).
 */
export function monitorRows(result: MonitorResult): { columns: string[]; rows: Record<string, unknown>[] } {
  const ids = result.indicators.map((i) => i.id);
  const measured = [...new Set(result.years.flatMap((y) => Object.keys(y.network?.coveredShare ?? {})))];
  const onNetwork = result.years.some((y) => y.network !== undefined);
  const columns = [
    'area',
    'year',
    'kind',
    'communities',
    'population',
    ...(onNetwork ? ['population_reached', 'reached_share'] : []),
    ...ids,
    ...measured.flatMap((r) => [`${r}_covered_share`, `${r}_covered_share_of_reached`]),
  ];
  const networkCells = (figures: MonitorNetworkFigures | undefined, population: number | null) => {
    const row: Record<string, unknown> = {};
    if (!figures) return row;
    row.population_reached = round(figures.populationReached, 1);
    if (population !== null) {
      row.reached_share = population > 0 ? round(figures.populationReached / population, 4) : null;
    }
    for (const r of measured) {
      row[`${r}_covered_share`] = round(figures.coveredShare[r] ?? null, 4);
      row[`${r}_covered_share_of_reached`] = round(figures.coveredShareOfReached[r] ?? null, 4);
    }
    return row;
  };
  const rows: Record<string, unknown>[] = [];
  for (const y of result.years) {
    const row: Record<string, unknown> = {
      area: 'city',
      year: y.year,
      kind: y.kind,
      communities: y.communities,
      population: round(y.population, 1),
      ...networkCells(y.network, y.population),
    };
    for (const id of ids) row[id] = round(y.values[id] ?? null, 4);
    rows.push(row);
  }
  const districts = [...new Set(result.years.flatMap((y) => Object.keys(y.districts)))];
  for (const name of districts) {
    for (const y of result.years) {
      const values = y.districts[name];
      if (!values) continue;
      // District rows carry no population column, so no reached share either.
      const row: Record<string, unknown> = {
        area: name,
        year: y.year,
        kind: y.kind,
        ...networkCells(y.districtNetwork?.[name], null),
      };
      for (const id of ids) row[id] = round(values[id] ?? null, 4);
      rows.push(row);
    }
  }
  return { columns, rows };
}

/** What closes both summary.json and monitor.json: notes, problems, and the inputs' reports. */
type RunReportJson = SnakeCased<
  Pick<
    MonitorResult,
    'headlineNotes' | 'demand' | 'network' | 'notes' | 'rejected' | 'warnings' | 'categories'
  >
>;

/** A year's network figures in monitor.json (`network`, `district_network`): rounded, snake_case. */
export type MonitorNetworkFiguresJson = SnakeCased<MonitorNetworkFigures, 'populationReached'>;

/** One year of monitor.json (`years`): {@link MonitorYear} rounded, snake_case. */
export type MonitorYearJson = SnakeCased<
  MonitorYear,
  'population',
  {
    network?: MonitorNetworkFiguresJson;
    districtNetwork?: Readonly<Record<string, MonitorNetworkFiguresJson>>;
  }
>;

/** One indicator of monitor.json (`indicators`): {@link MonitorIndicator} rounded, snake_case. */
export type MonitorIndicatorJson = SnakeCased<MonitorIndicator>;

/** The content of monitor.json of `lifecircle monitor`, made by {@link monitorJson}. */
export type MonitorJson = SnakeCased<Pick<MonitorResult, 'from' | 'to' | 'currentYear' | 'paceYears'>> & {
  readonly profile: string;
  readonly indicators: readonly MonitorIndicatorJson[];
  readonly years: readonly MonitorYearJson[];
} & RunReportJson;

/** A year's network figures rounded as in the files. */
function networkFiguresJson(figures: MonitorNetworkFigures): MonitorNetworkFiguresJson {
  return {
    population_reached: round(figures.populationReached, 1),
    covered_share: roundedShares(figures.coveredShare),
    covered_share_of_reached: roundedShares(figures.coveredShareOfReached),
  };
}

/** Every share of a record to 4 decimals. */
function roundedShares(values: Readonly<Record<string, number | null>>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v, 4)]));
}

/**
 * monitor.json of `lifecircle monitor` from a monitor run's full-precision result: snake_case
 * names, residents to 0.1, indicator values, shares and paces to 4 decimals. The input is not
 * modified.
 *
 * @example
 * const monitor = monitorProfile({ communities, facilities }, 'pingliang-2025');
 * writeFileSync('monitor.json', JSON.stringify(monitorJson(monitor), null, 2));
 */
export function monitorJson(result: MonitorResult): MonitorJson {
  return {
    profile: result.profile.id,
    from: result.from,
    to: result.to,
    current_year: result.currentYear,
    pace_years: result.paceYears,
    indicators: result.indicators.map((i) => snakeCasedJson(i, MONITOR_INDICATOR_FIELDS)),
    years: result.years.map((y) => ({
      year: y.year,
      kind: y.kind,
      communities: y.communities,
      population: round(y.population, 1),
      values: roundedShares(y.values),
      districts: Object.fromEntries(
        Object.entries(y.districts).map(([d, values]) => [d, roundedShares(values)]),
      ),
      ...(y.network
        ? {
            network: networkFiguresJson(y.network),
            district_network: Object.fromEntries(
              Object.entries(y.districtNetwork ?? {}).map(([d, f]) => [d, networkFiguresJson(f)]),
            ),
          }
        : {}),
    })),
    ...(result.headlineNotes ? { headline_notes: result.headlineNotes } : {}),
    demand: result.demand,
    ...(result.network ? { network: result.network } : {}),
    notes: result.notes,
    rejected: result.rejected,
    warnings: result.warnings,
    ...(result.categories ? { categories: result.categories } : {}),
  };
}

/** A requirement of compliance.json (`requirements`): {@link RequirementInfo}, snake_case. */
export type RequirementInfoJson = SnakeCased<
  RequirementInfo,
  never,
  {
    radii: readonly {
      readonly type: string;
      readonly radius_m: number;
      readonly radius_status: ValueStatus;
    }[];
  }
>;

/** A requirement's counts over an area in compliance.json: {@link RequirementSummary} rounded, snake_case. */
export type RequirementSummaryJson = SnakeCased<
  RequirementSummary,
  never,
  { shortfall: SnakeCased<RequirementShortfall, 'residentsWithoutAccess'> }
>;

/** An indicator over an area in compliance.json: {@link IndicatorResult} rounded, snake_case. */
export type IndicatorResultJson = SnakeCased<IndicatorResult>;

/** Access score figures over an area in compliance.json: {@link AccessSummary} rounded, snake_case. */
export type AccessSummaryJson = SnakeCased<AccessSummary, 'demand' | 'supply'>;

/** A district or the city in compliance.json: {@link AreaCompliance} rounded, snake_case. */
export type AreaComplianceJson = SnakeCased<
  AreaCompliance,
  'population',
  {
    requirements: Readonly<Record<string, RequirementSummaryJson>>;
    indicators: Readonly<Record<string, IndicatorResultJson>>;
    access: Readonly<Record<string, AccessSummaryJson>>;
  }
>;

/** The content of check's summary.json (and of `--json`), made by {@link complianceSummaryJson}. */
export type ComplianceSummaryJson = SnakeCased<
  Pick<
    ComplianceResult,
    | 'asOf'
    | 'includePlanned'
    | 'distance'
    | 'costUnit'
    | 'unconfirmed'
    | 'notAssessed'
    | 'notYetBuilt'
    | 'completeInventory'
    | 'absentTypes'
  >
> & {
  readonly profile: string;
  readonly lineage: readonly string[];
  readonly requirements: readonly RequirementInfoJson[];
  readonly city: AreaComplianceJson;
  readonly districts: readonly AreaComplianceJson[];
} & RunReportJson;

function requirementSummaryJson(r: RequirementSummary): RequirementSummaryJson {
  return {
    pass: r.pass,
    fail: r.fail,
    unknown: r.unknown,
    pass_share: round(r.passShare, 4),
    ...(r.coveredShare === undefined
      ? {}
      : {
          covered_share: round(r.coveredShare, 4),
          covered_share_of_reached: round(r.coveredShareOfReached ?? null, 4),
        }),
    shortfall: {
      communities_without_access: r.shortfall.communitiesWithoutAccess,
      residents_without_access: round(r.shortfall.residentsWithoutAccess, 1),
      facilities_needed: r.shortfall.facilitiesNeeded,
      amounts: r.shortfall.amounts,
    },
  };
}

/** A monitored indicator, in the order of monitor.json. */
const MONITOR_INDICATOR_FIELDS: JsonFields<MonitorIndicator> = [
  'id',
  'nameZh',
  'nameEn',
  'label',
  'unit',
  'target',
  'comparison',
  'status',
  'targetYear',
  'baseline',
  ['values', (i) => i.values.map((v) => round(v, 4))],
  ['current', 4],
  'shortfall',
  'shortfallUnit',
  'metYear',
  ['pacePerYear', 4],
  'projectedYear',
  'outlook',
];

/** An area's figures of an access score, in the order of summary.json. */
const ACCESS_SUMMARY_FIELDS: JsonFields<AccessSummary> = [
  ['demand', 1],
  ['supply', 1],
  ['score', 2],
  ['served', 1],
  ['overCapacity', 1],
  ['outside', 1],
  ['unknown', 1],
];

/** An area's indicator, in the order of summary.json. */
const INDICATOR_RESULT_FIELDS: JsonFields<IndicatorResult> = [
  'id',
  'kind',
  ['value', 4],
  ['valueMax', 4],
  'target',
  'comparison',
  'met',
  'shortfall',
  'shortfallUnit',
  ['amount', 1],
  ['base', 1],
  'provisional',
  'note',
];

/** Every value of a record written by `f`. */
function each<T, U>(record: Readonly<Record<string, T>>, f: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([id, value]) => [id, f(value)]));
}

/** A district or the city, in the order of summary.json. */
const AREA_COMPLIANCE_FIELDS: JsonFields<AreaCompliance> = [
  'name',
  'communities',
  ['population', 1],
  'complete',
  'incomplete',
  'unknown',
  ['completeShare', 4],
  ['completeShareMax', 4],
  ['completePopulationShare', 4],
  ['meanScore', 4],
  'tiers',
  ['requirements', (a) => each(a.requirements, requirementSummaryJson)],
  ['indicators', (a) => each(a.indicators, (i) => snakeCasedJson(i, INDICATOR_RESULT_FIELDS))],
  ['access', (a) => each(a.access, (s) => snakeCasedJson(s, ACCESS_SUMMARY_FIELDS))],
];

/** A requirement as the run resolved it, in the order of summary.json. */
const REQUIREMENT_INFO_FIELDS: JsonFields<RequirementInfo> = [
  'id',
  'nameZh',
  'nameEn',
  'required',
  'tier',
  'facilities',
  ['radii', (r) => r.radii.map((x) => ({ type: x.type, radius_m: x.radius, radius_status: x.radiusStatus }))],
  'minCoveredShare',
  'conditions',
  'note',
];

/**
 * check's summary.json (the text `--json` prints) from a compliance run's full-precision result:
 * snake_case names, residents and amounts to 0.1, shares, scores and indicator values to 4
 * decimals, access scores to 2. The input is not modified.
 *
 * @example
 * const checked = checkStandards({ communities, facilities }, 'complete-community');
 * writeFileSync('summary.json', JSON.stringify(complianceSummaryJson(checked), null, 2));
 */
export function complianceSummaryJson(result: ComplianceResult): ComplianceSummaryJson {
  return {
    profile: result.profile.id,
    lineage: result.profile.lineage,
    as_of: result.asOf,
    include_planned: result.includePlanned,
    distance: result.distance,
    cost_unit: result.costUnit,
    requirements: result.requirements.map((r) => snakeCasedJson(r, REQUIREMENT_INFO_FIELDS)),
    city: snakeCasedJson(result.city, AREA_COMPLIANCE_FIELDS),
    districts: result.districts.map((d) => snakeCasedJson(d, AREA_COMPLIANCE_FIELDS)),
    ...headlineNotesMember(result),
    demand: result.demand,
    ...(result.network ? { network: result.network } : {}),
    unconfirmed: result.unconfirmed,
    not_assessed: result.notAssessed,
    not_yet_built: result.notYetBuilt,
    complete_inventory: result.completeInventory,
    absent_types: result.absentTypes,
    notes: result.notes,
    rejected: result.rejected,
    warnings: result.warnings,
    ...(result.categories ? { categories: result.categories } : {}),
  };
}

/**
 * The notes beside check's headline figures (see `headlineNotes`): unknown communities, and on
 * a walking network the residents it does not reach; the terminal and report.html print these.
 */
export function complianceHeadlineNotes(result: ComplianceResult): HeadlineNote[] {
  return headlineNotes({
    compliance: {
      communities: result.city.communities,
      unknown: result.city.unknown,
      completeShareMax: result.city.completeShareMax,
    },
    population: result.city.population,
    ...(result.network ? { network: result.network } : {}),
  });
}

/** check's `headline_notes`: present only when a figure leaves something out. */
function headlineNotesMember(result: ComplianceResult): { headline_notes?: HeadlineNote[] } {
  const notes = complianceHeadlineNotes(result);
  return notes.length > 0 ? { headline_notes: notes } : {};
}
