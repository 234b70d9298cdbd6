import type { Feature, FeatureCollection } from 'geojson';
import type { MonitorNetworkFigures, MonitorResult } from '../compliance/monitor.js';
import type {
  AreaCompliance,
  CommunityCompliance,
  ComplianceResult,
  ItemResult,
} from '../compliance/types.js';
import { conditionKind } from '../kinds/index.js';
import { type HeadlineNote, headlineNotes } from './notes.js';
import { roundOrNull as round } from './round.js';

function shortfallText(item: ItemResult): string | null {
  const parts = item.conditions
    .filter(
      (c) => c.status === 'fail' && c.shortfall !== null && c.shortfall > 0 && c.shortfall_unit !== null,
    )
    .map((c) => `${c.shortfall} ${c.shortfall_unit} (${c.kind})`);
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
    if (result.profile.tiers?.nested) properties.tier_attained = c.tier_attained;
    for (const item of c.items) {
      properties[`${item.id}_status`] = item.status;
      properties[`${item.id}_reason`] = item.reason;
    }
    for (const [id, a] of Object.entries(c.access)) {
      properties[`${id}_score`] = round(a.score, 2);
      properties[`${id}_served`] = round(a.served, 1);
      properties[`${id}_over_capacity`] = round(a.over_capacity, 1);
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
 * The columns of compliance.csv for a result: {@link COMPLIANCE_COLUMNS}, and on a walking network
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
  return result.cost_unit === 'min' ? 'nearest_min' : 'nearest_m';
}

/** A community's network note: the residents the network does not reach, and its small-piece note. */
function communityNetworkNote(c: CommunityCompliance): string | null {
  const outside = c.population - (c.reached_population ?? c.population);
  const parts: string[] = [];
  // Below half a resident is rounding of the demand weights, not someone left out.
  if (outside >= 0.5) {
    parts.push(
      `${Math.round(outside)} of its ${Math.round(c.population)} residents live where the road network does not reach and count as not covered`,
    );
  }
  if (c.network_note !== undefined) parts.push(c.network_note);
  return parts.length > 0 ? parts.join('; ') : null;
}

/** The values of an item that are not confirmed against a standard's text, as text. */
function unconfirmedText(
  info: ComplianceResult['requirements'][number],
  unit: ComplianceResult['cost_unit'],
): string | null {
  const parts: string[] = [];
  for (const r of info.radii) {
    if (r.radius_status !== 'standard') {
      // Metres as given (the golden outputs' words); minutes to one decimal.
      const radius = unit === 'min' ? `${Number(r.radius_m.toFixed(1))} min` : `${r.radius_m} m`;
      parts.push(`radius ${radius} ${r.radius_status}`);
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
  const names = new Map(result.requirements.map((r) => [r.id, r.name_zh]));
  const unconfirmed = new Map(result.requirements.map((r) => [r.id, unconfirmedText(r, result.cost_unit)]));
  const onNetwork = result.network !== undefined;
  const nearest = nearestColumn(result);
  for (const c of result.communities) {
    const note = onNetwork ? communityNetworkNote(c) : null;
    const reached = c.reached_population ?? 0;
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
        [nearest]: round(item.nearest_m, 1),
        nearest_id: item.nearest_id,
        within_count: item.within_count,
        covered_share: round(item.covered_share, 4),
        shortfall: shortfallText(item),
        unconfirmed: unconfirmed.get(item.id) ?? null,
      };
      if (onNetwork) {
        row.covered_share_of_reached =
          item.covered_share === null || reached <= 0
            ? null
            : round(Math.min(1, (item.covered_share * c.population) / reached), 4);
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
      complete_share: round(area.complete_share, 4),
      complete_share_max: round(area.complete_share_max, 4),
      mean_score: round(area.mean_score, 4),
    };
    for (const t of tiers) out[`tier_${t}`] = area.tiers[t] ?? 0;
    for (const [id, r] of Object.entries(area.requirements)) {
      out[`${id}_pass`] = r.pass;
      out[`${id}_fail`] = r.fail;
      out[`${id}_unknown`] = r.unknown;
      out[`${id}_pass_share`] = round(r.pass_share, 4);
      if (result.network) {
        out[`${id}_covered_share`] = round(r.covered_share ?? null, 4);
        out[`${id}_covered_share_of_reached`] = round(r.covered_share_of_reached ?? null, 4);
      }
      out[`${id}_without_access`] = r.shortfall.communities_without_access;
      out[`${id}_facilities_needed`] = r.shortfall.facilities_needed;
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
      out[`${id}_over_capacity`] = round(a.over_capacity, 1);
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
  const measured = [...new Set(result.years.flatMap((y) => Object.keys(y.network?.covered_share ?? {})))];
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
    row.population_reached = round(figures.population_reached, 1);
    if (population !== null) {
      row.reached_share = population > 0 ? round(figures.population_reached / population, 4) : null;
    }
    for (const r of measured) {
      row[`${r}_covered_share`] = round(figures.covered_share[r] ?? null, 4);
      row[`${r}_covered_share_of_reached`] = round(figures.covered_share_of_reached[r] ?? null, 4);
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
        ...networkCells(y.district_network?.[name], null),
      };
      for (const id of ids) row[id] = round(values[id] ?? null, 4);
      rows.push(row);
    }
  }
  return { columns, rows };
}

/** A year's network figures rounded as in the files. */
function roundedNetwork(figures: MonitorNetworkFigures): unknown {
  const shares = (values: Readonly<Record<string, number | null>>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v, 4)]));
  return {
    population_reached: round(figures.population_reached, 1),
    covered_share: shares(figures.covered_share),
    covered_share_of_reached: shares(figures.covered_share_of_reached),
  };
}

