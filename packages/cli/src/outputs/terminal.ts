import { stripVTControlCharacters } from 'node:util';
import type { Rejection, Warning } from '@lifecircle/core';

// C0 controls but the newline, DEL and C1 controls: left after the escape sequences are removed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from the data (names, ids, file contents in messages) as it may be printed on a terminal:
 * escape sequences (`\u001b[31m`, window-title and hyperlink sequences) and other control characters
 * removed, so that a name in a file cannot recolour, clear or retitle the user's terminal. Newlines
 * stay; every line of data printed by the CLI goes through here.
 */
export function terminalText(text: string): string {
  return stripVTControlCharacters(text).replace(CONTROL, '');
}

/**
 * Rejected features one per line, naming file, feature (or a table's row, as a spreadsheet numbers it),
 * id and field, as users fix them.
 */
export function formatRejections(rejected: readonly Rejection[], shown: number): string {
  const lines = [`${rejected.length} feature(s) rejected:`];
  for (const r of rejected.slice(0, shown)) {
    const where = r.row === undefined ? `feature ${r.index}` : `row ${r.row}`;
    lines.push(terminalText(`  ${r.file} ${where}${r.id ? ` (${r.id})` : ''}, ${r.field}: ${r.reason}`));
  }
  if (rejected.length > shown) lines.push(`  … and ${rejected.length - shown} more`);
  return `${lines.join('\n')}\n`;
}

/** `warning: file (field): message`, as every command prints a run's warnings. */
export function formatWarning(warning: Pick<Warning, 'file' | 'field' | 'message'>): string {
  return terminalText(
    `warning: ${warning.file}${warning.field ? ` (${warning.field})` : ''}: ${warning.message}`,
  );
}
