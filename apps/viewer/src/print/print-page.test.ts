// The printed page from the view state: sheet sizes and the @page rule, the headline figures as the
// panel shows them, the indicators with their verdict marks, the sites in rank order; and the scale
// bar's round lengths against hand-worked values.
import { beforeAll, describe, expect, it } from 'vitest';
import { headlineFigures } from '../panels/indicators.js';
import { I18n } from '../ui/i18n.js';
import { DEFAULT_SITING, siteResultArrived } from '../view/state.js';
import type { CityStates } from '../view/test-city.js';
import { cityStates, type TestCity } from '../view/test-city.js';
import type { ModelRequest, SitePayload } from '../worker/protocol.js';
import { metresPerPixel, pageRule, renderPrintPage, roundLength, sheetMm } from './print-page.js';

const en = new I18n('en');
let states: CityStates;
let city: TestCity;
let sited: SitePayload;
const request: ModelRequest = { ...DEFAULT_SITING, typeId: 'kindergarten', k: 3 };

beforeAll(async () => {
  states = await cityStates();
  city = states.city;
  sited = await city.engine.site(request);
});

const parts = (paper: 'A4' | 'A3', orientation: 'landscape' | 'portrait') => ({
  settings: { paper, orientation },
  mapImage: 'data:image/png;base64,',
  legend: document.createElement('div'),
  note: 'Synthetic',
  date: '6 December 2026',
});

describe('print page', () => {
  it('sizes the sheet by ISO 216 and writes the matching @page rule', () => {
    expect(sheetMm({ paper: 'A4', orientation: 'portrait' })).toEqual([210, 297]);
    expect(sheetMm({ paper: 'A4', orientation: 'landscape' })).toEqual([297, 210]);
    expect(sheetMm({ paper: 'A3', orientation: 'landscape' })).toEqual([420, 297]);
    expect(pageRule({ paper: 'A3', orientation: 'portrait' })).toBe(
      '@page { size: A3 portrait; margin: 10mm; }',
    );
    const el = document.createElement('div');
    renderPrintPage(el, states.checked, en, parts('A3', 'portrait'));
    expect(el.style.width).toBe('277mm');
    expect(el.style.height).toBe('400mm');
    expect(el.classList.contains('portrait')).toBe(true);
  });

  it('shows the headline figures of the panel, the indicators with ✓ ✗ ? and the sites in rank order', () => {
    const state = siteResultArrived(states.checked, sited, request);
    const el = document.createElement('div');
    renderPrintPage(el, state, en, parts('A4', 'landscape'));
    for (const f of headlineFigures(state, en))
      expect(el.querySelector(`[data-testid="print-${f.testid}"]`)?.textContent).toContain(f.value);
    const indicators = [...el.querySelectorAll('[data-testid="print-indicators"] tbody tr')];
    const withTarget = Object.values(city.completeCommunity.city.indicators).filter((r) => r.target !== null);
    expect(indicators.length).toBe(Object.keys(city.completeCommunity.city.indicators).length);
    const marks = [...el.querySelectorAll('[data-testid="print-indicators"] .met-mark')].map((m) =>
      m.textContent?.trim(),
    );
    expect(marks).toEqual(withTarget.map((r) => (r.met === true ? '✓' : r.met === false ? '✗' : '?')));
    const sites = [...el.querySelectorAll('[data-testid="print-sites"] tbody tr')].map(
      (tr) => tr.querySelector('td:nth-child(2)')?.textContent,
    );
    expect(sites).toEqual(sited.sites.map((s) => s.label));
  });

  it('says when no siting run is there', () => {
    const el = document.createElement('div');
    renderPrintPage(el, states.analysed, en, parts('A4', 'portrait'));
    expect(el.querySelector('[data-testid="print-sites"]')).toBeNull();
    expect(el.textContent).toContain(en.t('printNoSites'));
  });

  it('rounds the scale bar to 1, 2 or 5 × 10ⁿ metres', () => {
    expect(roundLength(730)).toBe(500);
    expect(roundLength(1999)).toBe(1000);
    expect(roundLength(2000)).toBe(2000);
    expect(roundLength(48)).toBe(20);
    // Zoom 0 at the equator: 40,075,016.7 m over 512 px.
    expect(metresPerPixel(0, 0)).toBeCloseTo(78_271.5, 0);
    // One zoom level halves it; latitude 60° halves it again.
    expect(metresPerPixel(60, 1)).toBeCloseTo(78_271.5 / 4, 0);
  });
});
