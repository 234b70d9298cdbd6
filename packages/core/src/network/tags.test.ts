import { describe, expect, it } from 'vitest';
import { isWalkable, notWalkableReason, onewayDirection } from './tags.js';
import { metresToMinutes, minutesToMetres, WALKING_SPEED_KMH } from './walking.js';

describe('isWalkable', () => {
  it.each([
    [{}, true],
    [{ highway: 'residential' }, true],
    [{ highway: 'footway' }, true],
    [{ highway: 'Primary ' }, true],
    [{ highway: 'motorway' }, false],
    [{ highway: 'motorway_link' }, false],
    [{ highway: 'motorway', sidewalk: 'both' }, false],
    [{ highway: 'motorway', foot: 'yes' }, true],
    [{ highway: 'trunk' }, false],
    [{ highway: 'trunk_link' }, false],
    [{ highway: 'trunk', sidewalk: 'both' }, true],
    [{ highway: 'trunk', 'sidewalk:left': 'yes' }, true],
    [{ highway: 'trunk', sidewalk: 'no' }, false],
    [{ highway: 'trunk', footway: 'sidewalk' }, true],
    [{ highway: 'trunk', foot: 'designated' }, true],
    [{ highway: 'construction' }, false],
    [{ highway: 'footway', foot: 'no' }, false],
    [{ highway: 'service', access: 'no' }, false],
    [{ highway: 'service', access: 'no', foot: 'yes' }, true],
    [{ highway: 'service', access: 'private' }, true],
  ] as const)('%j → %s', (properties, expected) => {
    expect(isWalkable(properties)).toBe(expected);
  });
});

describe('onewayDirection', () => {
  it.each([
    [{}, 'both'],
    [{ oneway: 'yes' }, 'forward'],
    [{ oneway: true }, 'forward'],
    [{ oneway: 1 }, 'forward'],
    [{ oneway: '-1' }, 'backward'],
    [{ oneway: 'no' }, 'both'],
    [{ oneway: 'reversible' }, 'both'],
    [{ junction: 'roundabout' }, 'forward'],
    [{ oneway: 'yes', 'oneway:foot': 'no' }, 'both'],
    [{ 'oneway:foot': 'yes' }, 'forward'],
  ] as const)('%j → %s', (properties, expected) => {
    expect(onewayDirection(properties)).toBe(expected);
  });
});

describe('walking speed', () => {
  it('walks 75 m a minute at the default 4.5 km/h: 5, 10, 15 minutes are 375, 750, 1,125 m', () => {
    expect(WALKING_SPEED_KMH).toBe(4.5);
    expect([5, 10, 15].map((m) => minutesToMetres(m))).toEqual([375, 750, 1125]);
    expect(metresToMinutes(750)).toBe(10);
    expect(minutesToMetres(15, 4)).toBe(1000);
    expect(metresToMinutes(minutesToMetres(7.3, 3.6), 3.6)).toBeCloseTo(7.3, 12);
  });

  it('throws on a speed that is not positive, naming it', () => {
    expect(() => minutesToMetres(5, 0)).toThrowError(
      'Walking speed must be a positive number of km/h, got 0.',
    );
    expect(() => metresToMinutes(5, Number.NaN)).toThrowError('got NaN');
  });
});

describe('notWalkableReason', () => {
  it('names the closing tag', () => {
    expect(notWalkableReason({ highway: 'motorway' })).toBe('highway=motorway');
    expect(notWalkableReason({ highway: 'motorway', sidewalk: 'both' })).toBe('highway=motorway');
    expect(notWalkableReason({ highway: 'trunk' })).toBe('highway=trunk');
    expect(notWalkableReason({ highway: 'trunk', sidewalk: 'right' })).toBeNull();
    expect(notWalkableReason({ highway: 'footway', foot: 'no' })).toBe('foot=no');
    expect(notWalkableReason({ highway: 'service', access: 'no' })).toBe('access=no');
    expect(notWalkableReason({ highway: 'service', access: 'no', foot: 'yes' })).toBeNull();
    expect(notWalkableReason({})).toBeNull();
  });
});
