import type { Crs } from '../crs/definitions.js';

/**
 * A property value as text in a table cell, as the CSV outputs write it: arrays as `a;b`, objects as
 * JSON, null for null, undefined and numbers that are not finite.
 */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(';');
  }
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
