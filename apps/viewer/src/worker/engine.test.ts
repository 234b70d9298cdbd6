// The worker engine against core: what it packs for the page must be exactly what core computes for
// the same inputs (analyzeCoverage, checkStandards, siteFacilities, catchments), with straight-line
// and walking distance.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeCoverage,
  catchments,
  checkStandards,
  type DistanceSource,
  FacilityCatalog,
  NetworkSource,
  type Origins,
  parseProfile,
  RoadGraph,
  type SiteInput,
  type SiteOptions,
  siteFacilities,
  siteFeatureCollection,
} from '@lifecircle/core';
import { bboxPolygon } from '@turf/turf';
import fc from 'fast-check';
import type { BBox, Feature, FeatureCollection } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
// The CLI's own profile loading, to hold the viewer to its wording.
import { loadProfile } from '../../../../packages/cli/src/options/profile.js';
import { Engine, ViewerError } from './engine.js';
import { MAP_PART_POINTS, MAP_PART_POLYGONS, mapParts, packAnalysis, unpackPolygons } from './pack.js';
import {
  type AnalysisPayload,
  type AnalyzeOptions,
  COMPLETENESS_CODES,
  ITEM_STATUS_CODES,
  type MapParts,
  type ModelRequest,
  NO_SITING_CONSTRAINTS,
  orderByPart,
  packStrings,
  type ReadInputFile,
  type SitingModel,
  stringAt,
} from './protocol.js';

