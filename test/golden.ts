// The one golden-file harness of the repository: every test that compares an output with a stored
// file (fixtures/pingliang/out, fixtures/barrier/out, fixtures/standards/*/out, core's __goldens__)
// calls expectGolden. Goldens are compared byte for byte (byte-order marks and CRLF line ends
// included). After an intended change, regenerate them with
//
//   UPDATE_GOLDENS=1 npx vitest run <the test files>
//
// and read the diff of the golden files before committing; say why they changed in the message.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The environment variable that makes {@link expectGolden} write the goldens instead of comparing. */
export const UPDATE_GOLDENS_ENV = 'UPDATE_GOLDENS';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** True when the run should write goldens (and generated doc tables) instead of comparing them. */
export function updating(): boolean {
  const value = process.env[UPDATE_GOLDENS_ENV];
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Asserts that `actual` is, byte for byte, the content of the golden file at `golden` (a file URL,
 * usually `new URL('…', import.meta.url)`, or an absolute path). With `UPDATE_GOLDENS=1` the golden
 * is written instead (its folder created), so a missing golden is an error only when comparing.
 */
export function expectGolden(actual: string, golden: URL | string): void {
  const path = golden instanceof URL ? fileURLToPath(golden) : golden;
  const shown = relative(ROOT, path);
  if (updating()) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== actual) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
    }
    return;
  }
  if (!existsSync(path)) {
    throw new Error(`golden ${shown} does not exist; write it with ${UPDATE_GOLDENS_ENV}=1.`);
  }
  expect(
    actual,
    `output differs from the golden ${shown}; if the change is intended, rerun with ${UPDATE_GOLDENS_ENV}=1 and read the diff`,
  ).toBe(readFileSync(path, 'utf8'));
}
