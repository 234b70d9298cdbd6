// Geometry helpers of the page: bounding boxes to fly to, and where county names go.
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { Locale } from '../ui/i18n.js';

export function meanLat(bbox: Float64Array): number {
  let sum = 0;
  const n = bbox.length / 4;
  for (let i = 0; i < n; i++) sum += (bbox[i * 4 + 1]! + bbox[i * 4 + 3]!) / 2;
  return n > 0 ? sum / n : 0;
}

export function unionBBox(
  bbox: Float64Array,
  members: readonly number[],
): [[number, number], [number, number]] {
  let w = 180;
  let s = 90;
  let e = -180;
  let n = -90;
  for (const c of members) {
    w = Math.min(w, bbox[c * 4]!);
    s = Math.min(s, bbox[c * 4 + 1]!);
    e = Math.max(e, bbox[c * 4 + 2]!);
    n = Math.max(n, bbox[c * 4 + 3]!);
  }
  if (w > e)
    return [
      [-180, -85],
      [180, 85],
    ];
  return [
    [w, s],
    [e, n],
  ];
}

/** County labels at the area-weighted centre of each outline's largest ring. */
export function countyLabels(
  districts: FeatureCollection,
  locale: Locale,
): { lon: number; lat: number; text: string; kind: 'county' }[] {
  const out: { lon: number; lat: number; text: string; kind: 'county' }[] = [];
  for (const f of districts.features) {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    const rings =
      (g as Polygon | MultiPolygon).type === 'Polygon'
        ? [(g as Polygon).coordinates[0]!]
        : (g as MultiPolygon).coordinates.map((p) => p[0]!);
    let best: { lon: number; lat: number; area: number } | null = null;
    for (const ring of rings) {
      const c = ringCentroid(ring);
      if (c && (!best || c.area > best.area)) best = c;
    }
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const name = locale === 'en' && typeof p.name_en === 'string' ? p.name_en : p.name;
    if (best && (typeof name === 'string' || typeof name === 'number'))
      out.push({ lon: best.lon, lat: best.lat, text: String(name), kind: 'county' });
  }
  return out;
}

function ringCentroid(ring: readonly Position[]): { lon: number; lat: number; area: number } | null {
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j]!;
    const [x1, y1] = ring[i]!;
    const cross = x0! * y1! - x1! * y0!;
    a += cross;
    x += (x0! + x1!) * cross;
    y += (y0! + y1!) * cross;
  }
  if (a === 0) return null;
  return { lon: x / (3 * a), lat: y / (3 * a), area: Math.abs(a / 2) };
}
