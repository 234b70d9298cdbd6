import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The internal subpath first: an alias also matches the paths under its name.
const alias = {
  '@lifecircle/core/internal': fileURLToPath(new URL('../../packages/core/src/internal.ts', import.meta.url)),
  '@lifecircle/core': fileURLToPath(new URL('../../packages/core/src/index.ts', import.meta.url)),
  '@lifecircle/io': fileURLToPath(new URL('../../packages/io/src/index.ts', import.meta.url)),
};
const root = fileURLToPath(new URL('.', import.meta.url));
const DOM_TESTS = [
  'src/view/**/*.test.ts',
  'src/panels/**/*.test.ts',
  'src/print/**/*.test.ts',
  'src/render.test.ts',
];

// The viewer's tests, in two projects:
// - `unit`: the worker engine, scenario, colours and file roles, in Node.
// - `dom`: the view state's transitions and the panels (src/view, src/panels) in happy-dom, a DOM for
//   Node: a panel is a function from state to elements that a test can query, no browser needed.
// - `e2e`: test/e2e.test.ts builds the app and drives Debian's Chromium, stored screenshots included.
export default defineConfig({
  resolve: { alias },
  test: {
    // One file at a time, as before the split: the browser tests are heavy and the machine is shared.
    fileParallelism: false,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          root,
          include: ['src/**/*.test.ts'],
          exclude: DOM_TESTS,
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'dom',
          root,
          include: DOM_TESTS,
          environment: 'happy-dom',
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          root,
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
