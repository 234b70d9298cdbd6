// Communities marked on the map with a symbol and a tooltip, not by colour alone: those whose
// residents snapped onto a small piece of the road network (⚠, core's network_note), and those that
// lose coverage against the flat walk for the walker of a shown type (⛰, core's terrainLoss).
import type { I18n } from '../ui/i18n.js';
import type { ViewState } from './state.js';

export interface CommunityMark {
  readonly community: number;
  readonly lon: number;
  readonly lat: number;
  readonly text: '⚠' | '⛰';
  readonly kind: 'small-piece' | 'lost-to-terrain';
  readonly title: string;
}

/**
 * The marks of the shown analysis: every community with a network note, and the communities that
 * lose coverage of the shown type (type mode) or of any type (other modes) to the walkers' walk.
 */
export function communityMarks(state: ViewState, i18n: I18n): CommunityMark[] {
  const a = state.analysis;
  if (!a) return [];
  const marks: CommunityMark[] = [];
  const centre = (c: number) => {
    const b = a.communities.bbox;
    return { lon: (b[4 * c]! + b[4 * c + 2]!) / 2, lat: (b[4 * c + 1]! + b[4 * c + 3]!) / 2 };
  };
  const name = (c: number) => a.communities.names[c] ?? a.communities.ids[c]!;
  a.communities.networkNotes.forEach((note, c) => {
    if (note !== null)
      marks.push({
        community: c,
        ...centre(c),
        text: '⚠',
        kind: 'small-piece',
        title: `${name(c)}: ${note}`,
      });
  });
  const walking = a.walking;
  if (walking) {
    const T = a.types.length;
    const shown =
      state.mode === 'type' && state.typeId !== null ? a.types.findIndex((t) => t.id === state.typeId) : -1;
    for (let c = 0; c < a.communities.count; c++) {
      const lost = a.types.filter((_, t) => (shown < 0 || t === shown) && walking.lost[c * T + t] === 1);
      if (lost.length === 0) continue;
      marks.push({
        community: c,
        ...centre(c),
        text: '⛰',
        kind: 'lost-to-terrain',
        title: `${name(c)}: ${lost.map((t) => i18n.typeName(t)).join('、')}`,
      });
    }
  }
  return marks;
}
