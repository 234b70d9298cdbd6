// The files panel as its tests render it (files.test.ts, categories.test.ts): an empty context that a
// test patches, and actions that do nothing unless the test passes its own.

import type { ReadFile } from '../formats.js';
import type { I18n } from '../ui/i18n.js';
import type { ViewState } from '../view/state.js';
import type { InputRole } from '../worker/protocol.js';
import { type FilesActions, type FilesContext, renderFiles } from './files.js';

/** A files-panel context with nothing loaded, but for `patch`. */
export const filesContext = (patch: Partial<FilesContext> = {}): FilesContext => ({
  loaded: [],
  reads: new Map(),
  unconverted: new Map(),
  contextReads: new Map(),
  bundled: false,
  rasters: new Map(),
  ...patch,
});

/** The context patch of one loaded file of `role` and its read (`features` features). */
export const oneFile = (role: InputRole, read: ReadFile, features = 1): Partial<FilesContext> => ({
  loaded: [{ role, name: read.name, features }],
  reads: new Map([[role, read]]),
});

/** The files panel for `state`, rendered into a new section with `filesContext(patch)`. */
export function renderFilesPanel(
  state: ViewState,
  i18n: I18n,
  patch: Partial<FilesContext> = {},
  actions: Partial<FilesActions> = {},
): HTMLElement {
  const el = document.createElement('section');
  renderFiles(el, state, i18n, filesContext(patch), {
    declareCrs: () => {},
    chooseReading: () => {},
    chooseRasterRole: () => {},
    removeRaster: () => {},
    declareRasterCrs: () => {},
    chooseOsmClip: () => {},
    chooseNextOsmClip: () => {},
    loadTypeMap: () => {},
    mapCategory: () => {},
    downloadTypeMap: () => {},
    removeTypeMap: () => {},
    ...actions,
  });
  return el;
}
