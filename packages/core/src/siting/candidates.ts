import pointOnFeature from '@turf/point-on-feature';
import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { Targets } from '../distance/types.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { forEachLatticePoint } from '../geodesy/lattice.js';
import { communityIndex } from '../rules/district.js';
import { PolygonIndex } from '../spatial/polygon-index.js';
import type { CommunityRecord } from '../validate/features.js';
import { featureCollectionOf, positionProblem } from '../validate/features.js';
import { isRecord, OptionError, type Rejection, type Warning } from '../validate/problems.js';

/** Where a candidate site came from. */
export type CandidateOrigin = 'file' | 'grid' | 'centroid';

/** Candidate sites as flat arrays, joined back to their features by index. */
export interface CandidateSet {
  /** Interleaved `[lon0, lat0, …]`. */
  readonly coords: Float64Array;
  readonly ids: readonly string[];
  readonly origin: readonly CandidateOrigin[];
  /** Opening cost per candidate; NaN when not given. */
  readonly cost: Float64Array;
  /** Capacity per candidate (places, beds); NaN when not given. */
  readonly capacity: Float64Array;
  /** District per candidate, or null. */
  readonly district: readonly (string | null)[];
  /** Properties of file candidates (empty objects for generated ones). */
  readonly properties: readonly Readonly<Record<string, unknown>>[];
}

/** Options of {@link readCandidates}. */
export interface ReadCandidatesOptions {
  /** Name of the input in messages. Default `candidates`. */
  file?: string;
  /** Property holding the opening cost. Default `cost`. */
  costField?: string;
  /** Property holding the capacity. Default `capacity`. */
  capacityField?: string;
  /** Property holding the district. Default `district`. */
  districtField?: string;
}

/** Candidates read from a file, and the features that could not be used. */
export interface CandidateRead {
  readonly candidates: CandidateSet;
  readonly rejected: Rejection[];
  readonly warnings: Warning[];
}

class CandidateWriter {
  private readonly lonLat: number[] = [];
  readonly ids: string[] = [];
  readonly origin: CandidateOrigin[] = [];
  private readonly costs: number[] = [];
  private readonly capacities: number[] = [];
  readonly district: (string | null)[] = [];
  readonly properties: Readonly<Record<string, unknown>>[] = [];

  get length(): number {
    return this.ids.length;
  }

  add(
    lon: number,
    lat: number,
    id: string,
    origin: CandidateOrigin,
    extra: {
      cost?: number;
      capacity?: number;
      district?: string | null;
      properties?: Record<string, unknown>;
    } = {},
  ): void {
    this.lonLat.push(lon, lat);
    this.ids.push(id);
    this.origin.push(origin);
    this.costs.push(extra.cost ?? Number.NaN);
    this.capacities.push(extra.capacity ?? Number.NaN);
    this.district.push(extra.district ?? null);
    this.properties.push(extra.properties ?? {});
  }

  finish(): CandidateSet {
    return {
      coords: Float64Array.from(this.lonLat),
      ids: this.ids,
      origin: this.origin,
      cost: Float64Array.from(this.costs),
      capacity: Float64Array.from(this.capacities),
      district: this.district,
      properties: this.properties,
    };
  }
}

// Plain decimal text only: Number() would also take '0x10', ' ' and '1e3 '.
const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// Beyond this a cost or capacity cannot be real, and sums of them would lose exactness or overflow.
const LARGEST_AMOUNT = 1e12;

/** A number ≥ 0 from a number or plain decimal text; NaN when absent, a string of what is wrong otherwise. */
function amountOf(value: unknown): number | string {
  if (value === undefined || value === null || value === '') return Number.NaN;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && DECIMAL_TEXT.test(value.trim())
        ? Number(value.trim())
        : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n > LARGEST_AMOUNT) {
    return `expected a plain decimal number from 0 to ${LARGEST_AMOUNT.toExponential()}, got ${JSON.stringify(value)}`;
  }
  return n;
}

