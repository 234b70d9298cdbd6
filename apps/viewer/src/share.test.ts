// Share links: a scenario goes into the URL hash and comes back equal; dropped files are left out and
// named; damaged links are refused with a message, never half-read.
import { describe, expect, it } from 'vitest';
import { buildScenario, parseScenario } from './scenario.js';
import { isShareHash, ShareLinkError, scenarioFromHash, shareableScenario, shareHash } from './share.js';
import { NO_SITING_CONSTRAINTS } from './worker/protocol.js';

const view = {
  locale: 'en' as const,
  mode: 'type' as const,
  typeId: 'kindergarten',
  palette: 'viridis' as const,
  catchments: true,
  facilities: true,
  showAfter: true,
  center: [106.7, 35.54] as const,
  zoom: 13.5,
  basemap: null,
  profile: 'pingliang-2025',
  profileItem: null,
};
const options = {
  radii: {},
  types: [],
  includePlanned: false,
  gapThreshold: 0.5,
  distance: 'great-circle' as const,
};
const siting = {
  model: 'mclp' as const,
  typeId: 'kindergarten',
  k: 4,
  targetShare: 0.6,
  perCommunity: false,
  ratePer1000: 4.5,
  capacityPerSite: 50,
  exact: false,
  candidates: { kind: 'generated' as const, spacingM: 0 },
  constraints: { ...NO_SITING_CONSTRAINTS, minSpacingM: 300 },
};
const noInputs = {
  communities: null,
  facilities: null,
  demand: null,
  districts: null,
  roads: null,
  candidates: null,
  excluded: null,
  studyArea: null,
};
const collection = { type: 'FeatureCollection', features: [] };
type ScenarioParts = Parameters<typeof buildScenario>[0];
/** A scenario of the view and options above: no proposals and no siting unless `parts` gives them. */
const scenarioOf = (parts: Pick<ScenarioParts, 'bundled' | 'inputs'> & Partial<ScenarioParts>) =>
  buildScenario({ options, view, proposals: { typeId: null, points: [] }, siting: null, ...parts });

describe('share links', () => {
  it('keeps naming the GeoTIFFs a scenario names without carrying them, beside the files it leaves out', () => {
    const built = scenarioOf({
      bundled: false,
      inputs: { ...noInputs, communities: { name: 'c.geojson', data: collection } },
      missing: [{ role: 'dem', name: 'dem.tif' }],
    });
    const { missing } = shareableScenario(built);
    expect(missing).toEqual([
      { role: 'dem', name: 'dem.tif' },
      { role: 'communities', name: 'c.geojson' },
    ]);
  });

  it('carries the bundled city, options, view, proposals and siting run through the hash unchanged', () => {
    const built = scenarioOf({
      bundled: true,
      inputs: noInputs,
      proposals: { typeId: 'kindergarten', points: [[106.71, 35.541]] },
      siting,
    });
    const { scenario, missing } = shareableScenario(built);
    expect(missing).toEqual([]);
    const hash = shareHash(scenario);
    expect(isShareHash(hash)).toBe(true);
    expect(hash).toMatch(/^#scenario=[A-Za-z0-9_-]+$/);
    const back = parseScenario(scenarioFromHash(hash));
    const direct = parseScenario(JSON.parse(JSON.stringify(built)));
    expect(back).toEqual({ ...direct, missing: [] });
    expect(back.view.palette).toBe('viridis');
    expect(back.siting?.constraints.minSpacingM).toBe(300);
  });

  it('leaves the dropped files out, names them, and opening such a link says which files it lacks', () => {
    const built = scenarioOf({
      bundled: false,
      inputs: {
        ...noInputs,
        communities: { name: '小区.geojson', data: collection },
        facilities: { name: 'poi.csv', data: collection },
        excluded: { name: '禁建区.geojson', data: collection },
        studyArea: { name: 'study-area.shp', data: collection },
      },
    });
    const { scenario, missing } = shareableScenario(built);
    expect(missing).toEqual([
      { role: 'communities', name: '小区.geojson' },
      { role: 'facilities', name: 'poi.csv' },
      { role: 'excluded', name: '禁建区.geojson' },
      { role: 'studyArea', name: 'study-area.shp' },
    ]);
    const text = JSON.stringify(scenario);
    expect(text).not.toContain('FeatureCollection');
    expect(() => parseScenario(scenarioFromHash(shareHash(scenario)))).toThrow(
      /小区\.geojson, poi\.csv, 禁建区\.geojson, study-area\.shp.*scenario file/,
    );
  });

  it('keeps the bundled city and lists a road network the user loaded on top of it', () => {
    const built = scenarioOf({
      bundled: true,
      inputs: { ...noInputs, roads: { name: 'my-roads.geojson', data: collection } },
    });
    const { scenario, missing } = shareableScenario(built);
    expect(missing).toEqual([{ role: 'roads', name: 'my-roads.geojson' }]);
    const back = parseScenario(scenarioFromHash(shareHash(scenario)));
    expect(back.bundled).toBe('pingliang');
    expect(back.inputs.roads).toBeNull();
    expect(back.missing).toEqual(missing);
  });

  it('refuses a damaged, cut or foreign hash with a message', () => {
    const hash = shareHash({ format: 'lifecircle-scenario' });
    expect(() => scenarioFromHash('#view=1')).toThrow(ShareLinkError);
    expect(() => scenarioFromHash(hash.slice(0, hash.length - 6))).toThrow(/damaged or cut short/);
    expect(() => scenarioFromHash(`${hash}!`)).toThrow(/base64url/);
    expect(() => scenarioFromHash(`#scenario=${'A'.repeat(200_001)}`)).toThrow(/at most 200000/);
  });
});
