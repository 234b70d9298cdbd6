import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FacilityCatalog, parseCatalogTypes } from './catalog.js';

// The standards facts live beside the repository (../shared/standards); CI lays a copy there.
const standardsPath = new URL('../../../../../shared/standards/standards.json', import.meta.url);
const hasStandards = existsSync(standardsPath);

interface StandardRecord {
  id: string;
  tier: string;
  max_walk_distance_m: number | null;
  required_in_complete_community: boolean;
}

describe('built-in catalog', () => {
  const catalog = FacilityCatalog.builtIn();

  it('resolves ids, Chinese names and aliases, ignoring case and separators', () => {
    expect(catalog.resolve('托儿所')?.id).toBe('nursery_childcare');
    expect(catalog.resolve('托育')?.id).toBe('nursery_childcare');
    expect(catalog.resolve(' Kindergarten ')?.id).toBe('kindergarten');
    expect(catalog.resolve('菜市场')?.id).toBe('fresh_market');
    expect(catalog.resolve('community-health-station')?.id).toBe('community_health_station');
    expect(catalog.resolve('spaceport')).toBeUndefined();
  });

  it('never lets one type alias another type id or name', () => {
    for (const type of catalog.types) {
      expect(catalog.resolve(type.id)).toBe(type);
      expect(catalog.resolve(type.name_zh)).toBe(type);
    }
  });

  it('marks every radius with where it comes from', () => {
    for (const type of catalog.types) {
      expect(['standard', 'unverified', 'assumed']).toContain(type.radius_status);
      expect(type.radius_m).toBeGreaterThan(0);
    }
  });

  it.runIf(hasStandards)('agrees with the standards facts wherever they give a figure', () => {
    const records = JSON.parse(readFileSync(standardsPath, 'utf8')) as StandardRecord[];
    const byId = new Map(records.map((r) => [r.id, r]));
    for (const type of catalog.types) {
      if (type.standard_id === null) continue;
      const record = byId.get(type.standard_id);
      expect(record, `standard record ${type.standard_id}`).toBeDefined();
      expect(type.tier).toBe(record!.tier);
      expect(type.required_in_complete_community).toBe(record!.required_in_complete_community);
      if (record!.max_walk_distance_m !== null) {
        expect(type.radius_m).toBe(record!.max_walk_distance_m);
        expect(type.radius_status).toBe('standard');
      } else {
        expect(type.radius_status).not.toBe('standard');
      }
    }
  });

  it('sets a radius as the user asked, or adds a custom type', () => {
    const changed = catalog.withRadius('幼儿园', 500).withRadius('library', 800);
    expect(changed.get('kindergarten')).toMatchObject({ radius_m: 500, radius_status: 'user' });
    expect(changed.resolve('library')).toMatchObject({ radius_m: 800, radius_status: 'user' });
    expect(catalog.get('kindergarten')?.radius_m).toBe(300);
    expect(() => catalog.withRadius('kindergarten', -1)).toThrowError(
      "Radius for 'kindergarten' must be a positive number of metres, got -1.",
    );
  });

  it('suggests close type ids for a misspelt type', () => {
    expect(catalog.suggest('kindergarden')).toContain('kindergarten');
    expect(catalog.suggest('zzz')).toEqual([]);
  });
});

describe('parseCatalogTypes', () => {
  it('names the type and the field of every problem', () => {
    const { types, problems } = parseCatalogTypes({
      types: [
        { id: 'library', radius_m: 800 },
        { id: 'pool', radius_m: 'far' },
        { radius_m: 100 },
        { id: 'x', radius_m: 1, tier: '7min' },
      ],
    });
    expect(types.map((t) => t.id)).toEqual(['library']);
    expect(problems).toEqual([
      { index: 1, id: 'pool', field: 'radius_m', reason: 'expected a positive number of metres, got "far"' },
      { index: 2, id: null, field: 'id', reason: 'expected a non-empty string' },
      {
        index: 3,
        id: 'x',
        field: 'tier',
        reason: 'expected one of block, 5min, 10min, 15min, street, got "7min"',
      },
    ]);
  });

  it('asks for a types array', () => {
    expect(parseCatalogTypes(42).problems[0]?.reason).toBe('expected an object with a "types" array');
  });
});
