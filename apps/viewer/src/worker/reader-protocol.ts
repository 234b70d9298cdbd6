// Messages between the page and the reading worker (reader.worker.ts): a dropped GeoJSON file goes
// there (its handle, or a copy of its bytes), and how the file was read comes back; its features come
// back only when the page draws or judges them.
import type { FileRole } from '../files.js';
import type { ReadFile } from '../formats.js';

/**
 * A file to read: the dropped file itself (a `Blob` crosses as a handle and is read in the worker: a
 * copy of a city's 37 MB of bytes took the page 120 ms), or a copy of its bytes when there is no file.
 */
export interface ReadRequest {
  readonly id: number;
  readonly name: string;
  readonly bytes: ArrayBuffer | Blob;
  readonly forceRole?: FileRole;
}

/** What a read holds apart from the features and the bytes, which travel on their own. */
export type ReadSummary = Omit<ReadFile, 'value' | 'source' | 'bytes' | 'original'>;

/** An error of a read, by its class's name, to be thrown again on the page as the same class. */
export interface ReadErrorPayload {
  readonly name: string;
  readonly message: string;
  readonly file?: string;
  readonly option?: string;
}

export type ReadResponse =
  | {
      readonly id: number;
      readonly ok: true;
      readonly role: FileRole | null;
      readonly summary: ReadSummary;
      /** The GeoJSON the analysis worker gets, when conversion changed it (else the file's bytes). */
      readonly converted: ArrayBuffer | null;
      /**
       * The features (`value`, `source`) when the page draws or judges them; absent for the analysis
       * inputs, which the page then parses only if it ever needs them (a scenario saved, a column
       * chosen again).
       */
      readonly features?: { readonly value: unknown; readonly source: unknown };
    }
  | { readonly id: number; readonly ok: false; readonly error: ReadErrorPayload };
