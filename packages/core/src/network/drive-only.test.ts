// A network extracted for cars (no footway, path, pedestrian or residential ways) is used for walking
// only with a warning naming the tags found (issue #13).
import { describe, expect, it } from 'vitest';
import { RoadGraph } from './graph.js';

const line = (highway: string | null, x0: number, x1: number, y = 35.54) => ({
  type: 'Feature',
  properties: highway === null ? {} : { highway },
  geometry: {
    type: 'LineString',
    coordinates: [
      [x0, y],
      [x1, y],
    ],
  },
});
const roads = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const driveWarnings = (collection: unknown) =>
  RoadGraph.fromGeoJSON(collection, { file: 'roads.geojson' }).warnings.filter(
    (w) => w.code === 'network-drive-only',
  );

describe('drive-only network warning', () => {
  it('warns when every tagged walkable line is a car road, naming the tags found by count', () => {
    const warnings = driveWarnings(
      roads(
        line('primary', 106.66, 106.661),
        line('secondary', 106.661, 106.662),
        line('primary', 106.662, 106.663),
        // Not walkable, so not among the tags found.
        line('motorway', 106.663, 106.664),
      ),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ file: 'roads.geojson', field: 'highway' });
    expect(warnings[0]!.message).toBe(
      'no footway, path, pedestrian or residential ways among the walkable lines (highway tags found: primary 2, secondary 1): this looks like a drive network, and walking distances over it will be too long, since the footpaths and side streets a walker takes are missing.',
    );
  });

  it('is silent with one pedestrian-scale way, and on lines without tags', () => {
    for (const kind of ['footway', 'path', 'pedestrian', 'residential', 'living_street', 'steps']) {
      expect(driveWarnings(roads(line('primary', 106.66, 106.661), line(kind, 106.661, 106.662)))).toEqual(
        [],
      );
    }
    expect(driveWarnings(roads(line(null, 106.66, 106.661), line(null, 106.661, 106.662)))).toEqual([]);
  });
});