/**
 * Reads candidate sites from a GeoJSON FeatureCollection (vacant parcels, land offers): a Point is
 * the site itself; a Polygon or MultiPolygon becomes a point on its surface (its centroid when that
 * lies inside). Optional properties: `id`, `cost`, `capacity`, `district` (names configurable).
 * Unusable features go to `rejected` with the reason; duplicate ids get a suffix and a warning.
 *
 * @example
 * const { candidates, rejected } = readCandidates(parcels, { file: 'parcels.geojson' });
 */
export function readCandidates(value: unknown, options: ReadCandidatesOptions = {}): CandidateRead {
  const file = options.file ?? 'candidates';
  const costField = options.costField ?? 'cost';
  const capacityField = options.capacityField ?? 'capacity';
  const districtField = options.districtField ?? 'district';
  const { features, warnings } = featureCollectionOf(value, file);
  const rejected: Rejection[] = [];
  const writer = new CandidateWriter();
  const seen = new Map<string, number>();
  const duplicates: string[] = [];
  features.forEach((feature, index) => {
    const properties = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
    const rawId = properties.id ?? (isRecord(feature) ? feature.id : undefined);
    let id =
      typeof rawId === 'string' && rawId.trim() !== ''
        ? rawId.trim()
        : typeof rawId === 'number'
          ? String(rawId)
          : `candidate-${index}`;
    const reject = (field: string, reason: string) =>
      rejected.push({
        file,
        index,
        id: typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : null,
        field,
        reason,
      });
    if (!isRecord(feature) || feature.type !== 'Feature') {
      reject('feature', 'not a GeoJSON Feature');
      return;
    }
    const geometry = feature.geometry;
    if (!isRecord(geometry)) {
      reject('geometry', 'missing or null geometry');
      return;
    }
    let position: Position;
    if (geometry.type === 'Point') {
      const problem = positionProblem(geometry.coordinates);
      if (problem) {
        reject('geometry', problem);
        return;
      }
      position = geometry.coordinates as Position;
    } else if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') {
      const rings = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as unknown;
      const problem = polygonsProblem(rings);
      if (problem) {
        reject('geometry', problem);
        return;
      }
      position = pointOnFeature(geometry as unknown as Polygon | MultiPolygon).geometry.coordinates;
    } else {
      reject(
        'geometry',
        `geometry type ${JSON.stringify(geometry.type)} is not supported; expected Point, Polygon or MultiPolygon`,
      );
      return;
    }
    const cost = amountOf(properties[costField]);
    if (typeof cost === 'string') {
      reject(costField, cost);
      return;
    }
    const capacity = amountOf(properties[capacityField]);
    if (typeof capacity === 'string') {
      reject(capacityField, capacity);
      return;
    }
    const count = seen.get(id) ?? 0;
    seen.set(id, count + 1);
    if (count > 0) {
      duplicates.push(id);
      id = `${id}#${count + 1}`;
    }
    const district = properties[districtField];
    writer.add(position[0]!, position[1]!, id, 'file', {
      cost,
      capacity,
      district: typeof district === 'string' && district.trim() !== '' ? district.trim() : null,
      properties: { ...properties },
    });
  });
  if (duplicates.length > 0) {
    warnings.push({
      code: 'duplicate-location',
      file,
      field: 'id',
      message: `${duplicates.length} candidates repeat an id and were renamed with a #n suffix: ${duplicates.slice(0, 5).join(', ')}`,
    });
  }
  return { candidates: writer.finish(), rejected, warnings };
}

function polygonsProblem(polygons: unknown): string | null {
  if (!Array.isArray(polygons) || polygons.length === 0) return 'polygon has no rings';
  for (const rings of polygons) {
    if (!Array.isArray(rings) || rings.length === 0) return 'polygon has no rings';
    for (const ring of rings) {
      if (!Array.isArray(ring) || ring.length < 4)
        return 'a ring needs at least 4 positions, the last equal to the first';
      for (const position of ring) {
        const problem = positionProblem(position);
        if (problem) return problem;
      }
    }
  }
  return null;
}

/** An area given as a polygon geometry or a Feature holding one. */
export type AreaInput = Polygon | MultiPolygon | Feature<Polygon | MultiPolygon>;

