// The message box over the map: an error with the rows a reader rejected, or information.
import { closeButton, h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import { rejectedTable } from '../ui/rejected.js';
import type { ViewState } from '../view/state.js';

export interface NoticeActions {
  close(): void;
}

export function renderNotice(el: HTMLElement, state: ViewState, i18n: I18n, actions: NoticeActions): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const n = state.notice;
  if (!n) {
    el.hidden = true;
    replace(el);
    return;
  }
  replace(
    el,
    h('div', { class: 'card-head' }, h('strong', {}, n.title), closeButton(tr('close'), actions.close)),
    h('p', { class: 'notice-message', 'data-testid': 'error-message' }, n.message),
    n.rejected && n.rejected.length > 0 ? h('p', {}, tr('rejected', { n: n.rejected.length })) : null,
    n.rejected && n.rejected.length > 0 ? rejectedTable(n.rejected, i18n) : null,
  );
  el.className = `notice ${n.kind}`;
  el.hidden = false;
}
