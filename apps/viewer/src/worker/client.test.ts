import { describe, expect, it } from 'vitest';
import { RequestError, WorkerClient } from './client.js';
import type { ReadInputFile, Request, Response, WorkerFile } from './protocol.js';

/** A stand-in worker that records requests and answers only when told to. */
class FakeWorker extends EventTarget {
  readonly requests: Request[] = [];
  terminated = false;
  /** Answer load and analyze at once (a replacement worker restoring state). */
  constructor(private readonly autoAnswer: boolean) {
    super();
  }
  postMessage(message: Request, transfer: Transferable[] = []): void {
    // As between threads: what is transferred is detached from the page.
    this.requests.push(structuredClone(message, { transfer }));
    if (this.autoAnswer) queueMicrotask(() => this.answer(message));
  }
  answer(message: Request): void {
    const result =
      message.type === 'load'
        ? { kind: 'loaded', files: message.files.map((f) => ({ role: f.role, name: f.name, features: 1 })) }
        : { kind: 'analysis' };
    this.dispatchEvent(
      new MessageEvent('message', { data: { type: 'result', id: message.id, result } as Response }),
    );
  }
  terminate(): void {
    this.terminated = true;
  }
}

/** Lets the client post what it queued (requests wait a microtask for a worker being restored). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
const OPTIONS = { radii: {}, types: [], includePlanned: false, gapThreshold: 0.5 };

/**
 * A client on fake workers, and the workers it made in order; the replacements answer by themselves
 * when `replacementsAnswer`, the first never does.
 */
function clientOnFakes(replacementsAnswer: boolean) {
  const workers: FakeWorker[] = [];
  const client = new WorkerClient(() => {
    const w = new FakeWorker(replacementsAnswer && workers.length > 0);
    workers.push(w);
    return w as unknown as Worker;
  });
  /** Sends a request and answers it by hand, in the first worker, once the client has posted it. */
  const answered = async <T>(request: Promise<T>) => {
    await tick();
    workers[0]!.answer(workers[0]!.requests.at(-1)!);
    return request;
  };
  return { client, workers, answered };
}

type LoadRequest = Extract<Request, { type: 'load' }>;

/**
 * Loads `files` through a client on fake workers, analyses them, commits and cancels: the first
 * worker's load request and what its post transferred, and the load its replacement was replayed.
 */
async function loadedThenReplayed(files: WorkerFile[]) {
  const { client, workers } = clientOnFakes(true);
  const first = workers[0]!;
  const transferred: unknown[][] = [];
  const post = first.postMessage.bind(first);
  first.postMessage = (message: Request, transfer?: unknown[]) => {
    transferred.push(transfer ?? []);
    post(message);
  };
  const loading = client.load(files);
  await tick();
  first.answer(first.requests.at(-1)!);
  await loading;
  const analysing = client.analyze(OPTIONS);
  await tick();
  first.answer(first.requests.at(-1)!);
  await analysing;
  client.commit();
  await client.cancel();
  return {
    sent: first.requests[0] as LoadRequest,
    transferred: transferred[0],
    replayed: workers[1]!.requests[0] as LoadRequest,
  };
}