/** Options of {@link generateCandidates}. */
export interface GenerateCandidatesOptions {
  /** The validated communities (from `validateCommunities`). */
  communities: readonly CommunityRecord[];
  /** Spacing of the grid in metres; 0 or absent: no grid. */
  spacingM?: number;
  /**
   * Where grid points may lie: `'communities'` (default) inside a community polygon, or inside
   * this study area.
   */
  clip?: 'communities' | AreaInput;
  /**
   * Only grid over the areas with gaps: per community, true (or 1) where it has a gap. The grid
   * covers each gap community's bounding box widened by `marginM`.
   */
  gaps?: ArrayLike<boolean | number>;
  /** How far beyond a gap community the grid reaches, in metres. Default: `spacingM`. */
  marginM?: number;
  /** Add a point on each community's surface (its centroid when inside). Default false. */
  centroids?: boolean;
  /** Most grid points; a larger grid throws so that a typo in the spacing cannot hang the run. Default 500,000. */
  maxPoints?: number;
}

function geometryOf(area: AreaInput): Polygon | MultiPolygon {
  return area.type === 'Feature' ? area.geometry : area;
}

function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function bboxOf(
  geometry: Polygon | MultiPolygon | { type: 'Point'; coordinates: Position },
): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  const visit = (p: Position) => {
    minX = Math.min(minX, p[0]!);
    maxX = Math.max(maxX, p[0]!);
    minY = Math.min(minY, p[1]!);
    maxY = Math.max(maxY, p[1]!);
  };
  if (geometry.type === 'Point') visit(geometry.coordinates);
  else for (const polygon of polygonsOf(geometry)) for (const p of polygon[0]!) visit(p);
  return [minX, minY, maxX, maxY];
}

/**
 * Candidate sites generated from the communities: a regular grid at `spacingM` (cell centres of a
 * lattice anchored at whole multiples of the spacing, so ids are stable between runs), clipped to
 * the community polygons or a study area and optionally only over the communities with gaps; and
 * community centroids (a point on each community's surface). Grid points take the district of the
 * community they fall in; ids are `grid:<col>:<row>` and `centroid:<community id>`.
 *
 * @example
 * const grid = generateCandidates({ communities: records, spacingM: 200, gaps, centroids: true });
 */
