// The map controls: colour mode, facility type, standard profile and its item, distance, the layer
// toggles, and the analysis settings (gap threshold, planned facilities, basemap). Each control
// calls one action; nothing here changes state itself.

import { PALETTE_NAMES, type PaletteName } from '../map/colours.js';
import type { ColourMode } from '../scenario.js';
import { h, hiddenFileInput, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import { PROFILES, profileName } from '../view/profiles.js';
import type { ViewState } from '../view/state.js';
import type { AnalyzeOptions, DistanceMode, NetworkInfo } from '../worker/protocol.js';

/** What the controls show besides the view state: the loaded road network and the basemap chooser. */
export interface ControlsContext {
  readonly network: NetworkInfo | null;
  /** The basemap chooser (panels/basemap.ts), placed among the settings; it keeps its own state. */
  readonly basemap: HTMLElement | null;
  /** Ids of the profile files the user loaded, offered after the built-in profiles. */
  readonly profileFiles?: readonly string[];
}

export interface ControlsActions {
  setMode(mode: ColourMode, typeId?: string): void;
  /** Chooses the colour palette of the community scales. */
  setPalette(palette: PaletteName): void;
  setProfile(profile: string): void;
  /** Reads a standards profile file (JSON, `extends` and overrides) and checks against it. */
  loadProfileFile(file: File): void;
  setProfileItem(item: string | null): void;
  setDistance(distance: DistanceMode): void;
  toggleLayers(layers: { facilitiesOn?: boolean; catchments?: boolean }): void;
  /** Runs the analysis again with the settings' gap threshold and planned-facilities choice. */
  reanalyse(options: AnalyzeOptions): void;
}

/** The line under the distance control: which distance the figures use, and whether walking is offered. */
export function distanceHint(state: ViewState, i18n: I18n, network: NetworkInfo | null): string {
  const a = state.analysis;
  if (a?.distance.kind === 'network')
    return i18n.t('distanceHintNetwork', { file: a.distance.file ?? '', nodes: network?.nodes ?? 0 });
  const base = i18n.t('distanceHintGreatCircle');
  return network ? `${base} ${i18n.t('distanceHintNetworkAvailable', { file: network.file })}` : base;
}

export function renderControls(
  el: HTMLElement,
  state: ViewState,
  i18n: I18n,
  context: ControlsContext,
  actions: ControlsActions,
): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const { network, basemap } = context;
  const a = state.analysis;
  const types = a?.types ?? [];
  const comp = state.compliance;
  const selected = (e: Event) => (e.target as HTMLSelectElement).value;
  const modeSelect = h(
    'select',
    { 'data-testid': 'mode-select', onchange: (e) => actions.setMode(selected(e) as ColourMode) },
    h(
      'option',
      { value: 'gaps-required', selected: state.mode === 'gaps-required' },
      tr('modeGapsRequired', { n: state.gaps.requiredTypes.length }),
    ),
    h(
      'option',
      { value: 'gaps-all', selected: state.mode === 'gaps-all' },
      tr('modeGapsAll', { n: types.length }),
    ),
    h('option', { value: 'type', selected: state.mode === 'type' }, tr('modeType')),
    h('option', { value: 'profile', selected: state.mode === 'profile' }, tr('modeProfile')),
  );
  const typeSelect = h(
    'select',
    {
      'data-testid': 'type-select',
      disabled: state.mode !== 'type',
      onchange: (e) => actions.setMode('type', selected(e)),
    },
    ...types.map((t) =>
      h(
        'option',
        { value: t.id, selected: t.id === state.typeId },
        `${i18n.typeName(t)} · ${i18n.metres(t.radius_m)}${t.radius_status === 'unverified' ? '*' : ''}`,
      ),
    ),
  );
  const profileSelect = h(
    'select',
    { 'data-testid': 'profile-select', onchange: (e) => actions.setProfile(selected(e)) },
    ...[...PROFILES, ...(context.profileFiles ?? []).filter((p) => !PROFILES.includes(p as never))].map((p) =>
      h('option', { value: p, selected: p === state.profileId }, profileName(p, i18n.locale)),
    ),
  );
  const itemSelect = h(
    'select',
    {
      'data-testid': 'profile-item',
      disabled: state.mode !== 'profile' || !comp,
      onchange: (e) => {
        const v = selected(e);
        actions.setProfileItem(v === '' ? null : v);
      },
    },
    h('option', { value: '', selected: state.profileItem === null }, tr('profileAllItems')),
    ...(comp?.requirements ?? []).map((r) =>
      h(
        'option',
        { value: r.id, selected: r.id === state.profileItem },
        `${i18n.typeName(r)}${r.required ? '' : ` ${tr('optionalItem')}`}`,
      ),
    ),
  );
  const paletteText: Record<PaletteName, TextKey> = {
    default: 'paletteDefault',
    viridis: 'paletteViridis',
    cividis: 'paletteCividis',
  };
  const paletteSelect = h(
    'select',
    { 'data-testid': 'palette-select', onchange: (e) => actions.setPalette(selected(e) as PaletteName) },
    ...PALETTE_NAMES.map((p) => h('option', { value: p, selected: p === state.palette }, tr(paletteText[p]))),
  );
  // happy-dom picks the wrong option from the `selected` attributes of a select built before it is
  // attached; the value set once more is right everywhere.
  paletteSelect.value = state.palette;
  const distance = state.options.distance ?? 'great-circle';
  const distanceSelect = h(
    'select',
    { 'data-testid': 'distance-select', onchange: (e) => actions.setDistance(selected(e) as DistanceMode) },
    h('option', { value: 'great-circle', selected: distance === 'great-circle' }, tr('distanceGreatCircle')),
    h(
      'option',
      { value: 'network', selected: distance === 'network', disabled: !network },
      network ? tr('distanceNetwork', { file: network.file }) : tr('distanceNetworkNone'),
    ),
  );
  const checkbox = (label: string, checked: boolean, testid: string, onChange: (v: boolean) => void) =>
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        checked,
        'data-testid': testid,
        onchange: (e) => onChange((e.target as HTMLInputElement).checked),
      }),
      label,
    );
  const gapInput = h('input', {
    type: 'number',
    min: 0,
    max: 1,
    step: 0.05,
    value: state.options.gapThreshold,
    'data-testid': 'gap-threshold',
  });
  const plannedInput = h('input', {
    type: 'checkbox',
    checked: state.options.includePlanned,
    'data-testid': 'include-planned',
  });
  replace(
    el,
    h(
      'div',
      { class: 'row two' },
      h('label', { class: 'field' }, h('span', {}, tr('colourBy')), modeSelect),
      h('label', { class: 'field' }, h('span', {}, tr('palette')), paletteSelect),
    ),
    h(
      'div',
      { class: 'row two' },
      h('label', { class: 'field' }, h('span', {}, tr('facilityType')), typeSelect),
      h('label', { class: 'field' }, h('span', {}, tr('profile')), profileSelect),
    ),
    profileFilePicker(i18n, actions),
    state.mode === 'profile'
      ? h('label', { class: 'field' }, h('span', {}, tr('profileItem')), itemSelect)
      : null,
    h('label', { class: 'field' }, h('span', {}, tr('distance')), distanceSelect),
    h(
      'div',
      { class: 'row' },
      checkbox(tr('showFacilities'), state.facilitiesOn, 'toggle-facilities', (v) =>
        actions.toggleLayers({ facilitiesOn: v }),
      ),
      checkbox(tr('showCatchments'), state.catchments, 'toggle-catchments', (v) =>
        actions.toggleLayers({ catchments: v }),
      ),
    ),
    h('p', { class: 'hint', 'data-testid': 'distance-hint' }, distanceHint(state, i18n, network)),
    h(
      'details',
      { class: 'settings' },
      h('summary', { 'data-testid': 'settings-summary' }, tr('settings')),
      h('label', { class: 'field inline' }, h('span', {}, tr('gapThresholdLabel')), gapInput),
      h('label', { class: 'check' }, plannedInput, tr('includePlanned')),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'reanalyse',
          onclick: () => {
            const threshold = Number(gapInput.value);
            // An out-of-range threshold keeps the current one rather than analysing with nonsense.
            actions.reanalyse({
              ...state.options,
              gapThreshold: threshold >= 0 && threshold <= 1 ? threshold : state.options.gapThreshold,
              includePlanned: plannedInput.checked,
            });
          },
        },
        tr('reanalyse'),
      ),
      basemap,
    ),
  );
}

/** A button that picks a standards profile file (JSON) to check against. */
function profileFilePicker(i18n: I18n, actions: ControlsActions): HTMLElement {
  const input = hiddenFileInput('.json,application/json', 'profile-file-input', (file) =>
    actions.loadProfileFile(file),
  );
  return h(
    'div',
    { class: 'row' },
    input,
    h(
      'button',
      { type: 'button', 'data-testid': 'profile-file-button', onclick: () => input.click() },
      i18n.t('profileLoadFile'),
    ),
  );
}
