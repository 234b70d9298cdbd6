// Hand-made small cities around Pingliang with answers worked out by hand.
import { describe, expect, it } from 'vitest';
import { CostMatrixSource } from '../distance/cost-matrix.js';
import type { Origins } from '../distance/types.js';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import {
  type AnalysisResult,
  analyzeCoverage,
  communityFeatureCollection,
  coverageSummaryJson,
  EARTH_RADIUS_M,
  FacilityCatalog,
  gapRows,
  haversineM,
  OptionError,
  type ProgressEvent,
} from '../index.js';

const O: [number, number] = [106.66, 35.54];
const RAD = Math.PI / 180;

/** The point `metres` from (lon, lat) along `bearingDeg` (0 north, 90 east) on the lifecircle sphere. */
function destination(from: readonly [number, number], metres: number, bearingDeg: number): [number, number] {
  const delta = metres / EARTH_RADIUS_M;
  const theta = bearingDeg * RAD;
  const phi1 = from[1] * RAD;
  const lambda1 = from[0] * RAD;
  const phi2 = Math.asin(
    Math.sin(phi1) * Math.cos(delta) + Math.cos(phi1) * Math.sin(delta) * Math.cos(theta),
  );
  const lambda2 =
    lambda1 +
    Math.atan2(
      Math.sin(theta) * Math.sin(delta) * Math.cos(phi1),
      Math.cos(delta) - Math.sin(phi1) * Math.sin(phi2),
    );
  return [lambda2 / RAD, phi2 / RAD];
}

const dist = (a: readonly number[], b: readonly number[]) => haversineM(a[0]!, a[1]!, b[0]!, b[1]!);

type Props = Record<string, unknown>;
const pointFeature = (properties: Props, at: readonly [number, number]) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [at[0], at[1]] },
});
const collection = <T>(features: T[]) => ({ type: 'FeatureCollection', features });

/** Axis-aligned rectangle, `widthM` × `heightM` metres, centred on `centre`. */
function rectangle(centre: readonly [number, number], widthM: number, heightM: number) {
  const dLon = widthM / 2 / metresPerDegreeLon(centre[1]);
  const dLat = heightM / 2 / METRES_PER_DEGREE;
  const [x, y] = centre;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x - dLon, y - dLat],
        [x + dLon, y - dLat],
        [x + dLon, y + dLat],
        [x - dLon, y + dLat],
        [x - dLon, y - dLat],
      ],
    ],
  };
}

describe('placement helper', () => {
  it.each([
    [299, 0],
    [301, 90],
    [1000, 180],
    [250, 270],
    [1234.5, 45],
  ])('places a point %d m away at bearing %d° at that distance by lifecircle’s own haversine', (d, b) => {
    expect(dist(O, destination(O, d, b))).toBeCloseTo(d, 6);
  });
});

