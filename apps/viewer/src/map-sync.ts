// The map follows the view state: layer opacities, the types shown, walking and siting catchments, and
// one feature-state write per community whose colour changes; fitting the map to the communities; and
// the timing of a recolour that the browser tests read.
import type { MapView } from './map/map-view.js';
import { unionBBox } from './map/places.js';
import type { Page } from './page.js';
import { communityStyles } from './view/community-colours.js';
import { communityMarks } from './view/honest-marks.js';
import { profileTypes, typeIndex, walkingLoaded } from './view/state.js';
import { unpackPolygons } from './worker/pack.js';
import type { AnalysisPayload } from './worker/protocol.js';

/** Timing of the last recolour, read by the browser tests. */
export interface RecolourTiming {
  /** Main-thread time of computing the colours and writing feature-state. */
  readonly syncMs: number;
  /** Main-thread time of the first map frame after it (null until drawn). */
  frameMs: number | null;
  readonly writes: number;
  readonly communities: number;
}

/**
 * Starts timing a view change: the main-thread time until `finish` and that of the first map frame
 * after it (handed to `timed` at `finish`; its `frameMs` is filled in when the frame is drawn). The
 * frame callback is registered before any map change, so it runs just before MapLibre's in the next
 * frame, and the frame is measured from there to MapLibre's 'render' event.
 */
export function beginTiming(
  mapView: MapView,
  timed: (timing: RecolourTiming) => void,
): { finish(writes: number, communities: number): void } {
  let frameStart = 0;
  requestAnimationFrame(() => {
    frameStart = performance.now();
  });
  const t0 = performance.now();
  return {
    finish: (writes, communities) => {
      const timing: RecolourTiming = { syncMs: performance.now() - t0, frameMs: null, writes, communities };
      timed(timing);
      const map = mapView.map;
      const onRender = () => {
        if (frameStart === 0) return; // a frame that was already under way before this change
        timing.frameMs = performance.now() - frameStart;
        map.off('render', onRender);
      };
      map.on('render', onRender);
    },
  };
}

const walkingInUse = (page: Page): boolean => page.view.analysis?.distance.kind === 'network';

/**
 * Applies mode, type and layer toggles to the map: layer opacities, then one feature-state write
 * per community whose colour changes. Returns the number of writes.
 */
export function applyView(page: Page): number {
  const { view, mapView, mapShown } = page;
  const a = view.analysis;
  if (!a) return 0;
  const t = typeIndex(view);
  if (view.mode === 'type') {
    mapView.showTypes(new Set(t >= 0 ? [t] : []), t);
  } else if (view.mode === 'profile') {
    mapView.showTypes(new Set(profileTypes(view)), -1);
  } else {
    const shown = view.mode === 'gaps-required' ? view.gaps.requiredTypes : a.types.map((_, i) => i);
    mapView.showTypes(new Set(shown), -1);
  }
  mapView.setCatchmentKind(walkingInUse(page) ? 'walking' : 'radius');
  mapView.setLayerToggles(view.facilitiesOn, view.catchments);
  mapView.setCommunityMarks(communityMarks(view, page.i18n));
  if (walkingInUse(page) && view.catchments && view.mode === 'type' && view.typeId)
    showWalking(page, view.typeId);
  // A siting result shows with its own type only: its sites and the gaps they close.
  const r = view.siteResult;
  const siteShown = r !== null && view.mode === 'type' && view.typeId === r.typeId;
  mapView.setSites(siteShown && r.model !== 'evaluate' ? r.sites : []);
  mapView.highlight(siteShown ? view.closedGaps : []);
  const shapes = siteShown && r.catchments !== null;
  if (shapes !== mapShown.siteShapesShown) {
    mapShown.siteShapesShown = shapes;
    mapView.setSiteCatchments(
      shapes ? unpackPolygons(r!.catchments!) : null,
      r?.model === 'evaluate' ? 'proposal' : 'site',
    );
  }
  const styles = communityStyles(view, (v) => page.i18n.pct0(v));
  const writes = mapView.recolour(styles.colours, styles.patterns);
  page.render('legend');
  return writes;
}

/** Shows the walking catchments of a type, asking the worker for them the first time. */
function showWalking(page: Page, typeId: string): void {
  const { mapShown } = page;
  const shapes = page.view.walking.get(typeId);
  if (shapes) {
    if (mapShown.walkingShown !== typeId) {
      mapShown.walkingShown = typeId;
      page.mapView.setWalkingCatchments(shapes);
    }
    return;
  }
  if (mapShown.walkingPending.has(typeId)) return;
  mapShown.walkingPending.add(typeId);
  const analysis = page.view.analysis;
  void page.worker
    .catchments(typeId)
    .then((payload) => {
      if (page.view.analysis !== analysis) return;
      page.view = walkingLoaded(page.view, typeId, unpackPolygons(payload.shapes));
      const view = page.view;
      if (view.mode === 'type' && view.typeId === typeId && view.catchments) showWalking(page, typeId);
      page.render('legend');
    })
    .catch((error) => page.showError(error))
    .finally(() => mapShown.walkingPending.delete(typeId));
}

/** A new analysis: the map's walking and siting catchments of the previous one go. */
export function mapAnalysisReset(page: Page): void {
  page.mapShown.walkingPending.clear();
  page.mapShown.walkingShown = null;
  page.mapView.setWalkingCatchments(null);
  page.mapShown.siteShapesShown = false;
  page.mapView.setSiteCatchments(null, 'site');
}

/** The communities of the most populous district (the city proper). */
export function mainDistrictMembers(a: AnalysisPayload): number[] {
  const byDistrict = new Map<string, number>();
  a.communities.districts.forEach((d, c) => {
    byDistrict.set(d ?? '', (byDistrict.get(d ?? '') ?? 0) + a.communities.population[c]!);
  });
  const main = [...byDistrict].sort((x, y) => y[1] - x[1])[0]?.[0];
  return a.communities.districts.flatMap((d, c) => ((d ?? '') === main ? [c] : []));
}

/** Pixels to keep free at the bottom of the map for the legend, when the map is tall enough. */
export function legendClearance(mapHeight: number): number {
  return mapHeight > 500 ? Math.min(mapHeight * 0.4, 250) : 40;
}

/** Fits the map to the communities of the most populous district (the city proper). */
export function fitMain(page: Page): void {
  const a = page.view.analysis;
  if (!a) return;
  page.mapView.fit(
    unionBBox(a.communities.bbox, mainDistrictMembers(a)),
    false,
    legendClearance(page.mapHeight),
  );
}

/** Fits the map to every community, animated. */
export function fitAll(page: Page): void {
  const a = page.view.analysis;
  if (!a) return;
  page.mapView.fit(
    unionBBox(
      a.communities.bbox,
      Array.from({ length: a.communities.count }, (_, i) => i),
    ),
    true,
    legendClearance(page.mapHeight),
  );
}
