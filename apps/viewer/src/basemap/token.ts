// A basemap choice as one string, for the scenario file and the URL: `osm`, `amap`, `amap:imagery`,
// `tianditu`, `tianditu:imagery`, `local:<url>`, or a raster URL as before (so older scenarios
// reopen). The Tianditu key is the user's own and is never written: it comes from the browser.
import type { BasemapChoice } from './catalog.js';

const LOCAL = 'local:';

/** The string a scenario stores for a choice (null: no basemap). */
export function basemapToken(choice: BasemapChoice): string | null {
  switch (choice.kind) {
    case 'none':
      return null;
    case 'osm':
      return 'osm';
    case 'amap':
    case 'tianditu':
      return choice.imagery ? `${choice.kind}:imagery` : choice.kind;
    case 'local':
      return `${LOCAL}${choice.url}`;
    case 'raster':
      return choice.url;
  }
}

/** Whether a string from an untrusted scenario names a basemap this viewer may use. */
export function isBasemapToken(token: string): boolean {
  if (/^(osm|amap|amap:imagery|tianditu|tianditu:imagery)$/.test(token)) return true;
  const url = token.startsWith(LOCAL) ? token.slice(LOCAL.length) : token;
  // A local archive may be a path beside the build; anything else must be a web or PMTiles URL.
  if (token.startsWith(LOCAL) && /^[\w./-]+\.pmtiles$/i.test(url) && !url.includes('..')) return true;
  return /^(https:\/\/|http:\/\/|pmtiles:\/\/)/.test(url);
}

/** The choice a stored string names, with the user's Tianditu key. */
export function basemapFromToken(token: string | null, tiandituKey: string): BasemapChoice {
  if (token === null || !isBasemapToken(token)) return { kind: 'none' };
  if (token === 'osm') return { kind: 'osm' };
  const [service, variant] = token.split(':');
  if (service === 'amap' && (variant === undefined || variant === 'imagery'))
    return { kind: 'amap', imagery: variant === 'imagery' };
  if (service === 'tianditu' && (variant === undefined || variant === 'imagery'))
    return { kind: 'tianditu', key: tiandituKey, imagery: variant === 'imagery' };
  if (token.startsWith(LOCAL)) return { kind: 'local', url: token.slice(LOCAL.length) };
  return { kind: 'raster', url: token };
}
