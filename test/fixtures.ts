// Where the fixture towns lie and the CLI flags that name their files, for every test that runs the
// command on them: the CLI's own tests (through packages/cli/test/harness.ts), the viewer's tests that
// compare its figures with the CLI's, and the docs tests that generate README tables. One home, so a
// fixture folder or file name changes in one place. Node APIs only for paths: no fs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A path below the repository's `fixtures/` folder: `fixture('pingliang', 'roads.geojson')`. */
export const fixture = (...parts: string[]): string => join(ROOT, 'fixtures', ...parts);

/**
 * The `--communities` and `--facilities` flags of a fixture town's files: `townInputs('barrier')`;
 * with `{ network: true }` also `--network` and its `roads.geojson`.
 */
export const townInputs = (town: string, { network = false } = {}): string[] => [
  '--communities',
  fixture(town, 'communities.geojson'),
  '--facilities',
  fixture(town, 'facilities.geojson'),
  ...(network ? ['--network', fixture(town, 'roads.geojson')] : []),
];
