// The top bar: the title, and the buttons to load files, reopen the bundled city, fit the whole
// area and switch the language (labelled in the language it switches to).
import { h, replace } from '../ui/dom.js';
import type { I18n, Locale, TextKey } from '../ui/i18n.js';

export interface HeaderActions {
  /** Opens the file picker. */
  pickFiles(): void;
  openBundled(): void;
  fitAll(): void;
  setLocale(locale: Locale): void;
}

export function renderHeader(header: HTMLElement, i18n: I18n, actions: HeaderActions): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const other: Locale = i18n.locale === 'zh-CN' ? 'en' : 'zh-CN';
  replace(
    header,
    h(
      'div',
      { class: 'brand' },
      h('h1', { 'data-testid': 'title' }, tr('title')),
      h('span', { class: 'subtitle' }, tr('subtitle')),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-testid': 'load-button',
          onclick: () => actions.pickFiles(),
        },
        tr('loadFiles'),
      ),
      h(
        'button',
        { type: 'button', 'data-testid': 'bundled-button', onclick: () => actions.openBundled() },
        tr('resetBundled'),
      ),
      h(
        'button',
        { type: 'button', 'data-testid': 'fit-all', onclick: () => actions.fitAll() },
        tr('wholeArea'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'locale',
          'data-testid': 'locale-switch',
          lang: other,
          onclick: () => actions.setLocale(other),
        },
        tr('language'),
      ),
    ),
  );
}
