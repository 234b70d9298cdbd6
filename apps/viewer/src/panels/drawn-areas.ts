// Two blocks of the siting panel that work without a mouse: the excluded areas drawn on the map (draw,
// add a corner at the map's centre, finish or cancel; choose an area to move its corners; remove it)
// and the proposed facilities (place one at the map's centre, move one there, remove one). The map's
// centre is the keyboard's cursor: the arrow keys pan the map under the cross drawn there.
import type { Ring } from '../drawing/areas.js';
import { h } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';

/** What the drawing shows: corners of the area being drawn (null: none), the area being edited. */
export interface DrawingContext {
  readonly draftCorners: number | null;
  readonly editing: number | null;
}

export interface DrawingActions {
  startArea(): void;
  addCornerAtCentre(): void;
  finishArea(): void;
  cancelArea(): void;
  /** Shows the corners of area `index` for moving (null: hides them). */
  editArea(index: number | null): void;
  removeArea(index: number): void;
  proposeAtCentre(): void;
  moveProposalToCentre(index: number): void;
  removeProposal(index: number): void;
}

function button(label: string, testid: string, onclick: () => void, extra: Record<string, string> = {}) {
  return h('button', { type: 'button', 'data-testid': testid, onclick, ...extra }, label);
}

/** The drawn excluded areas: the drawing controls and one row per kept area. */
export function drawnAreasBlock(
  areas: readonly Ring[],
  drawing: DrawingContext,
  i18n: I18n,
  actions: DrawingActions,
): HTMLElement {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const drafting = drawing.draftCorners !== null;
  return h(
    'div',
    { class: 'drawn-areas', 'data-testid': 'drawn-areas' },
    h('span', {}, `${tr('drawnAreas')}：`),
    drafting
      ? h(
          'div',
          { class: 'row' },
          h(
            'span',
            { 'data-testid': 'draft-corners', 'aria-live': 'polite' },
            tr('draftCorners', { n: drawing.draftCorners ?? 0 }),
          ),
          button(tr('addCornerAtCentre'), 'add-corner', () => actions.addCornerAtCentre()),
          button(tr('finishArea'), 'finish-area', () => actions.finishArea()),
          button(tr('cancelArea'), 'cancel-area', () => actions.cancelArea()),
        )
      : button(tr('drawArea'), 'draw-area', () => actions.startArea()),
    drafting ? h('p', { class: 'hint' }, tr('drawAreaHint')) : null,
    areas.length > 0
      ? h(
          'ul',
          { class: 'drawn-list' },
          ...areas.map((ring, i) =>
            h(
              'li',
              { 'data-testid': 'drawn-area' },
              h('span', {}, tr('drawnArea', { n: i + 1, corners: ring.length })),
              button(
                drawing.editing === i ? tr('stopEditingArea') : tr('editArea'),
                'edit-area',
                () => actions.editArea(drawing.editing === i ? null : i),
                { 'aria-pressed': String(drawing.editing === i) },
              ),
              button(tr('removeArea'), 'remove-area', () => actions.removeArea(i)),
            ),
          ),
        )
      : null,
  );
}

/** The proposed facilities, placed, moved and removed from the panel (the map's centre is the cursor). */
export function proposalsBlock(proposals: number, i18n: I18n, actions: DrawingActions): HTMLElement {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  return h(
    'div',
    { class: 'proposal-keys', 'data-testid': 'proposal-keys' },
    button(tr('proposeAtCentre'), 'propose-at-centre', () => actions.proposeAtCentre()),
    proposals > 0
      ? h(
          'ul',
          { class: 'drawn-list' },
          ...Array.from({ length: proposals }, (_, i) =>
            h(
              'li',
              { 'data-testid': 'proposal-item' },
              h('span', {}, `P${i + 1}`),
              button(tr('moveToCentre'), 'move-proposal', () => actions.moveProposalToCentre(i)),
              button(tr('removeProposal'), 'remove-proposal', () => actions.removeProposal(i)),
            ),
          ),
        )
      : null,
  );
}
