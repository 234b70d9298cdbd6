// The page's side of the worker protocol: one promise per request, progress callbacks, and cancel.
//
// Core's kernels are synchronous, so a running analysis or siting run cannot stop half-way inside the
// worker. Cancel therefore replaces the worker: the old one is terminated at once (the page never
// waits), a new one is started, and the files loaded so far and the last analysis are replayed into
// it, so the page keeps working with the figures it already shows.
import type { ProfileFile } from '../profile-file.js';
import type {
  AnalysisPayload,
  AnalyzeOptions,
  CatchmentsPayload,
  CompliancePayload,
  ErrorPayload,
  ExportFormat,
  ExportPayload,
  InputRole,
  ItemsPayload,
  LoadPayload,
  Request,
  Response,
  ResultPayload,
  SitePayload,
  SiteRequest,
  WorkerFile,
} from './protocol.js';
import { isRasterFile } from './protocol.js';

/** An analysis the worker computed: the files behind it, its options and its last check. */
interface Computed {
  readonly files: ReadonlyMap<InputRole, WorkerFile>;
  readonly options: AnalyzeOptions | null;
  readonly profile: { readonly profile: string; readonly definition?: ProfileFile } | null;
}

const NOTHING_COMPUTED: Computed = { files: new Map(), options: null, profile: null };

/** A request the worker answered with an error (or that was cancelled). */
export class RequestError extends Error {
  readonly payload: ErrorPayload;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'RequestError';
    this.payload = payload;
  }
}

export type ProgressListener = (progress: {
  stage: string;
  message: string;
  done?: number;
  total?: number;
}) => void;

interface Pending {
  readonly resolve: (value: ResultPayload) => void;
  readonly reject: (error: RequestError) => void;
  readonly onProgress: ProgressListener | undefined;
}

