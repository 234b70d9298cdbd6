// Accessibility, print and share in Chromium (issue #15): axe-core finds no serious or critical
// violation in the main states; the bundled city is reloaded, analysed and sited with key presses only;
// a shared link reopens to the same figures; the printed page is one A4 or A3 sheet of the chosen
// orientation whose text holds the headline figures, and looks like its stored image.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithStored } from './compare-image.js';
import * as harness from './harness.js';

const { openPage, waitAnalysed, waitMapIdle } = harness;

const require = createRequire(import.meta.url);
// pdf.js 6 uses Promise.withResolvers, which Node 20 lacks.
if (!('withResolvers' in Promise))
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((a, b) => {
        resolve = a;
        reject = b;
      });
      return { promise, resolve, reject };
    },
  });
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** The machine is shared: the first analysis and profile check can take minutes under load. */
const SLOW = 300_000;
/**
 * One step of a keyboard test (a key press, a focus or an answer awaited): far below SLOW, so that a
 * step that never ends fails on its own, naming itself and what the page shows.
 */
const STEP = 60_000;
/** A siting run's step: the model runs in the worker, slower than a key press's answer under load. */
const SITING = 150_000;

type Lifecircle = {
  lifecircle: {
    meeting: { preparePrint(s: { paper: string; orientation: string }): Promise<void> };
    mapView: { centre(): [number, number]; map: MapLibreMap };
    state: {
      siteResult: { model: string; sites: unknown[] } | null;
      palette: string;
      proposals: unknown[];
      busy: unknown;
    };
  };
};

let session: harness.ViewerSession | undefined;
let page: Page;

beforeAll(async () => {
  session = await harness.startAnalysedViewer('?lang=en', SLOW);
  page = session.page;
}, SLOW);

afterAll(async () => {
  await harness.stopViewer(session);
});

/** Serious and critical axe-core violations on the page as it is, one line each. */
async function axeViolations(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(AXE_SOURCE);
  const result = await p.evaluate(() =>
    (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document, { resultTypes: ['violations'] }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * Presses Tab, or Shift+Tab when the first element with the test id comes before the focus in the
 * document, until that element has the focus (fails after `limit` presses or STEP ms). Going the short
 * way round keeps the presses few: each is a round trip to a renderer that may be busy drawing the map.
 */
async function tabTo(p: Page, testid: string, limit = 250): Promise<void> {
  const key = await p.evaluate((id) => {
    const target = document.querySelector(`[data-testid="${id}"]`);
    const active = document.activeElement;
    if (!target || !active || active === document.body) return 'Tab';
    return target.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING ? 'Shift+Tab' : 'Tab';
  }, testid);
  const deadline = Date.now() + STEP;
  for (let i = 0; i < limit && Date.now() < deadline; i++) {
    await p.keyboard.press(key);
    const reached = await p.evaluate(
      (id) => document.activeElement === document.querySelector(`[data-testid="${id}"]`),
      testid,
    );
    if (reached) return;
  }
  throw new Error(`${key} never reached ${testid} in ${limit} presses or ${STEP} ms`);
}

/**
 * What the page shows, in one line, for a step's failure: the focused element, the work under way,
 * the proposals and the siting result, the site rows, the notice and the page's errors. The page may
 * itself be stuck: then it says so after 5 s.
 */
async function pageSnapshot(p: Page, errors: readonly string[]): Promise<string> {
  const shown = p.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    const state = (window as unknown as Lifecircle).lifecircle.state;
    const testids = (id: string) =>
      [...document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)].map(
        (e) => `${e.dataset.label ?? e.textContent}@${e.dataset.lon ?? ''}`,
      );
    return JSON.stringify({
      active: active && `${active.tagName.toLowerCase()}[${active.dataset.testid ?? active.className}]`,
      busy: document.body.dataset.busy,
      work: state.busy,
      proposals: state.proposals,
      siteResult: state.siteResult && `${state.siteResult.model}, ${state.siteResult.sites.length} sites`,
      siteRows: testids('site-row'),
      markers: testids('proposal-marker'),
      notice: document.querySelector('[data-testid="notice"]:not([hidden])')?.textContent ?? null,
    });
  });
  const stuck = new Promise<string>((done) =>
    setTimeout(() => done('(the page did not answer in 5 s)'), 5000),
  );
  return `${await Promise.race([shown.catch((e: unknown) => `(no snapshot: ${e})`), stuck])}; errors: ${JSON.stringify(errors)}`;
}

