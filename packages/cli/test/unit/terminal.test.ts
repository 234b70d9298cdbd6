// Names, ids and messages from the data reach the terminal without their control characters (#17).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTable } from '../../src/outputs/table.js';
import { formatRejections, formatWarning, terminalText } from '../../src/outputs/terminal.js';
import { runCli } from '../harness.js';

const RED = '\u001b[31m';
const TITLE = '\u001b]0;pwned\u0007';
const TMP = mkdtempSync(join(tmpdir(), 'lifecircle-terminal-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

// Any C0 or C1 control character but the newline.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('terminalText', () => {
  it('removes escape sequences and control characters, keeping the text and newlines', () => {
    expect(terminalText(`${RED}东苑小区\u001b[0m`)).toBe('东苑小区');
    expect(terminalText(`${TITLE}C001`)).toBe('C001');
    expect(terminalText('a\u0007b\u0085c\rd\u0000e')).toBe('abcde');
    expect(terminalText('line 1\nline 2')).toBe('line 1\nline 2');
  });

  it('is used by tables, rejections and warnings', () => {
    const table = formatTable(['name'], [[`${RED}红\nname`]], ['left']);
    expect(table).not.toMatch(CONTROL);
    expect(table).toContain('红 name');
    const rejections = formatRejections(
      [{ file: 'c.geojson', index: 0, id: `${RED}C1`, field: 'population', reason: `${TITLE}bad` }],
      5,
    );
    expect(rejections).not.toMatch(CONTROL);
    expect(rejections).toContain('(C1), population: bad');
    expect(formatWarning({ file: 'f.csv', field: `${RED}x`, message: `${RED}m` })).toBe(
      'warning: f.csv (x): m',
    );
  });

  it('keeps them out of what analyze prints for names that contain them', async () => {
    const source = JSON.parse(
      readFileSync(new URL('../data/communities.geojson', import.meta.url), 'utf8'),
    ) as { features: { properties: Record<string, unknown> }[] };
    for (const feature of source.features) {
      feature.properties.name = `${RED}${String(feature.properties.name)}\u001b[0m`;
      feature.properties.district = `${TITLE}${String(feature.properties.district)}`;
    }
    const communities = join(TMP, 'communities.geojson');
    writeFileSync(communities, JSON.stringify(source));
    const { code, out, err } = await runCli([
      'analyze',
      '--communities',
      communities,
      '--facilities',
      new URL('../data/facilities.geojson', import.meta.url).pathname,
      '--quiet',
    ]);
    expect(code, err).toBe(0);
    expect(out).toContain('东苑小区');
    expect(out).not.toMatch(CONTROL);
    expect(err).not.toMatch(CONTROL);
  });
});
