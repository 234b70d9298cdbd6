// Property tests of checkStandards on small random towns with the small-town test profile: adding a
// facility never turns a pass into a fail (or into unknown), and every shortfall is zero exactly
// when its target is met.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE, metresPerDegreeLon } from '../geodesy/index.js';
import { parseProfile } from '../standards/profile.js';
import { checkStandards } from './check.js';
import type { ComplianceResult } from './types.js';

const CENTRE = { lon: 106.66, lat: 35.54 };
const M_LON = metresPerDegreeLon(CENTRE.lat);
const RUNS = { seed: 20251, numRuns: 40 };
const profile = parseProfile(
  JSON.parse(
    readFileSync(new URL('../../../../fixtures/standards/small-town/profile.json', import.meta.url), 'utf8'),
  ),
).profile!;

const point = (x: number, y: number) => ({
  type: 'Point',
  coordinates: [CENTRE.lon + x / M_LON, CENTRE.lat + y / METRES_PER_DEGREE],
});

const community = fc.record({
  x: fc.integer({ min: 0, max: 1500 }),
  y: fc.integer({ min: 0, max: 1500 }),
  population: fc.integer({ min: 100, max: 3000 }),
  households: fc.option(fc.integer({ min: 30, max: 1000 }), { freq: 8 }),
  children: fc.integer({ min: 0, max: 100 }),
  barrier: fc.constantFrom(true, false, undefined),
  floor: fc.option(fc.integer({ min: 5000, max: 100000 }), { freq: 2 }),
});
const facility = fc.record({
  x: fc.integer({ min: 0, max: 1500 }),
  y: fc.integer({ min: 0, max: 1500 }),
  type: fc.constantFrom('community_integrated_service_station', 'nursery_childcare', 'kindergarten'),
  area: fc.option(fc.integer({ min: 50, max: 800 }), { freq: 4 }),
  capacity: fc.option(fc.integer({ min: 0, max: 60 }), { freq: 4 }),
});
type CommunitySpec = typeof community extends fc.Arbitrary<infer T> ? T : never;
type FacilitySpec = typeof facility extends fc.Arbitrary<infer T> ? T : never;

/** A FeatureCollection of points at each item's x, y, with the properties `properties` gives it. */
function pointCollection<Item extends { x: number; y: number }>(
  items: Item[],
  properties: (item: Item, index: number) => Record<string, unknown>,
) {
  return {
    type: 'FeatureCollection',
    features: items.map((item, i) => ({
      type: 'Feature',
      properties: properties(item, i),
      geometry: point(item.x, item.y),
    })),
  };
}

function town(communities: CommunitySpec[], facilities: FacilitySpec[]) {
  return {
    communities: pointCollection(communities, (c, i) => ({
      id: `C${i}`,
      district: i % 2 === 0 ? '东区' : '西区',
      population: c.population,
      ...(c.households === null ? {} : { households: c.households }),
      children_0_3: c.children,
      ...(c.barrier === undefined ? {} : { barrier_free: c.barrier }),
      public_activity_space_m2: 200,
      ...(c.floor === null ? {} : { floor_area_m2: c.floor }),
    })),
    facilities: pointCollection(facilities, (f, i) => ({
      id: `F${i}`,
      type: f.type,
      ...(f.area === null ? {} : { area_m2: f.area }),
      ...(f.capacity === null ? {} : { capacity: f.capacity }),
    })),
  };
}

const check = (communities: CommunitySpec[], facilities: FacilitySpec[]): ComplianceResult =>
  checkStandards(town(communities, facilities), profile, { estimateFacilities: false });

describe('checkStandards properties', () => {
  it('never turns a passing item into a failing or unknown one when a facility is added', () => {
    fc.assert(
      fc.property(
        fc.array(community, { minLength: 1, maxLength: 6 }),
        fc.array(facility, { minLength: 1, maxLength: 8 }),
        facility,
        (communities, facilities, added) => {
          const before = check(communities, facilities);
          const after = check(communities, [...facilities, added]);
          before.communities.forEach((c, k) => {
            c.items.forEach((item, i) => {
              if (item.status === 'pass')
                expect(after.communities[k]!.items[i]!.status, `${c.record.id} ${item.id}`).toBe('pass');
            });
            if (c.completeness === 'complete') expect(after.communities[k]!.completeness).toBe('complete');
            expect(after.communities[k]!.passed).toBeGreaterThanOrEqual(c.passed);
          });
        },
      ),
      RUNS,
    );
  });

  it('gives a zero shortfall exactly when a target or condition is met', () => {
    fc.assert(
      fc.property(
        fc.array(community, { minLength: 1, maxLength: 6 }),
        fc.array(facility, { maxLength: 8 }),
        (communities, facilities) => {
          const result = check(
            communities,
            facilities.length > 0
              ? facilities
              : [{ x: 0, y: 0, type: 'kindergarten', area: null, capacity: null }],
          );
          for (const area of [...result.districts, result.city]) {
            for (const i of Object.values(area.indicators)) {
              if (i.met === null) continue;
              expect(i.shortfall === 0, i.id).toBe(i.met);
              if (!i.met) expect(i.shortfall).toBeGreaterThanOrEqual(1);
            }
          }
          for (const c of result.communities) {
            for (const item of c.items) {
              for (const condition of item.conditions) {
                if (condition.shortfall === null) continue;
                expect(condition.shortfall === 0, `${c.record.id} ${item.id} ${condition.kind}`).toBe(
                  condition.status === 'pass',
                );
              }
            }
          }
        },
      ),
      RUNS,
    );
  });
});