describe('three communities, two kindergartens', () => {
  // A at O; K1 200 m north of A. B 1,000 m north of A; K2 250 m east of B. C 1,500 m south of A.
  const A = O;
  const K1 = destination(A, 200, 0);
  const B = destination(A, 1000, 0);
  const K2 = destination(B, 250, 90);
  const C = destination(A, 1500, 180);
  const communities = collection([
    pointFeature({ id: 'A', name: '甲小区', population: 1000, district: '崆峒区' }, A),
    pointFeature({ id: 'B', name: '乙小区', population: 2000, district: '崆峒区' }, B),
    pointFeature({ id: 'C', name: '丙小区', population: 500, district: '华亭市' }, C),
  ]);
  const facilities = collection([
    pointFeature({ id: 'K1', type: 'kindergarten', capacity: 90 }, K1),
    pointFeature({ id: 'K2', type: '幼儿园', capacity: 60 }, K2),
  ]);
  const result = analyzeCoverage({ communities, facilities });
  const k = (id: string) => result.communities.find((c) => c.record.id === id)!.types.kindergarten!;

  it('analyses only kindergarten, the one type present', () => {
    expect(result.types.map((t) => t.id)).toEqual(['kindergarten']);
    expect(result.summary.types.kindergarten!.radiusM).toBe(300);
    expect(result.summary.types.kindergarten!.radiusStatus).toBe('standard');
  });

  it('finds each community’s nearest kindergarten and its distance', () => {
    expect(k('A').nearestId).toBe('K1');
    expect(k('A').nearestM!).toBeCloseTo(200, 6);
    expect(k('B').nearestId).toBe('K2');
    expect(k('B').nearestM!).toBeCloseTo(250, 6);
    expect(k('C').nearestId).toBe('K1');
    expect(k('C').nearestM!).toBeCloseTo(dist(C, K1), 6);
    expect(k('C').nearestM!).toBeCloseTo(1700, 3);
  });

  it('counts and covers within 300 m', () => {
    expect([k('A').withinCount, k('B').withinCount, k('C').withinCount]).toEqual([1, 1, 0]);
    expect([k('A').coveredPopulation, k('B').coveredPopulation, k('C').coveredPopulation]).toEqual([
      1000, 2000, 0,
    ]);
    expect([k('A').coveredShare, k('B').coveredShare, k('C').coveredShare]).toEqual([1, 1, 0]);
    expect([k('A').gap, k('B').gap, k('C').gap]).toEqual([false, false, true]);
    expect(result.communities.map((c) => c.gaps)).toEqual([[], [], ['kindergarten']]);
  });

  it('sums the city', () => {
    const t = result.summary.types.kindergarten!;
    expect(result.summary.population).toBe(3500);
    expect(result.summary.communities).toBe(3);
    expect(t.facilities).toBe(2);
    expect(t.coveredPopulation).toBe(3000);
    // The result keeps full precision; summary.json rounds shares and rates to 4 decimals
    // (docs/output-schema.md).
    expect(t.coveredShare).toBe(3000 / 3500);
    expect(t.gapCommunities).toBe(1);
    expect(t.gapPopulation).toBe(500);
    expect(t.capacity).toBe(150);
    expect(t.capacityKnown).toBe(2);
    expect(t.capacityPer1000).toBe((150 / 3500) * 1000);
    const json = coverageSummaryJson(result.summary).types.kindergarten!;
    expect(json.covered_share).toBe(0.8571);
    expect(json.capacity_per_1000).toBe(42.8571);
    expect(json.capacity_known).toBe(2);
    expect(result.summary.demand).toEqual({
      points: 3,
      cell_m: 50,
      methods: { point: 3 },
      coarsened: { communities: 0, largest_spacing_m: null },
    });
  });

  it('sums districts; facilities fall in the district of their nearest community', () => {
    const { districts } = result.summary;
    expect(Object.keys(districts).sort()).toEqual(['华亭市', '崆峒区'].sort());
    expect(districts.崆峒区!.communities).toBe(2);
    expect(districts.崆峒区!.population).toBe(3000);
    expect(districts.崆峒区!.types.kindergarten).toEqual({
      facilities: 2,
      coveredPopulation: 3000,
      coveredShare: 1,
      gapCommunities: 0,
      gapPopulation: 0,
      capacity: 150,
      capacityPer1000: 50,
    });
    expect(districts.华亭市!.types.kindergarten).toEqual({
      facilities: 0,
      coveredPopulation: 0,
      coveredShare: 0,
      gapCommunities: 1,
      gapPopulation: 500,
      capacity: null,
      capacityPer1000: null,
    });
  });

  it('lists the one gap in gapRows and flattens figures in communityFeatureCollection', () => {
    expect(gapRows(result)).toEqual([
      {
        community_id: 'C',
        community_name: '丙小区',
        district: '华亭市',
        population: 500,
        type: 'kindergarten',
        type_name_zh: '幼儿园',
        radius_m: 300,
        covered_share: 0,
        nearest_m: Math.round(dist(C, K1) * 10) / 10,
        nearest_id: 'K1',
      },
    ]);
    const fc = communityFeatureCollection(result);
    expect(fc.features).toHaveLength(3);
    expect(fc.features[1]!.properties).toMatchObject({
      id: 'B',
      name: '乙小区',
      kindergarten_nearest_m: 250,
      kindergarten_nearest_id: 'K2',
      kindergarten_within_count: 1,
      kindergarten_covered_pop: 2000,
      kindergarten_covered_share: 1,
      gaps: [],
    });
    expect(fc.features[2]!.properties!.gaps).toEqual(['kindergarten']);
    // The report's properties are copies: the input features did not gain output fields.
    expect(Object.keys(communities.features[1]!.properties)).toEqual([
      'id',
      'name',
      'population',
      'district',
    ]);
  });
});

