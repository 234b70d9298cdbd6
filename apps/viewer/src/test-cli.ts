// What the viewer's tests that compare its figures with `lifecircle`'s share
// (worker/honest.test.ts, raster-run.test.ts): fixture files handed over as the worker takes them,
// the CLI run from its built JS (packages/cli/dist: run `node scripts/build-packages.mjs` after
// changing core, io or the CLI) with its summary.json read back, and the per-type figures compared.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, ROOT } from '../../../test/fixtures.js';
import type { InputRole, ReadInputFile } from './worker/protocol.js';

// summary.json is compared as the CLI wrote it, untyped.
// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the CLI's files
export type Json = any;

const CLI = join(ROOT, 'packages/cli/dist/main.js');

/** The file at `path` as the worker is handed it in `role`. */
export function inputFile(role: InputRole, path: string): ReadInputFile {
  const b = readFileSync(path);
  const name = path.slice(path.lastIndexOf('/') + 1);
  return { role, name, bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer };
}

/**
 * A fixture town's communities, facilities and roads as the viewer is handed them (the files
 * `townInputs(town, { network: true })` names for the CLI).
 */
export function townFiles(town: string): ReadInputFile[] {
  return (['communities', 'facilities', 'roads'] as const).map((role) =>
    inputFile(role, fixture(town, `${role}.geojson`)),
  );
}

/** Runs `lifecircle …args --quiet --out <new folder>` and returns its summary.json and the folder. */
export function cliRun(args: readonly string[]): { summary: Record<string, Json>; out: string } {
  const out = mkdtempSync(join(tmpdir(), 'lc-viewer-cli-'));
  execFileSync(process.execPath, [CLI, ...args, '--quiet', '--out', out], { stdio: 'pipe' });
  return { summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')), out };
}

/** Runs `lifecircle check …args --quiet --json` and returns what it prints (check's summary). */
export function checkJson(args: readonly string[]): Record<string, Json> {
  return JSON.parse(
    execFileSync(process.execPath, [CLI, 'check', ...args, '--quiet', '--json'], { encoding: 'utf8' }),
  );
}

/** The `fields` of every type of a summary's `types`: what the viewer and the CLI must agree on. */
export function typeFigures(types: Record<string, Json>, fields: readonly string[]) {
  return Object.fromEntries(
    Object.entries(types).map(([id, t]) => [id, Object.fromEntries(fields.map((f) => [f, t[f]]))]),
  );
}
