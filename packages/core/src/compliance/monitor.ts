import type { AnalysisInput } from '../analysis/index.js';
import type { NetworkSummary } from '../analysis/network.js';
import type { TerrainLoss } from '../analysis/terrain-loss.js';
import type { DemandReport } from '../demand/index.js';
import { type HeadlineNote, headlineNotes } from '../report/notes.js';
import type { CategoryReport } from '../standards/facility-typer.js';
import type { StandardProfile, ValueStatus } from '../standards/profile.js';
import { OptionError, type Rejection, type Warning } from '../validate/problems.js';
import { NO_DISTRICT } from './base.js';
import { type CheckOptions, evaluateSlice, prepareMeasures } from './check.js';
import { dataYears } from './time.js';
import type { AreaCompliance, CommunityCompliance } from './types.js';

/** Options of {@link monitorProfile}: those of `checkStandards` without `asOf`, plus the years. */
export interface MonitorOptions extends Omit<CheckOptions, 'asOf' | 'estimateFacilities'> {
  /** First year. Default: the earliest `opened` year of the profile's facilities. */
  from?: number;
  /**
   * Last year. Default: the profile's target year or the data's last year, whichever is later; with
   * `includePlanned`, at least the last `planned_year`.
   */
  to?: number;
  /** Years of the pace (least-squares slope) that projects when a target is met. Default 5. */
  paceYears?: number;
}

/** One year of the city. */
export interface MonitorYear {
  readonly year: number;
  /** `actual` up to the data's last opened year; `planned` after it (from planned_year). */
  readonly kind: 'actual' | 'planned';
  readonly communities: number;
  readonly population: number;
  /** City value of every indicator; null when the data cannot give it. */
  readonly values: Readonly<Record<string, number | null>>;
  /** The same per district. */
  readonly districts: Readonly<Record<string, Readonly<Record<string, number | null>>>>;
  /**
   * On a walking network, what the year's figures rest on: the residents it reaches and each
   * requirement's covered shares of all residents and of those reached (as check gives them).
   */
  readonly network?: MonitorNetworkFigures;
  /** The same per district. */
  readonly districtNetwork?: Readonly<Record<string, MonitorNetworkFigures>>;
}

/** One year's (city's or district's) figures on a walking network. */
export interface MonitorNetworkFigures {
  /** Residents of the year's communities on demand points the network reaches. */
  readonly populationReached: number;
  /**
   * Per requirement measured on the network: residents with a facility within its radius, as a
   * share of all residents (those the network does not reach count as not covered) …
   */
  readonly coveredShare: Readonly<Record<string, number | null>>;
  /** … and as a share of the residents the network reaches. */
  readonly coveredShareOfReached: Readonly<Record<string, number | null>>;
}

/** The network figures of an area's communities, or undefined off a network. */
function networkFigures(
  area: AreaCompliance,
  communities: readonly CommunityCompliance[],
): MonitorNetworkFigures | undefined {
  const measured = Object.entries(area.requirements).filter(([, r]) => r.coveredShare !== undefined);
  if (communities.every((c) => c.reachedPopulation === undefined)) return undefined;
  return {
    populationReached: communities.reduce((sum, c) => sum + (c.reachedPopulation ?? 0), 0),
    coveredShare: Object.fromEntries(measured.map(([id, r]) => [id, r.coveredShare ?? null])),
    coveredShareOfReached: Object.fromEntries(
      measured.map(([id, r]) => [id, r.coveredShareOfReached ?? null]),
    ),
  };
}

/**
 * Where an indicator stands against its target: `met` (now and in every later year of the table),
 * `slipping` (met now, not in a later planned year), `on_track` / `late` (projected to be met by the
 * target year or after it), `stalled` (not at the current pace), `no_target`, `unknown` (no value).
 */
export type Outlook = 'met' | 'slipping' | 'on_track' | 'late' | 'stalled' | 'no_target' | 'unknown';

