import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources, so no build is needed before `pnpm test`.
export default defineConfig({
  resolve: {
    alias: {
      // The internal subpath first: an alias also matches the paths under its name.
      '@lifecircle/core/internal': fileURLToPath(new URL('./packages/core/src/internal.ts', import.meta.url)),
      '@lifecircle/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
      '@lifecircle/io': fileURLToPath(new URL('./packages/io/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'fixtures/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 60_000,
  },
});
