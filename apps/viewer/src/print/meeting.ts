// The *Print and share* section of the panel and what its buttons do: print the meeting page
// (print-page.ts) on the chosen sheet, and put the scenario in the URL hash as a link (share.ts),
// saying which dropped files the link leaves out. The page (app.ts) hands in what it holds: the map,
// the view state, its legend and its scenario.
import type { MapView } from '../map/map-view.js';
import { shareableScenario, shareHash } from '../share.js';
import { h, replace } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import { drawMarkers } from '../ui/png.js';
import type { ViewState } from '../view/state.js';
import {
  DEFAULT_PRINT,
  drawScaleAndNorth,
  metresPerPixel,
  ORIENTATIONS,
  type Orientation,
  PAPERS,
  type Paper,
  type PrintSettings,
  pageRule,
  renderPrintPage,
} from './print-page.js';

/** What the section needs from the page. */
export interface MeetingHost {
  readonly i18n: I18n;
  readonly mapView: MapView;
  /** The map's element (its size in CSS pixels scales the canvas). */
  readonly mapElement: HTMLElement;
  state(): ViewState;
  /** Renders the legend as over the map into `el`. */
  renderLegend(el: HTMLElement): void;
  /** The scenario file's content for what the page shows. */
  scenario(): unknown;
  /** The note that the bundled city is made up ('' for the user's data). */
  note(): string;
}

export class Meeting {
  private settings: PrintSettings = DEFAULT_PRINT;
  /** What the last share said (the link is ready; which files it leaves out). */
  private shareMessage: { text: string; missing: string } | null = null;
  private readonly page = h('div', {
    class: 'print-page',
    'data-testid': 'print-page',
    'aria-hidden': 'true',
  });
  private readonly pageStyle = h('style', { 'data-testid': 'print-page-rule' });

  constructor(
    private readonly section: HTMLElement,
    private readonly host: MeetingHost,
  ) {
    document.head.append(this.pageStyle);
    document.body.append(this.page);
  }

  render(): void {
    const i18n = this.host.i18n;
    const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
    const analysed = this.host.state().analysis !== null;
    const choice = <T extends string>(
      testid: string,
      label: TextKey,
      values: readonly T[],
      current: T,
      text: (v: T) => string,
      set: (v: T) => void,
    ) =>
      h(
        'label',
        { class: 'field' },
        h('span', {}, tr(label)),
        h(
          'select',
          { 'data-testid': testid, onchange: (e) => set((e.target as HTMLSelectElement).value as T) },
          ...values.map((v) => h('option', { value: v, selected: v === current }, text(v))),
        ),
      );
    const orientationText: Record<Orientation, TextKey> = {
      landscape: 'printLandscape',
      portrait: 'printPortrait',
    };
    replace(
      this.section,
      h('h2', {}, tr('meetingHeading')),
      h(
        'div',
        { class: 'row two' },
        choice(
          'print-paper',
          'printPaper',
          PAPERS,
          this.settings.paper,
          (p) => p,
          (paper: Paper) => {
            this.settings = { ...this.settings, paper };
          },
        ),
        choice(
          'print-orientation',
          'printOrientation',
          ORIENTATIONS,
          this.settings.orientation,
          (o) => tr(orientationText[o]),
          (orientation: Orientation) => {
            this.settings = { ...this.settings, orientation };
          },
        ),
      ),
      h(
        'div',
        { class: 'row wrap' },
        h(
          'button',
          { type: 'button', 'data-testid': 'print', disabled: !analysed, onclick: () => void this.print() },
          tr('printButton'),
        ),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'share-link',
            disabled: !analysed,
            onclick: () => void this.share(),
          },
          tr('shareLink'),
        ),
      ),
      this.shareMessage
        ? h(
            'p',
            { class: 'hint', 'data-testid': 'share-message', role: 'status' },
            this.shareMessage.text,
            this.shareMessage.missing
              ? h('strong', { 'data-testid': 'share-missing' }, ` ${this.shareMessage.missing}`)
              : null,
          )
        : null,
    );
  }

  /**
   * Lays out the printed page for the chosen sheet and opens the browser's print dialog (Chromium's
   * print to PDF takes the sheet size from the @page rule). The map is copied from its canvas first:
   * WebGL's drawing buffer is not kept, so printing the canvas itself would print it blank.
   */
  async print(settings: PrintSettings = this.settings): Promise<void> {
    await this.preparePrint(settings);
    window.print();
  }

  /** Builds the printed page and its @page rule without printing (the browser tests print to PDF). */
  async preparePrint(settings: PrintSettings = this.settings): Promise<void> {
    this.settings = settings;
    const { i18n, mapView, mapElement } = this.host;
    const canvas = await mapView.snapshot();
    const width = mapElement.clientWidth;
    const height = mapElement.clientHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(canvas.width / width, canvas.height / height);
    drawMarkers(ctx, mapView.markerLabels());
    const centre = mapView.map.getCenter();
    drawScaleAndNorth(
      ctx,
      { width, height, metresPerPixel: metresPerPixel(centre.lat, mapView.map.getZoom()) },
      i18n.t('printNorth'),
      (m) => (m >= 1000 ? `${i18n.dec(m / 1000)} km` : `${i18n.int(m)} m`),
    );
    const legend = h('div', { class: 'legend print-legend' });
    this.host.renderLegend(legend);
    const date = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long' }).format(new Date());
    renderPrintPage(this.page, this.host.state(), i18n, {
      settings,
      mapImage: canvas.toDataURL('image/png'),
      legend,
      note: this.host.note(),
      date,
    });
    this.pageStyle.textContent = pageRule(settings);
    const image = this.page.querySelector('img');
    if (image) await image.decode().catch(() => undefined);
    this.render();
  }

  /**
   * Puts the scenario in the URL hash (without the files the user dropped, which are named) and copies
   * the link when the browser lets the page write to the clipboard.
   */
  async share(): Promise<string> {
    const tr = (key: TextKey, values?: Record<string, string | number>) => this.host.i18n.t(key, values);
    const { scenario, missing } = shareableScenario(this.host.scenario());
    const hash = shareHash(scenario);
    history.replaceState(null, '', hash);
    let copied = false;
    try {
      await navigator.clipboard.writeText(location.href);
      copied = true;
    } catch {
      // No clipboard permission (a plain http page, a test browser): the link is in the address bar.
    }
    this.shareMessage = {
      text: tr('shareLinkReady', { copied: copied ? tr('shareCopied') : '' }),
      missing:
        missing.length > 0 ? tr('shareMissingFiles', { files: missing.map((m) => m.name).join(', ') }) : '',
    };
    this.render();
    return location.href;
  }
}
