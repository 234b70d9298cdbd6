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
  const roles = ROLES_BY_FILE[role] ?? [];
  const positions = positionMenus(role, read, i18n, reread);
  if ((roles.length === 0 || read.headers.length === 0) && !positions) return null;
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
    return columnMenu(
      `column-${role}-${columnRole}`,
      i18n.t(ROLE_LABELS[columnRole]),
      auto,
      read.headers,
      current,
      (value) => {
        const columns: Record<string, string> = { ...named };
        if (value === '') delete columns[`${columnRole}Column`];
        else columns[`${columnRole}Column`] = value;
        reread({ columns: columns as ColumnOptions });
      },
    );
  });
  return h(
    'details',
    { class: 'columns', 'data-testid': `columns-${role}` },
    h('summary', {}, i18n.t('columnPicker')),
    positions,
    ...(read.headers.length > 0 ? menus : []),
  );
}

/** A menu of a table's columns whose first entry leaves the choice to io's detection. */
function columnMenu(
  testid: string,
  label: string,
  auto: string,
  columns: readonly string[],
  current: string,
  choose: (column: string) => void,
): HTMLElement {
  const menu = h(
    'select',
    { 'data-testid': testid, onchange: (e) => choose((e.target as HTMLSelectElement).value) },
    h('option', { value: '' }, auto),
    ...columns.map((column) => h('option', { value: column }, column)),
  );
  menu.value = current;
  return h('label', { class: 'column-role' }, `${label} `, menu);
}

/**
 * Where a table's positions are read from: its longitude and latitude columns, or one column of
 * `lng,lat` (AMap's location, 坐标) or WKT (io's `lonColumn`, `latColumn` and `positionColumn`, the
 * CLI's --lon-column, --lat-column and --position-column), each defaulting to io's detection. Naming
 * one kind forgets the other; the file is read again from its bytes.
 */
function positionMenus(
  role: FileRole,
  read: ReadFile,
  i18n: I18n,
  reread: (choices: ReadChoices) => void,
): HTMLElement | null {
  if (!read.positions) return null;
  const { used, columns } = read.positions;
  const named = read.choices.coordinates ?? {};
  const detected = (column: string | undefined) =>
    column === undefined ? i18n.t('columnNone') : i18n.t('columnDetected', { column });
  const lonLat = used.kind === 'lonlat' ? used : null;
  const one = used.kind === 'lonlat' ? null : used.column;
  const pair = (lon: string | undefined, lat: string | undefined) => ({
    coordinates: { ...(lon ? { lonColumn: lon } : {}), ...(lat ? { latColumn: lat } : {}) },
  });
  return h(
    'div',
    { class: 'positions', 'data-testid': `positions-${role}` },
    h('h4', {}, i18n.t('positionHeading')),
    columnMenu(
      `position-${role}-lon`,
      i18n.t('positionLon'),
      detected(named.lonColumn === undefined ? lonLat?.lon : undefined),
      columns,
      named.lonColumn ?? '',
      (column) => reread(pair(column, named.latColumn)),
    ),
    columnMenu(
      `position-${role}-lat`,
      i18n.t('positionLat'),
      detected(named.latColumn === undefined ? lonLat?.lat : undefined),
      columns,
      named.latColumn ?? '',
      (column) => reread(pair(named.lonColumn, column)),
    ),
    columnMenu(
      `position-${role}-one`,
      i18n.t('positionOne'),
      detected(named.positionColumn === undefined ? (one ?? undefined) : undefined),
      columns,
      named.positionColumn ?? '',
      (column) => reread({ coordinates: column ? { positionColumn: column } : {} }),
    ),
  );
}
