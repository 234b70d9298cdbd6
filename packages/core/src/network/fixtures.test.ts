// The walking network on the bundled fixtures: the hand-made barrier town (a river with one bridge),
// whose answers are worked out by hand in fixtures/barrier/README.md, with golden outputs; and the
// bundled city's road network, when it is there.
import { existsSync, readFileSync } from 'node:fs';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../../test/golden.js';
import { type AnalysisResult, analyzeCoverage } from '../analysis/index.js';
import { buildDemand } from '../demand/index.js';
import { GreatCircleSource } from '../distance/great-circle.js';
import { NetworkSource } from '../distance/network-source.js';
import type { Origins } from '../distance/types.js';
import { haversineM } from '../geodesy/index.js';
import { FacilityCatalog } from '../standards/catalog.js';
import { validateCommunities, validateFacilities } from '../validate/features.js';
import { catchments } from './catchments.js';
import { RoadGraph } from './graph.js';

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../../../fixtures/${path}`, import.meta.url), 'utf8'));

/** Round to `digits` decimals, recursively, for golden files that do not churn on the last bit. */
function rounded(value: unknown, digits: number): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toFixed(digits)) : value;
  if (Array.isArray(value)) return value.map((v) => rounded(v, digits));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v, digits)]));
  }
  return value;
}

/** The figures a planner reads, per community and type, plus the city totals. */
function digest(result: AnalysisResult, extra: Record<string, unknown> = {}) {
  return {
    distance: result.summary.distance,
    cost_unit: result.summary.costUnit,
    communities: Object.fromEntries(
      result.communities.map((c) => [
        c.record.id,
        Object.fromEntries(
          Object.entries(c.types).map(([type, t]) => [
            type,
            rounded(
              {
                nearest_m: t.nearestM,
                nearest_id: t.nearestId,
                within_count: t.withinCount,
                covered_share: t.coveredShare,
                gap: t.gap,
              },
              1,
            ),
          ]),
        ),
      ]),
    ),
    types: Object.fromEntries(
      Object.entries(result.summary.types).map(([type, t]) => [
        type,
        rounded(
          {
            radius_m: t.radiusM,
            facilities: t.facilities,
            covered_population: t.coveredPopulation,
            covered_share: t.coveredShare,
            gap_communities: t.gapCommunities,
            gap_population: t.gapPopulation,
          },
          4,
        ),
      ]),
    ),
    ...extra,
  };
}

describe('barrier town: a river with one bridge', () => {
  const roads = fixture('barrier/roads.geojson');
  const communities = fixture('barrier/communities.geojson');
  const facilities = fixture('barrier/facilities.geojson');
  const build = RoadGraph.fromGeoJSON(roads, { file: 'roads.geojson' });
  const { graph } = build;
  let source: NetworkSource | undefined;
  const straight = analyzeCoverage({ communities, facilities });
  const walking = analyzeCoverage(
    { communities, facilities },
    {
      distance: (origins: Origins) => {
        source = new NetworkSource(graph, origins, { ownerNames: ['A', 'B', 'C', 'D', 'E', 'F'] });
        return source;
      },
    },
  );
  const figure = (result: AnalysisResult, id: string, type: string) =>
    result.communities.find((c) => c.record.id === id)!.types[type]!;

  it('builds the graph: the expressway left out, the lane joined, one piece', () => {
    expect(build.rejected).toEqual([]);
    expect(build.stats).toMatchObject({
      features: 13,
      notWalkable: 1,
      joinedEnds: 1,
      splitSegments: 1,
      components: 1,
    });
    expect(build.warnings.map((w) => w.message)).toEqual([
      '1 line end lay within 1 m of another line without touching it and was joined to it (1 mid-segment): #11 (R12)',
    ]);
  });

  it('straight line: the kindergarten across the river is 250 m from 南岸小区 and covers it', () => {
    const a = figure(straight, 'A', 'kindergarten');
    expect(a.nearestId).toBe('K1');
    expect(a.nearestM!).toBeCloseTo(250, 0);
    expect(a.gap).toBe(false);
    expect(figure(straight, 'A', 'community_health_center').gap).toBe(false);
    expect(straight.summary.distance).toBe('great-circle');
  });

  it('walking: the same kindergarten is 1,490 m away over the bridge; 南岸小区 has a gap', () => {
    expect(walking.summary.distance).toBe('network');
    const a = figure(walking, 'A', 'kindergarten');
    // The nearest on foot is K2 on the same bank (935 m); K1 over the bridge would be 1,490 m.
    expect(a.nearestId).toBe('K2');
    expect(a.nearestM!).toBeCloseTo(935, 0);
    expect(a.withinCount).toBe(0);
    expect(a.gap).toBe(true);
    const k1 = source!.reach({ coords: Float64Array.of(...coordsOf(facilities, 'K1')) }, 300);
    expect(k1.nearestCost[0]!).toBeCloseTo(1490, 0);
    // The clinic: 439 m straight, 1,260 m on foot, beyond its 1,000 m radius.
    const clinic = figure(walking, 'A', 'community_health_center');
    expect(clinic.nearestM!).toBeCloseTo(1260, 0);
    expect(clinic.gap).toBe(true);
  });

  it('agrees with the hand-worked walking distances for every community', () => {
    const expected: Record<string, [string | null, number | null, string | null, number | null]> = {
      A: ['K2', 935, 'H1', 1260],
      B: ['K1', 210, 'H1', 640],
      C: ['K1', 870, 'H1', 640],
      D: ['K1', 1090, 'H1', 1460],
      E: ['K2', 115, 'H1', 2040],
      F: [null, null, null, null],
    };
    for (const [id, [kId, kM, hId, hM]] of Object.entries(expected)) {
      const k = figure(walking, id, 'kindergarten');
      const h = figure(walking, id, 'community_health_center');
      expect([k.nearestId, h.nearestId], id).toEqual([kId, hId]);
      if (kM === null) expect(k.nearestM).toBeNull();
      else expect(k.nearestM!, id).toBeCloseTo(kM, 0);
      if (hM === null) expect(h.nearestM).toBeNull();
      else expect(h.nearestM!, id).toBeCloseTo(hM, 0);
    }
    expect(walking.summary.types.kindergarten!.coveredPopulation).toBe(900 + 500);
    expect(straight.summary.types.kindergarten!.coveredPopulation).toBe(1200 + 900 + 500);
    expect(walking.summary.types.community_health_center!.coveredPopulation).toBe(900 + 600);
    expect(straight.summary.types.community_health_center!.coveredPopulation).toBe(1200 + 900 + 600);
  });

  it('reports the island village that no road reaches', () => {
    expect(source!.warnings.map((w) => w.message)).toEqual([
      '1 of 6 demand points lie farther than 200 m from every walkable road and reach nothing on foot; they belong to 1 community: F',
    ]);
  });

  it('matches the golden outputs', async () => {
    expectGolden(
      `${JSON.stringify(digest(straight), null, 2)}\n`,
      new URL('../../../../fixtures/barrier/out/great-circle.json', import.meta.url),
    );
    expectGolden(
      `${JSON.stringify(digest(walking, { warnings: [...build.warnings, ...source!.warnings] }), null, 2)}\n`,
      new URL('../../../../fixtures/barrier/out/network.json', import.meta.url),
    );
    const shapes: FeatureCollection = { type: 'FeatureCollection', features: [] };
    for (const type of ['kindergarten', 'community_health_center']) {
      const coords = coordsOf(facilities, ...idsOfType(facilities, type));
      const ids = idsOfType(facilities, type);
      const radius = walking.summary.types[type]!.radiusM;
      for (const mode of ['dissolved', 'nearest'] as const) {
        shapes.features.push(
          ...catchments(graph, { coords: Float64Array.from(coords), ids }, radius, { mode, type, cellM: 10 })
            .features,
        );
      }
    }
    expectGolden(
      `${JSON.stringify(rounded(shapes, 6))}\n`,
      new URL('../../../../fixtures/barrier/out/catchments.geojson', import.meta.url),
    );
  });
});

function idsOfType(fc: unknown, type: string): string[] {
  return (fc as FeatureCollection).features
    .filter((f) => f.properties?.type === type)
    .map((f) => f.properties!.id);
}

function coordsOf(fc: unknown, ...ids: string[]): number[] {
  return ids.flatMap((id) => {
    const f = (fc as FeatureCollection).features.find((g) => g.properties?.id === id)!;
    return (f.geometry as { coordinates: number[] }).coordinates.slice(0, 2);
  });
}

const PINGLIANG_ROADS = new URL('../../../../fixtures/pingliang/roads.geojson', import.meta.url);

describe('bundled city network (fixtures/pingliang)', () => {
  it.runIf(existsSync(PINGLIANG_ROADS))(
    'builds, snaps most demand points, and never beats the straight line',
    () => {
      const { graph, rejected, stats } = RoadGraph.fromGeoJSON(fixture('pingliang/roads.geojson'));
      expect(rejected).toEqual([]);
      expect(stats.notWalkable).toBeGreaterThan(0);
      expect(graph.edgeCount).toBeGreaterThan(1000);
      const communities = validateCommunities(fixture('pingliang/communities.geojson'));
      const demand = buildDemand(communities.records).demand;
      const source = new NetworkSource(graph, demand);
      const n = demand.owner.length;
      expect(source.originSnap.unsnapped.length / n).toBeLessThan(0.05);
      const records = validateFacilities(
        fixture('pingliang/facilities.geojson'),
        FacilityCatalog.builtIn(),
      ).records;
      const kindergartens = records.filter((f) => f.typeId === 'kindergarten');
      const targets = { coords: Float64Array.from(kindergartens.flatMap((f) => [f.lon, f.lat])) };
      const walk = source.reach(targets, 300);
      const line = new GreatCircleSource(demand).reach(targets, 300);
      let reached = 0;
      const shorter: number[] = [];
      for (let i = 0; i < n; i++) {
        if (walk.nearestIndex[i]! < 0) continue;
        reached++;
        // The nearest on foot is at least as far as the nearest in a straight line and as its own
        // straight-line distance, and fewer (or as many) kindergartens are within 300 m on foot.
        const k = walk.nearestIndex[i]!;
        const straight = haversineM(
          demand.coords[2 * i]!,
          demand.coords[2 * i + 1]!,
          kindergartens[k]!.lon,
          kindergartens[k]!.lat,
        );
        const cost = walk.nearestCost[i]!;
        if (
          cost < line.nearestCost[i]! - 1e-3 ||
          cost < straight - 1e-3 ||
          walk.withinCount[i]! > line.withinCount[i]!
        ) {
          shorter.push(i);
        }
      }
      expect(shorter).toEqual([]);
      expect(reached / n).toBeGreaterThan(0.8);
    },
  );
});
