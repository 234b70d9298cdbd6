// The page's elements and one function from state to every panel: the header, the side panel's
// sections, the legend, the community card, the status line, the notice and the hover tip. It reads
// the view state and what the page holds besides it (loaded inputs, siting areas), and wires the
// panels' controls to the actions it is given; it never changes state itself, so a test renders a
// state in happy-dom and reads the DOM.

import type { SitingAreaRole } from './files.js';
import type { LoadedInputs } from './loading.js';
import { osmClipForDrop } from './osm-clip-sources.js';
import type { PanelName, SitingAreaFile } from './page.js';
import { type CardActions, renderCard } from './panels/card.js';
import { type ControlsActions, renderControls } from './panels/controls.js';
import { type ExportActions, renderExports } from './panels/exports.js';
import { type FilesActions, renderFiles } from './panels/files.js';
import { type HeaderActions, renderHeader } from './panels/header.js';
import { type IndicatorActions, renderIndicators } from './panels/indicators.js';
import { type LegendExtras, renderLegend } from './panels/legend.js';
import { type NetworkActions, renderNetworkPanel } from './panels/network.js';
import { type NoticeActions, renderNotice } from './panels/notice.js';
import { renderSiting, type SitingActions } from './panels/siting.js';
import { renderStatus, type StatusActions } from './panels/status.js';
import { verdictLine } from './panels/verdict.js';
import { renderWalkingPanel, type WalkingActions } from './panels/walking.js';
import { renderWorst, type WorstActions } from './panels/worst.js';
import type { ProfileFile } from './profile-file.js';
import { h, replace } from './ui/dom.js';
import type { I18n } from './ui/i18n.js';
import { afterShares, typeIndex, type ViewState } from './view/state.js';

/** What the file pickers offer: GeoJSON, and the formats @lifecircle/io reads. */
export const FILE_ACCEPT =
  '.geojson,.json,.geojsonl,.geojsons,.ndjson,.csv,.tsv,.txt,.xlsx,.shp,.dbf,.prj,.cpg,.shx,.zip,.fgb,.gpkg,.osm,.pbf,application/geo+json,application/json';

/** Every panel, in the order `renderPage` draws them. */
export const ALL_PANELS: readonly PanelName[] = [
  'header',
  'controls',
  'indicators',
  'network',
  'walking',
  'worst',
  'siting',
  'files',
  'exports',
  'legend',
  'card',
  'status',
  'notice',
];

/** The side panel's sections, in the order they stand. */
type SectionName =
  | 'controls'
  | 'indicators'
  | 'network'
  | 'walking'
  | 'worst'
  | 'siting'
  | 'files'
  | 'exports';

/** The page's elements, made once and redrawn in place. */
export interface PageElements {
  readonly header: HTMLElement;
  readonly mapWrap: HTMLElement;
  readonly mapElement: HTMLElement;
  readonly legend: HTMLElement;
  readonly tip: HTMLElement;
  readonly card: HTMLElement;
  readonly status: HTMLElement;
  readonly noticeBox: HTMLElement;
  readonly dropOverlay: HTMLElement;
  readonly panel: HTMLElement;
  readonly sections: Readonly<Record<SectionName, HTMLElement>>;
  /** The basemap chooser, kept across redraws of the controls (its controller draws it). */
  readonly basemapPanel: HTMLElement;
  /** The hidden file pickers: any input file, a candidates file, a siting area. */
  readonly fileInput: HTMLInputElement;
  readonly candidateInput: HTMLInputElement;
  readonly sitingAreaInput: HTMLInputElement;
}

const filePicker = (testId: string, multiple: boolean): HTMLInputElement =>
  h('input', { type: 'file', accept: FILE_ACCEPT, 'data-testid': testId, hidden: true, multiple });

/** Makes the page's elements and places them under `root`. */
export function mountPage(root: HTMLElement): PageElements {
  // The map and what floats over it, in stacking order.
  const onMap = {
    mapElement: h('div', { class: 'map', 'data-testid': 'map' }),
    legend: h('div', { class: 'legend', 'data-testid': 'legend' }),
    tip: h('div', { class: 'hover-tip', hidden: true }),
    card: h('div', { class: 'community-card', 'data-testid': 'community-card', hidden: true }),
    status: h('div', { class: 'status', 'data-testid': 'status' }),
    noticeBox: h('div', { class: 'notice', 'data-testid': 'notice', hidden: true }),
    dropOverlay: h('div', { class: 'drop-overlay', hidden: true }),
  };
  const section = (testId: string, extraClass = '') =>
    h('section', { class: `section${extraClass}`, 'data-testid': testId });
  const sections = {
    controls: section('controls', ' controls'),
    indicators: section('indicators'),
    network: section('network-panel'),
    walking: section('walking-panel'),
    worst: section('worst'),
    siting: section('siting-panel'),
    files: section('files'),
    exports: section('export'),
  };
  const elements: PageElements = {
    header: h('header', { class: 'topbar' }),
    mapWrap: h('section', { class: 'map-wrap' }, ...Object.values(onMap)),
    ...onMap,
    panel: h('aside', { class: 'panel', 'data-testid': 'panel' }, ...Object.values(sections)),
    sections,
    basemapPanel: h('div', { class: 'basemap', 'data-testid': 'basemap' }),
    fileInput: filePicker('file-input', true),
    candidateInput: filePicker('candidate-input', false),
    sitingAreaInput: filePicker('siting-area-input', false),
  };
  root.replaceChildren(
    elements.header,
    h('main', { class: 'layout' }, elements.mapWrap, elements.panel),
    elements.fileInput,
    elements.candidateInput,
    elements.sitingAreaInput,
  );
  return elements;
}

