// Where a dropped OpenStreetMap extract is clipped while io reads it (the CLI's `--bbox` and
// `--study-area`, passed to io's OSM reader as the same `bbox` and `area`): a provincial extract is
// cut to the city as it streams in, so only the part kept costs memory. By default the study area if
// one is loaded, else the communities' extent widened by OSM_CLIP_MARGIN_M. In the files panel the
// user can choose another for a loaded file, and, before dropping one, the clip of the next: a typed
// box, the map's view (zoom the map to the area, as drawing a box), or none.
import type { OsmBBox, Wgs84Box } from '@lifecircle/io';
import type { FeatureCollection, MultiPolygon, Position } from 'geojson';
import type { OsmClip } from './formats.js';

/**
 * How far the communities' extent is widened for the clip, in metres: twice the longest walking
 * radius of the catalog (1,000 m, the 15-minute circle), so that a facility just outside the
 * communities and the streets to it are still read for the communities at the edge.
 */
export const OSM_CLIP_MARGIN_M = 2000;

/** What a clip can be taken from: the study area and the communities' extent, when loaded. */
export interface OsmClipSources {
  /** The study area's polygons (WGS84), or null when none is loaded. */
  readonly studyArea: FeatureCollection | null;
  /** The communities' WGS84 box, or null when none are loaded. */
  readonly communitiesBox: Wgs84Box | null;
}

/** The clip of a dropped OpenStreetMap file: the study area, else the widened communities, else none. */
export function defaultOsmClip(sources: OsmClipSources): OsmClip | null {
  return studyAreaClip(sources.studyArea) ?? communitiesClip(sources.communitiesBox);
}

/** The clip to the study area's polygons joined into one MultiPolygon, or null without polygons. */
export function studyAreaClip(studyArea: FeatureCollection | null): OsmClip | null {
  const polygons: Position[][][] = [];
  for (const feature of studyArea?.features ?? []) {
    const g = feature.geometry;
    if (g?.type === 'Polygon') polygons.push(g.coordinates);
    else if (g?.type === 'MultiPolygon') polygons.push(...g.coordinates);
  }
  if (polygons.length === 0) return null;
  const area: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons };
  return { source: 'study-area', area };
}

/** The clip to the communities' box widened by {@link OSM_CLIP_MARGIN_M} on every side. */
export function communitiesClip(box: Wgs84Box | null): OsmClip | null {
  if (!box || !box.every(Number.isFinite)) return null;
  const [west, south, east, north] = box;
  const dLat = OSM_CLIP_MARGIN_M / 110_540;
  const midLat = ((south + north) / 2) * (Math.PI / 180);
  const dLon = OSM_CLIP_MARGIN_M / (111_320 * Math.max(Math.cos(midLat), 0.01));
  const bbox: OsmBBox = [
    Math.max(-180, west - dLon),
    Math.max(-90, south - dLat),
    Math.min(180, east + dLon),
    Math.min(90, north + dLat),
  ];
  return { source: 'communities', bbox };
}

/**
 * A box the user typed as `west,south,east,north` in WGS84 degrees (as the CLI's `--bbox`), or the
 * reason it is not one.
 */
export function typedBoxClip(text: string): OsmClip | { readonly error: string } {
  const parts = text
    .split(/[,，\s]+/)
    .filter(Boolean)
    .map(Number);
  const [west, south, east, north] = parts as [number, number, number, number];
  const ok =
    parts.length === 4 &&
    parts.every(Number.isFinite) &&
    west >= -180 &&
    east <= 180 &&
    south >= -90 &&
    north <= 90 &&
    west < east &&
    south < north;
  if (!ok) {
    return {
      error: `expected west,south,east,north in WGS84 degrees with west < east and south < north, e.g. 106.6,35.5,106.8,35.6; got '${text}'.`,
    };
  }
  return { source: 'box', bbox: [west, south, east, north] };
}

/**
 * The map's view as a clip (`west,south,east,north` of what the map shows), clamped to the world: the
 * user zooms the map to the area, as drawing a box on it. Null when the view is no area.
 */
export function mapViewClip(view: readonly [number, number, number, number]): OsmClip | null {
  const bbox: OsmBBox = [
    Math.max(-180, view[0]),
    Math.max(-90, view[1]),
    Math.min(180, view[2]),
    Math.min(90, view[3]),
  ];
  if (!bbox.every(Number.isFinite) || bbox[0] >= bbox[2] || bbox[1] >= bbox[3]) return null;
  return { source: 'box', bbox };
}
