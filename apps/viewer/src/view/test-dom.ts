// Test helper for the panel tests: find elements by their `data-testid`, and insist on exactly one;
// the two interface languages panels render in.
import { expect } from 'vitest';
import { I18n } from '../ui/i18n.js';

/** English, the interface language most panel tests read. */
export const en: I18n = new I18n('en');
/** Simplified Chinese, for the tests of what changes with the language. */
export const zh: I18n = new I18n('zh-CN');

/** Every element under `el` with the test id. */
export function byTestId(el: Element, id: string): HTMLElement[] {
  return [...el.querySelectorAll(`[data-testid="${id}"]`)] as HTMLElement[];
}

/** The one element under `el` with the test id (fails the test when there is none or several). */
export function one(el: Element, id: string): HTMLElement {
  const found = byTestId(el, id);
  expect(found, `elements with data-testid="${id}"`).toHaveLength(1);
  return found[0]!;
}

/** Sets a form control's value and fires the event its handler listens to. */
export function change(
  control: HTMLElement,
  value: string | boolean,
  event: 'change' | 'input' = 'change',
): void {
  if (typeof value === 'boolean') (control as HTMLInputElement).checked = value;
  else (control as HTMLInputElement).value = value;
  control.dispatchEvent(new Event(event, { bubbles: true }));
}
