// The basemap catalogue (tile URLs, attributions, datum), the scenario's basemap strings, the
// GCJ-02 display shift against io, and the test fixture's PMTiles archive read back by the
// `pmtiles` reader and decoded as vector tiles.
import { gcj02ToWgs84, wgs84ToGcj02 } from '@lifecircle/io';
import { VectorTile } from '@mapbox/vector-tile';
import type { FeatureCollection } from 'geojson';
import { PbfReader } from 'pbf';
import { PMTiles, type RangeResponse, type Source, TileType } from 'pmtiles';
import { describe, expect, it } from 'vitest';
import { BASEMAP_LAYERS, basemapCityArchive } from '../../test/fixtures/basemap-city.js';
import { ATTRIBUTION, BasemapError, basemapStyle, protomapsStyleLayers, VECTOR_SOURCE } from './catalog.js';
import { collectionToDisplay, fromDisplay, toDisplay } from './datum.js';
import { basemapFromToken, basemapToken, isBasemapToken } from './token.js';

const tilesOf = (choice: Parameters<typeof basemapStyle>[0]) => {
  const style = basemapStyle(choice)!;
  return Object.values(style.sources).map((s) => (s as { tiles: string[] }).tiles);
};

describe('basemap catalogue', () => {
  it('draws nothing without a choice', () => {
    expect(basemapStyle({ kind: 'none' })).toBeNull();
  });

  it('OpenStreetMap: its raster tiles with its attribution, in WGS84', () => {
    const style = basemapStyle({ kind: 'osm' })!;
    expect(tilesOf({ kind: 'osm' })).toEqual([['https://tile.openstreetmap.org/{z}/{x}/{y}.png']]);
    expect(style.attribution).toBe('© OpenStreetMap contributors');
    expect(style.datum).toBe('wgs84');
    expect(style.layers.every((l) => l.id.startsWith('basemap'))).toBe(true);
  });

  it("Tianditu: the user's key on the map and its labels, or imagery and its labels", () => {
    const [vec, cva] = tilesOf({ kind: 'tianditu', key: ' abc123 ', imagery: false });
    expect(vec).toHaveLength(8);
    expect(vec![0]).toBe('https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=abc123');
    expect(cva![7]).toBe('https://t7.tianditu.gov.cn/DataServer?T=cva_w&x={x}&y={y}&l={z}&tk=abc123');
    const [img, cia] = tilesOf({ kind: 'tianditu', key: 'k&x', imagery: true });
    expect(img![0]).toContain('T=img_w');
    expect(cia![0]).toContain('T=cia_w');
    expect(img![0]).toContain('tk=k%26x');
    expect(basemapStyle({ kind: 'tianditu', key: 'k', imagery: true })!.attribution).toBe(
      ATTRIBUTION.tianditu,
    );
    expect(() => basemapStyle({ kind: 'tianditu', key: '  ', imagery: false })).toThrow(BasemapError);
  });

  it('AMap: road map or imagery with labels, drawn in GCJ-02', () => {
    const road = basemapStyle({ kind: 'amap', imagery: false })!;
    expect(road.datum).toBe('gcj02');
    expect(road.attribution).toBe('© 高德地图 AutoNavi');
    expect(tilesOf({ kind: 'amap', imagery: false })[0]![0]).toBe(
      'https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
    );
    const [img, labels] = tilesOf({ kind: 'amap', imagery: true });
    expect(img![3]).toContain('https://webst04.is.autonavi.com/appmaptile?');
    expect(img![3]).toContain('style=6');
    expect(labels![0]).toContain('style=8');
  });

  it('a local archive is a vector source through the pmtiles protocol, with Chinese labels and no sprite', () => {
    const style = basemapStyle({ kind: 'local', url: 'basemap.pmtiles' })!;
    expect(style.sources[VECTOR_SOURCE]).toMatchObject({ type: 'vector', url: 'pmtiles://basemap.pmtiles' });
    const layers = protomapsStyleLayers();
    expect(layers.some((l) => l.type === 'background')).toBe(false);
    const symbols = layers.filter((l) => l.type === 'symbol');
    expect(symbols.length).toBeGreaterThan(5);
    for (const l of symbols) expect(l.layout).not.toHaveProperty('icon-image');
    const locality = symbols.find((l) => l.id === 'basemap-places_locality')!;
    expect(JSON.stringify(locality.layout)).toContain('name:zh');
  });

  it('a raster URL or raster archive as before', () => {
    expect(
      basemapStyle({ kind: 'raster', url: 'https://x/{z}/{x}/{y}.png' })!.sources['basemap-raster'],
    ).toEqual({
      type: 'raster',
      tiles: ['https://x/{z}/{x}/{y}.png'],
      tileSize: 256,
    });
    expect(
      basemapStyle({ kind: 'raster', url: 'https://x/a.pmtiles' })!.sources['basemap-raster'],
    ).toMatchObject({
      url: 'pmtiles://https://x/a.pmtiles',
    });
  });
});

