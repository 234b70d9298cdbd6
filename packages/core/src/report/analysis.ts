import type { Feature, FeatureCollection } from 'geojson';
import type { AnalysisResult } from '../analysis/index.js';
import { round } from './round.js';

/**
 * The communities of an analysis as GeoJSON: every accepted community in input order with its
 * original properties and geometry, plus per analysed type `T` the flat properties `T_nearest_m`
 * (with a walker's minutes, `T_nearest_min` before it and `T_nearest_m` the length of that walk),
 * `T_nearest_id`, `T_within_count`, `T_covered_pop`, `T_covered_share`, and `gaps` (the type ids
 * with a gap). The input is not modified.
 *
 * @example
 * writeFileSync('communities.geojson', JSON.stringify(communityFeatureCollection(result)));
 */
export function communityFeatureCollection(result: AnalysisResult): FeatureCollection {
  const features: Feature[] = result.communities.map(({ record, types, gaps }) => {
    const properties: Record<string, unknown> = { ...record.properties };
    for (const type of result.types) {
      const r = types[type.id]!;
      if (r.nearest_min !== undefined) {
        properties[`${type.id}_nearest_min`] = r.nearest_min === null ? null : round(r.nearest_min, 2);
      }
      properties[`${type.id}_nearest_m`] = r.nearest_m === null ? null : round(r.nearest_m, 1);
      properties[`${type.id}_nearest_id`] = r.nearest_id;
      properties[`${type.id}_within_count`] = r.within_count;
      properties[`${type.id}_covered_pop`] = round(r.covered_pop, 1);
      properties[`${type.id}_covered_share`] = r.covered_share === null ? null : round(r.covered_share, 4);
    }
    properties.gaps = [...gaps];
    return { type: 'Feature', properties, geometry: structuredClone(record.geometry) };
  });
  return { type: 'FeatureCollection', features };
}

/** One community lacking one facility type: a row of gaps.csv. */
export interface GapRow {
  readonly community_id: string;
  readonly community_name: string | null;
  readonly district: string | null;
  readonly population: number;
  readonly type: string;
  readonly type_name_zh: string;
  readonly radius_m: number;
  readonly covered_share: number | null;
  readonly nearest_m: number | null;
  readonly nearest_id: string | null;
}

/** Columns of gaps.csv, in order. */
export const GAP_COLUMNS: readonly (keyof GapRow)[] = [
  'community_id',
  'community_name',
  'district',
  'population',
  'type',
  'type_name_zh',
  'radius_m',
  'covered_share',
  'nearest_m',
  'nearest_id',
];

/**
 * Every (community, type) pair with a gap, communities in input order and types in catalog order.
 */
export function gapRows(result: AnalysisResult): GapRow[] {
  const rows: GapRow[] = [];
  for (const { record, population, types, gaps } of result.communities) {
    for (const typeId of gaps) {
      const type = result.types.find((t) => t.id === typeId)!;
      const r = types[typeId]!;
      rows.push({
        community_id: record.id,
        community_name: record.name,
        district: record.district,
        population: round(population, 1),
        type: typeId,
        type_name_zh: type.name_zh,
        radius_m: type.radius_m,
        covered_share: r.covered_share === null ? null : round(r.covered_share, 4),
        nearest_m: r.nearest_m === null ? null : round(r.nearest_m, 1),
        nearest_id: r.nearest_id,
      });
    }
  }
  return rows;
}
