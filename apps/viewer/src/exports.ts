// What the export buttons write: the worker's result files under their download names, the sites of a
// siting run or of the proposals as GeoJSON, and the scenario file. Pure functions of what the page
// shows, so unit tests check them in Node; app.ts only hands the text to the browser's download.
import type { EmbeddedFile, Scenario, ScenarioView } from './scenario.js';
import { buildScenario } from './scenario.js';
import type { ViewState } from './view/state.js';
import type { ExportFormat, InputRole, SitePayload } from './worker/protocol.js';

/** The download name and media type of each file the worker exports. */
export const EXPORT_FILES: Readonly<Record<ExportFormat, { readonly name: string; readonly type: string }>> =
  {
    geojson: { name: 'communities.geojson', type: 'application/geo+json' },
    csv: { name: 'gaps.csv', type: 'text/csv;charset=utf-8' },
    'compliance-geojson': { name: 'compliance.geojson', type: 'application/geo+json' },
    'compliance-csv': { name: 'compliance.csv', type: 'text/csv;charset=utf-8' },
  };

/**
 * sites.geojson of a siting result. A model's sites are core's sites.geojson as `lifecircle site`
 * writes it; proposals are listed with the figures the worker measured for them, rounded as the
 * CLI rounds them (0.1 resident, 4 decimals of a share).
 */
export function sitesGeojsonText(result: SitePayload): string {
  return (
    result.sitesGeojson ??
    JSON.stringify({
      type: 'FeatureCollection',
      features: result.sites.map((s) => ({
        type: 'Feature',
        properties: {
          id: s.label,
          rank: s.rank,
          source: 'proposal',
          type: result.typeId,
          added_population: Math.round(s.addedPopulation * 10) / 10,
          cumulative_covered_share: Math.round(s.cumulativeShare * 10_000) / 10_000,
          newly_served_communities: s.newlyServedCommunities,
        },
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      })),
    })
  );
}

/** What the page holds beyond the view state that a scenario records. */
export interface ScenarioParts {
  readonly bundled: boolean;
  readonly embedded: ReadonlyMap<InputRole | 'districts', EmbeddedFile>;
  /** The map's position and the chosen basemap (the map is not part of the view state). */
  readonly map: Pick<ScenarioView, 'locale' | 'center' | 'zoom' | 'basemap'>;
  /**
   * Files the scenario names but does not carry (GeoTIFFs: an elevation model, a population
   * raster), to be dropped again after opening it.
   */
  readonly notEmbedded?: Scenario['missing'];
}

/** The scenario file's content for what the page shows (see scenario.ts for its format). */
export function scenarioOf(view: ViewState, parts: ScenarioParts): unknown {
  const input = (role: InputRole | 'districts') => parts.embedded.get(role) ?? null;
  const inputs: Scenario['inputs'] = {
    communities: input('communities'),
    facilities: input('facilities'),
    demand: input('demand'),
    districts: input('districts'),
    roads: input('roads'),
    candidates: input('candidates'),
    excluded: input('excluded'),
    studyArea: input('studyArea'),
  };
  return buildScenario({
    bundled: parts.bundled,
    inputs,
    options: view.options,
    view: {
      locale: parts.map.locale,
      mode: view.mode,
      typeId: view.typeId,
      palette: view.palette,
      catchments: view.catchments,
      facilities: view.facilitiesOn,
      showAfter: view.showAfter,
      center: parts.map.center,
      zoom: parts.map.zoom,
      basemap: parts.map.basemap,
      profile: view.profileId,
      profileItem: view.profileItem,
    },
    proposals: { typeId: view.sitingTypeId, points: view.proposals },
    siting: view.lastSiting,
    missing: parts.notEmbedded ?? [],
  });
}
