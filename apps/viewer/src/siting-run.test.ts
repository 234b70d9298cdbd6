// Siting on the page, in Node: the request the panel's settings make, the box the map flies to, and a
// run and a proposal evaluation through a test page whose worker is the real engine.
import { beforeEach, describe, expect, it } from 'vitest';
import { evaluateProposals, runSiting, sitesToProposals, sitesView, sitingRequest } from './siting-run.js';
import { loadedCityPage, type TestPage } from './test-page.js';
import { proposalAdded, sitingSettingsChanged, sitingTypeChosen } from './view/state.js';

let page: TestPage;

beforeEach(async () => {
  page = await loadedCityPage();
  page.view = sitingTypeChosen(page.view, 'kindergarten');
});

describe('sitingRequest', () => {
  it('asks for the panel settings with the chosen type', () => {
    const request = sitingRequest(page.view, false);
    expect(request).toMatchObject({ model: page.view.siting.model, typeId: 'kindergarten' });
  });

  it('falls back to a generated grid when loaded candidates are asked for but none are loaded', () => {
    const loaded = sitingSettingsChanged(page.view, { candidates: { kind: 'loaded' } });
    expect(sitingRequest(loaded, false)!.candidates).toEqual({ kind: 'generated', spacingM: 0 });
    expect(sitingRequest(loaded, true)!.candidates).toEqual({ kind: 'loaded' });
  });

  it('asks nothing without a type', () => {
    expect(sitingRequest(sitingTypeChosen(page.view, null), true)).toBeNull();
  });
});

describe('sitesView', () => {
  it('is the sites’ bounds with 0.004° of longitude and 0.003° of latitude either side', () => {
    const [[w, s], [e, n]] = sitesView([
      { lon: 106.6, lat: 35.5 },
      { lon: 106.7, lat: 35.55 },
    ]);
    expect([w, s, e, n].map((v) => Number(v.toFixed(6)))).toEqual([106.596, 35.497, 106.704, 35.553]);
  });
});

describe('runSiting and proposals', () => {
  it('shows a run’s sites, clears the proposals and flies to the sites', async () => {
    page.view = proposalAdded(page.view, [0, 0]);
    await runSiting(page);
    const result = page.view.siteResult!;
    expect(result.typeId).toBe('kindergarten');
    expect(result.sites.length).toBeGreaterThan(0);
    expect(page.view.proposals).toEqual([]);
    expect(page.mapCalls.filter(([name]) => name === 'flyTo')).toEqual([['flyTo', sitesView(result.sites)]]);
    expect(page.renders.at(-1)).toEqual(['controls', 'siting', 'exports']);
    expect(page.view.busy).toBeNull();
  });

  it('turns a run’s sites into proposals, whose figures come back as an evaluation', async () => {
    await runSiting(page);
    const sites = page.view.siteResult!.sites;
    sitesToProposals(page);
    expect(page.view.proposals).toEqual(sites.map((s) => [s.lon, s.lat]));
    await evaluateProposals(page);
    expect(page.view.siteResult!.model).toBe('evaluate');
  });

  it('clears the figures when the last proposal goes', async () => {
    page.view = proposalAdded(page.view, [
      page.view.analysis!.communities.bbox[0]!,
      page.view.analysis!.communities.bbox[1]!,
    ]);
    await evaluateProposals(page);
    expect(page.view.siteResult?.model).toBe('evaluate');
    page.view = { ...page.view, proposals: [] };
    await evaluateProposals(page);
    expect(page.view.siteResult).toBeNull();
    expect(page.renders.at(-1)).toEqual(['siting', 'exports']);
  });

  it('drops a run that a cancel overtook', async () => {
    const running = runSiting(page);
    page.cancel();
    await running;
    expect(page.view.siteResult).toBeNull();
  });
});
