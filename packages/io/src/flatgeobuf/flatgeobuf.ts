import { InputError } from '@lifecircle/core';
// Deep imports: the package root also loads its OpenLayers adapter, which needs `ol`.
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature, FeatureCollection } from 'geojson';
import type { DeclaredCrs, FeatureRead } from '../read/types.js';

/** True when the bytes start with FlatGeobuf's magic `fgb` and major version 3. */
export function isFlatGeobuf(bytes: Uint8Array): boolean {
  return bytes[0] === 0x66 && bytes[1] === 0x67 && bytes[2] === 0x62 && bytes[3] === 3;
}

function crsOf(header: HeaderMeta | null): DeclaredCrs | null {
  const crs = header?.crs;
  if (!crs) return null;
  // flatgeobuf's writer stores only the code; an organisation left out means EPSG (FlatGeobuf spec).
  const name = crs.code > 0 ? `${crs.org ?? 'EPSG'}:${crs.code}` : (crs.code_string ?? crs.name ?? undefined);
  if (!name && !crs.wkt) return null;
  return { source: 'flatgeobuf', ...(name ? { name } : {}), ...(crs.wkt ? { wkt: crs.wkt } : {}) };
}

/** Reads every feature of a FlatGeobuf file with the `flatgeobuf` package, and the CRS its header names. */
export async function readFlatGeobuf(bytes: Uint8Array, file: string): Promise<FeatureRead> {
  if (!isFlatGeobuf(bytes)) {
    throw new InputError(
      file,
      'is not a FlatGeobuf file: it does not start with the FlatGeobuf magic bytes.',
    );
  }
  let header: HeaderMeta | null = null;
  const features: Feature[] = [];
  try {
    const iterator = deserialize(bytes, {
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
  return {
    file,
    format: 'flatgeobuf',
    collection: { type: 'FeatureCollection', features } as FeatureCollection,
    crs: crsOf(header),
    encoding: null,
    rejected: [],
    warnings: [],
    origins: null,
  };
}
