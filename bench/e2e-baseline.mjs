// The script a user would otherwise write (issue #16): parse the GeoJSON files, index each facility
// type with flatbush and kdbush, count the facilities within the walking radius of every point
// community (flatbush box query, then an exact haversine filter), find the nearest (geokdbush), sum
// the covered residents and write a GeoJSON and a summary. bench/e2e.ts times it side by side with
// `lifecircle analyze` on the same files and checks that both give the same figures.
//
//   node bench/e2e-baseline.mjs COMMUNITIES.geojson FACILITIES.geojson OUT_DIR type=radius,…
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Flatbush from 'flatbush';
import { around } from 'geokdbush';
import KDBush from 'kdbush';

const [communitiesPath, facilitiesPath, outDir, typesArg] = process.argv.slice(2);
const radii = new Map(typesArg.split(',').map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]));
const GAP_THRESHOLD = 0.5;
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

function haversineM(lon1, lat1, lon2, lat2) {
  const s1 = Math.sin(((lat2 - lat1) * RAD) / 2);
  const s2 = Math.sin(((lon2 - lon1) * RAD) / 2);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}
const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;

const communities = JSON.parse(readFileSync(communitiesPath, 'utf8')).features;
const facilities = JSON.parse(readFileSync(facilitiesPath, 'utf8')).features;

const indexes = new Map();
for (const [type, radius] of radii) {
  const ofType = facilities.filter((f) => f.properties.type === type);
  const box = new Flatbush(ofType.length);
  const kd = new KDBush(ofType.length);
  for (const f of ofType) {
    const [lon, lat] = f.geometry.coordinates;
    box.add(lon, lat, lon, lat);
    kd.add(lon, lat);
  }
  box.finish();
  kd.finish();
  const lons = ofType.map((f) => f.geometry.coordinates[0]);
  const lats = ofType.map((f) => f.geometry.coordinates[1]);
  indexes.set(type, { radius, ofType, box, kd, lons, lats });
}

const totals = new Map(
  [...radii.keys()].map((t) => [t, { covered: 0, gapCommunities: 0, gapPopulation: 0 }]),
);
let population = 0;
const features = communities.map((c) => {
  const [lon, lat] = c.geometry.coordinates;
  const pop = c.properties.population;
  population += pop;
  const properties = { ...c.properties };
  const gaps = [];
  for (const [type, { radius, ofType, box, kd, lons, lats }] of indexes) {
    const dLat = radius / (EARTH_RADIUS_M * RAD);
    const dLon = dLat / Math.cos(lat * RAD);
    let within = 0;
    for (const i of box.search(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
      if (haversineM(lon, lat, lons[i], lats[i]) <= radius) within++;
    }
    const [nearest] = around(kd, lon, lat, 1);
    const nearestM = nearest === undefined ? null : haversineM(lon, lat, lons[nearest], lats[nearest]);
    const covered = within > 0 ? pop : 0;
    const share = pop > 0 ? covered / pop : null;
    const total = totals.get(type);
    total.covered += covered;
    if (share !== null && share < GAP_THRESHOLD) {
      gaps.push(type);
      total.gapCommunities++;
      total.gapPopulation += pop;
    }
    properties[`${type}_nearest_m`] = nearestM === null ? null : round(nearestM, 1);
    properties[`${type}_nearest_id`] = nearest === undefined ? null : ofType[nearest].properties.id;
    properties[`${type}_within_count`] = within;
    properties[`${type}_covered_pop`] = round(covered, 1);
    properties[`${type}_covered_share`] = share === null ? null : round(share, 4);
  }
  properties.gaps = gaps;
  return { type: 'Feature', properties, geometry: c.geometry };
});

mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'communities.geojson'),
  `${JSON.stringify({ type: 'FeatureCollection', features })}\n`,
);
const summary = {
  communities: communities.length,
  population,
  types: Object.fromEntries(
    [...totals].map(([type, t]) => [
      type,
      {
        radius_m: radii.get(type),
        covered_share: round(t.covered / population, 4),
        gap_communities: t.gapCommunities,
        gap_population: t.gapPopulation,
      },
    ]),
  ),
};
writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
