// Running an analysis and its profile check in the worker and showing them: the busy state with the
// worker's progress in the interface language, the analysis' state transition, the map's layers, and
// the community card's items. An operation started before a cancel (another generation) stops at its
// next step and leaves the page as it was.

import { meanLat } from './map/places.js';
import { fitMain, mapAnalysisReset } from './map-sync.js';
import type { Page } from './page.js';
import type { I18n, TextKey } from './ui/i18n.js';
import {
  analysisCancelled,
  analysisFinished,
  cardItemsLoaded,
  checkFailed,
  checkFinished,
  checkStarted,
} from './view/state.js';
import type { AnalysisPayload, AnalyzeOptions, MapParts } from './worker/protocol.js';

/** The worker's progress stages and their names in the interface language. */
const STAGE_TEXT: Readonly<Record<string, TextKey>> = {
  validate: 'stageValidate',
  demand: 'stageDemand',
  index: 'stageIndex',
  measure: 'stageMeasure',
  summarize: 'stageSummarize',
  candidates: 'stageCandidates',
  table: 'stageTable',
  solve: 'stageSolve',
  report: 'stageReport',
};

/** A worker progress message in the interface language, with the step count when there is one. */
export function progressOf(
  i18n: I18n,
  p: { stage: string; message: string; done?: number; total?: number },
): { message: string; done?: number; total?: number } {
  const key = Object.hasOwn(STAGE_TEXT, p.stage) ? STAGE_TEXT[p.stage] : undefined;
  return {
    message: key ? i18n.t(key) : p.message,
    ...(p.done !== undefined ? { done: p.done } : {}),
    ...(p.total !== undefined ? { total: p.total } : {}),
  };
}

/**
 * Runs an analysis and shows it, then judges it against the standard profile; false when the
 * analysis failed or was cancelled. A cancel during the analysis or the check that follows leaves the
 * page as it was before the run (the worker too: WorkerClient.commit).
 */
export async function runAnalysis(page: Page, options: AnalyzeOptions): Promise<boolean> {
  page.setBusy({ message: page.t('analysing') });
  const generation = page.generation;
  const before = page.view;
  try {
    const payload = await page.worker.analyze(options, (p) => page.setBusy(progressOf(page.i18n, p)));
    if (generation !== page.generation) return false;
    page.view = analysisFinished(page.view, payload, options, readyMessage(page, payload));
    const fitted = await showAnalysis(page);
    await page.runCheck();
    if (generation !== page.generation) {
      // The analysis is shown while its check runs (a big city's check takes long): a cancel
      // overtook the check, so the analysis shown before comes back.
      page.view = analysisCancelled(page.view, before);
      await showAnalysis(page, fitted);
      return false;
    }
    page.worker.commit();
    return true;
  } catch (error) {
    page.showError(error);
    return false;
  } finally {
    page.setBusy(null);
  }
}

/**
 * Draws the state's analysis on the map (its communities and facilities; none: the map emptied) and
 * the panels. Fits the map to it when the map was not fitted yet, or when `refit` (it was fitted to
 * the analysis being taken back); says whether it fitted.
 */
async function showAnalysis(page: Page, refit = false): Promise<boolean> {
  const analysis = page.view.analysis;
  mapAnalysisReset(page);
  // Fitted before the data is drawn: every source then asks for the tiles of the view it ends in,
  // once, as its data is added (the facilities a type per frame). Fitted after, each source had laid
  // out the old view's tiles, dropped them at the fit and asked for its new ones at the same moment
  // as every other source (about 70 at 20,000 × 200,000).
  const fits = analysis !== null && (!page.mapShown.fitted || refit);
  if (fits) {
    fitMain(page);
    page.mapShown.fitted = true;
  }
  // A re-analysis of the same inputs carries the communities' map data it was given (the worker sends
  // it only when the inputs changed): the map keeps drawing it rather than drawing it anew.
  const geometry = analysis?.geometry ?? null;
  if (geometry !== page.mapShown.geometryShown) {
    await page.mapView.setCommunities(geometry ?? NO_FEATURES, analysis?.communities.count ?? 0);
    page.mapShown.geometryShown = geometry;
  }
  // Facilities may change with every analysis (include planned, radii), so their layers are rebuilt
  // here, with the data; view changes never rebuild them.
  await page.mapView.setFacilities(
    analysis?.facilityPoints ?? [],
    analysis?.types.map((t) => t.radius_m) ?? [],
    analysis ? meanLat(analysis.communities.bbox) : 0,
  );
  page.applyView();
  if (analysis && page.view.proposals.length > 0) await page.evaluateProposals();
  page.render();
  return fits;
}

/** An empty GeoJSON layer, drawn when the analysis taken back was the page's first. */
const NO_FEATURES: MapParts = {
  parts: [new Blob(['{"type":"FeatureCollection","features":[]}'], { type: 'application/json' })],
  partOf: new Uint16Array(0),
};

/**
 * The status line after an analysis: its time and the threads it ran on, or why it ran on one (a page
 * served without cross-origin isolation has no shared memory for the worker pool).
 */
function readyMessage(page: Page, payload: AnalysisPayload): string {
  const ms = Math.round(payload.timeMs);
  if (payload.threads > 1) return page.t('readyThreads', { ms, threads: payload.threads });
  if (!globalThis.crossOriginIsolated) return page.t('readyOneThread', { ms });
  return page.t('ready', { ms });
}

/** Judges the analysed city against the chosen standard profile (core's checkStandards). */
export async function runCheck(page: Page): Promise<void> {
  if (!page.view.analysis) return;
  const generation = page.generation;
  const profile = page.view.profileId;
  const token = ++page.checks;
  page.view = checkStarted(page.view);
  page.setBusy({ message: page.t('profileEvaluating') });
  page.render('indicators');
  try {
    const payload = await page.worker.check(
      profile,
      (p) => {
        const progress = progressOf(page.i18n, p);
        page.setBusy({ ...progress, message: `${page.t('profileEvaluating')} ${progress.message}` });
      },
      page.profileFiles.get(profile),
    );
    if (generation !== page.generation || profile !== page.view.profileId) return;
    page.worker.commit();
    page.view = checkFinished(page.view, payload);
    page.applyView();
    page.render();
    if (page.view.selected !== null) void loadCardItems(page, page.view.selected);
  } catch (error) {
    if (token !== page.checks) return;
    page.view = checkFailed(page.view);
    page.showError(error);
    page.render();
  } finally {
    // A check superseded by a newer one (another profile chosen meanwhile) leaves the busy state to it.
    if (token === page.checks) page.setBusy(null);
  }
}

/** Asks the worker for a community's compliance items (with core's reasons) for its card. */
export async function loadCardItems(page: Page, c: number): Promise<void> {
  const comp = page.view.compliance;
  if (!comp) return;
  try {
    const items = await page.worker.items(c);
    if (page.view.selected !== c || page.view.compliance !== comp) return;
    page.view = cardItemsLoaded(page.view, items);
    page.render('card');
  } catch (error) {
    page.showError(error);
  }
}
