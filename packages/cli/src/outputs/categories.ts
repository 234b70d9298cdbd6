import type { CategoryReport } from '@lifecircle/core';
import { formatTable, integer } from './table.js';
import { terminalText } from './terminal.js';

/** Unmapped categories shown on screen; summary.json has them all. */
const UNMAPPED_SHOWN = 15;

/**
 * The screen's account of POI categories: how many facilities each rule typed, and the unmapped
 * categories as one table (count, example names, why) instead of a rejection line per facility.
 */
export function formatCategories(report: CategoryReport): string[] {
  const lines: string[] = [];
  const byRule = report.typed.filter((t) => t.scheme !== 'catalog');
  if (byRule.length > 0) {
    lines.push('Facilities typed by POI category:');
    lines.push(
      formatTable(
        ['rule', 'decided by', 'type', 'facilities'],
        byRule.map((t) => [
          t.rule,
          t.name_rule ? `name (${t.name_rule})` : t.mapping === 'broad' ? 'fallback' : 'category',
          t.type,
          integer(t.facilities),
        ]),
        ['left', 'left', 'left', 'right'],
      ),
    );
  }
  if (report.unmapped.length > 0) {
    const total = report.unmapped.reduce((n, u) => n + u.facilities, 0);
    if (lines.length > 0) lines.push('');
    lines.push(
      `${integer(total)} facilit${total === 1 ? 'y' : 'ies'} in ${report.unmapped.length} categor${report.unmapped.length === 1 ? 'y' : 'ies'} got no catalog type:`,
    );
    lines.push(
      formatTable(
        ['category', 'facilities', 'examples', 'why'],
        report.unmapped
          .slice(0, UNMAPPED_SHOWN)
          .map((u) => [
            u.category,
            integer(u.facilities),
            u.examples
              .map(
                (e) =>
                  `${e.name ?? e.id ?? ''} (${e.row === undefined ? `feature ${e.index}` : `row ${e.row}`})`,
              )
              .join(', '),
            `${u.why}${u.did_you_mean ? `; did you mean ${u.did_you_mean.join(', ')}?` : ''}`,
          ]),
        ['left', 'right', 'left', 'left'],
      ),
    );
    if (report.unmapped.length > UNMAPPED_SHOWN) {
      lines.push(`  … and ${report.unmapped.length - UNMAPPED_SHOWN} more categories (all in summary.json)`);
    }
    if (report.how_to_map) lines.push(`To use them, ${report.how_to_map}.`);
  }
  // Categories, names and the type map's path come from the user's files.
  return lines.map(terminalText);
}
