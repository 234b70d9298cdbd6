// DOM building with text only. Loaded files are untrusted, so nothing here (or anywhere in the viewer)
// assigns innerHTML or builds markup from strings: every piece of data becomes a Text node.
type Child = Node | string | number | null | undefined | false;

export interface Attributes {
  readonly [name: string]: string | number | boolean | undefined | ((event: Event) => void);
}

/** An element with attributes (`on*` functions become listeners) and children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

/**
 * A hidden file input that hands the picked file to `onFile`; a button elsewhere opens it with
 * `click()`. Its value is cleared after each pick so that the same file can be picked again.
 */
export function hiddenFileInput(
  accept: string,
  testid: string,
  onFile: (file: File) => void,
): HTMLInputElement {
  const input = h('input', {
    type: 'file',
    accept,
    hidden: true,
    'data-testid': testid,
    onchange: () => {
      const file = input.files?.[0];
      input.value = '';
      if (file) onFile(file);
    },
  });
  return input;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element, built the same way. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'value' && element instanceof HTMLInputElement) {
      element.value = String(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(element: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces an element's children. When the focus was inside, it moves to the new element with the same
 * `data-testid` (a panel redrawn after its own select changed keeps the keyboard where it was).
 */
export function replace(element: Element, ...children: Child[]): void {
  const focused = document.activeElement;
  const testid =
    focused instanceof HTMLElement && element.contains(focused) ? focused.dataset.testid : undefined;
  element.replaceChildren();
  append(element, children);
  if (testid)
    [...element.querySelectorAll<HTMLElement>('[data-testid]')]
      .find((e) => e.dataset.testid === testid)
      ?.focus();
}

/** Offers text as a file download. */
export function download(name: string, content: string | Blob, type = 'application/octet-stream'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type }) : content;
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A close button (×) named for screen readers by `label`, calling `close` when pressed. */
export function closeButton(label: string, close: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: 'close', 'aria-label': label, onclick: () => close() }, '×');
}
