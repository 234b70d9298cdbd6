// Community colours from the view state on real payloads (the worker engine on a synthetic city):
// checked against the colour constants the legend shows, community by community.
import { describe, expect, it } from 'vitest';
import { gapClasses, NO_DATA, shareClasses, VERDICT_COLOURS, verdictColours } from '../map/colours.js';
import { communityColours, communityStyles } from './community-colours.js';
import {
  analysisFinished,
  checkFinished,
  checkStarted,
  initialViewState,
  modeChosen,
  paletteChosen,
} from './state.js';
import { type TestCity, testCity } from './test-city.js';

// Top-level await: the city is analysed once, before the tests are collected.
const city: TestCity = await testCity();
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

  it('hatches every community with a required gap and no other, whatever the palette', () => {
    for (const palette of ['default', 'viridis', 'cividis'] as const) {
      const view = paletteChosen(
        analysisFinished(initialViewState(), city.analysis, city.options, 'ready'),
        palette,
      );
      const { colours, patterns } = communityStyles(view, percent);
      view.gaps.required.forEach((gaps, c) => {
        expect(patterns[c]).toBe(gaps > 0 ? 'gap' : 'none');
      });
      // The colours are the palette's own gap classes.
      const own = new Set(gapClasses(view.gaps.requiredTypes.length, palette).classes.map((k) => k.colour));
      for (const colour of colours) expect(own.has(colour)).toBe(true);
    }
  });

  it('hatches a type below the gap threshold and leaves it plain at or above, in viridis too', () => {
    const view = paletteChosen(
      modeChosen(
        analysisFinished(initialViewState(), city.analysis, city.options, 'ready'),
        'type',
        city.analysis.types[0]!.id,
      ),
      'viridis',
    );
    const { colours, patterns } = communityStyles(view, percent);
    const T = city.analysis.types.length;
    const viridis = new Set(shareClasses(0.5, percent, 'viridis').classes.map((k) => k.colour));
    colours.forEach((colour, c) => {
      const share = city.analysis.communities.share[c * T]!;
      if (Number.isNaN(share)) return;
      expect(patterns[c]).toBe(share < city.options.gapThreshold ? 'gap' : 'none');
      expect(viridis.has(colour)).toBe(true);
    });
  });

  it('marks verdicts by pattern too: incomplete hatched, unknown dotted, complete plain', () => {
    let view = analysisFinished(initialViewState('complete-community'), city.analysis, city.options, 'ready');
    view = paletteChosen(
      modeChosen(checkFinished(checkStarted(view), city.completeCommunity), 'profile'),
      'cividis',
    );
    const { colours, patterns } = communityStyles(view, percent);
    const safe = verdictColours('cividis');
    city.completeCommunity.communities.completeness.forEach((code, c) => {
      expect(patterns[c]).toBe(['none', 'gap', 'unknown'][code]);
      expect(colours[c]).toBe([safe.pass, safe.fail, safe.unknown][code]);
    });
  });
});
