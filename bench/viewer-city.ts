/**
 * Writes the viewer's big synthetic city as GeoJSON files to drop on the viewer: square community
 * blocks with populations and facilities of seven types clustered around a few centres each, from
 * a seeded PRNG (apps/viewer/test/synthetic.ts, the city the browser tests measure), so every run
 * and every machine gets the same files.
 *
 *   node bench/run.mjs viewer-city                      # 20,000 communities, 200,000 facilities
 *   node bench/run.mjs viewer-city --communities 2000 --facilities 20000 --out /tmp/city
 *
 * The files go to `bench/.build/viewer-city/` unless `--out` says otherwise. The browser benchmark
 * that opens them in Chromium is apps/viewer/test/big-city.test.ts (see docs/benchmarks.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticCity } from '../apps/viewer/test/synthetic.js';
import { benchArgs } from './lib.js';

const args = benchArgs();
const communities = args.number('communities', 20_000);
const facilities = args.number('facilities', 200_000);
const out = args.text('out') ?? join('bench', '.build', 'viewer-city');
if (!Number.isInteger(communities) || communities < 1 || !Number.isInteger(facilities) || facilities < 1) {
  console.error('--communities and --facilities take whole numbers of at least 1.');
  process.exit(2);
}
const city = syntheticCity(communities, facilities);
mkdirSync(out, { recursive: true });
for (const [name, collection] of Object.entries(city)) {
  const path = join(out, `${name}.geojson`);
  writeFileSync(path, JSON.stringify(collection));
  console.log(`${path}: ${collection.features.length.toLocaleString('en')} features`);
}