describe('radius boundary', () => {
  const community = collection([pointFeature({ id: 'P', population: 100 }, O)]);
  const at = (metres: number, bearing = 0) =>
    analyzeCoverage({
      communities: community,
      facilities: collection([
        pointFeature({ id: 'k', type: 'kindergarten' }, destination(O, metres, bearing)),
      ]),
    }).communities[0]!.types.kindergarten!;

  it('covers a Point community from 299 m and not from 301 m (radius 300 m)', () => {
    for (const bearing of [0, 90, 135, 200]) {
      const near = at(299, bearing);
      expect(near.withinCount).toBe(1);
      expect(near.coveredShare).toBe(1);
      expect(near.gap).toBe(false);
      expect(near.nearestM!).toBeCloseTo(299, 6);
      const far = at(301, bearing);
      expect(far.withinCount).toBe(0);
      expect(far.coveredShare).toBe(0);
      expect(far.gap).toBe(true);
      expect(far.nearestM!).toBeCloseTo(301, 6);
    }
  });

  it('covers a facility a centimetre inside and not a centimetre outside the radius', () => {
    expect(at(299.99).withinCount).toBe(1);
    expect(at(300.01).withinCount).toBe(0);
  });

  it('follows a --radius override', () => {
    const facilities = collection([pointFeature({ id: 'k', type: 'kindergarten' }, destination(O, 450, 0))]);
    const r300 = analyzeCoverage({ communities: community, facilities });
    const r500 = analyzeCoverage({ communities: community, facilities }, { radii: { kindergarten: 500 } });
    expect(r300.communities[0]!.types.kindergarten!.gap).toBe(true);
    expect(r500.communities[0]!.types.kindergarten!.gap).toBe(false);
    expect(r500.summary.types.kindergarten!.radiusM).toBe(500);
    expect(r500.summary.types.kindergarten!.radiusStatus).toBe('user');
  });
});

describe('includePlanned', () => {
  const communities = collection([pointFeature({ id: 'P', population: 100 }, O)]);
  const facilities = collection([
    pointFeature({ id: 'open-far', type: 'kindergarten', status: 'open' }, destination(O, 900, 0)),
    pointFeature({ id: 'planned', type: 'kindergarten', status: '规划' }, destination(O, 100, 90)),
    pointFeature(
      { id: 'building', type: 'kindergarten', status: 'under construction' },
      destination(O, 200, 90),
    ),
    pointFeature({ id: 'closed', type: 'kindergarten', status: 'closed' }, destination(O, 50, 0)),
  ]);

  it('off: only open facilities serve; the others are counted as not serving', () => {
    const result = analyzeCoverage({ communities, facilities });
    const r = result.communities[0]!.types.kindergarten!;
    expect(r.nearestId).toBe('open-far');
    expect(r.withinCount).toBe(0);
    expect(r.gap).toBe(true);
    expect(result.summary.includePlanned).toBe(false);
    expect(result.summary.types.kindergarten!.facilities).toBe(1);
    expect(result.summary.types.kindergarten!.facilitiesNotServing).toBe(3);
    expect(result.facilities.map((f) => f.status)).toEqual([
      'open',
      'planned',
      'under_construction',
      'closed',
    ]);
  });

  it('on: planned and under-construction facilities serve, closed ones never', () => {
    const result = analyzeCoverage({ communities, facilities }, { includePlanned: true });
    const r = result.communities[0]!.types.kindergarten!;
    expect(r.nearestId).toBe('planned');
    expect(r.nearestM!).toBeCloseTo(100, 6);
    expect(r.withinCount).toBe(2);
    expect(r.gap).toBe(false);
    expect(result.summary.includePlanned).toBe(true);
    expect(result.summary.types.kindergarten!.facilities).toBe(3);
    expect(result.summary.types.kindergarten!.facilitiesNotServing).toBe(1);
  });
});

