import { InputError } from '@lifecircle/core';
import { unzipSync } from 'fflate';

/** True when the bytes start like a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * A name from a zip's directory in the encoding it was written in. Zips made on Chinese Windows store
 * names in GBK without saying so, and fflate reads such names as Latin-1; their bytes are recovered and
 * read as UTF-8 when valid, else as GB18030.
 */
function entryName(name: string): string {
  const codes = Array.from(name, (c) => c.charCodeAt(0));
  if (!codes.some((c) => c >= 0x80) || codes.some((c) => c > 0xff)) return name;
  const bytes = Uint8Array.from(codes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * The files of a zip archive whose names pass `keep` (by their decoded name), skipping folders and
 * macOS's `__MACOSX/` copies. A broken archive is an {@link InputError}.
 */
export function unzipEntries(
  bytes: Uint8Array,
  file: string,
  keep: (name: string) => boolean,
): { files: Map<string, Uint8Array>; names: string[] } {
  const names: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (entry) => {
        const name = entryName(entry.name);
        if (name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)\._/.test(name)) return false;
        names.push(name);
        return keep(name);
      },
    });
  } catch (error) {
    throw new InputError(file, `is not a readable zip archive (${(error as Error).message}).`);
  }
  const files = new Map<string, Uint8Array>();
  for (const [raw, data] of Object.entries(entries)) files.set(entryName(raw), data);
  return { files, names };
}