/** One indicator over the years, with its pace and the projected year its target is met. */
export interface MonitorIndicator {
  readonly id: string;
  /** The indicator's Chinese name (the profile's `name_zh`). */
  readonly nameZh: string;
  readonly nameEn: string;
  readonly label: string;
  readonly unit: string;
  readonly target: number | null;
  readonly comparison: '>=' | '<=';
  readonly status: ValueStatus;
  readonly targetYear: number | null;
  readonly baseline: { readonly year: number; readonly value: number } | null;
  /** Per year of `years`, the city value. */
  readonly values: readonly (number | null)[];
  /** Value in the data's last year. */
  readonly current: number | null;
  /** Shortfall in the data's last year (places, m², communities), 0 when met. */
  readonly shortfall: number | null;
  readonly shortfallUnit: string | null;
  /** First year from which the target is met in every later year of the table. */
  readonly metYear: number | null;
  /** Change per year over the pace window (least squares). */
  readonly pacePerYear: number | null;
  /** Year the target is met at that pace (the met year when already met); null when never. */
  readonly projectedYear: number | null;
  readonly outlook: Outlook;
}

/**
 * What {@link monitorProfile} returns: camelCase names, every figure at full precision. monitor.json
 * and monitor.csv (rounded, snake_case) are made from it by `monitorJson` and `monitorRows`.
 */
export interface MonitorResult {
  readonly profile: StandardProfile;
  readonly from: number;
  readonly to: number;
  /** The data's last year of opened facilities: later years are planned. */
  readonly currentYear: number;
  readonly paceYears: number;
  readonly years: readonly MonitorYear[];
  readonly indicators: readonly MonitorIndicator[];
  readonly notes: readonly string[];
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly Warning[];
  /** Facilities typed by POI category and the unmapped categories (as the analysis summary). */
  readonly categories?: CategoryReport;
  /** How the demand points were placed, as in `analyze`'s summary.json (`demand`). */
  readonly demand: DemandReport;
  /** On a walking network: its pieces, snapping rules and reach, as in `analyze`'s summary.json. */
  readonly network?: NetworkSummary;
  /**
   * Notes beside the current year's figures that leave something out (residents the network does
   * not reach, unknown communities); absent when none does. See `headlineNotes`.
   */
  readonly headlineNotes?: readonly HeadlineNote[];
  /**
   * With a flat walk to compare with (`flatWalk`): per type, the communities served on the flat walk
   * that have a gap for the type's walker, with the facilities open in the data (not per year).
   */
  readonly lostToTerrain?: Readonly<Record<string, TerrainLoss>>;
}

const MAX_YEARS = 100;
const PROJECTION_HORIZON = 2100;

/** Least-squares slope of (year, value) pairs; null with fewer than two. */
export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number | null {
  if (points.length < 2) return null;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) * (x - mx);
  }
  return den > 0 ? num / den : null;
}

/**
 * The city's indicators year by year, from the earliest data to the target year, against the
 * profile's targets: each year evaluates the city as it stood (facilities from their `opened` year,
 * communities from their `built` year) or will stand (planned facilities from their `planned_year`).
 * For each target it gives the first year it is met and, at the pace of the last `paceYears` years,
 * the projected year it will be. Distances are measured once for all years.
 *
 * @example
 * const monitor = monitorProfile({ communities, facilities }, 'pingliang-2025');
 * const childcare = monitor.indicators.find((i) => i.id === 'childcare_places_per_1000');
 * childcare?.projectedYear; // e.g. 2029
 */
