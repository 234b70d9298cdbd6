// A community's card: its table of every type (radius, nearest facility and distance, facilities
// within reach, covered share, gap) and the profile's items with their verdict and reason, once the
// worker sent them. Hidden when no community is selected.
import { closeButton, h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import { itemReason } from '../ui/reasons.js';
import { profileName } from '../view/profiles.js';
import type { ViewState } from '../view/state.js';
import { stringAt } from '../worker/protocol.js';
import { verdictLine } from './verdict.js';

export interface CardActions {
  /** Closes the card (selects no community). */
  close(): void;
}

export function renderCard(card: HTMLElement, state: ViewState, i18n: I18n, actions: CardActions): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const a = state.analysis;
  const c = state.selected;
  if (!a || c === null) {
    card.hidden = true;
    replace(card);
    return;
  }
  const T = a.types.length;
  const rows = a.types.map((t, i) => {
    const k = c * T + i;
    const f = a.communities.nearestFacility[k]!;
    const gap = a.communities.gap[k] === 1;
    const facilityName =
      f >= 0 ? (stringAt(a.facilities.names, f) ?? stringAt(a.facilities.ids, f) ?? '') : tr('none');
    return h(
      'tr',
      { class: gap ? 'gap' : '', 'data-testid': 'card-row' },
      h('td', {}, i18n.typeName(t)),
      h('td', { class: 'num' }, i18n.metres(t.radius_m)),
      h('td', { class: 'name' }, facilityName),
      h('td', { class: 'num' }, i18n.metres(a.communities.nearestM[k]!)),
      h('td', { class: 'num' }, i18n.int(a.communities.within[k]!)),
      h('td', { class: 'num' }, i18n.pct(a.communities.share[k]!)),
      h('td', { class: 'gapcell' }, gap ? '✗' : '✓'),
    );
  });
  replace(
    card,
    h(
      'div',
      { class: 'card-head' },
      h(
        'div',
        {},
        h(
          'strong',
          { 'data-testid': 'card-name', 'data-id': a.communities.ids[c] ?? '' },
          a.communities.names[c] ?? a.communities.ids[c] ?? '',
        ),
        h(
          'div',
          { class: 'hint' },
          `${tr('id')} ${a.communities.ids[c] ?? ''} · ${a.communities.districts[c] ?? ''} · ${tr('population')} ${i18n.int(a.communities.population[c]!)}`,
        ),
      ),
      closeButton(tr('close'), actions.close),
    ),
    h(
      'div',
      // Focusable, so the keyboard can scroll a long table.
      { class: 'card-scroll', tabindex: 0 },
      // In profile mode the items come first: that is what the map shows.
      state.mode === 'profile' ? complianceBlock(state, i18n, c) : null,
      h(
        'table',
        { class: 'card-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, tr('type')),
            h('th', { class: 'num' }, tr('radius')),
            h('th', {}, tr('nearest')),
            h('th', { class: 'num' }, tr('distance')),
            h('th', { class: 'num' }, tr('within')),
            h('th', { class: 'num' }, tr('covered')),
            h('th', {}, tr('gap')),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
      state.mode === 'profile' ? null : complianceBlock(state, i18n, c),
    ),
  );
  card.hidden = false;
}

/** The community's compliance items under the profile, with the reasons. */
function complianceBlock(state: ViewState, i18n: I18n, c: number): HTMLElement {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const comp = state.compliance;
  const heading = h(
    'h3',
    { class: 'card-subhead' },
    tr('compliance', { profile: profileName(state.profileId, i18n.locale) }),
  );
  if (!comp) {
    return h(
      'div',
      { 'data-testid': 'card-compliance' },
      heading,
      h('p', { class: 'hint' }, tr('profileEvaluating')),
    );
  }
  const items = state.cardItems?.community === c ? state.cardItems.items : null;
  const tier = comp.communities.tier[c]!;
  const summary = h(
    'p',
    { class: 'hint', 'data-testid': 'card-verdict' },
    verdictLine(state, i18n, c, true),
    comp.profile.tiers.length > 0
      ? ` · ${tr('tierAttained', { tier: tier >= 0 ? comp.profile.tiers[tier]! : tr('tierNone') })}`
      : '',
  );
  if (!items)
    return h(
      'div',
      { 'data-testid': 'card-compliance' },
      heading,
      summary,
      h('p', { class: 'hint' }, tr('loadingItems')),
    );
  const info = new Map(comp.requirements.map((r) => [r.id, r]));
  const symbol = { pass: '✓', fail: '✗', unknown: '?' } as const;
  return h(
    'div',
    { 'data-testid': 'card-compliance' },
    heading,
    summary,
    h(
      'table',
      { class: 'card-table compliance' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, tr('item')), h('th', {}, tr('status')), h('th', {}, tr('reason'))),
      ),
      h(
        'tbody',
        {},
        ...items.map((item) => {
          const requirement = info.get(item.id);
          return h(
            'tr',
            {
              class: `status-${item.status}`,
              'data-testid': 'compliance-row',
              'data-item': item.id,
              'data-status': item.status,
            },
            h(
              'td',
              {},
              requirement ? i18n.typeName(requirement) : item.id,
              item.required ? '' : ` ${tr('optionalItem')}`,
            ),
            h('td', { class: 'gapcell' }, `${symbol[item.status]} ${tr(item.status)}`),
            h('td', { class: 'reason', title: item.reason }, itemReason(item, requirement, i18n)),
          );
        }),
      ),
    ),
  );
}
