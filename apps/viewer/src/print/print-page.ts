// The page printed for a meeting: an A4 or A3 sheet, landscape or portrait, with the map as shown (an
// image of its canvas, with the labels, a scale bar and a north arrow drawn into it, so they scale
// with it), its legend, the headline figures, the profile's indicators against their targets and the
// ranked new sites of the last siting run. The browser prints it through print CSS: an @page rule of
// the chosen size, and every other element hidden from print. Pure DOM building from the view state,
// so the dom tests check it without a browser; print-controller.ts takes the map image and prints.
import { headlineFigures, indicatorFormat, metMark } from '../panels/indicators.js';
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import { profileName } from '../view/profiles.js';
import type { ViewState } from '../view/state.js';

export type Paper = 'A4' | 'A3';
export type Orientation = 'landscape' | 'portrait';
export const PAPERS: readonly Paper[] = ['A4', 'A3'];
export const ORIENTATIONS: readonly Orientation[] = ['landscape', 'portrait'];

export interface PrintSettings {
  readonly paper: Paper;
  readonly orientation: Orientation;
}

export const DEFAULT_PRINT: PrintSettings = { paper: 'A4', orientation: 'landscape' };

/** ISO 216 sizes in millimetres, portrait (width, height). */
const PAPER_MM: Readonly<Record<Paper, readonly [number, number]>> = { A4: [210, 297], A3: [297, 420] };

/** The printer's margin on every side, in millimetres. */
export const PRINT_MARGIN_MM = 10;

/** Width and height of the sheet in millimetres. */
export function sheetMm(settings: PrintSettings): [number, number] {
  const [w, h] = PAPER_MM[settings.paper];
  return settings.orientation === 'portrait' ? [w, h] : [h, w];
}

/** The @page rule of the chosen sheet (Chromium's print to PDF takes its size from it). */
export function pageRule(settings: PrintSettings): string {
  return `@page { size: ${settings.paper} ${settings.orientation}; margin: ${PRINT_MARGIN_MM}mm; }`;
}

/** What the printed page shows besides the view state. */
export interface PrintParts {
  readonly settings: PrintSettings;
  /** The map as shown, as an image URL (a data URL of its canvas). */
  readonly mapImage: string;
  /** The legend, rendered as over the map. */
  readonly legend: HTMLElement;
  /** A note under the title (the bundled city is made up), or ''. */
  readonly note: string;
  /** When it was printed, as the reader should see it. */
  readonly date: string;
}

/**
 * Builds the printed page in `el`: the title, the map with its legend, and beside it (landscape) or
 * under it (portrait) the headline figures, the indicators against targets and the ranked new sites.
 * The page is sized to the sheet inside its margins, so it prints on one sheet.
 */
export function renderPrintPage(el: HTMLElement, state: ViewState, i18n: I18n, parts: PrintParts): void {
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const [w, ht] = sheetMm(parts.settings);
  el.className = `print-page ${parts.settings.orientation}`;
  el.dataset.paper = parts.settings.paper;
  el.dataset.orientation = parts.settings.orientation;
  el.style.width = `${w - 2 * PRINT_MARGIN_MM}mm`;
  el.style.height = `${ht - 2 * PRINT_MARGIN_MM}mm`;
  const figures = headlineFigures(state, i18n);
  replace(
    el,
    h(
      'header',
      { class: 'print-head' },
      h('h1', {}, tr('title')),
      h('p', {}, [parts.note, tr('printMade', { date: parts.date })].filter((x) => x !== '').join(' · ')),
    ),
    h(
      'figure',
      { class: 'print-map' },
      h('img', { src: parts.mapImage, alt: tr('mapRegion'), 'data-testid': 'print-map-image' }),
      parts.legend,
    ),
    h(
      'div',
      { class: 'print-side' },
      h('h2', {}, tr('printHeadline')),
      h(
        'dl',
        { class: 'print-figures', 'data-testid': 'print-figures' },
        ...figures.flatMap((f) => [
          h('dt', {}, f.label),
          h(
            'dd',
            { 'data-testid': `print-${f.testid}` },
            f.value,
            f.sub ? h('small', {}, ` (${f.sub})`) : null,
          ),
        ]),
      ),
      // The sites before the indicators: a short list that must not be cut, then the long table.
      sitesTable(state, i18n),
      indicatorTable(state, i18n),
    ),
  );
}

