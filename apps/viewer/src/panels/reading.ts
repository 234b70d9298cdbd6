// How a loaded file is read, chosen under it in the files panel: the layer of a file holding several
// (a GeoPackage's table, a workbook's sheet, a zip's shapefile) and the column picker (which of the
// file's columns holds each role, defaulting to what @lifecircle/io detected). A change reads the file
// again (formats.ts `rereadFile`) and the analysis reruns.
import type { ColumnOptions, ColumnRole } from '@lifecircle/io';
import type { FileRole } from '../files.js';
import type { ReadChoices, ReadFile } from '../formats.js';
import { h } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';

/** The roles worth a column menu for each kind of file: what core reads from it. */
const ROLES_BY_FILE: Partial<Record<FileRole, readonly ColumnRole[]>> = {
  communities: ['id', 'name', 'population', 'households', 'district'],
  facilities: ['id', 'name', 'type', 'capacity', 'district', 'status'],
  demand: ['id', 'population'],
  candidates: ['id', 'name', 'capacity', 'district'],
};

const ROLE_LABELS: Readonly<Record<ColumnRole, TextKey>> = {
  id: 'columnId',
  name: 'columnName',
  type: 'columnType',
  population: 'columnPopulation',
  households: 'columnHouseholds',
  capacity: 'columnCapacity',
  district: 'columnDistrict',
  status: 'columnStatus',
};

/** The layer menu and column picker of one loaded file, or null when it has neither to offer. */
export function readingControls(
  role: FileRole,
  read: ReadFile,
  i18n: I18n,
  reread: (choices: ReadChoices) => void,
): HTMLElement | null {
  const layer = read.layers.length > 1 ? layerMenu(role, read, i18n, reread) : null;
  const columns = columnPicker(role, read, i18n, reread);
  return layer || columns ? h('div', { class: 'reading' }, layer, columns) : null;
}

function layerMenu(
  role: FileRole,
  read: ReadFile,
  i18n: I18n,
  reread: (choices: ReadChoices) => void,
): HTMLElement {
  const menu = h(
    'select',
    {
      'data-testid': `layer-select-${role}`,
      onchange: (e) => reread({ layer: (e.target as HTMLSelectElement).value }),
    },
    ...read.layers.map((name) => h('option', { value: name }, name)),
  );
  menu.value = read.layer ?? read.layers[0]!;
  return h('label', {}, `${i18n.t('layerChoose')} `, menu);
}

function columnPicker(
  role: FileRole,
  read: ReadFile,
  i18n: I18n,
  reread: (choices: ReadChoices) => void,
): HTMLElement | null {
  const roles = ROLES_BY_FILE[role];
  if (!roles || read.headers.length === 0) return null;
  const used = new Map(read.columns.map((c) => [c.role, c]));
  const named = read.choices.columns ?? {};
  const menus = roles.map((columnRole) => {
    const use = used.get(columnRole);
    const detected = use?.source === 'detected' ? use.column : null;
    const current = named[`${columnRole}Column`] ?? '';
    // The first entry leaves the role to io's detection, and says what it found.
    const auto =
      detected !== null
        ? i18n.t('columnDetected', { column: detected })
        : i18n.t(columnRole === 'id' && read.generatedIds ? 'columnIdsMadeUp' : 'columnNone');
    const menu = h(
      'select',
      {
        'data-testid': `column-${role}-${columnRole}`,
        onchange: (e) => {
          const value = (e.target as HTMLSelectElement).value;
          const columns: Record<string, string> = { ...named };
          if (value === '') delete columns[`${columnRole}Column`];
          else columns[`${columnRole}Column`] = value;
          reread({ columns: columns as ColumnOptions });
        },
      },
      h('option', { value: '' }, auto),
      ...read.headers.map((header) => h('option', { value: header }, header)),
    );
    menu.value = current;
    return h('label', { class: 'column-role' }, `${i18n.t(ROLE_LABELS[columnRole])} `, menu);
  });
  return h(
    'details',
    { class: 'columns', 'data-testid': `columns-${role}` },
    h('summary', {}, i18n.t('columnPicker')),
    ...menus,
  );
}