const fixture = (name: string) => new URL(`../../../../fixtures/pingliang/${name}`, import.meta.url);
const bytes = (name: string) => {
  const b = readFileSync(fixture(name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const json = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as FeatureCollection;
const files = (): ReadInputFile[] => [
  { role: 'communities', name: 'communities.geojson', bytes: bytes('communities.geojson') },
  { role: 'facilities', name: 'facilities.geojson', bytes: bytes('facilities.geojson') },
];
const OPTIONS: AnalyzeOptions = { radii: {}, types: [], includePlanned: false, gapThreshold: 0.5 };
const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
/** The map's GeoJSON text of an analysis payload, every part parsed and checked against `partOf`. */
const geoJsonOf = async (data: MapParts | null) => {
  expect(data).not.toBeNull();
  const features: Feature[] = [];
  for (const [part, text] of data!.parts.entries()) {
    expect(text).toBeInstanceOf(Blob);
    for (const feature of (JSON.parse(await text.text()) as FeatureCollection).features) {
      expect(data!.partOf[feature.id as number]).toBe(part);
      features.push(feature);
    }
  }
  return { type: 'FeatureCollection', features } as FeatureCollection;
};

const communities = json('communities.geojson');
const facilities = json('facilities.geojson');
const roads = json('roads.geojson');
const input = {
  communities,
  facilities,
  files: { communities: 'communities.geojson', facilities: 'facilities.geojson' },
};
const reference = analyzeCoverage(input);
const graph = RoadGraph.fromGeoJSON(roads, { file: 'roads.geojson' }).graph;
const walking = (origins: Origins, context: { communityIds: readonly string[] }): DistanceSource =>
  new NetworkSource(graph, origins, { ownerNames: context.communityIds, file: 'communities.geojson' });

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
    expect(payload.distance).toEqual({ kind: 'great-circle', file: null });
    reference.communities.forEach((c, ci) => {
      expect(payload.communities.ids[ci]).toBe(c.record.id);
      expect(payload.communities.population[ci]).toBe(c.population);
      reference.types.forEach((t, ti) => {
        const r = c.types[t.id]!;
        const k = ci * T + ti;
        expect(payload.communities.gap[k]).toBe(r.gap ? 1 : 0);
        expect(payload.communities.within[k]).toBe(r.withinCount);
        expect(payload.communities.coveredPop[k]).toBe(r.coveredPopulation);
        if (r.coveredShare === null) expect(payload.communities.share[k]).toBeNaN();
        else expect(payload.communities.share[k]).toBeCloseTo(r.coveredShare, 6);
        const f = payload.communities.nearestFacility[k]!;
        expect(f < 0 ? null : stringAt(payload.facilities.ids, f)).toBe(r.nearestId);
      });
    });
  });

  it('sends the geometry once per set of inputs, with feature id = community index', async () => {
    const e = new Engine();
    e.load(files());
    const first = e.analyze(OPTIONS);
    const geometry = await geoJsonOf(first.geometry);
    expect(geometry.features).toHaveLength(457);
    expect(geometry.features[5]?.id).toBe(5);
    expect(e.analyze(OPTIONS).geometry).toBeNull();
  });

  it('sends the facilities as map points, one text per type: id = facility index and whether it serves', async () => {
    const e = new Engine();
    e.load(files());
    const payload = e.analyze(OPTIONS);
    const f = payload.facilities;
    expect(payload.facilityPoints).toHaveLength(payload.types.length);
    const seen = new Set<number>();
    let serving = 0;
    for (const [t, text] of payload.facilityPoints.entries()) {
      for (const point of (await geoJsonOf(text)).features) {
        const i = point.id as number;
        if (point.properties?.s === 1) serving++;
        expect(f.typeIndex[i]).toBe(t);
        expect(seen.has(i)).toBe(false);
        seen.add(i);
        expect(point.properties).toEqual({ s: f.serving[i] });
        expect(point.geometry).toEqual({
          type: 'Point',
          coordinates: [f.coords[2 * i], f.coords[2 * i + 1]],
        });
      }
    }
    // Every facility of an analysed type, and only those.
    expect(seen.size).toBe(f.typeIndex.filter((t) => t >= 0).length);
    expect(f.count).toBe(facilities.features.length);
    // Every type's serving facilities are there, planned ones not serving unless asked.
    expect(serving).toBe(reference.facilities.filter((x) => x.status === 'open').length);
  });

  it('names the line and column of a JSON error and keeps the inputs it had', () => {
    const e = new Engine();
    e.load(files());
    const bad = {
      role: 'facilities' as const,
      name: 'f.geojson',
      bytes: encode('{\n "type": "FeatureCollection",\n "features": [,]\n}'),
    };
    expect(() => e.load([bad])).toThrowError(/f\.geojson: is not valid JSON at line 3, column \d+/);
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

  it('does not mutate what it packs from', async () => {
    const again = packAnalysis(reference, {
      geometry: true,
      inputsVersion: 1,
      timeMs: 0,
      distance: { kind: 'great-circle', file: null },
    });
    expect((await geoJsonOf(again.geometry)).features[0]?.geometry).toEqual(
      reference.communities[0]?.record.geometry,
    );
  });
});

describe('Engine.check', () => {
  // A bureau's own profile: the checklist with a wider kindergarten radius and one item dropped.
  const townProfile = {
    id: 'my-town',
    name_zh: '本市目标',
    name_en: 'My town',
    extends: 'complete-community',
    requirements: [{ id: 'kindergarten', radius_m: 1500, radius_status: 'user' }],
  };

  it('checks against a loaded profile file (extends, overrides) exactly as checkStandards does', () => {
    const compliance = engine.check('my-town', undefined, { file: 'town.json', json: townProfile });
    const profile = parseProfile(townProfile).profile!;
    const expected = checkStandards(input, profile);
    expect(compliance.profile.id).toBe('my-town');
    expect(compliance.city.completeShare).toBe(expected.city.completeShare);
    expect(compliance.districts.map((d) => d.completeShareMax)).toEqual(
      expected.districts.map((d) => d.completeShareMax),
    );
    // The override counts: the built-in checklist judges the kindergartens at their own radius.
    const base = checkStandards(input, 'complete-community');
    const radius = (requirements: typeof compliance.requirements) =>
      requirements.find((q) => q.id === 'kindergarten')?.radii.map((r) => r.radius);
    expect(radius(compliance.requirements)).toEqual([1500]);
    expect(radius(base.requirements)).not.toEqual([1500]);
  });

  it("refuses a profile file with problems, each by its field, in the CLI's words", () => {
    const bad = {
      id: 'bad',
      extends: 'complete-community',
      requirements: [{ id: 'kindergarten', radius_m: -5 }],
    };
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    let cli = '';
    try {
      loadProfile(file, FacilityCatalog.builtIn());
    } catch (error) {
      cli = (error as Error).message;
    }
    expect(cli).toMatch(/requirements\.kindergarten\.radius_m: /);
    const viewer = (() => {
      try {
        engine.check('bad', undefined, { file, json: bad });
        return null;
      } catch (error) {
        return error as ViewerError;
      }
    })();
    expect(viewer).toBeInstanceOf(ViewerError);
    expect(viewer!.payload.message).toBe(cli);
  });

  it.each(['complete-community', 'pingliang-2025', 'gb50180-2018'])(
    "packs checkStandards' verdicts and county figures for %s",
    (profile) => {
      const compliance = engine.check(profile);
      const expected = checkStandards(input, profile);
      expect(compliance.profile.id).toBe(profile);
      expect(compliance.city.completeShare).toBe(expected.city.completeShare);
      expect(compliance.city.completeShareMax).toBe(expected.city.completeShareMax);
      expect(compliance.districts.map((d) => [d.name, d.completeShare, d.completeShareMax])).toEqual(
        expected.districts.map((d) => [d.name, d.completeShare, d.completeShareMax]),
      );
      expect(compliance.city.indicators).toEqual(expected.city.indicators);
      const R = expected.requirements.length;
      expect(compliance.requirements.map((r) => r.id)).toEqual(expected.requirements.map((r) => r.id));
      expected.communities.forEach((c, i) => {
        // The profile run keeps every community here (no year given), in the analysis' order.
        expect(payload.communities.ids[i]).toBe(c.record.id);
        expect(COMPLETENESS_CODES[compliance.communities.completeness[i]!]).toBe(c.completeness);
        expect(compliance.communities.failed[i]).toBe(c.failed);
        c.items.forEach((item, k) => {
          expect(ITEM_STATUS_CODES[compliance.communities.status[i * R + k]!]).toBe(item.status);
        });
      });
      const items = engine.items(3);
      expect(items.items).toEqual(expected.communities[3]!.items);
    },
  );

  it('exports the compliance table as the CLI writes it', () => {
    engine.check('complete-community');
    const csv = engine.export('compliance-csv').text;
    expect(
      csv.startsWith('\ufeffcommunity_id,community_name,district,population,households,completeness'),
    ).toBe(true);
    const geojson = JSON.parse(engine.export('compliance-geojson').text) as FeatureCollection;
    expect(geojson.features).toHaveLength(457);
    expect(geojson.features[0]?.properties).toHaveProperty('completeness');
  });

  it('refuses a profile that is not built in, naming the ones there are', () => {
    expect(() => engine.check('iso-37120')).toThrowError(
      /unknown standard profile 'iso-37120'\. Use one of: gb50180-2018, complete-community, pingliang-2025/,
    );
  });
});

/** A siting request of the viewer: four nursery sites on a 200 m grid. */
const request = (model: SitingModel): ModelRequest => ({
  model,
  typeId: 'nursery_childcare',
  k: 4,
  targetShare: 0.3,
  perCommunity: false,
  ratePer1000: 4.5,
  capacityPerSite: 50,
  exact: false,
  candidates: { kind: 'generated', spacingM: 200 },
  constraints: NO_SITING_CONSTRAINTS,
});
/** The library's answer for the same inputs (or `siteInput`) and options as `request`. */
const library = (model: SitingModel, extra: Partial<SiteOptions> = {}, siteInput: SiteInput = input) =>
  siteFacilities(siteInput, {
    type: 'nursery_childcare',
    model,
    ...(model === 'lscp' ? { targetShare: 0.3, perCommunity: false } : { k: 4 }),
    ...(model === 'mclp' || model === 'pmedian' || model === 'capacitated' ? { kMax: 4 } : {}),
    ...(model === 'capacitated' ? { rate: 4.5 / 1000, capacityPerSite: 50 } : {}),
    generate: { spacingM: 200 },
    solve: { exact: false },
    ...extra,
  });

describe('Engine.site', () => {
  it("evaluates proposals like analyzeCoverage with the facilities added, each site's own addition in order", async () => {
    const proposed = [
      [106.735, 35.553],
      [106.7352, 35.5531],
      [106.76, 35.55],
    ];
    const result = await engine.site({
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

  it.each(['mclp', 'lscp', 'pmedian', 'pcenter', 'capacitated'] as const)(
    "runs %s through siteFacilities and reports the library's ranked sites",
    async (model) => {
      const [result, answer] = await Promise.all([engine.site(request(model)), library(model)]);
      expect(result.model).toBe(model);
      expect(result.sites.length).toBe(answer.result.sites.length);
      expect(result.sites.length).toBeGreaterThan(0);
      result.sites.forEach((site, i) => {
        const expected = answer.result.sites[i]!;
        expect(site.rank).toBe(i + 1);
        expect(site.addedPopulation).toBe(expected.addedWeight);
        expect(site.label).toBe(answer.targetIds[expected.candidate]);
        expect([site.lon, site.lat]).toEqual([answer.chosen[i]!.lon, answer.chosen[i]!.lat]);
      });
      expect(result.coveredBefore).toBe(answer.result.coveredBefore);
      expect(result.coveredAfter).toBe(answer.result.coveredAfter);
      expect(result.objective).toEqual({
        before: answer.result.objectiveBefore,
        after: answer.result.objective,
        unit: answer.summary.objectiveUnit,
        capM: answer.summary.parameters.tableBoundM,
      });
      expect(result.curve[0]!.share).toBeCloseTo(result.coveredBefore / result.population, 12);
      expect(result.gapAfter.reduce((s, g) => s + g, 0)).toBe(answer.summary.gapCommunitiesAfter);
      expect(JSON.parse(result.sitesGeojson!)).toEqual(siteFeatureCollection(answer));
      // Why the bound stopped, which the panel prints beside the gap: MCLP's Lagrangian bound only.
      if (model === 'mclp') {
        expect(['proved', 'within-tolerance', 'stalled', 'step-limit', 'time-budget']).toContain(
          result.solver!.boundStop,
        );
      } else expect(result.solver!.boundStop).toBe(answer.result.boundStop);
      // Before the run, the model's figures equal the analysis' own: same demand, same distance
      // (capacitated coverage counts the residents the existing places can serve: no more).
      const analysed = reference.coverage.nursery_childcare!.coverage.coveredPopulation;
      if (model === 'capacitated') expect(result.coveredBefore).toBeLessThanOrEqual(analysed);
      else expect(result.coveredBefore).toBeCloseTo(analysed, 6);
    },
  );

  it('refuses a type outside the analysis, naming the valid ones', async () => {
    await expect(
      engine.site({ model: 'evaluate', typeId: 'spaceport', proposed: new Float64Array(2) }),
    ).rejects.toThrowError(/type 'spaceport' is not in this analysis\. Use one of: nursery_childcare/);
  });

  it('sites on loaded candidates read by core', async () => {
    const e = new Engine();
    e.load(files());
    e.analyze(OPTIONS);
    const candidates = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: 'A' },
          geometry: { type: 'Point', coordinates: [106.735, 35.553] },
        },
        {
          type: 'Feature',
          properties: { id: 'B' },
          geometry: { type: 'Point', coordinates: [106.76, 35.55] },
        },
        { type: 'Feature', properties: { id: 'C' }, geometry: { type: 'LineString', coordinates: [] } },
      ],
    };
    e.load([{ role: 'candidates', name: 'c.geojson', bytes: encode(JSON.stringify(candidates)) }]);
    const result = await e.site({ ...request('mclp'), k: 1, candidates: { kind: 'loaded' } });
    const answer = await siteFacilities(
      { ...input, candidates, files: { ...input.files, candidates: 'c.geojson' } },
      { type: 'nursery_childcare', model: 'mclp', k: 1, kMax: 1, solve: { exact: false } },
    );
    expect(result.sites.map((s) => [s.label, s.addedPopulation])).toEqual(
      answer.result.sites.map((s) => [answer.targetIds[s.candidate], s.addedWeight]),
    );
    // The unusable candidate is reported with its file and index.
    expect(result.warnings.some((w) => w.startsWith('c.geojson #2'))).toBe(true);
  });
});

describe("Engine.site with the CLI's constraints", () => {
  // Each constraint as the viewer asks it and as the CLI's `site` flags give it to siteFacilities;
  // the answers must be the same, and each constraint must change the unconstrained answer.
  const box = (id: string, bounds: readonly number[]) => bboxPolygon(bounds as BBox, { properties: { id } });
  const collection = (...features: object[]) => ({ type: 'FeatureCollection', features });
  const base = request('mclp');
  const labels = (sites: readonly { label: string; addedPopulation: number }[]) =>
    sites.map((s) => [s.label, s.addedPopulation]);
  const libraryLabels = (answer: Awaited<ReturnType<typeof siteFacilities>>) =>
    answer.result.sites.map((s) => [answer.targetIds[s.candidate], s.addedWeight]);
  /** Great-circle metres between two lon/lat points (spacing checks need no more precision). */
  const metres = (a: readonly number[], b: readonly number[]) => {
    const rad = Math.PI / 180;
    const x = (b[0]! - a[0]!) * rad * Math.cos(((a[1]! + b[1]!) / 2) * rad);
    const y = (b[1]! - a[1]!) * rad;
    return Math.hypot(x, y) * 6_371_008.8;
  };

  let free: Awaited<ReturnType<Engine['site']>>;
  const fresh = (...extra: ReadInputFile[]) => {
    const e = new Engine();
    e.load([...files(), ...extra]);
    e.analyze(OPTIONS);
    return e;
  };
  beforeAll(async () => {
    free = await engine.site(base);
  });

  it('keeps new sites apart by the least spacing', async () => {
    const constraints = { ...NO_SITING_CONSTRAINTS, minSpacingM: 1500 };
    const [result, answer] = await Promise.all([
      engine.site({ ...base, constraints }),
      library('mclp', { minSpacingM: 1500 }),
    ]);
    expect(labels(result.sites)).toEqual(libraryLabels(answer));
    expect(labels(result.sites)).not.toEqual(labels(free.sites));
    for (const a of result.sites)
      for (const b of result.sites)
        if (a !== b) expect(metres([a.lon, a.lat], [b.lon, b.lat])).toBeGreaterThanOrEqual(1500);
  });

  it('places the least number of new sites per district', async () => {
    const constraints = { ...NO_SITING_CONSTRAINTS, minPerDistrict: 1 };
    const [result, answer] = await Promise.all([
      engine.site({ ...base, k: 8, constraints }),
      library('mclp', { k: 8, kMax: 8, minPerDistrict: 1 }),
    ]);
    expect(labels(result.sites)).toEqual(libraryLabels(answer));
    expect(result.coveredAfter).toBe(answer.result.coveredAfter);
  });

  it("keeps to the budget over the loaded candidates' cost column", async () => {
    // Candidates at the unconstrained run's sites: the best two cost 3 each, the rest 1 or none.
    const candidates = collection(
      ...free.sites.map((site, i) => ({
        type: 'Feature',
        properties: { id: `S${i}`, ...(i < 2 ? { cost: 3 } : i === 2 ? {} : { cost: 1 }) },
        geometry: { type: 'Point', coordinates: [site.lon, site.lat] },
      })),
    );
    const file = {
      role: 'candidates' as const,
      name: 'costed.geojson',
      bytes: encode(JSON.stringify(candidates)),
    };
    const constraints = { ...NO_SITING_CONSTRAINTS, budget: 4, defaultCost: 2 };
    const [result, answer] = await Promise.all([
      fresh(file).site({ ...base, candidates: { kind: 'loaded' }, constraints }),
      library(
        'mclp',
        { generate: undefined, budget: 4, defaultCost: 2 },
        {
          ...input,
          candidates,
          files: { ...input.files, candidates: 'costed.geojson' },
        },
      ),
    ]);
    expect(labels(result.sites)).toEqual(libraryLabels(answer));
    const cost = (label: string) => ({ S0: 3, S1: 3, S2: 2 })[label] ?? 1;
    expect(result.sites.reduce((sum, s) => sum + cost(s.label), 0)).toBeLessThanOrEqual(4);
    // The candidate without a cost takes the default, and the warning says so.
    expect(result.warnings.some((w) => w.includes('1 candidates have no cost; they cost 2 each'))).toBe(true);
  });

  it('places no site in a loaded excluded area', async () => {
    const [first] = free.sites;
    const area = [first!.lon - 0.003, first!.lat - 0.003, first!.lon + 0.003, first!.lat + 0.003];
    const excluded = collection(box('no-build', area));
    const file = {
      role: 'excluded' as const,
      name: 'excluded.geojson',
      bytes: encode(JSON.stringify(excluded)),
    };
    const [result, answer] = await Promise.all([
      fresh(file).site(base),
      library(
        'mclp',
        {},
        { ...input, excludedAreas: excluded, files: { ...input.files, excludedAreas: 'excluded.geojson' } },
      ),
    ]);
    expect(labels(result.sites)).toEqual(libraryLabels(answer));
    for (const s of result.sites)
      expect(s.lon > area[0]! && s.lon < area[2]! && s.lat > area[1]! && s.lat < area[3]!).toBe(false);
  });

  it('clips generated candidates to a loaded study area, and asks for one when none is loaded', async () => {
    // The east half of the unconstrained sites' extent.
    const lons = free.sites.map((s) => s.lon);
    const lats = free.sites.map((s) => s.lat);
    const middle = (Math.min(...lons) + Math.max(...lons)) / 2;
    const bounds = [middle, Math.min(...lats) - 0.02, Math.max(...lons) + 0.02, Math.max(...lats) + 0.02];
    const study = collection(box('east', bounds));
    const file = {
      role: 'studyArea' as const,
      name: 'study-area.geojson',
      bytes: encode(JSON.stringify(study)),
    };
    const constraints = { ...NO_SITING_CONSTRAINTS, clipToStudyArea: true };
    const [result, answer] = await Promise.all([
      fresh(file).site({ ...base, constraints }),
      library(
        'mclp',
        { generate: { spacingM: 200, clip: 'study-area' } },
        {
          ...input,
          studyArea: study,
          files: { ...input.files, studyArea: 'study-area.geojson' },
        },
      ),
    ]);
    expect(labels(result.sites)).toEqual(libraryLabels(answer));
    expect(labels(result.sites)).not.toEqual(labels(free.sites));
    // Grid points lie in the study area; community centroids stay candidates, as in the CLI.
    const grid = result.sites.filter((s) => s.label.startsWith('grid:'));
    expect(grid.length).toBeGreaterThan(0);
    for (const s of grid) expect(s.lon).toBeGreaterThanOrEqual(middle);
    for (const s of result.sites)
      expect(s.label.startsWith('grid:') || s.label.startsWith('centroid:')).toBe(true);
    await expect(engine.site({ ...base, constraints })).rejects.toThrowError(/load a study area/);
  });
});

describe('walking distance', () => {
  let network: Engine;
  let walked: AnalysisPayload;
  beforeAll(() => {
    network = new Engine();
    const loaded = network.load([
      ...files(),
      { role: 'roads', name: 'roads.geojson', bytes: bytes('roads.geojson') },
    ]);
    expect(loaded.network?.nodes).toBe(graph.nodeCount);
    walked = network.analyze({ ...OPTIONS, distance: 'network' });
  });

  it('analyses with core’s NetworkSource on the loaded roads', () => {
    const expected = analyzeCoverage(input, { distance: walking });
    expect(walked.distance).toEqual({ kind: 'network', file: 'roads.geojson' });
    expect(walked.summary.distance).toBe('network');
    expect(walked.summary.types).toEqual(expected.summary.types);
    // Walking never reaches more residents than the straight line does.
    for (const t of Object.keys(expected.summary.types)) {
      expect(walked.summary.types[t]!.coveredPopulation).toBeLessThanOrEqual(
        reference.summary.types[t]!.coveredPopulation + 1e-6,
      );
    }
  });

  it("draws each facility's walking catchment with core's catchments", () => {
    const shapes = network.catchments('kindergarten');
    const t = reference.types.find((x) => x.id === 'kindergarten')!;
    const index = walkedFacilities(walked, 'kindergarten');
    const expected = catchments(
      graph,
      {
        coords: Float64Array.from(
          index.flatMap((i) => [walked.facilities.coords[2 * i]!, walked.facilities.coords[2 * i + 1]!]),
        ),
        ids: index.map((i) => stringAt(walked.facilities.ids, i)!),
      },
      t.radius_m,
      { mode: 'per-facility', type: 'kindergarten' },
    );
    const unpacked = unpackPolygons(shapes.shapes);
    expect(unpacked.features).toHaveLength(expected.features.length);
    expect(unpacked.features[0]!.id).toBe(index[expected.features[0]!.properties.facility_index]);
    const coordinates = (g: (typeof expected.features)[number]['geometry']) =>
      g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    expect(unpacked.features[0]!.geometry.coordinates).toEqual(coordinates(expected.features[0]!.geometry));
    // A second request is answered from the cache with fresh buffers (the first ones were sent away).
    const again = network.catchments('kindergarten');
    expect(again.shapes.coords).not.toBe(shapes.shapes.coords);
    expect(again.shapes.coords).toEqual(shapes.shapes.coords);
  });

  it('judges profiles and sites with the walking distance', async () => {
    const compliance = network.check('complete-community');
    const expected = checkStandards(input, 'complete-community', { distance: walking });
    expect(compliance.districts.map((d) => d.completeShareMax)).toEqual(
      expected.districts.map((d) => d.completeShareMax),
    );
    const result = await network.site({ ...request('mclp'), k: 3, targetShare: 1 });
    const answer = await siteFacilities(input, {
      type: 'nursery_childcare',
      model: 'mclp',
      k: 3,
      kMax: 3,
      generate: { spacingM: 200 },
      solve: { exact: false },
      distance: walking,
    });
    expect(result.distance.kind).toBe('network');
    expect(result.sites.map((s) => s.addedPopulation)).toEqual(answer.result.sites.map((s) => s.addedWeight));
    expect(result.catchments?.featureIndex.length).toBe(3);
  });

  it('refuses walking distance without a road network', () => {
    const e = new Engine();
    e.load(files());
    expect(() => e.analyze({ ...OPTIONS, distance: 'network' })).toThrowError(/needs a road network/);
  });
});

describe('Engine.export', () => {
  it('writes the same GeoJSON and gap rows as the CLI', () => {
    const e = new Engine();
    e.load(files());
    e.analyze(OPTIONS);
    const geojson = JSON.parse(e.export('geojson').text) as FeatureCollection;
    expect(geojson.features).toHaveLength(457);
    expect(geojson.features[0]?.properties).toHaveProperty('kindergarten_covered_share');
    const csv = e.export('csv').text;
    expect(
      csv.startsWith('\ufeffcommunity_id,community_name,district,population,type,type_name_zh,radius_m'),
    ).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.trim().split('\r\n')).toHaveLength(
      1 + reference.communities.reduce((s, c) => s + c.gaps.length, 0),
    );
  });
});

