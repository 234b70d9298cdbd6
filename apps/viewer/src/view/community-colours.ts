// The colour of every community for what the map shows (gaps, one type's covered share, a profile's
// verdicts), from the view state alone: the page writes them to the map as feature-state. Pure, so
// the dom tests check it without a map.
import { gapClass, gapClasses, NO_DATA, shareClass, shareClasses, VERDICT_COLOURS } from '../map/colours.js';
import { afterShares, profileItemIndex, typeIndex, type ViewState } from './state.js';

/**
 * One colour per community of the shown analysis (empty without one). `percent` labels the share
 * classes (the legend's text; the colours do not depend on it).
 */
export function communityColours(view: ViewState, percent: (share: number) => string): string[] {
  const a = view.analysis;
  if (!a) return [];
  const n = a.communities.count;
  const out = new Array<string>(n);
  if (view.mode === 'type') {
    const t = typeIndex(view);
    const T = a.types.length;
    const { breaks, classes } = shareClasses(view.options.gapThreshold, percent);
    const after = afterShares(view);
    for (let c = 0; c < n; c++) {
      const v = after ? after[c]! : a.communities.share[c * T + t]!;
      out[c] = Number.isNaN(v) ? NO_DATA : classes[shareClass(v, breaks)]!.colour;
    }
  } else if (view.mode === 'profile') {
    const comp = view.compliance;
    const verdict = [VERDICT_COLOURS.pass, VERDICT_COLOURS.fail, VERDICT_COLOURS.unknown];
    if (!comp) out.fill(NO_DATA);
    else {
      const k = profileItemIndex(view);
      const R = comp.requirements.length;
      const { completeness, status } = comp.communities;
      // Completeness codes (complete, incomplete, unknown) and item codes (pass, fail, unknown)
      // share their order, so one colour list serves both.
      for (let c = 0; c < n; c++) out[c] = verdict[k < 0 ? completeness[c]! : status[c * R + k]!] ?? NO_DATA;
    }
  } else {
    const counts = view.mode === 'gaps-required' ? view.gaps.required : view.gaps.all;
    const max = view.mode === 'gaps-required' ? view.gaps.requiredTypes.length : a.types.length;
    const { upper, classes } = gapClasses(max);
    for (let c = 0; c < n; c++) out[c] = classes[gapClass(counts[c]!, upper)]!.colour;
  }
  return out;
}
