// The page's side of the reading worker (reader.worker.ts): GeoJSON files are read there, every other
// format on the page (file-reading.ts). A read's features that stayed in the worker are parsed on the
// page from its bytes only when something asks for them (a scenario saved, a column chosen again).
import { InputError, OptionError } from '@lifecircle/core';
import { type ReadDropped, readDropped } from '../file-reading.js';
import type { ReadFile } from '../formats.js';
import { JsonFileError, parseJsonBytes } from '../json.js';
import type { ReadErrorPayload, ReadRequest, ReadResponse } from './reader-protocol.js';

const GEOJSON_NAME = /\.(geo)?json$/i;

/** A {@link ReadDropped} that reads GeoJSON in a worker started by `spawn` (once, when first needed). */
export function offPageReading(spawn: () => Worker): ReadDropped {
  let worker: Worker | null = null;
  let next = 0;
  const pending = new Map<number, (response: ReadResponse) => void>();
  const started = (): Worker => {
    if (worker) return worker;
    worker = spawn();
    worker.addEventListener('message', ({ data }: MessageEvent<ReadResponse>) => {
      pending.get(data.id)?.(data);
      pending.delete(data.id);
    });
    return worker;
  };
  return async (name, bytes, siblings, forceRole, clip, file) => {
    if (!GEOJSON_NAME.test(name)) return readDropped(name, bytes, siblings, forceRole, clip);
    const id = next++;
    const answer = new Promise<ReadResponse>((resolve) => pending.set(id, resolve));
    // The file by handle where there is one: its bytes are then copied nowhere on the page.
    const request: ReadRequest = { id, name, bytes: file ?? bytes, ...(forceRole ? { forceRole } : {}) };
    started().postMessage(request);
    const response = await answer;
    if (!response.ok) throw errorOf(response.error);
    return { read: pageRead(name, bytes, response), role: response.role };
  };
}

/** The read as the page keeps it: features parsed from the bytes, once, when first asked for. */
function pageRead(
  name: string,
  original: ArrayBuffer,
  response: Extract<ReadResponse, { ok: true }>,
): ReadFile {
  const { summary, converted, features } = response;
  const bytes = converted ?? original;
  let value: { parsed: unknown } | null = features ? { parsed: features.value } : null;
  let source: { parsed: unknown } | null = features ? { parsed: features.source } : null;
  return {
    ...summary,
    bytes,
    original: { bytes: original, siblings: new Map() },
    get value() {
      value ??= { parsed: parseJsonBytes(bytes, name) };
      return value.parsed;
    },
    get source() {
      source ??= { parsed: parseJsonBytes(original, name) };
      return source.parsed;
    },
  };
}

/** The worker's error as the class the page's messages and notices know. */
function errorOf(payload: ReadErrorPayload): Error {
  let error: Error;
  if (payload.name === 'JsonFileError') return new JsonFileError(payload.file ?? '', payload.message);
  if (payload.name === 'InputError') error = new InputError(payload.file ?? '', '');
  else if (payload.name === 'OptionError') error = new OptionError(payload.option ?? '', '');
  else error = new Error();
  error.message = payload.message;
  return error;
}
