// The headline figures (communities, residents, facilities, gaps, the complete-community rate), the
// profile's indicators against their targets, the complete-community rate by county, and the covered
// share and places per 1,000 by type. Every figure comes from core through the worker.
import { isShareIndicator } from '@lifecircle/core/internal';
import { facilityColour, VERDICT_SYMBOLS } from '../map/colours.js';
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
      value: summary?.coveredShare ?? Number.NaN,
      valueText: i18n.pct(summary?.coveredShare ?? null),
      colour: facilityColour(i),
    };
  });
  const capacityBars: Bar[] = a.types.flatMap((t, i) => {
    const per = a.summary.types[t.id]?.capacityPer1000;
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
  replace(
    section,
    h('h2', {}, tr('indicators')),
    h(
      'div',
      { class: 'stats' },
      ...headlineFigures(state, i18n).map((f) => stat(f.label, f.value, f.testid, f.sub)),
    ),
    // Each headline figure's notes (core's words) right under it: the complete-community rate's here.
    ...headlineNoteLines(state.compliance?.headlineNotes, 'complete_share', i18n),
    absentTypeLines(state, i18n),
    ...profileIndicators(state, i18n, actions),
    h('h3', {}, tr('coveredShareByType')),
    barChart(shareBars, { max: 1, testid: 'chart-share' }),
    reachedShareTable(state, i18n),
    ...headlineNoteLines(a.summary.headlineNotes, 'covered_share', i18n),
    capacityBars.length > 0 ? h('h3', {}, tr('placesPer1000')) : null,
    capacityBars.length > 0 ? barChart(capacityBars, { max: capacityMax, testid: 'chart-capacity' }) : null,
    ...(capacityBars.length > 0 ? headlineNoteLines(a.summary.headlineNotes, 'capacity_per_1000', i18n) : []),
  );
}

/** A headline figure of the side panel (and the printed page). */
export interface HeadlineFigure {
  readonly label: string;
  readonly value: string;
  /** The note under the value (the complete rate at most, when items are unknown). */
  readonly sub?: string;
  readonly testid: string;
}

/** The headline figures of the shown analysis: communities, residents, facilities, gaps, complete rate. */
export function headlineFigures(state: ViewState, i18n: I18n): HeadlineFigure[] {
  const a = state.analysis;
  if (!a) return [];
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const serving = a.facilities.serving.reduce((s, v) => s + v, 0);
  const city = state.compliance?.city ?? null;
  const rateValue = city ? i18n.pct(city.completeShare) : state.check.status === 'running' ? '…' : '–';
  const rateSub =
    city && city.completeShareMax !== null && city.completeShareMax !== city.completeShare
      ? tr('completeRateAtMost', { pct: i18n.pct(city.completeShareMax) })
      : undefined;
  return [
    { label: tr('communities'), value: i18n.int(a.communities.count), testid: 'community-count' },
    { label: tr('residents'), value: i18n.int(a.summary.population), testid: 'population' },
    { label: tr('facilities'), value: i18n.int(serving), testid: 'facility-count' },
    { label: tr('withGap'), value: i18n.int(communitiesWithGap(state)), testid: 'gap-count' },
    {
      label: tr('completeRate'),
      value: rateValue,
      testid: 'complete-rate',
      ...(rateSub !== undefined ? { sub: rateSub } : {}),
    },
  ];
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
    const format = indicatorFormat(info.kind, i18n);
    const value = r.value ?? Number.NaN;
    const max = isShare ? 1 : Math.max(1e-9, (Math.max(r.value ?? 0, r.target ?? 0) || 1) * 1.15);
    const colour = r.met === true ? '#1a9850' : r.met === false ? '#d73027' : '#8c96a0';
    const valueText = r.target === null ? format(r.value) : `${format(r.value)} / ${format(r.target)}`;
    const upper = info.kind === 'complete_share' && r.valueMax !== null ? r.valueMax : undefined;
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
          // The bar's green or red, said in a mark and words too.
          r.target !== null ? metMark(r.met, i18n) : null,
          r.target === null ? h('span', { class: 'muted' }, ` · ${tr('noTarget')}`) : null,
          r.provisional ? h('span', { class: 'muted', title: r.note ?? '' }, ' *') : null,
        ),
        barChart([bar], { max, labelWidth: 2, valueWidth: 118 }),
      ),
    ];
  });
  const districtBars: Bar[] = comp.districts.map((d) => {
    const upper = d.completeShareMax ?? Number.NaN;
    const value = d.completeShare ?? Number.NaN;
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

/** ✓ met, ✗ not met, ? unknown, with the words for screen readers and as a tooltip. */
export function metMark(met: boolean | null, i18n: I18n): HTMLElement {
  const key: TextKey = met === true ? 'legendPass' : met === false ? 'legendFail' : 'legendUnknown';
  const symbol =
    met === true ? VERDICT_SYMBOLS.pass : met === false ? VERDICT_SYMBOLS.fail : VERDICT_SYMBOLS.unknown;
  return h(
    'span',
    {
      class: `met-mark ${met === true ? 'met' : met === false ? 'unmet' : 'unknown'}`,
      title: i18n.t(key),
      'aria-label': i18n.t(key),
      role: 'img',
    },
    ` ${symbol}`,
  );
}

/** How an indicator's value and target read: shares as percentages, counts whole, others decimal. */
export function indicatorFormat(kind: string, i18n: I18n): (value: number | null) => string {
  const isShare = isShareIndicator(kind);
  return (v) =>
    v === null ? '–' : isShare ? i18n.pct(v) : kind === 'facility_count' ? i18n.int(v) : i18n.dec(v);
}
