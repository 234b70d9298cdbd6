// OpenStreetMap extracts dropped on the viewer are clipped while io reads them (issue 12), as the
// CLI's --bbox and --study-area clip them: to the study area if one is loaded, else the communities'
// extent widened by 2 km, else a box typed in the files panel; the reference is io's own reader given
// the same box or polygon (fixtures/osm/README.md: the box below keeps 14 nodes).
import { readFileSync } from 'node:fs';
import { readInput } from '@lifecircle/io';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { sortDroppedFiles } from './loading.js';
import { communitiesClip, defaultOsmClip, mapViewClip, OSM_CLIP_MARGIN_M, typedBoxClip } from './osm-clip.js';
import { chooseNextOsmClip, chooseOsmClip } from './osm-clip-run.js';
import { osmClipForDrop } from './osm-clip-sources.js';
import { testPage } from './test-page.js';
import { handleFiles } from './worker-loading.js';

const osmBytes = readFileSync(new URL('../../../fixtures/osm/town.osm', import.meta.url));
const osmFile = () => new File([osmBytes], 'town.osm');
const BOX = [106.659, 35.5395, 106.6645, 35.5435] as const;
const boxPolygon = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [BOX[0], BOX[1]],
            [BOX[2], BOX[1]],
            [BOX[2], BOX[3]],
            [BOX[0], BOX[3]],
            [BOX[0], BOX[1]],
          ],
        ],
      },
    },
  ],
};
const wayIds = (value: unknown) => (value as FeatureCollection).features.map((f) => f.id);

/** io's reader given the clip directly, as the CLI passes --bbox or --study-area. */
async function reference(clip: { bbox?: readonly number[]; area?: unknown }) {
  return readInput(osmBytes, 'town.osm', { osm: { layer: 'network', ...(clip as object) } });
}

describe('clipping a dropped OpenStreetMap extract', () => {
  it('widens the communities’ extent by 2 km on every side, worked by hand', () => {
    const clip = communitiesClip([106.6612, 35.5412, 106.6712, 35.5462]);
    expect(OSM_CLIP_MARGIN_M).toBe(2000);
    // 2000 m is 2000 / 110,540 degrees of latitude and 2000 / (111,320 × cos 35.5437°) of longitude.
    const dLat = 2000 / 110_540;
    const dLon = 2000 / (111_320 * Math.cos((35.5437 * Math.PI) / 180));
    expect(dLat).toBeCloseTo(0.018093, 6);
    expect(dLon).toBeCloseTo(0.022083, 5);
    expect(clip?.source).toBe('communities');
    const [w, s, e, n] = clip!.bbox!;
    expect([w, s, e, n].map((v) => Number(v.toFixed(6)))).toEqual(
      [106.6612 - dLon, 35.5412 - dLat, 106.6712 + dLon, 35.5462 + dLat].map((v) => Number(v.toFixed(6))),
    );
    expect(communitiesClip(null)).toBeNull();
  });

  it('reads a typed box as the CLI reads --bbox, and says what is wrong with one that is not', () => {
    expect(typedBoxClip('106.659, 35.5395, 106.6645, 35.5435')).toEqual({ source: 'box', bbox: [...BOX] });
    expect(typedBoxClip('106.7,35.5,106.6,35.6')).toEqual({
      error: expect.stringContaining('west < east'),
    });
    expect(typedBoxClip('106.6,35.5')).toHaveProperty('error');
  });

  it('clips to a study area dropped in the same batch, as io clips to that polygon', async () => {
    const studyArea = new File([JSON.stringify(boxPolygon)], 'study-area.geojson');
    // The extract comes first in the batch: it is still read after the study area.
    const sorted = await sortDroppedFiles([osmFile(), studyArea], undefined, (batch) =>
      defaultOsmClip({
        studyArea: (batch.get('studyArea')?.value as FeatureCollection) ?? null,
        communitiesBox: null,
      }),
    );
    const roads = sorted.reads.get('roads')!;
    expect(roads.choices.osmClip?.source).toBe('study-area');
    const expected = await reference({
      area: { type: 'MultiPolygon', coordinates: [boxPolygon.features[0]!.geometry.coordinates] },
    });
    expect(roads.osm?.nodesKept).toBe(14);
    expect(wayIds(roads.value)).toEqual(wayIds(expected.features));
    // Nothing of piece B (ways 201–203) lies in the box.
    expect(wayIds(roads.value).some((id) => String(id).startsWith('way/2'))).toBe(false);
  });

  it('on the page: clipped to the communities widened, then to a typed box, then the whole file', async () => {
    const page = testPage();
    const town = (name: string) =>
      new File([readFileSync(new URL(`../../../fixtures/osm/${name}`, import.meta.url))], name);
    await handleFiles(page, [town('communities.geojson'), town('facilities.geojson'), osmFile()]);
    expect(page.errors).toEqual([]);
    const clipped = page.inputs.reads.get('roads')!;
    expect(clipped.choices.osmClip?.source).toBe('communities');
    // The town lies within 2 km of its two communities: every walkable way is kept.
    expect(wayIds(clipped.value)).toEqual(wayIds((await reference({})).features));
    await chooseOsmClip(page, 'roads', 'box', BOX.join(','));
    const boxed = page.inputs.reads.get('roads')!;
    expect(boxed.choices.osmClip).toEqual({ source: 'box', bbox: [...BOX] });
    expect(boxed.osm?.nodesKept).toBe(14);
    expect(wayIds(boxed.value)).toEqual(wayIds((await reference({ bbox: BOX })).features));
    // Read again as the road network it was dropped as, and walked along.
    expect(page.view.options.distance).toBe('network');
    await chooseOsmClip(page, 'roads', 'box', '1,2,3');
    expect(page.view.notice?.message).toContain('expected west,south,east,north');
    expect(page.inputs.reads.get('roads')!.osm?.nodesKept).toBe(14);
    await chooseOsmClip(page, 'roads', 'none');
    expect(page.inputs.reads.get('roads')!.choices.osmClip).toBeNull();
    expect(page.inputs.reads.get('roads')!.osm?.nodesKept).toBe(page.inputs.reads.get('roads')!.osm?.nodes);
  });
});

