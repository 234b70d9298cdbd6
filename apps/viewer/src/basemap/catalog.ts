// The basemaps a planner can put under the analysis. None is the default, so the viewer needs no
// network; the local one is a PMTiles vector archive (served beside the build or dropped on the
// page) drawn with the Protomaps style and Chinese labels; the online ones are opted into, each
// drawn with its provider's attribution. AMap's tiles are in GCJ-02 (the offset Chinese datum), so
// choosing AMap shifts everything the viewer draws to GCJ-02 for display; the analysis stays WGS84.
import { namedFlavor, layers as protomapsLayers } from '@protomaps/basemaps';
import type { LayerSpecification, SourceSpecification } from 'maplibre-gl';

/** The datum a basemap's tiles are drawn in; the viewer's own layers follow it for display. */
export type DisplayDatum = 'wgs84' | 'gcj02';

/** What the user chose under *Basemap*. */
export type BasemapChoice =
  | { readonly kind: 'none' }
  /** A PMTiles vector archive (Protomaps basemap schema) at a URL of this site or a dropped file. */
  | { readonly kind: 'local'; readonly url: string }
  | { readonly kind: 'osm' }
  /** Tianditu (天地图) with the user's own key (`tk`), vector map or imagery, each with its labels. */
  | { readonly kind: 'tianditu'; readonly key: string; readonly imagery: boolean }
  /** AMap (高德): road map or satellite imagery (with road labels), in GCJ-02. */
  | { readonly kind: 'amap'; readonly imagery: boolean }
  /** Any raster tiles: an XYZ template with {z}/{x}/{y}, or a raster PMTiles archive. */
  | { readonly kind: 'raster'; readonly url: string };

export type BasemapKind = BasemapChoice['kind'];

/** What MapLibre needs to draw a basemap, and what the page says about it. */
export interface BasemapStyle {
  readonly sources: Readonly<Record<string, SourceSpecification>>;
  /** Layers, bottom first; ids all start with `basemap`. */
  readonly layers: readonly LayerSpecification[];
  /** The provider's attribution, shown on the map and in print. */
  readonly attribution: string;
  readonly datum: DisplayDatum;
}

/** Source id of the local vector basemap; the Protomaps style refers to its layers by this name. */
export const VECTOR_SOURCE = 'basemap';

export const ATTRIBUTION = {
  osm: '© OpenStreetMap contributors',
  protomaps: 'Protomaps © OpenStreetMap contributors',
  tianditu: '© 天地图 Tianditu (国家地理信息公共服务平台)',
  amap: '© 高德地图 AutoNavi',
} as const;

/** Whether a service offers imagery (a satellite view) as well as a map. */
export function hasImagery(kind: BasemapKind): boolean {
  return kind === 'tianditu' || kind === 'amap';
}

/** Tianditu's Web Mercator (`_w`) layers: map `vec` with labels `cva`, imagery `img` with labels `cia`. */
function tiandituTiles(layer: string, key: string): string[] {
  const tk = encodeURIComponent(key.trim());
  return Array.from(
    { length: 8 },
    (_, s) => `https://t${s}.tianditu.gov.cn/DataServer?T=${layer}_w&x={x}&y={y}&l={z}&tk=${tk}`,
  );
}

/** AMap's tile servers: road map (style 8 on `webrd`), imagery (style 6) and its labels (style 8) on `webst`. */
function amapTiles(host: 'webrd' | 'webst', style: 6 | 8): string[] {
  return [1, 2, 3, 4].map(
    (s) =>
      `https://${host}0${s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=${style}&x={x}&y={y}&z={z}`,
  );
}

function raster(
  id: string,
  tiles: string[],
  attribution: string,
  maxzoom: number,
): [string, SourceSpecification, LayerSpecification] {
  return [
    id,
    { type: 'raster', tiles, tileSize: 256, maxzoom, attribution },
    { id, type: 'raster', source: id },
  ];
}

function rasterStyle(
  parts: [string, SourceSpecification, LayerSpecification][],
  datum: DisplayDatum,
): BasemapStyle {
  const attribution = (parts[0]![1] as { attribution?: string }).attribution ?? '';
  return {
    sources: Object.fromEntries(parts.map(([id, source]) => [id, source])),
    layers: parts.map(([, , layer]) => layer),
    attribution,
    datum,
  };
}

