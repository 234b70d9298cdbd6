// Packing core's results for the page: typed arrays for the per-community figures (their buffers are
// transferred), plain objects for the small summaries. Nothing is computed here that core did not
// compute; values are only copied into the arrays the page colours the map from.
import { type AnalysisResult, type ComplianceResult, complianceHeadlineNotes } from '@lifecircle/core';
import { type CommunityGeometry, servesAsGiven } from '@lifecircle/core/internal';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import {
  type AnalysisPayload,
  type AreaFigures,
  COMPLETENESS_CODES,
  type CompliancePayload,
  type DistanceInfo,
  ITEM_STATUS_CODES,
  type MapParts,
  type PackedPolygons,
  packStrings,
  STATUS_CODES,
  type TypeInfo,
  type WalkingPayload,
} from './protocol.js';

/**
 * Packs an analysis for the page: typed arrays for the figures, and the map's data (the communities'
 * geometry, the facilities as points) as GeoJSON text, encoded here so that the page only hands the
 * bytes on to MapLibre's worker and never builds, parses or clones a feature of a big city.
 */
export function packAnalysis(
  result: AnalysisResult,
  extra: {
    geometry: boolean;
    inputsVersion: number;
    timeMs: number;
    /** Threads the searches ran on (1 without a pool). */
    threads?: number;
    distance: DistanceInfo;
    summary?: AnalysisResult['summary'];
    walking?: WalkingPayload | null;
  },
): AnalysisPayload {
  const types: TypeInfo[] = result.types.map((t) => ({
    id: t.id,
    name_zh: t.name_zh,
    name_en: t.name_en,
    radius_m: t.radius_m,
    radius_status: t.radius_status,
    required: t.required_in_complete_community,
    capacity_unit: t.capacity_unit,
  }));
  const T = types.length;
  const n = result.communities.length;
  const facilityIndexById = new Map<string, number>();
  result.facilities.forEach((f, i) => {
    facilityIndexById.set(f.id, i);
  });
  const population = new Float64Array(n);
  const share = new Float32Array(n * T);
  const coveredPop = new Float64Array(n * T);
  const nearestM = new Float32Array(n * T);
  const nearestFacility = new Int32Array(n * T);
  const within = new Uint32Array(n * T);
  const gap = new Uint8Array(n * T);
  const bbox = new Float64Array(n * 4);
  result.communities.forEach((c, ci) => {
    population[ci] = c.population;
    types.forEach((t, ti) => {
      const r = c.types[t.id]!;
      const k = ci * T + ti;
      share[k] = r.coveredShare ?? Number.NaN;
      coveredPop[k] = r.coveredPopulation;
      nearestM[k] = r.nearestM ?? Number.POSITIVE_INFINITY;
      nearestFacility[k] = r.nearestId === null ? -1 : (facilityIndexById.get(r.nearestId) ?? -1);
      within[k] = r.withinCount;
      gap[k] = r.gap ? 1 : 0;
    });
    geometryBBox(c.record.geometry, bbox, ci * 4);
  });
  const typeIndexOf = new Map(types.map((t, i) => [t.id, i]));
  const m = result.facilities.length;
  const coords = new Float64Array(m * 2);
  const typeIndex = new Int16Array(m);
  const status = new Uint8Array(m);
  const serving = new Uint8Array(m);
  result.facilities.forEach((f, i) => {
    coords[2 * i] = f.lon;
    coords[2 * i + 1] = f.lat;
    typeIndex[i] = typeIndexOf.get(f.typeId) ?? -1;
    status[i] = Math.max(0, STATUS_CODES.indexOf(f.status));
    serving[i] = servesAsGiven(f.status, result.summary.includePlanned) ? 1 : 0;
  });
  const geometry = extra.geometry
    ? mapParts(
        result.communities.map(
          (c, ci): Feature => ({
            type: 'Feature',
            id: ci,
            properties: { name: c.record.name, district: c.record.district },
            geometry: c.record.geometry,
          }),
        ),
        (ci) => (bbox[ci * 4]! + bbox[ci * 4 + 2]!) / 2,
        MAP_PART_POLYGONS,
      )
    : null;
  return {
    kind: 'analysis',
    summary: extra.summary ?? result.summary,
    types,
    communities: {
      count: n,
      ids: result.communities.map((c) => c.record.id),
      names: result.communities.map((c) => c.record.name),
      districts: result.communities.map((c) => c.record.district),
      population,
      share,
      coveredPop,
      nearestM,
      nearestFacility,
      within,
      gap,
      bbox,
      networkNotes: result.communities.map((c) => c.networkNote ?? null),
    },
    facilities: {
      count: m,
      coords,
      typeIndex,
      status,
      serving,
      ids: packStrings(result.facilities.map((f) => f.id)),
      names: packStrings(result.facilities.map((f) => f.name)),
    },
    geometry,
    facilityPoints: facilityPointsParts(coords, typeIndex, serving, T),
    inputsVersion: extra.inputsVersion,
    distance: extra.distance,
    walking: extra.walking ?? null,
    timeMs: extra.timeMs,
    threads: extra.threads ?? 1,
  };
}

