// The page drawn from state in happy-dom (render.ts): every panel from one call, only the named
// panels on a partial redraw, and the hover tip's lines for each colour mode.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initialInputs } from './loading.js';
import { hoverTipLines, mountPage, type PageActions, renderHoverTip, renderPage } from './render.js';
import { I18n } from './ui/i18n.js';
import { modeChosen, type ViewState } from './view/state.js';
import { cityStates } from './view/test-city.js';
import { one } from './view/test-dom.js';

let checked: ViewState;
const en = new I18n('en');
const holdings = { inputs: initialInputs(), sitingAreas: new Map() };

/** Every action a spy, so a test can see which one a control calls. */
const spies = (): Record<string, unknown> => {
  const fns: Record<string, unknown> = {};
  return new Proxy(fns, { get: (_, name: string) => (fns[name] ??= vi.fn()) });
};
const actions = Object.fromEntries(
  ['header', 'controls', 'indicators', 'worst', 'siting', 'files', 'exports', 'card', 'status', 'notice'].map(
    (panel) => [panel, spies()],
  ),
) as unknown as PageActions;

beforeAll(async () => {
  ({ checked } = await cityStates());
});

describe('renderPage', () => {
  it('draws every panel from one state', () => {
    const root = document.createElement('div');
    const el = mountPage(root);
    renderPage(el, checked, en, holdings, actions);
    for (const id of ['controls', 'indicators', 'worst', 'siting-panel', 'files', 'export', 'legend'])
      expect(one(root, id).childElementCount, id).toBeGreaterThan(0);
    expect(el.header.textContent).not.toBe('');
    expect(el.dropOverlay.textContent).toBe(en.t('dropHere'));
    expect(one(root, 'file-input').hasAttribute('multiple')).toBe(true);
    expect(one(root, 'candidate-input').hasAttribute('multiple')).toBe(false);
  });

  it('redraws only the panels named', () => {
    const root = document.createElement('div');
    const el = mountPage(root);
    renderPage(el, checked, en, holdings, actions, ['worst']);
    expect(el.sections.worst.childElementCount).toBeGreaterThan(0);
    expect(el.sections.controls.childElementCount).toBe(0);
    expect(el.legend.childElementCount).toBe(0);
  });
});

describe('the hover tip', () => {
  it('shows the name, the population and the gap count, or the covered share in type mode', () => {
    const a = checked.analysis!;
    const [name, gaps] = hoverTipLines(checked, en, 0)!;
    expect(name).toBe(a.communities.names[0] ?? a.communities.ids[0]);
    expect(gaps).toContain(en.int(a.communities.population[0]!));
    const byType = modeChosen(checked, 'type', a.types[0]!.id);
    expect(hoverTipLines(byType, en, 0)![1]).toContain(
      `${en.t('covered')} ${en.pct(a.communities.share[0]!)}`,
    );
  });

  it('places the tip beside the pointer and hides it off the communities', () => {
    const tip = document.createElement('div');
    renderHoverTip(tip, checked, en, 0, { x: 10, y: 20 });
    expect([tip.hidden, tip.style.left, tip.style.top]).toEqual([false, '24px', '34px']);
    renderHoverTip(tip, checked, en, null, null);
    expect(tip.hidden).toBe(true);
  });
});