describe('types and radii options', () => {
  const communities = collection([pointFeature({ id: 'P', population: 100 }, O)]);
  const facilities = collection([
    pointFeature({ id: 'n1', type: 'childcare' }, destination(O, 100, 0)),
    pointFeature({ id: 'k1', type: 'kindergarten' }, destination(O, 100, 90)),
    pointFeature({ id: 'p1', type: 'pharmacy' }, destination(O, 350, 180)),
  ]);

  it('types accepts aliases such as 托儿所 and leaves other types out with a warning', () => {
    const result = analyzeCoverage(
      { communities, facilities },
      { types: ['托儿所'], radii: { pharmacy: 400 } },
    );
    expect(result.types.map((t) => t.id)).toEqual(['nursery_childcare']);
    expect(Object.keys(result.summary.types)).toEqual(['nursery_childcare']);
    expect(result.communities[0]!.types.nursery_childcare!.nearestId).toBe('n1');
    const warning = result.summary.warnings.find((w) => w.code === 'type-not-analysed');
    expect(warning?.message).toContain('kindergarten (1)');
    expect(warning?.message).toContain('pharmacy (1)');
    expect(warning?.file).toBe('facilities');
  });

  it('on a source in minutes, a type left at the catalog’s metres is refused, naming it and its metres', () => {
    // Walking minutes from a cost matrix: 100 m is 1.3 minutes at 75 m a minute.
    const rows = ['n1', 'k1', 'p1'].map((id) => ({ origin_id: 'P', destination_id: id, cost: 1.3 }));
    const minutes = (origins: Origins) =>
      new CostMatrixSource(origins, rows, { unit: 'min', ownerIds: ['P'] });
    const run = (radii: Record<string, number>) =>
      analyzeCoverage(
        { communities, facilities },
        { types: ['托儿所', 'kindergarten'], radii, distance: minutes },
      );
    expect(() => run({ kindergarten: 4 })).toThrowError(OptionError);
    expect(() => run({ kindergarten: 4 })).toThrowError(
      "radii: the distance source measures minutes (a walker run or a cost matrix in minutes), but 'nursery_childcare' has only the catalog's 300 m. Expected a radius in minutes for every analysed type",
    );
    // Both given in minutes (4 min is 300 m here): measured, the 100 m walks within.
    const result = run({ nursery_childcare: 4, kindergarten: 4 });
    expect(result.communities[0]!.types.nursery_childcare!.withinCount).toBe(1);
    expect(result.communities[0]!.types.kindergarten!.withinCount).toBe(1);
  });

  it('types lists a type with no facility: everyone has a gap, nearest is null', () => {
    const result = analyzeCoverage(
      { communities, facilities },
      { types: ['菜市场'], radii: { pharmacy: 400 } },
    );
    expect(result.types.map((t) => t.id)).toEqual(['fresh_market']);
    expect(result.communities[0]!.types.fresh_market).toEqual({
      nearestM: null,
      nearestId: null,
      withinCount: 0,
      coveredPopulation: 0,
      coveredShare: 0,
      gap: true,
    });
  });

  it('an unknown type in types is an OptionError naming it and the valid choices', () => {
    expect(() => analyzeCoverage({ communities, facilities }, { types: ['swimming'] })).toThrowError(
      /^types: unknown facility type 'swimming'\. Use one of: nursery_childcare, kindergarten, /,
    );
    expect(() => analyzeCoverage({ communities, facilities }, { types: ['swimming'] })).toThrow(OptionError);
  });

  it('without a radius, the pharmacy facility is counted as an unmapped type, not analysed', () => {
    const result = analyzeCoverage({ communities, facilities });
    expect(result.summary.rejected).toEqual([]);
    expect(result.summary.categories?.unmapped).toEqual([
      expect.objectContaining({
        category: 'pharmacy',
        field: 'type',
        facilities: 1,
        indices: [2],
        examples: [expect.objectContaining({ file: 'facilities', index: 2, id: 'p1' })],
      }),
    ]);
    expect(result.types.map((t) => t.id)).toEqual(['nursery_childcare', 'kindergarten']);
  });

  it('radii adds a custom type, analysed after the catalog types with status user', () => {
    const result = analyzeCoverage({ communities, facilities }, { radii: { pharmacy: 400 } });
    expect(result.summary.rejected).toEqual([]);
    expect(result.types.map((t) => t.id)).toEqual(['nursery_childcare', 'kindergarten', 'pharmacy']);
    const p = result.summary.types.pharmacy!;
    expect(p).toMatchObject({
      radiusM: 400,
      radiusStatus: 'user',
      nameZh: 'pharmacy',
      capacityUnit: null,
    });
    const r = result.communities[0]!.types.pharmacy!;
    expect(r.nearestId).toBe('p1');
    expect(r.withinCount).toBe(1);
    expect(r.gap).toBe(false);
  });

  it('radii keyed by an alias change the catalog type it names', () => {
    const result = analyzeCoverage({ communities, facilities }, { radii: { 托儿所: 50, pharmacy: 400 } });
    expect(result.summary.types.nursery_childcare!.radiusM).toBe(50);
    expect(result.summary.types.nursery_childcare!.radiusStatus).toBe('user');
    expect(result.communities[0]!.types.nursery_childcare!.gap).toBe(true);
    expect(result.types.some((t) => t.id === '托儿所')).toBe(false);
  });

  it('rejects a radius that is not a positive finite number', () => {
    for (const bad of [0, -300, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => analyzeCoverage({ communities, facilities }, { radii: { kindergarten: bad } })).toThrow(
        OptionError,
      );
    }
  });

  it('takes a catalog object', () => {
    const catalog = FacilityCatalog.builtIn().withRadius('kindergarten', 50);
    const result = analyzeCoverage({ communities, facilities }, { catalog, types: ['kindergarten'] });
    expect(result.communities[0]!.types.kindergarten!.gap).toBe(true);
  });
});