/** Communities in one part of the map's data (a tile of 2,500 blocks took the page about 50 ms). */
export const MAP_PART_POLYGONS = 2500;
/** Facilities of one type in one part of the map's data. */
export const MAP_PART_POINTS = 4000;

/**
 * Features (feature `id` = their index in `features`) split into strips of longitude of at most
 * `perPart` features each, as many as needed and of equal counts, each as UTF-8 GeoJSON text in a
 * Blob. Made here in the worker: a Blob crosses to the page as a reference, and the page hands it to
 * MapLibre's worker by object URL, so the page's main thread never copies the text (a copy of 40 MB
 * took 200 ms there). Strips rather than runs of ids: a part is a source of its own on the map, and
 * a tile of a compact part holds only that part's features.
 */
export function mapParts(
  features: readonly Feature[],
  lonOf: (i: number) => number,
  perPart: number,
): MapParts {
  const n = features.length;
  const count = Math.max(1, Math.ceil(n / perPart));
  const partOf = new Uint16Array(n);
  const byLon = Array.from({ length: n }, (_, i) => i);
  const lon = Float64Array.from(byLon, lonOf);
  byLon.sort((a, b) => lon[a]! - lon[b]! || a - b);
  byLon.forEach((i, rank) => {
    partOf[i] = Math.floor((rank * count) / n);
  });
  // Each part in the order given (the order MapLibre draws them in).
  const members: Feature[][] = Array.from({ length: count }, () => []);
  features.forEach((f, i) => {
    members[partOf[i]!]!.push(f);
  });
  return { parts: members.map(geoJsonBlob), partOf };
}

function geoJsonBlob(features: readonly Feature[]): Blob {
  return new Blob([JSON.stringify({ type: 'FeatureCollection', features })], {
    type: 'application/geo+json',
  });
}

/**
 * The facilities as map points, in parts ({@link mapParts}) per analysed type (facilities outside the
 * run are not drawn): feature id = facility index, property `s` (1 when serving), which the map's
 * layers filter by. Each type apart, because the map gives each type its own sources and layers.
 * `partOf` is indexed by facility index (0 for facilities outside the type).
 */
function facilityPointsParts(
  coords: Float64Array,
  typeIndex: Int16Array,
  serving: Uint8Array,
  typeCount: number,
): MapParts[] {
  const byType: Feature[][] = Array.from({ length: typeCount }, () => []);
  for (let i = 0; i < typeIndex.length; i++) {
    byType[typeIndex[i]!]?.push({
      type: 'Feature',
      id: i,
      properties: { s: serving[i]! },
      geometry: { type: 'Point', coordinates: [coords[2 * i]!, coords[2 * i + 1]!] },
    });
  }
  return byType.map((features) => {
    const split = mapParts(features, (k) => coords[2 * (features[k]!.id as number)]!, MAP_PART_POINTS);
    const partOf = new Uint16Array(typeIndex.length);
    features.forEach((f, k) => {
      partOf[f.id as number] = split.partOf[k]!;
    });
    return { parts: split.parts, partOf };
  });
}

/**
 * Packs a compliance result on the analysis' community order: `indexOf[c]` is the position of
 * analysis community `c` in `result.communities` (-1 when the profile run left it out).
 */