/** Runs one step of a keyboard test, failing after `timeout` with the step's name and the page's state. */
async function step(name: string, run: () => Promise<unknown>, timeout = STEP + 5000): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no end in ${timeout} ms`)), timeout);
  });
  try {
    await Promise.race([run(), expired]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`step "${name}": ${message}\npage: ${await pageSnapshot(page, session?.errors ?? [])}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The share and print tests need a siting run's sites on the page. The keyboard tests above leave
 * them; when one of those failed half-way (its own failure is reported), the panel's model is run
 * here, so the tests below still test sharing and printing rather than fail again for the same cause.
 * The run switches the map to the sited type and flies to the sites: the mode and the view are put
 * back, so the printed page is the one the keyboard tests would have left (its stored image too).
 */
async function ensureSiteRun(p: Page): Promise<void> {
  await waitAnalysed(p, SLOW);
  const model = await p.evaluate(() => (window as unknown as Lifecircle).lifecircle.state.siteResult?.model);
  if (model !== undefined && model !== 'evaluate') return;
  const mode = await p.getByTestId('mode-select').inputValue();
  const camera = await p.evaluate(() => {
    const map = (window as unknown as Lifecircle).lifecircle.mapView.map;
    return { center: map.getCenter().toArray(), zoom: map.getZoom(), bearing: map.getBearing() };
  });
  await p.getByTestId('run-siting').click();
  await waitSites(p);
  await waitMapIdle(p, SLOW);
  await p.getByTestId('mode-select').selectOption(mode);
  await waitAnalysed(p, SLOW);
  await p.evaluate((view) => (window as unknown as Lifecircle).lifecircle.mapView.map.jumpTo(view), camera);
  await waitMapIdle(p, SLOW);
}

/** The map's centre in WGS84: where *Propose at the map's centre* and *Move to centre* place. */
function mapCentre(p: Page): Promise<[number, number]> {
  return p.evaluate(() => (window as unknown as Lifecircle).lifecircle.mapView.centre());
}

/** Runs the siting panel's model with key presses only and waits for its ranked sites. */
async function siteByKeyboard(p: Page): Promise<void> {
  await tabTo(p, 'run-siting');
  await p.keyboard.press('Enter');
  await waitSites(p);
}

/** Waits for a siting run's rows and for the page to be idle again (also in a hook: no expect.poll). */
async function waitSites(p: Page): Promise<void> {
  await p.getByTestId('site-row').first().waitFor({ state: 'attached', timeout: SLOW });
  await waitAnalysed(p, SLOW);
}

async function headline(p: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const id of ['community-count', 'population', 'facility-count', 'gap-count', 'complete-rate'])
    out[id] = (await p.getByTestId(id).textContent()) ?? '';
  out.sites = (
    await p
      .getByTestId('site-row')
      .evaluateAll((rows) => rows.map((r) => `${r.dataset.label}:${r.dataset.added}`))
  ).join(' ');
  return out;
}