describe('gapThreshold', () => {
  // One community with two demand points: 30 residents 100 m from a clinic, 70 residents 2 km away.
  const communities = collection([
    {
      type: 'Feature',
      properties: { id: 'Q', population: 100 },
      geometry: rectangle(destination(O, 1000, 0), 2400, 400),
    },
  ]);
  const westEnd = destination(destination(O, 1000, 0), 1100, 270);
  const eastEnd = destination(destination(O, 1000, 0), 1100, 90);
  const demand = collection([
    pointFeature({ population: 30, community_id: 'Q' }, westEnd),
    pointFeature({ population: 70, community_id: 'Q' }, eastEnd),
  ]);
  const facilities = collection([pointFeature({ id: 'h', type: 'clinic' }, destination(westEnd, 100, 0))]);
  const run = (gapThreshold?: number) =>
    analyzeCoverage({ communities, facilities, demand }, gapThreshold === undefined ? {} : { gapThreshold })
      .communities[0]!.types.community_health_station!;

  it('measures a share of 0.3', () => {
    const r = run();
    expect(r.coveredPopulation).toBe(30);
    expect(r.coveredShare).toBe(0.3);
    expect(r.gap).toBe(true);
  });

  it('a gap is a share strictly below the threshold', () => {
    expect(run(0.25).gap).toBe(false);
    expect(run(0.3).gap).toBe(false);
    expect(run(0.31).gap).toBe(true);
    expect(run(0).gap).toBe(false);
    expect(run(1).gap).toBe(true);
  });

  it('is reported in the summary', () => {
    const result = analyzeCoverage({ communities, facilities, demand }, { gapThreshold: 0.25 });
    expect(result.summary.gapThreshold).toBe(0.25);
    expect(result.summary.types.community_health_station!.gapCommunities).toBe(0);
  });

  it('outside [0, 1] is an OptionError', () => {
    for (const bad of [-0.1, 1.5, Number.NaN]) {
      expect(() => analyzeCoverage({ communities, facilities }, { gapThreshold: bad })).toThrow(OptionError);
    }
  });
});

