import type { MultiPolygon, Polygon } from 'geojson';
import { GreatCircleSource } from '../distance/great-circle.js';
import type { Origins } from '../distance/types.js';
import { toUnitVectors } from '../geodesy/index.js';
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
    const nearest = nearestDemandPoints(points, demand.coords);
    outside.forEach((i, k) => {
      const point = nearest[k]!;
      out[i] = point < 0 ? NO_DISTRICT : (communities[demand.owner[point]!]!.district ?? NO_DISTRICT);
    });
  }
  return out as string[];
}

/**
 * Demand points searched as targets this many at a time: a search's index over its targets costs
 * about 70 bytes a target, which over a province's 20 million demand points was the run's peak
 * (issue #16); a slice of a million costs 70 MB whatever the province.
 */
export const NEAREST_SLICE_POINTS: number = 1 << 20;

/**
 * The index of the demand point nearest each of `points` in a straight line (-1 without demand
 * points), as one great-circle nearest search over all of `demandCoords` gives it (ties to the
 * smaller index), searched over slices of at most `slice` demand points: each slice's nearest is
 * compared with the best so far by the same squared chord the search compares, so the answer
 * does not depend on the slicing.
 */
export function nearestDemandPoints(
  points: Float64Array,
  demandCoords: Float64Array,
  slice: number = NEAREST_SLICE_POINTS,
): Int32Array {
  const n = points.length >> 1;
  const total = demandCoords.length >> 1;
  const best = new Int32Array(n).fill(-1);
  const best2 = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  if (n === 0) return best;
  // The points as origins and a slice of the demand points as targets: one nearest search a slice.
  const source = new GreatCircleSource({ coords: points, owner: new Uint32Array(n), ownerCount: 1 });
  const pointXyz = toUnitVectors(points);
  const targetXyz = new Float64Array(3);
  for (let from = 0; from < total; from += slice) {
    const to = Math.min(total, from + slice);
    const found = source.reach({ coords: demandCoords.subarray(2 * from, 2 * to) }, 0).nearestIndex;
    for (let k = 0; k < n; k++) {
      if (found[k]! < 0) continue;
      const t = from + found[k]!;
      // The search's own arithmetic (its unit vectors, its order of terms), so a tie is a tie.
      toUnitVectors(demandCoords.subarray(2 * t, 2 * t + 2), targetXyz);
      const dx = targetXyz[0]! - pointXyz[3 * k]!;
      const dy = targetXyz[1]! - pointXyz[3 * k + 1]!;
      const dz = targetXyz[2]! - pointXyz[3 * k + 2]!;
      const d2 = dx * dx + dy * dy + dz * dz;
      // Slices ascend, so on a tie the earlier slice's point is the smaller index and stays.
      if (d2 < best2[k]!) {
        best2[k] = d2;
        best[k] = t;
      }
    }
  }
  return best;
}