export function generateCandidates(options: GenerateCandidatesOptions): CandidateSet {
  const { communities } = options;
  const spacing = options.spacingM ?? 0;
  if (!(spacing >= 0) || !Number.isFinite(spacing))
    throw new OptionError('spacingM', `must be a number of metres ≥ 0, got ${spacing}.`);
  if (options.gaps && options.gaps.length !== communities.length) {
    throw new Error(
      `gaps has ${options.gaps.length} entries but there are ${communities.length} communities.`,
    );
  }
  const writer = new CandidateWriter();
  const communityPolygons = communityIndex(communities);
  const containing = (lon: number, lat: number): CommunityRecord | null => {
    const c = communityPolygons.first(lon, lat);
    return c < 0 ? null : communities[c]!;
  };

  if (spacing > 0) {
    const clip = options.clip ?? 'communities';
    const area = clip === 'communities' ? null : geometryOf(clip);
    const clipArea = area ? new PolygonIndex([area]) : null;
    // Extent: the gap communities (widened by the margin), or the clip area / all communities.
    const boxes: [number, number, number, number][] = [];
    const gaps = options.gaps;
    if (gaps) {
      const margin = options.marginM ?? spacing;
      communities.forEach((c, k) => {
        if (!gaps[k]) return;
        const [a, b, cc, d] = bboxOf(c.geometry);
        const dLat = margin / METRES_PER_DEGREE;
        const dLon = margin / metresPerDegreeLon(Math.max(Math.abs(b), Math.abs(d)));
        boxes.push([a - dLon, b - dLat, cc + dLon, d + dLat]);
      });
    } else if (area) boxes.push(bboxOf(area));
    else for (const c of communities) if (c.geometry.type !== 'Point') boxes.push(bboxOf(c.geometry));
    if (boxes.length > 0) {
      let minLon = Number.POSITIVE_INFINITY;
      let minLat = Number.POSITIVE_INFINITY;
      let maxLon = Number.NEGATIVE_INFINITY;
      let maxLat = Number.NEGATIVE_INFINITY;
      for (const [a, b, c, d] of boxes) {
        minLon = Math.min(minLon, a);
        minLat = Math.min(minLat, b);
        maxLon = Math.max(maxLon, c);
        maxLat = Math.max(maxLat, d);
      }
      const boxIndex = new Flatbush(boxes.length);
      for (const [a, b, c, d] of boxes) boxIndex.add(a, b, c, d);
      boxIndex.finish();
      const midLat = (minLat + maxLat) / 2;
      const dLat = spacing / METRES_PER_DEGREE;
      const dLon = spacing / metresPerDegreeLon(midLat);
      const cols = Math.floor(maxLon / dLon) - Math.floor(minLon / dLon) + 1;
      const rows = Math.floor(maxLat / dLat) - Math.floor(minLat / dLat) + 1;
      const maxPoints = options.maxPoints ?? 500_000;
      if (cols * rows > 4 * maxPoints) {
        throw new Error(
          `A ${spacing} m grid over this extent has about ${cols * rows} points, more than maxPoints (${maxPoints}); use a larger spacing.`,
        );
      }
      forEachLatticePoint({ minLon, minLat, maxLon, maxLat }, dLon, dLat, (lon, lat, x, y) => {
        if (boxes.length > 1 && boxIndex.search(lon, lat, lon, lat).length === 0) return;
        const community = containing(lon, lat);
        if (area ? !clipArea!.has(lon, lat) : community === null) return;
        writer.add(lon, lat, `grid:${x}:${y}`, 'grid', { district: community?.district ?? null });
        if (writer.length > maxPoints) {
          throw new Error(
            `The ${spacing} m grid has more than maxPoints (${maxPoints}) points; use a larger spacing.`,
          );
        }
      });
    }
  }

  if (options.centroids) {
    communities.forEach((c, k) => {
      if (options.gaps && !options.gaps[k]) return;
      const [lon, lat] =
        c.geometry.type === 'Point'
          ? c.geometry.coordinates
          : pointOnFeature(c.geometry).geometry.coordinates;
      writer.add(lon!, lat!, `centroid:${c.id}`, 'centroid', { district: c.district });
    });
  }
  return writer.finish();
}

/**
 * Indices of the candidates inside any of the areas (excluded zones: water, protected land).
 *
 * @example
 * const excluded = candidatesInAreas(candidates.coords, waterPolygons); // pass as `excluded` (offset past existing)
 */
export function candidatesInAreas(coords: Float64Array, areas: readonly AreaInput[]): Uint32Array {
  if (areas.length === 0) return new Uint32Array(0);
  const index = new PolygonIndex(areas.map(geometryOf));
  const inside: number[] = [];
  for (let j = 0; j < coords.length >> 1; j++) {
    if (index.has(coords[2 * j]!, coords[2 * j + 1]!)) inside.push(j);
  }
  return Uint32Array.from(inside);
}

/**
 * One target set for a siting model: the existing facilities first (indices 0 … m−1, returned as
 * `fixed`), then the candidates (index m + c for candidate c).
 *
 * @example
 * const { targets, fixed } = combineTargets(existing, candidates);
 * MaximalCovering.fromSource(source, demand, targets, { k: 10, radius: 300, fixed });
 */
export function combineTargets(
  existing: Targets,
  candidates: Targets,
): { targets: Targets & { ids: readonly string[] }; fixed: Uint32Array; candidateOffset: number } {
  const m = existing.coords.length >> 1;
  const c = candidates.coords.length >> 1;
  const coords = new Float64Array(2 * (m + c));
  coords.set(existing.coords);
  coords.set(candidates.coords, 2 * m);
  const ids = [
    ...(existing.ids ?? Array.from({ length: m }, (_, k) => `existing-${k}`)),
    ...(candidates.ids ?? Array.from({ length: c }, (_, k) => `candidate-${k}`)),
  ];
  return {
    targets: { coords, ids },
    fixed: Uint32Array.from({ length: m }, (_, k) => k),
    candidateOffset: m,
  };
}
