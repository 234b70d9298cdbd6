// The analysis worker: receives typed requests, runs core through the Engine and answers with
// progress, result or error messages. Typed-array buffers of a result are transferred, not copied.
import { Engine, toViewerError } from './engine.js';
import { type Request, type Response, transferablesOf } from './protocol.js';

interface WorkerScope {
  postMessage(message: Response, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}

const scope = self as unknown as WorkerScope;
const engine = new Engine();
/** Requests cancelled before they started. */
const cancelled = new Set<number>();

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (request.type === 'cancel') {
    cancelled.add(request.target);
    return;
  }
  if (cancelled.delete(request.id)) {
    scope.postMessage({ type: 'error', id: request.id, error: { kind: 'cancelled', message: 'cancelled' } });
    return;
  }
  const progress = (event: { stage: string; message: string; done?: number; total?: number }) =>
    scope.postMessage({ type: 'progress', id: request.id, ...event });
  try {
    const result =
      request.type === 'load'
        ? engine.load(request.files)
        : request.type === 'analyze'
          ? engine.analyze(request.options, progress)
          : request.type === 'site'
            ? engine.site(request.request, progress)
            : engine.export(request.format);
    scope.postMessage({ type: 'result', id: request.id, result }, transferablesOf(result));
  } catch (error) {
    const viewerError = toViewerError(error);
    if (viewerError.payload.kind === 'internal') console.error(error);
    scope.postMessage({ type: 'error', id: request.id, error: viewerError.payload });
  }
});
