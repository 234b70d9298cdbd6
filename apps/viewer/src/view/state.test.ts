// The view state's transitions on real payloads (the worker engine on a small synthetic city): what
// each event resets, keeps and restores, and that no transition changes the state it was given.

import type { FeatureCollection } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analysisFinished,
  cardItemsLoaded,
  checkFinished,
  checkStarted,
  communitySelected,
  initialViewState,
  modeChosen,
  profileChosen,
  profileItemChosen,
  proposalAdded,
  proposalMoved,
  proposalsReplaced,
  proposeModeToggled,
  siteResultArrived,
  type ViewState,
  walkingLoaded,
  workCancelled,
  workStarted,
} from './state.js';
import { type TestCity, testCity } from './test-city.js';

let city: TestCity;
beforeAll(async () => {
  city = await testCity();
});

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The bundled-city flow up to verdicts under the complete-community profile. */
function checked(): ViewState {
  let s = initialViewState('complete-community');
  s = analysisFinished(s, city.analysis, city.options, 'ready');
  s = checkStarted(s);
  return checkFinished(s, city.completeCommunity);
}

describe('analysisFinished', () => {
  it('counts gaps per community independently of the page: required types and all types', () => {
    const s = analysisFinished(initialViewState(), city.analysis, city.options, 'ready');
    const a = city.analysis;
    const T = a.types.length;
    const required = a.types.map((t) => t.required);
    const anyRequired = required.some(Boolean);
    for (let c = 0; c < a.communities.count; c++) {
      const gaps = a.types.map((_, t) => a.communities.gap[c * T + t] === 1);
      expect(s.gaps.all[c]).toBe(gaps.filter(Boolean).length);
      expect(s.gaps.required[c]).toBe(gaps.filter((g, t) => g && (!anyRequired || required[t])).length);
    }
    expect(s.gaps.all.some((n) => n > 0)).toBe(true);
  });

  it('resets in one step everything derived from the previous analysis', () => {
    let s = checked();
    s = communitySelected(s, 3);
    s = cardItemsLoaded(s, { kind: 'items', community: 3, profile: 'complete-community', items: [] });
    s = walkingLoaded(s, 'kindergarten', EMPTY);
    s = siteResultArrived(s, city.proposals, null);
    expect(s.siteResult).not.toBeNull();
    const next = analysisFinished(s, city.analysis, city.options, 'again');
    expect(next.compliance).toBeNull();
    expect(next.check).toEqual({ status: 'idle' });
    expect(next.selected).toBeNull();
    expect(next.cardItems).toBeNull();
    expect(next.walking.size).toBe(0);
    expect(next.siteResult).toBeNull();
    expect(next.closedGaps).toEqual([]);
    expect(next.statusText).toBe('again');
    // What the user chose stays: the profile, the mode and the shown type.
    expect(next.profileId).toBe('complete-community');
    expect(next.mode).toBe(s.mode);
    expect(next.typeId).toBe('kindergarten');
  });

  it('shows the first required type when the shown type is not in the analysis', () => {
    const s = analysisFinished(
      modeChosen(initialViewState(), 'type', 'no_such_type'),
      city.analysis,
      city.options,
      '',
    );
    const firstRequired = city.analysis.types.find((t) => t.required) ?? city.analysis.types[0];
    expect(s.typeId).toBe(firstRequired!.id);
    expect(s.sitingTypeId).toBe(firstRequired!.id);
  });
});

describe('cancelling', () => {
  it('a profile check puts back the previous profile and its verdicts, unchanged', () => {
    const before = profileItemChosen(checked(), city.completeCommunity.requirements[0]!.id);
    let s = profileChosen(before, 'pingliang-2025');
    expect(s.compliance).toBeNull();
    expect(s.check.status).toBe('running');
    // Choosing yet another profile while the check runs still restores the one shown first.
    s = profileChosen(s, 'gb50180-2018');
    s = workStarted(s, { message: 'checking' });
    const after = workCancelled(s, 'cancelled');
    expect(after.profileId).toBe('complete-community');
    expect(after.compliance).toBe(before.compliance);
    expect(after.profileItem).toBe(before.profileItem);
    expect(after.analysis).toBe(before.analysis);
    expect(after.check).toEqual({ status: 'idle' });
    expect(after.busy).toBeNull();
    expect(after.statusText).toBe('cancelled');
  });

  it('an analysis leaves the shown analysis and verdicts as they were', () => {
    const before = checked();
    const after = workCancelled(workStarted(before, { message: 'analysing' }), 'cancelled');
    expect(after.analysis).toBe(before.analysis);
    expect(after.compliance).toBe(before.compliance);
    expect(after.gaps).toBe(before.gaps);
    expect(after.check).toEqual({ status: 'idle' });
    expect({ ...after, busy: null, statusText: '' }).toEqual({ ...before, busy: null, statusText: '' });
  });

  it('the first check of a new analysis leaves it not evaluated, to be run again', () => {
    let s = analysisFinished(initialViewState(), city.analysis, city.options, 'ready');
    s = checkStarted(s);
    const after = workCancelled(s, 'cancelled');
    expect(after.compliance).toBeNull();
    expect(after.check).toEqual({ status: 'failed' });
  });
});

