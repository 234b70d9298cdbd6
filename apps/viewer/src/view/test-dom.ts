// Test helper for the panel tests: find elements by their `data-testid`, and insist on exactly one.
import { expect } from 'vitest';

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
