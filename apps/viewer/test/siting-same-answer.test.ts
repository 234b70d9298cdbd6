// The viewer's siting gives the same answer as the library (issue #15): for every constraint the CLI's
// `site` takes (budget over per-candidate costs, least spacing, least new sites per district, excluded
// areas, clipping generated candidates to a study area), the panel is set as a planner would set it,
// the viewer's siting runs in its worker in Chromium, and `siteFacilities` runs here in Node on the
// same inputs: the ranked sites, what each adds and the covered residents must be identical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCoverage, type SiteInput, type SiteOptions, siteFacilities } from '@lifecircle/core';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centre, metres } from './geometry.js';
import * as harness from './harness.js';

const { VIEWER_ROOT, waitAnalysed, waitMapIdle } = harness;

/** The machine is shared: the first analysis and each siting run can take minutes under load. */
const SLOW = 300_000;
const TYPE = 'nursery_childcare';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(VIEWER_ROOT, '../../fixtures/pingliang', name), 'utf8')) as FeatureCollection;
const pingliang = { communities: fixture('communities.geojson'), facilities: fixture('facilities.geojson') };
const reference = analyzeCoverage(pingliang);
const radiusM = reference.types.find((t) => t.id === TYPE)!.radius_m;

/** Candidates at the centres of communities with a childcare gap; costs 1–4, every fifth has none. */
const candidates: FeatureCollection = {
  type: 'FeatureCollection',
  features: reference.communities
    .filter((c) => c.types[TYPE]!.gap)
    .slice(0, 80)
    .map((c, i) => ({
      type: 'Feature',
      properties: { id: `cand-${i + 1}`, ...(i % 5 === 4 ? {} : { cost: 1 + (i % 4) }) },
      geometry: { type: 'Point', coordinates: centre(c.record.geometry) },
    })),
};

let session: harness.ViewerSession | undefined;
let page: Page;

beforeAll(async () => {
  session = await harness.startAnalysedViewer('?lang=en', SLOW);
  page = session.page;
  await page.getByTestId('candidate-input').setInputFiles(jsonFile('candidates.geojson', candidates));
  await page.getByTestId('candidates-loaded').and(page.locator(':enabled')).waitFor({ timeout: SLOW });
  await page.getByTestId('siting-type').selectOption(TYPE);
  await page.getByTestId('siting-model').selectOption('mclp');
}, SLOW);

afterAll(() => harness.stopViewer(session));

function jsonFile(name: string, value: unknown) {
  return { name, mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(value)) };
}

/** The panel's constraints set back to none. */
async function clearConstraints(): Promise<void> {
  await page.getByTestId('siting-budget-on').uncheck();
  await page.getByTestId('siting-min-spacing').fill('0');
  await page.getByTestId('siting-min-per-district').fill('0');
  const clip = page.getByTestId('siting-clip-study-area');
  if (await clip.isEnabled()) await clip.uncheck();
}

/** Runs the viewer's siting and reads its answer: sites ranked (label, added) and the residents covered. */
async function viewerAnswer(): Promise<{ sites: [string, number][]; before: number; after: number }> {
  const runsBefore = await page.evaluate(() => (window as unknown as Runs).lifecircle.state.siteResult);
  await page.getByTestId('run-siting').click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as Runs).lifecircle.state.siteResult), {
      timeout: SLOW,
    })
    .not.toBe(runsBefore);
  await waitAnalysed(page, SLOW);
  const results = page.getByTestId('siting-results');
  const sites = await page
    .getByTestId('site-row')
    .evaluateAll((trs) =>
      trs.map((tr) => [tr.dataset.label ?? '', Number(tr.dataset.added)] as [string, number]),
    );
  return {
    sites,
    before: Number(await results.getAttribute('data-covered-before')),
    after: Number(await results.getAttribute('data-covered-after')),
  };
}
type Runs = { lifecircle: { state: { siteResult: unknown } } };

