// Keyboard and screen-reader wiring of the page: the status line is a polite live region (what runs,
// its progress, what finished), a message box is announced as an alert, the map and the panel are
// named landmarks, and Escape closes the topmost box (a message, else the community card). Every
// control is a native button, select, input or summary, so Tab reaches it and Enter or Space uses it;
// the map canvas takes the focus too and MapLibre pans and zooms it with the arrow and +/- keys.
import type { I18n } from '../ui/i18n.js';

/** The page's boxes that the keyboard wiring names or closes. */
export interface KeyboardTargets {
  readonly status: HTMLElement;
  readonly notice: HTMLElement;
  readonly map: HTMLElement;
  readonly panel: HTMLElement;
}

/** What the wiring asks of the page. */
export interface KeyboardHost {
  readonly i18n: I18n;
  /** Closes the topmost open box; false when none was open. */
  closeTopmost(): boolean;
}

export function setupKeyboard(host: KeyboardHost, targets: KeyboardTargets): void {
  targets.status.setAttribute('role', 'status');
  targets.status.setAttribute('aria-live', 'polite');
  targets.notice.setAttribute('role', 'alert');
  targets.map.setAttribute('role', 'region');
  targets.panel.setAttribute('role', 'complementary');
  const name = () => {
    targets.map.setAttribute('aria-label', host.i18n.t('mapRegion'));
    targets.panel.setAttribute('aria-label', host.i18n.t('panelRegion'));
  };
  name();
  // The page sets <html lang> when the language changes: the names follow it.
  new MutationObserver(name).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['lang'],
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    // An open <select> or <details> handles its own Escape first.
    if (host.closeTopmost()) event.preventDefault();
  });
}