describe('accessibility', () => {
  it('has no serious or critical axe-core violation once loaded and analysed', async () => {
    expect(await axeViolations(page)).toEqual([]);
  });

  it(
    'reloads, analyses and sites the bundled city with key presses only, focus always visible',
    async () => {
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await tabTo(page, 'bundled-button');
      // The focus ring is drawn (a visible outline) on the focused control.
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      expect(outline).toBe('solid');
      await page.keyboard.press('Enter');
      await waitAnalysed(page, SLOW);
      // A new analysis: the settings' *Analyse again* (open the details with Enter, then the button).
      await tabTo(page, 'palette-select');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect
        .poll(() => page.evaluate(() => (window as unknown as Lifecircle).lifecircle.state.palette))
        .toBe('cividis');
      await tabTo(page, 'settings-summary');
      await page.keyboard.press('Enter');
      await tabTo(page, 'reanalyse');
      await page.keyboard.press('Space');
      await waitAnalysed(page, SLOW);
      await siteByKeyboard(page);
      expect(await axeViolations(page)).toEqual([]);
    },
    SLOW,
  );

  it(
    'places, moves and removes a proposed facility with key presses only',
    async () => {
      // The map's centre is the keyboard's cursor: place a proposal there from the siting panel, once
      // the map has stopped. The siting run above ends with the map flying to its sites (0.8 s): on a
      // quiet machine the key presses below came within that flight, placed P1 on its way, and the
      // test then waited 300 s for *Move to centre* to bring P1 back to that point, which was no
      // longer the centre. A user places at the centre they see, once the map stands still.
      await step('the map stands still', () => waitMapIdle(page, STEP));
      await step('tab to propose-at-centre', () => tabTo(page, 'propose-at-centre'));
      await step('press Enter on propose-at-centre', () => page.keyboard.press('Enter'));
      await step('one proposal marker drawn', () =>
        expect.poll(() => page.getByTestId('proposal-marker').count(), { timeout: STEP }).toBe(1),
      );
      const row = page.getByTestId('site-row').first();
      await step('the first site row is P1', () =>
        expect.poll(() => row.getAttribute('data-label'), { timeout: STEP }).toBe('P1'),
      );
      const placed = Number(await row.getAttribute('data-lon'));
      expect(placed).toBeCloseTo((await mapCentre(page))[0], 9);
      // The marker takes the focus with Tab and the arrow keys move it (Shift: further); it keeps the
      // focus when it is drawn anew at its new place, so the next press moves it further.
      await step('tab to proposal-marker', () => tabTo(page, 'proposal-marker'));
      await step('press Shift+ArrowRight on the marker', () => page.keyboard.press('Shift+ArrowRight'));
      await step('P1 moved east', () =>
        expect
          .poll(async () => Number(await row.getAttribute('data-lon')), { timeout: STEP })
          .toBeGreaterThan(placed),
      );
      const nudged = Number(await row.getAttribute('data-lon'));
      expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid)).toBe(
        'proposal-marker',
      );
      await step('press ArrowRight on the marker', () => page.keyboard.press('ArrowRight'));
      await step('P1 moved east again', () =>
        expect
          .poll(async () => Number(await row.getAttribute('data-lon')), { timeout: STEP })
          .toBeGreaterThan(nudged),
      );
      // Back to the centre from the list, then removed.
      await step('tab to move-proposal', () => tabTo(page, 'move-proposal'));
      const [centreLon] = await mapCentre(page);
      await step('press Enter on move-proposal', () => page.keyboard.press('Enter'));
      await step(`P1 back at the centre (${centreLon})`, () =>
        expect
          .poll(async () => Number(await row.getAttribute('data-lon')), { timeout: STEP })
          .toBeCloseTo(centreLon, 9),
      );
      expect(await axeViolations(page)).toEqual([]);
      await step('tab to remove-proposal', () => tabTo(page, 'remove-proposal'));
      await step('press Enter on remove-proposal', () => page.keyboard.press('Enter'));
      await step('no proposal marker left', () =>
        expect.poll(() => page.getByTestId('proposal-marker').count(), { timeout: STEP }).toBe(0),
      );
      await step('site again', () => siteByKeyboard(page), SITING);
    },
    SLOW,
  );

  it(
    'opens a community card from the worst-served list by keyboard and closes it with Escape',
    async () => {
      await tabTo(page, 'worst-item');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('community-card').isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('community-card').isVisible()).toBe(false);
    },
    SLOW,
  );

  it(
    'has no serious violation with the profile shown and with an error message open',
    async () => {
      await page.getByTestId('mode-select').selectOption('profile');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByTestId('file-input').setInputFiles({
        name: 'communities.geojson',
        mimeType: 'application/geo+json',
        buffer: Buffer.from('{ not json'),
      });
      // Read in the reading worker, started for this first dropped file: not at once under load.
      await expect.poll(() => page.getByTestId('notice').isVisible(), { timeout: 60_000 }).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('notice').isVisible()).toBe(false);
      await page.getByTestId('mode-select').selectOption('gaps-required');
      await waitAnalysed(page, SLOW);
    },
    SLOW,
  );
});

