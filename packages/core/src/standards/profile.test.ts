import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FacilityCatalog } from './catalog.js';
import { BUILT_IN_PROFILE_IDS, builtInProfile, parseProfile } from './profile.js';

// The standards facts live beside the repository (../shared/standards); CI lays a copy there.
const shared = (name: string) => new URL(`../../../../../shared/standards/${name}`, import.meta.url);
const hasFacts = existsSync(shared('standards.json'));

interface StandardRecord {
  id: string;
  required_in_complete_community: boolean;
  min_building_area_m2: number | null;
  per_100_households_m2?: number;
}

describe('built-in profiles', () => {
  it('parse without a problem against the built-in catalog', () => {
    for (const id of BUILT_IN_PROFILE_IDS) {
      const profile = builtInProfile(id);
      expect(profile.id).toBe(id);
      expect(profile.requirements.length).toBeGreaterThan(0);
    }
    expect(builtInProfile('pingliang-2025').lineage).toEqual(['complete-community']);
    expect(() => builtInProfile('gb50180')).toThrowError(
      "Unknown profile 'gb50180'. Use one of: gb50180-2018, complete-community, pingliang-2025.",
    );
  });

  it('nest the GB 50180 life circles, each item in its catalog tier', () => {
    const profile = builtInProfile('gb50180-2018');
    expect(profile.tiers).toEqual({ order: ['block', '5min', '10min', '15min'], nested: true });
    const catalog = FacilityCatalog.builtIn();
    const tiers = new Set(profile.requirements.map((r) => catalog.get(r.facilities[0]!)!.tier));
    expect([...tiers].sort()).toEqual(['10min', '15min', '5min', 'block']);
  });

  it('mark the values the facts could not confirm as unverified, and the confirmed ones as standard', () => {
    const profile = builtInProfile('complete-community');
    const station = profile.requirements.find((r) => r.id === 'community_integrated_service_station')!;
    expect(station.conditions).toMatchObject([
      { kind: 'min_building_area_m2', value: 800, status: 'unverified' },
      { kind: 'm2_per_100_households', value: 30, status: 'standard' },
    ]);
    const activity = profile.requirements.find((r) => r.id === 'public_activity_space')!;
    expect(activity.conditions).toMatchObject([{ kind: 'attribute', min: 150, status: 'standard' }]);
  });

  it.runIf(hasFacts)('require every item the facts mark as required in a complete community', () => {
    const records = JSON.parse(readFileSync(shared('standards.json'), 'utf8')) as StandardRecord[];
    const profile = builtInProfile('complete-community');
    for (const record of records.filter((r) => r.required_in_complete_community)) {
      const requirement = profile.requirements.find((r) => r.source === `standards.json#${record.id}`);
      expect(requirement, record.id).toBeDefined();
      expect(requirement!.required).toBe(true);
      // A building area the facts give is standard; any other is flagged.
      for (const c of requirement!.conditions) {
        if (c.kind !== 'min_building_area_m2') continue;
        expect(c.status).toBe(record.min_building_area_m2 === c.value ? 'standard' : 'unverified');
      }
    }
  });

  it.runIf(hasFacts)(
    'carry every 2025 target of the Pingliang plan, as an indicator or not assessed with a reason',
    () => {
      const facts = JSON.parse(readFileSync(shared('pingliang-2025-targets.json'), 'utf8')) as {
        targets: { id: string; value: number }[];
      };
      const profile = builtInProfile('pingliang-2025');
      for (const target of facts.targets) {
        const indicator = profile.indicators.find((i) => i.id === target.id);
        const skipped = profile.not_assessed.find((n) => n.id === target.id);
        expect(indicator ?? skipped, target.id).toBeDefined();
        expect(indicator?.target ?? skipped?.target).toBe(target.value);
        if (skipped) expect(skipped.reason.length).toBeGreaterThan(20);
      }
    },
  );
});

