// Runs a benchmark as the library ships: the TypeScript sources bundled into plain JavaScript
// (esbuild, no name-keeping helpers) and run by node, with dependencies loaded from node_modules as
// published. Under tsx the engine's hot loops ran 15–25 % slower than this on the same data
// (docs/benchmarks.md), which would measure the loader, not the library.
//
//   node bench/run.mjs coverage [options of bench/coverage.ts]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const benchDir = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const entry = join(benchDir, `${name}.ts`);
if (name === undefined || !existsSync(entry)) {
  console.error(
    `usage: node bench/run.mjs <coverage|network|siting|siting-quality|osm> [options]; no bench/${name}.ts`,
  );
  process.exit(2);
}
// Inside the repository, so that node resolves the external packages from its node_modules.
const outfile = join(benchDir, '.build', `${name}.mjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Packages the repository root resolves stay external; a package only a workspace package depends
  // on (core's fastest-levenshtein) is bundled, as node could not find it from bench/.build.
  plugins: [externalWhereResolvable(join(benchDir, '..'))],
  sourcemap: 'linked',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', outfile, ...args], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);

function externalWhereResolvable(root) {
  const require = createRequire(join(root, 'package.json'));
  return {
    name: 'external-where-resolvable',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { external: true };
        try {
          require.resolve(args.path);
          return { external: true };
        } catch (error) {
          // Resolvable, but not by require (an ESM-only package): still external.
          if (error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return { external: true };
          return undefined;
        }
      });
    },
  };
}
