// Display datum: with a GCJ-02 basemap (AMap) every position the viewer draws is shifted to GCJ-02
// so that it sits on the tiles, and every position read back from the map (a click, a dragged
// proposal) is shifted back to WGS84 before it reaches the analysis. Nothing else changes.
import { gcj02ToWgs84, wgs84ToGcj02 } from '@lifecircle/io';
import type { FeatureCollection, Geometry, Position } from 'geojson';
import type { DisplayDatum } from './catalog.js';

export type LngLatPair = [number, number];

/** WGS84 → the display datum. */
export function toDisplay(datum: DisplayDatum, lon: number, lat: number): LngLatPair {
  return datum === 'gcj02' ? wgs84ToGcj02(lon, lat) : [lon, lat];
}

/** The display datum → WGS84. */
export function fromDisplay(datum: DisplayDatum, lon: number, lat: number): LngLatPair {
  return datum === 'gcj02' ? gcj02ToWgs84(lon, lat) : [lon, lat];
}

function shiftPosition(p: Position, datum: DisplayDatum): Position {
  const [x, y] = toDisplay(datum, p[0]!, p[1]!);
  return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
}

function shiftGeometry(g: Geometry, datum: DisplayDatum): Geometry {
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: shiftPosition(g.coordinates, datum) };
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: g.coordinates.map((p) => shiftPosition(p, datum)) } as Geometry;
    case 'MultiLineString':
    case 'Polygon':
      return {
        type: g.type,
        coordinates: g.coordinates.map((ring) => ring.map((p) => shiftPosition(p, datum))),
      } as Geometry;
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: g.coordinates.map((poly) =>
          poly.map((ring) => ring.map((p) => shiftPosition(p, datum))),
        ),
      };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((x) => shiftGeometry(x, datum)) };
  }
}

/**
 * The collection with every position in the display datum (a new collection; ids and properties
 * are kept, the input is not changed). WGS84 returns the same object.
 */
export function collectionToDisplay(fc: FeatureCollection, datum: DisplayDatum): FeatureCollection {
  if (datum === 'wgs84') return fc;
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f) => (f.geometry ? { ...f, geometry: shiftGeometry(f.geometry, datum) } : f)),
  };
}
