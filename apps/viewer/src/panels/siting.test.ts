// The siting panel for a given state: the model's fields, the candidates choice, the proposal
// controls, and the figures of a siting run (sites ranked as the worker sent them).

import { SITING_MODEL_NAMES } from '@lifecircle/core';
import { beforeAll, describe, expect, it, type Mock, vi } from 'vitest';
import { I18n } from '../ui/i18n.js';
import {
  analysisFinished,
  DEFAULT_SITING,
  initialViewState,
  siteResultArrived,
  sitingSettingsChanged,
  type ViewState,
} from '../view/state.js';
import { type TestCity, testCity } from '../view/test-city.js';
import { byTestId, change, one } from '../view/test-dom.js';
import { type ModelRequest, NO_SITING_CONSTRAINTS, type SitePayload } from '../worker/protocol.js';
import { renderSiting, type SitingActions } from './siting.js';

let city: TestCity;
let analysed: ViewState;
let sited: SitePayload;
const request: ModelRequest = { ...DEFAULT_SITING, typeId: 'kindergarten', k: 3 };
const en = new I18n('en');

beforeAll(async () => {
  city = await testCity();
  analysed = analysisFinished(initialViewState('complete-community'), city.analysis, city.options, 'Ready');
  sited = await city.engine.site(request);
});

const actions = (): { [K in keyof SitingActions]: Mock<SitingActions[K]> } => ({
  changeSettings: vi.fn(),
  changeConstraints: vi.fn(),
  startArea: vi.fn(),
  addCornerAtCentre: vi.fn(),
  finishArea: vi.fn(),
  cancelArea: vi.fn(),
  editArea: vi.fn(),
  removeArea: vi.fn(),
  proposeAtCentre: vi.fn(),
  moveProposalToCentre: vi.fn(),
  removeProposal: vi.fn(),
  chooseType: vi.fn(),
  loadCandidates: vi.fn(),
  loadSitingArea: vi.fn(),
  runSiting: vi.fn(),
  toggleProposeMode: vi.fn(),
  clearProposals: vi.fn(),
  setShowAfter: vi.fn(),
  sitesToProposals: vi.fn(),
});
const context = { candidatesFile: null, areaFiles: new Map(), proposeMode: false, proposals: 0 };