async function libraryAnswer(
  input: Partial<SiteInput>,
  options: Partial<SiteOptions>,
): Promise<{ sites: [string, number][]; before: number; after: number }> {
  const answer = await siteFacilities(
    { ...pingliang, ...input },
    { type: TYPE, model: 'mclp', radiusM, solve: { exact: false }, ...options },
  );
  return {
    sites: answer.result.sites.map((s) => [answer.targetIds[s.candidate]!, s.addedWeight]),
    before: answer.result.coveredBefore,
    after: answer.result.coveredAfter,
  };
}

const loaded = { candidates, files: { candidates: 'candidates.geojson' } };

function box(west: number, south: number, east: number, north: number): Feature<Polygon> {
  return {
    type: 'Feature',
    properties: {},
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [west, south],
          [east, south],
          [east, north],
          [west, north],
          [west, south],
        ],
      ],
    },
  };
}

/** A box of ±`m` metres around a point. */
function around([lon, lat]: readonly [number, number], m: number): Feature<Polygon> {
  const dLat = m / 111_320;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  return box(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
}

describe('the same siting answer as the library, for every constraint', () => {
  it(
    'a budget over the candidates’ own costs (a candidate without one takes the default cost)',
    async () => {
      await clearConstraints();
      await page.getByTestId('candidates-loaded').check();
      await page.getByTestId('siting-k').fill('6');
      await page.getByTestId('siting-budget-on').check();
      await page.getByTestId('siting-budget').fill('6');
      await page.getByTestId('siting-default-cost').fill('2');
      const shown = await viewerAnswer();
      const library = await libraryAnswer(loaded, { k: 6, kMax: 6, budget: 6, defaultCost: 2 });
      expect(shown.sites.length).toBeGreaterThan(0);
      expect(shown).toEqual(library);
      // The budget binds: without it the same run places other sites.
      expect(shown).not.toEqual(await libraryAnswer(loaded, { k: 6, kMax: 6 }));
    },
    SLOW,
  );

  it(
    'a least spacing between new sites',
    async () => {
      await clearConstraints();
      await page.getByTestId('candidates-loaded').check();
      await page.getByTestId('siting-k').fill('6');
      await page.getByTestId('siting-min-spacing').fill('1500');
      const shown = await viewerAnswer();
      const library = await libraryAnswer(loaded, { k: 6, kMax: 6, minSpacingM: 1500 });
      expect(shown.sites.length).toBeGreaterThan(0);
      expect(shown).toEqual(library);
      expect(shown).not.toEqual(await libraryAnswer(loaded, { k: 6, kMax: 6 }));
    },
    SLOW,
  );

  it(
    'a least number of new sites in every district (generated candidates)',
    async () => {
      await clearConstraints();
      await page.getByTestId('candidates-generated').check();
      await page.getByTestId('siting-k').fill('14');
      await page.getByTestId('siting-min-per-district').fill('2');
      const shown = await viewerAnswer();
      const library = await libraryAnswer({}, { k: 14, kMax: 14, minPerDistrict: 2 });
      expect(shown.sites.length).toBe(14);
      expect(shown).toEqual(library);
      // Two in each of the seven districts is not what the unconstrained run picks.
      expect(shown).not.toEqual(await libraryAnswer({}, { k: 14, kMax: 14 }));
    },
    SLOW,
  );

  it(
    'excluded areas drawn on the map, one by keyboard and one by mouse, apply as a loaded file does',
    async () => {
      await clearConstraints();
      await page.getByTestId('candidates-loaded').check();
      await page.getByTestId('siting-k').fill('6');
      const free = await libraryAnswer(loaded, { k: 6, kMax: 6 });
      const boxes = free.sites.slice(0, 2).map(([label]) => around(candidateAt(label), 300));
      const corners = (b: Feature<Polygon>) => b.geometry.coordinates[0]!.slice(0, 4) as [number, number][];
      // By keyboard: the map is panned until its centre (the cross) is on a corner, then the button.
      await page.getByTestId('draw-area').press('Enter');
      for (const corner of corners(boxes[0]!)) {
        // In braces: jumpTo returns the map, which the page would serialise for tens of seconds.
        await page.evaluate((c) => {
          (window as unknown as MapHandle).lifecircle.mapView.map.jumpTo({ center: c, zoom: 15 });
        }, corner);
        await page.getByTestId('add-corner').press('Enter');
      }
      expect(await page.getByTestId('draft-corners').textContent()).toContain('4');
      await page.getByTestId('finish-area').press('Enter');
      // By mouse: clicks on the map at the corners. The box is brought to the map's upper right,
      // clear of the legend at the lower left (a click on the legend is no click on the map).
      await page.getByTestId('draw-area').click();
      await page.evaluate((c) => {
        const map = (window as unknown as MapHandle).lifecircle.mapView.map;
        map.jumpTo({ center: c, zoom: 15 });
        const { width, height } = map.getContainer().getBoundingClientRect();
        map.panBy([-0.15 * width, 0.15 * height], { animate: false });
      }, centre(boxes[1]!.geometry));
      await waitMapIdle(page, SLOW);
      const mapBox = (await page.getByTestId('map').boundingBox())!;
      for (const [i, corner] of corners(boxes[1]!).entries()) {
        const at = await page.evaluate(
          (c) => (window as unknown as MapHandle).lifecircle.mapView.map.project(c),
          corner,
        );
        const [x, y] = [mapBox.x + at.x, mapBox.y + at.y];
        // What the pointer lands on is the map itself, not something drawn over it.
        expect(
          await page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.className, [x, y]),
          `corner ${i + 1}`,
        ).toContain('maplibregl-canvas');
        await page.mouse.click(x, y);
        await expect.poll(() => page.getByTestId('draft-corners').textContent()).toContain(String(i + 1));
      }
      await page.getByTestId('finish-area').click();
      expect(await page.getByTestId('drawn-area').count()).toBe(2);
      expect(await page.getByTestId('drawn-area').last().textContent()).toContain('4 corners');
      const drawn = await page.evaluate(
        () => (window as unknown as MapHandle).lifecircle.state.siting.constraints.excludedDrawn,
      );
      // The keyboard's corners are where the map was centred; a click is within a pixel (~5 m at zoom 15).
      expect(drawn[0]).toEqual(
        corners(boxes[0]!).map(([x, y]) => [expect.closeTo(x, 9), expect.closeTo(y, 9)]),
      );
      for (const [i, p] of drawn[1]!.entries()) expect(metres(p, corners(boxes[1]!)[i]!)).toBeLessThan(8);
      const shown = await viewerAnswer();
      const asDrawn: FeatureCollection = {
        type: 'FeatureCollection',
        features: drawn.map((r) => ringBox(r)),
      };
      expect(shown).toEqual(
        await libraryAnswer(
          { ...loaded, excludedAreas: asDrawn, files: { ...loaded.files, excludedAreas: 'drawn.geojson' } },
          { k: 6, kMax: 6 },
        ),
      );
      // The same boxes as a loaded file exclude the same candidates: the same answer.
      const asFile: FeatureCollection = { type: 'FeatureCollection', features: boxes };
      expect(shown).toEqual(
        await libraryAnswer(
          { ...loaded, excludedAreas: asFile, files: { ...loaded.files, excludedAreas: 'excluded.geojson' } },
          { k: 6, kMax: 6 },
        ),
      );
      for (const [label] of free.sites.slice(0, 2)) expect(shown.sites.map(([l]) => l)).not.toContain(label);
      // A corner moved by keyboard (focus it, arrow keys), then both areas removed: the free answer again.
      await page.getByTestId('edit-area').first().press('Enter');
      await expect.poll(() => page.getByTestId('corner-marker').count()).toBe(4);
      await page.getByTestId('corner-marker').first().press('Shift+ArrowLeft');
      const moved = await page.evaluate(
        () => (window as unknown as MapHandle).lifecircle.state.siting.constraints.excludedDrawn[0]![0]!,
      );
      expect(moved[0]).toBeLessThan(drawn[0]![0]![0]);
      await page.getByTestId('remove-area').first().press('Enter');
      await page.getByTestId('remove-area').first().press('Enter');
      expect(await page.getByTestId('drawn-area').count()).toBe(0);
      expect(await viewerAnswer()).toEqual(free);
    },
    SLOW,
  );

  it(
    'excluded areas loaded from a file, then a study area generated candidates are clipped to',
    async () => {
      await clearConstraints();
      await page.getByTestId('candidates-loaded').check();
      await page.getByTestId('siting-k').fill('6');
      // No new site around the two best sites of the unconstrained run.
      const free = await libraryAnswer(loaded, { k: 6, kMax: 6 });
      const excluded: FeatureCollection = {
        type: 'FeatureCollection',
        features: free.sites.slice(0, 2).map(([label]) => around(candidateAt(label), 300)),
      };
      await page.getByTestId('file-input').setInputFiles(jsonFile('excluded-areas.geojson', excluded));
      await expect
        .poll(() => page.getByTestId('siting-area-excluded-file').textContent(), { timeout: SLOW })
        .toContain('excluded-areas.geojson');
      const withExcluded = {
        excludedAreas: excluded,
        files: { ...loaded.files, excludedAreas: 'excluded-areas.geojson' },
      };
      const shown = await viewerAnswer();
      const library = await libraryAnswer({ ...loaded, ...withExcluded }, { k: 6, kMax: 6 });
      expect(shown).toEqual(library);
      for (const [label] of free.sites.slice(0, 2)) expect(shown.sites.map(([l]) => l)).not.toContain(label);

      // The study area: the western half of the city's communities; the grid is clipped to it.
      const [west, south, east, north] = bboxOf(pingliang.communities);
      const study: FeatureCollection = {
        type: 'FeatureCollection',
        features: [box(west, south, (west + east) / 2, north)],
      };
      await page.getByTestId('file-input').setInputFiles(jsonFile('study-area.geojson', study));
      await expect
        .poll(() => page.getByTestId('siting-clip-study-area').isEnabled(), { timeout: SLOW })
        .toBe(true);
      await page.getByTestId('candidates-generated').check();
      await page.getByTestId('siting-clip-study-area').check();
      await page.getByTestId('siting-budget-on').check();
      await page.getByTestId('siting-budget').fill('5');
      await page.getByTestId('siting-default-cost').fill('1');
      await page.getByTestId('siting-min-spacing').fill('600');
      const clipped = await viewerAnswer();
      const clippedLibrary = await libraryAnswer(
        {
          ...withExcluded,
          studyArea: study,
          files: { ...withExcluded.files, studyArea: 'study-area.geojson' },
        },
        {
          k: 6,
          kMax: 6,
          budget: 5,
          defaultCost: 1,
          minSpacingM: 600,
          generate: { spacingM: Math.round(radiusM / 2), clip: 'study-area' },
        },
      );
      expect(clipped.sites.length).toBeGreaterThan(0);
      expect(clipped).toEqual(clippedLibrary);
      expect(session!.errors).toEqual([]);
      expect(session!.offsite).toEqual([]);
    },
    SLOW,
  );
});

