// Drawing excluded areas and placing proposals without a mouse (drawing-run.ts), on the test page:
// what each step leaves in the siting constraints, and the polygons siting receives.
import { describe, expect, it } from 'vitest';
import { DRAWN_AREAS_NAME, drawnCollection, excludedAreasOf } from './drawing/areas.js';
import * as drawing from './drawing-run.js';
import { TEST_MAP_CENTRE, testPage } from './test-page.js';

const corners: [number, number][] = [
  [106.6, 35.5],
  [106.61, 35.5],
  [106.61, 35.51],
];

describe('drawing excluded areas', () => {
  it('keeps an area of three corners or more, placed by click or at the map’s centre', () => {
    const page = testPage();
    drawing.startArea(page);
    for (const c of corners) drawing.addCorner(page, c);
    drawing.addCorner(page);
    expect(page.drawing.draft).toEqual([...corners, TEST_MAP_CENTRE]);
    drawing.finishArea(page);
    expect(page.drawing.draft).toBeNull();
    expect(page.view.siting.constraints.excludedDrawn).toEqual([[...corners, TEST_MAP_CENTRE]]);
    expect(page.mapCalls).toContainEqual(['setDrawnAreas', [[...corners, TEST_MAP_CENTRE]], null, null]);
  });

  it('refuses to finish an area of two corners, saying how many it needs', () => {
    const page = testPage();
    drawing.startArea(page);
    drawing.addCorner(page, corners[0]);
    drawing.addCorner(page, corners[1]);
    drawing.finishArea(page);
    expect(page.view.siting.constraints.excludedDrawn).toEqual([]);
    expect(page.view.notice?.message).toBe('An excluded area needs 3 corners at least; this one has 2.');
    drawing.cancelArea(page);
    expect(page.drawing.draft).toBeNull();
  });

  it('moves a corner of an edited area and removes areas, keeping the edited one in step', () => {
    const page = testPage();
    for (const shift of [0, 0.1]) {
      drawing.startArea(page);
      for (const [x, y] of corners) drawing.addCorner(page, [x + shift, y]);
      drawing.finishArea(page);
    }
    drawing.editArea(page, 1);
    drawing.moveCorner(page, 1, 2, [106.8, 35.6]);
    expect(page.view.siting.constraints.excludedDrawn[1]![2]).toEqual([106.8, 35.6]);
    drawing.removeArea(page, 0);
    expect(page.view.siting.constraints.excludedDrawn).toHaveLength(1);
    expect(page.drawing.editing).toBe(0);
    drawing.removeArea(page, 0);
    expect(page.drawing.editing).toBeNull();
  });

  it('gives siting the drawn areas as closed polygons, after a loaded file’s', () => {
    expect(excludedAreasOf(undefined, [])).toBeNull();
    const drawn = excludedAreasOf(undefined, [corners]);
    expect(drawn?.name).toBe(DRAWN_AREAS_NAME);
    expect(drawnCollection([corners]).features[0]!.geometry.coordinates).toEqual([[...corners, corners[0]]]);
    const file = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { id: 'f' }, geometry: null }],
    };
    const both = excludedAreasOf({ name: 'no-build.geojson', value: file }, [corners, corners.slice(0, 2)]);
    expect(both?.name).toBe(`no-build.geojson + ${DRAWN_AREAS_NAME}`);
    // Two corners make no area: the file's feature and one drawn polygon.
    expect((both!.value as { features: unknown[] }).features).toHaveLength(2);
  });
});

describe('proposals without a mouse', () => {
  it('places one at the map’s centre, moves one there and removes one', () => {
    const page = testPage();
    drawing.proposeAtCentre(page);
    expect(page.view.proposals).toEqual([TEST_MAP_CENTRE]);
    page.view = { ...page.view, proposals: [[106.5, 35.4], ...page.view.proposals] };
    drawing.moveProposalToCentre(page, 0);
    expect(page.view.proposals).toEqual([TEST_MAP_CENTRE, TEST_MAP_CENTRE]);
    drawing.removeProposal(page, 1);
    expect(page.view.proposals).toEqual([TEST_MAP_CENTRE]);
  });
});