export function monitorProfile(
  input: AnalysisInput,
  profile: StandardProfile | string,
  options: MonitorOptions = {},
): MonitorResult {
  const paceYears = options.paceYears ?? 5;
  if (!(Number.isInteger(paceYears) && paceYears >= 2)) {
    throw new OptionError('paceYears', `expected a whole number of years ≥ 2, got ${paceYears}.`);
  }
  for (const [name, year] of [
    ['from', options.from],
    ['to', options.to],
  ] as const) {
    if (year !== undefined && (!Number.isInteger(year) || year < 1800 || year > 2200)) {
      throw new OptionError(name, `expected a year such as 2025, got ${year}.`);
    }
  }
  const base = prepareMeasures(input, profile, { ...options, includePlanned: false });
  const { analysis } = base;
  const types = new Set<string>();
  for (const rr of base.requirements) for (const t of rr.info.facilities) types.add(t);
  for (const i of base.profile.indicators) if ('facilities' in i) for (const t of i.facilities) types.add(t);
  const records = analysis.communities.map((c) => c.record);
  const years = dataYears(records, analysis.facilities);
  // The first year is the earliest opening of a facility the profile looks at.
  const firstOpened = dataYears(
    records,
    analysis.facilities.filter((f) => types.has(f.typeId)),
  ).firstOpened;
  const targetYear = base.profile.target_year;
  const current = years.lastOpened ?? targetYear ?? options.to ?? options.from;
  if (current === undefined || current === null) {
    throw new OptionError(
      'from',
      'no facility has an opened year and the profile has no target year: give from and to.',
    );
  }
  const from = options.from ?? Math.min(firstOpened ?? current, current);
  let to = options.to ?? Math.max(targetYear ?? current, current);
  if (options.to === undefined && options.includePlanned && years.lastPlanned !== null) {
    to = Math.max(to, years.lastPlanned);
  }
  if (from > to) throw new OptionError('from', `the first year ${from} is after the last year ${to}.`);
  if (to - from + 1 > MAX_YEARS) {
    throw new OptionError(
      'from',
      `${to - from + 1} years from ${from} to ${to}; monitor at most ${MAX_YEARS}.`,
    );
  }

  const rows: MonitorYear[] = [];
  // The city of the current year (or the first year shown, when all come after it): what the headline notes qualify.
  let currentCity: AreaCompliance | null = null;
  const met: Record<string, (boolean | null)[]> = {};
  const shortfalls: Record<string, { shortfall: number | null; unit: string | null }> = {};
  for (let year = from; year <= to; year++) {
    options.onProgress?.({
      stage: 'summarize',
      message: `Judging the city as of ${year}`,
      done: year - from,
      total: to - from + 1,
    });
    const evaluation = evaluateSlice(base, { asOf: year, includePlanned: false, current }, false, {
      reasons: false,
      access: false,
    });
    const values: Record<string, number | null> = {};
    for (const [id, result] of Object.entries(evaluation.city.indicators)) {
      values[id] = result.value;
      const list = met[id] ?? [];
      list.push(result.met);
      met[id] = list;
      if (year === current || (year === to && current > to)) {
        shortfalls[id] = { shortfall: result.shortfall, unit: result.shortfallUnit };
      }
    }
    if (year <= current || currentCity === null) currentCity = evaluation.city;
    const districts: Record<string, Record<string, number | null>> = {};
    const districtNetwork: Record<string, MonitorNetworkFigures> = {};
    for (const d of evaluation.districts) {
      districts[d.name] = Object.fromEntries(Object.entries(d.indicators).map(([id, r]) => [id, r.value]));
      const figures = networkFigures(
        d,
        evaluation.communities.filter((c) => (c.record.district ?? NO_DISTRICT) === d.name),
      );
      if (figures) districtNetwork[d.name] = figures;
    }
    const network = networkFigures(evaluation.city, evaluation.communities);
    rows.push({
      year,
      kind: year <= current ? 'actual' : 'planned',
      communities: evaluation.city.communities,
      population: evaluation.city.population,
      values,
      districts,
      ...(network ? { network, districtNetwork } : {}),
    });
  }
  options.onProgress?.({
    stage: 'summarize',
    message: 'Judged every year',
    done: to - from + 1,
    total: to - from + 1,
  });

  const indicators = base.profile.indicators.map((indicator): MonitorIndicator => {
    const values = rows.map((r) => r.values[indicator.id] ?? null);
    const metByYear = met[indicator.id] ?? [];
    const currentIndex = Math.min(current, to) - from;
    const now = currentIndex >= 0 ? (values[currentIndex] ?? null) : null;
    let metYear: number | null = null;
    for (let k = rows.length - 1; k >= 0; k--) {
      if (metByYear[k] === true) metYear = rows[k]!.year;
      else if (metByYear[k] === false) break;
    }
    const window: [number, number][] = [];
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k]!;
      const v = values[k];
      if (row.kind === 'actual' && row.year > current - paceYears && v !== null && v !== undefined) {
        window.push([row.year, v]);
      }
    }
    const pace = leastSquaresSlope(window);
    let projected: number | null = null;
    let outlook: Outlook;
    const target = indicator.target;
    const metNow = currentIndex >= 0 ? (metByYear[currentIndex] ?? null) : null;
    if (target === null) outlook = 'no_target';
    else if (now === null) outlook = 'unknown';
    else if (metNow === true) {
      projected = metYear ?? Math.min(current, to);
      // Met now, but not in every later (planned) year: new communities outgrow the facilities.
      outlook = metYear === null ? 'slipping' : 'met';
    } else {
      const gap = target - now;
      const rising = indicator.comparison === '>=';
      if (pace !== null && (rising ? pace > 0 : pace < 0)) {
        const years = Math.max(1, Math.ceil(gap / pace - 1e-9));
        projected = current + years <= PROJECTION_HORIZON ? current + years : null;
      }
      if (metYear !== null && metYear > current) projected = Math.min(projected ?? metYear, metYear);
      const deadline = indicator.year ?? targetYear;
      outlook =
        projected === null ? 'stalled' : deadline === null || projected <= deadline ? 'on_track' : 'late';
    }
    return {
      id: indicator.id,
      nameZh: indicator.name_zh,
      nameEn: indicator.name_en,
      label: indicator.label,
      unit: indicator.unit,
      target,
      comparison: indicator.comparison,
      status: indicator.status,
      targetYear: indicator.year ?? targetYear,
      baseline: indicator.baseline,
      values,
      current: now,
      shortfall: shortfalls[indicator.id]?.shortfall ?? null,
      shortfallUnit: shortfalls[indicator.id]?.unit ?? null,
      metYear: metYear,
      pacePerYear: pace,
      projectedYear: projected,
      outlook,
    };
  });

  const notes: string[] = [];
  if (years.openWithoutYear > 0) {
    notes.push(`${years.openWithoutYear} open facilities have no opened year: taken as open throughout.`);
  }
  if (years.plannedWithoutYear > 0) {
    notes.push(`${years.plannedWithoutYear} planned facilities have no planned_year: they never serve.`);
  }
  if (years.communitiesWithoutYear > 0) {
    notes.push(
      `${years.communitiesWithoutYear} communities have no built year: taken as standing throughout.`,
    );
  }
  if (years.lastPlanned !== null && years.lastPlanned > to) {
    notes.push(`Facilities are planned up to ${years.lastPlanned}; monitor to that year to see them.`);
  }
  const { network } = analysis.summary;
  const headline = currentCity
    ? headlineNotes({
        // The network's figures are of every community placed, whatever its built year.
        population: network
          ? network.population_reached + network.population_outside
          : currentCity.population,
        compliance: {
          communities: currentCity.communities,
          unknown: currentCity.unknown,
          completeShareMax: currentCity.completeShareMax,
        },
        ...(network ? { network } : {}),
        reachedSharesGiven: false,
      })
    : [];
  return {
    profile: base.profile,
    from,
    to,
    currentYear: current,
    paceYears,
    years: rows,
    indicators,
    notes,
    rejected: analysis.summary.rejected,
    warnings: analysis.summary.warnings,
    ...(analysis.summary.categories ? { categories: analysis.summary.categories } : {}),
    demand: analysis.summary.demand,
    ...(network ? { network } : {}),
    ...(headline.length > 0 ? { headlineNotes: headline } : {}),
    ...(base.terrainLoss ? { lostToTerrain: base.terrainLoss } : {}),
  };
}
