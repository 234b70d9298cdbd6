// The bundled synthetic Pingliang city (fixtures/pingliang): the GeoJSON files are emitted as assets
// by the build and fetched from the viewer's own origin, so the first view needs no network.
import communitiesUrl from '../../../fixtures/pingliang/communities.geojson?url';
import districtsUrl from '../../../fixtures/pingliang/districts.geojson?url';
import facilitiesUrl from '../../../fixtures/pingliang/facilities.geojson?url';
import railwayUrl from '../../../fixtures/pingliang/railway.geojson?url';
import roadsUrl from '../../../fixtures/pingliang/roads.geojson?url';
import waterUrl from '../../../fixtures/pingliang/water.geojson?url';

export const BUNDLED_FILES = {
  communities: { name: 'communities.geojson', url: communitiesUrl },
  facilities: { name: 'facilities.geojson', url: facilitiesUrl },
  districts: { name: 'districts.geojson', url: districtsUrl },
  roads: { name: 'roads.geojson', url: roadsUrl },
  water: { name: 'water.geojson', url: waterUrl },
  railway: { name: 'railway.geojson', url: railwayUrl },
} as const;

export async function fetchBundled(key: keyof typeof BUNDLED_FILES): Promise<ArrayBuffer> {
  const response = await fetch(BUNDLED_FILES[key].url);
  if (!response.ok) throw new Error(`${BUNDLED_FILES[key].name}: HTTP ${response.status}`);
  return response.arrayBuffer();
}