describe('capacity per 1,000 residents', () => {
  const communities = collection([
    pointFeature({ id: 'A', population: 5000 }, O),
    pointFeature({ id: 'B', population: 3000 }, destination(O, 2000, 90)),
  ]);

  it('40 places for 8,000 residents is 5.0', () => {
    const facilities = collection([
      pointFeature({ id: 'n1', type: 'nursery_childcare', capacity: 25 }, destination(O, 100, 0)),
      pointFeature({ id: 'n2', type: 'nursery_childcare', capacity: '15' }, destination(O, 2000, 180)),
      pointFeature({ id: 'n3', type: 'nursery_childcare' }, destination(O, 3000, 180)),
    ]);
    const result = analyzeCoverage({ communities, facilities });
    const t = result.summary.types.nursery_childcare!;
    expect(t.capacity).toBe(40);
    expect(t.capacityKnown).toBe(2);
    expect(t.capacityUnit).toBe('places');
    expect(t.capacityPer1000).toBe(5);
    expect(result.facilities.map((f) => f.capacity)).toEqual([25, 15, Number.NaN]);
  });

  it('is null when no capacity is known, and planned capacity does not count', () => {
    const facilities = collection([
      pointFeature({ id: 'n1', type: 'nursery_childcare' }, destination(O, 100, 0)),
      pointFeature({ id: 'n2', type: 'nursery_childcare', capacity: 80, status: 'planned' }, O),
    ]);
    const t = analyzeCoverage({ communities, facilities }).summary.types.nursery_childcare!;
    expect(t.capacity).toBeNull();
    expect(t.capacityPer1000).toBeNull();
    expect(t.capacityKnown).toBe(0);
  });
});

describe('districts', () => {
  const communities = collection([
    pointFeature({ id: 'E1', population: 100, district: '东区' }, O),
    pointFeature({ id: 'E2', population: 300, district: '东区' }, destination(O, 500, 0)),
    pointFeature({ id: 'W1', population: 600, district: '西区' }, destination(O, 3000, 270)),
    pointFeature({ id: 'N1', population: 50 }, destination(O, 3000, 90)),
  ]);
  const facilities = collection([
    // Near E1: counted in 东区 by its nearest community.
    pointFeature({ id: 'm1', type: 'market', capacity: 400 }, destination(O, 100, 0)),
    // Next to W1 but says it belongs to 东区: its own district wins.
    pointFeature({ id: 'm2', type: 'market', capacity: 100, district: '东区' }, destination(O, 2900, 270)),
    // Near the community without a district.
    pointFeature({ id: 'm3', type: 'market', capacity: 50 }, destination(O, 3000, 90)),
  ]);
  const result = analyzeCoverage({ communities, facilities });
  const { districts } = result.summary;

  it('groups communities by district, with (none) for those without', () => {
    expect(Object.keys(districts).sort()).toEqual(['(none)', '东区', '西区'].sort());
    expect(districts.东区).toMatchObject({ communities: 2, population: 400 });
    expect(districts.西区).toMatchObject({ communities: 1, population: 600 });
    expect(districts['(none)']).toMatchObject({ communities: 1, population: 50 });
  });

  it('sums coverage and facilities per district (radius 500 m)', () => {
    expect(districts.东区!.types.fresh_market).toEqual({
      facilities: 2,
      coveredPopulation: 400,
      coveredShare: 1,
      gapCommunities: 0,
      gapPopulation: 0,
      capacity: 500,
      capacityPer1000: 1250,
    });
    expect(districts.西区!.types.fresh_market).toMatchObject({
      facilities: 0,
      coveredPopulation: 600,
      coveredShare: 1,
      capacity: null,
      capacityPer1000: null,
    });
    expect(districts['(none)']!.types.fresh_market).toMatchObject({ facilities: 1, capacity: 50 });
  });

  it('district figures add up to the city', () => {
    const city = result.summary.types.fresh_market!;
    const sum = (f: (d: (typeof districts)[string]) => number) =>
      Object.values(districts).reduce((s, d) => s + f(d), 0);
    expect(sum((d) => d.population)).toBe(result.summary.population);
    expect(sum((d) => d.communities)).toBe(result.summary.communities);
    expect(sum((d) => d.types.fresh_market!.coveredPopulation)).toBe(city.coveredPopulation);
    expect(sum((d) => d.types.fresh_market!.facilities)).toBe(city.facilities);
    expect(sum((d) => d.types.fresh_market!.gapPopulation)).toBe(city.gapPopulation);
  });
});

