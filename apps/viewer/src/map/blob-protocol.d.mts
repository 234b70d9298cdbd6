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
/** Whether `url` is a blob's map URL. */
export declare function isBlobMapUrl(url: unknown): boolean;
/**
 * Wraps MapLibre's worker handler of a GeoJSON source's data load so that a load from a blob's map URL
 * answers without the parsed data (which the page would otherwise take in as one structured clone).
 */
export declare function withoutLoadedData<
  H extends (
    mapId: string,
    params: { request?: { url?: string } },
    abort?: AbortController,
  ) => Promise<unknown>,
>(handler: H): H;
