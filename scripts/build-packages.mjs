#!/usr/bin/env node
// Builds the packages the `lifecircle` command runs from (core, io, cli: each with its own `build`
// script, in dependency order) into packages/*/dist. `pnpm install` runs it (the root `prepare`
// script), so `pnpm lifecircle` and `pnpm demo` run compiled JavaScript on a fresh clone; run it again
// (`pnpm build:cli`) after editing a package's sources. The builds emit without type checking
// (`tsc --noCheck`): `pnpm typecheck` is where types are checked, and the install stays quick.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** In dependency order: io imports core, cli imports both. */
const packages = ['core', 'io', 'cli'];

const started = performance.now();
for (const name of packages) {
  const dir = join(root, 'packages', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const script = manifest.scripts?.build;
  if (typeof script !== 'string') fail(manifest.name, `packages/${name}/package.json has no "build" script`);
  // As a package manager runs a script: its own and the workspace's node_modules/.bin on the PATH.
  const path = [join(dir, 'node_modules', '.bin'), join(root, 'node_modules', '.bin'), process.env.PATH]
    .filter(Boolean)
    .join(delimiter);
  const run = spawnSync(script, {
    cwd: dir,
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, PATH: path },
  });
  if (run.status !== 0) {
    fail(manifest.name, run.error ? run.error.message : `\`${script}\` exited with code ${run.status}`);
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
process.stdout.write(
  `lifecircle: built ${packages.map((p) => `packages/${p}`).join(', ')} in ${seconds} s\n`,
);

function fail(name, why) {
  process.stderr.write(
    `\nlifecircle: building ${name} failed: ${why}.\n` +
      'The lifecircle command (pnpm lifecircle, pnpm demo) runs the compiled JavaScript in packages/*/dist,\n' +
      'so it cannot run until the build succeeds. Fix the error above, then run: npx -y pnpm@12.4.2 build:cli\n\n',
  );
  process.exit(1);
}
