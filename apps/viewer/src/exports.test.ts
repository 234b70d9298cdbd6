// What the export buttons write, in Node: the proposals' sites.geojson rounded as the CLI rounds, a
// model's own sites.geojson passed through untouched, and a scenario that parses back to the view.
import { describe, expect, it } from 'vitest';
import { EXPORT_FILES, scenarioOf, sitesGeojsonText } from './exports.js';
import { parseScenario } from './scenario.js';
import { initialViewState, proposalAdded, type ViewState } from './view/state.js';
import type { SitePayload } from './worker/protocol.js';

/** A result of two proposals, with figures worked by hand (not from the worker). */
function proposalsResult(sitesGeojson: string | null = null): SitePayload {
  const site = (rank: number, lon: number, added: number, share: number) => ({
    rank,
    label: `P${rank}`,
    lon,
    lat: 35.5,
    addedPopulation: added,
    cumulativeShare: share,
    newlyServedCommunities: rank,
  });
  return {
    model: 'evaluate',
    typeId: 'clinic',
    sites: [site(1, 106.61, 1234.56, 0.123456), site(2, 106.62, 0.04, 0.99995)],
    sitesGeojson,
  } as unknown as SitePayload;
}

describe('sitesGeojsonText', () => {
  it('lists proposals with their figures rounded to 0.1 resident and 4 decimals of a share', () => {
    const collection = JSON.parse(sitesGeojsonText(proposalsResult()));
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((f: { properties: unknown }) => f.properties)).toEqual([
      {
        id: 'P1',
        rank: 1,
        source: 'proposal',
        type: 'clinic',
        added_population: 1234.6,
        cumulative_covered_share: 0.1235,
        newly_served_communities: 1,
      },
      {
        id: 'P2',
        rank: 2,
        source: 'proposal',
        type: 'clinic',
        added_population: 0,
        cumulative_covered_share: 1,
        newly_served_communities: 2,
      },
    ]);
    expect(collection.features[0].geometry).toEqual({ type: 'Point', coordinates: [106.61, 35.5] });
  });

  it("writes a model's sites.geojson as core made it", () => {
    expect(sitesGeojsonText(proposalsResult('{"core":true}'))).toBe('{"core":true}');
  });
});

describe('EXPORT_FILES', () => {
  it('names each worker export as the CLI names its output', () => {
    expect(Object.values(EXPORT_FILES).map((f) => f.name)).toEqual([
      'communities.geojson',
      'gaps.csv',
      'compliance.geojson',
      'compliance.csv',
    ]);
  });
});

describe('scenarioOf', () => {
  const map = { locale: 'en', center: [106.66, 35.54], zoom: 12, basemap: null } as const;

  it('reopens to the same view, proposals and profile', () => {
    let view: ViewState = { ...initialViewState('complete-community'), mode: 'type', typeId: 'clinic' };
    view = proposalAdded(view, [106.123456789, 35.5]);
    const scenario = parseScenario(
      JSON.parse(JSON.stringify(scenarioOf(view, { bundled: true, embedded: new Map(), map }))),
    );
    expect(scenario.bundled).toBe('pingliang');
    expect(scenario.view).toMatchObject({
      locale: 'en',
      mode: 'type',
      typeId: 'clinic',
      profile: 'complete-community',
      center: [106.66, 35.54],
      zoom: 12,
    });
    expect(scenario.proposals.points).toEqual([[106.123457, 35.5]]);
    expect(scenario.siting).toBeNull();
  });

  it('embeds the user files of a scenario that left the bundled city, and none of the bundled one', () => {
    const file = { name: 'mine.geojson', data: { type: 'FeatureCollection', features: [] } };
    const embedded = new Map([['communities', file] as const]);
    const own = scenarioOf(initialViewState(), { bundled: false, embedded, map }) as {
      inputs: Record<string, unknown>;
    };
    expect(own.inputs.communities).toEqual(file);
    expect(own.inputs.facilities).toBeNull();
    const bundled = scenarioOf(initialViewState(), { bundled: true, embedded, map }) as {
      inputs: Record<string, unknown>;
    };
    expect(bundled.inputs.communities).toBeNull();
  });
});
