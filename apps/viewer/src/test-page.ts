// Test helper: a Page (page.ts) in Node for the operation modules' tests. Its worker is the real
// engine (core) answering in the same thread, its map a recorder of the calls it receives, and its
// redraws are recorded by panel name, so a test drives an operation and reads the state it leaves.
import { syntheticCity } from '../test/synthetic.js';
import * as analysisRun from './analysis-run.js';
import * as drawingRun from './drawing-run.js';
import type { ReadDropped } from './file-reading.js';
import { initialInputs } from './loading.js';
import type { MapView } from './map/map-view.js';
import { applyView } from './map-sync.js';
import type { Page, PanelName } from './page.js';
import * as scenarioOpen from './scenario-open.js';
import * as sitingRun from './siting-run.js';
import { townFiles } from './test-cli.js';
import { I18n } from './ui/i18n.js';
import { initialViewState, noticeShown, workEnded, workStarted } from './view/state.js';
import { WorkerClient } from './worker/client.js';
import { Engine } from './worker/engine.js';
import type { Request } from './worker/protocol.js';
import { bytesInHand, serveRequest } from './worker/serve.js';
import * as workerLoading from './worker-loading.js';

/** A Page in Node and what it recorded. */
export interface TestPage extends Page {
  /** Every map call, as [method, ...arguments]. */
  readonly mapCalls: unknown[][];
  /** Every redraw: the panels named (empty: all). */
  readonly renders: (readonly PanelName[])[];
  /** Errors shown. */
  readonly errors: unknown[];
  /** Every busy message shown, in order. */
  readonly busyMessages: string[];
  /** Makes the page's generation move on, as a cancel does. */
  cancel(): void;
}

/** The synthetic test city's files as the worker receives them. */
export function cityFiles(communities = 40, facilities = 14): { communities: File; facilities: File } {
  const city = syntheticCity(communities, facilities, 7);
  return {
    communities: new File([JSON.stringify(city.communities)], 'communities.geojson'),
    facilities: new File([JSON.stringify(city.facilities)], 'facilities.geojson'),
  };
}

/** The engine behind the worker client's interface, answering in this thread. */
function engineClient(engine: Engine): WorkerClient {
  const client = {
    load: async (files: Parameters<WorkerClient['load']>[0]) => engine.load(await bytesInHand(files)),
    unload: async (role: Parameters<Engine['unload']>[0]) => engine.unload(role),
    analyze: async (
      options: Parameters<Engine['analyze']>[0],
      onProgress?: Parameters<Engine['analyze']>[1],
    ) => engine.prepare(options).then(() => engine.analyze(options, onProgress)),
    check: async (
      profile: string,
      onProgress?: Parameters<Engine['check']>[1],
      definition?: Parameters<Engine['check']>[2],
    ) => engine.check(profile, onProgress, definition),
    items: async (c: number) => engine.items(c),
    catchments: async (typeId: string) => engine.catchments(typeId),
    site: (request: Parameters<Engine['site']>[0], onProgress?: Parameters<Engine['site']>[1]) =>
      engine.site(request, onProgress),
    export: async (format: Parameters<Engine['export']>[0]) => engine.export(format),
    commit: () => {},
    cancel: async () => {},
  };
  return client as unknown as WorkerClient;
}

/**
 * The page's real worker client over an analysis worker played in this thread by `engine`: requests
 * and answers go through structured clones with their transfer lists, as between threads, so a buffer
 * the page hands over is detached here as it is in a browser.
 */
export function inThreadWorkerClient(engine = new Engine()): WorkerClient {
  return new WorkerClient(() => {
    const worker = new EventTarget();
    let queue: Promise<void> = Promise.resolve();
    const post = (data: unknown, transfer: Transferable[] = []) =>
      worker.dispatchEvent(new MessageEvent('message', { data: structuredClone(data, { transfer }) }));
    return Object.assign(worker, {
      postMessage(message: Request, transfer: Transferable[] = []) {
        const request = structuredClone(message, { transfer });
        if (request.type === 'cancel') return;
        queue = queue.then(() => serveRequest(engine, request, post));
      },
      terminate() {},
    }) as unknown as Worker;
  });
}

