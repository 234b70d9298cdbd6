// The export buttons: results as GeoJSON and CSV, the profile's verdicts, the map as PNG, the
// scenario and the sites. Each is enabled when there is something to export.
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import type { ViewState } from '../view/state.js';
import type { ExportFormat } from '../worker/protocol.js';

export interface ExportActions {
  exportResults(format: ExportFormat): void;
  exportPng(): void;
  exportScenario(): void;
  exportSites(): void;
}

export function renderExports(el: HTMLElement, state: ViewState, i18n: I18n, actions: ExportActions): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const disabled = !state.analysis;
  const button = (testid: string, text: TextKey, onclick: () => void, off = disabled) =>
    h('button', { type: 'button', disabled: off, 'data-testid': testid, onclick }, tr(text));
  replace(
    el,
    h('h2', {}, tr('exportHeading')),
    h(
      'div',
      { class: 'row wrap' },
      button('export-geojson', 'exportGeojson', () => actions.exportResults('geojson')),
      button('export-csv', 'exportCsv', () => actions.exportResults('csv')),
      button(
        'export-compliance-csv',
        'exportComplianceCsv',
        () => actions.exportResults('compliance-csv'),
        !state.compliance,
      ),
      button(
        'export-compliance-geojson',
        'exportComplianceGeojson',
        () => actions.exportResults('compliance-geojson'),
        !state.compliance,
      ),
      button('export-png', 'exportPng', () => actions.exportPng()),
      button('export-scenario', 'exportScenario', () => actions.exportScenario()),
      button('export-sites', 'exportSites', () => actions.exportSites(), !state.siteResult),
    ),
  );
}
