// The road network a walking analysis rests on (issue #13): its pieces with their share of the
// street length and of the residents, who it reaches and which facilities it cannot count, the
// snapping rules as controls (the CLI's --snap-to and --snap-cost), and core's warning when the
// network looks like a drive network. Every figure is core's summary.json `network` member.
import { h, replace } from '../ui/dom.js';
import type { I18n } from '../ui/i18n.js';
import type { ViewState } from '../view/state.js';
import type { AnalyzeOptions, NetworkInfo } from '../worker/protocol.js';

export interface NetworkActions {
  /** Runs the analysis again with other snapping rules. */
  reanalyse(options: AnalyzeOptions): void;
}

/** The `snapTo` choices of the control, in the CLI's words; `min-share` takes the typed share. */
const SNAP_TO_CHOICES = ['default', 'largest', 'all', 'min-share'] as const;

export function renderNetworkPanel(
  el: HTMLElement,
  state: ViewState,
  network: NetworkInfo | null,
  i18n: I18n,
  actions: NetworkActions,
): void {
  const tr = i18n.t.bind(i18n);
  if (!network) {
    replace(el);
    el.hidden = true;
    return;
  }
  el.hidden = false;
  const summary = state.analysis?.distance.kind === 'network' ? state.analysis.summary.network : undefined;
  const options = state.options;
  const snapTo = options.snapTo;
  const chosen = snapTo === undefined ? 'default' : snapTo.startsWith('min-share=') ? 'min-share' : snapTo;
  const shareInput = h('input', {
    type: 'number',
    min: 0,
    max: 100,
    step: 0.1,
    value: snapTo?.startsWith('min-share=') ? Number(snapTo.slice('min-share='.length)) * 100 : 1,
    'aria-label': '%',
    'data-testid': 'snap-min-share',
    disabled: chosen !== 'min-share',
  });
  const snapToSelect = h(
    'select',
    { 'data-testid': 'snap-to' },
    ...SNAP_TO_CHOICES.map((c) =>
      h(
        'option',
        { value: c, selected: c === chosen },
        tr(
          c === 'default'
            ? 'snapToDefault'
            : c === 'largest'
              ? 'snapToLargest'
              : c === 'all'
                ? 'snapToAll'
                : 'snapToMinShare',
        ),
      ),
    ),
  );
  const apply = () => {
    const choice = snapToSelect.value as (typeof SNAP_TO_CHOICES)[number];
    shareInput.disabled = choice !== 'min-share';
    const percent = Number(shareInput.value);
    // An unusable share keeps the rule in force rather than analysing with nonsense.
    if (choice === 'min-share' && !(percent >= 0 && percent <= 100)) return;
    const { snapTo: _, ...rest } = options;
    actions.reanalyse({
      ...rest,
      ...(choice === 'default'
        ? {}
        : { snapTo: choice === 'min-share' ? `min-share=${percent / 100}` : choice }),
    });
  };
  snapToSelect.addEventListener('change', apply);
  shareInput.addEventListener('change', apply);
  const snapCostSelect = h(
    'select',
    {
      'data-testid': 'snap-cost',
      onchange: (e) =>
        actions.reanalyse({ ...options, snapCost: (e.target as HTMLSelectElement).value as 'walk' | 'free' }),
    },
    h('option', { value: 'walk', selected: options.snapCost !== 'free' }, tr('snapCostWalk')),
    h('option', { value: 'free', selected: options.snapCost === 'free' }, tr('snapCostFree')),
  );
  replace(
    el,
    h('h2', {}, tr('networkTitle')),
    network.driveOnly
      ? h(
          'div',
          { class: 'warning', role: 'alert', 'data-testid': 'drive-only' },
          h('strong', {}, `⚠ ${tr('driveOnlyTitle')}: `),
          network.driveOnly,
        )
      : null,
    h(
      'div',
      { class: 'row two' },
      h('label', { class: 'field' }, h('span', {}, tr('snapTo')), snapToSelect, shareInput),
      h('label', { class: 'field' }, h('span', {}, tr('snapCost')), snapCostSelect),
    ),
    summary ? networkFigures(summary, state, i18n) : null,
  );
}

function networkFigures(
  summary: NonNullable<NonNullable<ViewState['analysis']>['summary']['network']>,
  state: ViewState,
  i18n: I18n,
): HTMLElement {
  const tr = i18n.t.bind(i18n);
  const population = state.analysis?.summary.population ?? 0;
  return h(
    'div',
    { class: 'network-figures', 'data-testid': 'network-pieces' },
    h(
      'p',
      { 'data-testid': 'network-pieces-line' },
      tr('networkPieces', {
        count: summary.pieces.count,
        allowed: summary.pieces.snap_allowed,
        rule: summary.snap_to,
      }),
    ),
    h(
      'table',
      { class: 'pieces' },
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, tr('networkPieceHead')),
        h('th', { scope: 'col' }, tr('networkPieceLength')),
        h('th', { scope: 'col' }, tr('networkPieceLengthShare')),
        h('th', { scope: 'col' }, tr('networkPieceDemandShare')),
        h('th', { scope: 'col' }, tr('networkPieceAllowed')),
      ),
      ...summary.pieces.largest.map((p, i) =>
        h(
          'tr',
          { 'data-testid': 'network-piece' },
          h('td', {}, String(i + 1)),
          h('td', {}, i18n.metres(p.length_m)),
          h('td', {}, i18n.pct(p.length_share)),
          h('td', {}, i18n.pct(p.demand_share)),
          // A word, not a colour: whether points may snap onto the piece.
          h('td', {}, p.snap_allowed ? '✓' : '✗'),
        ),
      ),
    ),
    h(
      'p',
      { 'data-testid': 'network-reach' },
      tr('networkReach', {
        reached: summary.population_reached,
        total: population,
        outside: summary.population_outside,
        beyond: summary.population_beyond_extent,
      }),
    ),
    h(
      'p',
      { 'data-testid': 'network-facilities' },
      tr('networkFacilities', {
        beyond: summary.facilities_beyond_extent,
        offRoad: summary.facilities_off_road,
        stranded: summary.facilities_stranded,
      }),
    ),
    summary.small_piece_communities > 0
      ? h(
          'p',
          { 'data-testid': 'network-small-pieces' },
          tr('networkSmallPieces', { n: summary.small_piece_communities }),
        )
      : null,
  );
}