describe('the clip of the next OpenStreetMap file, chosen before it is dropped', () => {
  const WORLD = [-180, -90, 180, 90] as const;

  it('takes the map’s view as a box, clamped to the world; a view that is no area is none', () => {
    expect(mapViewClip([...BOX])).toEqual({ source: 'box', bbox: [...BOX] });
    expect(mapViewClip([-200, -95, 190, 91])).toEqual({ source: 'box', bbox: [...WORLD] });
    expect(mapViewClip([106.7, 35.5, 106.7, 35.6])).toBeNull();
  });

  it('a typed box: the first read of the extract is already clipped to it, as io clips to --bbox', async () => {
    const page = testPage();
    // Nothing loaded: by default the whole file would be read.
    expect(osmClipForDrop(page)).toEqual({ clip: null, chosen: false });
    chooseNextOsmClip(page, 'box', BOX.join(','), [...WORLD]);
    expect(osmClipForDrop(page)).toEqual({ clip: { source: 'box', bbox: [...BOX] }, chosen: true });
    const town = (name: string) =>
      new File([readFileSync(new URL(`../../../fixtures/osm/${name}`, import.meta.url))], name);
    await handleFiles(page, [town('communities.geojson'), town('facilities.geojson'), osmFile()]);
    expect(page.errors).toEqual([]);
    const roads = page.inputs.reads.get('roads')!;
    // Chosen before: the communities of the batch do not replace it.
    expect(roads.choices.osmClip).toEqual({ source: 'box', bbox: [...BOX] });
    expect(roads.osm?.nodesKept).toBe(14);
    expect(wayIds(roads.value)).toEqual(wayIds((await reference({ bbox: BOX })).features));
    // The default again: the page's communities, widened.
    chooseNextOsmClip(page, 'default', '', [...WORLD]);
    expect(osmClipForDrop(page).clip?.source).toBe('communities');
    expect(osmClipForDrop(page).chosen).toBe(false);
  });

  it('the map’s view, the whole file, and a typed box that is not one (said, nothing changes)', () => {
    const page = testPage();
    chooseNextOsmClip(page, 'view', '', [...BOX]);
    expect(page.inputs.osmClipNext).toEqual({ clip: { source: 'box', bbox: [...BOX] } });
    chooseNextOsmClip(page, 'box', '1,2,3', [...WORLD]);
    expect(page.view.notice?.message).toContain('expected west,south,east,north');
    expect(page.inputs.osmClipNext).toEqual({ clip: { source: 'box', bbox: [...BOX] } });
    chooseNextOsmClip(page, 'view', '', [1, 1, 1, 1]);
    expect(page.view.notice?.message).toBe(page.t('osmClipNoView'));
    chooseNextOsmClip(page, 'none', '', [...WORLD]);
    expect(osmClipForDrop(page)).toEqual({ clip: null, chosen: true });
  });
});
