// The colour and pattern of every community for what the map shows (gaps, one type's covered share, a
// profile's verdicts), from the view state alone: the page writes them to the map as feature-state.
// Pure, so the dom tests check it without a map.
import {
  type ColourClass,
  type CommunityPattern,
  gapClass,
  gapClasses,
  NO_DATA,
  shareClass,
  shareClasses,
  verdictClasses,
} from '../map/colours.js';
import { afterShares, profileItemIndex, typeIndex, type ViewState } from './state.js';

/** Per community of the shown analysis, its colour and the pattern drawn over it. */
export interface CommunityStyles {
  readonly colours: string[];
  readonly patterns: CommunityPattern[];
}

/**
 * One colour per community of the shown analysis (empty without one). `percent` labels the share
 * classes (the legend's text; the colours do not depend on it).
 */
export function communityColours(view: ViewState, percent: (share: number) => string): string[] {
  return communityStyles(view, percent).colours;
}

/** The colour and pattern of every community, in the view's palette (empty without an analysis). */
export function communityStyles(view: ViewState, percent: (share: number) => string): CommunityStyles {
  const a = view.analysis;
  if (!a) return { colours: [], patterns: [] };
  const n = a.communities.count;
  const classOf = new Array<ColourClass | null>(n);
  if (view.mode === 'type') {
    const t = typeIndex(view);
    const T = a.types.length;
    const { breaks, classes } = shareClasses(view.options.gapThreshold, percent, view.palette);
    const after = afterShares(view);
    for (let c = 0; c < n; c++) {
      const v = after ? after[c]! : a.communities.share[c * T + t]!;
      classOf[c] = Number.isNaN(v) ? null : classes[shareClass(v, breaks)]!;
    }
  } else if (view.mode === 'profile') {
    const comp = view.compliance;
    // Completeness codes (complete, incomplete, unknown) and item codes (pass, fail, unknown) share
    // their order, so one class list serves both.
    const verdict = verdictClasses({ pass: '', fail: '', unknown: '' }, view.palette);
    if (!comp) classOf.fill(null);
    else {
      const k = profileItemIndex(view);
      const R = comp.requirements.length;
      const { completeness, status } = comp.communities;
      for (let c = 0; c < n; c++) classOf[c] = verdict[k < 0 ? completeness[c]! : status[c * R + k]!] ?? null;
    }
  } else {
    const counts = view.mode === 'gaps-required' ? view.gaps.required : view.gaps.all;
    const max = view.mode === 'gaps-required' ? view.gaps.requiredTypes.length : a.types.length;
    const { upper, classes } = gapClasses(max, view.palette);
    for (let c = 0; c < n; c++) classOf[c] = classes[gapClass(counts[c]!, upper)]!;
  }
  return {
    colours: classOf.map((k) => k?.colour ?? NO_DATA),
    patterns: classOf.map((k) => k?.pattern ?? 'none'),
  };
}
