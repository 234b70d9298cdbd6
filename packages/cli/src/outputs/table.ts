import { terminalText } from './terminal.js';

// Terminal columns a character takes: CJK and full-width forms take two.
function charWidth(code: number): number {
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

/** Column alignment: text left, numbers right. */
export type Align = 'left' | 'right';

/** A plain-text table with columns padded to their widest cell, counting CJK as two columns. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
): string {
  // Cells come from the data: no escape sequence reaches the terminal, no newline breaks a row.
  const printable = (cell: string) => terminalText(cell).replace(/\n/g, ' ');
  header = header.map(printable);
  rows = rows.map((row) => row.map(printable));
  const widths = header.map((h, c) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[c] ?? ''))),
  );
  const pad = (text: string, c: number) => {
    const fill = ' '.repeat(widths[c]! - displayWidth(text));
    return align[c] === 'right' ? fill + text : text + fill;
  };
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => pad(cell, c))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function percent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)}%`;
}

export function integer(value: number | null): string {
  return value === null ? '–' : Math.round(value).toLocaleString('en-US');
}

/**
 * A community as a table's row names it: its id and its name, the name once when it is the id (the
 * communities of a file without an id column take their unique names as ids), the id alone when it
 * has no name.
 */
export function communityLabel(id: string, name: string | null | undefined): string {
  const named = name?.trim();
  return !named || named === id ? id : `${id} ${named}`;
}

/** A community in a list of several (a cell naming many): its name, or its id when it has none. */
export function communityShortLabel(id: string, name: string | null | undefined): string {
  return name?.trim() || id;
}
