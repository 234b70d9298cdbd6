// The kind registry's promise: a new indicator or condition kind is one module registered in one
// place. Here a toy indicator kind and a toy condition kind, defined in this file only, are read from
// a profile, judged by checkStandards and formatted by core's report rows and the CLI's tables.
import { readFileSync } from 'node:fs';
import { checkStandards, complianceRows, complianceSummaryJson, parseProfile } from '@lifecircle/core';
import {
  type AnyCondition,
  type AnyIndicator,
  type ConditionKindModule,
  type IndicatorKindModule,
  isShareIndicator,
  registerConditionKind,
  registerIndicatorKind,
} from '@lifecircle/core/internal';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCheck } from '../../src/commands/check.js';
import { indicatorValue, shortfallAmounts } from '../../src/report/figures.js';

const town = new URL('../../../../fixtures/standards/small-town/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, town), 'utf8')) as unknown;

/** Toy indicator: the share of the area's communities with at least `min_population` residents. */
type PopulousShare = AnyIndicator & { readonly kind: 'toy_populous_share'; readonly min_population: number };
const populousShare: IndicatorKindModule<PopulousShare> = {
  names: { toy_populous_share: { scale: null, share: true } },
  fields: ['min_population'],
  read(kind, raw, path, reader) {
    const min = reader.positive(raw, 'min_population', path, true);
    return min === null ? null : { kind, min_population: min };
  },
  judge(indicator, area) {
    const big = area.members.filter((m) => m.result.population >= indicator.min_population).length;
    return area.judged(big, area.members.length, 1, 'communities', [], false);
  },
};

/** Toy condition: at least `value` facilities of the types within the radius. */
type AtLeast = AnyCondition & { readonly kind: 'toy_at_least'; readonly value: number };
const atLeast: ConditionKindModule<AtLeast> = {
  names: { toy_at_least: { needs: 'the number of facilities within reach' } },
  fields: ['kind', 'value', 'status', 'source'],
  shortfallLabels: { toy_at_least: 'to add' },
  needsFacilities: true,
  read(kind, raw, path, reader, common) {
    const value = reader.positive(raw, 'value', path, true);
    return value === null ? null : { kind, value, ...common };
  },
  shares: () => null,
  stated: (condition) => ({ label: null, value: condition.value }),
  judge(condition, at) {
    const n = at.reachable.length;
    return n >= condition.value
      ? at.result('pass', () => `${n} ≥ ${condition.value}`, n, condition.value, 'facilities', {
          shortfall: 0,
          shortfallUnit: 'facilities',
        })
      : at.result('fail', () => `only ${n} of ${condition.value}`, n, condition.value, 'facilities', {
          shortfall: condition.value - n,
          shortfallUnit: 'facilities',
        });
  },
};

const unregister = [registerIndicatorKind(populousShare), registerConditionKind(atLeast)];
afterAll(() => {
  for (const remove of unregister) remove();
});

const profileJson = {
  id: 'toy',
  requirements: [
    {
      id: 'two_stations',
      facilities: ['community_integrated_service_station'],
      radius_m: 300,
      conditions: [{ kind: 'toy_at_least', value: 2, status: 'standard' }],
    },
  ],
  indicators: [{ id: 'populous', kind: 'toy_populous_share', min_population: 1000, target: 0.5 }],
};

describe('a kind registered from outside core', () => {
  const { profile, problems } = parseProfile(profileJson);
  const communities = read('communities.geojson') as {
    features: { properties: { id: string; population: number } }[];
  };
  const result = checkStandards(
    {
      communities,
      facilities: read('facilities.geojson'),
      files: { communities: 'communities.geojson', facilities: 'facilities.geojson' },
    },
    profile!,
  );

  it('is read by the profile reader, which also checks its fields', () => {
    expect(problems).toEqual([]);
    expect(profile!.indicators[0]).toMatchObject({ kind: 'toy_populous_share', min_population: 1000 });
    const bad = parseProfile({
      ...profileJson,
      indicators: [{ id: 'populous', kind: 'toy_populous_share', min_population: -1, colour: 'red' }],
    });
    expect(bad.problems.map((p) => p.path)).toEqual([
      'indicators.populous.colour',
      'indicators.populous.min_population',
    ]);
  });

  it('is judged by checkStandards: the indicator per area, the condition per community', () => {
    // Independent of the module: counted straight from the file.
    const people = communities.features.map((f) => f.properties.population);
    const standing = result.communities.length;
    expect(standing).toBe(people.length);
    const expected = people.filter((p) => p >= 1000).length / people.length;
    expect(result.city.indicators.populous!.value).toBeCloseTo(expected, 12);
    expect(result.city.indicators.populous!.met).toBe(expected >= 0.5);
    for (const c of result.communities) {
      const item = c.items[0]!;
      const toy = item.conditions.find((x) => x.kind === ('toy_at_least' as string))!;
      // within_count comes from the access measure, not from the toy module.
      expect(toy.status).toBe(item.withinCount >= 2 ? 'pass' : 'fail');
      expect(toy.value).toBe(item.withinCount);
    }
  });

  it('is formatted by the report rows and the CLI tables', () => {
    expect(isShareIndicator('toy_populous_share')).toBe(true);
    const value = result.city.indicators.populous!.value!;
    expect(indicatorValue('toy_populous_share', value)).toMatch(/%$/);
    expect(shortfallAmounts([{ kind: 'toy_at_least', unit: 'facilities', amount: 2 }])).toBe(
      '2 facilities (to add)',
    );
    const rows = complianceRows(result);
    expect(rows.some((r) => String(r.reason).includes('of 2'))).toBe(true);
    const summary = complianceSummaryJson(result) as {
      city: { indicators: Record<string, { value: number }> };
    };
    expect(summary.city.indicators.populous!.value).toBeCloseTo(value, 4);
    expect(formatCheck(result, undefined)).toContain(indicatorValue('toy_populous_share', value));
  });

  it('refuses a name that is taken', () => {
    expect(() => registerIndicatorKind(populousShare)).toThrow(/registered already/);
  });
});
