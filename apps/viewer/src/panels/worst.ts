// The ten worst-served communities for what the map shows: least covered for a type, failing the
// profile, or the most gaps. A click flies to the community and opens its card.
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import { profileItemIndex, typeIndex, type ViewState } from '../view/state.js';
import { verdictLine } from './verdict.js';

export interface WorstActions {
  select(community: number): void;
}

export function renderWorst(el: HTMLElement, state: ViewState, i18n: I18n, actions: WorstActions): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const a = state.analysis;
  const section = el;
  if (!a) {
    replace(section);
    return;
  }
  const counts = state.mode === 'gaps-all' ? state.gaps.all : state.gaps.required;
  const population = a.communities.population;
  let order = Array.from({ length: a.communities.count }, (_, c) => c);
  const comp = state.compliance;
  const T = a.types.length;
  if (state.mode === 'type') {
    const t = typeIndex(state);
    // Least covered first, the most residents left out breaking ties.
    order = order
      .filter((c) => !Number.isNaN(a.communities.share[c * T + t]!))
      .sort((x, y) => {
        const dx = a.communities.share[x * T + t]! - a.communities.share[y * T + t]!;
        return dx !== 0 ? dx : population[y]! - population[x]!;
      });
  } else if (state.mode === 'profile' && comp) {
    const k = profileItemIndex(state);
    const R = comp.requirements.length;
    const { failed, unknown, status } = comp.communities;
    // Failing first (most items failed), then unknown, the most residents breaking ties.
    const rank = (c: number) => (k >= 0 ? [0, 2, 1][status[c * R + k]!]! : failed[c]! * 100 + unknown[c]!);
    order.sort((x, y) => rank(y) - rank(x) || population[y]! - population[x]!);
  } else {
    order.sort((x, y) => counts[y]! - counts[x]! || population[y]! - population[x]!);
  }
  const top = order.slice(0, 10);
  replace(
    section,
    h('h2', {}, tr('worstServed')),
    h(
      'ol',
      { class: 'worst', 'data-testid': 'worst-list' },
      ...top.map((c) => {
        const detail =
          state.mode === 'type'
            ? `${tr('covered')} ${i18n.pct(a.communities.share[c * T + typeIndex(state)]!)}`
            : state.mode === 'profile' && comp
              ? verdictLine(state, i18n, c)
              : tr('gapsCount', { n: counts[c]! });
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'linklike',
              'data-testid': 'worst-item',
              onclick: () => actions.select(c),
            },
            h('span', { class: 'worst-name' }, a.communities.names[c] ?? a.communities.ids[c] ?? ''),
            h(
              'span',
              { class: 'worst-detail' },
              `${a.communities.districts[c] ?? ''} · ${i18n.int(population[c]!)} · ${detail}`,
            ),
          ),
        );
      }),
    ),
  );
}
