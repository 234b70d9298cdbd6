// Walking as people walk (issue #14) in the viewer: an elevation model (GeoTIFF, as the CLI's
// --dem), the walker of each facility type (core's built-in walkers, defaults from the catalog's
// walkers.json, as --walker TYPE=NAME), each type's radius in minutes, and per type the communities
// that lose coverage against the flat walk (core's terrainLoss). Controls call actions only.
import { BUILT_IN_WALKERS, DEFAULT_TYPE_WALKERS } from '@lifecircle/core/internal';
import { h, hiddenFileInput, replace } from '../ui/dom.js';
import type { I18n } from '../ui/i18n.js';
import type { ViewState } from '../view/state.js';
import type { AnalyzeOptions, LoadPayload, NetworkInfo } from '../worker/protocol.js';

export interface WalkingContext {
  readonly network: NetworkInfo | null;
  readonly dem: LoadPayload['dem'];
}

export interface WalkingActions {
  /** Loads a GeoTIFF as the elevation model and analyses again. */
  loadDem(file: File): void;
  /** Loads a walker file (JSON walker profiles, the CLI's --walker-file) and analyses again. */
  loadWalkerFile(file: File): void;
  removeDem(): void;
  reanalyse(options: AnalyzeOptions): void;
}

/** The walker a type walks with under these options: the one chosen, else the catalog's default. */
export function walkerOfType(options: AnalyzeOptions, typeId: string): string {
  return options.walkers?.[typeId] ?? DEFAULT_TYPE_WALKERS[typeId] ?? 'adult';
}

export function renderWalkingPanel(
  el: HTMLElement,
  state: ViewState,
  context: WalkingContext,
  i18n: I18n,
  actions: WalkingActions,
): void {
  const tr = i18n.t.bind(i18n);
  const a = state.analysis;
  const options = state.options;
  const walkingDistance = options.distance === 'network' && context.network !== null;
  if (!walkingDistance) {
    replace(el, h('h2', {}, tr('walkingTitle')), h('p', { class: 'hint' }, tr('walkingNeedsNetwork')));
    return;
  }
  const demInput = hiddenFileInput('.tif,.tiff,image/tiff', 'dem-input', (file) => actions.loadDem(file));
  const walkerFileInput = hiddenFileInput('.json,application/json', 'walker-file-input', (file) =>
    actions.loadWalkerFile(file),
  );
  const walkerFile = options.walkerFile;
  // The built-in walkers, then the walker file's (one of the same id replaces the built-in one).
  const fileIds = new Set(walkerFile?.profiles.map((w) => w.id) ?? []);
  const walkerChoices = [
    ...BUILT_IN_WALKERS.filter((w) => !fileIds.has(w.id)),
    ...(walkerFile?.profiles ?? []),
  ];
  // With a DEM every type walks for its walker (as the CLI's --dem); without one it is a choice.
  const walkersOn = options.walkers !== undefined || context.dem !== null;
  const walking = a?.walking ?? null;
  const locale = i18n.locale === 'zh-CN' ? 'name_zh' : 'name_en';
  const typeRows = (a?.types ?? []).map((t) => {
    const chosen = walkerOfType(options, t.id);
    const figures = walking?.summary.types[t.id];
    const loss = walking?.loss[t.id];
    return h(
      'tr',
      { 'data-testid': 'walker-row', 'data-type': t.id },
      h('th', { scope: 'row' }, i18n.typeName(t)),
      h(
        'td',
        {},
        h(
          'select',
          {
            'data-testid': 'walker-select',
            'aria-label': `${tr('walkerFor')}: ${i18n.typeName(t)}`,
            disabled: !walkersOn,
            onchange: (e) =>
              actions.reanalyse({
                ...options,
                walkers: { ...options.walkers, [t.id]: (e.target as HTMLSelectElement).value },
              }),
          },
          ...walkerChoices.map((w) =>
            h(
              'option',
              { value: w.id, selected: w.id === chosen },
              `${w[locale] ?? w.id} · ${i18n.dec(w.flat_speed_kmh)} km/h`,
            ),
          ),
        ),
      ),
      h(
        'td',
        { 'data-testid': 'walker-radius' },
        figures
          ? tr('walkerRadius', {
              min: i18n.dec(figures.radius_min),
              m: Math.round(figures.radius_m ?? Number.NaN),
              kmh: i18n.dec(figures.flat_speed_kmh),
            })
          : i18n.metres(t.radius_m),
      ),
      h(
        'td',
        { 'data-testid': 'walker-lost' },
        loss
          ? loss.communities > 0
            ? tr('walkerLost', { n: loss.communities, pop: Math.round(loss.residents) })
            : tr('walkerLostNone')
          : '',
      ),
    );
  });
  replace(
    el,
    h('h2', {}, tr('walkingTitle')),
    demInput,
    h(
      'div',
      { class: 'row' },
      h(
        'span',
        { 'data-testid': 'dem-state' },
        context.dem ? tr('demLoaded', { file: context.dem.file }) : tr('demNone'),
      ),
      h(
        'button',
        { type: 'button', 'data-testid': 'dem-load', onclick: () => demInput.click() },
        tr('demLoad'),
      ),
      context.dem
        ? h(
            'button',
            { type: 'button', 'data-testid': 'dem-remove', onclick: () => actions.removeDem() },
            tr('demRemove'),
          )
        : null,
    ),
    walkerFileInput,
    h(
      'div',
      { class: 'row' },
      walkerFile
        ? h(
            'span',
            { 'data-testid': 'walker-file-state' },
            tr('walkerFileLoaded', { file: walkerFile.name, n: walkerFile.profiles.length }),
          )
        : null,
      h(
        'button',
        { type: 'button', 'data-testid': 'walker-file-load', onclick: () => walkerFileInput.click() },
        tr('walkerFileLoad'),
      ),
      walkerFile
        ? h(
            'button',
            {
              type: 'button',
              'data-testid': 'walker-file-remove',
              onclick: () => {
                const { walkerFile: _, ...rest } = options;
                // Types that walked with one of its walkers go back to their default.
                const walkers = Object.fromEntries(
                  Object.entries(options.walkers ?? {}).filter(([, id]) => !fileIds.has(id)),
                );
                actions.reanalyse(options.walkers ? { ...rest, walkers } : rest);
              },
            },
            tr('walkerFileRemove'),
          )
        : null,
    ),
    walking?.uncoveredWarning
      ? h(
          'p',
          { class: 'warning', role: 'alert', 'data-testid': 'dem-uncovered' },
          `⚠ ${walking.uncoveredWarning}`,
        )
      : null,
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        checked: walkersOn,
        disabled: context.dem !== null,
        'data-testid': 'walkers-on',
        onchange: (e) => {
          const { walkers: _, ...flat } = options;
          actions.reanalyse(
            (e.target as HTMLInputElement).checked ? { ...options, walkers: options.walkers ?? {} } : flat,
          );
        },
      }),
      tr('walkersOn'),
    ),
    h('table', { class: 'walkers', 'data-testid': 'walkers' }, ...typeRows),
    walking ? h('p', { class: 'hint' }, tr('walkingLostMarks')) : null,
  );
}
