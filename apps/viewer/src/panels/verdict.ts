// A community's verdict under the standard profile, in words: shared by the hover tip, the
// worst-served list and the community card.
import type { I18n, TextKey } from '../ui/i18n.js';
import { profileItemIndex, type ViewState } from '../view/state.js';

/**
 * Completeness with the counts of failed and unknown items, or the verdict of the shown profile item
 * (`completeness`: always completeness). Needs the profile's verdicts (`state.compliance`).
 */
export function verdictLine(state: ViewState, i18n: I18n, c: number, completeness = false): string {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const comp = state.compliance!;
  const k = completeness ? -1 : profileItemIndex(state);
  if (k >= 0) {
    const requirement = comp.requirements[k]!;
    const status = comp.communities.status[c * comp.requirements.length + k]!;
    return `${i18n.typeName(requirement)}：${tr((['pass', 'fail', 'unknown'] as const)[status] ?? 'unknown')}`;
  }
  const verdict = (['complete', 'incomplete', 'unknownCompleteness'] as const)[
    comp.communities.completeness[c]!
  ];
  return tr('complianceSummary', {
    verdict: tr(verdict ?? 'unknownCompleteness'),
    failed: comp.communities.failed[c]!,
    unknown: comp.communities.unknown[c]!,
    score: i18n.pct(comp.communities.score[c]!),
  });
}