describe('siting panel', () => {
  it('shows only its heading before an analysis', () => {
    const el = document.createElement('section');
    renderSiting(el, initialViewState(), en, context, actions());
    expect(el.querySelector('h2')?.textContent).toBe(en.t('siting'));
    expect(byTestId(el, 'run-siting')).toHaveLength(0);
  });

  it("offers every model of core's registry, and each model's own fields", () => {
    const el = document.createElement('section');
    renderSiting(el, analysed, en, context, actions());
    const models = [...one(el, 'siting-model').querySelectorAll('option')].map((o) => o.value);
    expect(models).toEqual([...SITING_MODEL_NAMES]);
    expect(byTestId(el, 'siting-k')).toHaveLength(1);
    expect(byTestId(el, 'siting-share')).toHaveLength(0);
    renderSiting(el, sitingSettingsChanged(analysed, { model: 'lscp' }), en, context, actions());
    expect(byTestId(el, 'siting-k')).toHaveLength(0);
    expect(byTestId(el, 'siting-share')).toHaveLength(1);
    expect(byTestId(el, 'siting-per-community')).toHaveLength(1);
    renderSiting(el, sitingSettingsChanged(analysed, { model: 'capacitated' }), en, context, actions());
    expect(byTestId(el, 'siting-rate')).toHaveLength(1);
    expect(byTestId(el, 'siting-capacity')).toHaveLength(1);
  });

  it('passes changed settings on, ignoring numbers out of range', () => {
    const el = document.createElement('section');
    const a = actions();
    renderSiting(el, analysed, en, context, a);
    change(one(el, 'siting-model'), 'pcenter');
    change(one(el, 'siting-k'), '7', 'input');
    change(one(el, 'siting-k'), '0', 'input');
    change(one(el, 'siting-k'), '500', 'input');
    change(one(el, 'siting-exact'), true);
    change(one(el, 'siting-type'), city.analysis.types[1]!.id);
    expect(a.changeSettings.mock.calls).toEqual([
      [{ model: 'pcenter' }, true],
      [{ k: 7 }, false],
      [{ exact: true }, false],
    ]);
    expect(a.chooseType).toHaveBeenCalledWith(city.analysis.types[1]!.id);
    one(el, 'run-siting').click();
    expect(a.runSiting).toHaveBeenCalledOnce();
  });

  it('offers loaded candidates only once a candidates file is loaded', () => {
    const el = document.createElement('section');
    const a = actions();
    renderSiting(el, analysed, en, context, a);
    expect((one(el, 'candidates-loaded') as HTMLInputElement).disabled).toBe(true);
    renderSiting(el, analysed, en, { ...context, candidatesFile: { name: 'c.geojson', features: 12 } }, a);
    expect((one(el, 'candidates-loaded') as HTMLInputElement).disabled).toBe(false);
    expect(one(el, 'candidates-loaded').parentElement?.textContent).toContain('12');
    change(one(el, 'candidates-loaded'), true);
    expect(a.changeSettings).toHaveBeenCalledWith({ candidates: { kind: 'loaded' } }, true);
  });

  it("passes the CLI's constraints on as siteFacilities takes them, ignoring negative numbers", () => {
    const el = document.createElement('section');
    const a = actions();
    renderSiting(el, analysed, en, context, a);
    // No budget until ticked; its fields appear with it.
    expect(byTestId(el, 'siting-budget')).toHaveLength(0);
    change(one(el, 'siting-budget-on'), true);
    change(one(el, 'siting-min-spacing'), '300', 'input');
    change(one(el, 'siting-min-spacing'), '-1', 'input');
    change(one(el, 'siting-min-per-district'), '1', 'input');
    // Each field sends only what it changes: the page lays it over the constraints as they are then.
    expect(a.changeConstraints.mock.calls).toEqual([
      [{ budget: 5 }, true],
      [{ minSpacingM: 300 }, false],
      [{ minPerDistrict: 1 }, false],
    ]);
    const budgeted = sitingSettingsChanged(analysed, {
      constraints: { ...NO_SITING_CONSTRAINTS, budget: 12 },
    });
    renderSiting(el, budgeted, en, context, a);
    expect((one(el, 'siting-budget') as HTMLInputElement).value).toBe('12');
    change(one(el, 'siting-default-cost'), '2.5', 'input');
    expect(a.changeConstraints).toHaveBeenLastCalledWith({ defaultCost: 2.5 }, false);
  });

  it('clips to the study area only once one is loaded, and names the loaded areas', () => {
    const el = document.createElement('section');
    const a = actions();
    renderSiting(el, analysed, en, context, a);
    expect((one(el, 'siting-clip-study-area') as HTMLInputElement).disabled).toBe(true);
    expect(one(el, 'siting-area-excluded-file').textContent).toBe(en.t('areaNotLoaded'));
    one(el, 'siting-area-excluded').querySelector('button')!.click();
    expect(a.loadSitingArea).toHaveBeenCalledWith('excluded');
    const areaFiles = new Map([
      ['excluded', { name: 'excluded.geojson', features: 2 }],
      ['studyArea', { name: 'study-area.geojson', features: 1 }],
    ] as const);
    renderSiting(el, analysed, en, { ...context, areaFiles }, a);
    expect(one(el, 'siting-area-excluded-file').textContent).toBe('excluded.geojson (2 polygons)');
    const clip = one(el, 'siting-clip-study-area') as HTMLInputElement;
    expect(clip.disabled).toBe(false);
    change(clip, true);
    expect(a.changeConstraints).toHaveBeenLastCalledWith({ clipToStudyArea: true }, false);
  });

  it('toggles proposing, and clears proposals only when there are some', () => {
    const el = document.createElement('section');
    const a = actions();
    renderSiting(el, analysed, en, context, a);
    expect((one(el, 'clear-proposals') as HTMLButtonElement).disabled).toBe(true);
    expect(one(el, 'propose-toggle').getAttribute('aria-pressed')).toBe('false');
    one(el, 'propose-toggle').click();
    expect(a.toggleProposeMode).toHaveBeenCalledOnce();
    renderSiting(el, analysed, en, { ...context, proposeMode: true, proposals: 2 }, a);
    expect(one(el, 'propose-toggle').getAttribute('aria-pressed')).toBe('true');
    one(el, 'clear-proposals').click();
    expect(a.clearProposals).toHaveBeenCalledOnce();
  });

  it("shows a siting run's sites in rank order with their added residents", () => {
    const el = document.createElement('section');
    const a = actions();
    renderSiting(el, siteResultArrived(analysed, sited, request), en, context, a);
    const results = one(el, 'siting-results');
    expect(results.dataset.model).toBe('mclp');
    expect(results.dataset.coveredAfter).toBe(String(sited.coveredAfter));
    const rows = byTestId(el, 'site-row');
    expect(rows.map((r) => [r.dataset.label, r.dataset.added])).toEqual(
      sited.sites.map((s) => [s.label, String(s.addedPopulation)]),
    );
    expect(one(el, 'siting-added-total').textContent).toBe(en.int(sited.coveredAfter - sited.coveredBefore));
    one(el, 'sites-to-proposals').click();
    expect(a.sitesToProposals).toHaveBeenCalledOnce();
    change(one(el, 'show-after'), false);
    expect(a.setShowAfter).toHaveBeenCalledWith(false);
  });

  it('offers no "use as proposals" for the proposals\' own figures', () => {
    const el = document.createElement('section');
    renderSiting(el, siteResultArrived(analysed, city.proposals, null), en, context, actions());
    expect(one(el, 'siting-results').dataset.model).toBe('evaluate');
    expect(byTestId(el, 'sites-to-proposals')).toHaveLength(0);
  });
});
