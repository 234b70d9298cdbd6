// The headline figures (communities, residents, facilities, gaps, the complete-community rate), the
// profile's indicators against their targets, the complete-community rate by county, and the covered
// share and places per 1,000 by type. Every figure comes from core through the worker.
import { isShareIndicator } from '@lifecircle/core';
import { facilityColour } from '../map/colours.js';
import { type Bar, barChart } from '../ui/charts.js';
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import { profileName } from '../view/profiles.js';
import { communitiesWithGap, type ViewState } from '../view/state.js';
import { absentTypeLines, headlineNoteLines, reachedShareTable } from './honest-notes.js';

export interface IndicatorActions {
  /** Runs the profile check again (offered when it failed or was cancelled). */
  runCheck(): void;
}

export function renderIndicators(
  el: HTMLElement,
  state: ViewState,
  i18n: I18n,
  actions: IndicatorActions,
): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const a = state.analysis;
  const section = el;
  if (!a) {
    replace(section, h('h2', {}, tr('indicators')));
    return;
  }
  const comp = state.compliance;
  const n = a.communities.count;
  const withGap = communitiesWithGap(state);
  const serving = a.facilities.serving.reduce((s, v) => s + v, 0);
  const stat = (label: string, value: string, testid: string, sub?: string) =>
    h(
      'div',
      { class: 'stat' },
      h('div', { class: 'stat-value', 'data-testid': testid }, value),
      h('div', { class: 'stat-label' }, label),
      sub ? h('div', { class: 'stat-sub', 'data-testid': `${testid}-sub` }, sub) : null,
    );
  const shareBars: Bar[] = a.types.map((t, i) => {
    const summary = a.summary.types[t.id];
    return {
      label: i18n.typeName(t),
      value: summary?.covered_share ?? Number.NaN,
      valueText: i18n.pct(summary?.covered_share ?? null),
      colour: facilityColour(i),
    };
  });
  const capacityBars: Bar[] = a.types.flatMap((t, i) => {
    const per = a.summary.types[t.id]?.capacity_per_1000;
    if (per === null || per === undefined) return [];
    return [
      {
        label: i18n.typeName(t),
        value: per,
        valueText: i18n.dec(per),
        colour: facilityColour(i),
      },
    ];
  });
  const capacityMax = Math.max(5, ...capacityBars.map((b) => b.value)) * 1.1;
  const city = comp?.city ?? null;
  const rateValue = city ? i18n.pct(city.complete_share) : state.check.status === 'running' ? '…' : '–';
  const rateSub =
    city && city.complete_share_max !== null && city.complete_share_max !== city.complete_share
      ? tr('completeRateAtMost', { pct: i18n.pct(city.complete_share_max) })
      : undefined;
  replace(
    section,
    h('h2', {}, tr('indicators')),
    h(
      'div',
      { class: 'stats' },
      stat(tr('communities'), i18n.int(n), 'community-count'),
      stat(tr('residents'), i18n.int(a.summary.population), 'population'),
      stat(tr('facilities'), i18n.int(serving), 'facility-count'),
      stat(tr('withGap'), i18n.int(withGap), 'gap-count'),
      stat(tr('completeRate'), rateValue, 'complete-rate', rateSub),
    ),
    // Each headline figure's notes (core's words) right under it: the complete-community rate's here.
    ...headlineNoteLines(comp?.headlineNotes, 'complete_share', i18n),
    absentTypeLines(state, i18n),
    ...profileIndicators(state, i18n, actions),
    h('h3', {}, tr('coveredShareByType')),
    barChart(shareBars, { max: 1, testid: 'chart-share' }),
    reachedShareTable(state, i18n),
    ...headlineNoteLines(a.summary.headline_notes, 'covered_share', i18n),
    capacityBars.length > 0 ? h('h3', {}, tr('placesPer1000')) : null,
    capacityBars.length > 0 ? barChart(capacityBars, { max: capacityMax, testid: 'chart-capacity' }) : null,
    ...(capacityBars.length > 0
      ? headlineNoteLines(a.summary.headline_notes, 'capacity_per_1000', i18n)
      : []),
  );
}

