// The coordinate-system menu of a file in the files panel (a vector input's, or a GeoTIFF's): a
// status line, presets (WGS84, GCJ-02, BD-09, CGCS2000 and its Gauss-Krüger zones) and any EPSG code
// or name typed, as the CLI's --communities-crs or --population-raster-crs take them.
import { h } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';

/** The coordinate systems the menu offers ('' is the file's own, else WGS84). */
const CRS_PRESETS: readonly (readonly [string, TextKey])[] = [
  ['', 'crsAsFile'],
  ['wgs84', 'crsWgs84'],
  ['gcj02', 'crsGcj02'],
  ['bd09', 'crsBd09'],
  ['cgcs2000', 'crsCgcs2000'],
  ['cgcs2000-gk3', 'crsGk3'],
  ['cgcs2000-gk6', 'crsGk6'],
  ['web-mercator', 'crsWebMercator'],
];

/**
 * The menu: `status` says what the file is read in, `declared` is the system declared now (null:
 * none), and `declare` reads it again in the one chosen or typed (null: the file's own). `id` names
 * the test ids (`crs-select-ID` …).
 */
export function crsMenu(
  id: string,
  status: string,
  declared: string | null,
  i18n: I18n,
  declare: (text: string | null) => void,
): HTMLElement {
  const tr = (key: TextKey) => i18n.t(key);
  const value = declared ?? '';
  const preset = CRS_PRESETS.some(([v]) => v === value) ? value : 'other';
  const input = h('input', {
    type: 'text',
    class: 'crs-text',
    value,
    placeholder: tr('crsPlaceholder'),
    'aria-label': tr('crsTyped'),
    'data-testid': `crs-input-${id}`,
    onkeydown: (e) => {
      if ((e as KeyboardEvent).key === 'Enter') declare(input.value.trim() || null);
    },
  });
  return h(
    'div',
    { class: 'crs', 'data-testid': `crs-${id}` },
    h('span', { class: 'hint', 'data-testid': `crs-status-${id}` }, status),
    h(
      'label',
      {},
      `${tr('crsDeclare')} `,
      h(
        'select',
        {
          'data-testid': `crs-select-${id}`,
          onchange: (e) => {
            const chosen = (e.target as HTMLSelectElement).value;
            if (chosen === 'other') input.focus();
            else declare(chosen || null);
          },
        },
        ...CRS_PRESETS.map(([v, label]) => h('option', { value: v, selected: v === preset }, tr(label))),
        h('option', { value: 'other', selected: preset === 'other' }, tr('crsOther')),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      input,
      h(
        'button',
        {
          type: 'button',
          'data-testid': `crs-apply-${id}`,
          onclick: () => declare(input.value.trim() || null),
        },
        tr('crsApply'),
      ),
    ),
  );
}
