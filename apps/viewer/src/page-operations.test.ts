// The page's operations in Node (analysis-run.ts, worker-loading.ts, scenario-open.ts, map-sync.ts),
// through a test page whose worker is the real engine: what each leaves in the view state, the loaded
// inputs and the map, and that an operation a cancel overtook leaves the page as it was.
import { describe, expect, it } from 'vitest';
import { progressOf, runAnalysis } from './analysis-run.js';
import { scenarioOf } from './exports.js';
import { JsonFileError } from './json.js';
import { legendClearance, mainDistrictMembers } from './map-sync.js';
import { openScenario } from './scenario-open.js';
import { shareableScenario, shareHash } from './share.js';
import { openSharedLink, resumeSharedLink } from './shared-link.js';
import { cityFiles, inThreadWorkerClient, loadedCityPage, type TestPage, testPage } from './test-page.js';
import { I18n } from './ui/i18n.js';
import { DEFAULT_OPTIONS, modeChosen, proposalAdded, sitingTypeChosen, workCancelled } from './view/state.js';
import { Engine } from './worker/engine.js';
import type { AnalysisPayload } from './worker/protocol.js';
import { handleFiles } from './worker-loading.js';

describe('progressOf', () => {
  it('names the worker’s stages in the interface language and keeps the step count', () => {
    expect(progressOf(new I18n('en'), { stage: 'solve', message: 'solving', done: 3, total: 9 })).toEqual({
      message: 'Solving the siting model',
      done: 3,
      total: 9,
    });
    expect(progressOf(new I18n('zh-CN'), { stage: 'validate', message: 'x' })).toEqual({
      message: '检查社区和设施数据',
    });
  });

  it('keeps the worker’s own message for a stage it does not know', () => {
    expect(progressOf(new I18n('en'), { stage: 'toString', message: 'reading' })).toEqual({
      message: 'reading',
    });
  });
});

/**
 * Cancels as the page's cancel button does (App.cancel) once a profile check reports progress, so
 * after the analysis before it has ended; the returned function waits for the worker's replacement
 * (and fails when no check ran).
 */
function cancelWhenChecking(page: TestPage): () => Promise<void> {
  const evaluating = page.t('profileEvaluating');
  const setBusy = page.setBusy;
  let cancelled: Promise<void> | null = null;
  page.setBusy = (busy) => {
    setBusy(busy);
    if (cancelled || !busy?.message.startsWith(evaluating)) return;
    page.cancel();
    page.view = workCancelled(page.view, page.t('cancelled'));
    cancelled = page.worker.cancel();
  };
  return async () => {
    expect(cancelled).not.toBeNull();
    await cancelled;
  };
}

describe('dropping files and analysing', () => {
  it('loads dropped communities and facilities, analyses, checks and fits the map once', async () => {
    const page = await loadedCityPage();
    expect(page.errors).toEqual([]);
    expect(page.view.analysis!.communities.count).toBe(40);
    expect(page.view.compliance).not.toBeNull();
    expect(page.inputs.files.map((f) => [f.role, f.name])).toEqual([
      ['communities', 'communities.geojson'],
      ['facilities', 'facilities.geojson'],
    ]);
    expect(page.inputs.bundled).toBe(false);
    expect(page.mapShown.fitted).toBe(true);
    expect(page.mapCalls.filter(([name]) => name === 'fit')).toHaveLength(1);
    expect(page.view.busy).toBeNull();
  });

  it('tells which dropped file it does not know, and loads nothing from it', async () => {
    const page = testPage();
    await handleFiles(page, [new File(['hello'], 'notes.bin')]);
    expect(page.view.notice?.message).toContain('notes.bin');
    expect(page.view.analysis).toBeNull();
  });

  it('keeps the shown analysis when a cancel overtakes a new one', async () => {
    const page = await loadedCityPage();
    const shown = page.view.analysis;
    const running = runAnalysis(page, { ...DEFAULT_OPTIONS, gapThreshold: 0.9 });
    page.cancel();
    expect(await running).toBe(false);
    expect(page.view.analysis).toBe(shown);
  });

  it('keeps drawing the communities when the same inputs are analysed again', async () => {
    // The worker sends the communities' map data only with new inputs: a re-analysis (another gap
    // threshold) carries the shown data, and the map neither empties nor redraws the communities.
    const page = await loadedCityPage();
    const geometry = page.view.analysis!.geometry;
    expect(geometry).not.toBeNull();
    expect(await runAnalysis(page, { ...DEFAULT_OPTIONS, gapThreshold: 0.9 })).toBe(true);
    expect(page.view.analysis!.geometry).toBe(geometry);
    expect(page.mapCalls.filter(([name]) => name === 'setCommunities').map(([, , count]) => count)).toEqual([
      40,
    ]);
  });

  it('keeps the shown city, on the page and in the worker, when a cancel overtakes the check of a new one', async () => {
    // The real worker client over the engine: a cancel replaces its worker and replays what it holds.
    const engine = new Engine();
    const page = testPage(engine, { worker: inThreadWorkerClient(engine) });
    const shownCity = cityFiles(40, 14);
    await handleFiles(page, [shownCity.communities, shownCity.facilities]);
    const { analysis, compliance } = page.view;
    expect(analysis!.communities.count).toBe(40);
    const cancelled = cancelWhenChecking(page);
    const newCity = cityFiles(60, 20);
    await handleFiles(page, [newCity.communities, newCity.facilities]);
    await cancelled();
    expect(page.errors).toEqual([]);
    expect(page.view.analysis).toBe(analysis);
    expect(page.view.compliance).toBe(compliance);
    expect(page.view.statusText).toBe(page.t('cancelled'));
    // The map drew the new city while its check ran, then the shown one again.
    const drawn = page.mapCalls.filter(([name]) => name === 'setCommunities').map(([, , count]) => count);
    expect(drawn).toEqual([40, 60, 40]);
    // The replacement worker holds the city shown, with its check: exports and cards answer for it.
    const exported = JSON.parse((await page.worker.export('geojson')).text);
    expect(exported.features).toHaveLength(40);
    const judged = JSON.parse((await page.worker.export('compliance-geojson')).text);
    expect(judged.features).toHaveLength(40);
  });

  it('shows no city when a cancel overtakes the check of the page’s first analysis', async () => {
    const engine = new Engine();
    const page = testPage(engine, { worker: inThreadWorkerClient(engine) });
    const cancelled = cancelWhenChecking(page);
    const city = cityFiles(40, 14);
    await handleFiles(page, [city.communities, city.facilities]);
    await cancelled();
    expect(page.view.analysis).toBeNull();
    expect(page.view.compliance).toBeNull();
    expect(page.inputs.files).toEqual([]);
    expect(page.mapCalls.filter(([name]) => name === 'setCommunities').map(([, , count]) => count)).toEqual([
      40, 0,
    ]);
  });
});

