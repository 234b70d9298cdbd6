import { InputError, OptionError, type Warning } from '@lifecircle/core';
import { LIBRARY_WORDING, type OptionWording, type ReadWarning } from '../read/hints.js';

/** What {@link decodeText} made of a file's bytes: the text and the encoding it was decoded with. */
export interface DecodedText {
  readonly text: string;
  /** The WHATWG name of the encoding used: `utf-8`, `gb18030`, `gbk`, `utf-16le` … */
  readonly encoding: string;
  /** Set when the encoding was guessed from invalid UTF-8, so the caller can say so. */
  readonly warning: Warning | null;
}

/** A text decoder (the WHATWG `TextDecoder`). */
export interface TextDecoding {
  /** Its WHATWG encoding name. */
  readonly encoding: string;
  decode(input: Uint8Array): string;
}

// The encodings Chinese bureau files come in, named in the error for an unknown one.
const COMMON_ENCODINGS = 'utf-8, gbk, gb18030, big5, utf-16le, windows-1252';

/**
 * The WHATWG decoder for an encoding name (`GBK`, `cp936`, `UTF8` …); an unknown name is an
 * {@link OptionError} that lists the common ones.
 */
export function textDecoder(encoding: string, fatal: boolean): TextDecoding {
  const label = ENCODING_ALIASES[encoding.trim().toLowerCase().replace(/[\s_]/g, '')] ?? encoding.trim();
  try {
    return new TextDecoder(label, { fatal, ignoreBOM: false });
  } catch {
    throw new OptionError(
      'encoding',
      `unknown text encoding '${encoding}'; use one of ${COMMON_ENCODINGS} (any WHATWG encoding name works).`,
    );
  }
}

// Names that Windows, ArcGIS .cpg files and Python use but the WHATWG list does not.
const ENCODING_ALIASES: Readonly<Record<string, string>> = {
  utf8: 'utf-8',
  '65001': 'utf-8',
  cp936: 'gbk',
  '936': 'gbk',
  ansi936: 'gbk',
  gb2312: 'gbk',
  cp54936: 'gb18030',
  '54936': 'gb18030',
  cp950: 'big5',
  '950': 'big5',
  '1252': 'windows-1252',
  ansi1252: 'windows-1252',
  cp1252: 'windows-1252',
  '88591': 'iso-8859-1',
};

/**
 * Decodes a text file, as every text format of io is read (and the viewer reads a dropped table's
 * header). With `encoding` given, that encoding (bytes it cannot decode are an
 * {@link InputError}). Otherwise a byte-order mark decides (UTF-8, UTF-16), then UTF-8 when the bytes
 * are valid UTF-8, else GB18030, which reads GBK and GB2312 too, with a warning saying so.
 *
 * @example
 * const { text, encoding } = decodeText(bytes, 'communities.csv'); // encoding: 'gb18030' for a GBK export
 */
export function decodeText(
  bytes: Uint8Array,
  file: string,
  encoding?: string,
  wording: OptionWording = LIBRARY_WORDING,
): DecodedText {
  if (encoding !== undefined) {
    const decoder = textDecoder(encoding, true);
    if (!decoder.encoding.startsWith('utf-16')) refuseBinary(bytes, file, decoder.encoding);
    try {
      return { text: stripBom(decoder.decode(bytes)), encoding: decoder.encoding, warning: null };
    } catch {
      throw new InputError(
        file,
        `is not valid ${decoder.encoding} text; check the encoding (${COMMON_ENCODINGS}), or leave it out to detect UTF-8 or GBK.`,
      );
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith('utf-16le', bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith('utf-16be', bytes);
  refuseBinary(bytes, file);
  try {
    return decodeWith('utf-8', bytes, true);
  } catch {
    const { text } = decodeWith('gb18030', bytes);
    return {
      text,
      encoding: 'gb18030',
      warning: {
        code: 'encoding-guessed',
        file,
        message: `is not valid UTF-8, so it was read as GBK/GB18030 (the usual encoding of Chinese Windows exports); if names look garbled, give its encoding with ${wording({ option: 'encoding' })}`,
        hint: { option: 'encoding' },
      } as ReadWarning,
    };
  }
}

// How much of a file's start is looked at for control characters: enough to see past a header row,
// little enough to cost nothing on a province-sized file.
const BINARY_SAMPLE_BYTES = 64 * 1024;
// Text exports hold no C0 control characters but tab, line feed, vertical tab, form feed, carriage
// return and DOS's end-of-file mark (0x1a); random or compressed bytes hold about 9 % of them. One
// stray byte in a hand-edited CSV should not refuse the file, so it takes a few and a share.
const BINARY_MIN_CONTROLS = 8;
const BINARY_CONTROL_SHARE = 0.005;

/**
 * Refuses bytes that are not text in any encoding a table or GeoJSON comes in, saying what gave it
 * away, instead of decoding them into a header row of garbage that the caller would then quote back.
 * The first line must hold one of the control characters too: a good header followed by one row of
 * binary bytes is a text file with a bad row, which its reader rejects by row while the rest is read.
 * A run of NUL bytes at the very end (padding some exporters leave) is not counted. ASCII text saved
 * as UTF-16 without a byte-order mark has a NUL in every other byte; the error then says which
 * encoding to give.
 */
function refuseBinary(bytes: Uint8Array, file: string, encoding?: string): void {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const length = Math.min(end, BINARY_SAMPLE_BYTES);
  let controls = 0;
  let first = -1;
  let evenNuls = 0;
  let oddNuls = 0;
  let firstLineEnd = -1;
  for (let i = 0; i < length; i++) {
    const b = bytes[i] as number;
    if (b === 0x0a && firstLineEnd < 0) firstLineEnd = i;
    if (b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0b || b === 0x0c || b === 0x0d || b === 0x1a)
      continue;
    controls++;
    if (first < 0) first = i;
    if (b === 0) {
      if (i % 2 === 0) evenNuls++;
      else oddNuls++;
    }
  }
  if (controls < BINARY_MIN_CONTROLS || controls < BINARY_CONTROL_SHARE * length) return;
  if (firstLineEnd >= 0 && first > firstLineEnd) return;
  const share = `${controls.toLocaleString('en-US')} of its first ${length.toLocaleString('en-US')} bytes are control characters (the first, 0x${(bytes[first] as number).toString(16).padStart(2, '0')}, at byte ${first})`;
  const utf16 = oddNuls > 0.4 * length ? 'utf-16le' : evenNuls > 0.4 * length ? 'utf-16be' : null;
  if (utf16 !== null && encoding === undefined) {
    throw new InputError(
      file,
      `looks like UTF-16 text without a byte-order mark: ${share}, nearly all NUL bytes in every other place; give its encoding (${utf16}).`,
    );
  }
  throw new InputError(
    file,
    `is not a text file${encoding === undefined ? '' : ` in ${encoding}`}: ${share}, which CSV, TSV and GeoJSON text never hold; check that it is the right file (not a spreadsheet, archive or database renamed).`,
  );
}

function decodeWith(encoding: string, bytes: Uint8Array, fatal = false): DecodedText {
  const text = new TextDecoder(encoding, { fatal }).decode(bytes);
  return { text: stripBom(text), encoding, warning: null };
}

// TextDecoder drops a BOM of its own encoding; this catches a UTF-8 BOM decoded under another name.
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when the bytes are valid UTF-8 (pure ASCII included). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
