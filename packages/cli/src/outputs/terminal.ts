import type { Rejection } from '@lifecircle/core';

/**
 * Rejected features one per line, naming file, feature (or a table's row, as a spreadsheet numbers it),
 * id and field, as users fix them.
 */
export function formatRejections(rejected: readonly Rejection[], shown: number): string {
  const lines = [`${rejected.length} feature(s) rejected:`];
  for (const r of rejected.slice(0, shown)) {
    const where = r.row === undefined ? `feature ${r.index}` : `row ${r.row}`;
    lines.push(`  ${r.file} ${where}${r.id ? ` (${r.id})` : ''}, ${r.field}: ${r.reason}`);
  }
  if (rejected.length > shown) lines.push(`  … and ${rejected.length - shown} more`);
  return `${lines.join('\n')}\n`;
}
