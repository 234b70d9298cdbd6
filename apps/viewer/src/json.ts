// JSON parsing of loaded files, shared by the page and the worker: @lifecircle/io's parseJson (the
// same as the CLI's), whose message names the line and column of a syntax error.
import { InputError } from '@lifecircle/core';
import { parseJson } from '@lifecircle/io';

/** A file that is not JSON (or empty), with a message that names it and says where. */
export class JsonFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = 'JsonFileError';
    this.file = file;
  }
}

/** Decodes UTF-8 bytes (dropping a byte-order mark, as Windows tools write one) and parses JSON. */
export function parseJsonBytes(bytes: ArrayBuffer, name: string): unknown {
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseJsonText(text, name);
}

export function parseJsonText(text: string, name: string): unknown {
  if (text.trim() === '')
    throw new JsonFileError(name, `${name} is empty. Expected a GeoJSON FeatureCollection.`);
  try {
    return parseJson(text, name);
  } catch (error) {
    if (error instanceof InputError)
      throw new JsonFileError(name, `${error.message}. Expected a GeoJSON FeatureCollection.`);
    throw error;
  }
}

/** Text for a label from untrusted data: strings and numbers as they are, anything else as ''. */
export function plainText(value: unknown, max = 200): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, max) : '';
}
