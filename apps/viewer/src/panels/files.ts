// The files panel: each loaded file with its role, feature count and coordinate system (with the
// choice to declare another), files held until a system that fits is declared, and the problems in the
// data (rows a reader rejected, features core rejected pointed back at their rows, warnings).
import { type DrawnRole, type FileRole, isContextRole, isWorkerRole, type RasterRole } from '../files.js';
import { locateInFiles, type OsmClip, type ReadChoices, type ReadFile } from '../formats.js';
import type { HeldRaster } from '../loading.js';
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import { rejectedTable } from '../ui/rejected.js';
import type { ViewState } from '../view/state.js';
import type { InputRole } from '../worker/protocol.js';
import { categoriesBlock, type TypeMapActions } from './categories.js';
import { crsMenu } from './crs-menu.js';
import { nextOsmClipControl, type OsmClipActions, osmClipControl } from './osm-clip.js';
import { type RasterActions, rasterControl } from './raster.js';
import { readingControls } from './reading.js';

/** The files the page holds, as the files panel shows them. */
export interface FilesContext {
  /** Every loaded file in the order loaded, with its role and feature count. */
  readonly loaded: readonly { readonly role: FileRole; readonly name: string; readonly features: number }[];
  /** The worker's inputs as read (their coordinate systems, rejections and warnings). */
  readonly reads: ReadonlyMap<InputRole, ReadFile>;
  /** Worker inputs whose coordinates contradict the system they are read in: not loaded yet. */
  readonly unconverted: ReadonlyMap<InputRole, ReadFile>;
  /** Files only drawn (districts, water, railway) as read. */
  readonly contextReads: ReadonlyMap<DrawnRole, ReadFile>;
  /** Whether the bundled synthetic city is shown. */
  readonly bundled: boolean;
  /** GeoTIFFs held, by the role they are read in. */
  readonly rasters: ReadonlyMap<RasterRole, HeldRaster>;
  /** A dropped GeoTIFF waiting for its coordinate system to be declared, or null. */
  readonly rasterWithoutCrs?: { readonly name: string; readonly message: string } | null;
  /** Where the next OpenStreetMap file dropped is clipped, and whether the user chose it. */
  readonly osmClipNext?: { readonly clip: OsmClip | null; readonly chosen: boolean };
}

export interface FilesActions extends RasterActions, OsmClipActions, TypeMapActions {
  /** Reads a file again in the coordinate system typed or chosen (null: the file's own). */
  declareCrs(role: InputRole | DrawnRole, text: string | null): void;
  /** Reads a file again with another layer or other columns. */
  chooseReading(role: InputRole | DrawnRole, choices: ReadChoices): void;
}

const WEB_MAP_CRS = new Set(['gcj02', 'bd09']);

