import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The viewer runs core and io from their TypeScript sources (their package.json `exports` point at
// dist/, which is not built in development), in the page and in the analysis worker alike.
const coreSource = fileURLToPath(new URL('../../packages/core/src/index.ts', import.meta.url));
const coreInternal = fileURLToPath(new URL('../../packages/core/src/internal.ts', import.meta.url));
const ioSource = fileURLToPath(new URL('../../packages/io/src/index.ts', import.meta.url));

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'credentialless',
};

export default defineConfig({
  // Relative asset URLs: the built viewer opens from any folder or static host, not only the site root.
  base: './',
  resolve: {
    // The internal subpath first: an alias also matches the paths under its name.
    alias: {
      '@lifecircle/core/internal': coreInternal,
      '@lifecircle/core': coreSource,
      '@lifecircle/io': ioSource,
    },
  },
  worker: {
    format: 'es',
  },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // The fixture GeoJSON files are fetched as separate assets, never inlined as data: URLs.
    assetsInlineLimit: 0,
    minify: process.env.VIEWER_NO_MINIFY ? false : 'esbuild',
  },
  // Cross-origin isolation (docs/viewer.md, "Serving the build"): the analysis worker may then share
  // memory with a pool of Web Workers and use every core. `credentialless` still loads basemap tiles
  // from servers that send no Cross-Origin-Resource-Policy header.
  server: {
    port: 5173,
    strictPort: false,
    headers: ISOLATION_HEADERS,
  },
  preview: {
    headers: ISOLATION_HEADERS,
  },
});
