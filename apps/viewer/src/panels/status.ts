// The status line under the map: what runs, with its progress and a cancel button, or the last
// message when nothing runs.
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import type { ViewState } from '../view/state.js';

export interface StatusActions {
  cancel(): void;
}

export function renderStatus(el: HTMLElement, state: ViewState, i18n: I18n, actions: StatusActions): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const b = state.busy;
  if (b) {
    const progress = b.total ? h('progress', { max: b.total, value: b.done ?? 0 }) : h('progress', {});
    replace(
      el,
      h('span', { 'data-testid': 'progress-message' }, b.message),
      progress,
      h('button', { type: 'button', 'data-testid': 'cancel', onclick: () => actions.cancel() }, tr('cancel')),
    );
    el.classList.add('busy');
  } else {
    replace(el, h('span', { 'data-testid': 'status-text' }, state.statusText));
    el.classList.remove('busy');
  }
}