describe('share', () => {
  beforeAll(() => ensureSiteRun(page), SLOW);

  it(
    'reopens a shared link to the same figures, palette and sites',
    async () => {
      const before = await headline(page);
      expect(before.sites).not.toBe('');
      await page.getByTestId('share-link').click();
      await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#scenario=[A-Za-z0-9_-]+$/);
      const url = await page.evaluate(() => location.href);
      // Nothing was dropped: the bundled city travels by name, no file is missing.
      expect(await page.getByTestId('share-missing').count()).toBe(0);
      const other = await openPage(session!.browser, session!.origin);
      await other.page.goto(url);
      await waitAnalysed(other.page, SLOW);
      await expect
        .poll(() => other.page.getByTestId('site-row').count(), { timeout: SLOW })
        .toBeGreaterThan(0);
      await waitAnalysed(other.page, SLOW);
      expect(await headline(other.page)).toEqual(before);
      expect(
        await other.page.evaluate(() => (window as unknown as Lifecircle).lifecircle.state.palette),
      ).toBe('cividis');
      expect(other.errors).toEqual([]);
      await other.page.context().close();
    },
    SLOW,
  );
});

describe('share on the user’s own files', () => {
  it(
    'reopens a link made on dropped files to the same figures once the named files are dropped again',
    async () => {
      const fixture = (name: string) =>
        readFileSync(`${harness.VIEWER_ROOT}/../../fixtures/pingliang/${name}`);
      const box = (w: number, s: number, e: number, n: number) => ({
        type: 'Feature',
        properties: {},
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [w, s],
              [e, s],
              [e, n],
              [w, n],
              [w, s],
            ],
          ],
        },
      });
      const files = [
        {
          name: 'my-communities.geojson',
          mimeType: 'application/geo+json',
          buffer: fixture('communities.geojson'),
        },
        {
          name: 'my-facilities.geojson',
          mimeType: 'application/geo+json',
          buffer: fixture('facilities.geojson'),
        },
        {
          name: 'excluded-areas.geojson',
          mimeType: 'application/geo+json',
          buffer: Buffer.from(
            JSON.stringify({ type: 'FeatureCollection', features: [box(106.66, 35.53, 106.68, 35.55)] }),
          ),
        },
      ];
      const own = await openPage(session!.browser, session!.origin);
      await own.page.goto(`${session!.url}?lang=en`);
      await waitAnalysed(own.page, SLOW);
      await own.page.getByTestId('file-input').setInputFiles(files);
      await expect
        .poll(() => own.page.getByTestId('siting-area-excluded-file').textContent(), { timeout: SLOW })
        .toContain('excluded-areas.geojson');
      await waitAnalysed(own.page, SLOW);
      await own.page.getByTestId('run-siting').click();
      await expect.poll(() => own.page.getByTestId('site-row').count(), { timeout: SLOW }).toBeGreaterThan(0);
      await waitAnalysed(own.page, SLOW);
      const before = await headline(own.page);
      await own.page.getByTestId('share-link').click();
      // Every dropped file is named as missing, the siting area's too.
      const missing = (await own.page.getByTestId('share-missing').textContent()) ?? '';
      for (const f of files) expect(missing).toContain(f.name);
      const url = await own.page.evaluate(() => location.href);
      await own.page.context().close();

      const other = await openPage(session!.browser, session!.origin);
      await other.page.goto(url);
      await expect.poll(() => other.page.getByTestId('notice').isVisible(), { timeout: SLOW }).toBe(true);
      const asked = (await other.page.getByTestId('error-message').textContent()) ?? '';
      for (const f of files) expect(asked).toContain(f.name);
      await other.page.getByTestId('file-input').setInputFiles(files);
      await expect
        .poll(() => other.page.getByTestId('site-row').count(), { timeout: SLOW })
        .toBeGreaterThan(0);
      await waitAnalysed(other.page, SLOW);
      expect(await headline(other.page)).toEqual(before);
      expect(other.errors).toEqual([]);
      expect(other.offsite).toEqual([]);
      await other.page.context().close();
    },
    SLOW,
  );
});

