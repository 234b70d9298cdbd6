import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** West, south, east, north of a polygon's outer rings (holes lie inside them). */
export function polygonBBox(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  const rings: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of rings) {
    for (const p of polygon[0] ?? []) {
      minX = Math.min(minX, p[0]!);
      maxX = Math.max(maxX, p[0]!);
      minY = Math.min(minY, p[1]!);
      maxY = Math.max(maxY, p[1]!);
    }
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Which of a list of polygons contain a point: a flatbush index of their boxes, then an exact
 * point-in-polygon test (turf; points on an edge count as inside) on the few whose box holds the
 * point. The one point-in-polygon lookup of the engine: demand points to communities, facilities
 * and candidates to their community, candidates in excluded areas.
 *
 * Entries that are not polygons (`null`) are kept in the numbering but never contain anything, so
 * indices are those of the caller's list.
 */
export class PolygonIndex {
  private readonly geometries: readonly (Polygon | MultiPolygon | null)[];
  /** Box index over the polygons only; `slot[k]` is the caller's index of box k. */
  private readonly index: Flatbush | null;
  private readonly slot: Uint32Array;

  constructor(geometries: readonly (Polygon | MultiPolygon | null)[]) {
    this.geometries = geometries;
    const slots: number[] = [];
    geometries.forEach((g, i) => {
      if (g !== null) slots.push(i);
    });
    this.slot = Uint32Array.from(slots);
    if (slots.length === 0) {
      this.index = null;
      return;
    }
    const index = new Flatbush(slots.length);
    for (const i of slots) {
      const [w, s, e, n] = polygonBBox(geometries[i]!);
      index.add(w, s, e, n);
    }
    index.finish();
    this.index = index;
  }

  /** Indices of every polygon containing the point, ascending. */
  containing(lon: number, lat: number): number[] {
    if (!this.index) return [];
    const hits: number[] = [];
    for (const k of this.index.search(lon, lat, lon, lat)) {
      const i = this.slot[k]!;
      if (booleanPointInPolygon([lon, lat], this.geometries[i]!)) hits.push(i);
    }
    return hits.sort((a, b) => a - b);
  }

  /**
   * The first polygon (in the caller's order) containing the point, or -1. Overlapping polygons: the
   * first one in input order wins, everywhere the engine asks.
   */
  first(lon: number, lat: number): number {
    if (!this.index) return -1;
    let best = -1;
    for (const k of this.index.search(lon, lat, lon, lat)) {
      const i = this.slot[k]!;
      if ((best < 0 || i < best) && booleanPointInPolygon([lon, lat], this.geometries[i]!)) best = i;
    }
    return best;
  }

  /** Whether any polygon contains the point. */
  has(lon: number, lat: number): boolean {
    if (!this.index) return false;
    for (const k of this.index.search(lon, lat, lon, lat)) {
      if (booleanPointInPolygon([lon, lat], this.geometries[this.slot[k]!]!)) return true;
    }
    return false;
  }
}
