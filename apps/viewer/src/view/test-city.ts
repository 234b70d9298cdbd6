// Test helper: real payloads for the view state and panel tests, from the worker engine (core) on a
// small synthetic city, so the tests read figures shaped exactly as the page receives them.
import { syntheticCity } from '../../test/synthetic.js';
import { Engine } from '../worker/engine.js';
import type { AnalysisPayload, AnalyzeOptions, CompliancePayload, SitePayload } from '../worker/protocol.js';
import {
  analysisFinished,
  checkFinished,
  checkStarted,
  DEFAULT_OPTIONS,
  initialViewState,
  type ViewState,
} from './state.js';

export interface TestCity {
  readonly engine: Engine;
  readonly options: AnalyzeOptions;
  readonly analysis: AnalysisPayload;
  /** Verdicts under two profiles, to switch between. */
  readonly completeCommunity: CompliancePayload;
  readonly pingliang: CompliancePayload;
  /** Two proposed kindergartens at the first two communities' corners. */
  readonly proposals: SitePayload;
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer;

/** Analyses a 40-community synthetic city and checks it against two built-in profiles. */
export async function testCity(): Promise<TestCity> {
  const city = syntheticCity(40, 14, 7);
  const engine = new Engine();
  engine.load([
    { role: 'communities', name: 'communities.geojson', bytes: encode(city.communities) },
    { role: 'facilities', name: 'facilities.geojson', bytes: encode(city.facilities) },
  ]);
  const options = DEFAULT_OPTIONS;
  const analysis = engine.analyze(options);
  const completeCommunity = engine.check('complete-community');
  const pingliang = engine.check('pingliang-2025');
  const [lon, lat] = (city.communities.features[0]!.geometry as { coordinates: number[][][] })
    .coordinates[0]![0]!;
  const proposals = await engine.site({
    model: 'evaluate',
    typeId: 'kindergarten',
    proposed: Float64Array.of(lon!, lat!, lon! + 0.004, lat! + 0.003),
  });
  return { engine, options, analysis, completeCommunity, pingliang, proposals };
}

/** The test city in the states most panel tests start from. */
export interface CityStates {
  readonly city: TestCity;
  /** Analysed, under the complete-community profile not yet checked. */
  readonly analysed: ViewState;
  /** Analysed and checked against the complete-community profile. */
  readonly checked: ViewState;
}

/** The test city analysed, then checked against the complete-community profile. */
export async function cityStates(): Promise<CityStates> {
  const city = await testCity();
  const analysed = analysisFinished(
    initialViewState('complete-community'),
    city.analysis,
    city.options,
    'Ready',
  );
  return { city, analysed, checked: checkFinished(checkStarted(analysed), city.completeCommunity) };
}
