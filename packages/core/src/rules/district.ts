import type { MultiPolygon, Polygon } from 'geojson';
import { GreatCircleSource } from '../distance/great-circle.js';
import type { Origins } from '../distance/types.js';
import { PolygonIndex } from '../spatial/polygon-index.js';
import type { CommunityRecord } from '../validate/features.js';

/** The district name of communities (and facilities) that name none. */
export const NO_DISTRICT = '(none)';

/** A point's own district value when it names one: a non-blank text or a number; else null. */
export function ownDistrict(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A {@link PolygonIndex} over the communities' polygons (point communities hold no place in it). */
export function communityIndex(communities: readonly CommunityRecord[]): PolygonIndex {
  return new PolygonIndex(
    communities.map((c) => (c.geometry.type === 'Point' ? null : (c.geometry as Polygon | MultiPolygon))),
  );
}

/**
 * The district rule, one for analysis, compliance and siting. The district of a facility (or a
 * candidate site) is, in order:
 *
 * 1. its own district value (`own[i]`: the feature's `district` property, or a candidate file's
 *    district column) when it names one;
 * 2. else the district of the community polygon that contains it (the first in input order where
 *    polygons overlap), {@link NO_DISTRICT} when that community names none;
 * 3. else (outside every polygon, or all communities are points) the district of the community
 *    whose demand point is nearest in a straight line;
 * 4. {@link NO_DISTRICT} when there is no demand point at all.
 *
 * Containment comes before nearness because a facility just inside a community's edge may lie
 * closer to a neighbouring community's demand point, and a planner reads a district off the map.
 *
 * @param coords Interleaved `[lon0, lat0, lon1, lat1, …]` of the points.
 * @param own Per point its own district value (anything; see {@link ownDistrict}).
 * @param index Optional prebuilt {@link communityIndex} of the same communities.
 */
export function districtsOfPoints(
  coords: Float64Array,
  own: readonly unknown[],
  communities: readonly CommunityRecord[],
  demand: Origins,
  index: PolygonIndex = communityIndex(communities),
): string[] {
  const n = coords.length >> 1;
  const out: (string | null)[] = new Array(n).fill(null);
  const outside: number[] = [];
  for (let i = 0; i < n; i++) {
    const named = ownDistrict(own[i]);
    if (named !== null) {
      out[i] = named;
      continue;
    }
    const c = index.first(coords[2 * i]!, coords[2 * i + 1]!);
    if (c >= 0) out[i] = communities[c]!.district ?? NO_DISTRICT;
    else outside.push(i);
  }
  if (outside.length > 0) {
    const points = new Float64Array(outside.length * 2);
    outside.forEach((i, k) => {
      points[2 * k] = coords[2 * i]!;
      points[2 * k + 1] = coords[2 * i + 1]!;
    });
    // The points as origins and the demand points as targets: one nearest search for all of them.
    const nearest = new GreatCircleSource({
      coords: points,
      owner: new Uint32Array(outside.length),
      ownerCount: 1,
    }).reach({ coords: demand.coords }, 0);
    outside.forEach((i, k) => {
      const point = nearest.nearestIndex[k]!;
      out[i] = point < 0 ? NO_DISTRICT : (communities[demand.owner[point]!]!.district ?? NO_DISTRICT);
    });
  }
  return out as string[];
}
