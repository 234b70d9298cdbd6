// Siting in the worker and its figures on the page: a model run from the siting panel's settings, the
// user's proposed facilities evaluated as they are placed or dragged, and a run's sites turned into
// proposals. Core measures everything (siteFacilities, evaluateProposals); this module chooses the
// request and shows the answer.
import { progressOf } from './analysis-run.js';
import type { Page } from './page.js';
import {
  proposalsReplaced,
  siteResultArrived,
  siteResultCleared,
  sitingTypeChosen,
  type ViewState,
} from './view/state.js';
import type { CandidateSpec, ModelRequest, SitePayload } from './worker/protocol.js';

/**
 * The siting run the panel's settings ask for, or null without an analysis or a type. Loaded
 * candidates asked for without a loaded candidates file fall back to a generated grid.
 */
export function sitingRequest(view: ViewState, candidatesFileLoaded: boolean): ModelRequest | null {
  if (!view.analysis || !view.sitingTypeId) return null;
  const candidates: CandidateSpec =
    view.siting.candidates.kind === 'loaded' && !candidatesFileLoaded
      ? { kind: 'generated', spacingM: 0 }
      : view.siting.candidates;
  return { ...view.siting, typeId: view.sitingTypeId, candidates };
}

/** The box the map flies to to show new sites: their bounds with a margin of a few hundred metres. */
export function sitesView(
  sites: readonly { lon: number; lat: number }[],
): [[number, number], [number, number]] {
  const lons = sites.map((s) => s.lon);
  const lats = sites.map((s) => s.lat);
  return [
    [Math.min(...lons) - 0.004, Math.min(...lats) - 0.003],
    [Math.max(...lons) + 0.004, Math.max(...lats) + 0.003],
  ];
}

/** Figures of the user's proposed facilities (no model needed: core measures them). */
export async function evaluateProposals(page: Page): Promise<void> {
  page.mapView.setProposals(page.view.proposals.map(([lon, lat]) => ({ lon, lat })));
  if (!page.view.analysis || !page.view.sitingTypeId) return;
  if (page.view.proposals.length === 0) {
    page.view = siteResultCleared(page.view);
    page.applyView();
    page.render('siting', 'exports');
    return;
  }
  try {
    const result = await page.worker.site({
      model: 'evaluate',
      typeId: page.view.sitingTypeId,
      proposed: Float64Array.from(page.view.proposals.flat()),
    });
    acceptSiteResult(page, result, null);
  } catch (error) {
    page.showError(error);
  }
}

/** Runs the siting model the panel's settings choose, and shows its sites. */
export async function runSiting(page: Page): Promise<void> {
  const request = sitingRequest(page.view, page.inputs.candidatesFile !== null);
  if (!request) return;
  page.setBusy({ message: page.t('siting') });
  const generation = page.generation;
  try {
    const result = await page.worker.site(request, (p) => page.setBusy(progressOf(page.i18n, p)));
    if (generation !== page.generation) return;
    page.view = proposalsReplaced(page.view, []);
    page.mapView.setProposals([]);
    acceptSiteResult(page, result, request);
    if (result.sites.length > 0) page.mapView.flyTo(sitesView(result.sites));
  } catch (error) {
    page.showError(error);
  } finally {
    page.setBusy(null);
  }
}

/** Turns a siting run's sites into proposals the user can drag (their figures update). */
export function sitesToProposals(page: Page): void {
  const r = page.view.siteResult;
  if (!r || r.model === 'evaluate') return;
  page.view = sitingTypeChosen(
    proposalsReplaced(
      page.view,
      r.sites.map((s) => [s.lon, s.lat]),
    ),
    r.typeId,
  );
  void page.evaluateProposals();
}

/** Shows a siting run's or the proposals' figures (`request`: the siting run, null for proposals). */
function acceptSiteResult(page: Page, result: SitePayload, request: ModelRequest | null): void {
  if (!page.view.analysis) return;
  page.view = siteResultArrived(page.view, result, request);
  page.mapShown.siteShapesShown = false;
  page.mapView.setSiteCatchments(null, 'site');
  page.applyView();
  page.render('controls', 'siting', 'exports');
}
