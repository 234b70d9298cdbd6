// The folder trees in docs/design.md and docs/life-of-an-analysis.md are the code's: a folder added,
// moved or removed, or a README.md role changed, without `node scripts/source-tree.mjs --write` fails
// here with the tree the docs should hold.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript script without declarations
import { sourceTree, TREE_PAGES, TREE_ROOTS, treeIn, withTree } from '../../scripts/source-tree.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the source folder trees in the docs', () => {
  const tree: string = sourceTree();

  for (const page of TREE_PAGES as string[]) {
    it(`${page} holds the tree of the code (node scripts/source-tree.mjs --write)`, () => {
      expect(treeIn(readFileSync(join(ROOT, page), 'utf8'))).toBe(tree);
    });
  }

  it('names every source folder once, each with a role', () => {
    const lines = tree.split('\n').slice(1, -1);
    for (const line of lines) expect(line).toMatch(/^ *\S+\/ +\S/);
    expect(lines.filter((l) => !l.startsWith(' ')).map((l) => l.split(' ')[0])).toEqual(
      (TREE_ROOTS as string[]).map((r) => `${r}/`),
    );
    expect(tree).toMatch(/\n {2}report\/ +Output shapes/);
    expect(tree).toMatch(/\n {4}conditions\/ +One module per condition kind/);
  });

  it('sees a folder added to the code, and one without a README', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'source-tree-'));
    try {
      for (const root of TREE_ROOTS as string[]) {
        mkdirSync(join(scratch, root), { recursive: true });
        writeFileSync(join(scratch, root, 'README.md'), `# ${root}\n\nThe ${root} role,\nover two lines.\n`);
      }
      mkdirSync(join(scratch, 'packages/core/src/newstage/__goldens__'), { recursive: true });
      expect(() => sourceTree(scratch)).toThrow(/packages\/core\/src\/newstage\/README\.md is missing/);
      writeFileSync(join(scratch, 'packages/core/src/newstage/README.md'), '# newstage\n\nA new stage.\n');
      const fresh: string = sourceTree(scratch);
      expect(fresh).toContain('packages/core/src/          The packages/core/src role, over two lines.');
      expect(fresh).toContain('\n  newstage/                 A new stage.\n');
      expect(fresh).not.toContain('__goldens__');
      const page = `before\n${withTree('page.md', '<!-- source-tree: begin (written by node scripts/source-tree.mjs --write; test/docs/source-tree.test.ts checks it) -->\nold\n<!-- source-tree: end -->\nafter', fresh)}`;
      expect(treeIn(page)).toBe(fresh);
      expect(treeIn(page)).not.toBe(tree);
      expect(page.endsWith('<!-- source-tree: end -->\nafter')).toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
