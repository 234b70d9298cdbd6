import { InputError } from '@lifecircle/core';
// Deep imports: the package root also loads its OpenLayers adapter, which needs `ol`.
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature, FeatureCollection } from 'geojson';
import { checkCrsText, checkJsonValue, type ReadLimits, resolveLimits } from '../limits.js';
import type { DeclaredCrs, FeatureRead, ReadOptions } from '../read/types.js';
import { verifyFlatGeobuf } from './verify.js';

/** True when the bytes start with FlatGeobuf's magic `fgb` and major version 3. */
export function isFlatGeobuf(bytes: Uint8Array): boolean {
  return bytes[0] === 0x66 && bytes[1] === 0x67 && bytes[2] === 0x62 && bytes[3] === 3;
}

function crsOf(header: HeaderMeta | null, file: string, limits: ReadLimits): DeclaredCrs | null {
  const crs = header?.crs;
  if (!crs) return null;
  if (crs.wkt) checkCrsText(crs.wkt, 'the FlatGeobuf header', file, limits);
  // flatgeobuf's writer stores only the code; an organisation left out means EPSG (FlatGeobuf spec).
  const name = crs.code > 0 ? `${crs.org ?? 'EPSG'}:${crs.code}` : (crs.code_string ?? crs.name ?? undefined);
  if (!name && !crs.wkt) return null;
  return { source: 'flatgeobuf', ...(name ? { name } : {}), ...(crs.wkt ? { wkt: crs.wkt } : {}) };
}

/**
 * Reads every feature of a FlatGeobuf file with the `flatgeobuf` package, and the CRS its header
 * names. The file is checked whole first (every length and offset, see `verifyFlatGeobuf`), so a
 * truncated or garbled file is an {@link InputError} naming the byte offset, the same on every run.
 */
export async function readFlatGeobuf(
  bytes: Uint8Array,
  file: string,
  options: Pick<ReadOptions, 'limits'> = {},
): Promise<FeatureRead> {
  if (!isFlatGeobuf(bytes)) {
    throw new InputError(
      file,
      'is not a FlatGeobuf file: it does not start with the FlatGeobuf magic bytes.',
    );
  }
  const limits = resolveLimits(options.limits);
  // A copy at offset 0 of its own buffer: the package views number lists as typed arrays over the
  // buffer, and their alignment was checked from the start of the file.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  const layout = verifyFlatGeobuf(own, file, limits);
  let header: HeaderMeta | null = null;
  const features: Feature[] = [];
  try {
    const iterator = deserialize(own, {
      headerMetaFn: (meta: HeaderMeta) => {
        header = meta;
      },
    });
    for await (const feature of iterator) features.push(feature as unknown as Feature);
  } catch (error) {
    throw new InputError(
      file,
      `is a corrupt or truncated FlatGeobuf file (${(error as Error).message || String(error)}).`,
    );
  }
  if (features.length !== layout.features) {
    throw new InputError(
      file,
      `is a corrupt FlatGeobuf file: ${layout.features} features were found in it but ${features.length} could be read.`,
    );
  }
  features.forEach((feature, i) => {
    checkJsonValue(feature.properties, file, limits, `feature ${i + 1}'s properties`);
  });
  return {
    file,
    format: 'flatgeobuf',
    collection: { type: 'FeatureCollection', features } as FeatureCollection,
    crs: crsOf(header, file, limits),
    encoding: null,
    rejected: [],
    warnings: [],
    origins: null,
  };
}
