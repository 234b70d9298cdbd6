// Each panel as a function from view state to DOM, in happy-dom: what it shows for a state, and which
// action its controls call. Payloads are real (the worker engine on a small synthetic city).
import { describe, expect, it, vi } from 'vitest';
import {
  checkFailed,
  checkStarted,
  initialViewState,
  modeChosen,
  noticeShown,
  siteResultArrived,
  workStarted,
} from '../view/state.js';
import { cityStates } from '../view/test-city.js';
import { byTestId, en, one, zh } from '../view/test-dom.js';
import { renderExports } from './exports.js';
import { renderIndicators } from './indicators.js';
import { legendModel, renderLegend } from './legend.js';
import { renderNotice } from './notice.js';
import { renderStatus } from './status.js';
import { renderWorst } from './worst.js';

// Top-level await: the city is analysed once, before the tests are collected.
const { city, analysed, checked } = await cityStates();

describe('status', () => {
  it('shows the running work with a cancel button, and the status text otherwise', () => {
    const el = document.createElement('div');
    const cancel = vi.fn();
    renderStatus(el, workStarted(analysed, { message: 'Measuring', done: 3, total: 10 }), en, { cancel });
    expect(one(el, 'progress-message').textContent).toBe('Measuring');
    expect(el.querySelector('progress')?.getAttribute('max')).toBe('10');
    expect(el.classList.contains('busy')).toBe(true);
    one(el, 'cancel').click();
    expect(cancel).toHaveBeenCalledOnce();
    renderStatus(el, analysed, en, { cancel });
    expect(one(el, 'status-text').textContent).toBe('Ready');
    expect(byTestId(el, 'cancel')).toHaveLength(0);
    expect(el.classList.contains('busy')).toBe(false);
  });
});

describe('notice', () => {
  it('is hidden without a notice, and shows the message with a close button', () => {
    const el = document.createElement('div');
    const close = vi.fn();
    renderNotice(el, analysed, en, { close });
    expect(el.hidden).toBe(true);
    renderNotice(
      el,
      noticeShown(analysed, { kind: 'error', title: 'Error', message: 'bad.csv: row 3' }),
      en,
      {
        close,
      },
    );
    expect(el.hidden).toBe(false);
    expect(el.className).toBe('notice error');
    expect(one(el, 'error-message').textContent).toBe('bad.csv: row 3');
    (el.querySelector('button.close') as HTMLButtonElement).click();
    expect(close).toHaveBeenCalledOnce();
  });
});

describe('exports', () => {
  const actions = () => ({
    exportResults: vi.fn(),
    exportPng: vi.fn(),
    exportScenario: vi.fn(),
    exportSites: vi.fn(),
  });

  it('enables each export when there is something to export', () => {
    const el = document.createElement('div');
    const disabled = (id: string) => (one(el, id) as HTMLButtonElement).disabled;
    renderExports(el, initialViewState(), en, actions());
    expect(disabled('export-geojson')).toBe(true);
    renderExports(el, analysed, en, actions());
    expect(disabled('export-geojson')).toBe(false);
    expect(disabled('export-compliance-csv')).toBe(true);
    expect(disabled('export-sites')).toBe(true);
    renderExports(el, siteResultArrived(checked, city.proposals, null), en, actions());
    expect(disabled('export-compliance-csv')).toBe(false);
    expect(disabled('export-sites')).toBe(false);
  });

  it('calls the export the button names', () => {
    const el = document.createElement('div');
    const a = actions();
    renderExports(el, checked, en, a);
    one(el, 'export-compliance-geojson').click();
    one(el, 'export-csv').click();
    one(el, 'export-scenario').click();
    expect(a.exportResults.mock.calls).toEqual([['compliance-geojson'], ['csv']]);
    expect(a.exportScenario).toHaveBeenCalledOnce();
  });
});

describe('worst served', () => {
  it('lists the ten communities with the most gaps, most residents first among equals', () => {
    const el = document.createElement('div');
    const select = vi.fn();
    renderWorst(el, analysed, en, { select });
    const a = city.analysis;
    const expected = Array.from({ length: a.communities.count }, (_, c) => c)
      .sort(
        (x, y) =>
          analysed.gaps.required[y]! - analysed.gaps.required[x]! ||
          a.communities.population[y]! - a.communities.population[x]!,
      )
      .slice(0, 10);
    const items = byTestId(el, 'worst-item');
    expect(items.map((b) => b.querySelector('.worst-name')?.textContent)).toEqual(
      expected.map((c) => a.communities.names[c]),
    );
    items[2]!.click();
    expect(select).toHaveBeenCalledWith(expected[2]);
  });

  it('in profile mode, words each verdict', () => {
    const el = document.createElement('div');
    renderWorst(el, modeChosen(checked, 'profile'), en, { select: () => {} });
    const details = byTestId(el, 'worst-item').map(
      (b) => b.querySelector('.worst-detail')?.textContent ?? '',
    );
    expect(details).toHaveLength(10);
    expect(details.every((d) => /complete/i.test(d))).toBe(true);
  });
});

describe('indicators', () => {
  it("shows the headline figures and the profile's indicators against their targets", () => {
    const el = document.createElement('section');
    renderIndicators(el, checked, en, { runCheck: () => {} });
    const a = city.analysis;
    expect(one(el, 'community-count').textContent).toBe(en.int(a.communities.count));
    const withGap = Array.from(checked.gaps.required).filter((n) => n > 0).length;
    expect(one(el, 'gap-count').textContent).toBe(en.int(withGap));
    expect(one(el, 'complete-rate').textContent).toBe(en.pct(city.completeCommunity.city.completeShare));
    const shown = byTestId(el, 'indicator').map((d) => [d.dataset.id, d.dataset.value, d.dataset.target]);
    const expected = city.completeCommunity.indicators.flatMap((info) => {
      const r = city.completeCommunity.city.indicators[info.id];
      return r ? [[info.id, String(r.value), String(r.target)]] : [];
    });
    expect(shown).toEqual(expected);
  });

  it('says the check runs, and offers to run it again once it failed', () => {
    const el = document.createElement('section');
    const runCheck = vi.fn();
    renderIndicators(el, checkStarted(analysed), en, { runCheck });
    expect(one(el, 'profile-state').textContent).toBe(en.t('profileEvaluating'));
    expect(one(el, 'complete-rate').textContent).toBe('…');
    renderIndicators(el, checkFailed(analysed), en, { runCheck });
    one(el, 'profile-state').querySelector('button')!.click();
    expect(runCheck).toHaveBeenCalledOnce();
  });
});

describe('legend', () => {
  it('is hidden without an analysis', () => {
    const el = document.createElement('div');
    renderLegend(el, initialViewState(), en, { proposals: 0, counties: false });
    expect(el.hidden).toBe(true);
  });

  it('names what the colours mean in each mode, and the marks on the map', () => {
    const el = document.createElement('div');
    renderLegend(el, analysed, zh, { proposals: 0, counties: true });
    expect(one(el, 'legend-title').textContent).toContain('缺口数');
    const type = modeChosen(analysed, 'type', 'kindergarten');
    const model = legendModel(type, en, { proposals: 2, counties: false });
    expect(model.title).toContain('Kindergarten');
    expect(model.items.map((i) => i.kind)).toContain('square');
    const profile = legendModel(modeChosen(checked, 'profile'), en, { proposals: 0, counties: false });
    expect(profile.classes.map((c) => c.label)).toEqual([
      en.t('legendComplete'),
      en.t('legendIncomplete'),
      en.t('legendUnknownCompleteness'),
    ]);
  });
});
