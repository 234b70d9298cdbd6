#!/usr/bin/env node
// Prints the folder tree of every package's src/ and the viewer's src/, one line per folder with its
// role: the first paragraph of the folder's README.md. docs/design.md and docs/life-of-an-analysis.md
// hold this tree between the markers below; `node scripts/source-tree.mjs --write` puts it there, and
// test/docs/source-tree.test.ts fails when the docs' tree differs from the code's.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The folders whose trees the docs show, in the order they show them. */
export const TREE_ROOTS = ['packages/core/src', 'packages/io/src', 'packages/cli/src', 'apps/viewer/src'];

/** The pages that carry the tree. */
export const TREE_PAGES = ['docs/design.md', 'docs/life-of-an-analysis.md'];

export const TREE_BEGIN =
  '<!-- source-tree: begin (written by node scripts/source-tree.mjs --write; test/docs/source-tree.test.ts checks it) -->';
export const TREE_END = '<!-- source-tree: end -->';

/** Folders that hold test data or goldens, not code. */
const NOT_CODE = new Set(['node_modules', '__goldens__', 'testdata', '__screenshots__']);

const ROLE_COLUMN = 28;

/** The role of a folder: its README.md's first paragraph after the heading, on one line. */
function roleOf(dir) {
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) {
    throw new Error(
      `${readme.slice(ROOT.length)} is missing: each source folder says its role in a README.md`,
    );
  }
  const paragraphs = readFileSync(readme, 'utf8')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !p.startsWith('#'));
  if (paragraphs.length === 0)
    throw new Error(`${readme.slice(ROOT.length)} has no paragraph saying its role`);
  return paragraphs[0].replace(/\s+/g, ' ');
}

function line(indent, name, role) {
  const label = `${'  '.repeat(indent)}${name}`;
  return `${label.padEnd(ROLE_COLUMN - 1)} ${role}`;
}

function folderLines(dir, indent) {
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !NOT_CODE.has(e.name))
    .map((e) => e.name)
    .sort();
  return folders.flatMap((name) => {
    const path = join(dir, name);
    return [line(indent, `${name}/`, roleOf(path)), ...folderLines(path, indent + 1)];
  });
}

/** The tree of every root as the docs show it: a fenced text block. */
export function sourceTree(root = ROOT) {
  const lines = TREE_ROOTS.flatMap((r) => [
    line(0, `${r}/`, roleOf(join(root, r))),
    ...folderLines(join(root, r), 1),
  ]);
  return ['```text', ...lines, '```'].join('\n');
}

/** A page's text with the tree between its markers replaced by `tree`. */
export function withTree(page, text, tree) {
  const begin = text.indexOf(TREE_BEGIN);
  const end = text.indexOf(TREE_END);
  if (begin < 0 || end < begin) throw new Error(`${page} has no ${TREE_BEGIN} … ${TREE_END} markers`);
  return `${text.slice(0, begin + TREE_BEGIN.length)}\n${tree}\n${text.slice(end)}`;
}

/** The tree a page holds between its markers, or null without markers. */
export function treeIn(text) {
  const begin = text.indexOf(TREE_BEGIN);
  const end = text.indexOf(TREE_END);
  if (begin < 0 || end < begin) return null;
  return text.slice(begin + TREE_BEGIN.length, end).trim();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const tree = sourceTree();
  if (process.argv.includes('--write')) {
    for (const page of TREE_PAGES) {
      const path = join(ROOT, page);
      writeFileSync(path, withTree(page, readFileSync(path, 'utf8'), tree));
      process.stdout.write(`wrote the source tree into ${page}\n`);
    }
  } else process.stdout.write(`${tree}\n`);
}
