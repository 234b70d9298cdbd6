// GeoJSON text the analysis worker wrote, read by MapLibre's own worker. MapLibre's worker does not
// fetch a `blob:` URL itself: its requests for any URL with a scheme other than http(s) go to the
// page, which fetched the text, parsed it and cloned every feature back to the worker on its main
// thread (1.3 s and more at 20,000 facilities). This module gives the GeoJSON sources a scheme of
// their own whose loader runs where it is registered: imported into MapLibre's worker with
// `importScriptInWorkers` (plain JavaScript, as that loads it unbundled), it registers there, and the
// worker fetches and parses the text; the page registers the same loader, in case the import failed.

/** The scheme of a blob's map URL. */
export const BLOB_PROTOCOL = 'lifecircle-blob';

const PREFIX = `${BLOB_PROTOCOL}://map/`;

/**
 * The URL a GeoJSON source is given for an object URL of GeoJSON text.
 * @param {string} objectUrl
 * @returns {string}
 */
export function blobMapUrl(objectUrl) {
  return PREFIX + encodeURIComponent(objectUrl);
}

/**
 * MapLibre's protocol loader: the object URL's GeoJSON, parsed where this runs.
 * @param {{ url: string }} request
 * @param {AbortController} abortController
 * @returns {Promise<{ data: unknown }>}
 */
export async function loadBlobJson(request, abortController) {
  const response = await fetch(decodeURIComponent(request.url.slice(PREFIX.length)), {
    signal: abortController.signal,
  });
  return { data: await response.json() };
}

/**
 * Whether `url` is a blob's map URL ({@link blobMapUrl}).
 * @param {unknown} url
 * @returns {boolean}
 */
export function isBlobMapUrl(url) {
  return typeof url === 'string' && url.startsWith(PREFIX);
}

/**
 * Wraps MapLibre's worker handler of a GeoJSON source's data load (message `LD`) so that a load from a
 * blob's map URL answers without the data. MapLibre's worker answers a load from any URL with the
 * GeoJSON it parsed, for the page's copy of the source's data (`GeoJSONSource.getData`, which the
 * viewer never calls), so the page took in every feature again as one structured clone per source: at
 * 20,000 × 200,000, 72 messages of 14,000–27,504 objects each (about 1.2 million objects in all),
 * 3–35 ms each to read under load, then held on the page's heap. Without it the page
 * keeps the source's URL as its data; tiles are cut in the worker as before.
 * @template {(mapId: string, params: { request?: { url?: string } }, abort?: AbortController) => Promise<unknown>} H
 * @param {H} handler
 * @returns {H}
 */
export function withoutLoadedData(handler) {
  return /** @type {H} */ (
    async (mapId, params, abort) => {
      const result = await handler(mapId, params, abort);
      if (!isBlobMapUrl(params?.request?.url) || result === null || typeof result !== 'object') return result;
      const { data: _data, ...rest } = /** @type {Record<string, unknown>} */ (result);
      return rest;
    }
  );
}

// In MapLibre's worker, which gives its global scope `addProtocol` and `worker` (MapLibre's worker
// object, whose actor holds the message handlers); on the page `self` has neither.
if (typeof self !== 'undefined' && typeof self.addProtocol === 'function') {
  self.addProtocol(BLOB_PROTOCOL, loadBlobJson);
  const handlers = self.worker?.actor?.messageHandlers;
  if (handlers && typeof handlers.LD === 'function') handlers.LD = withoutLoadedData(handlers.LD);
}
