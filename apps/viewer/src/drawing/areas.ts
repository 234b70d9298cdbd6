// Excluded areas drawn on the map: each an outer ring of [lon, lat] corners (WGS84, not closed), kept
// in the siting constraints (so a scenario and a shared link carry them) and handed to core's
// `siteFacilities` as polygons, beside a loaded excluded-areas file when there is one. Pure functions:
// the worker and the page both use them, and a test can check them without a map.
import type { Feature, FeatureCollection, Polygon } from 'geojson';

/** One drawn area's corners, in order, the first not repeated at the end. */
export type Ring = readonly (readonly [number, number])[];

/** The least corners of an area. */
export const LEAST_CORNERS = 3;

/** The name the drawn areas go by in siting's provenance and messages (as a file's name would). */
export const DRAWN_AREAS_NAME = 'excluded areas drawn on the map';

/** A drawn ring as a GeoJSON polygon (closed, as GeoJSON wants it). */
export function ringPolygon(ring: Ring, properties: Record<string, unknown> = {}): Feature<Polygon> {
  const corners = ring.map(([lon, lat]) => [lon, lat]);
  return {
    type: 'Feature',
    properties,
    geometry: { type: 'Polygon', coordinates: [[...corners, corners[0]!]] },
  };
}

/** Drawn rings as a FeatureCollection of polygons, each numbered (`area`: 1, 2, …). */
export function drawnCollection(rings: readonly Ring[]): FeatureCollection<Polygon> {
  return { type: 'FeatureCollection', features: rings.map((r, i) => ringPolygon(r, { area: i + 1 })) };
}

/**
 * The excluded areas of a siting run: a loaded file's polygons (its parsed value) and the drawn ones
 * together, under a name that says where they came from; null when there are neither.
 */
export function excludedAreasOf(
  loaded: { readonly name: string; readonly value: unknown } | undefined,
  drawn: readonly Ring[],
): { readonly name: string; readonly value: unknown } | null {
  const usable = drawn.filter((r) => r.length >= LEAST_CORNERS);
  if (usable.length === 0) return loaded ?? null;
  const drawnAreas = drawnCollection(usable);
  if (!loaded) return { name: DRAWN_AREAS_NAME, value: drawnAreas };
  const file = loaded.value as Partial<FeatureCollection>;
  // A loaded file that is not a FeatureCollection goes to core as it is, to be refused with its name.
  if (!Array.isArray(file.features)) return loaded;
  return {
    name: `${loaded.name} + ${DRAWN_AREAS_NAME}`,
    value: { type: 'FeatureCollection', features: [...file.features, ...drawnAreas.features] },
  };
}
