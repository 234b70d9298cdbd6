// The reading worker's answer to one file (reader.worker.ts runs it there; tests run it in Node): the
// file read as the page would read it (file-reading.ts: parse, columns, conversion to WGS84, its role),
// with the features of an analysis input kept back, since only the analysis worker uses them.
import { readDropped } from '../file-reading.js';
import type { FileRole } from '../files.js';
import type { ReadRequest, ReadResponse } from './reader-protocol.js';

/** Roles whose features only the analysis worker uses: the page never draws them. */
const ANALYSIS_INPUTS: ReadonlySet<FileRole> = new Set(['communities', 'facilities', 'demand', 'candidates']);

/** Reads the requested file; the answer and the buffers to transfer with it. */
export async function answerRead(
  request: ReadRequest,
): Promise<{ response: ReadResponse; transfer: Transferable[] }> {
  try {
    const given = request.bytes instanceof Blob ? await request.bytes.arrayBuffer() : request.bytes;
    const { read, role } = await readDropped(request.name, given, new Map(), request.forceRole);
    const { value, source, bytes, original: _original, ...summary } = read;
    // The page kept the file's bytes: only GeoJSON that conversion changed travels back.
    const converted = bytes === given ? null : bytes;
    const held = role !== null && ANALYSIS_INPUTS.has(role) && read.crsError === null;
    return {
      response: {
        id: request.id,
        ok: true,
        role,
        summary,
        converted,
        ...(held ? {} : { features: { value, source } }),
      },
      transfer: converted ? [converted] : [],
    };
  } catch (error) {
    const e = error as { name?: string; message?: string; file?: string; option?: string };
    return {
      response: {
        id: request.id,
        ok: false,
        error: {
          name: e.name ?? 'Error',
          message: e.message ?? String(error),
          ...(typeof e.file === 'string' ? { file: e.file } : {}),
          ...(typeof e.option === 'string' ? { option: e.option } : {}),
        },
      },
      transfer: [],
    };
  }
}
