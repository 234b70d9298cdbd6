// A synthetic city for the scale test: `communities` square blocks on a grid and `facilities` points of
// seven types, from a seeded PRNG (mulberry32), so every run measures the same data.
import type { FeatureCollection } from 'geojson';
import { seededRandom } from '../../../packages/core/test/reference.js';

const TYPES = [
  'nursery_childcare',
  'kindergarten',
  'elderly_service_station',
  'community_health_station',
  'community_integrated_service_station',
  'fresh_market',
  'integrated_supermarket',
];

export function syntheticCity(
  communities: number,
  facilities: number,
  seed = 20_000,
): { communities: FeatureCollection; facilities: FeatureCollection } {
  const random = seededRandom(seed);
  const cols = Math.ceil(Math.sqrt(communities * 1.25));
  const lon0 = 106.6;
  const lat0 = 35.5;
  const dLat = 140 / 111_195; // 140 m blocks
  const dLon = dLat / Math.cos((lat0 * Math.PI) / 180);
  const inset = 0.14;
  const c: FeatureCollection = { type: 'FeatureCollection', features: [] };
  for (let i = 0; i < communities; i++) {
    const x = lon0 + (i % cols) * dLon;
    const y = lat0 + Math.floor(i / cols) * dLat;
    const ring = [
      [x + dLon * inset, y + dLat * inset],
      [x + dLon * (1 - inset), y + dLat * inset],
      [x + dLon * (1 - inset), y + dLat * (0.5 + random() * 0.3)],
      [x + dLon * (1 - inset) - dLon * 0.1, y + dLat * (1 - inset)],
      [x + dLon * inset, y + dLat * (1 - inset)],
      [x + dLon * inset, y + dLat * inset],
    ].map(([a, b]) => [Math.round(a! * 1e6) / 1e6, Math.round(b! * 1e6) / 1e6]);
    c.features.push({
      type: 'Feature',
      properties: {
        id: `S-${i + 1}`,
        name: `合成社区 ${i + 1}`,
        district: i < communities / 2 ? '西区' : '东区',
        population: 300 + Math.round(random() * 2700),
      },
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
  }
  const rows = Math.ceil(communities / cols);
  // Facilities gather around a few centres per type (gaussian, σ ≈ 250 m), so coverage varies across
  // the city and from type to type, as it does in a real one.
  const centres = TYPES.map(() =>
    Array.from({ length: 12 }, () => [lon0 + random() * cols * dLon, lat0 + random() * rows * dLat] as const),
  );
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const f: FeatureCollection = { type: 'FeatureCollection', features: [] };
  for (let i = 0; i < facilities; i++) {
    const t = i % TYPES.length;
    const [cx, cy] = centres[t]![Math.floor(random() * 12)]!;
    f.features.push({
      type: 'Feature',
      properties: {
        id: `SF-${i + 1}`,
        type: TYPES[t],
        name: `设施 ${i + 1}`,
        capacity: 20 + Math.round(random() * 100),
      },
      geometry: {
        type: 'Point',
        coordinates: [
          Math.round((cx + (gauss() * 250 * dLon) / 140) * 1e6) / 1e6,
          Math.round((cy + (gauss() * 250 * dLat) / 140) * 1e6) / 1e6,
        ],
      },
    });
  }
  return { communities: c, facilities: f };
}
