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
export function rendererMainTasks(trace: Buffer): MainThreadTask[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set<string>();
  for (const e of events) {
    if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') main.add(`${e.pid}:${e.tid}`);
  }
  const tasks: MainThreadTask[] = [];
  for (const e of events) {
    if (e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`)) continue;
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask') continue;
    tasks.push({
      tid: e.tid ?? 0,
      startUs: e.ts ?? 0,
      wallMs: (e.dur ?? 0) / 1000,
      cpuMs: (e.tdur ?? e.dur ?? 0) / 1000,
    });
  }
  return tasks;
}

/**
 * The thread time (ms) the renderer's main thread spent in garbage collections in a trace recorded
 * with {@link NAMING_TRACE_CATEGORIES} (its `MinorGC` and `MajorGC` events).
 */
export function rendererMainGcCpuMs(trace: Buffer): number {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set<string>();
  for (const e of events) {
    if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') main.add(`${e.pid}:${e.tid}`);
  }
  let us = 0;
  for (const e of events)
    if (e.ph === 'X' && (e.name === 'MinorGC' || e.name === 'MajorGC') && main.has(`${e.pid}:${e.tid}`))
      us += e.tdur ?? e.dur ?? 0;
  return us / 1000;
}

/** A renderer main-thread task in a trace: its thread, start (trace clock, µs), wall and thread time (ms). */
export interface MainThreadTask {
  readonly tid: number;
  readonly startUs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** The trace categories that name what a main-thread task ran ({@link namedLongTasks}). */
export const NAMING_TRACE_CATEGORIES = ['toplevel', 'devtools.timeline'];

/** A long main-thread task and what it ran, from a Chrome trace ({@link namedLongTasks}). */
export interface NamedTask {
  /** When it started, in ms after the trace's first event. */
  readonly atMs: number;
  /** When it started and ended on the trace's clock (µs), which a CPU profile's samples share. */
  readonly startUs: number;
  readonly endUs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The chain of trace events that took most of its time, outermost first (`RunTask` left out). */
  readonly path: string;
  /** Its events by their own time (thread time where traced, else wall), longest first, at most five. */
  readonly own: readonly { readonly what: string; readonly ms: number }[];
}

/**
 * The renderer's main-thread tasks of at least `minCpuMs` of thread time in a Chrome trace recorded with
 * {@link NAMING_TRACE_CATEGORIES}, each named by the events it ran: a function called (its name, file
 * and line), an event dispatched (its type: a worker's `message`), a frame, a garbage collection.
 */
export function namedLongTasks(trace: Buffer, minCpuMs: number): NamedTask[] {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set<string>();
  let first = Number.POSITIVE_INFINITY;
  for (const e of events) {
    if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') main.add(`${e.pid}:${e.tid}`);
    if (e.ts !== undefined && e.ts > 0) first = Math.min(first, e.ts);
  }
  const spans = mainThreadSpans(events, main);
  const named: NamedTask[] = [];
  for (let i = 0; i < spans.length; i++) {
    const task = spans[i]!;
    if (!isTask(task.event) || task.cpu / 1000 < minCpuMs) continue;
    // The spans inside the task, as a tree: each one's parent is the innermost span still open.
    const end = task.start + task.wall;
    const inside: TraceSpan[] = [];
    for (let j = i + 1; j < spans.length && spans[j]!.start < end; j++) inside.push(spans[j]!);
    const tree = spanTree(task, inside);
    const own = new Map<string, number>();
    for (const node of tree.all) {
      if (node === tree.root) continue;
      const ms = (node.span.cpu - node.children.reduce((sum, c) => sum + c.span.cpu, 0)) / 1000;
      const what = spanLabel(node.span.event);
      own.set(what, (own.get(what) ?? 0) + Math.max(0, ms));
    }
    const rootOwn = (task.cpu - tree.root.children.reduce((sum, c) => sum + c.span.cpu, 0)) / 1000;
    if (rootOwn > 0) own.set('(in the task, outside traced events)', rootOwn);
    const path: string[] = [];
    for (let node = tree.root; node.children.length > 0; ) {
      node = node.children.reduce((a, b) => (b.span.cpu > a.span.cpu ? b : a));
      path.push(`${spanLabel(node.span.event)} ${Math.round(node.span.cpu / 1000)}`);
    }
    named.push({
      atMs: Math.round((task.start - first) / 1000),
      startUs: task.start,
      endUs: end,
      wallMs: Math.round(task.wall / 1000),
      cpuMs: Math.round(task.cpu / 1000),
      path: path.join(' > ') || '(no traced event inside)',
      own: [...own]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([what, ms]) => ({ what, ms: Math.round(ms) })),
    });
  }
  return named;
}

/** A named task as one line: `+12.3 s 180 ms CPU (950 wall): path; own: what 120, …`. */
export function describeNamedTask(t: NamedTask): string {
  const own = t.own.map((o) => `${o.what} ${o.ms}`).join(', ');
  return `+${(t.atMs / 1000).toFixed(1)} s ${t.cpuMs} ms CPU (${t.wallMs} wall): ${t.path}; own time: ${own}`;
}

/** A CPU profile as Chrome's `Profiler.stop` returns it (the fields read here). */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * What a CPU profile sampled between two times of the trace's clock (µs): the heaviest call stack
 * (outermost first) and the functions by their own time, longest first (at most five), in ms.
 */
export function profiledWithin(
  profile: CpuProfile,
  fromUs: number,
  toUs: number,
): { stack: string; own: { what: string; ms: number }[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const next = t + (profile.timeDeltas[i + 1] ?? 0);
    if (t < fromUs || t >= toUs) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (next - t));
  }
  const label = (id: number) => {
    const f = byId.get(id)?.callFrame;
    if (!f) return '?';
    const file = f.url.split('/').pop();
    return file ? `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}` : f.functionName;
  };
  const totalUs = new Map<number, number>();
  for (const [id, us] of selfUs)
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n))
      totalUs.set(n, (totalUs.get(n) ?? 0) + us);
  const stack: string[] = [];
  const root = profile.nodes.find((n) => !parent.has(n.id));
  for (let n = root; n; ) {
    const heaviest: number | undefined = (n.children ?? [])
      .filter((c) => totalUs.has(c))
      .sort((a, b) => totalUs.get(b)! - totalUs.get(a)!)[0];
    if (heaviest === undefined) break;
    stack.push(`${label(heaviest)} ${Math.round(totalUs.get(heaviest)! / 1000)}`);
    n = byId.get(heaviest);
  }
  const own = new Map<string, number>();
  for (const [id, us] of selfUs) own.set(label(id), (own.get(label(id)) ?? 0) + us);
  return {
    stack: stack.join(' > '),
    own: [...own]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([what, us]) => ({ what, ms: Math.round(us / 1000) })),
  };
}

interface TraceSpan {
  readonly event: TraceEvent;
  /** µs on the trace's clock. */
  readonly start: number;
  readonly wall: number;
  /** Thread time in µs (the wall time where the event has none). */
  readonly cpu: number;
}

/** The main thread's complete (`X`) and begin/end (`B`/`E`) events as spans, by start. */
function mainThreadSpans(events: readonly TraceEvent[], main: ReadonlySet<string>): TraceSpan[] {
  const spans: TraceSpan[] = [];
  const open = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (!main.has(thread) || e.ts === undefined) continue;
    if (e.ph === 'X') {
      spans.push({ event: e, start: e.ts, wall: e.dur ?? 0, cpu: e.tdur ?? e.dur ?? 0 });
    } else if (e.ph === 'B') {
      const begun = open.get(thread) ?? [];
      open.set(thread, begun);
      begun.push(e);
    } else if (e.ph === 'E') {
      const begun = open.get(thread)?.pop();
      if (begun?.ts === undefined) continue;
      const cpu = e.tts !== undefined && begun.tts !== undefined ? e.tts - begun.tts : e.ts - begun.ts;
      spans.push({ event: begun, start: begun.ts, wall: e.ts - begun.ts, cpu });
    }
  }
  // Outer spans first where two start together.
  return spans.sort((a, b) => a.start - b.start || b.wall - a.wall);
}

interface SpanNode {
  readonly span: TraceSpan;
  readonly children: SpanNode[];
}

/** The spans inside `root` (sorted by start) nested by their times. */
function spanTree(root: TraceSpan, inside: readonly TraceSpan[]): { root: SpanNode; all: SpanNode[] } {
  const top: SpanNode = { span: root, children: [] };
  const all = [top];
  const stack = [top];
  for (const span of inside) {
    while (stack.length > 1) {
      const open = stack[stack.length - 1]!.span;
      if (span.start < open.start + open.wall) break;
      stack.pop();
    }
    const node: SpanNode = { span, children: [] };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
    all.push(node);
  }
  return { root: top, all };
}

function isTask(e: TraceEvent): boolean {
  return e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
}

/** What an event did, in a few words: a function called with its file and line, an event's type. */
function spanLabel(e: TraceEvent): string {
  const data = e.args?.data;
  if (e.name === 'FunctionCall' && data) {
    const file = (data.url ?? '').split('/').pop() || '?';
    return `call ${data.functionName || '(anonymous)'} ${file}:${(data.lineNumber ?? 0) + 1}`;
  }
  if (e.name === 'EventDispatch' && data?.type) return `event ${data.type}`;
  if (e.name === 'EvaluateScript' && data?.url) return `script ${data.url.split('/').pop()}`;
  return e.name;
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts?: number;
  readonly tts?: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: {
    readonly name?: string;
    readonly data?: {
      readonly functionName?: string;
      readonly url?: string;
      readonly lineNumber?: number;
      readonly type?: string;
    };
  };
}
