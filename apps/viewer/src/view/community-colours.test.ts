// Community colours from the view state on real payloads (the worker engine on a synthetic city):
// checked against the colour constants the legend shows, community by community.
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_DATA, VERDICT_COLOURS } from '../map/colours.js';
import { communityColours } from './community-colours.js';
import { analysisFinished, checkFinished, checkStarted, initialViewState, modeChosen } from './state.js';
import { type TestCity, testCity } from './test-city.js';

let city: TestCity;
beforeAll(async () => {
  city = await testCity();
});
const percent = (v: number) => `${Math.round(v * 100)}%`;

describe('communityColours', () => {
  it('is empty before an analysis', () => {
    expect(communityColours(initialViewState(), percent)).toEqual([]);
  });

  it('colours communities without a required gap green and the others not', () => {
    const view = analysisFinished(initialViewState(), city.analysis, city.options, 'ready');
    const colours = communityColours(view, percent);
    expect(colours).toHaveLength(city.analysis.communities.count);
    view.gaps.required.forEach((gaps, c) => {
      if (gaps === 0) expect(colours[c]).toBe('#1a9850');
      else expect(colours[c]).not.toBe('#1a9850');
    });
  });

  it("shows a profile's completeness with the verdict colours", () => {
    let view = analysisFinished(initialViewState('complete-community'), city.analysis, city.options, 'ready');
    view = modeChosen(checkFinished(checkStarted(view), city.completeCommunity), 'profile');
    const byCode = [VERDICT_COLOURS.pass, VERDICT_COLOURS.fail, VERDICT_COLOURS.unknown];
    const colours = communityColours(view, percent);
    city.completeCommunity.communities.completeness.forEach((code, c) => {
      expect(colours[c]).toBe(byCode[code]);
    });
  });

  it('greys every community in profile mode while no verdicts are there', () => {
    const view = modeChosen(
      analysisFinished(initialViewState(), city.analysis, city.options, 'ready'),
      'profile',
    );
    expect(new Set(communityColours(view, percent))).toEqual(new Set([NO_DATA]));
  });

  it('colours a type by its covered share: fully covered and uncovered communities differ', () => {
    const view = modeChosen(
      analysisFinished(initialViewState(), city.analysis, city.options, 'ready'),
      'type',
      city.analysis.types[0]!.id,
    );
    const colours = communityColours(view, percent);
    const T = city.analysis.types.length;
    const share = (c: number) => city.analysis.communities.share[c * T]!;
    const full = colours.filter((_, c) => share(c) === 1);
    const none = colours.filter((_, c) => share(c) === 0);
    if (full.length > 0 && none.length > 0) expect(full[0]).not.toBe(none[0]);
    expect(new Set(full).size).toBeLessThanOrEqual(1);
    expect(new Set(none).size).toBeLessThanOrEqual(1);
  });
});
