import { InputError } from '@lifecircle/core';
import { unzipSync } from 'fflate';
import { DEFAULT_LIMITS, formatBytes, LimitError, type ReadLimits } from '../limits.js';

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

// Entries below this size are never judged by their compression ratio: a small run of blanks
// (a .dbf's padding, a .cpg) compresses far better than real data, and cannot hurt.
const RATIO_EXEMPT_BYTES = 16 * 1024 * 1024;

/**
 * The largest size an entry packed into `packed` bytes may unpack to: the absolute cap, and for
 * entries beyond 16 MB the compression ratio limit.
 */
function entryAllowance(packed: number, limits: ReadLimits): number {
  return Math.min(limits.maxEntryBytes, Math.max(RATIO_EXEMPT_BYTES, packed * limits.maxCompressionRatio));
}

/**
 * The files of a zip archive whose names pass `keep` (by their decoded name), skipping folders and
 * macOS's `__MACOSX/` copies. Only the kept entries are unpacked, and each only after its declared
 * size passes the {@link ReadLimits} (per entry, by compression ratio, and in total), so a zip bomb
 * is a {@link LimitError} before any of it is unpacked. fflate never writes more than an entry
 * declares, so an entry that lies about its size cannot unpack further either. A broken archive is
 * an {@link InputError}.
 */
export function unzipEntries(
  bytes: Uint8Array,
  file: string,
  keep: (name: string) => boolean,
  limits: ReadLimits = DEFAULT_LIMITS,
  /** What the archive is to the user, for the message when it cannot be read (an XLSX is a zip). */
  archiveKind = 'zip archive',
): { files: Map<string, Uint8Array>; names: string[] } {
  const names: string[] = [];
  let entries: Record<string, Uint8Array>;
  let total = 0;
  let overLimit: LimitError | null = null;
  let damaged: string | null = null;
  try {
    entries = unzipSync(bytes, {
      filter: (entry) => {
        const name = entryName(entry.name);
        if (name.endsWith('/') || name.startsWith('__MACOSX/') || /(^|\/)\._/.test(name)) return false;
        names.push(name);
        if (overLimit || damaged || !keep(name)) return false;
        // An entry cannot hold more packed bytes than the whole archive, and a stored one unpacks to
        // its packed size: a garbled directory says otherwise, and unpacking it would copy hundreds of
        // megabytes of nothing (a 3 KB workbook became 741 MB, and read-excel-file then ran a minute).
        if (entry.size > bytes.byteLength || (entry.compression === 0 && entry.originalSize !== entry.size)) {
          damaged = `its directory is damaged: entry '${name.slice(0, 60).replace(/[^\p{L}\p{N}\p{P}\p{S} ]|\ufffd/gu, '?')}' claims ${formatBytes(entry.size)} packed (${formatBytes(entry.originalSize)} unpacked) in an archive of ${formatBytes(bytes.byteLength)}`;
          return false;
        }
        const allowed = entryAllowance(entry.size, limits);
        if (entry.originalSize > allowed) {
          const byRatio = allowed < limits.maxEntryBytes;
          overLimit = new LimitError(
            file,
            `entry '${name}' unpacks from ${formatBytes(entry.size)} to ${formatBytes(entry.originalSize)}${
              byRatio ? ` (${Math.round(entry.originalSize / Math.max(1, entry.size))} times)` : ''
            }`,
            byRatio ? 'maxCompressionRatio' : 'maxEntryBytes',
            byRatio ? limits.maxCompressionRatio : limits.maxEntryBytes,
          );
          return false;
        }
        total += entry.originalSize;
        if (total > limits.maxArchiveBytes) {
          overLimit = new LimitError(
            file,
            `the entries read unpack to more than ${formatBytes(total)} together`,
            'maxArchiveBytes',
            limits.maxArchiveBytes,
          );
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    throw new InputError(file, `is not a readable ${archiveKind} (${(error as Error).message}).`);
  }
  if (damaged) throw new InputError(file, `is not a readable ${archiveKind}: ${damaged}.`);
  if (overLimit) throw overLimit;
  const files = new Map<string, Uint8Array>();
  for (const [raw, data] of Object.entries(entries)) files.set(entryName(raw), data);
  return { files, names };
}