/** What the panels show besides the view state. */
export interface PageHoldings {
  readonly inputs: LoadedInputs;
  readonly sitingAreas: ReadonlyMap<SitingAreaRole, SitingAreaFile>;
  /** Profile files the user loaded, by their profile's id (offered beside the built-in ones). */
  readonly profileFiles?: ReadonlyMap<string, ProfileFile>;
  /** The excluded area being drawn and the one being edited (absent: none). */
  readonly drawing?: { readonly draft: readonly unknown[] | null; readonly editing: number | null };
}

/** The actions each panel's controls call. */
export interface PageActions {
  readonly header: HeaderActions;
  readonly controls: ControlsActions;
  readonly indicators: IndicatorActions;
  readonly network: NetworkActions;
  readonly walking: WalkingActions;
  readonly worst: WorstActions;
  readonly siting: SitingActions;
  readonly files: FilesActions;
  readonly exports: ExportActions;
  readonly card: CardActions;
  readonly status: StatusActions;
  readonly notice: NoticeActions;
}

/** What the legend needs beyond the view state: marks the page draws itself. */
export function legendExtras(view: ViewState, inputs: LoadedInputs): LegendExtras {
  return {
    proposals: view.proposals.length,
    counties: (inputs.districts?.features.length ?? 0) > 0,
  };
}

/** Draws the named panels (every one by default) from the view state and what the page holds. */
export function renderPage(
  el: PageElements,
  view: ViewState,
  i18n: I18n,
  holdings: PageHoldings,
  actions: PageActions,
  panels: readonly PanelName[] = ALL_PANELS,
): void {
  const { inputs } = holdings;
  for (const panel of panels) {
    switch (panel) {
      case 'header':
        replace(el.dropOverlay, h('div', { class: 'drop-text' }, i18n.t('dropHere')));
        renderHeader(el.header, i18n, actions.header);
        break;
      case 'controls':
        renderControls(
          el.sections.controls,
          view,
          i18n,
          {
            network: inputs.network,
            basemap: el.basemapPanel,
            profileFiles: [...(holdings.profileFiles?.keys() ?? [])],
          },
          actions.controls,
        );
        break;
      case 'indicators':
        renderIndicators(el.sections.indicators, view, i18n, actions.indicators);
        break;
      case 'network':
        renderNetworkPanel(el.sections.network, view, inputs.network, i18n, actions.network);
        break;
      case 'walking':
        renderWalkingPanel(
          el.sections.walking,
          view,
          { network: inputs.network, dem: inputs.dem },
          i18n,
          actions.walking,
        );
        break;
      case 'worst':
        renderWorst(el.sections.worst, view, i18n, actions.worst);
        break;
      case 'siting':
        renderSiting(
          el.sections.siting,
          view,
          i18n,
          {
            candidatesFile: inputs.candidatesFile,
            areaFiles: holdings.sitingAreas,
            proposeMode: view.proposeMode,
            proposals: view.proposals.length,
            drawing: {
              draftCorners: holdings.drawing?.draft?.length ?? null,
              editing: holdings.drawing?.editing ?? null,
            },
          },
          actions.siting,
        );
        break;
      case 'files':
        renderFiles(
          el.sections.files,
          view,
          i18n,
          {
            loaded: inputs.files,
            reads: inputs.reads,
            unconverted: inputs.unconverted,
            contextReads: inputs.contextReads,
            bundled: inputs.bundled,
            rasters: inputs.rasters,
            rasterWithoutCrs: inputs.rasterWithoutCrs,
            osmClipNext: osmClipForDrop({ inputs, view }),
          },
          actions.files,
        );
        break;
      case 'exports':
        renderExports(el.sections.exports, view, i18n, actions.exports);
        break;
      case 'legend':
        renderLegend(el.legend, view, i18n, legendExtras(view, inputs));
        break;
      case 'card':
        renderCard(el.card, view, i18n, actions.card);
        break;
      case 'status':
        renderStatus(el.status, view, i18n, actions.status);
        break;
      case 'notice':
        renderNotice(el.noticeBox, view, i18n, actions.notice);
        break;
    }
  }
}

/** The hover tip's lines for community `c`: its name, population and what the colour mode shows. */
export function hoverTipLines(view: ViewState, i18n: I18n, c: number): [string, string] | null {
  const a = view.analysis;
  if (!a) return null;
  const gaps = view.mode === 'gaps-all' ? view.gaps.all[c]! : view.gaps.required[c]!;
  let line2 = gaps === 0 ? i18n.t('noGaps') : i18n.t('gapsCount', { n: gaps });
  if (view.mode === 'type') {
    const after = afterShares(view);
    const v = after ? after[c]! : a.communities.share[c * a.types.length + typeIndex(view)]!;
    line2 = `${i18n.t('covered')} ${i18n.pct(v)}`;
  } else if (view.mode === 'profile' && view.compliance) {
    line2 = verdictLine(view, i18n, c);
  }
  return [
    a.communities.names[c] ?? a.communities.ids[c] ?? '',
    `${i18n.t('population')} ${i18n.int(a.communities.population[c]!)} · ${line2}`,
  ];
}

/** Shows the hover tip beside the pointer, or hides it (`c` or `point` null). */
export function renderHoverTip(
  tip: HTMLElement,
  view: ViewState,
  i18n: I18n,
  c: number | null,
  point: { x: number; y: number } | null,
): void {
  const lines = c === null || !point ? null : hoverTipLines(view, i18n, c);
  if (!lines || !point) {
    tip.hidden = true;
    return;
  }
  replace(tip, h('strong', {}, lines[0]), h('div', {}, lines[1]));
  tip.style.left = `${point.x + 14}px`;
  tip.style.top = `${point.y + 14}px`;
  tip.hidden = false;
}
