// The set-up every end-to-end test of the command shares: run `lifecircle` in-process with a console
// that records what it prints, write generated inputs to a temporary folder that is removed after the
// test file, and read the summary.json a run wrote. One home, so a change to the console interface or
// to where outputs land is made once.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { run } from '../src/cli.js';
import type { NamedOutput } from '../src/outputs/named.js';

export { fixture, ROOT, townInputs } from '../../../test/fixtures.js';

/** What one `lifecircle` run printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout and stderr together. */
  all: string;
}

/**
 * Runs the CLI with a console that records what it prints (stderr a log, or a terminal with
 * `interactive`). A throw (a crash) fails the test.
 */
export async function runCli(args: readonly string[], { interactive = false } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await run(args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    interactive,
  });
  return { code, out, err, all: out + err };
}

/** A run that wrote its outputs into `dir`, with the summary.json it wrote when it succeeded. */
export interface WritingRun<T> extends CliRun {
  dir: string;
  summary: T | undefined;
}

/** Runs `lifecircle …args --out dir --quiet`, and reads the summary.json of a run that succeeded. */
export async function runInto<T = Record<string, unknown>>(
  dir: string,
  args: readonly string[],
): Promise<WritingRun<T>> {
  const r = await runCli([...args, '--out', dir, '--quiet']);
  return { ...r, dir, summary: r.code === 0 ? readSummary<T>(dir) : undefined };
}

/** The arguments of `lifecircle analyze --communities C --facilities F …rest`. */
export const analyzeArgs = (communities: string, facilities: string, ...rest: string[]): string[] => [
  'analyze',
  '--communities',
  communities,
  '--facilities',
  facilities,
  ...rest,
];

/** A temporary folder for one test file's inputs and outputs. */
export interface Scratch {
  /** The folder itself. */
  dir: string;
  /**
   * Writes `content` to `name` in a folder of its own (so two inputs may share a name), and returns
   * its path. Strings and bytes are written as they are, anything else JSON-encoded.
   */
  file(name: string, content: unknown): string;
  /** Writes `content` (as {@link Scratch.file}) at `relativePath` below the folder, making folders. */
  write(relativePath: string, content: unknown): string;
  /** A fresh, not yet existing output folder path. */
  outDir(): string;
}

/**
 * Makes a temporary folder named after `name` and removes it after the calling test file
 * (call at the top level of the test file, where `afterAll` applies to the whole file).
 */
export function scratchDir(name: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), `lifecircle-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let counter = 0;
  const write = (relativePath: string, content: unknown): string => {
    const path = join(dir, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    const data =
      typeof content === 'string' || content instanceof Uint8Array
        ? content
        : JSON.stringify(content, null, 2);
    writeFileSync(path, data);
    return path;
  };
  return {
    dir,
    file: (name, content) => write(join(`in-${counter++}`, name), content),
    write,
    outDir: () => join(dir, `out-${counter++}`),
  };
}

/** Reads and parses a JSON file a run wrote, such as `readJson(join(out, 'summary.json'))`. */
export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Reads the summary.json a run wrote into `outDir`. */
export function readSummary<T = Record<string, unknown>>(outDir: string): T {
  return readJson<T>(join(outDir, 'summary.json'));
}

/**
 * The files a command's format step names, built in memory in their order (nothing written), by
 * name: text and bytes as they are, text in pieces joined.
 */
export async function formattedFiles(
  outputs: readonly NamedOutput[],
): Promise<Map<string, string | Uint8Array>> {
  const files = new Map<string, string | Uint8Array>();
  for (const output of outputs) {
    const contents = await output.contents();
    files.set(
      output.name,
      typeof contents === 'string' || contents instanceof Uint8Array ? contents : [...contents].join(''),
    );
  }
  return files;
}

/** The names of a format step's outputs in their order, one space between: `summary.json gaps.csv`. */
export function outputNames(formatted: { readonly outputs: readonly NamedOutput[] }): string {
  return formatted.outputs.map((o) => o.name).join(' ');
}
