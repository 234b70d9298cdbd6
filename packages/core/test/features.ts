// GeoJSON builders for tests that hand the network and the validators made-up roads: plain objects,
// not turf's builders, so a test can also build the malformed lines a reader must reject.

type Props = Record<string, unknown>;

/** A LineString feature through `coords` (any number of them, even too few) with `properties`. */
export const line = (coords: [number, number][], properties: Props = {}) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'LineString', coordinates: coords },
});

/** A FeatureCollection of `features`. */
export const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });
