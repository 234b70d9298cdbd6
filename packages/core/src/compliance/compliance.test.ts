// The hand-made small town (fixtures/standards/small-town, worked out in fixtures/standards/README.md):
// every rule passes or fails for a reason computed by hand, and the files match their goldens.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../../../../test/golden.js';
import { GreatCircleSource } from '../distance/great-circle.js';
import type { CostTable, DistanceSource, Origins, Reach, Targets } from '../distance/types.js';
import { complianceRows, complianceSummaryJson, monitorJson } from '../report/compliance.js';
import { parseProfile, type StandardProfile } from '../standards/profile.js';
import { checkStandards } from './check.js';
import { monitorProfile } from './monitor.js';
import type { ComplianceResult } from './types.js';

const dir = new URL('../../../../fixtures/standards/small-town/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as unknown;
const golden = (name: string) =>
  new URL(`../../../../fixtures/standards/small-town/out/${name}`, import.meta.url);

function profile(): StandardProfile {
  const { profile, problems } = parseProfile(read('profile.json'));
  expect(problems).toEqual([]);
  return profile!;
}

const input = () => ({
  communities: read('communities.geojson'),
  facilities: read('facilities.geojson'),
  files: { communities: 'communities.geojson', facilities: 'facilities.geojson' },
});

function item(result: ComplianceResult, community: string, id: string) {
  const c = result.communities.find((x) => x.record.id === community)!;
  return c.items.find((i) => i.id === id)!;
}

describe('checkStandards on the small town', () => {
  const result = checkStandards(input(), profile());

  it('gives every requirement its verdict and the reason worked out by hand', () => {
    const verdict = (c: string, id: string) => {
      const i = item(result, c, id);
      return `${i.status}: ${i.reason}`;
    };
    // Minimum area: the only station within 300 m of A is 180 m².
    expect(verdict('A', 'station')).toBe('fail: largest within 300 m: S1 180 m², below 350 m²');
    // None within the radius, the nearest named.
    expect(verdict('B', 'station')).toBe('fail: none within 300 m; nearest 450 m (S1)');
    expect(verdict('A', 'kindergarten')).toBe('fail: none within 300 m; nearest 500 m (K1)');
    // None within the search bound (twice the radius, at least 500 m more).
    expect(verdict('C', 'station')).toBe('fail: none within 300 m; none within 800 m either');
    // m² per 100 households: S2's 400 m² shared by D's 2,000 households only.
    expect(verdict('D', 'station')).toBe('fail: 20 m² per 100 households, below 30');
    expect(verdict('E', 'station')).toBe(
      'pass: 1 within 300 m; nearest 30 m; S3 500 m² ≥ 350 m²; 500 m² per 100 households ≥ 30',
    );
    // Unknown area: never silently passed or failed.
    expect(verdict('F', 'station')).toBe(
      'unknown: building area unknown for S4; area_m2 unknown for a facility within 300 m; the known ones give 0 m² per 100 households, below 30',
    );
    // Places per 1,000 children: N1's 4 places for A's 30 children = 133.3.
    expect(verdict('A', 'childcare')).toBe(
      'pass: 1 within 300 m; nearest 40 m; 133.3 places per 1,000 children_0_3 ≥ 100',
    );
    expect(verdict('D', 'childcare')).toBe(
      'unknown: capacity unknown for a facility within 300 m; the known ones give 0 places per 1,000 children_0_3, below 100',
    );
    expect(verdict('B', 'barrier_free')).toBe('fail: barrier_free: no');
    expect(verdict('D', 'barrier_free')).toBe('pass: barrier_free: yes');
    expect(verdict('B', 'activity_space')).toBe('fail: public_activity_space_m2 120, below 150');
    // Floor share: S1's 180 m² all go to A (the only community in its catchment): 0.6 % of 30,000 m².
    expect(verdict('A', 'floor_share')).toBe('pass: 1 within 300 m; nearest 50 m; 0.6% of floor area ≥ 0.5%');
    expect(verdict('D', 'floor_share')).toBe('unknown: floor_area_m2 not given');
  });

  it('is complete only when every required item passes, unknown when one cannot be judged', () => {
    const by = Object.fromEntries(result.communities.map((c) => [c.record.id, [c.completeness, c.score]]));
    expect(by).toEqual({
      A: ['incomplete', 0.6],
      B: ['incomplete', 0.2],
      C: ['incomplete', 0.4],
      D: ['incomplete', 0.4],
      E: ['complete', 1],
      F: ['unknown', 0.8],
    });
    expect(result.city).toMatchObject({ complete: 1, incomplete: 4, unknown: 1 });
    expect(result.city.completeShare).toBeCloseTo(1 / 6, 12);
    expect(result.city.completeShareMax).toBeCloseTo(2 / 6, 12);
    expect(result.districts.map((d) => d.name)).toEqual(['西区', '东区']);
  });

  it('states shortfalls in units a bureau acts on', () => {
    const station = result.city.requirements.station!;
    expect(station).toMatchObject({ pass: 1, fail: 4, unknown: 1 });
    expect(station.shortfall.communitiesWithoutAccess).toBe(2);
    // B and C are 1.5 km apart: two new stations.
    expect(station.shortfall.facilitiesNeeded).toBe(2);
    expect(station.shortfall.amounts).toEqual([
      { kind: 'min_building_area_m2', unit: 'm²', amount: 170 },
      // B needs 30 × 400 / 100 = 120 m², D needs 600 − 400 = 200 m².
      { kind: 'm2_per_100_households', unit: 'm²', amount: 320 },
    ]);
    const childcare = result.city.indicators.childcare_per_1000!;
    // 19 known places (N2's capacity is unknown) for 8,300 residents; 4.5 per 1,000 needs 37.35.
    expect(childcare).toMatchObject({ amount: 19, base: 8300, met: false, shortfall: 19, provisional: true });
    expect(childcare.value).toBeCloseTo((19 / 8300) * 1000, 12);
    expect(result.city.indicators.station_coverage).toMatchObject({
      amount: 4,
      base: 6,
      met: false,
      shortfall: 1,
    });
    expect(result.city.indicators.new_nurseries).toMatchObject({ value: 3, met: false, shortfall: 1 });
    expect(result.city.indicators.inclusive_share).toMatchObject({
      value: 1,
      met: true,
      shortfall: 0,
      provisional: true,
    });
  });

  it('scores access with crowding and assigns children up to capacity', () => {
    const access = (id: string) =>
      result.communities.find((c) => c.record.id === id)!.access.childcare_access!;
    expect(access('A').score).toBeCloseTo(4000 / 30, 9);
    expect(access('A')).toMatchObject({ served: 4, overCapacity: 26, outside: 0 });
    expect(access('B')).toMatchObject({ score: 0, served: 0, outside: 40 });
    expect(access('D')).toMatchObject({ partial: true, unknown: 150 });
    expect(result.city.access.childcare_access).toMatchObject({
      demand: 274,
      supply: 19,
      served: 19,
      overCapacity: 41,
      outside: 64,
      unknown: 150,
    });
  });

  it('marks every value that is not confirmed', () => {
    expect(result.unconfirmed).toEqual([
      { what: 'station: min_building_area_m2', value: 350, status: 'unverified' },
      { what: 'indicator new_nurseries: target', value: 4, status: 'assumed' },
    ]);
  });

  it('evaluates the town as it stood in a year', () => {
    const in2019 = checkStandards(input(), profile(), { asOf: 2019 });
    // C was built in 2023; N3, N2 and N4 opened from 2020.
    expect(in2019.communities.map((c) => c.record.id)).toEqual(['A', 'B', 'D', 'E', 'F']);
    expect(in2019.notYetBuilt).toBe(1);
    expect(item(in2019, 'E', 'childcare').reason).toBe('none within 300 m; none within 800 m either');
    expect(in2019.city.indicators.childcare_per_1000).toMatchObject({ amount: 4, base: 7700 });
    // After the data's last opening year (2022), planned facilities count from their planned year.
    const in2026 = checkStandards(input(), profile(), { asOf: 2026 });
    expect(item(in2026, 'B', 'childcare').status).toBe('pass');
    expect(in2026.notes[0]).toContain('after the data');
    expect(() => checkStandards(input(), profile(), { asOf: 2026, includePlanned: true })).toThrowError(
      'includePlanned: cannot be combined with asOf',
    );
  });

  it('matches the golden files', async () => {
    expectGolden(`${JSON.stringify(complianceSummaryJson(result), null, 2)}\n`, golden('summary.json'));
    const rows = complianceRows(result).map((r) => Object.values(r).join(' | '));
    expectGolden(`${rows.join('\n')}\n`, golden('rows.txt'));
  });

  it('never modifies its input', () => {
    const before = input();
    const copy = structuredClone(before);
    checkStandards(before, profile());
    expect(before).toEqual(copy);
  });
});

/**
 * The straight-line source read in minutes at the planners' 75 m a minute: a stand-in for a walker's
 * graph, so that the reasons' words can be worked by hand from the metres above.
 */
class MinutesSource implements DistanceSource {
  readonly kind = 'great-circle' as const;
  readonly costUnit = 'min' as const;
  private readonly metres: GreatCircleSource;
  constructor(readonly origins: Origins) {
    this.metres = new GreatCircleSource(origins);
  }
  reach(targets: Targets, bound: number): Reach {
    const r = this.metres.reach(targets, bound * 75);
    return { ...r, bound, nearestCost: r.nearestCost.map((m) => m / 75) };
  }
  within(targets: Targets, bound: number): CostTable {
    const t = this.metres.within(targets, bound * 75);
    return { ...t, bound, costs: t.costs.map((m) => m / 75) };
  }
}

describe('checkStandards on a graph in minutes', () => {
  // 300 m is 4 minutes: the same verdicts as above, worded in minutes.
  const radii = { community_integrated_service_station: 4, kindergarten: 4, nursery_childcare: 4 };
  const result = checkStandards(input(), profile(), { distance: (o) => new MinutesSource(o), radii });

  it('words radii, nearest walks and the search bound in minutes, never metres', () => {
    const reason = (c: string, id: string) => item(result, c, id).reason;
    expect(result.costUnit).toBe('min');
    expect(reason('B', 'station')).toBe('none within 4 min; nearest 6 min (S1)');
    expect(reason('A', 'kindergarten')).toBe('none within 4 min; nearest 6.7 min (K1)');
    // The search reaches 500 m farther at 75 m a minute (6.7 min), not 500 minutes.
    expect(reason('C', 'station')).toBe('none within 4 min; none within 10.7 min either');
    expect(reason('A', 'station')).toBe('largest within 4 min: S1 180 m², below 350 m²');
    expect(result.unconfirmed.map((u) => u.what)).toContain('station: radius in minutes');
  });

  it('refuses types left at the catalog’s metres, naming each type and value', () => {
    expect(() =>
      checkStandards(input(), profile(), {
        distance: (o) => new MinutesSource(o),
        radii: { community_integrated_service_station: 4 },
      }),
    ).toThrowError(
      "radii: the distance source measures minutes (a walker run or a cost matrix in minutes), but 'nursery_childcare' has only the catalog's 300 m, 'kindergarten' has only the catalog's 300 m. Expected a radius in minutes for every analysed type",
    );
  });
});

describe('checkStandards on a facility file missing whole types', () => {
  // The small town without its kindergartens (K1, K2 and the one typed 幼儿园): the data cannot say
  // whether the town has none or they were not collected.
  const withoutKindergartens = () => {
    const all = input();
    const facilities = all.facilities as { features: { properties: { type: string } }[] };
    return {
      ...all,
      facilities: {
        ...facilities,
        features: facilities.features.filter((f) => !['kindergarten', '幼儿园'].includes(f.properties.type)),
      },
    };
  };

  it('judges the absent types unknown, "no facilities of this type in the input", not fail', () => {
    const result = checkStandards(withoutKindergartens(), profile());
    for (const c of result.communities) {
      const i = item(result, c.record.id, 'kindergarten');
      expect(i.status).toBe('unknown');
      expect(i.reason).toBe('no facilities of this type in the input (幼儿园)');
      // Its conditions are unknown too: no community counts as "without access", no shortfall.
      expect(i.conditions.map((k) => k.status)).toEqual(i.conditions.map(() => 'unknown'));
    }
    const city = result.city.requirements.kindergarten!;
    expect(city).toMatchObject({ pass: 0, fail: 0, unknown: result.communities.length });
    expect(city.shortfall).toMatchObject({
      communitiesWithoutAccess: 0,
      residentsWithoutAccess: 0,
      facilitiesNeeded: null,
    });
    // The other items keep their hand-worked verdicts.
    expect(item(result, 'A', 'station').status).toBe('fail');
    expect(item(result, 'E', 'station').status).toBe('pass');
    // E passed everything else: complete before, unknown now (at most complete once known).
    const e = result.communities.find((c) => c.record.id === 'E')!;
    expect(e.completeness).toBe('unknown');
    expect(result.completeInventory).toBe(false);
    expect(result.absentTypes).toEqual([{ requirement: 'kindergarten', types: ['kindergarten'] }]);
    expect(result.notes.some((n) => n.includes('kindergarten (kindergarten): judged unknown'))).toBe(true);
    const summary = complianceSummaryJson(result);
    expect(summary.complete_inventory).toBe(false);
    expect(summary.absent_types).toEqual(result.absentTypes);
  });

  it('fails them when the facility file is declared the whole inventory (option or profile field)', () => {
    const byOption = checkStandards(withoutKindergartens(), profile(), { completeInventory: true });
    const { profile: declared, problems } = parseProfile({
      ...(read('profile.json') as object),
      complete_inventory: true,
    });
    expect(problems).toEqual([]);
    const byProfile = checkStandards(withoutKindergartens(), declared!);
    for (const result of [byOption, byProfile]) {
      expect(result.completeInventory).toBe(true);
      for (const c of result.communities) {
        const i = item(result, c.record.id, 'kindergarten');
        expect(i.status).toBe('fail');
        expect(i.reason).toBe('none within 300 m; no serving 幼儿园 in the data');
      }
      expect(result.communities.find((c) => c.record.id === 'E')!.completeness).toBe('incomplete');
    }
  });

  it('leaves a full facility file as it was', () => {
    const result = checkStandards(input(), profile());
    expect(result.absentTypes).toEqual([]);
    expect(result.communities.find((c) => c.record.id === 'E')!.completeness).toBe('complete');
  });
});

describe('monitorProfile on the small town', () => {
  const result = monitorProfile(input(), profile());

  it('runs from the first opening to the target year, actual to the last opening year', () => {
    expect([result.from, result.to, result.currentYear]).toEqual([2008, 2025, 2022]);
    expect(result.years.filter((y) => y.kind === 'planned').map((y) => y.year)).toEqual([2023, 2024, 2025]);
  });

  it('gives the yearly values and the projected year, reproducible by hand', () => {
    const childcare = result.indicators.find((i) => i.id === 'childcare_per_1000')!;
    const at = (year: number) => childcare.values[year - result.from]!;
    expect(at(2018)).toBe(0);
    expect(at(2019)).toBeCloseTo(4 / 7.7, 9);
    expect(at(2021)).toBeCloseTo(14 / 7.7, 9);
    expect(at(2022)).toBeCloseTo(19 / 7.7, 9);
    expect(at(2023)).toBeCloseTo(19 / 8.3, 9);
    // Least squares over 2018–2022: (−0 − 4/7.7 + 14/7.7 + 2 × 19/7.7) / 10 = 48/77 per year.
    expect(childcare.pacePerYear).toBeCloseTo(48 / 77, 9);
    // (4.5 − 19/7.7) / (48/77) = 3.26 years after 2022.
    expect(childcare.projectedYear).toBe(2026);
    expect(childcare.outlook).toBe('late');
    expect(childcare.shortfall).toBe(16);
    const complete = result.indicators.find((i) => i.id === 'complete_rate')!;
    expect(complete.outlook).toBe('no_target');
    // Station coverage is 4/5 = 80 % in 2022, then C (built 2023) has none: met now, not later.
    const stations = result.indicators.find((i) => i.id === 'station_coverage')!;
    expect([stations.current, stations.outlook]).toEqual([0.8, 'slipping']);
  });

  it('matches the golden file', async () => {
    expectGolden(`${JSON.stringify(monitorJson(result), null, 2)}\n`, golden('monitor.json'));
  });
});
