import { conditionShortfallLabel, isShareIndicator } from '@lifecircle/core';
import { integer, percent } from '../outputs/table.js';

/** `16,810 m² (to enlarge), 20,618 m² (per 100 households)`, or – when nothing is missing. */
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
