import type { Crs } from '../crs/definitions.js';

/**
 * A property value as text in a table cell, as the CSV outputs write it: arrays as `a;b`, dates as
 * ISO 8601 UTC text, other objects as JSON, null for null, undefined, invalid dates and numbers that
 * are not finite.
 */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(';');
  }
  // A date as ISO 8601 UTC text (JSON.stringify would wrap it in quotes); an invalid one is no value.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return String(value);
}

/** The parts of a coordinate system that writers name in their warnings. */
export type CrsNamed = Pick<Crs, 'id' | 'name' | 'kind'>;

/**
 * Why a writer has no WKT definition of the output system, and what to do, for a warning: GCJ-02 and
 * BD-09 are offsets of WGS84 that no standard definition describes; other systems (a UTM code, a
 * proj string) are ones lifecircle converts with proj4 but holds no WKT for, which the user can give.
 */
export function noDefinitionNote(crs: CrsNamed | undefined): string {
  if (crs === undefined) {
    return 'no WKT definition of the output coordinate system was given; tell GIS users which system the coordinates are in';
  }
  if (crs.kind === 'web-map') {
    return `${crs.name} is WGS84 shifted by an algorithm, not a projection, so no standard definition of it exists; tell GIS users the coordinates are ${crs.id}`;
  }
  const named = crs.id === crs.name ? crs.id : `${crs.name} (${crs.id})`;
  return `lifecircle has no WKT definition of ${named}, only a proj4 one; give the output system as WKT (the text of its .prj file) to have it written, or tell GIS users the coordinates are in ${crs.id}`;
}

/** Features of one kind of geometry, with their properties; `null` for a feature without geometry. */
export interface FeatureLayer<G = Record<string, unknown>> {
  readonly geometries: (G | null)[];
  readonly rows: Record<string, unknown>[];
}

/**
 * The layers of a collection, one per kind of geometry as `kindOf` maps GeoJSON types (formats hold one
 * kind per table or file). Features without a geometry the format can hold ride, with null geometry,
 * with the largest layer; a collection with no such geometry at all gives one layer of `emptyKind`.
 */
export function layersByKind<K, G = Record<string, unknown>>(
  collection: unknown,
  kindOf: Readonly<Record<string, K>>,
  emptyKind: K,
): Map<K, FeatureLayer<G>> {
  const features = isRecord(collection) && Array.isArray(collection.features) ? collection.features : [];
  const layers = new Map<K, FeatureLayer<G>>();
  const withoutGeometry: Record<string, unknown>[] = [];
  for (const feature of features) {
    const properties = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
    const geometry = isRecord(feature) && isRecord(feature.geometry) ? feature.geometry : null;
    const kind = geometry ? kindOf[geometry.type as string] : undefined;
    if (!geometry || kind === undefined) {
      withoutGeometry.push(properties);
      continue;
    }
    let layer = layers.get(kind);
    if (!layer) {
      layer = { geometries: [], rows: [] };
      layers.set(kind, layer);
    }
    layer.geometries.push(geometry as G);
    layer.rows.push(properties);
  }
  if (layers.size === 0) layers.set(emptyKind, { geometries: [], rows: [] });
  const largest = [...layers.values()].sort((a, b) => b.rows.length - a.rows.length)[0]!;
  for (const row of withoutGeometry) {
    largest.geometries.push(null);
    largest.rows.push(row);
  }
  return layers;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