// Distributes Omit over the request union, so each variant keeps its own fields.
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export class WorkerClient {
  private worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The files the current worker holds (the callers' bytes, never handed over), to replay into a replacement. */
  private readonly loaded = new Map<InputRole, WorkerFile>();
  /** What the worker computed last: its analysis (with the files behind it) and its last check. */
  private computed: Computed = NOTHING_COMPUTED;
  /** What the page shows ({@link WorkerClient.commit}): what a cancel restores. */
  private shown: Computed = NOTHING_COMPUTED;
  private restoring: Promise<void> | null = null;
  /** Answers kept back by {@link WorkerClient.holdAnswers}, in arrival order; null when none are. */
  private held: Response[] | null = null;

  constructor(private readonly spawn: () => Worker) {
    this.worker = this.start();
  }

  /** Whether a request is waiting for its answer. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Loads files into the worker. The worker gets copies of their bytes (transferred), so the caller's
   * stay whole: a file read off the page parses them when asked for its features later (a coordinate
   * system declared, a scenario saved; reader-client.ts). Files given as `Blob`s (picked files,
   * GeoTIFFs) go as their handles, copied nowhere on the page. The callers' files are also what a
   * cancel replays.
   */
  async load(files: readonly WorkerFile[]): Promise<LoadPayload> {
    await this.restoring;
    const copies = files.map(copyOf);
    const result = (await this.send(
      { type: 'load', files: copies },
      undefined,
      transfersOf(copies),
    )) as LoadPayload;
    for (const f of files) this.loaded.set(f.role, f);
    return result;
  }

  async unload(role: InputRole): Promise<LoadPayload> {
    await this.restoring;
    const result = (await this.send({ type: 'unload', role })) as LoadPayload;
    this.loaded.delete(role);
    return result;
  }

  async analyze(options: AnalyzeOptions, onProgress?: ProgressListener): Promise<AnalysisPayload> {
    await this.restoring;
    const files = new Map(this.loaded);
    const result = (await this.send({ type: 'analyze', options }, onProgress)) as AnalysisPayload;
    this.computed = { files, options, profile: null };
    return result;
  }

  /** Checks against a built-in profile, or the loaded profile file `definition` (whose id is `profile`). */
  async check(
    profile: string,
    onProgress?: ProgressListener,
    definition?: ProfileFile,
  ): Promise<CompliancePayload> {
    await this.restoring;
    const request = { type: 'check', profile, ...(definition ? { definition } : {}) } as const;
    const result = (await this.send(request, onProgress)) as CompliancePayload;
    this.computed = { ...this.computed, profile: request };
    return result;
  }

  /**
   * The page now shows the worker's last analysis and check: a later cancel restores them. Until
   * then a cancel restores what the page showed before, so an analysis whose check is cancelled
   * leaves no trace in the worker either.
   */
  commit(): void {
    this.shown = this.computed;
  }

  async items(community: number): Promise<ItemsPayload> {
    await this.restoring;
    return (await this.send({ type: 'items', community })) as ItemsPayload;
  }

  async catchments(typeId: string): Promise<CatchmentsPayload> {
    await this.restoring;
    return (await this.send({ type: 'catchments', typeId })) as CatchmentsPayload;
  }

  async site(request: SiteRequest, onProgress?: ProgressListener): Promise<SitePayload> {
    await this.restoring;
    // A proposal's coordinates are transferred (the caller does not keep them).
    const transfer = request.model === 'evaluate' ? [request.proposed.buffer as ArrayBuffer] : [];
    return (await this.send({ type: 'site', request }, onProgress, transfer)) as SitePayload;
  }

  async export(format: ExportFormat): Promise<ExportPayload> {
    await this.restoring;
    return (await this.send({ type: 'export', format })) as ExportPayload;
  }

  /**
   * Cancels every running request: they reject with kind `cancelled`, and the worker is replaced by
   * one holding what the page shows (the last {@link WorkerClient.commit}): the files and options of
   * that analysis, and its standard-profile check. Resolves when the replacement is ready.
   */
  cancel(): Promise<void> {
    this.worker.terminate();
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(new RequestError({ kind: 'cancelled', message: 'cancelled' }));
    this.worker = this.start();
    // Files loaded since the last analysis are dropped with it: the page still shows that analysis.
    // Candidates are not part of an analysis: the ones loaded now stay.
    const candidates = this.loaded.get('candidates');
    this.loaded.clear();
    const { options, profile } = this.shown;
    for (const [role, f] of this.shown.files) if (role !== 'candidates') this.loaded.set(role, f);
    if (candidates) this.loaded.set('candidates', candidates);
    this.computed = this.shown;
    const files = [...this.loaded.values()].map(copyOf);
    const restore = async () => {
      if (files.length > 0) await this.send({ type: 'load', files }, undefined, transfersOf(files));
      if (options) await this.send({ type: 'analyze', options });
      if (options && profile) await this.send({ type: 'check', ...profile });
    };
    const restoring = restore().catch(() => {});
    this.restoring = restoring;
    return restoring.finally(() => {
      if (this.restoring === restoring) this.restoring = null;
    });
  }

  /**
   * Keeps every answer (results, errors and progress) back until the returned release is called,
   * which hands them on in the order they came. For the browser tests: a request held this way is
   * surely still running when the test clicks cancel, however fast the worker is. Answers of a
   * request cancelled meanwhile are dropped on release, as they would have been on arrival.
   */
  holdAnswers(): () => void {
    const held: Response[] = [];
    this.held = held;
    return () => {
      if (this.held === held) this.held = null;
      for (const message of held) this.receive(message);
    };
  }

  dispose(): void {
    this.worker.terminate();
  }

  private start(): Worker {
    const worker = this.spawn();
    worker.addEventListener('message', (event: MessageEvent<Response>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      const message = event.message || 'the analysis worker failed to start';
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new RequestError({ kind: 'internal', message }));
      }
    });
    return worker;
  }

  private send(
    body: RequestBody,
    onProgress?: ProgressListener,
    transfer: Transferable[] = [],
  ): Promise<ResultPayload> {
    const id = this.nextId++;
    return new Promise<ResultPayload>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ ...body, id } as Request, transfer);
    });
  }

  private receive(message: Response): void {
    if (this.held) {
      this.held.push(message);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return; // an answer of a worker that was replaced, or of a cancelled request
    if (message.type === 'progress') {
      pending.onProgress?.(message);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new RequestError(message.error));
  }
}

/** What to send of a file: a copy of its bytes (transferred, so gone), or its handle (a `Blob` stays). */
function copyOf(file: WorkerFile): WorkerFile {
  return isRasterFile(file) || file.bytes instanceof Blob ? file : { ...file, bytes: file.bytes.slice(0) };
}

/** The buffers a load transfers: the copies of files' bytes (`Blob`s go as handles). */
function transfersOf(files: readonly WorkerFile[]): ArrayBuffer[] {
  return files.flatMap((f) => (isRasterFile(f) || f.bytes instanceof Blob ? [] : [f.bytes]));
}
