// What a headline figure leaves out, next to the figure: core's headline notes (the same sentences
// as the CLI's terminal, summary.json and report.html, never reworded here), the covered share of
// all residents beside that of the residents the road network reaches, and the requirements that
// are unknown because their facility types are absent from the input.
import type { HeadlineNote } from '@lifecircle/core';
import { h } from '../ui/dom.js';
import type { I18n } from '../ui/i18n.js';
import type { ViewState } from '../view/state.js';

/** Core's notes about one headline figure, each a line marked as a note (text, not colour). */
export function headlineNoteLines(
  notes: readonly HeadlineNote[] | undefined,
  figure: HeadlineNote['figure'],
  i18n: I18n,
): HTMLElement[] {
  return (notes ?? [])
    .filter((n) => n.figure === figure)
    .map((n) =>
      h(
        'p',
        { class: 'headline-note', role: 'note', 'data-testid': `headline-note-${n.code}` },
        h('strong', {}, `${i18n.t('headlineNote')}: `),
        n.text,
      ),
    );
}

/**
 * On a walking network, each type's covered share of all residents and of the residents the
 * network reaches (core's `covered_share` and `covered_share_of_reached`); nothing otherwise.
 */
export function reachedShareTable(state: ViewState, i18n: I18n): HTMLElement | null {
  const a = state.analysis;
  if (!a?.summary.network) return null;
  return h(
    'table',
    { class: 'reached-shares', 'data-testid': 'reached-shares' },
    h('caption', {}, i18n.t('coverageReached')),
    h(
      'tr',
      {},
      h('th', {}, ''),
      h('th', { scope: 'col' }, i18n.t('coverageAll')),
      h('th', { scope: 'col' }, i18n.t('coverageOfReached')),
    ),
    ...a.types.map((t) => {
      const summary = a.summary.types[t.id];
      return h(
        'tr',
        { 'data-type': t.id },
        h('th', { scope: 'row' }, i18n.typeName(t)),
        h('td', {}, i18n.pct(summary?.coveredShare ?? null)),
        h('td', {}, i18n.pct(summary?.coveredShareOfReached ?? null)),
      );
    }),
  );
}

/**
 * The profile's requirements that are unknown for every community because none of their facility
 * types is in the input (not judged as failing), or the statement that the facility file counts as
 * the whole inventory.
 */
export function absentTypeLines(state: ViewState, i18n: I18n): HTMLElement | null {
  const comp = state.compliance;
  if (!comp || comp.absentTypes.length === 0) return null;
  if (comp.completeInventory)
    return h('p', { class: 'hint', 'data-testid': 'absent-types' }, i18n.t('inventoryComplete'));
  const typeName = (id: string) => {
    const t = state.analysis?.types.find((x) => x.id === id);
    return t ? i18n.typeName(t) : id;
  };
  return h(
    'div',
    { class: 'absent-types', 'data-testid': 'absent-types' },
    h('h3', {}, i18n.t('absentTypesTitle')),
    ...comp.absentTypes.map((a) => {
      const requirement = comp.requirements.find((r) => r.id === a.requirement);
      return h(
        'p',
        { class: 'hint', 'data-requirement': a.requirement },
        i18n.t('absentTypesLine', {
          name: requirement ? i18n.typeName(requirement) : a.requirement,
          types: a.types.map(typeName).join('、'),
        }),
      );
    }),
  );
}
