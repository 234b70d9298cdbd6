// Every example in the docs runs. The fenced blocks of README.md, packages/*/README.md and docs/**/*.md
// (except docs/api/, which typedoc generates from TSDoc) are extracted and:
//
// - ```sh blocks: every line that calls the CLI (`pnpm lifecircle …`, `npx -y pnpm@12.4.2 lifecircle …`,
//   `lifecircle …`, `npx @lifecircle/cli …`) runs in-process through the CLI's run(), from the
//   repository root, with `out/…` paths moved into a temporary folder; it must exit 0. Other lines
//   (installs, builds) are not run. Identical commands run once and share their outputs.
// - ```ts blocks are written to temporary .mts files, typechecked together against the sources with
//   the repository's compiler options, then run one by one (from the repository root).
//
// A block that cannot run is skipped only when the line before its fence says why:
// `<!-- not-run: reason -->`. The skipped blocks are listed in the test names.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../packages/cli/src/cli.js';
import { exampleCompilerOptions, itRunsEach } from './run-examples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOT_RUN = /^<!--\s*not-run:\s*(.+?)\s*-->$/;
const CLI_PREFIX =
  /^(?:pnpm\s+lifecircle|npx\s+-y\s+pnpm@[\d.]+\s+lifecircle|npx\s+(?:-y\s+)?@lifecircle\/cli|lifecircle)(?=\s|$)/;

interface Block {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** The reason given in a `<!-- not-run: … -->` marker, or null. */
  readonly notRun: string | null;
}

function markdownFiles(): string[] {
  const files = ['README.md'];
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const readme = join('packages', pkg, 'README.md');
    if (exists(join(ROOT, readme))) files.push(readme);
  }
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      const path = join(dir, name);
      if (path === join('docs', 'api')) continue; // generated from TSDoc by typedoc
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The fenced blocks of a markdown file, with the not-run marker that precedes each. */
function extractBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim().startsWith(fence!)) {
      body.push(lines[j]!.slice(Math.min(indent!.length, lines[j]!.search(/\S|$/))));
      j++;
    }
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const marker = k >= 0 ? NOT_RUN.exec(lines[k]!.trim()) : null;
    blocks.push({
      file,
      line: i + 1,
      lang: lang!.toLowerCase(),
      code: body.join('\n'),
      notRun: marker?.[1] ?? null,
    });
    i = j;
  }
  return blocks;
}

/** Splits a command line as a POSIX shell would for the simple commands the docs use. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        word += line[j];
      }
      if (j >= line.length) throw new Error(`unclosed " in: ${line}`);
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break; // a comment
    } else if (/[|&;<>`$()]/.test(c)) {
      throw new Error(
        `'${c}' in a documented command: the docs test runs one plain command per line; ` +
          `split it, or mark the block <!-- not-run: reason -->. Line: ${line}`,
      );
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The CLI calls of a shell block: continuation lines joined, prompts and comments dropped. */
function cliCommands(code: string): string[][] {
  const joined = code.replace(/\\\n/g, ' ').split('\n');
  const commands: string[][] = [];
  for (const raw of joined) {
    const line = raw.replace(/^\s*\$\s+/, '').trim();
    const prefix = CLI_PREFIX.exec(line);
    if (!prefix) continue;
    commands.push(shellWords(line.slice(prefix[0].length)));
  }
  return commands;
}

const blocks = markdownFiles().flatMap((file) => extractBlocks(file, readFileSync(join(ROOT, file), 'utf8')));
const shellBlocks = blocks.filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang));
const tsBlocks = blocks.filter((b) => ['ts', 'typescript'].includes(b.lang));
const label = (b: Block) => `${b.file}:${b.line}`;