/** Where the test page's map is centred (the keyboard's cursor). */
export const TEST_MAP_CENTRE: readonly [number, number] = [106.68, 35.545];

/** A map that records each call; `recolour` writes nothing. */
function recordingMap(calls: unknown[][]): MapView {
  const map = { jumpTo: (...args: unknown[]) => calls.push(['jumpTo', ...args]) };
  return new Proxy({} as MapView, {
    get: (_, name) =>
      name === 'map'
        ? map
        : (...args: unknown[]) => {
            calls.push([String(name), ...args]);
            return name === 'recolour' ? 0 : name === 'centre' ? TEST_MAP_CENTRE : undefined;
          },
  });
}

/**
 * A fresh page with nothing loaded; `engine` answers its worker requests (directly, or behind the
 * given `worker` client), and `readDropped` reads its dropped files (absent: on the page).
 */
export function testPage(
  engine = new Engine(),
  { worker, readDropped }: { worker?: WorkerClient; readDropped?: ReadDropped } = {},
): TestPage {
  const mapCalls: unknown[][] = [];
  const renders: (readonly PanelName[])[] = [];
  const errors: unknown[] = [];
  const busyMessages: string[] = [];
  const page: TestPage = {
    view: initialViewState(),
    inputs: { ...initialInputs(), bundled: false },
    sitingAreas: new Map(),
    profileFiles: new Map(),
    mapShown: {
      fitted: false,
      walkingPending: new Set(),
      walkingShown: null,
      siteShapesShown: false,
      geometryShown: null,
    },
    drawing: { draft: null, editing: null },
    pendingLink: null,
    generation: 0,
    checks: 0,
    i18n: new I18n('en'),
    mapView: recordingMap(mapCalls),
    worker: worker ?? engineClient(engine),
    ...(readDropped ? { readDropped } : {}),
    basemap: { restore: async () => {} } as unknown as Page['basemap'],
    mapHeight: 600,
    mapCalls,
    renders,
    errors,
    busyMessages,
    t: (key, values) => page.i18n.t(key, values),
    setBusy: (busy) => {
      if (busy) busyMessages.push(busy.message);
      page.view = busy ? workStarted(page.view, busy) : workEnded(page.view);
    },
    setNotice: (notice) => {
      page.view = noticeShown(page.view, notice);
    },
    showError: (error) => {
      errors.push(error);
      page.view = noticeShown(page.view, {
        kind: 'error',
        title: 'Error',
        message: error instanceof Error ? error.message : String(error),
      });
    },
    setLocale: (locale) => page.i18n.setLocale(locale),
    setContext: (role, value) => workerLoading.setContext(page, role, value),
    openBundled: () => Promise.reject(new Error('the bundled city is fetched over HTTP: not in Node tests')),
    openScenario: (name, value) => scenarioOpen.openScenario(page, name, value),
    runAnalysis: (options) => analysisRun.runAnalysis(page, options),
    runCheck: () => analysisRun.runCheck(page),
    runSiting: () => sitingRun.runSiting(page),
    evaluateProposals: () => sitingRun.evaluateProposals(page),
    applyView: () => applyView(page),
    showDrawing: () => drawingRun.showDrawing(page),
    render: (...panels) => {
      renders.push(panels);
    },
    cancel: () => {
      (page as { generation: number }).generation++;
    },
  };
  return page;
}

/** A test page with the synthetic city ({@link cityFiles}) dropped on it: analysed and checked. */
export async function loadedCityPage(): Promise<TestPage> {
  const page = testPage();
  const { communities, facilities } = cityFiles();
  await workerLoading.handleFiles(page, [communities, facilities]);
  return page;
}

/** A test page whose engine holds the fixture town `town` with its road network, not yet analysed. */
export function networkPageOfTown(town: string): TestPage {
  const engine = new Engine();
  engine.load(townFiles(town));
  const page = testPage(engine);
  page.inputs = { ...page.inputs, network: engine.load([]).network };
  return page;
}