/** The monitor result with every figure rounded as in the files: the content of monitor.json. */
export function monitorJson(result: MonitorResult): unknown {
  return {
    profile: result.profile.id,
    from: result.from,
    to: result.to,
    current_year: result.current_year,
    pace_years: result.pace_years,
    indicators: result.indicators.map((i) => ({
      ...i,
      values: i.values.map((v) => round(v, 4)),
      current: round(i.current, 4),
      pace_per_year: round(i.pace_per_year, 4),
    })),
    years: result.years.map((y) => ({
      ...y,
      population: round(y.population, 1),
      ...(y.network
        ? {
            network: roundedNetwork(y.network),
            district_network: Object.fromEntries(
              Object.entries(y.district_network ?? {}).map(([d, f]) => [d, roundedNetwork(f)]),
            ),
          }
        : {}),
      values: Object.fromEntries(Object.entries(y.values).map(([k, v]) => [k, round(v, 4)])),
      districts: Object.fromEntries(
        Object.entries(y.districts).map(([d, values]) => [
          d,
          Object.fromEntries(Object.entries(values).map(([k, v]) => [k, round(v, 4)])),
        ]),
      ),
    })),
    ...(result.headline_notes ? { headline_notes: result.headline_notes } : {}),
    demand: result.demand,
    ...(result.network ? { network: result.network } : {}),
    notes: result.notes,
    rejected: result.rejected,
    warnings: result.warnings,
    ...(result.categories ? { categories: result.categories } : {}),
  };
}

/** The compliance result's summary with figures rounded: the content of compliance.json (--json). */
export function complianceSummaryJson(result: ComplianceResult): unknown {
  const area = (a: AreaCompliance) => ({
    ...a,
    population: round(a.population, 1),
    complete_share: round(a.complete_share, 4),
    complete_share_max: round(a.complete_share_max, 4),
    complete_population_share: round(a.complete_population_share, 4),
    mean_score: round(a.mean_score, 4),
    requirements: Object.fromEntries(
      Object.entries(a.requirements).map(([id, r]) => [
        id,
        {
          ...r,
          pass_share: round(r.pass_share, 4),
          ...(r.covered_share === undefined
            ? {}
            : {
                covered_share: round(r.covered_share, 4),
                covered_share_of_reached: round(r.covered_share_of_reached ?? null, 4),
              }),
          shortfall: {
            ...r.shortfall,
            residents_without_access: round(r.shortfall.residents_without_access, 1),
          },
        },
      ]),
    ),
    indicators: Object.fromEntries(
      Object.entries(a.indicators).map(([id, i]) => [
        id,
        {
          ...i,
          value: round(i.value, 4),
          value_max: round(i.value_max, 4),
          amount: round(i.amount, 1),
          base: round(i.base, 1),
        },
      ]),
    ),
    access: Object.fromEntries(
      Object.entries(a.access).map(([id, s]) => [
        id,
        {
          demand: round(s.demand, 1),
          supply: round(s.supply, 1),
          score: round(s.score, 2),
          served: round(s.served, 1),
          over_capacity: round(s.over_capacity, 1),
          outside: round(s.outside, 1),
          unknown: round(s.unknown, 1),
        },
      ]),
    ),
  });
  return {
    profile: result.profile.id,
    lineage: result.profile.lineage,
    as_of: result.as_of,
    include_planned: result.include_planned,
    distance: result.distance,
    cost_unit: result.cost_unit,
    requirements: result.requirements,
    city: area(result.city),
    districts: result.districts.map(area),
    ...headlineNotesMember(result),
    demand: result.demand,
    ...(result.network ? { network: result.network } : {}),
    unconfirmed: result.unconfirmed,
    not_assessed: result.not_assessed,
    not_yet_built: result.not_yet_built,
    complete_inventory: result.complete_inventory,
    absent_types: result.absent_types,
    notes: result.notes,
    rejected: result.rejected,
    warnings: result.warnings,
    ...(result.categories ? { categories: result.categories } : {}),
  };
}

/**
 * The notes beside check's headline figures (see {@link headlineNotes}): unknown communities, and on
 * a walking network the residents it does not reach; the terminal and report.html print these.
 */
export function complianceHeadlineNotes(result: ComplianceResult): HeadlineNote[] {
  return headlineNotes({
    compliance: {
      communities: result.city.communities,
      unknown: result.city.unknown,
      completeShareMax: result.city.complete_share_max,
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