describe('print', () => {
  const SHEETS_PT = { A4: [595.92, 842.88], A3: [842.88, 1191.12] } as const;

  beforeAll(() => ensureSiteRun(page), SLOW);

  for (const paper of ['A4', 'A3'] as const) {
    for (const orientation of ['landscape', 'portrait'] as const) {
      it(
        `prints one ${paper} ${orientation} sheet with the map, the figures, the indicators and the sites`,
        async () => {
          await waitMapIdle(page, SLOW);
          await page.evaluate((s) => (window as unknown as Lifecircle).lifecircle.meeting.preparePrint(s), {
            paper,
            orientation,
          });
          const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
          const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
          const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
          expect(doc.numPages).toBe(1);
          const sheet = await doc.getPage(1);
          const [, , w, h] = sheet.view;
          const [short, long] = SHEETS_PT[paper];
          const [ew, eh] = orientation === 'portrait' ? [short, long] : [long, short];
          // Chromium rounds the sheet to whole CSS pixels: within 2 pt of ISO 216.
          expect(Math.abs(w! - ew)).toBeLessThan(2);
          expect(Math.abs(h! - eh)).toBeLessThan(2);
          // The PDF's text runs are split at ligatures and spaced unevenly: compared without white space.
          const squeeze = (t: string) => t.replace(/\s+/g, '');
          const text = squeeze(
            (await sheet.getTextContent()).items.map((i) => ('str' in i ? i.str : '')).join(''),
          );
          const figures = await headline(page);
          for (const id of ['community-count', 'population', 'gap-count', 'complete-rate'] as const)
            expect(text, id).toContain(squeeze(figures[id]!));
          for (const heading of ['Headline figures', 'Indicators against targets', 'New sites, ranked'])
            expect(text).toContain(squeeze(heading));
          // Every ranked site is on the sheet, none cut off by the page's end.
          const sites = await page
            .getByTestId('site-row')
            .evaluateAll((rows) => rows.map((r) => r.dataset.label ?? ''));
          expect(sites.length).toBeGreaterThan(0);
          for (const site of sites) expect(text).toContain(squeeze(site));
          // The last indicator row is on the sheet too (laid out for print).
          await page.emulateMedia({ media: 'print' });
          const lastIndicator = await page.evaluate(() => {
            const rows = document.querySelectorAll('[data-testid="print-indicators"] tbody tr');
            const row = rows[rows.length - 1];
            if (!row) return false;
            const page = document.querySelector('[data-testid="print-page"]')!.getBoundingClientRect();
            return row.getBoundingClientRect().bottom <= page.bottom + 0.5;
          });
          await page.emulateMedia({ media: null });
          expect(lastIndicator).toBe(true);
          // The map image is in the page, not blank: its pixels vary.
          const distinct = await page.evaluate(async () => {
            const img = document.querySelector<HTMLImageElement>('[data-testid="print-map-image"]')!;
            await img.decode();
            const c = document.createElement('canvas');
            c.width = img.naturalWidth;
            c.height = img.naturalHeight;
            const ctx = c.getContext('2d')!;
            ctx.drawImage(img, 0, 0);
            const data = ctx.getImageData(0, 0, c.width, c.height).data;
            const seen = new Set<number>();
            for (let i = 0; i < data.length; i += 4 * 97)
              seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
            return seen.size;
          });
          expect(distinct).toBeGreaterThan(20);
        },
        SLOW,
      );
    }
  }

  it(
    'looks like the stored image of the A4 landscape page (print media)',
    async () => {
      await page.evaluate((s) => (window as unknown as Lifecircle).lifecircle.meeting.preparePrint(s), {
        paper: 'A4',
        orientation: 'landscape',
      });
      await page.emulateMedia({ media: 'print' });
      try {
        const shot = await page.getByTestId('print-page').screenshot({
          animations: 'disabled',
          caret: 'hide',
          // The date of printing changes every day.
          mask: [page.locator('.print-head p')],
          maskColor: '#888888',
        });
        const result = compareWithStored('print-a4-landscape', shot);
        expect(result.width).toBeGreaterThan(400);
        expect(result.differentShare).toBeLessThanOrEqual(0.02);
      } finally {
        await page.emulateMedia({ media: null });
      }
    },
    SLOW,
  );
});
