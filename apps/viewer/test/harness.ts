// Browser-test plumbing: a static server for the built viewer on a free loopback port, and Debian's
// Chromium driven by playwright-core. Every request that leaves the loopback server fails the test,
// because the viewer must work offline.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { compareWithStored } from './compare-image.js';

/** The viewer's folder, and the folder its build goes to. */
export const VIEWER_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(VIEWER_ROOT, 'dist');

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

/**
 * The headers that make a page cross-origin isolated, as docs/viewer.md asks of a server: the viewer
 * then has SharedArrayBuffer and splits its searches over a pool of Web Workers.
 */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'credentialless',
} as const;

/** Serves `root` on 127.0.0.1 at a free port; `isolated`: with {@link ISOLATION_HEADERS}. */
export async function serveStatic(
  root: string,
  { isolated = false }: { isolated?: boolean } = {},
): Promise<{ url: string; server: Server }> {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(base, path));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...(isolated ? ISOLATION_HEADERS : {}),
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Builds the viewer (vite build) into DIST_DIR, as a user's build would. */
export function buildViewer(): void {
  execFileSync(join(VIEWER_ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], {
    cwd: VIEWER_ROOT,
    stdio: 'inherit',
  });
}

/** The built viewer on a loopback server and Chromium, with one page open on it (see openPage). */
export interface ViewerSession {
  readonly server: Server;
  readonly url: string;
  /** The server's origin (the URL without its last slash): requests elsewhere are offsite. */
  readonly origin: string;
  readonly browser: Browser;
  readonly page: Page;
  readonly offsite: string[];
  readonly errors: string[];
}

/**
 * Builds the viewer, serves it (`isolated`: cross-origin isolated, so its analysis runs on every
 * core), starts Chromium and opens a page on it (not yet navigated).
 */
export async function startViewer({ isolated = false }: { isolated?: boolean } = {}): Promise<ViewerSession> {
  buildViewer();
  const { server, url } = await serveStatic(DIST_DIR, { isolated });
  const origin = url.replace(/\/$/, '');
  const browser = await launchChromium();
  const { page, offsite, errors } = await openPage(browser, origin);
  return { server, url, origin, browser, page, offsite, errors };
}

/** startViewer, then its page opened on the viewer with `query` and waited for until analysed. */
export async function startAnalysedViewer(query: string, timeout: number): Promise<ViewerSession> {
  const session = await startViewer();
  await session.page.goto(`${session.url}${query}`);
  await waitAnalysed(session.page, timeout);
  return session;
}

/** Closes what startViewer started (either may be missing when the set-up failed). */
export async function stopViewer(session: ViewerSession | undefined): Promise<void> {
  await session?.browser.close();
  session?.server.close();
}

type MapHandle = { lifecircle: { mapView: { map: MapLibreMap } } };

/** Waits until the page shows an analysis and nothing runs (no load, analysis, check or siting run). */
export async function waitAnalysed(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () =>
      (window as unknown as { lifecircle?: { analysis: unknown } }).lifecircle?.analysis !== null &&
      document.body.dataset.busy === 'false',
    null,
    { timeout },
  );
}

/** Waits until the map has stopped moving (no fly-to under way) and its last frame is drawn. */
export async function waitMapIdle(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => !(window as unknown as MapHandle).lifecircle.mapView.map.isMoving(),
    null,
    {
      timeout,
    },
  );
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        const map = (window as unknown as MapHandle).lifecircle.mapView.map;
        map.once('idle', () => done());
        map.triggerRepaint();
      }),
  );
}

/**
 * Compares the map with its legend (what a planner sees) against the stored image `name`, with the
 * pointer away so no hover tip shows. The status line is masked: it reports the analysis time, which
 * differs from run to run. `tolerance`: the share of pixels that may differ.
 */
export async function expectMapLike(page: Page, name: string, tolerance: number): Promise<void> {
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  const shot = await page.getByTestId('map').screenshot({
    animations: 'disabled',
    caret: 'hide',
    mask: [page.getByTestId('status')],
    maskColor: '#888888',
  });
  const result = compareWithStored(name, shot);
  expect(result.width).toBeGreaterThan(300);
  expect(result.differentShare, `${name}: share of differing pixels`).toBeLessThanOrEqual(tolerance);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A page that records every request to anything but `origin` (data: and blob: URLs stay in the page)
 * and every page error.
 */
export async function openPage(
  browser: Browser,
  origin: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ page: Page; offsite: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const offsite: string[] = [];
  const errors: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, offsite, errors };
}

/** Main-thread CPU of the renderer in a Chrome trace: total and the largest task, in ms of thread time. */
export function rendererMainCpu(trace: Buffer): { cpuMs: number; maxTaskMs: number; tasks: number } {
  const tasks = rendererMainTasks(trace);
  return {
    cpuMs: tasks.reduce((sum, t) => sum + t.cpuMs, 0),
    maxTaskMs: Math.max(0, ...tasks.map((t) => t.cpuMs)),
    tasks: tasks.length,
  };
}

/**
 * The renderer's main-thread tasks in a Chrome trace (category `toplevel`), each with its wall time
 * and its thread time (CPU), in ms: on a loaded machine the wall time also counts the time the thread
 * waited for a core.
 */
export function rendererMainTasks(trace: Buffer): { wallMs: number; cpuMs: number }[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set<string>();
  for (const e of events) {
    if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') main.add(`${e.pid}:${e.tid}`);
  }
  const tasks: { wallMs: number; cpuMs: number }[] = [];
  for (const e of events) {
    if (e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`)) continue;
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask') continue;
    tasks.push({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 });
  }
  return tasks;
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}