export function renderFiles(
  section: HTMLElement,
  state: ViewState,
  i18n: I18n,
  files: FilesContext,
  actions: FilesActions,
): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const crsControlOf = (role: FileRole, name: string): HTMLElement | null => {
    const raster = role === 'dem' || role === 'populationRaster' ? files.rasters.get(role) : undefined;
    if (raster && raster.name === name) return rasterControl(role as RasterRole, raster, i18n, actions);
    const read = isWorkerRole(role)
      ? files.reads.get(role)
      : isContextRole(role)
        ? files.contextReads.get(role)
        : undefined;
    if (!read || read.name !== name) return null;
    const fileRole = role as InputRole | DrawnRole;
    return h(
      'div',
      {},
      readingControls(role, read, i18n, (choices) => actions.chooseReading(fileRole, choices)),
      isWorkerRole(role) ? osmClipControl(role, read, i18n, actions) : null,
      crsControl(fileRole, read, i18n, actions),
    );
  };
  const a = state.analysis;
  const reads = [...files.reads.values()];
  // The readers' own rejections (rows of a CSV …) first, then core's, pointed at the same rows.
  const rejected = [...reads.flatMap((r) => r.rejected), ...locateInFiles(a?.summary.rejected ?? [], reads)];
  // Validation's hint that a file looks like a Chinese web map's export is moot once it is declared one.
  const webMap = new Set(reads.filter((r) => WEB_MAP_CRS.has(r.crs?.used.id ?? '')).map((r) => r.name));
  const warnings = [
    ...reads.flatMap((r) => r.warnings),
    ...(a?.summary.warnings ?? []).filter((w) => !(w.code === 'coordinates-gcj02' && webMap.has(w.file))),
  ];
  const converted = reads.filter((r) => r.convertedFrom !== null);
  replace(
    section,
    h('h2', {}, tr('files')),
    h(
      'ul',
      { class: 'files', 'data-testid': 'file-list' },
      ...files.loaded.map((f) =>
        h(
          'li',
          {},
          h('span', { class: 'role' }, f.role),
          ` ${f.name}`,
          f.features > 0 ? ` (${i18n.int(f.features)})` : '',
          crsControlOf(f.role, f.name),
        ),
      ),
      files.rasterWithoutCrs
        ? h(
            'li',
            { class: 'unconverted', 'data-testid': 'raster-without-crs' },
            h('span', { class: 'role' }, 'GeoTIFF'),
            ` ${files.rasterWithoutCrs.name} — ${tr('crsNotLoaded')}`,
            h('p', { class: 'hint' }, files.rasterWithoutCrs.message),
            crsMenu('raster', tr('crsUnknownRaster'), null, i18n, (text) =>
              actions.declareRasterCrs(null, text),
            ),
          )
        : null,
      ...[...files.unconverted].map(([role, read]) =>
        h(
          'li',
          { class: 'unconverted', 'data-testid': 'unconverted-file' },
          h('span', { class: 'role' }, role),
          ` ${read.name} — ${tr('crsNotLoaded')}`,
          crsControl(role, read, i18n, actions),
        ),
      ),
    ),
    files.bundled ? h('p', { class: 'hint' }, `${tr('bundled')} — ${tr('syntheticNote')}`) : null,
    h('p', { class: 'hint' }, tr('dropHint')),
    h('p', { class: 'hint' }, tr('formatsNote')),
    // Chosen before a large extract is dropped, so that its first read is already clipped.
    files.osmClipNext ? nextOsmClipControl(files.osmClipNext, i18n, actions) : null,
    ...converted.map((r) =>
      h('p', { class: 'hint' }, tr('convertedCrs', { name: r.name, crs: r.convertedFrom ?? '' })),
    ),
    rejected.length > 0 || warnings.length > 0 ? h('h3', {}, tr('problems')) : null,
    rejected.length > 0
      ? h('p', { 'data-testid': 'rejected-count' }, tr('rejected', { n: rejected.length }))
      : null,
    rejected.length > 0 ? rejectedTable(rejected, i18n) : null,
    warnings.length > 0
      ? h(
          'ul',
          { class: 'warnings', 'data-testid': 'warnings' },
          ...warnings.map((w) => h('li', {}, `${w.file}: ${w.message}`)),
        )
      : null,
    // How facilities got their type from POI categories, the categories that gave none, and the
    // user's type map.
    categoriesBlock(
      a?.summary.categories,
      i18n,
      new Map((a?.types ?? []).map((t) => [t.id, t])),
      state.options.typeMap,
      actions,
    ),
  );
}

/**
 * The coordinate system a loaded analysis input is read in, and a choice to declare another: a
 * preset (WGS84, GCJ-02, BD-09, CGCS2000 and its Gauss-Krüger zones) or any EPSG code or name typed.
 */
function crsControl(
  role: InputRole | DrawnRole,
  read: ReadFile,
  i18n: I18n,
  actions: FilesActions,
): HTMLElement | null {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const record = read.crs;
  if (!record && read.crsError === null) return null;
  // EPSG codes are what users look for in a GIS; lifecircle's own ids (gcj02) are in the name.
  const used = record
    ? record.used.id.startsWith('EPSG:') && !record.used.name.includes(record.used.id)
      ? `${record.used.name} (${record.used.id})`
      : record.used.name
    : '';
  const status = !record
    ? tr('crsUnusable')
    : record.source === 'option'
      ? tr('crsDeclared', { crs: used })
      : record.source === 'file'
        ? tr('crsFromFile', { crs: used })
        : tr('crsDefault');
  return crsMenu(role, status, read.declaredCrs ?? null, i18n, (text) => actions.declareCrs(role, text));
}
