// Catchments on a walker's graph (minutes, direction-dependent): hand-worked on a road up a uniform
// slope, the pram kept off a stair shortcut, and the flat walker's minutes against the metres run.
import { describe, expect, it } from 'vitest';
import { collection, line } from '../../test/features.js';
import { at, metresPerMinute, roadUpSlope, tobler } from '../../test/slope.js';
import { catchmentStreets, catchments } from './catchments.js';
import { RoadGraph } from './graph.js';
import { edgeTerrain, walkerGraph } from './terrain.js';
import { WalkerSet } from './walkers.js';

const walkers = new WalkerSet();
const adult = walkers.get('adult');
const pram = walkers.get('pram');
const streetLength = (fc: ReturnType<typeof catchmentStreets>): number =>
  fc.features.reduce((sum, f) => sum + f.properties.street_m, 0);

describe('walker catchments on a road up a uniform 8 % slope (hand-worked)', () => {
  const grade = 0.08;
  const { dem, south, north, length, graph } = roadUpSlope(grade);
  const adultGraph = walkerGraph(graph, adult, edgeTerrain(graph, dem));
  // From home to facility: a facility at the foot is reached walking down (s = −0.08), one at the
  // top walking up (s = +0.08); Tobler scaled to the adult's 75 m/min on the flat.
  const downSpeed = metresPerMinute(4.5) * (tobler(-grade) / tobler(0));
  const upSpeed = metresPerMinute(4.5) * (tobler(grade) / tobler(0));

  it('reaches farther from a facility at the foot (people walk down to it) than from one at the top', () => {
    const minutes = 5;
    const foot = catchmentStreets(adultGraph, { coords: Float64Array.from(south) }, minutes);
    const top = catchmentStreets(adultGraph, { coords: Float64Array.from(north) }, minutes);
    // By hand: 5 min × 90.0 m/min = 450 m of road walked down; 5 min × 56.7 m/min = 283 m walked up.
    expect(Math.abs(streetLength(foot) / (minutes * downSpeed) - 1)).toBeLessThan(2e-3);
    expect(Math.abs(streetLength(top) / (minutes * upSpeed) - 1)).toBeLessThan(2e-3);
    expect(streetLength(foot)).toBeLessThan(length);
    expect(foot.features[0]!.properties.bound_min).toBe(5);
    expect(foot.features[0]!.properties).not.toHaveProperty('bound_m');
  });

  it('draws polygons in minutes in every mode', () => {
    for (const mode of ['per-facility', 'dissolved', 'nearest'] as const) {
      const fc = catchments(adultGraph, { coords: Float64Array.from([...south, ...north]) }, 5, { mode });
      expect(fc.features.length).toBeGreaterThan(0);
      for (const f of fc.features) expect(f.properties.bound_min).toBe(5);
    }
    // Nearest: the road splits where walking to either facility takes as long; walking down to the
    // foot is quicker, so the foot's share is the longer one.
    const nearest = catchmentStreets(adultGraph, { coords: Float64Array.from([...south, ...north]) }, 60, {
      mode: 'nearest',
    });
    const [foot, top] = [0, 1].map(
      (k) => nearest.features.find((f) => f.properties.facility_index === k)!.properties.street_m,
    );
    // x / downSpeed = (length − x) / upSpeed at the split.
    const split = (length * downSpeed) / (downSpeed + upSpeed);
    expect(foot!).toBeCloseTo(split, 0);
    expect(top!).toBeCloseTo(length - split, 0);
  });
});

describe('walker catchments without terrain', () => {
  // A small grid with a flight of steps across it.
  const roads = collection([
    line([at(0, 0), at(400, 0)]),
    line([at(0, 0), at(0, 400)]),
    line([at(400, 0), at(400, 400)]),
    line([at(0, 400), at(400, 400)]),
    line([at(0, 200), at(400, 200)], { highway: 'steps' }),
  ]);
  const { graph } = RoadGraph.fromGeoJSON(roads);
  const facility = { coords: Float64Array.from(at(0, 200)) };

  it('the adult on the flat reaches in T minutes what the metres run reaches in T × 75 m, less the steps it climbs slower', () => {
    const minutes = catchmentStreets(walkerGraph(graph, adult), facility, 4, { mode: 'dissolved' });
    const metres = catchmentStreets(graph, facility, 4 * 75, { mode: 'dissolved' });
    // The adult walks steps at half speed: 4 min take it 150 m up them, against 300 m of metres.
    expect(streetLength(metres) - streetLength(minutes)).toBeCloseTo(150, 6);
    // Without the steps the adult's minutes and the metres agree exactly.
    const noSteps = RoadGraph.fromGeoJSON(collection(roads.features.slice(0, 4))).graph;
    const a = catchmentStreets(walkerGraph(noSteps, adult), facility, 4, { mode: 'dissolved' });
    const b = catchmentStreets(noSteps, facility, 4 * 75, { mode: 'dissolved' });
    expect(streetLength(a)).toBeCloseTo(streetLength(b), 6);
  });

  it('the pram reaches nothing along the steps', () => {
    const fc = catchmentStreets(walkerGraph(graph, pram), facility, 10, { mode: 'dissolved' });
    // By hand, R metres of walking in 10 minutes: the west street whole (200 m each way to the
    // corners), the north and south streets up to R − 200, the east street from both corners up to
    // R − 600 (meeting in its middle); no metre of the steps.
    const reach = 10 * metresPerMinute(pram.flat_speed_kmh);
    const expected = 400 + 2 * Math.min(400, reach - 200) + 2 * Math.min(200, Math.max(0, reach - 600));
    expect(Math.abs(streetLength(fc) - expected)).toBeLessThan(2);
  });
});
