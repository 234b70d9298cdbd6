// One request of the analysis worker answered: run through the Engine, then its result (typed-array
// buffers transferred) or its error posted back. analysis.worker.ts serves the page with it; Node tests
// serve the page's real WorkerClient with it in the same thread (test-page.ts).
import { type Engine, toViewerError } from './engine.js';
import {
  isRasterFile,
  type RasterFile,
  type ReadInputFile,
  type Request,
  type Response,
  type ResultPayload,
  transferablesOf,
  type WorkerFile,
} from './protocol.js';

/** Posts an answer to the page, with the buffers to transfer. */
export type PostAnswer = (message: Response, transfer?: Transferable[]) => void;

function run(
  engine: Engine,
  request: Exclude<Request, { type: 'cancel' }>,
  post: PostAnswer,
): ResultPayload | Promise<ResultPayload> {
  const progress = (event: { stage: string; message: string; done?: number; total?: number }) =>
    post({ type: 'progress', id: request.id, ...event });
  switch (request.type) {
    case 'load':
      return bytesInHand(request.files).then((files) => engine.load(files));
    case 'unload':
      return engine.unload(request.role);
    case 'analyze':
      // A walk over a loaded DEM reads it first (asynchronously), then analyses.
      return engine.prepare(request.options).then(() => engine.analyze(request.options, progress));
    case 'check':
      return engine.check(request.profile, progress, request.definition);
    case 'items':
      return engine.items(request.community);
    case 'catchments':
      return engine.catchments(request.typeId);
    case 'site':
      return engine.site(request.request, progress);
    case 'export':
      return engine.export(request.format);
  }
}

/** The files of a load with their bytes in hand: a file the page passed as a `Blob` is read here. */
export function bytesInHand(files: readonly WorkerFile[]): Promise<(ReadInputFile | RasterFile)[]> {
  return Promise.all(
    files.map(async (file): Promise<ReadInputFile | RasterFile> => {
      if (isRasterFile(file)) return file;
      const { bytes } = file;
      return { ...file, bytes: bytes instanceof Blob ? await bytes.arrayBuffer() : bytes };
    }),
  );
}

/** Runs `request` and posts its progress, then its result or its error (an internal one is logged). */
export async function serveRequest(
  engine: Engine,
  request: Exclude<Request, { type: 'cancel' }>,
  post: PostAnswer,
): Promise<void> {
  try {
    const result = await run(engine, request, post);
    post({ type: 'result', id: request.id, result }, transferablesOf(result));
  } catch (error) {
    const viewerError = toViewerError(error);
    if (viewerError.payload.kind === 'internal') console.error(error);
    post({ type: 'error', id: request.id, error: viewerError.payload });
  }
}
