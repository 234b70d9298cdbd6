// Both cores in the browser: the built viewer served cross-origin isolated (COOP and COEP headers)
// splits core's searches over a pool of Web Workers; served without them it runs on one thread and
// says so. The pooled answers must equal the one-thread answers on every community and type:
// straight-line distance on a generated city of 2,000 communities and 20,000 facilities, and walking
// along the bundled city's roads (snapping and the network counts run on the pool too).
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer, DIST_DIR, launchChromium, openPage, serveStatic, waitAnalysed } from './harness.js';
import { syntheticCity } from './synthetic.js';

interface Side {
  readonly server: Server;
  readonly page: Page;
  readonly offsite: string[];
  readonly errors: string[];
}

let browser: Browser;
let pooled: Side;
let single: Side;

async function open(isolated: boolean): Promise<Side> {
  const { server, url } = await serveStatic(DIST_DIR, { isolated });
  const { page, offsite, errors } = await openPage(browser, url.replace(/\/$/, ''));
  await page.goto(url);
  await waitAnalysed(page, 120_000);
  return { server, page, offsite, errors };
}

/** Every figure of the page's analysis, as plain arrays (NaN and Infinity kept). */
function figures(page: Page) {
  return page.evaluate(() => {
    const a = (
      window as unknown as {
        lifecircle: {
          analysis: {
            threads: number;
            communities: Record<string, ArrayLike<number>> & { count: number };
            summary: unknown;
          };
        };
      }
    ).lifecircle.analysis;
    const c = a.communities;
    const arrays = ['population', 'share', 'coveredPop', 'nearestM', 'nearestFacility', 'within', 'gap'];
    return {
      threads: a.threads,
      count: c.count,
      summary: JSON.stringify(a.summary),
      ...Object.fromEntries(arrays.map((k) => [k, Array.from(c[k]!).map(String)])),
    };
  });
}

const statusText = (page: Page) => page.getByTestId('status-text').textContent();

beforeAll(async () => {
  buildViewer();
  browser = await launchChromium();
  pooled = await open(true);
  single = await open(false);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  pooled?.server.close();
  single?.server.close();
});

describe('the worker pool in Chromium', () => {
  it('runs on every core when cross-origin isolated, on one otherwise, and says which', async () => {
    const cores = await pooled.page.evaluate(() => navigator.hardwareConcurrency);
    expect(await pooled.page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await single.page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect((await figures(pooled.page)).threads).toBe(Math.min(8, cores));
    expect((await figures(single.page)).threads).toBe(1);
    if (cores > 1) expect(await statusText(pooled.page)).toContain(`${Math.min(8, cores)} 个线程`);
    expect(await statusText(single.page)).toContain('单线程');
  });

  it('gives the one-thread answers on every community and type of a 2,000-community city', async () => {
    const city = syntheticCity(2000, 20_000);
    const files = Object.entries(city).map(([name, collection]) => ({
      name: `${name}.geojson`,
      mimeType: 'application/geo+json',
      buffer: Buffer.from(JSON.stringify(collection)),
    }));
    for (const side of [pooled, single]) {
      await side.page.getByTestId('file-input').setInputFiles(files);
      await expect
        .poll(() => side.page.getByTestId('community-count').textContent(), { timeout: 300_000 })
        .toBe('2,000');
      await waitAnalysed(side.page, 300_000);
    }
    const [a, b] = [await figures(pooled.page), await figures(single.page)];
    expect(a.count).toBe(2000);
    expect({ ...a, threads: 0 }).toEqual({ ...b, threads: 0 });
  }, 900_000);

  it('gives the one-thread answers walking along the bundled roads', async () => {
    for (const side of [pooled, single]) {
      await side.page.reload();
      await waitAnalysed(side.page, 120_000);
      await side.page.getByTestId('distance-select').selectOption('network');
      await expect
        .poll(() => side.page.evaluate(() => window.lifecircle.analysis?.distance.kind), { timeout: 120_000 })
        .toBe('network');
      await waitAnalysed(side.page, 120_000);
    }
    const [a, b] = [await figures(pooled.page), await figures(single.page)];
    expect(a.count).toBe(457);
    expect({ ...a, threads: 0 }).toEqual({ ...b, threads: 0 });
    for (const side of [pooled, single]) {
      expect(side.offsite).toEqual([]);
      expect(side.errors).toEqual([]);
    }
  }, 600_000);
});
