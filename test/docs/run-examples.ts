// How both example tests (examples.test.ts for docs/*.md, tsdoc-examples.test.ts for TSDoc
// @example blocks) typecheck and run their examples: the compiler options, and one test per example,
// skipped with its reason when the example is marked not-run, otherwise imported as a module with
// console.log muted (examples show a value and move on), optionally from a working folder of its own.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { it, vi } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The compiler options examples are typechecked with: the repository's, without emitting. */
export function exampleCompilerOptions(): ts.CompilerOptions {
  const base = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(base.config, ts.sys, ROOT);
  return {
    ...parsed.options,
    noEmit: true,
    allowImportingTsExtensions: true,
    // Examples show a value and move on.
    noUnusedLocals: false,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
  };
}

/** An example that can be marked not-run (the marker's reason). */
export interface RunnableExample {
  readonly notRun?: string | null | undefined;
}

/**
 * Declares `it('<label> runs')` for each example that imports the module `modulePath(example)`,
 * inside `cwd` when given; an example marked not-run is an `it.skip` naming the reason.
 */
export function itRunsEach<Example extends RunnableExample>(
  examples: readonly Example[],
  label: (example: Example) => string,
  modulePath: (example: Example) => string,
  cwd?: string,
): void {
  for (const example of examples) {
    if (example.notRun) {
      it.skip(`${label(example)} (not run: ${example.notRun})`, () => {});
      continue;
    }
    it(`${label(example)} runs`, async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const before = process.cwd();
      if (cwd !== undefined) process.chdir(cwd);
      try {
        await import(/* @vite-ignore */ pathToFileURL(modulePath(example)).href);
      } finally {
        process.chdir(before);
        log.mockRestore();
      }
    });
  }
}