describe('openScenario', () => {
  it('opens a saved scenario of the user’s files as it was saved: inputs, type, proposals', async () => {
    const saved = await loadedCityPage();
    saved.view = sitingTypeChosen(modeChosen(saved.view, 'type', 'kindergarten'), 'kindergarten');
    const b = saved.view.analysis!.communities.bbox;
    saved.view = proposalAdded(saved.view, [b[0]!, b[1]!]);
    const scenario = scenarioOf(saved.view, {
      bundled: false,
      embedded: saved.inputs.embedded,
      map: { locale: 'en', center: [b[0]!, b[1]!], zoom: 14, basemap: null },
    });
    const page = testPage();
    await openScenario(page, 'mine.lifecircle.json', JSON.parse(JSON.stringify(scenario)));
    expect(page.errors).toEqual([]);
    expect(page.view.analysis!.communities.count).toBe(40);
    expect(page.view.mode).toBe('type');
    expect(page.view.typeId).toBe('kindergarten');
    expect(page.view.proposals).toEqual([[b[0], b[1]]]);
    expect(page.view.siteResult?.model).toBe('evaluate');
    expect(page.inputs.files.map((f) => f.role)).toContain('scenario');
    expect(page.mapCalls).toContainEqual(['jumpTo', { center: [b[0], b[1]], zoom: 14 }]);
  });

  it('holds a link made on the user’s files until they are dropped again, then shows the same figures', async () => {
    const saved = await loadedCityPage();
    saved.view = sitingTypeChosen(modeChosen(saved.view, 'type', 'kindergarten'), 'kindergarten');
    const b = saved.view.analysis!.communities.bbox;
    saved.view = proposalAdded(saved.view, [b[0]!, b[1]!]);
    await saved.evaluateProposals();
    const made = scenarioOf(saved.view, {
      bundled: false,
      embedded: saved.inputs.embedded,
      map: { locale: 'en', center: [b[0]!, b[1]!], zoom: 14, basemap: null },
    });
    const { scenario, missing } = shareableScenario(made);
    expect(missing.map((m) => m.role)).toEqual(['communities', 'facilities']);
    const page = testPage();
    await openSharedLink(page, shareHash(scenario));
    // Nothing to show yet: the link names the files it needs.
    expect(page.view.analysis).toBeNull();
    expect(page.view.notice?.message).toContain(missing.map((m) => m.name).join(', '));
    const { communities, facilities } = cityFiles();
    await handleFiles(page, [communities]);
    await resumeSharedLink(page);
    expect(page.pendingLink).not.toBeNull();
    // One of the two is not enough (the analysis needs both): the link still waits.
    page.errors.length = 0;
    await handleFiles(page, [communities, facilities]);
    await resumeSharedLink(page);
    expect(page.pendingLink).toBeNull();
    expect(page.errors).toEqual([]);
    expect(page.view.typeId).toBe('kindergarten');
    expect(page.view.proposals).toEqual([[b[0], b[1]]]);
    expect(page.view.siteResult?.coveredAfter).toBe(saved.view.siteResult!.coveredAfter);
    expect(page.view.siteResult?.coveredBefore).toBe(saved.view.siteResult!.coveredBefore);
    expect(page.view.gaps).toEqual(saved.view.gaps);
  });

  it('names the file when it is not a scenario', async () => {
    const page = testPage();
    const opening = openScenario(page, 'odd.lifecircle.json', { format: 'something else' });
    await expect(opening).rejects.toThrow(JsonFileError);
    await expect(opening).rejects.toThrow(/^odd\.lifecircle\.json: not a scenario file/);
  });
});

describe('fitting the map', () => {
  it('fits to the most populous district (hand-worked: B holds 70 of 100 people)', () => {
    const a = {
      communities: { districts: ['A', 'B', null, 'B'], population: Float64Array.of(20, 30, 10, 40) },
    } as unknown as AnalysisPayload;
    expect(mainDistrictMembers(a)).toEqual([1, 3]);
  });

  it('keeps room for the legend on a tall map only', () => {
    expect(legendClearance(400)).toBe(40);
    expect(legendClearance(600)).toBe(240);
    expect(legendClearance(1000)).toBe(250);
  });
});
