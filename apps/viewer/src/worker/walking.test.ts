// A walker run's catchments in the worker: drawn on the type's walker's graph in minutes with the
// run's radius in minutes (core's catchments on walkerGraph), not on the metres graph.
import { readFileSync } from 'node:fs';
import { catchments, RoadGraph, WalkerSet, walkerGraph } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/fixtures.js';
import { townFiles } from '../test-cli.js';
import { DEFAULT_OPTIONS } from '../view/state.js';
import { Engine } from './engine.js';
import { unpackPolygons } from './pack.js';
import type { AnalyzeOptions } from './protocol.js';

const ROADS = JSON.parse(readFileSync(fixture('network-honest', 'roads.geojson'), 'utf8'));

/** The town's kindergartens within 500 m for a wheelchair user, analysed by the worker's engine. */
function wheelchairRun() {
  const engine = new Engine();
  engine.load(townFiles('network-honest'));
  const options: AnalyzeOptions = {
    ...DEFAULT_OPTIONS,
    radii: { kindergarten: 500 },
    distance: 'network',
    walkers: { kindergarten: 'wheelchair' },
  };
  return { engine, payload: engine.analyze(options) };
}

describe('catchments of a walker run', () => {
  it('are core’s catchments on the walker’s graph with the radius in minutes', () => {
    const { engine, payload } = wheelchairRun();
    const minutes = payload.walking!.summary.types.kindergarten!.radius_min;
    // 500 m at the wheelchair user's flat speed.
    const wheelchair = new WalkerSet().get('wheelchair');
    expect(minutes).toBeCloseTo(500 / ((wheelchair.flat_speed_kmh * 1000) / 60), 2);
    const shapes = unpackPolygons(engine.catchments('kindergarten').shapes);
    const graph = RoadGraph.fromGeoJSON(ROADS).graph;
    const t = payload.types.findIndex((x) => x.id === 'kindergarten');
    const serving = Array.from(payload.facilities.typeIndex.keys()).filter(
      (i) => payload.facilities.typeIndex[i] === t && payload.facilities.serving[i] === 1,
    );
    const coords = Float64Array.from(
      serving.flatMap((i) => [payload.facilities.coords[2 * i]!, payload.facilities.coords[2 * i + 1]!]),
    );
    const expected = catchments(
      walkerGraph(graph, wheelchair, null),
      { coords },
      payload.types[t]!.radius_m,
      {
        mode: 'per-facility',
        type: 'kindergarten',
      },
    );
    expect(payload.types[t]!.radius_m).toBeCloseTo(minutes, 2);
    // Packed shapes come back as MultiPolygons.
    const coordinates = (g: (typeof expected.features)[number]['geometry']) =>
      g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    expect(shapes.features.map((f) => f.geometry.coordinates)).toEqual(
      expected.features.map((f) => coordinates(f.geometry)),
    );
    expect(shapes.features.length).toBeGreaterThan(0);
  });

  it('new sites and proposals of a walker run are drawn on the walker’s graph with the radius in minutes', async () => {
    const { engine, payload } = wheelchairRun();
    const t = payload.types.findIndex((x) => x.id === 'kindergarten');
    // A proposal at the first kindergarten's place: its catchment is drawn as a new site's.
    const proposed = Float64Array.from([payload.facilities.coords[0]!, payload.facilities.coords[1]!]);
    const site = await engine.site({ model: 'evaluate', typeId: 'kindergarten', proposed });
    expect(site.kind).toBe('site');
    if (site.kind !== 'site' || !site.catchments)
      throw new Error(`expected a siting run with catchments, got ${site.sites.length} sites`);
    const graph = RoadGraph.fromGeoJSON(ROADS).graph;
    const coords = Float64Array.from(site.sites.flatMap((s) => [s.lon, s.lat]));
    const expected = catchments(
      walkerGraph(graph, new WalkerSet().get('wheelchair'), null),
      { coords },
      payload.types[t]!.radius_m,
      { mode: 'per-facility' },
    );
    const coordinates = (g: (typeof expected.features)[number]['geometry']) =>
      g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    expect(unpackPolygons(site.catchments).features.map((f) => f.geometry.coordinates)).toEqual(
      expected.features.map((f) => coordinates(f.geometry)),
    );
    expect(expected.features.length).toBe(1);
  });
});