export function packCompliance(
  result: ComplianceResult,
  indexOf: Int32Array,
  timeMs: number,
): CompliancePayload {
  const n = indexOf.length;
  const R = result.requirements.length;
  const completeness = new Uint8Array(n).fill(COMPLETENESS_CODES.indexOf('unknown'));
  const score = new Float32Array(n).fill(Number.NaN);
  const passed = new Uint8Array(n);
  const failed = new Uint8Array(n);
  const unknown = new Uint8Array(n);
  const status = new Uint8Array(n * R).fill(ITEM_STATUS_CODES.indexOf('unknown'));
  const tier = new Int8Array(n).fill(-1);
  const tiers = result.profile.tiers?.order ?? [];
  for (let c = 0; c < n; c++) {
    const at = indexOf[c]!;
    if (at < 0) continue;
    const community = result.communities[at]!;
    completeness[c] = COMPLETENESS_CODES.indexOf(community.completeness);
    score[c] = community.score;
    passed[c] = Math.min(255, community.passed);
    failed[c] = Math.min(255, community.failed);
    unknown[c] = Math.min(255, community.unknown);
    community.items.forEach((item, k) => {
      status[c * R + k] = ITEM_STATUS_CODES.indexOf(item.status);
    });
    tier[c] = community.tierAttained === null ? -1 : tiers.indexOf(community.tierAttained);
  }
  const area = ({ requirements: _, ...rest }: ComplianceResult['city']): AreaFigures => rest;
  return {
    kind: 'compliance',
    profile: {
      id: result.profile.id,
      name_zh: result.profile.name_zh,
      name_en: result.profile.name_en,
      target_year: result.profile.target_year,
      tiers,
    },
    requirements: result.requirements,
    indicators: result.profile.indicators.map((i) => ({
      id: i.id,
      kind: i.kind,
      name_zh: i.name_zh,
      name_en: i.name_en,
      unit: i.unit,
    })),
    communities: { count: n, completeness, score, passed, failed, unknown, status, tier },
    districts: result.districts.map(area),
    city: area(result.city),
    unconfirmed: result.unconfirmed.length,
    notes: result.notes,
    headlineNotes: complianceHeadlineNotes(result),
    completeInventory: result.completeInventory,
    absentTypes: result.absentTypes,
    network: result.network ?? null,
    timeMs,
  };
}

/** Polygon features in flat arrays; `indexOf` gives each feature's index in the set it stands for. */
export function packPolygons(
  features: readonly Feature<Polygon | MultiPolygon>[],
  indexOf: (feature: Feature<Polygon | MultiPolygon>) => number,
): PackedPolygons {
  let positions = 0;
  let rings = 0;
  let polygons = 0;
  const polygonsOf = (f: Feature<Polygon | MultiPolygon>) =>
    f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  for (const f of features) {
    for (const polygon of polygonsOf(f)) {
      polygons++;
      for (const ring of polygon) {
        rings++;
        positions += ring.length;
      }
    }
  }
  const coords = new Float64Array(positions * 2);
  const ringStart = new Uint32Array(rings + 1);
  const polygonStart = new Uint32Array(polygons + 1);
  const featureStart = new Uint32Array(features.length + 1);
  const featureIndex = new Int32Array(features.length);
  let p = 0;
  let r = 0;
  let v = 0;
  features.forEach((f, fi) => {
    featureStart[fi] = p;
    featureIndex[fi] = indexOf(f);
    for (const polygon of polygonsOf(f)) {
      polygonStart[p++] = r;
      for (const ring of polygon) {
        ringStart[r++] = v;
        for (const position of ring) {
          coords[2 * v] = position[0]!;
          coords[2 * v + 1] = position[1]!;
          v++;
        }
      }
    }
  });
  featureStart[features.length] = p;
  polygonStart[polygons] = r;
  ringStart[rings] = v;
  return { coords, ringStart, polygonStart, featureStart, featureIndex };
}

/** GeoJSON MultiPolygon features of packed polygons (feature id = its index in the set). */
export function unpackPolygons(packed: PackedPolygons): FeatureCollection<MultiPolygon> {
  const { coords, ringStart, polygonStart, featureStart, featureIndex } = packed;
  const features: Feature<MultiPolygon>[] = [];
  for (let f = 0; f < featureIndex.length; f++) {
    const polygons: number[][][][] = [];
    for (let p = featureStart[f]!; p < featureStart[f + 1]!; p++) {
      const rings: number[][][] = [];
      for (let r = polygonStart[p]!; r < polygonStart[p + 1]!; r++) {
        const ring: number[][] = [];
        for (let v = ringStart[r]!; v < ringStart[r + 1]!; v++)
          ring.push([coords[2 * v]!, coords[2 * v + 1]!]);
        rings.push(ring);
      }
      polygons.push(rings);
    }
    features.push({
      type: 'Feature',
      id: featureIndex[f]!,
      properties: { i: featureIndex[f]! },
      geometry: { type: 'MultiPolygon', coordinates: polygons },
    });
  }
  return { type: 'FeatureCollection', features };
}

function geometryBBox(geometry: CommunityGeometry, out: Float64Array, at: number): void {
  let w = Number.POSITIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  const visit = (p: readonly number[]) => {
    const x = p[0]!;
    const y = p[1]!;
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  };
  if (geometry.type === 'Point') visit(geometry.coordinates);
  else if (geometry.type === 'Polygon') for (const ring of geometry.coordinates) ring.forEach(visit);
  else for (const poly of geometry.coordinates) for (const ring of poly) ring.forEach(visit);
  out[at] = w;
  out[at + 1] = s;
  out[at + 2] = e;
  out[at + 3] = n;
}