/** The profile's city indicators: value, target and whether it is met (✓ ✗ ? with words). */
function indicatorTable(state: ViewState, i18n: I18n): HTMLElement | null {
  const comp = state.compliance;
  if (!comp) return null;
  const tr = (key: TextKey) => i18n.t(key);
  const rows = comp.indicators.flatMap((info) => {
    const r = comp.city.indicators[info.id];
    if (!r) return [];
    const format = indicatorFormat(info.kind, i18n);
    return [
      h(
        'tr',
        {},
        h('td', {}, i18n.locale === 'zh-CN' ? info.name_zh : info.name_en),
        h('td', { class: 'num' }, format(r.value)),
        h('td', { class: 'num' }, format(r.target)),
        h('td', {}, r.target === null ? '' : metMark(r.met, i18n)),
      ),
    ];
  });
  return h(
    'section',
    {},
    h('h2', {}, `${tr('printIndicators')} · ${profileName(comp.profile.id, i18n.locale)}`),
    printTable(
      'print-indicators',
      [tr('printIndicator'), tr('printValue'), tr('printTarget'), tr('printMet')],
      rows,
    ),
  );
}

/** The last siting run's new sites in rank order, with the residents each adds. */
function sitesTable(state: ViewState, i18n: I18n): HTMLElement {
  const tr = (key: TextKey) => i18n.t(key);
  const r = state.siteResult;
  if (!r || r.model === 'evaluate' || r.sites.length === 0)
    return h('section', {}, h('h2', {}, tr('printSites')), h('p', { class: 'muted' }, tr('printNoSites')));
  const type = state.analysis?.types.find((t) => t.id === r.typeId);
  return h(
    'section',
    {},
    h('h2', {}, `${tr('printSites')}${type ? ` · ${i18n.typeName(type)}` : ''}`),
    printTable(
      'print-sites',
      [tr('printRank'), tr('printSite'), tr('printAdded'), tr('printCumulative')],
      r.sites.map((s) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, String(s.rank)),
          h('td', {}, s.label),
          h('td', { class: 'num' }, i18n.int(s.addedPopulation)),
          h('td', { class: 'num' }, i18n.pct(s.cumulativeShare)),
        ),
      ),
    ),
  );
}

/** A table of the printed page: one header row, then the rows. */
function printTable(testid: string, headers: readonly string[], rows: readonly HTMLElement[]): HTMLElement {
  return h(
    'table',
    { class: 'print-table', 'data-testid': testid },
    h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', {}, text)))),
    h('tbody', {}, ...rows),
  );
}

/** Metres on the ground per CSS pixel of a MapLibre map (512-pixel tiles) at a latitude and zoom. */
export function metresPerPixel(lat: number, zoom: number): number {
  return (2 * Math.PI * 6_378_137 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** The longest round length (1, 2 or 5 × 10ⁿ metres) that fits in `maxMetres`. */
export function roundLength(maxMetres: number): number {
  const power = 10 ** Math.floor(Math.log10(maxMetres));
  for (const step of [5, 2, 1]) if (step * power <= maxMetres) return step * power;
  return power;
}

/**
 * Draws a scale bar (bottom left) and a north arrow (top right) on a map image. `ctx` is scaled to CSS
 * pixels; `width` and `height` are the map's size in them. The map never rotates, so north is up.
 */
export function drawScaleAndNorth(
  ctx: CanvasRenderingContext2D,
  map: { width: number; height: number; metresPerPixel: number },
  northLabel: string,
  metres: (m: number) => string,
): void {
  const length = roundLength(map.metresPerPixel * Math.min(200, map.width / 4));
  const px = length / map.metresPerPixel;
  const x = 16;
  const y = map.height - 22;
  ctx.save();
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(x - 6, y - 20, px + 12, 30);
  ctx.strokeStyle = '#222';
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x, y - 6);
  ctx.lineTo(x, y);
  ctx.lineTo(x + px, y);
  ctx.lineTo(x + px, y - 6);
  ctx.stroke();
  ctx.fillStyle = '#222';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  ctx.fillText(metres(length), x + 2, y - 4);
  // North arrow: a filled triangle over the letter.
  const nx = map.width - 30;
  const ny = 18;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillRect(nx - 14, ny - 6, 28, 46);
  ctx.fillStyle = '#222';
  ctx.beginPath();
  ctx.moveTo(nx, ny);
  ctx.lineTo(nx + 8, ny + 20);
  ctx.lineTo(nx, ny + 15);
  ctx.lineTo(nx - 8, ny + 20);
  ctx.closePath();
  ctx.fill();
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.font = '600 13px system-ui, sans-serif';
  ctx.fillText(northLabel, nx, ny + 23);
  ctx.restore();
}
