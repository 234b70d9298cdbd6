// The table of rejected features (file, index, row of a table, id, field, reason), as text only.
import type { ErrorPayload } from '../worker/protocol.js';
import { h } from './dom.js';
import type { I18n } from './i18n.js';

export function rejectedTable(rejected: NonNullable<ErrorPayload['rejected']>, i18n: I18n): HTMLElement {
  const shown = rejected.slice(0, 200);
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0 },
    h(
      'table',
      { class: 'rejected', 'data-testid': 'rejected-list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, i18n.t('file')),
          h('th', { class: 'num' }, i18n.t('index')),
          h('th', { class: 'num' }, i18n.t('row')),
          h('th', {}, i18n.t('id')),
          h('th', {}, i18n.t('field')),
          h('th', {}, i18n.t('reason')),
        ),
      ),
      h(
        'tbody',
        {},
        ...shown.map((r) =>
          h(
            'tr',
            { 'data-testid': 'rejected-row' },
            h('td', {}, r.file),
            h('td', { class: 'num' }, String(r.index)),
            h('td', { class: 'num' }, r.row === undefined ? '' : String(r.row)),
            h('td', {}, r.id ?? ''),
            h('td', {}, r.field),
            h('td', {}, r.reason),
          ),
        ),
      ),
    ),
    rejected.length > shown.length ? h('p', { class: 'hint' }, `… +${rejected.length - shown.length}`) : null,
  );
}