/** Record indices of the serving facilities of a type, in input order (as the analysis lists them). */
function walkedFacilities(p: AnalysisPayload, typeId: string): number[] {
  const t = p.types.findIndex((x) => x.id === typeId);
  const out: number[] = [];
  for (let i = 0; i < p.facilities.count; i++)
    if (p.facilities.typeIndex[i] === t && p.facilities.serving[i] === 1) out.push(i);
  return out;
}

describe('mapParts', () => {
  const points = (lons: readonly number[]): Feature[] =>
    lons.map((lon, id) => ({
      type: 'Feature',
      id,
      properties: {},
      geometry: { type: 'Point', coordinates: [lon, 35] },
    }));

  it('splits features into strips of longitude of at most perPart, every feature once, in the order given', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        async (lons, perPart) => {
          const features = points(lons);
          const split = mapParts(features, (i) => lons[i]!, perPart);
          const parts = split.parts.length;
          expect(parts).toBe(Math.max(1, Math.ceil(lons.length / perPart)));
          const texts = await Promise.all(split.parts.map(async (b) => JSON.parse(await b.text())));
          const seen: number[] = [];
          texts.forEach((collection: FeatureCollection, part) => {
            const ids = collection.features.map((f) => f.id as number);
            expect(ids.length).toBeLessThanOrEqual(perPart);
            // Equal counts: no part more than one feature bigger than another.
            expect(ids.length).toBeGreaterThanOrEqual(Math.floor(lons.length / parts));
            expect(ids).toEqual([...ids].sort((a, b) => a - b));
            for (const id of ids) expect(split.partOf[id]).toBe(part);
            seen.push(...ids);
          });
          expect(seen.sort((a, b) => a - b)).toEqual(lons.map((_, i) => i));
          // Strips: every feature of a part lies west of (or level with) every one of the next part.
          for (let i = 0; i < lons.length; i++)
            for (let j = 0; j < lons.length; j++)
              if (split.partOf[i]! < split.partOf[j]!) expect(lons[i]!).toBeLessThanOrEqual(lons[j]!);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('orders the features by part, and by id within a part', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 200 }), (parts) => {
        const partOf = Uint16Array.from(parts);
        const brute = parts.map((part, i) => [part, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect([...orderByPart(partOf, 7)]).toEqual(brute.map(([, i]) => i));
      }),
    );
  });

  it('gives the facilities of a type their own parts: each type holds its points and nothing else', async () => {
    const e = new Engine();
    e.load(files());
    const payload = e.analyze(OPTIONS);
    payload.facilityPoints.forEach((points, t) => {
      expect(points.partOf).toHaveLength(payload.facilities.count);
      expect(points.parts.length).toBe(
        Math.max(1, Math.ceil(payload.facilities.typeIndex.filter((x) => x === t).length / MAP_PART_POINTS)),
      );
    });
    expect(payload.geometry!.parts).toHaveLength(Math.ceil(payload.communities.count / MAP_PART_POLYGONS));
  });
});

describe('packStrings', () => {
  it('gives back every string and null as given', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: null })), (values) => {
        const packed = packStrings(values);
        expect(values.map((_, i) => stringAt(packed, i))).toEqual(values);
        expect(stringAt(packed, values.length)).toBeUndefined();
        expect(stringAt(packed, -1)).toBeUndefined();
      }),
    );
  });
});
