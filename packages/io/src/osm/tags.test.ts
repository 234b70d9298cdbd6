import { isWalkable } from '@lifecircle/core/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOsmFacility, OSM_WALKABLE_HIGHWAYS, osmWayExclusion } from './tags.js';

const highways = [
  ...OSM_WALKABLE_HIGHWAYS,
  'motorway',
  'motorway_link',
  'construction',
  'bus_stop',
  'platform',
];
const optional = (values: string[]) => fc.option(fc.constantFrom(...values), { nil: undefined });
const tagSets = fc
  .record({
    highway: optional(highways),
    foot: optional(['yes', 'no', 'designated', 'permissive', 'use_sidepath']),
    access: optional(['yes', 'no', 'private', 'destination', 'customers']),
    sidewalk: optional(['both', 'no', 'separate']),
  })
  .map(
    (tags) =>
      Object.fromEntries(Object.entries(tags).filter(([, v]) => v !== undefined)) as Record<string, string>,
  );

describe('osmWayExclusion', () => {
  it('never keeps a way core would not walk, and names a reason for every way it leaves out', () => {
    fc.assert(
      fc.property(tagSets, (tags) => {
        const exclusion = osmWayExclusion(tags);
        if (tags.highway === undefined) expect(exclusion).toBeUndefined();
        else if (exclusion === null) expect(isWalkable(tags)).toBe(true);
        else expect(exclusion).toMatch(/^(foot|access|highway)=/);
        // Core's rule closing a way is always one of the reader's reasons.
        if (tags.highway !== undefined && !isWalkable(tags)) expect(exclusion).not.toBeNull();
      }),
    );
  });

  it('follows the brief on the common cases', () => {
    expect(osmWayExclusion({ highway: 'motorway', foot: 'yes' })).toBeNull();
    expect(osmWayExclusion({ highway: 'trunk' })).toBe('highway=trunk');
    expect(osmWayExclusion({ highway: 'trunk', sidewalk: 'both' })).toBeNull();
    expect(osmWayExclusion({ highway: 'footway', access: 'private', foot: 'yes' })).toBeNull();
    expect(osmWayExclusion({ highway: 'residential', access: 'private' })).toBe('access=private');
    expect(osmWayExclusion({ highway: 'cycleway' })).toBe('highway=cycleway without foot access');
    expect(osmWayExclusion({ highway: 'bus_stop' })).toBe('highway=bus_stop');
    expect(osmWayExclusion({ highway: 'pedestrian', area: 'yes' })).toBeNull();
  });
});

describe('isOsmFacility', () => {
  it('takes facility keys and leaves street furniture out', () => {
    expect(isOsmFacility({ amenity: 'kindergarten' })).toBe(true);
    expect(isOsmFacility({ shop: 'supermarket' })).toBe(true);
    expect(isOsmFacility({ leisure: 'fitness_station' })).toBe(true);
    expect(isOsmFacility({ amenity: 'parking' })).toBe(false);
    expect(isOsmFacility({ amenity: 'toilets', healthcare: 'clinic' })).toBe(true);
    expect(isOsmFacility({ building: 'school', 'isced:level': '1' })).toBe(false);
  });
});