const work = mkdtempSync(join(tmpdir(), 'lifecircle-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `out/x` and `out` become paths in the temporary folder, so the docs never write into the tree. */
function redirectOutputs(args: readonly string[]): string[] {
  return args.map((arg) => (arg === 'out' || arg.startsWith('out/') ? join(work, arg) : arg));
}

const ran = new Map<string, Promise<{ code: number; out: string; err: string }>>();

function runCli(args: readonly string[]) {
  const key = JSON.stringify(args);
  let result = ran.get(key);
  if (!result) {
    let out = '';
    let err = '';
    result = run(args, { out: (t) => (out += t), err: (t) => (err += t), interactive: false }).then(
      (code) => ({ code, out, err }),
    );
    ran.set(key, result);
  }
  return result;
}

describe('shell examples in the docs', () => {
  it('finds the documented commands', () => {
    expect(shellBlocks.filter((b) => !b.notRun && cliCommands(b.code).length > 0).length).toBeGreaterThan(10);
  });

  for (const block of shellBlocks) {
    const commands = block.notRun ? [] : cliCommands(block.code);
    if (block.notRun) {
      if (cliCommands(block.code).length > 0) it.skip(`${label(block)} (not run: ${block.notRun})`, () => {});
      continue;
    }
    if (commands.length === 0) continue;
    it(`${label(block)}: ${commands.map((c) => `lifecircle ${c.slice(0, 1).join(' ')}`).join(', ')}`, async () => {
      for (const args of commands) {
        const result = await runCli(redirectOutputs(args));
        if (result.code !== 0) {
          expect.fail(
            `\`lifecircle ${args.join(' ')}\` (${label(block)}) exited ${result.code}:\n${result.err}${result.out.slice(0, 2000)}`,
          );
        }
      }
    });
  }
});

describe('TypeScript examples in the docs', () => {
  const runnable = tsBlocks.filter((b) => !b.notRun);
  const modules = new Map<Block, string>();

  beforeAll(() => {
    mkdirSync(join(work, 'ts'), { recursive: true });
    runnable.forEach((block, i) => {
      const name = `${block.file.replace(/[^\w]+/g, '_')}_${block.line}_${i}.mts`;
      // Against the sources: the package names resolve to each package's src/index.ts.
      const code = block.code.replace(/(['"])@lifecircle\/(\w+)\1/g, (_, quote, pkg) => {
        return `${quote}${join(ROOT, 'packages', pkg, 'src/index.ts')}${quote}`;
      });
      const path = join(work, 'ts', name);
      writeFileSync(
        path,
        code.includes('import ') || code.includes('export ') ? code : `${code}\nexport {};\n`,
      );
      modules.set(block, path);
    });
  });

  it('typecheck against the sources', () => {
    const program = ts.createProgram([...modules.values()], exampleCompilerOptions());
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && modules.has(blockOf(d.file.fileName)!));
    const messages = diagnostics.map((d) => {
      const block = blockOf(d.file!.fileName)!;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${block.file}:${block.line + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
    // One TypeScript program over every example and the sources it imports: well under a minute
    // on a quiet machine, over a minute when the two cores are shared.
  }, 180_000);

  function blockOf(fileName: string): Block | undefined {
    for (const [block, path] of modules) if (path === fileName) return block;
    return undefined;
  }

  itRunsEach(tsBlocks, label, (block) => modules.get(block)!);
});

describe('the docs test itself', () => {
  it('reads not-run markers, continuation lines, quotes and comments', () => {
    const md = [
      '<!-- not-run: needs a server -->',
      '```sh',
      'pnpm lifecircle analyze --x 1',
      '```',
      '```sh',
      'pnpm lifecircle check \\',
      '  --profile \'a b\' --types 托育,"幼儿园"   # the tiers',
      'npx -y pnpm@12.4.2 install',
      '```',
    ].join('\n');
    const [skipped, runs] = extractBlocks('x.md', md);
    expect(skipped).toMatchObject({ line: 2, notRun: 'needs a server' });
    expect(runs).toMatchObject({ line: 5, notRun: null });
    expect(cliCommands(runs!.code)).toEqual([['check', '--profile', 'a b', '--types', '托育,幼儿园']]);
    expect(() => shellWords('lifecircle analyze | head')).toThrow(/one plain command per line/);
    expect(relative(ROOT, redirectOutputs(['--out', 'out/x'])[1]!)).not.toMatch(/^out/);
  });
});
