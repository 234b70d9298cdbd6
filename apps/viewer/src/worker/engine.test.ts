import { readFileSync } from 'node:fs';
import { analyzeCoverage, GreatCircleSource } from '@lifecircle/core';
import type { FeatureCollection } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { candidateSites, Engine, packAnalysis, ViewerError } from './engine.js';
import type { AnalysisPayload, InputFile } from './protocol.js';
import { findMaximalCovering, findSetCovering } from './siting.js';

const fixture = (name: string) => new URL(`../../../../fixtures/pingliang/${name}`, import.meta.url);
const bytes = (name: string) => {
  const b = readFileSync(fixture(name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const json = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as FeatureCollection;
const files = (): InputFile[] => [
  { role: 'communities', name: 'communities.geojson', bytes: bytes('communities.geojson') },
  { role: 'facilities', name: 'facilities.geojson', bytes: bytes('facilities.geojson') },
];
const OPTIONS = { radii: {}, types: [], includePlanned: false, gapThreshold: 0.5 };
const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

const communities = json('communities.geojson');
const facilities = json('facilities.geojson');
const reference = analyzeCoverage({
  communities,
  facilities,
  files: { communities: 'communities.geojson', facilities: 'facilities.geojson' },
});

let engine: Engine;
let payload: AnalysisPayload;
beforeAll(() => {
  engine = new Engine();
  engine.load(files());
  payload = engine.analyze(OPTIONS);
});

describe('Engine.analyze', () => {
  it('packs exactly what analyzeCoverage computes, community-major per type', () => {
    const T = reference.types.length;
    expect(payload.types.map((t) => t.id)).toEqual(reference.types.map((t) => t.id));
    expect(payload.communities.count).toBe(457);
    expect(payload.summary).toEqual(reference.summary);
    reference.communities.forEach((c, ci) => {
      expect(payload.communities.ids[ci]).toBe(c.record.id);
      expect(payload.communities.population[ci]).toBe(c.population);
      reference.types.forEach((t, ti) => {
        const r = c.types[t.id]!;
        const k = ci * T + ti;
        expect(payload.communities.gap[k]).toBe(r.gap ? 1 : 0);
        expect(payload.communities.within[k]).toBe(r.within_count);
        expect(payload.communities.coveredPop[k]).toBe(r.covered_pop);
        if (r.covered_share === null) expect(payload.communities.share[k]).toBeNaN();
        else expect(payload.communities.share[k]).toBeCloseTo(r.covered_share, 6);
        const f = payload.communities.nearestFacility[k]!;
        expect(f < 0 ? null : payload.facilities.ids[f]).toBe(r.nearest_id);
      });
    });
  });

  it('sends the geometry once per set of inputs, with feature id = community index', () => {
    expect(payload.geometry?.features).toHaveLength(457);
    expect(payload.geometry?.features[5]?.id).toBe(5);
    expect(engine.analyze(OPTIONS).geometry).toBeNull();
  });

  it('names the line and column of a JSON error and keeps the inputs it had', () => {
    const e = new Engine();
    e.load(files());
    const bad = {
      role: 'facilities' as const,
      name: 'f.geojson',
      bytes: encode('{\n "type": "FeatureCollection",\n "features": [,]\n}'),
    };
    expect(() => e.load([bad])).toThrowError(/f\.geojson is not valid JSON at line 3, column \d+/);
    expect(e.analyze(OPTIONS).communities.count).toBe(457);
  });

  it("reports core's message for a file that is not a FeatureCollection", () => {
    const e = new Engine();
    try {
      e.load([{ role: 'communities', name: 'c.json', bytes: encode('[1, 2]') }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ViewerError);
      expect((error as ViewerError).payload.kind).toBe('input');
      expect((error as ViewerError).message).toMatch(/c\.json.*FeatureCollection/);
    }
  });

  it('does not mutate what it packs from', () => {
    const again = packAnalysis(reference, { geometry: true, inputsVersion: 1, timeMs: 0, sitingModels: [] });
    expect(again.geometry?.features[0]?.geometry).toEqual(reference.communities[0]?.record.geometry);
  });
});

describe('Engine.site', () => {
  it("evaluates proposals like analyzeCoverage with the facilities added, each site's own addition in order", () => {
    const proposed = [
      [106.735, 35.553],
      [106.7352, 35.5531],
      [106.76, 35.55],
    ];
    const result = engine.site({
      model: 'evaluate',
      typeId: 'nursery_childcare',
      proposed: Float64Array.from(proposed.flat()),
    });
    const withThem = analyzeCoverage({
      communities,
      facilities: {
        ...facilities,
        features: [
          ...facilities.features,
          ...proposed.map(([lon, lat], i) => ({
            type: 'Feature' as const,
            properties: { id: `P-${i}`, type: 'nursery_childcare' },
            geometry: { type: 'Point' as const, coordinates: [lon!, lat!] },
          })),
        ],
      },
    });
    const after = withThem.coverage.nursery_childcare!.coverage;
    expect(result.coveredAfter).toBeCloseTo(after.coveredPopulation, 6);
    expect(result.coveredBefore).toBeCloseTo(
      reference.coverage.nursery_childcare!.coverage.coveredPopulation,
      6,
    );
    const added = result.sites.reduce((s, x) => s + x.addedPopulation, 0);
    expect(added).toBeCloseTo(result.coveredAfter - result.coveredBefore, 6);
    // The second site stands next to the first: it adds almost nobody after it.
    expect(result.sites[1]!.addedPopulation).toBeLessThan(result.sites[0]!.addedPopulation / 5);
    after.community.coveredShare.forEach((share, c) => {
      if (Number.isNaN(share)) expect(result.shareAfter[c]).toBeNaN();
      else expect(result.shareAfter[c]).toBeCloseTo(share, 5);
    });
  });

  it('generates candidates only where the type leaves residents uncovered', () => {
    const last = { result: reference };
    const { coords } = candidateSites({ kind: 'generated', spacingM: 150 }, last, 'nursery_childcare');
    expect(coords.length / 2).toBeGreaterThan(50);
    const existing = reference.coverage.nursery_childcare!.facilityIndex;
    const fcoords = new Float64Array(existing.length * 2);
    existing.forEach((fi, k) => {
      fcoords[2 * k] = reference.facilities[fi]!.lon;
      fcoords[2 * k + 1] = reference.facilities[fi]!.lat;
    });
    // No candidate sits where an existing facility already covers it (they follow uncovered points).
    const near = new GreatCircleSource({
      coords,
      owner: new Uint32Array(coords.length / 2),
      ownerCount: 1,
    }).reach({ coords: fcoords }, 100);
    const inside = [...near.withinCount].filter((n) => n > 0).length;
    expect(inside / (coords.length / 2)).toBeLessThan(0.05);
  });

  it.runIf(findMaximalCovering() !== null)(
    'runs MCLP and reports the library answer for each ranked site',
    () => {
      const result = engine.site({
        model: 'mclp',
        typeId: 'nursery_childcare',
        k: 5,
        candidates: { kind: 'generated', spacingM: 200 },
      });
      expect(result.sites).toHaveLength(5);
      expect(result.sites.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5]);
      const added = result.sites.reduce((s, x) => s + x.addedPopulation, 0);
      expect(result.coveredBefore + added).toBeCloseTo(result.coveredAfter, 4);
      expect(result.curve[0]!.share).toBeCloseTo(result.coveredBefore / result.population, 6);
      expect(result.curve).toHaveLength(6);
    },
  );

  it.runIf(findSetCovering() !== null)('runs set covering to a target share', () => {
    const result = engine.site({
      model: 'lscp',
      typeId: 'nursery_childcare',
      targetShare: 0.3,
      candidates: { kind: 'generated', spacingM: 200 },
    });
    expect(result.coveredAfter / result.population).toBeGreaterThanOrEqual(0.3 - 1e-9);
    expect(result.sites.length).toBeGreaterThan(0);
  });

  it('refuses a type outside the analysis, naming the valid ones', () => {
    expect(() =>
      engine.site({ model: 'evaluate', typeId: 'spaceport', proposed: new Float64Array(2) }),
    ).toThrowError(/type 'spaceport' is not in this analysis\. Use one of: nursery_childcare/);
  });
});

describe('Engine.export', () => {
  it('writes the same GeoJSON and gap rows as the CLI', () => {
    const geojson = JSON.parse(engine.export('geojson').text) as FeatureCollection;
    expect(geojson.features).toHaveLength(457);
    expect(geojson.features[0]?.properties).toHaveProperty('kindergarten_covered_share');
    const csv = engine.export('csv').text;
    expect(
      csv.startsWith('\ufeffcommunity_id,community_name,district,population,type,type_name_zh,radius_m'),
    ).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(
      1 + reference.communities.reduce((s, c) => s + c.gaps.length, 0),
    );
  });
});
