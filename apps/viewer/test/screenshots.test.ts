// What the map shows, against stored images: the bundled city after its analysis and its standard-
// profile view, each compared pixel by pixel with a tolerance (see compare-image.ts), so a change in
// colours, layers or legend fails here. Also: cancelling a profile check leaves the previous result
// on screen, unchanged. Fixed viewport (1280×800 at scale 1), animations off, the CJK font installed
// by scripts/ensure-chromium.sh.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectMapLike as expectMapLikeIn,
  startViewer,
  stopViewer,
  type ViewerSession,
  waitAnalysed,
  waitMapIdle,
} from './harness.js';

/** The worker's test hook (WorkerClient.holdAnswers) and the release it returned. */
type HeldViewer = { lifecircle: { worker: { holdAnswers(): () => void } }; releaseAnswers: () => void };

/** Share of pixels that may differ: software WebGL and font hinting move a few edges between runs. */
const TOLERANCE = 0.01;

let session: ViewerSession | undefined;
let page: Page;
let errors: string[];
let offsite: string[];

async function waitReady(): Promise<void> {
  await waitAnalysed(page);
  await page.waitForFunction(() => window.lifecircle.mapView.map.loaded(), null, { timeout: 30_000 });
  await waitMapIdle(page);
}

const expectMapLike = (name: string) => expectMapLikeIn(page, name, TOLERANCE);

beforeAll(async () => {
  session = await startViewer();
  ({ page, errors, offsite } = session);
  await page.goto(session.url);
  await waitReady();
}, 180_000);

afterAll(() => stopViewer(session));

describe('what the map shows, against stored images', () => {
  it('the bundled city coloured by its gaps after the analysis', async () => {
    await expectMapLike('bundled-city-gaps');
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
  });

  it('the complete-community profile: verdicts per community', async () => {
    await page.getByTestId('mode-select').selectOption('profile');
    await page.getByTestId('profile-select').selectOption('complete-community');
    await waitReady();
    await expectMapLike('profile-complete-community');
  });
});

describe('cancelling', () => {
  it('a profile check leaves the previous profile, figures and map on screen, unchanged', async () => {
    const shown = async () => ({
      profile: await page.getByTestId('profile-select').inputValue(),
      rate: await page.getByTestId('complete-rate').textContent(),
      indicators: await page
        .getByTestId('indicator')
        .evaluateAll((els) => els.map((e) => [e.dataset.id, e.dataset.value, e.dataset.target])),
      colours: await page.evaluate(() =>
        Array.from({ length: 457 }, (_, id) =>
          String(window.lifecircle.mapView.map.getFeatureState({ source: 'communities', id }).k),
        ),
      ),
    });
    const before = await shown();
    expect(before.profile).toBe('complete-community');
    expect(before.indicators.length).toBeGreaterThan(0);
    // The worker's answers are held back, so the check of another profile is surely still running
    // when cancel is clicked, however fast the machine; released after, its answer arrives too late.
    await page.evaluate(() => {
      (window as unknown as HeldViewer).releaseAnswers = (
        window as unknown as HeldViewer
      ).lifecircle.worker.holdAnswers();
    });
    await page.getByTestId('profile-select').selectOption('gb50180-2018');
    await page.getByTestId('cancel').click({ timeout: 30_000 });
    await page.evaluate(() => (window as unknown as HeldViewer).releaseAnswers());
    await page.waitForFunction(() => document.body.dataset.busy === 'false', null, { timeout: 30_000 });
    expect(await page.getByTestId('status-text').textContent()).toBe('已取消');
    expect(await shown()).toEqual(before);
    // The page keeps working on the replacement worker: the other profile can be checked after all.
    await page.getByTestId('profile-select').selectOption('gb50180-2018');
    await waitReady();
    expect(await page.getByTestId('profile-select').inputValue()).toBe('gb50180-2018');
    expect((await shown()).rate).not.toBe(before.rate);
    expect(errors).toEqual([]);
  });
});
