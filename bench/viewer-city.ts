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
import { parseArgs } from 'node:util';
import { syntheticCity } from '../apps/viewer/test/synthetic.js';

const { values } = parseArgs({
  options: {
    communities: { type: 'string', default: '20000' },
    facilities: { type: 'string', default: '200000' },
    out: { type: 'string', default: join('bench', '.build', 'viewer-city') },
  },
});
const communities = Number(values.communities);
const facilities = Number(values.facilities);
if (!Number.isInteger(communities) || communities < 1 || !Number.isInteger(facilities) || facilities < 1) {
  console.error('--communities and --facilities take whole numbers of at least 1.');
  process.exit(2);
}
const city = syntheticCity(communities, facilities);
mkdirSync(values.out, { recursive: true });
for (const [name, collection] of Object.entries(city)) {
  const path = join(values.out, `${name}.geojson`);
  writeFileSync(path, JSON.stringify(collection));
  console.log(`${path}: ${collection.features.length.toLocaleString('en')} features`);
}
