import { servesAsGiven } from '../rules/serving.js';
import type { CommunityRecord, FacilityRecord } from '../validate/features.js';

/** When the city is evaluated: as the data's statuses say now, or as it stood (or will stand) in a year. */
export interface TimeSlice {
  /** Evaluate the end of this year; null uses the statuses as given. */
  readonly asOf: number | null;
  /** Without `asOf`: let planned and under-construction facilities serve. */
  readonly includePlanned: boolean;
  /**
   * The data's current year (the last `opened` year of an open facility). Up to it the city is as it
   * stood, built facilities only; after it, planned and under-construction facilities serve from
   * their `planned_year` (an overdue one from the year after). Null: planned ones serve from their year.
   */
  readonly current: number | null;
}

/**
 * A year from a property: a number, or text starting with a four-digit year ("2021", "2021-06-01");
 * null when absent or out of 1800–2200.
 *
 * @example
 * yearOf('2021-06'); // 2021
 */
export function yearOf(value: unknown): number | null {
  let year: number | null = null;
  if (typeof value === 'number' && Number.isInteger(value)) year = value;
  else if (typeof value === 'string') {
    const match = /^\s*(\d{4})(?:\D|$)/.exec(value);
    if (match) year = Number(match[1]);
  }
  return year !== null && year >= 1800 && year <= 2200 ? year : null;
}

/** The year a facility closed (`closed_year`, or `closed` when it is a year), or null. */
function closedYear(f: FacilityRecord): number | null {
  return yearOf(f.properties.closed_year) ?? yearOf(f.properties.closed);
}

/**
 * Whether a facility serves in a time slice. Without a year: the serving rule as the statuses
 * say (one rule with the analysis and siting): open ones serve, planned and under-construction ones only with
 * `includePlanned`, closed ones never. As of a year: an open
 * facility from its `opened` year (always, when the year is not given), a planned or
 * under-construction one from its `planned_year` but only in years after the data's current year
 * (never without a planned year), and none from its `closed_year`.
 */
export function facilityServes(f: FacilityRecord, slice: TimeSlice): boolean {
  if (slice.asOf === null) {
    return servesAsGiven(f.status, slice.includePlanned);
  }
  const year = slice.asOf;
  const closed = closedYear(f);
  if (closed !== null && closed <= year) return false;
  const opened = yearOf(f.properties.opened);
  switch (f.status) {
    case 'open':
      return opened === null || opened <= year;
    case 'planned':
    case 'under_construction': {
      const planned = yearOf(f.properties.planned_year);
      return planned !== null && planned <= year && (slice.current === null || year > slice.current);
    }
    case 'closed':
      return opened !== null && opened <= year && closed !== null;
  }
}

/** Whether a community stands in a time slice: always without a year, else from its `built` year. */
export function communityExists(c: CommunityRecord, slice: TimeSlice): boolean {
  if (slice.asOf === null) return true;
  const built = yearOf(c.properties.built);
  return built === null || built <= slice.asOf;
}

/** The years the data speaks of. */
export interface DataYears {
  /** Earliest `opened` year of a facility. */
  readonly firstOpened: number | null;
  /** Latest `opened` year of an open facility: the last year the data reports as built. */
  readonly lastOpened: number | null;
  /** Latest `planned_year` of a planned or under-construction facility. */
  readonly lastPlanned: number | null;
  /** Open facilities without an `opened` year (taken as open throughout). */
  readonly openWithoutYear: number;
  /** Planned or under-construction facilities without a `planned_year` (never serve in a year). */
  readonly plannedWithoutYear: number;
  /** Communities without a `built` year (taken as standing throughout). */
  readonly communitiesWithoutYear: number;
}

/** The years of the facilities and communities, for choosing the years to monitor. */
export function dataYears(
  communities: readonly CommunityRecord[],
  facilities: readonly FacilityRecord[],
): DataYears {
  let firstOpened: number | null = null;
  let lastOpened: number | null = null;
  let lastPlanned: number | null = null;
  let openWithoutYear = 0;
  let plannedWithoutYear = 0;
  for (const f of facilities) {
    const opened = yearOf(f.properties.opened);
    if (opened !== null) firstOpened = Math.min(firstOpened ?? opened, opened);
    if (f.status === 'open') {
      if (opened === null) openWithoutYear++;
      else lastOpened = Math.max(lastOpened ?? opened, opened);
    } else if (f.status === 'planned' || f.status === 'under_construction') {
      const planned = yearOf(f.properties.planned_year);
      if (planned === null) plannedWithoutYear++;
      else lastPlanned = Math.max(lastPlanned ?? planned, planned);
    }
  }
  const communitiesWithoutYear = communities.filter((c) => yearOf(c.properties.built) === null).length;
  return {
    firstOpened,
    lastOpened,
    lastPlanned,
    openWithoutYear,
    plannedWithoutYear,
    communitiesWithoutYear,
  };
}