/** The profile's indicators against their targets and the complete-community rate by county. */
function profileIndicators(
  state: ViewState,
  i18n: I18n,
  actions: IndicatorActions,
): (HTMLElement | SVGSVGElement | null)[] {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const comp = state.compliance;
  if (!comp) {
    return [
      h(
        'p',
        { class: 'hint', 'data-testid': 'profile-state' },
        state.check.status === 'running' ? tr('profileEvaluating') : tr('profileNotEvaluated'),
        state.check.status === 'failed'
          ? h(
              'button',
              { type: 'button', class: 'inline', onclick: () => actions.runCheck() },
              tr('profileEvaluate'),
            )
          : null,
      ),
    ];
  }
  const name = (x: { name_zh: string; name_en: string }) => (i18n.locale === 'zh-CN' ? x.name_zh : x.name_en);
  const rows = comp.indicators.flatMap((info) => {
    const r = comp.city.indicators[info.id];
    if (!r) return [];
    const isShare = isShareIndicator(info.kind);
    const format = (v: number | null) =>
      v === null ? '–' : isShare ? i18n.pct(v) : info.kind === 'facility_count' ? i18n.int(v) : i18n.dec(v);
    const value = r.value ?? Number.NaN;
    const max = isShare ? 1 : Math.max(1e-9, (Math.max(r.value ?? 0, r.target ?? 0) || 1) * 1.15);
    const colour = r.met === true ? '#1a9850' : r.met === false ? '#d73027' : '#8c96a0';
    const valueText = r.target === null ? format(r.value) : `${format(r.value)} / ${format(r.target)}`;
    const upper = info.kind === 'complete_share' && r.value_max !== null ? r.value_max : undefined;
    const bar: Bar = {
      label: '',
      value,
      valueText,
      colour,
      max,
      ...(r.target !== null ? { mark: r.target } : {}),
      ...(upper !== undefined ? { upper } : {}),
      title: `${name(info)} · ${info.unit}${r.note ? ` · ${r.note}` : ''}`,
    };
    return [
      h(
        'div',
        {
          class: 'indicator',
          'data-testid': 'indicator',
          'data-id': info.id,
          'data-value': String(r.value),
          'data-target': String(r.target),
          'data-met': String(r.met),
        },
        h(
          'div',
          { class: 'indicator-name' },
          name(info),
          r.target === null ? h('span', { class: 'muted' }, ` · ${tr('noTarget')}`) : null,
          r.provisional ? h('span', { class: 'muted', title: r.note ?? '' }, ' *') : null,
        ),
        barChart([bar], { max, labelWidth: 2, valueWidth: 118 }),
      ),
    ];
  });
  const districtBars: Bar[] = comp.districts.map((d) => {
    const upper = d.complete_share_max ?? Number.NaN;
    const value = d.complete_share ?? Number.NaN;
    return {
      label: d.name,
      value,
      upper,
      valueText: upper > value ? `${i18n.pct(value)} ≤${i18n.pct(upper)}` : i18n.pct(value),
      colour: '#1a9850',
    };
  });
  return [
    h('h3', {}, tr('indicatorsAgainstTargets', { profile: profileName(comp.profile.id, i18n.locale) })),
    h('p', { class: 'hint' }, h('span', { class: 'target-key' }), ` ${tr('targetKey')}`),
    h('div', { class: 'indicators', 'data-testid': 'profile-indicators' }, ...rows),
    comp.unconfirmed > 0 ? h('p', { class: 'hint' }, tr('unconfirmedValues', { n: comp.unconfirmed })) : null,
    h('h3', {}, tr('completeByCounty', { profile: profileName(comp.profile.id, i18n.locale) })),
    h('p', { class: 'hint' }, tr('completeByCountyKey')),
    barChart(districtBars, { max: 1, testid: 'chart-districts', valueWidth: 96 }),
  ];
}
