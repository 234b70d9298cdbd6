// The legend over the map: what the colours mean in the current mode, and the marks drawn on it.
// One model serves the HTML legend and the legend drawn into the PNG export.
import {
  type ColourClass,
  facilityColour,
  gapClasses,
  NO_DATA,
  shareClasses,
  verdictClasses,
} from '../map/colours.js';
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import type { LegendItem } from '../ui/png.js';
import { profileName } from '../view/profiles.js';
import { afterShares, profileItemIndex, profileTypes, typeIndex, type ViewState } from '../view/state.js';

/** What the legend needs beyond the view state: marks the page draws itself. */
export interface LegendExtras {
  /** Proposed sites on the map. */
  readonly proposals: number;
  /** Whether county boundaries are drawn. */
  readonly counties: boolean;
}

export interface LegendModel {
  readonly title: string;
  readonly classes: ColourClass[];
  readonly items: LegendItem[];
}

/** What the legend shows, for the HTML overlay and the PNG export alike. */
export function legendModel(state: ViewState, i18n: I18n, extras: LegendExtras): LegendModel {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const a = state.analysis;
  if (!a) return { title: '', classes: [], items: [] };
  const items: LegendItem[] = [];
  let title: string;
  let classes: ColourClass[];
  const walking = a.distance.kind === 'network';
  if (state.mode === 'type') {
    const t = typeIndex(state);
    const type = a.types[t];
    const after = afterShares(state) ? ` · ${tr('legendAfter')}` : '';
    title = `${tr('legendShare')} · ${type ? i18n.typeName(type) : ''}${after}`;
    classes = [
      ...shareClasses(state.options.gapThreshold, (v) => i18n.pct0(v), state.palette).classes,
      { label: tr('legendNoResidents'), colour: NO_DATA },
    ];
    if (type && state.facilitiesOn) {
      items.push({
        kind: 'dot',
        colour: facilityColour(t),
        label: `${i18n.typeName(type)} · ${tr('legendServing')}`,
      });
      items.push({ kind: 'ring', colour: facilityColour(t), label: tr('legendNotServing') });
    }
    if (type && state.catchments)
      items.push(
        walking
          ? {
              kind: 'area',
              colour: '#263238',
              label: tr('legendWalkingCatchment', { r: type.radius_m }),
            }
          : { kind: 'circle', colour: '#263238', label: tr('legendCatchment', { r: type.radius_m }) },
      );
  } else if (state.mode === 'profile') {
    const comp = state.compliance;
    const k = profileItemIndex(state);
    const itemName = k >= 0 && comp ? i18n.typeName(comp.requirements[k]!) : tr('profileAllItems');
    title = `${profileName(state.profileId, i18n.locale)} · ${itemName}`;
    classes = comp
      ? verdictClasses(
          k >= 0
            ? { pass: tr('legendPass'), fail: tr('legendFail'), unknown: tr('legendUnknown') }
            : {
                pass: tr('legendComplete'),
                fail: tr('legendIncomplete'),
                unknown: tr('legendUnknownCompleteness'),
              },
          state.palette,
        )
      : [{ label: tr('profileEvaluating'), colour: NO_DATA }];
    if (state.facilitiesOn)
      for (const t of profileTypes(state))
        items.push({ kind: 'dot', colour: facilityColour(t), label: i18n.typeName(a.types[t]!) });
  } else {
    const max = state.mode === 'gaps-required' ? state.gaps.requiredTypes.length : a.types.length;
    title = `${tr('legendGaps')} (${state.mode === 'gaps-required' ? tr('modeGapsRequired', { n: max }).replace(/^[^（(]*[（(]|[）)]$/g, '') : tr('modeGapsAll', { n: max }).replace(/^[^（(]*[（(]|[）)]$/g, '')})`;
    classes = gapClasses(max, state.palette).classes;
    if (state.facilitiesOn) {
      const shown = state.mode === 'gaps-required' ? state.gaps.requiredTypes : a.types.map((_, i) => i);
      for (const t of shown)
        items.push({ kind: 'dot', colour: facilityColour(t), label: i18n.typeName(a.types[t]!) });
    }
  }
  if (extras.proposals > 0) items.push({ kind: 'square', colour: '#00838f', label: tr('legendProposed') });
  if (state.siteResult && state.siteResult.model !== 'evaluate')
    items.push({ kind: 'square', colour: '#6a1b9a', label: tr('legendSite') });
  if (extras.counties) items.push({ kind: 'dash', colour: '#6d6357', label: tr('legendCounty') });
  return { title, classes, items };
}

export function renderLegend(el: HTMLElement, state: ViewState, i18n: I18n, extras: LegendExtras): void {
  const model = legendModel(state, i18n, extras);
  if (!state.analysis) {
    replace(el);
    el.hidden = true;
    return;
  }
  el.hidden = false;
  replace(
    el,
    h('div', { class: 'legend-title', 'data-testid': 'legend-title' }, model.title),
    h(
      'div',
      { class: model.classes.length > 4 ? 'legend-classes' : 'legend-classes one' },
      ...model.classes.map((c) =>
        h(
          'div',
          { class: 'legend-row' },
          h(
            'span',
            {
              class: `swatch pattern-${c.pattern ?? 'none'}`,
              style: `background-color:${c.colour}`,
              'aria-hidden': 'true',
            },
            c.symbol ?? '',
          ),
          c.label,
        ),
      ),
    ),
    model.items.length > 0
      ? h(
          'div',
          { class: model.items.length > 8 ? 'legend-items two' : 'legend-items' },
          ...model.items.map((i) =>
            h(
              'div',
              { class: 'legend-row' },
              h('span', { class: `mark ${i.kind}`, style: `--c:${i.colour}`, 'aria-hidden': 'true' }),
              i.label,
            ),
          ),
        )
      : null,
  );
}
