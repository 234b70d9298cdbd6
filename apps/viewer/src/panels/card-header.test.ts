// A community's card and the top bar, for given states: the card's rows are the analysis' figures of
// that community, its items those the worker sent; the header's buttons call their actions.
import { describe, expect, it, vi } from 'vitest';
import { cardItemsLoaded, checkStarted, communitySelected, modeChosen } from '../view/state.js';
import { cityStates } from '../view/test-city.js';
import { byTestId, en, one, zh } from '../view/test-dom.js';
import { renderCard } from './card.js';
import { renderHeader } from './header.js';

// Top-level await: the city is analysed once, before the tests are collected.
const { city, analysed, checked } = await cityStates();

describe('community card', () => {
  it('is hidden when no community is selected', () => {
    const card = document.createElement('div');
    renderCard(card, analysed, en, { close: () => {} });
    expect(card.hidden).toBe(true);
    expect(card.childElementCount).toBe(0);
  });

  it("shows one row per type with the community's figures, and closes", () => {
    const card = document.createElement('div');
    const close = vi.fn();
    const c = 3;
    renderCard(card, communitySelected(analysed, c), en, { close });
    expect(card.hidden).toBe(false);
    const a = city.analysis;
    expect(one(card, 'card-name').dataset.id).toBe(a.communities.ids[c]);
    const rows = byTestId(card, 'card-row');
    expect(rows).toHaveLength(a.types.length);
    const T = a.types.length;
    rows.forEach((row, t) => {
      const cells = [...row.querySelectorAll('td')].map((td) => td.textContent);
      expect(cells[0]).toBe(en.typeName(a.types[t]!));
      expect(cells[5]).toBe(en.pct(a.communities.share[c * T + t]!));
      expect(row.classList.contains('gap')).toBe(a.communities.gap[c * T + t] === 1);
    });
    (card.querySelector('button.close') as HTMLButtonElement).click();
    expect(close).toHaveBeenCalledOnce();
  });

  it("shows the profile's items for the community once they arrive, first in profile mode", () => {
    const card = document.createElement('div');
    const c = 5;
    const selected = communitySelected(modeChosen(checked, 'profile'), c);
    renderCard(card, selected, en, { close: () => {} });
    expect(one(card, 'card-compliance').textContent).toContain(en.t('loadingItems'));
    const items = city.engine.items(c);
    renderCard(card, cardItemsLoaded(selected, items), en, { close: () => {} });
    const rows = byTestId(card, 'compliance-row');
    expect(rows.map((r) => [r.dataset.item, r.dataset.status])).toEqual(
      items.items.map((i) => [i.id, i.status]),
    );
    // The items precede the type table in profile mode, follow it otherwise.
    const scroll = card.querySelector('.card-scroll')!;
    expect(scroll.firstElementChild?.getAttribute('data-testid')).toBe('card-compliance');
    renderCard(card, cardItemsLoaded(communitySelected(checked, c), items), en, { close: () => {} });
    expect(card.querySelector('.card-scroll')!.lastElementChild?.getAttribute('data-testid')).toBe(
      'card-compliance',
    );
  });

  it('says the profile is being evaluated before its verdicts arrive', () => {
    const card = document.createElement('div');
    renderCard(card, communitySelected(checkStarted(analysed), 0), zh, { close: () => {} });
    expect(one(card, 'card-compliance').textContent).toContain(zh.t('profileEvaluating'));
  });
});

describe('header', () => {
  it('calls each action, and offers the other language in that language', () => {
    const el = document.createElement('header');
    const actions = { pickFiles: vi.fn(), openBundled: vi.fn(), fitAll: vi.fn(), setLocale: vi.fn() };
    renderHeader(el, zh, actions);
    expect(one(el, 'title').textContent).toBe(zh.t('title'));
    one(el, 'load-button').click();
    one(el, 'bundled-button').click();
    one(el, 'fit-all').click();
    const locale = one(el, 'locale-switch');
    expect(locale.getAttribute('lang')).toBe('en');
    locale.click();
    expect(actions.pickFiles).toHaveBeenCalledOnce();
    expect(actions.openBundled).toHaveBeenCalledOnce();
    expect(actions.fitAll).toHaveBeenCalledOnce();
    expect(actions.setLocale).toHaveBeenCalledWith('en');
    renderHeader(el, en, actions);
    expect(one(el, 'locale-switch').getAttribute('lang')).toBe('zh-CN');
  });
});