describe('WorkerClient', () => {
  it('cancels a running request by replacing the worker with one holding the last analysed files', {
    timeout: 2000,
  }, async () => {
    const { client, workers, answered } = clientOnFakes(true);
    const first = workers[0]!;
    // Load and analyse A (answered by hand), then load B and start an analysis that hangs.
    await answered(client.load([{ role: 'communities', name: 'a.geojson', bytes: bytes('A') }]));
    await answered(client.analyze(OPTIONS));
    client.commit(); // the page shows A
    await answered(client.load([{ role: 'communities', name: 'b.geojson', bytes: bytes('B') }]));
    const hanging = client.analyze(OPTIONS);
    await tick();
    expect(client.busy).toBe(true);

    await client.cancel();
    await expect(hanging).rejects.toBeInstanceOf(RequestError);
    await expect(hanging).rejects.toMatchObject({ payload: { kind: 'cancelled' } });
    expect(first.terminated).toBe(true);
    const second = workers[1]!;
    // The replacement got the files of the last successful analysis (A, not B) and that analysis.
    expect(second.requests.map((r) => r.type)).toEqual(['load', 'analyze']);
    const replayed = second.requests[0] as Extract<Request, { type: 'load' }>;
    expect(replayed.files.map((f) => f.name)).toEqual(['a.geojson']);
    expect(new TextDecoder().decode((replayed.files[0] as ReadInputFile).bytes)).toBe('A');
    expect(client.busy).toBe(false);
  });

  it('restores what the page shows, not an analysis whose check a cancel overtook', {
    timeout: 2000,
  }, async () => {
    const { client, workers, answered } = clientOnFakes(true);
    await answered(client.load([{ role: 'communities', name: 'a.geojson', bytes: bytes('A') }]));
    await answered(client.analyze(OPTIONS));
    await answered(client.check('pingliang-2025'));
    client.commit(); // the page shows A, judged
    // B is analysed, but the page shows it only with its check, which the cancel overtakes.
    await answered(client.load([{ role: 'communities', name: 'b.geojson', bytes: bytes('B') }]));
    await answered(client.analyze(OPTIONS));
    const checking = client.check('pingliang-2025');
    await tick();
    await client.cancel();
    await expect(checking).rejects.toMatchObject({ payload: { kind: 'cancelled' } });
    const second = workers[1]!;
    expect(second.requests.map((r) => r.type)).toEqual(['load', 'analyze', 'check']);
    const replayed = second.requests[0] as Extract<Request, { type: 'load' }>;
    expect(replayed.files.map((f) => f.name)).toEqual(['a.geojson']);
    // A second cancel, with nothing committed since, restores A again.
    await client.cancel();
    const third = workers[2]!.requests[0] as Extract<Request, { type: 'load' }>;
    expect(third.files.map((f) => f.name)).toEqual(['a.geojson']);
  });

  it('loads copies of the files: the bytes the page hands over stay whole', async () => {
    const { client, workers } = clientOnFakes(false);
    const file = bytes('{"type":"FeatureCollection","features":[]}');
    const loading = client.load([{ role: 'communities', name: 'a.geojson', bytes: file }]);
    await tick();
    const sent = workers[0]!.requests[0] as Extract<Request, { type: 'load' }>;
    workers[0]!.answer(sent);
    await loading;
    expect(new TextDecoder().decode((sent.files[0] as ReadInputFile).bytes)).toBe(
      '{"type":"FeatureCollection","features":[]}',
    );
    expect(new TextDecoder().decode(file)).toBe('{"type":"FeatureCollection","features":[]}');
  });

  it('sends a GeoTIFF as its file handle, never its bytes, and replays the same handle', {
    timeout: 2000,
  }, async () => {
    const tiff = new Blob([new Uint8Array(1024)]);
    const { sent, transferred, replayed } = await loadedThenReplayed([
      { role: 'populationRaster', name: 'pop.tif', file: tiff, crs: 'EPSG:4545' },
    ]);
    expect(sent.files[0]).toEqual({
      role: 'populationRaster',
      name: 'pop.tif',
      file: tiff,
      crs: 'EPSG:4545',
    });
    // Nothing transferred: the Blob crosses as a handle, its bytes stay in the file.
    expect(transferred).toEqual([]);
    expect(replayed.files[0]).toMatchObject({ name: 'pop.tif', crs: 'EPSG:4545' });
    // The same file's handle (a posted Blob arrives as a clone of the handle, never its bytes).
    const replayedFile = (replayed.files[0] as { file: Blob }).file;
    expect(replayedFile).toBeInstanceOf(Blob);
    expect(new Uint8Array(await replayedFile.arrayBuffer())).toEqual(
      new Uint8Array(await tiff.arrayBuffer()),
    );
  });

  it('sends a picked file given as a Blob by its handle: nothing copied or transferred, replayed the same', {
    timeout: 2000,
  }, async () => {
    const text = '{"type":"FeatureCollection","features":[]}';
    const picked = new File([text], 'c.geojson');
    const { sent, transferred, replayed } = await loadedThenReplayed([
      { role: 'communities', name: 'c.geojson', bytes: picked },
    ]);
    // Nothing transferred or copied: the Blob crosses as a handle (a clone of it arrives).
    expect(transferred).toEqual([]);
    for (const request of [sent, replayed]) {
      const file = request.files[0] as { name: string; bytes: unknown };
      expect(file.name).toBe('c.geojson');
      expect(file.bytes).toBeInstanceOf(Blob);
      expect(await (file.bytes as Blob).text()).toBe(text);
    }
  });

  it('ignores answers of a replaced worker', { timeout: 2000 }, async () => {
    const { client, workers } = clientOnFakes(false);
    const pending = client.export('csv');
    await tick();
    const request = workers[0]!.requests[0]!;
    void client.cancel();
    await expect(pending).rejects.toMatchObject({ payload: { kind: 'cancelled' } });
    workers[0]!.answer(request); // too late: nobody listens for it
    expect(client.busy).toBe(false);
  });

  it('holds answers back until released, then hands them on in order', { timeout: 2000 }, async () => {
    const { client, workers } = clientOnFakes(false);
    const release = client.holdAnswers();
    let settled = false;
    const load = client.load([{ role: 'communities', name: 'a.geojson', bytes: bytes('A') }]);
    void load.then(() => {
      settled = true;
    });
    await tick();
    workers[0]!.answer(workers[0]!.requests[0]!);
    await tick();
    // Answered by the worker, yet still running for the page.
    expect(settled).toBe(false);
    expect(client.busy).toBe(true);
    release();
    await expect(load).resolves.toMatchObject({ kind: 'loaded' });
    expect(client.busy).toBe(false);
  });
});
