import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The viewer's tests: unit tests of the worker engine, scenario, colours and file roles (Node), and the
// end-to-end tests in test/e2e.test.ts, which build the app and drive Debian's Chromium.
export default defineConfig({
  resolve: {
    alias: {
      '@lifecircle/core': fileURLToPath(new URL('../../packages/core/src/index.ts', import.meta.url)),
      '@lifecircle/io': fileURLToPath(new URL('../../packages/io/src/index.ts', import.meta.url)),
    },
  },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
