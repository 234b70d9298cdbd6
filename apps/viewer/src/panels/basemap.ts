// The basemap chooser: none (offline), a local PMTiles vector archive, or an online service the user
// opts into (OpenStreetMap, Tianditu with the user's key, AMap), with the imagery option where the
// service has one, the provider's attribution, where tiles come from, and, for AMap, that the map
// is drawn in GCJ-02.
import { type BasemapChoice, type BasemapKind, basemapStyle, hasImagery } from '../basemap/catalog.js';
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';

export interface BasemapPanelState {
  readonly choice: BasemapChoice;
  /** The user's Tianditu key, kept in the browser only (never in a scenario file). */
  readonly tiandituKey: string;
  /** A message about the last choice (a missing key, an unreadable archive), or null. */
  readonly error: string | null;
}

export interface BasemapActions {
  choose(choice: BasemapChoice): void;
  /** A `.pmtiles` file chosen from disk. */
  loadFile(file: File): void;
}

const KINDS: readonly [BasemapKind, TextKey][] = [
  ['none', 'basemapNone'],
  ['local', 'basemapLocal'],
  ['osm', 'basemapOsm'],
  ['tianditu', 'basemapTianditu'],
  ['amap', 'basemapAmap'],
  ['raster', 'basemapRaster'],
];

const HOSTS: Partial<Record<BasemapKind, string>> = {
  osm: 'tile.openstreetmap.org',
  tianditu: 'tianditu.gov.cn',
  amap: 'is.autonavi.com',
};

/** A choice of `kind` carrying over what the current choice has (URL, imagery) and the stored key. */
export function choiceOfKind(kind: BasemapKind, from: BasemapState): BasemapChoice {
  const { choice, tiandituKey } = from;
  const imagery = 'imagery' in choice ? choice.imagery : false;
  const url = 'url' in choice ? choice.url : '';
  switch (kind) {
    case 'none':
    case 'osm':
      return { kind };
    case 'local':
    case 'raster':
      return { kind, url };
    case 'tianditu':
      return { kind, key: tiandituKey, imagery };
    case 'amap':
      return { kind, imagery };
  }
}

type BasemapState = Pick<BasemapPanelState, 'choice' | 'tiandituKey'>;

export function renderBasemap(
  el: HTMLElement,
  state: BasemapPanelState,
  i18n: I18n,
  actions: BasemapActions,
): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const { choice } = state;
  const kindSelect = h(
    'select',
    {
      'data-testid': 'basemap-kind',
      'aria-label': tr('basemap'),
      onchange: (e) =>
        actions.choose(choiceOfKind((e.target as HTMLSelectElement).value as BasemapKind, state)),
    },
    ...KINDS.map(([kind, label]) => h('option', { value: kind, selected: kind === choice.kind }, tr(label))),
  );
  const details: (HTMLElement | null)[] = [];
  if (choice.kind === 'local' || choice.kind === 'raster') {
    const urlInput = h('input', {
      type: 'url',
      value: choice.url,
      placeholder: choice.kind === 'local' ? 'basemap.pmtiles' : tr('basemapHint'),
      'data-testid': 'basemap-url',
      'aria-label': tr(choice.kind === 'local' ? 'basemapLocalUrl' : 'basemapHint'),
    });
    details.push(
      h(
        'div',
        { class: 'row' },
        urlInput,
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'basemap-apply',
            onclick: () => actions.choose({ kind: choice.kind, url: urlInput.value.trim() }),
          },
          tr('basemapApply'),
        ),
      ),
    );
    if (choice.kind === 'local') {
      details.push(
        h(
          'label',
          { class: 'field' },
          h('span', {}, tr('basemapLocalFile')),
          h('input', {
            type: 'file',
            accept: '.pmtiles',
            'data-testid': 'basemap-file',
            onchange: (e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (file) actions.loadFile(file);
            },
          }),
        ),
      );
    }
  }
  if (choice.kind === 'tianditu') {
    const keyInput = h('input', {
      type: 'text',
      value: choice.key,
      autocomplete: 'off',
      spellcheck: 'false',
      'data-testid': 'tianditu-key',
    });
    details.push(
      h(
        'div',
        { class: 'row' },
        h('label', { class: 'field' }, h('span', {}, tr('basemapTiandituKey')), keyInput),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'basemap-apply',
            onclick: () => actions.choose({ ...choice, key: keyInput.value.trim() }),
          },
          tr('basemapApply'),
        ),
      ),
    );
  }
  if (hasImagery(choice.kind) && (choice.kind === 'tianditu' || choice.kind === 'amap')) {
    details.push(
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          checked: choice.imagery,
          'data-testid': 'basemap-imagery',
          onchange: (e) => actions.choose({ ...choice, imagery: (e.target as HTMLInputElement).checked }),
        }),
        tr('basemapImagery'),
      ),
    );
  }
  const host = HOSTS[choice.kind];
  if (host)
    details.push(
      h('p', { class: 'hint', 'data-testid': 'basemap-online' }, tr('basemapOnlineNote', { host })),
    );
  if (choice.kind === 'amap')
    details.push(h('p', { class: 'hint warn', 'data-testid': 'basemap-datum-note' }, tr('basemapGcj02Note')));
  const attribution = attributionOf(choice);
  if (attribution)
    details.push(
      h(
        'p',
        { class: 'hint', 'data-testid': 'basemap-attribution' },
        tr('basemapAttribution', { text: attribution }),
      ),
    );
  if (state.error)
    details.push(h('p', { class: 'hint error', role: 'alert', 'data-testid': 'basemap-error' }, state.error));
  replace(el, h('label', { class: 'field' }, h('span', {}, tr('basemap')), kindSelect), ...details);
}

function attributionOf(choice: BasemapChoice): string {
  try {
    return basemapStyle(choice)?.attribution ?? '';
  } catch {
    return '';
  }
}
