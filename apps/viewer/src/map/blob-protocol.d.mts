// Types of blob-protocol.mjs (plain JavaScript: MapLibre's worker imports it unbundled).
import type { GetResourceResponse, RequestParameters } from 'maplibre-gl';

/** The scheme of a blob's map URL. */
export declare const BLOB_PROTOCOL: string;
/** The URL a GeoJSON source is given for an object URL of GeoJSON text. */
export declare function blobMapUrl(objectUrl: string): string;
/** MapLibre's protocol loader: the object URL's GeoJSON, parsed where this runs. */
export declare function loadBlobJson(
  request: RequestParameters,
  abortController: AbortController,
): Promise<GetResourceResponse<object>>;
