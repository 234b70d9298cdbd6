// docs/api/ is generated from the TSDoc of every package's public API (typedoc with
// typedoc-plugin-markdown, typedoc.json). This test generates it again into a temporary folder and
// compares: a change to an exported signature or its TSDoc must come with `pnpm docs:api`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMMITTED = join(ROOT, 'docs/api');
const fresh = mkdtempSync(join(tmpdir(), 'lifecircle-api-'));

afterAll(() => rmSync(fresh, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** The first differing line of two texts, for a message that shows what changed. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line < 0 ? a.length : line;
  return `line ${at + 1}:\n  committed: ${a[at] ?? '(end of file)'}\n  generated: ${b[at] ?? '(end of file)'}`;
}

describe('API reference (docs/api/)', () => {
  it('matches what typedoc generates from the sources: run pnpm docs:api after changing the API', () => {
    const typedoc = join(ROOT, 'node_modules/typedoc/bin/typedoc');
    const run = spawnSync(process.execPath, [typedoc, '--out', fresh, '--logLevel', 'Warn'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, `typedoc failed:\n${run.stdout}\n${run.stderr}`).toBe(0);

    const generated = filesUnder(fresh);
    expect(generated).toContain('README.md');
    expect(generated).toContain('@lifecircle/core.md');
    const committed = filesUnder(COMMITTED);
    expect(committed, 'docs/api/ has other pages than typedoc generates: run pnpm docs:api').toEqual(
      generated,
    );
    for (const file of generated) {
      const want = readFileSync(join(fresh, file), 'utf8');
      const have = readFileSync(join(COMMITTED, file), 'utf8');
      if (have !== want) {
        expect.fail(`docs/api/${file} is out of date: run pnpm docs:api\n${firstDifference(have, want)}`);
      }
    }
  });
});