type MapHandle = {
  lifecircle: {
    mapView: {
      map: {
        jumpTo(o: object): void;
        panBy(offset: [number, number], o: object): void;
        getContainer(): HTMLElement;
        project(p: readonly number[]): { x: number; y: number };
      };
    };
    state: { siting: { constraints: { excludedDrawn: [number, number][][] } } };
  };
};

function candidateAt(label: string): [number, number] {
  const f = candidates.features.find((c) => c.properties!.id === label)!;
  return (f.geometry as Point).coordinates as [number, number];
}

/** A drawn ring as the polygon core reads (closed). */
function ringBox(ring: [number, number][]): Feature<Polygon> {
  return {
    type: 'Feature',
    properties: {},
    geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]!]] },
  };
}

function bboxOf(fc: FeatureCollection): [number, number, number, number] {
  const flat = JSON.stringify(fc.features.map((f) => (f.geometry as Polygon).coordinates))
    .match(/-?\d+(\.\d+)?/g)!
    .map(Number);
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < flat.length; i += 2) {
    box[0] = Math.min(box[0], flat[i]!);
    box[1] = Math.min(box[1], flat[i + 1]!);
    box[2] = Math.max(box[2], flat[i]!);
    box[3] = Math.max(box[3], flat[i + 1]!);
  }
  return box;
}
