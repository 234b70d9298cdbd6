// JSON parsing of loaded files with the line and column of a syntax error, shared by the page and the
// worker (no DOM, no core).
import { type ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';

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
    return JSON.parse(text);
  } catch {
    throw new JsonFileError(
      name,
      `${name} is not valid JSON${describeJsonError(text)}. Expected a GeoJSON FeatureCollection.`,
    );
  }
}

// JSON.parse does not always say where the problem is (V8 in Node 20 often does not), so the text is
// parsed again with a parser that reports offsets, only to name the line and column (as the CLI does).
function describeJsonError(text: string): string {
  const errors: ParseError[] = [];
  parseTolerant(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (!first) return '';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  const what = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return ` at line ${line}, column ${column} (${what})`;
}

/** Text for a label from untrusted data: strings and numbers as they are, anything else as ''. */
export function plainText(value: unknown, max = 200): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, max) : '';
}
