import { describe, expect, it } from 'vitest';
import type { DemandPoints } from '../demand/index.js';
import type { CommunityRecord } from '../validate/features.js';
import { groupDemand } from './demand.js';

// Two communities: c0 has two demand points (300 + 100 residents), c1 one (600 residents).
const demand: DemandPoints = {
  coords: new Float64Array(6),
  owner: Uint32Array.of(0, 0, 1),
  ownerCount: 2,
  weight: Float64Array.of(300, 100, 600),
  sourceIndex: Int32Array.of(-1, -1, -1),
  method: ['grid', 'point'],
};
const record = (index: number, households: number, properties: Record<string, unknown>) =>
  ({ index, id: `c${index}`, households, properties }) as unknown as CommunityRecord;

describe('groupDemand', () => {
  it('spreads a community group over its demand points like its residents', () => {
    const g = groupDemand(
      demand,
      [record(0, 150, { children_0_3: 12 }), record(1, 200, { children_0_3: '18' })],
      {
        kind: 'property',
        property: 'children_0_3',
        fallback_share: null,
      },
    );
    expect([...g.community]).toEqual([12, 18]);
    expect([...g.point]).toEqual([9, 3, 18]);
    expect([...g.estimated]).toEqual([0, 0]);
  });

  it('leaves a missing figure unknown, estimating it only for shared denominators', () => {
    const g = groupDemand(demand, [record(0, 100, {}), record(1, Number.NaN, {})], { kind: 'households' });
    expect(g.community[0]).toBe(100);
    expect(Number.isNaN(g.community[1]!)).toBe(true);
    expect([...g.estimated]).toEqual([0, 1]);
    // c1 takes c0's 100 households per 400 residents: 150.
    expect(g.point[2]).toBe(150);
    expect([...g.spread]).toEqual([100, 150]);
  });

  it('uses the fallback share of residents the profile gives, and nothing for unbuilt communities', () => {
    const g = groupDemand(
      demand,
      [record(0, 1, {}), record(1, 1, { children_0_3: 30 })],
      { kind: 'property', property: 'children_0_3', fallback_share: 0.05 },
      [1, 0],
    );
    expect([...g.community]).toEqual([20, 0]);
    expect([...g.estimated]).toEqual([1, 0]);
    expect([...g.point]).toEqual([15, 5, 0]);
  });
});
