// Drawing excluded areas on the map and placing proposals without a mouse. An area is drawn corner by
// corner: a click on the map, or *Add a corner at the centre* with the map panned under the cross at
// its centre by the arrow keys; *Finish* keeps it (three corners at least), *Cancel* drops it. Kept
// areas live in the siting constraints (view state), so siting uses them as it uses a loaded
// excluded-areas file and a scenario or a shared link carries them. Their corners can be moved (drag,
// or focus and arrow keys) once the area is chosen for editing, and an area can be removed.
import { LEAST_CORNERS, type Ring } from './drawing/areas.js';
import type { Page } from './page.js';
import {
  type LonLat,
  proposalAdded,
  proposalMoved,
  proposalsReplaced,
  sitingSettingsChanged,
} from './view/state.js';

/** The area being drawn and the one whose corners can be moved: what the panel and map show. */
export interface AreaDrawing {
  /** Corners of the area being drawn, null when none is. */
  draft: LonLat[] | null;
  /** Index of the kept area whose corners are shown for moving, null when none. */
  editing: number | null;
}

function keptAreas(page: Page): readonly Ring[] {
  return page.view.siting.constraints.excludedDrawn;
}

function setKeptAreas(page: Page, excludedDrawn: readonly Ring[]): void {
  page.view = sitingSettingsChanged(page.view, {
    constraints: { ...page.view.siting.constraints, excludedDrawn },
  });
}

/** Draws the areas and the keyboard's cursor on the map, and the siting panel, from the state. */
export function showDrawing(page: Page): void {
  const { draft, editing } = page.drawing;
  page.mapView.setDrawnAreas(keptAreas(page), draft, editing);
  page.mapView.setCrosshair(draft !== null || page.view.proposeMode);
  page.render('siting');
}

/** Starts drawing a new area (a click on the map then adds a corner). */
export function startArea(page: Page): void {
  page.drawing.draft = [];
  page.drawing.editing = null;
  showDrawing(page);
}

/** Adds a corner to the area being drawn: at `at`, or at the map's centre (the keyboard's cursor). */
export function addCorner(page: Page, at: LonLat = page.mapView.centre()): void {
  if (!page.drawing.draft) return;
  page.drawing.draft = [...page.drawing.draft, at];
  showDrawing(page);
}

/** Keeps the area being drawn, if it has corners enough; says so when it has not. */
export function finishArea(page: Page): void {
  const draft = page.drawing.draft;
  if (!draft) return;
  if (draft.length < LEAST_CORNERS) {
    page.setNotice({
      kind: 'info',
      title: page.t('drawnAreas'),
      message: page.t('areaTooFewCorners', { n: draft.length, least: LEAST_CORNERS }),
    });
    return;
  }
  setKeptAreas(page, [...keptAreas(page), draft]);
  page.drawing.draft = null;
  showDrawing(page);
}

/** Drops the area being drawn. */
export function cancelArea(page: Page): void {
  page.drawing.draft = null;
  showDrawing(page);
}

/** Removes kept area `index`. */
export function removeArea(page: Page, index: number): void {
  setKeptAreas(
    page,
    keptAreas(page).filter((_, i) => i !== index),
  );
  const editing = page.drawing.editing;
  page.drawing.editing =
    editing === index ? null : editing !== null && editing > index ? editing - 1 : editing;
  showDrawing(page);
}

/** Shows the corners of kept area `index` for moving (null: of none). */
export function editArea(page: Page, index: number | null): void {
  page.drawing.editing = index;
  showDrawing(page);
}

/** A corner was dragged or nudged: of kept area `area`, or of the area being drawn (null). */
export function moveCorner(page: Page, area: number | null, corner: number, at: LonLat): void {
  const replace = (ring: Ring): LonLat[] => ring.map((p, i) => (i === corner ? at : [p[0], p[1]]));
  if (area === null) {
    if (page.drawing.draft) page.drawing.draft = replace(page.drawing.draft);
  } else {
    setKeptAreas(
      page,
      keptAreas(page).map((ring, i) => (i === area ? replace(ring) : ring)),
    );
  }
  showDrawing(page);
}

/** Places a proposed facility at the map's centre (the keyboard's cursor). */
export function proposeAtCentre(page: Page): void {
  page.view = proposalAdded(page.view, page.mapView.centre());
  void page.evaluateProposals();
}

/** Moves proposal `index` to the map's centre. */
export function moveProposalToCentre(page: Page, index: number): void {
  page.view = proposalMoved(page.view, index, page.mapView.centre());
  void page.evaluateProposals();
}

/** Removes proposal `index`. */
export function removeProposal(page: Page, index: number): void {
  page.view = proposalsReplaced(
    page.view,
    page.view.proposals.filter((_, i) => i !== index),
  );
  void page.evaluateProposals();
}
