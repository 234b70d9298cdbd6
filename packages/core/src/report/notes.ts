// The one place the words of "this figure leaves something out" are written, so that the terminal,
// summary.json, report.html and the viewer say the same thing next to the same figure.

import type { NetworkSummary } from '../analysis/network.js';

/** A note beside a headline figure that leaves something out. */
export interface HeadlineNote {
  /**
   * What is left out: residents the road network does not reach, facilities without a capacity
   * value, or communities with unknown items.
   */
  readonly code: 'residents-outside-network' | 'capacity-partial' | 'unknown-items';
  /** The figure it qualifies: `covered_share`, `capacity_per_1000` or `complete_share`. */
  readonly figure: 'covered_share' | 'capacity_per_1000' | 'complete_share';
  /** The facility types whose figure the note is about, for a note about per-type figures. */
  readonly types?: readonly string[];
  /** The sentence shown beside the figure. */
  readonly text: string;
}

/** The figures {@link headlineNotes} reads; every member optional, so each command passes what it has. */
export interface HeadlineFigures {
  /** Residents of the run (summary.json `population`). */
  readonly population?: number;
  /** summary.json's `network` member of a walking-network run. */
  readonly network?: NetworkSummary;
  /**
   * Whether the figures of the residents the network reaches are shown beside those of all residents
   * (analyze's types, check's items, site's answer). Default true; monitor's year table gives only
   * the figures of all residents, and its note says where the others are (monitor.csv).
   */
  readonly reachedSharesGiven?: boolean;
  /** Per type: serving facilities and how many of them have a capacity value. */
  readonly types?: Readonly<
    Record<
      string,
      { readonly facilities: number; readonly capacityKnown: number; readonly capacity: number | null }
    >
  >;
  /** check's city figures: communities, how many are unknown, and the rate if they were complete. */
  readonly compliance?: {
    readonly communities: number;
    readonly unknown: number;
    readonly completeShareMax: number | null;
  };
}

/**
 * The notes for every headline figure of a run that leaves something out: covered shares that
 * count residents the road network does not reach as not covered, capacity per 1,000 residents
 * summed over only the facilities whose capacity is known, and complete-community rates with
 * unknown communities. Empty when nothing is left out.
 *
 * @example
 * headlineNotes(result.summary).map((n) => n.text); // printed, written to summary.json `notes`, shown in report.html
 */
export function headlineNotes(figures: HeadlineFigures): HeadlineNote[] {
  const notes: HeadlineNote[] = [];
  const { network, population } = figures;
  if (network && network.population_outside > 0 && population !== undefined && population > 0) {
    const beyond =
      network.population_beyond_extent > 0
        ? `, ${people(network.population_beyond_extent)} of them beyond its edge`
        : '';
    const outside = `${people(network.population_outside)} (${share(network.population_outside / population)}) live where the road network does not reach${beyond}`;
    notes.push({
      code: 'residents-outside-network',
      figure: 'covered_share',
      text:
        figures.reachedSharesGiven === false
          ? `the figures count all ${people(population)} residents: ${outside}, and count as having no facility within reach; monitor.csv gives each year's residents the network reaches (${people(network.population_reached)} of all placed) and each item's share of them`
          : `covered shares are of all ${people(population)} residents: ${outside}, and count as not covered; the shares of the ${people(network.population_reached)} residents it reaches are given beside them`,
    });
  }
  const partial = Object.entries(figures.types ?? {}).filter(
    ([, t]) => t.capacity !== null && t.capacityKnown < t.facilities,
  );
  if (partial.length > 0) {
    notes.push({
      code: 'capacity-partial',
      figure: 'capacity_per_1000',
      types: partial.map(([type]) => type),
      text: `capacity per 1,000 residents counts only the facilities with a known capacity (${partial.map(([type, t]) => `${type} ${t.capacityKnown} of ${t.facilities}`).join(', ')}); the others add nothing`,
    });
  }
  const c = figures.compliance;
  if (c && c.unknown > 0) {
    notes.push({
      code: 'unknown-items',
      figure: 'complete_share',
      text: `${c.unknown} of ${c.communities} communities are unknown (an item had no data) and count as not complete; the rate would be at most ${c.completeShareMax === null ? '–' : share(c.completeShareMax)} if they all were`,
    });
  }
  return notes;
}

function people(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function share(s: number): string {
  return `${(s * 100).toFixed(1)} %`;
}