describe('the profile check', () => {
  it('keeps the shown item when the new verdicts have it, else shows completeness', () => {
    const item = city.completeCommunity.requirements[0]!.id;
    const s = profileItemChosen(checked(), item);
    expect(checkFinished(checkStarted(s), city.completeCommunity).profileItem).toBe(item);
    const other = checkFinished(checkStarted(profileItemChosen(s, 'no_such_item')), city.pingliang);
    expect(other.profileItem).toBeNull();
  });

  it('choosing a profile before any analysis starts no check', () => {
    const s = profileChosen(initialViewState(), 'gb50180-2018');
    expect(s.profileId).toBe('gb50180-2018');
    expect(s.check).toEqual({ status: 'idle' });
  });
});

describe('siteResultArrived', () => {
  it("outlines the communities whose gap the proposals close and shows the proposals' type", () => {
    const s = siteResultArrived(checked(), city.proposals, null);
    const a = city.analysis;
    const T = a.types.length;
    const t = a.types.findIndex((x) => x.id === 'kindergarten');
    const expected: number[] = [];
    for (let c = 0; c < a.communities.count; c++)
      if (a.communities.gap[c * T + t] === 1 && city.proposals.gapAfter[c] === 0) expected.push(c);
    expect(s.closedGaps).toEqual(expected);
    expect(s.mode).toBe('type');
    expect(s.typeId).toBe('kindergarten');
    expect(s.lastSiting).toBeNull();
  });
});

/**
 * The state as a deep copy can hold it: the analysis's map Blobs (immutable, so unchanged exactly
 * when they are the same objects) are left out, because happy-dom's Blob does not survive
 * `structuredClone`; the test checks them by identity.
 */
function copyableState(state: ViewState) {
  const { analysis } = state;
  return {
    ...state,
    walking: [...state.walking],
    analysis: analysis && { ...analysis, geometry: null, facilityPoints: null },
  };
}

it('no transition changes the state it is given', () => {
  const before = checked();
  const snapshot = structuredClone(copyableState(before));
  const blobs = [before.analysis?.geometry, before.analysis?.facilityPoints];
  profileChosen(before, 'pingliang-2025');
  analysisFinished(before, city.analysis, city.options, '');
  siteResultArrived(before, city.proposals, null);
  workCancelled(checkStarted(before), '');
  walkingLoaded(before, 'kindergarten', EMPTY);
  expect(copyableState(before)).toEqual(snapshot);
  expect(before.analysis?.geometry).toBe(blobs[0]);
  expect(before.analysis?.facilityPoints).toBe(blobs[1]);
});

describe('proposals', () => {
  it('are placed, dragged and replaced without touching the state they were given', () => {
    const start = checked();
    const one = proposalAdded(start, [106.66, 35.54]);
    const two = proposalAdded(one, [106.67, 35.55]);
    expect(start.proposals).toEqual([]);
    expect(one.proposals).toEqual([[106.66, 35.54]]);
    expect(two.proposals).toEqual([
      [106.66, 35.54],
      [106.67, 35.55],
    ]);
    const moved = proposalMoved(two, 1, [106.7, 35.5]);
    expect(moved.proposals).toEqual([
      [106.66, 35.54],
      [106.7, 35.5],
    ]);
    expect(two.proposals[1]).toEqual([106.67, 35.55]);
    // A drag of a proposal that no longer exists changes nothing.
    expect(proposalMoved(two, 5, [0, 0])).toBe(two);
    expect(proposalsReplaced(moved, []).proposals).toEqual([]);
  });

  it('survive a new analysis, which keeps what the user placed', () => {
    const placed = proposalAdded(checked(), [106.66, 35.54]);
    const again = analysisFinished(placed, city.analysis, city.options, 'ready');
    expect(again.proposals).toEqual([[106.66, 35.54]]);
  });

  it('propose mode toggles on and off', () => {
    const on = proposeModeToggled(initialViewState());
    expect(on.proposeMode).toBe(true);
    expect(proposeModeToggled(on).proposeMode).toBe(false);
  });
});