describe('user profiles', () => {
  it('extend a built-in one: change a radius, drop an item, add one', () => {
    const { profile, problems } = parseProfile({
      id: 'my-town',
      extends: 'complete-community',
      requirements: [
        { id: 'kindergarten', radius_m: 500, radius_status: 'user' },
        { id: 'property_management', remove: true },
        { id: 'library', facilities: ['文化活动站'], required: false },
      ],
    });
    expect(problems).toEqual([]);
    expect(profile!.lineage).toEqual(['complete-community']);
    const kindergarten = profile!.requirements.find((r) => r.id === 'kindergarten')!;
    expect(kindergarten).toMatchObject({ radius_m: 500, radius_status: 'user', required: true });
    expect(kindergarten.conditions).toHaveLength(1);
    expect(profile!.requirements.find((r) => r.id === 'property_management')).toBeUndefined();
    expect(profile!.requirements.at(-1)).toMatchObject({
      id: 'library',
      facilities: ['cultural_activity_station'],
    });
  });

  it('name the field of every problem', () => {
    const { profile, problems } = parseProfile({
      id: 'bad',
      min_covered_share: 1.5,
      colour: 'red',
      requirements: [
        { id: 'kindergarten', facilities: ['kindergarden'], radius_m: -300 },
        {
          id: 'station',
          facilities: ['community_integrated_service_station'],
          conditions: [{ kind: 'min_area', value: 350 }, { kind: 'm2_per_100_households' }],
        },
        { id: 'station', facilities: ['kindergarten'] },
        { id: 'ramps', conditions: [{ kind: 'attribute', property: 'barrier_free' }] },
      ],
      indicators: [{ id: 'x', kind: 'pass_share', requirement: 'nursery', target: 0.6 }],
      access: [{ id: 'a', facilities: ['nursery_childcare'], decay: { kind: 'gaussian', sigma_m: 0 } }],
    });
    expect(profile).toBeNull();
    expect(problems).toEqual([
      {
        path: 'requirements.kindergarten.facilities[0]',
        reason: expect.stringMatching(
          /^unknown facility type 'kindergarden' \(did you mean kindergarten.*\); add it to the catalog with --catalog, or use one of: nursery_childcare, kindergarten, /,
        ),
      },
      { path: 'requirements.kindergarten.radius_m', reason: 'expected a positive number, got -300' },
      {
        path: 'requirements.station.conditions[0].kind',
        reason:
          'expected one of min_building_area_m2, m2_per_100_households, m2_per_resident, per_1000, share_of_floor_area, facility_ratio, attribute, got "min_area"',
      },
      { path: 'requirements.station.conditions[1].value', reason: 'expected a positive number, got nothing' },
      { path: 'requirements.station.id', reason: "id 'station' appears twice" },
      {
        path: 'requirements.ramps.conditions[0]',
        reason: 'an attribute condition needs "equals" (e.g. true) or "min" (a number)',
      },
      {
        path: 'indicators.x.requirement',
        reason: "no requirement 'nursery' in this profile. Use one of: kindergarten, station, ramps",
      },
      { path: 'access.a.decay.sigma_m', reason: 'expected a positive number, got 0' },
      { path: 'colour', reason: 'unknown field' },
      { path: 'min_covered_share', reason: 'expected a share between 0 and 1, got 1.5' },
    ]);
  });

  it('report an unknown or looping base profile', () => {
    expect(parseProfile({ id: 'x', extends: 'gb-50180' }).problems).toEqual([
      {
        path: 'extends',
        reason: "unknown profile 'gb-50180'. Use one of: gb50180-2018, complete-community, pingliang-2025",
      },
    ]);
    const resolve = (id: string) => ({ a: { id: 'a', extends: 'b' }, b: { id: 'b', extends: 'a' } })[id];
    expect(parseProfile({ id: 'c', extends: 'a' }, { resolve }).problems).toEqual([
      { path: "extends (in 'b')", reason: 'profiles extend each other in a loop: a → b → a' },
    ]);
    expect(parseProfile('complete-community').problems).toEqual([
      { path: '(profile)', reason: 'expected a JSON object, got "complete-community"' },
    ]);
  });
});
