import type { Feature, FeatureCollection } from 'geojson';
import { resolveLimits } from '../limits.js';
import type { FeatureRead, ReadOptions } from '../read/types.js';
import { FlatGeobufFeatureStream } from './stream.js';

export { isFlatGeobuf } from './stream.js';

/**
 * Reads every feature of a FlatGeobuf file with the `flatgeobuf` package, and the CRS its header
 * names. Every length and offset is checked before the package reads it (see
 * {@link FlatGeobufFeatureStream}), so a truncated or garbled file is an `InputError` naming the
 * byte offset, the same on every run.
 */
export async function readFlatGeobuf(
  bytes: Uint8Array,
  file: string,
  options: Pick<ReadOptions, 'limits'> = {},
): Promise<FeatureRead> {
  const stream = new FlatGeobufFeatureStream(file, resolveLimits(options.limits), bytes.byteLength);
  const features: Feature[] = [];
  stream.push(bytes, (feature) => {
    features.push(feature);
  });
  stream.end();
  return {
    file,
    format: 'flatgeobuf',
    collection: { type: 'FeatureCollection', features } as FeatureCollection,
    crs: stream.crs,
    encoding: null,
    rejected: [],
    warnings: [],
    origins: null,
  };
}