describe('a community with no residents', () => {
  const communities = collection([
    pointFeature({ id: 'empty', population: 0 }, O),
    pointFeature({ id: 'full', population: 200 }, destination(O, 2000, 0)),
  ]);
  const facilities = collection([pointFeature({ id: 'k', type: 'kindergarten' }, destination(O, 5000, 90))]);
  const result = analyzeCoverage({ communities, facilities });

  it('has a null share and no gap, but a nearest facility', () => {
    const r = result.communities[0]!.types.kindergarten!;
    expect(r.coveredShare).toBeNull();
    expect(r.coveredPopulation).toBe(0);
    expect(r.gap).toBe(false);
    expect(r.nearestId).toBe('k');
    expect(result.communities[0]!.gaps).toEqual([]);
  });

  it('does not enter gapRows nor the gap counts', () => {
    expect(gapRows(result).map((r) => r.community_id)).toEqual(['full']);
    expect(result.summary.types.kindergarten!.gapCommunities).toBe(1);
    expect(result.summary.types.kindergarten!.gapPopulation).toBe(200);
  });

  it('a city of only empty communities has a null covered share', () => {
    const only = analyzeCoverage({
      communities: collection([pointFeature({ id: 'e', population: 0 }, O)]),
      facilities,
    });
    expect(only.summary.population).toBe(0);
    expect(only.summary.types.kindergarten!.coveredShare).toBeNull();
    expect(only.summary.types.kindergarten!.capacityPer1000).toBeNull();
  });
});

describe('a polygon community half inside the radius', () => {
  // A 400 m square; a market 2,000 m east of its centre with a 2,000 m radius: the circle's edge
  // crosses the square through its centre, nearly straight (sagitta 10 m over 400 m).
  const centre = destination(O, 500, 0);
  const communities = collection([
    { type: 'Feature', properties: { id: 'S', population: 1600 }, geometry: rectangle(centre, 400, 400) },
  ]);
  const facilities = collection([pointFeature({ id: 'm', type: 'market' }, destination(centre, 2000, 90))]);

  for (const cellM of [10, 25, 50]) {
    it(`covers about half of it (grid ${cellM} m)`, () => {
      const result = analyzeCoverage(
        { communities, facilities },
        { radii: { market: 2000 }, demand: { cellM } },
      );
      const r = result.communities[0]!.types.fresh_market!;
      const tolerance = 0.02 + cellM / 400;
      expect(Math.abs(r.coveredShare! - 0.5)).toBeLessThan(tolerance);
      expect(r.coveredPopulation).toBeCloseTo(1600 * r.coveredShare!, 6);
      expect(result.communities[0]!.population).toBeCloseTo(1600, 6);
      expect(r.nearestM!).toBeGreaterThan(1800 - cellM);
      expect(r.nearestM!).toBeLessThan(1800 + cellM);
      expect(result.summary.demand.methods).toEqual({ grid: 1 });
      expect(result.summary.demand.cell_m).toBe(cellM);
    });
  }

  it('is a gap at threshold 0.6 and not at 0.4', () => {
    const options = { radii: { market: 2000 }, demand: { cellM: 10 } };
    const at = (gapThreshold: number) =>
      analyzeCoverage({ communities, facilities }, { ...options, gapThreshold }).communities[0]!.types
        .fresh_market!.gap;
    expect(at(0.6)).toBe(true);
    expect(at(0.4)).toBe(false);
  });
});

describe('progress and result shape', () => {
  it('reports the stages in order, measure once per type', () => {
    const events: ProgressEvent[] = [];
    analyzeCoverage(
      {
        communities: collection([pointFeature({ id: 'P', population: 1 }, O)]),
        facilities: collection([
          pointFeature({ id: 'a', type: 'kindergarten' }, O),
          pointFeature({ id: 'b', type: 'clinic' }, O),
        ]),
      },
      { onProgress: (e) => events.push(e) },
    );
    const stages = events.map((e) => e.stage);
    expect([...new Set(stages)]).toEqual(['validate', 'demand', 'index', 'measure', 'summarize']);
    const measures = events.filter((e) => e.stage === 'measure');
    expect(measures.map((e) => [e.done, e.total])).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
  });

  it('uses the file names given in messages', () => {
    const result = analyzeCoverage({
      communities: collection([pointFeature({ id: 'P', population: 1 }, O), pointFeature({ id: 'P' }, O)]),
      facilities: collection([
        pointFeature({ id: 'k', type: 'spaceport' }, O),
        pointFeature({ id: 'k2', type: 'kindergarten' }, O),
      ]),
      files: { communities: 'xiaoqu.geojson', facilities: 'sheshi.geojson' },
    });
    expect(result.summary.rejected).toEqual([
      {
        file: 'xiaoqu.geojson',
        index: 1,
        id: 'P',
        field: 'id',
        reason: "duplicate id 'P' (first used by feature 0)",
      },
    ]);
    expect(result.summary.categories?.unmapped).toEqual([
      expect.objectContaining({
        category: 'spaceport',
        examples: [{ file: 'sheshi.geojson', index: 0, id: 'k', name: null }],
      }),
    ]);
    expect(result.types.map((t) => t.id)).toEqual(['kindergarten']);
  });

  it('throws an InputError naming the facilities file when no facility is usable', () => {
    expect(() =>
      analyzeCoverage({
        communities: collection([pointFeature({ id: 'P', population: 1 }, O)]),
        facilities: collection([pointFeature({ id: 'k', type: 'spaceport' }, O)]),
        files: { facilities: 'sheshi.geojson' },
      }),
    ).toThrowError(
      /^sheshi\.geojson: no usable facility, so no type to analyse\. 1 facility has a type or category that maps to no catalog type: 'spaceport' \(1\)\. To use them, map a category to a catalog type with --type-map FILE/,
    );
  });

  it('throws an InputError naming the file when no community is usable', () => {
    expect(() =>
      analyzeCoverage({
        communities: collection([pointFeature({ id: 'P', population: -1 }, O)]),
        facilities: collection([]),
        files: { communities: 'xiaoqu.geojson' },
      }),
    ).toThrowError(
      /^xiaoqu\.geojson: no usable community \(1 rejected\)\. The first problem: feature 0 \(P\), field population: /,
    );
  });

  it('returns a result that does not alias the input (as AnalysisResult documents)', () => {
    const communities = collection([pointFeature({ id: 'P', population: 1 }, O)]);
    const facilities = collection([pointFeature({ id: 'k', type: 'kindergarten' }, O)]);
    const result: AnalysisResult = analyzeCoverage({ communities, facilities });
    expect(result.communities[0]!.record.properties).not.toBe(communities.features[0]!.properties);
    expect(result.communities[0]!.record.geometry).not.toBe(communities.features[0]!.geometry);
    expect(result.facilities[0]!.properties).not.toBe(facilities.features[0]!.properties);
  });
});
