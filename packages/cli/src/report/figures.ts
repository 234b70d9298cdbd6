import type { AreaCompliance, RequirementSummary } from '@lifecircle/core';
import { conditionShortfallLabel, isShareIndicator, type LifeCircleTier } from '@lifecircle/core/internal';
import { integer, percent } from '../outputs/table.js';

/** `16,810 m² (to enlarge), 20,618 m² (per 100 households)`, or – when nothing is missing. */
/** A radius as the tables print it: metres as given, a walker's minutes to 0.1. */
export function radiusFigure(radius: number, unit: 'm' | 'min'): string {
  return unit === 'min' ? `${Number(radius.toFixed(1))} min` : `${radius} m`;
}

export function shortfallAmounts(amounts: readonly { kind: string; unit: string; amount: number }[]): string {
  return (
    amounts.map((a) => `${integer(a.amount)} ${a.unit} (${conditionShortfallLabel(a.kind)})`).join(', ') ||
    '–'
  );
}

/** An indicator value as a reader expects it: shares as percentages, other figures to 2 decimals. */
export function indicatorValue(kind: string, value: number | null): string {
  if (value === null) return '–';
  return isShareIndicator(kind) ? percent(value) : value.toFixed(2);
}

/** `≥ 4.5` or `≥ 60.0%`, or – without a target. */
export function targetText(kind: string, target: number | null, comparison: string): string {
  if (target === null) return '–';
  return `${comparison === '<=' ? '≤' : '≥'} ${isShareIndicator(kind) ? percent(target) : String(target)}`;
}

/** Whether an indicator kind's values are shares (shown as percentages, their pace in points). */
export function isShareKind(kind: string): boolean {
  return isShareIndicator(kind);
}

/**
 * An area's figures in the order of the by-county tables (communities, residents, complete,
 * incomplete, unknown, complete rate, at most, mean score, then one count per tier): one list for
 * the terminal table and report.html, so the two cannot drift apart.
 */
export function areaFigures(area: AreaCompliance, tiers: readonly LifeCircleTier[]): string[] {
  return [
    integer(area.communities),
    integer(area.population),
    integer(area.complete),
    integer(area.incomplete),
    integer(area.unknown),
    percent(area.completeShare),
    percent(area.completeShareMax),
    percent(area.meanScore),
    ...tiers.map((t) => integer(area.tiers[t] ?? 0)),
  ];
}

/**
 * An item's city figures in the order of the items tables (pass, fail, unknown, pass rate, on a
 * walking network the covered share of all residents and of those reached ({@link REACHED_COLUMNS}),
 * without access, new facilities), for the terminal table and report.html alike.
 */
export function requirementFigures(summary: RequirementSummary): string[] {
  return [
    integer(summary.pass),
    integer(summary.fail),
    integer(summary.unknown),
    percent(summary.passShare),
    ...(summary.coveredShare === undefined
      ? []
      : [percent(summary.coveredShare), percent(summary.coveredShareOfReached ?? null)]),
    integer(summary.shortfall.communitiesWithoutAccess),
    summary.shortfall.facilitiesNeeded === null ? '–' : integer(summary.shortfall.facilitiesNeeded),
  ];
}

/**
 * On a walking network, the headers of the two shares {@link requirementFigures} adds after the pass
 * rate, and the line under an items table saying what they are of.
 */
export const REACHED_COLUMNS = {
  headers: ['covered', 'of reached'],
  legend:
    'covered: residents with a facility of the item within its radius, of all residents; of reached: of the residents the road network reaches (see the note on residents outside it)',
} as const;