describe('basemap in a scenario', () => {
  it('round-trips every choice, without the Tianditu key', () => {
    const choices = [
      { kind: 'none' },
      { kind: 'osm' },
      { kind: 'amap', imagery: false },
      { kind: 'amap', imagery: true },
      { kind: 'tianditu', key: 'mykey', imagery: true },
      { kind: 'local', url: 'tiles/basemap.pmtiles' },
      { kind: 'raster', url: 'https://tiles.example/{z}/{x}/{y}.png' },
    ] as const;
    for (const c of choices) {
      const token = basemapToken(c);
      expect(token ?? '').not.toContain('mykey');
      expect(basemapFromToken(token, 'mykey')).toEqual(c);
    }
  });

  it('refuses strings that are not basemaps', () => {
    for (const bad of [
      'javascript:alert(1)',
      'local:../secret.pmtiles',
      'local:x.geojson',
      'amap:other',
      'data:x',
    ]) {
      expect(isBasemapToken(bad), bad).toBe(false);
      expect(basemapFromToken(bad, '')).toEqual({ kind: 'none' });
    }
  });
});

describe('display datum', () => {
  it('shifts to GCJ-02 as io does and back within a millimetre', () => {
    const [x, y] = toDisplay('gcj02', 106.68, 35.545);
    expect([x, y]).toEqual(wgs84ToGcj02(106.68, 35.545));
    const [lon, lat] = fromDisplay('gcj02', x, y);
    expect(lon).toBeCloseTo(106.68, 8);
    expect(lat).toBeCloseTo(35.545, 8);
    expect(toDisplay('wgs84', 1, 2)).toEqual([1, 2]);
  });

  it('shifts every position of a collection, keeping ids and properties, leaving the input alone', () => {
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 3,
          properties: { t: 1 },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [106.6, 35.5],
                  [106.7, 35.5],
                  [106.7, 35.6],
                  [106.6, 35.5],
                ],
              ],
            ],
          },
        },
        { type: 'Feature', id: 4, properties: {}, geometry: { type: 'Point', coordinates: [106.65, 35.55] } },
      ],
    };
    const copy = structuredClone(fc);
    const shown = collectionToDisplay(fc, 'gcj02');
    expect(fc).toEqual(copy);
    expect(shown.features[0]!.id).toBe(3);
    expect(shown.features[0]!.properties).toEqual({ t: 1 });
    const p = (shown.features[1]!.geometry as { coordinates: number[] }).coordinates;
    expect(p).toEqual(wgs84ToGcj02(106.65, 35.55));
    const back = gcj02ToWgs84(p[0]!, p[1]!);
    expect(back[0]).toBeCloseTo(106.65, 8);
    expect(collectionToDisplay(fc, 'wgs84')).toBe(fc);
  });
});

class BytesSource implements Source {
  constructor(private readonly bytes: Uint8Array) {}
  getKey(): string {
    return 'fixture';
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const slice = this.bytes.slice(offset, offset + length);
    return { data: slice.buffer };
  }
}

describe('test fixture: the PMTiles writer', () => {
  it('writes an archive the pmtiles reader opens, with the features and Chinese names in its tiles', async () => {
    const archive = new PMTiles(new BytesSource(basemapCityArchive()));
    const header = await archive.getHeader();
    expect(header.specVersion).toBe(3);
    expect(header.tileType).toBe(TileType.Mvt);
    expect([header.minZoom, header.maxZoom]).toEqual([0, 13]);
    expect(header.numAddressedTiles).toBeGreaterThan(13);
    const metadata = (await archive.getMetadata()) as { vector_layers: { id: string }[] };
    expect(metadata.vector_layers.map((l) => l.id).sort()).toEqual(Object.keys(BASEMAP_LAYERS).sort());
    // The tile holding the town at zoom 12.
    const n = 2 ** 12;
    const x = Math.floor(((106.665 + 180) / 360) * n);
    const r = (35.545 * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
    const tile = await archive.getZxy(12, x, y);
    expect(tile).toBeDefined();
    const decoded = new VectorTile(new PbfReader(new Uint8Array(tile!.data)));
    const places = decoded.layers.places!;
    expect(places.length).toBe(1);
    expect(places.feature(0).properties['name:zh']).toBe('平凉市');
    const town = places.feature(0).toGeoJSON(x, y, 12).geometry as { coordinates: number[] };
    expect(town.coordinates[0]).toBeCloseTo(106.665, 3);
    expect(town.coordinates[1]).toBeCloseTo(35.545, 3);
    expect(decoded.layers.roads!.length).toBe(2);
    // Outside the bounds there is no tile.
    expect(await archive.getZxy(12, 0, 0)).toBeUndefined();
  });
});
