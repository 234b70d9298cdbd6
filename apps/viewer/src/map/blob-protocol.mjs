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

// In MapLibre's worker, which gives its global scope `addProtocol`; on the page `self` has none.
if (typeof self !== 'undefined' && typeof self.addProtocol === 'function')
  self.addProtocol(BLOB_PROTOCOL, loadBlobJson);