/**
 * The Protomaps "light" style for a local archive, with Chinese names (`name:zh`) where the data
 * has them. Offline: no sprite, so icon images are left out (the layers that are only icons go,
 * labels stay); text is drawn from local fonts by MapLibre since the style has no glyphs URL. The
 * style's own background is left out: the viewer's stays below everything.
 */
export function protomapsStyleLayers(): LayerSpecification[] {
  const out: LayerSpecification[] = [];
  for (const layer of protomapsLayers(VECTOR_SOURCE, namedFlavor('light'), { lang: 'zh' })) {
    if (layer.type === 'background') continue;
    if (layer.type === 'symbol') {
      const { 'icon-image': _icon, ...layout } = (layer.layout ?? {}) as Record<string, unknown>;
      if (!('text-field' in layout)) continue;
      out.push({ ...layer, id: `basemap-${layer.id}`, layout } as LayerSpecification);
      continue;
    }
    out.push({ ...layer, id: `basemap-${layer.id}` } as LayerSpecification);
  }
  return out;
}

/** A `pmtiles://` URL for MapLibre's PMTiles protocol (a bare `….pmtiles` URL gets the prefix). */
export function pmtilesUrl(url: string): string {
  return url.startsWith('pmtiles://') ? url : `pmtiles://${url}`;
}

/** The sources and layers of a choice, or null for none. Throws when a Tianditu key is missing. */
export function basemapStyle(choice: BasemapChoice): BasemapStyle | null {
  switch (choice.kind) {
    case 'none':
      return null;
    case 'local':
      return {
        sources: {
          [VECTOR_SOURCE]: {
            type: 'vector',
            url: pmtilesUrl(choice.url),
            attribution: ATTRIBUTION.protomaps,
          },
        },
        layers: protomapsStyleLayers(),
        attribution: ATTRIBUTION.protomaps,
        datum: 'wgs84',
      };
    case 'osm':
      return rasterStyle(
        [raster('basemap-osm', ['https://tile.openstreetmap.org/{z}/{x}/{y}.png'], ATTRIBUTION.osm, 19)],
        'wgs84',
      );
    case 'tianditu': {
      if (!choice.key.trim()) throw new BasemapError('tiandituKeyMissing');
      // Tianditu's `_w` tiles are CGCS2000 on Web Mercator, which matches WGS84 to well under a metre.
      const [base, labels] = choice.imagery ? ['img', 'cia'] : ['vec', 'cva'];
      return rasterStyle(
        [
          raster('basemap-tianditu', tiandituTiles(base, choice.key), ATTRIBUTION.tianditu, 18),
          raster('basemap-tianditu-labels', tiandituTiles(labels, choice.key), ATTRIBUTION.tianditu, 18),
        ],
        'wgs84',
      );
    }
    case 'amap':
      return rasterStyle(
        choice.imagery
          ? [
              raster('basemap-amap', amapTiles('webst', 6), ATTRIBUTION.amap, 18),
              raster('basemap-amap-labels', amapTiles('webst', 8), ATTRIBUTION.amap, 18),
            ]
          : [raster('basemap-amap', amapTiles('webrd', 8), ATTRIBUTION.amap, 18)],
        'gcj02',
      );
    case 'raster': {
      const url = choice.url.trim();
      const isPmtiles = url.startsWith('pmtiles://') || /\.pmtiles(\?|$)/i.test(url);
      const source: SourceSpecification = isPmtiles
        ? { type: 'raster', url: pmtilesUrl(url), tileSize: 256 }
        : { type: 'raster', tiles: [url], tileSize: 256 };
      return {
        sources: { 'basemap-raster': source },
        layers: [{ id: 'basemap-raster', type: 'raster', source: 'basemap-raster' }],
        attribution: '',
        datum: 'wgs84',
      };
    }
  }
}

/** A mistake in the basemap settings; `code` is the message key shown to the user. */
export class BasemapError extends Error {
  constructor(readonly code: 'tiandituKeyMissing') {
    super(code);
    this.name = 'BasemapError';
  }
}
