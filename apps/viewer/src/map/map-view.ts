// The map: MapLibre GL with an offline style (a plain background, no tiles, no glyphs, no sprite), the
// context layers of the loaded files, the communities coloured from feature-state, the facilities of
// each type, catchments (radius circles, or walking catchments from core when the analysis walks a
// road network), proposals and chosen sites.
//
// Layers are created when data is loaded, never on a view change: a recolour sets one feature-state
// value per changed community, and switching the type toggles the visibility of per-type layers.
// Text on the map (county names, site ranks) is HTML markers, because a symbol layer would need glyphs
// from a server; markers set textContent only.
import {
  addProtocol,
  type ExpressionSpecification,
  type GeoJSONSource,
  type GeoJSONSourceSpecification,
  importScriptInWorkers,
  type LayerSpecification,
  LngLatBounds,
  type LngLatBoundsLike,
  Map as MapLibreMap,
  type MapMouseEvent,
  type MapSourceDataEvent,
  Marker,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { BasemapStyle, DisplayDatum } from '../basemap/catalog.js';
import { collectionToDisplay, fromDisplay, toDisplay } from '../basemap/datum.js';
import { h } from '../ui/dom.js';
import { type MapParts, orderByPart } from '../worker/protocol.js';
import { BLOB_PROTOCOL, blobMapUrl, loadBlobJson } from './blob-protocol.mjs';
import blobProtocolUrl from './blob-protocol.mjs?url';
import { type CommunityPattern, facilityColour, NO_DATA, PALETTE, paletteIndex } from './colours.js';

/** Feature-state value of each community pattern (0: none), read by the pattern layers. */
const PATTERN_CODE: Readonly<Record<CommunityPattern, number>> = { none: 0, gap: 1, unknown: 2 };

// MapLibre loads its worker next to its own module by default; in a bundle that file is an asset.
setWorkerUrl(maplibreWorkerUrl);
// GeoJSON text from the analysis worker reaches MapLibre's worker by a scheme of our own
// (blob-protocol.mjs), whose loader runs in that worker; the page's copy serves only if the worker
// could not import it.
addProtocol(BLOB_PROTOCOL, loadBlobJson);

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * The id of part `part` of a source or layer split into parts (see MapParts): part 0 keeps the plain
 * id, so that a city of one part has the layers and sources it always had.
 */
export function partId(id: string, part: number): string {
  return part === 0 ? id : `${id}:${part}`;
}

/**
 * Pixels each GeoJSON tile holds beyond its edge. MapLibre's default, 128 of a tile's 512, is room for
 * labels, which this map does not draw; with it a tile carried 2.25 times the area it shows, so every
 * community's polygon was cut, sent, uploaded and recoloured in up to four tiles. Fills and lines need
 * room for their widest line (the outlines' 3 px, a major road's 6 px) and a pixel of antialiasing.
 */
const LINE_BUFFER_PX = 8;
/**
 * Circles need none: MapLibre draws a circle whole (unclipped) from the tile its centre lies in and
 * leaves it out of the others. One pixel keeps a centre on a tile's edge in both tiles' data, and the
 * two tiles round it alike, so exactly one of them draws it.
 */
const POINT_BUFFER_PX = 1;

/** A facility's circle radius in pixels by zoom, the same for every type. */
const FACILITY_RADIUS: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['zoom'],
  9,
  1.6,
  12,
  2.8,
  15,
  5,
  18,
  8,
];

/**
 * The longest wait for a frame between pieces of work split over frames ({@link MapView.frameDrawn}),
 * in milliseconds: a page in the background draws none, and its timers still run (throttled).
 */
const FRAME_WAIT_MS = 250;

/** Metres per pixel at zoom 0 on the equator for MapLibre's 512-pixel tiles: 2πR / 512. */
const METRES_PER_PIXEL_Z0 = (2 * Math.PI * 6_378_137) / 512;

/**
 * A circle-radius expression that draws `metres` on the ground at latitude `lat` at every zoom (Web
 * Mercator scale is 2^zoom / cos(lat)); within one city the latitude varies too little to matter.
 */
export function metresToPixelsExpression(metres: number, lat: number): ExpressionSpecification {
  const z0 = metres / (METRES_PER_PIXEL_Z0 * Math.cos((lat * Math.PI) / 180));
  return ['interpolate', ['exponential', 2], ['zoom'], 0, z0, 24, z0 * 2 ** 24];
}

export interface MapLabel {
  readonly lon: number;
  readonly lat: number;
  readonly text: string;
  readonly kind: 'county' | 'site' | 'proposal';
}

export interface MapEvents {
  hover(community: number | null, point: { x: number; y: number } | null): void;
  click(community: number | null, lngLat: { lon: number; lat: number }): void;
  proposalMoved(index: number, lon: number, lat: number): void;
  /** A corner of a drawn excluded area (`area`; null: the area being drawn) was dragged or nudged. */
  cornerMoved(area: number | null, corner: number, lon: number, lat: number): void;
}

/** Pixels a corner or proposal moves per arrow key press (ten with Shift held). */
const NUDGE_PX = 4;

export class MapView {
  readonly map: MapLibreMap;
  private readonly ready: Promise<void>;
  private communityCount = 0;
  /** The map part of each community, whose sources `communities` and `outlines` draw it. */
  private communityPartOf: Uint16Array = new Uint16Array(0);
  private communityParts = 1;
  /** The communities ordered by part: a recolour writes one part's colours after another. */
  private communityOrder: Uint32Array = new Uint32Array(0);
  /** Parts of each facility type's sources. */
  private facilityParts: number[] = [];
  /** The palette index each community shows now, to send only changes to feature-state. */
  private colours = new Int16Array(0);
  /** The pattern code each community shows now (see PATTERN_CODE). */
  private patterns = new Int8Array(0);
  private hovered: number | null = null;
  private selected: number | null = null;
  private highlighted = new Set<number>();
  private countyMarkers: Marker[] = [];
  private siteMarkers: Marker[] = [];
  private sitesKey = '';
  private proposalMarkers: Marker[] = [];
  private cornerMarkers: Marker[] = [];
  private readonly crosshair: HTMLElement;
  private communityMarkers: Marker[] = [];
  private referenceLat = 35;
  private catchmentsOn = true;
  private facilitiesOn = true;
  private visibleTypes: ReadonlySet<number> = new Set();
  private catchmentType = -1;
  private radii: readonly number[] = [];
  private proposeEnabled = false;
  /** Radius circles (straight-line distance) or walking-catchment polygons (network distance). */
  private catchmentKind: 'radius' | 'walking' = 'radius';
  /** The datum things are drawn in: WGS84, or GCJ-02 on top of AMap's tiles (display only). */
  private datum: DisplayDatum = 'wgs84';
  /**
   * Each GeoJSON source's data as given (WGS84; objects, or GeoJSON text from the worker), to draw it
   * again when the display datum changes.
   */
  private readonly givenData = new Map<string, MapData>();
  /** The object URL each source's GeoJSON text is read from by MapLibre's worker, until it has read it. */
  private readonly dataUrls = new Map<string, string>();
  /** Palette index and pattern code of each community that still waits for its feature-state write. */
  private readonly recolourQueue = new RecolourQueue();
  /** Each marker's position as given (WGS84). */
  private readonly givenPositions = new Map<Marker, [number, number]>();
  private basemapSources: string[] = [];
  private basemapLayers: string[] = [];

  constructor(
    container: HTMLElement,
    private readonly events: MapEvents,
  ) {
    this.map = new MapLibreMap({
      container,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } }],
      },
      center: [106.68, 35.545],
      zoom: 11,
      attributionControl: false,
      fadeDuration: 0,
      maxPitch: 0,
      dragRotate: false,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    // The keyboard's cursor: the map's centre, where *place at the centre* puts a proposal or a corner
    // (the arrow keys pan the map under it).
    this.crosshair = h('div', {
      class: 'map-crosshair',
      'data-testid': 'map-crosshair',
      'aria-hidden': 'true',
    });
    this.crosshair.hidden = true;
    container.append(this.crosshair);
    this.ready = Promise.all([
      new Promise<void>((resolve) => this.map.once('load', () => resolve())),
      importScriptInWorkers(new URL(blobProtocolUrl, document.baseURI).href).catch(() => undefined),
    ]).then(() => undefined);
    void this.ready.then(() => this.addBaseLayers());
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  private addBaseLayers(): void {
    const map = this.map;
    // Outlines have their own copy of the communities, so that hover and selection states and the
    // colour state live on different sources: a recolour then updates the fill buffers only.
    for (const [id, buffer] of [
      ['districts', LINE_BUFFER_PX],
      ['water', LINE_BUFFER_PX],
      ['roads', LINE_BUFFER_PX],
      ['railway', LINE_BUFFER_PX],
      ['communities', LINE_BUFFER_PX],
      ['outlines', LINE_BUFFER_PX],
      ['proposals', POINT_BUFFER_PX],
      ['sites', POINT_BUFFER_PX],
      ['walking', LINE_BUFFER_PX],
      ['sites-walking', LINE_BUFFER_PX],
      ['excluded-drawn', LINE_BUFFER_PX],
    ] as const) {
      map.addSource(id, { type: 'geojson', data: EMPTY, buffer } satisfies GeoJSONSourceSpecification);
    }
    map.addLayer({
      id: 'districts-fill',
      type: 'fill',
      source: 'districts',
      paint: { 'fill-color': '#ebe7dd' },
    });
    map.addLayer({
      id: 'water-fill',
      type: 'fill',
      source: 'water',
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': '#b5d0e8' },
    });
    map.addLayer({
      id: 'water-line',
      type: 'line',
      source: 'water',
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#8fb7dc', 'line-width': 1.5 },
    });
    const roadWidth = (major: number, minor: number): ExpressionSpecification => [
      'interpolate',
      ['linear'],
      ['zoom'],
      10,
      [
        'match',
        ['get', 'highway'],
        ['motorway', 'primary', 'trunk'],
        major * 0.5,
        ['secondary', 'tertiary'],
        minor * 0.5,
        0.2,
      ],
      16,
      [
        'match',
        ['get', 'highway'],
        ['motorway', 'primary', 'trunk'],
        major * 2.4,
        ['secondary', 'tertiary'],
        minor * 2.4,
        1.2,
      ],
    ];
    map.addLayer({
      id: 'roads-line',
      type: 'line',
      source: 'roads',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'highway'], ['motorway', 'motorway_link'], '#d9b77a', '#ffffff'],
        'line-width': roadWidth(2.4, 1.6),
      },
    });
    map.addLayer({
      id: 'railway-line',
      type: 'line',
      source: 'railway',
      filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': '#777', 'line-width': 1.6, 'line-dasharray': [3, 2] },
    });
    for (const [name, image] of [
      ['pattern-gap', hatchImage()],
      ['pattern-unknown', dotImage()],
      ['point-gap', discImage(stripeInk)],
      ['point-unknown', discImage(dotInk)],
    ] as const)
      map.addImage(name, image);
    this.addCommunityLayers(0);
    map.addLayer({
      id: 'districts-line',
      type: 'line',
      source: 'districts',
      paint: { 'line-color': '#6d6357', 'line-width': 1.4, 'line-dasharray': [4, 2] },
    });
    // Walking catchments: core's shapes of the streets reachable on foot (network distance only).
    map.addLayer({
      id: 'walking-fill',
      type: 'fill',
      source: 'walking',
      paint: { 'fill-color': '#263238', 'fill-opacity': 0 },
    });
    map.addLayer({
      id: 'walking-line',
      type: 'line',
      source: 'walking',
      paint: { 'line-color': '#263238', 'line-width': 1, 'line-opacity': 0 },
    });
    const siteColour: ExpressionSpecification = ['match', ['get', 'k'], 1, '#6a1b9a', '#00838f'];
    map.addLayer({
      id: 'sites-walking-fill',
      type: 'fill',
      source: 'sites-walking',
      paint: { 'fill-color': siteColour, 'fill-opacity': 0.12 },
    });
    map.addLayer({
      id: 'sites-walking-line',
      type: 'line',
      source: 'sites-walking',
      paint: { 'line-color': siteColour, 'line-width': 1.5 },
    });
    map.addLayer({
      id: 'proposals-catchment',
      type: 'circle',
      source: 'proposals',
      paint: {
        'circle-color': 'rgba(0, 131, 143, 0.12)',
        'circle-stroke-color': '#00838f',
        'circle-stroke-width': 1.5,
        'circle-radius': 0,
        'circle-pitch-alignment': 'map',
      },
    });
    map.addLayer({
      id: 'sites-catchment',
      type: 'circle',
      source: 'sites',
      paint: {
        'circle-color': 'rgba(106, 27, 154, 0.12)',
        'circle-stroke-color': '#6a1b9a',
        'circle-stroke-width': 1.5,
        'circle-radius': 0,
        'circle-pitch-alignment': 'map',
      },
    });

    // Excluded areas drawn on the map: hatched red, the one being drawn dashed.
    map.addImage('pattern-excluded', hatchImage([198, 40, 40, 190]));
    map.addLayer({
      id: 'excluded-drawn-fill',
      type: 'fill',
      source: 'excluded-drawn',
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-pattern': 'pattern-excluded' },
    });
    // Two line layers rather than a dash pattern chosen per feature: a constant dash array per layer.
    for (const [id, draft, dash] of [
      ['excluded-drawn-line', false, [1, 0]],
      ['excluded-draft-line', true, [2, 2]],
    ] as const) {
      map.addLayer({
        id,
        type: 'line',
        source: 'excluded-drawn',
        filter: ['==', ['get', 'draft'], draft],
        paint: { 'line-color': '#c62828', 'line-width': 2, 'line-dasharray': [...dash] },
      });
    }

    // On the map rather than on a layer: the communities' fills are a layer per part.
    map.on('mousemove', (e) => this.onHover(e));
    map.on('mouseout', () => this.setHover(null, null));
    map.on('click', (e) => this.onClick(e));
  }

  /**
   * Adds an empty GeoJSON source for a part of the data, without MapLibre's style validation: it
   * serialises the whole style on every call, so adding a big city's parts one source and layer after
   * another costs the square of their number (at 20,000 × 200,000, about 50 sources and 150 layers of
   * facilities took 270 ms of one main-thread task, most of it serialising). The parts' sources and
   * layers are this file's own, the same for every part; the base layers keep the validation.
   */
  private addPartSource(id: string, buffer: number): void {
    const spec: GeoJSONSourceSpecification = { type: 'geojson', data: EMPTY, buffer };
    this.map.style.addSource(id, spec, { validate: false });
    // What Map.addSource does after it: the style is updated before the next frame.
    this.map._update(true);
  }

  /** Adds a layer of a part of the data, without validation (see {@link addPartSource}). */
  private addPartLayer(layer: LayerSpecification, before?: string): void {
    this.map.style.addLayer(layer, before, { validate: false });
    this.map._update(true);
  }

  /**
   * The layers of one part of the communities (its sources `communities` and `outlines`): fills,
   * patterns and points, then the outline. Part 0 is added with the base layers, in their order;
   * further parts go below the outlines (of every part) and above the other parts' fills.
   */
  private addCommunityLayers(part: number): void {
    const source = partId('communities', part);
    // The fills skip MapLibre's antialiasing pass, a line drawn along every polygon's edges: the
    // outlines layer draws those edges anyway, and without a GPU (software WebGL) that pass was
    // 15–20 % of a frame's drawing at 2,000 communities (docs/benchmarks.md, test/frame-cost.test.ts).
    const fillsBefore = part === 0 ? undefined : 'communities-line';
    const linesBefore = part === 0 ? undefined : 'districts-line';
    this.addPartLayer(
      {
        id: partId('communities-fill', part),
        type: 'fill',
        source,
        paint: {
          'fill-color': paletteExpression(),
          'fill-opacity': 0.88,
          'fill-antialias': false,
        },
      },
      fillsBefore,
    );
    // Patterns say what colour alone would (hatched: a gap or a failed verdict; dotted: unknown), for
    // colour-blind readers and greyscale print. A pattern layer cannot take its image from
    // feature-state, so each pattern has a layer whose opacity the state switches on.
    for (const pattern of ['gap', 'unknown'] as const) {
      this.addPartLayer(
        {
          id: partId(`communities-${pattern}`, part),
          type: 'fill',
          source,
          paint: {
            'fill-pattern': `pattern-${pattern}`,
            'fill-antialias': false,
            'fill-opacity': ['case', ['==', ['feature-state', 'p'], PATTERN_CODE[pattern]], 1, 0],
          },
        },
        fillsBefore,
      );
    }
    this.addPartLayer(
      {
        id: partId('communities-point', part),
        type: 'circle',
        source,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: {
          'circle-color': paletteExpression(),
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3, 16, 9],
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 0.8,
        },
      },
      fillsBefore,
    );
    // Point communities carry the same patterns as polygons, on a disc the size of the point.
    for (const pattern of ['gap', 'unknown'] as const) {
      this.addPartLayer(
        {
          id: partId(`communities-point-${pattern}`, part),
          type: 'symbol',
          source,
          filter: ['==', ['geometry-type'], 'Point'],
          layout: {
            'icon-image': `point-${pattern}`,
            'icon-size': ['interpolate', ['linear'], ['zoom'], 10, 6 / DISC_PX, 16, 18 / DISC_PX],
            'icon-allow-overlap': true,
            'icon-ignore-placement': true,
          },
          paint: { 'icon-opacity': ['case', ['==', ['feature-state', 'p'], PATTERN_CODE[pattern]], 1, 0] },
        },
        fillsBefore,
      );
    }
    this.addPartLayer(
      {
        id: partId('communities-line', part),
        type: 'line',
        source: partId('outlines', part),
        paint: {
          'line-color': [
            'case',
            ['boolean', ['feature-state', 'sel'], false],
            '#111111',
            ['boolean', ['feature-state', 'hl'], false],
            '#00838f',
            ['boolean', ['feature-state', 'hover'], false],
            '#333333',
            '#ffffff',
          ],
          'line-width': [
            'case',
            ['boolean', ['feature-state', 'sel'], false],
            3,
            ['boolean', ['feature-state', 'hl'], false],
            2.5,
            ['boolean', ['feature-state', 'hover'], false],
            2,
            0.6,
          ],
        },
      },
      linesBefore,
    );
  }

  /** The community under a point of the map, on these layers of every part (fills and points by default). */
  private communityAt(e: MapMouseEvent, layers = ['communities-fill', 'communities-point']): number | null {
    const ids: string[] = [];
    for (let part = 0; part < this.communityParts; part++)
      for (const layer of layers) ids.push(partId(layer, part));
    const features = this.map.queryRenderedFeatures(e.point, { layers: ids });
    const id = features[0]?.id;
    return typeof id === 'number' ? id : null;
  }

  /** The outlines' source that draws community `c`. */
  private outlines(c: number): string {
    return partId('outlines', this.communityPartOf[c] ?? 0);
  }

  private onHover(e: MapMouseEvent): void {
    // Over the fills only, as a hover always was; away from them once is enough.
    const c = this.communityAt(e, ['communities-fill']);
    if (c === null && this.hovered === null) return;
    this.setHover(c, c === null ? null : { x: e.point.x, y: e.point.y });
    this.map.getCanvas().style.cursor = this.proposeEnabled ? 'crosshair' : c === null ? '' : 'pointer';
  }

  private setHover(c: number | null, point: { x: number; y: number } | null): void {
    if (this.hovered !== c) {
      if (this.hovered !== null)
        this.map.setFeatureState({ source: this.outlines(this.hovered), id: this.hovered }, { hover: false });
      if (c !== null) this.map.setFeatureState({ source: this.outlines(c), id: c }, { hover: true });
      this.hovered = c;
    }
    if (c === null && !this.proposeEnabled) this.map.getCanvas().style.cursor = '';
    this.events.hover(c, point);
  }

  private onClick(e: MapMouseEvent): void {
    const [lon, lat] = fromDisplay(this.datum, e.lngLat.lng, e.lngLat.lat);
    this.events.click(this.communityAt(e), { lon, lat });
  }

  /**
   * Sets the community polygons, GeoJSON text from the worker in parts with feature id = community
   * index, and their number. Each part has sources and layers of its own (part 0 those of the base
   * layers). Clears colours and selection.
   *
   * After a frame: the analysis' answer arrives in a task that first deserialises it (at 20,000 ×
   * 200,000, 51 ms of CPU), and adding a big city's parts in that task as well (some 50 layers, 14
   * sources and object URLs) took it past 100 ms.
   */
  async setCommunities(geometry: MapParts, count: number): Promise<void> {
    await this.ready;
    await this.frameDrawn();
    const map = this.map;
    for (let part = 1; part < this.communityParts; part++) {
      for (const layer of COMMUNITY_LAYERS) map.removeLayer(partId(layer, part));
      for (const source of ['communities', 'outlines']) {
        map.removeSource(partId(source, part));
        this.givenData.delete(partId(source, part));
      }
    }
    map.removeFeatureState({ source: 'communities' });
    map.removeFeatureState({ source: 'outlines' });
    const parts = Math.max(1, geometry.parts.length);
    for (let part = 1; part < parts; part++) {
      for (const source of ['communities', 'outlines'])
        this.addPartSource(partId(source, part), LINE_BUFFER_PX);
      this.addCommunityLayers(part);
    }
    this.communityParts = parts;
    this.communityPartOf = geometry.partOf;
    this.communityOrder = orderByPart(geometry.partOf, parts);
    this.colours = new Int16Array(count).fill(-1);
    this.patterns = new Int8Array(count);
    this.recolourQueue.clear();
    this.selected = null;
    this.hovered = null;
    this.highlighted.clear();
    this.communityCount = count;
    await Promise.all(
      Array.from({ length: parts }, (_, part) => [
        this.putData(partId('communities', part), geometry.parts[part] ?? EMPTY),
        this.putData(partId('outlines', part), geometry.parts[part] ?? EMPTY),
      ]).flat(),
    );
  }

  /**
   * Colours the communities: one feature-state write per community whose colour changed. Returns the
   * number of writes. MapLibre applies feature-state on the next frame, tile by tile and layer by
   * layer, so a city-wide change of 20,000 communities would make that one frame a long task: beyond
   * {@link RECOLOUR_WRITES_PER_FRAME} writes, the rest follow over the next frames (a later recolour
   * takes over the communities still waiting).
   */
  recolour(colours: readonly string[], patterns: readonly CommunityPattern[] = []): number {
    let writes = 0;
    const n = Math.min(colours.length, this.communityCount, this.colours.length);
    const queue = this.recolourQueue;
    // Part by part: a frame's writes then touch the tiles of one or two parts, and MapLibre updates
    // (and uploads) the paint arrays of those tiles only.
    for (const c of this.communityOrder) {
      if (c >= n) continue;
      const k = paletteIndex(colours[c]!);
      const p = PATTERN_CODE[patterns[c] ?? 'none'];
      if (queue.has(c)) {
        queue.set(c, k, p);
        writes++;
        continue;
      }
      if (this.colours[c] === k && this.patterns[c] === p) continue;
      queue.set(c, k, p);
      writes++;
    }
    this.writeQueuedColours();
    return writes;
  }

  /** Whether feature-state writes of the last recolour still wait for a frame (for tests). */
  get recolourPending(): boolean {
    return this.recolourQueue.size > 0;
  }

  // Writes up to RECOLOUR_WRITES_PER_FRAME queued colours now, and the rest after the next frame.
  // None while the communities' tiles load: MapLibre applies every state written so far to a tile
  // when it arrives, in the task that receives it, so states written meanwhile would all land in one
  // long task rather than a frame each (at load, 20,000 of them in each tile of the city).
  private writeQueuedColours(): void {
    const queue = this.recolourQueue;
    if (queue.scheduled) return;
    if (!this.communitiesLoaded()) {
      queue.scheduled = true;
      const resume = (e: MapSourceDataEvent) => {
        if (!e.sourceId?.startsWith('communities') || !this.communitiesLoaded()) return;
        this.map.off('sourcedata', resume);
        queue.scheduled = false;
        this.writeQueuedColours();
        this.map.triggerRepaint();
      };
      this.map.on('sourcedata', resume);
      return;
    }
    queue.take(RECOLOUR_WRITES_PER_FRAME, (c, k, p) => {
      this.colours[c] = k;
      this.patterns[c] = p;
      this.map.setFeatureState(
        { source: partId('communities', this.communityPartOf[c] ?? 0), id: c },
        { k, p },
      );
    });
    if (queue.size > 0 && !queue.scheduled) {
      queue.scheduled = true;
      this.map.once('render', () => {
        queue.scheduled = false;
        this.writeQueuedColours();
        this.map.triggerRepaint();
      });
    }
  }

  private communitiesLoaded(): boolean {
    for (let part = 0; part < this.communityParts; part++)
      if (!this.map.isSourceLoaded(partId('communities', part))) return false;
    return true;
  }

  /** Outlines communities (those a proposal or a site newly serves), replacing the previous set. */
  highlight(communities: Iterable<number>): void {
    const next = new Set(communities);
    for (const c of this.highlighted)
      if (!next.has(c)) this.map.setFeatureState({ source: this.outlines(c), id: c }, { hl: false });
    for (const c of next)
      if (!this.highlighted.has(c))
        this.map.setFeatureState({ source: this.outlines(c), id: c }, { hl: true });
    this.highlighted = next;
  }

  select(c: number | null): void {
    if (this.selected === c) return;
    if (this.selected !== null)
      this.map.setFeatureState({ source: this.outlines(this.selected), id: this.selected }, { sel: false });
    if (c !== null) this.map.setFeatureState({ source: this.outlines(c), id: c }, { sel: true });
    this.selected = c;
  }

  /**
   * Sets the facilities (the worker's GeoJSON text of points, in parts for each analysed type,
   * property `s` serving) as sources of their own per type and part, each with a catchment layer and
   * two circle layers (serving, and hollow for those that do not serve), created only here: a view
   * change toggles opacities. `radii` are the types' radii in metres. Resolves when every type's data
   * is loaded; a later call takes over from one still adding its types.
   *
   * Sources per type and part rather than one for all: MapLibre's worker sends a source's tile to the
   * page in one message, whose buckets the page takes in one task, and at 200,000 facilities one tile
   * of every type's layers took far more than 100 ms (one type's 28,000 points, 110–380 ms). Every
   * layer's paint is constant (the serving and the others are layers of their own, not a `case` on
   * `s`), so the tiles carry no paint arrays.
   *
   * One type at a time, a frame apart: at 20,000 × 200,000 adding every type's sources, layers and
   * object URLs in one task took 101 ms of CPU (about 50 sources, 150 layers), and their tiles then
   * all arrived for the same frame. The layers end in the order one task would give them: each type's
   * catchments below the proposals' and above the previous type's, its circles on top.
   */
  async setFacilities(
    points: readonly MapParts[],
    radii: readonly number[],
    referenceLat: number,
  ): Promise<void> {
    await this.ready;
    const call = ++this.facilityCalls;
    this.removeFacilities();
    this.referenceLat = referenceLat;
    this.radii = radii;
    this.visibleTypes = new Set();
    this.catchmentType = -1;
    const loaded: Promise<void>[] = [];
    for (let t = 0; t < radii.length; t++) {
      if (t > 0) await this.frameDrawn();
      if (call !== this.facilityCalls) return;
      loaded.push(this.addFacilityType(t, points[t], radii[t]!));
    }
    // Draw the first type's facility layers once, nearly transparent, while the data loads: WebGL
    // compiles a layer's shader the first time it draws, which with software rendering takes a
    // second, and that second belongs to loading rather than to the first type change. The catchment
    // layers share that shader (every circle paint here is constant or zoom-only, one program for
    // all) and are not drawn: the first part's thousands of discs, each as wide as its catchment, drawn
    // until the map was idle, more than doubled each loading frame's software drawing (at 2,000 ×
    // 20,000, 520–600 ms of the GPU process' CPU a frame against 230–250; test/frame-cost.test.ts).
    this.prewarming = radii.length > 0;
    this.map.once('idle', () => {
      this.prewarming = false;
      this.applyVisibility();
    });
    await Promise.all(loaded);
  }

  /** Counts setFacilities calls: a call still adding its types stops when a later one has started. */
  private facilityCalls = 0;

  /** Removes the facilities' layers and sources added so far (every part of each type in facilityParts). */
  private removeFacilities(): void {
    const map = this.map;
    this.facilityParts.forEach((parts, t) => {
      for (let part = 0; part < parts; part++) {
        for (const layer of [`facilities-${t}`, `planned-${t}`, `catchment-${t}`])
          map.removeLayer(partId(layer, part));
        map.removeSource(partId(`facilities-${t}`, part));
        this.givenData.delete(partId(`facilities-${t}`, part));
      }
    });
    this.facilityParts = [];
  }

  /**
   * Adds type `t`'s sources and layers (see {@link setFacilities}) and then its data, whose object
   * URLs are made here, in this type's task; resolves when the data is loaded.
   */
  private addFacilityType(t: number, points: MapParts | undefined, radius: number): Promise<void> {
    const parts = Math.max(1, points?.parts.length ?? 0);
    const colour = facilityColour(t);
    for (let part = 0; part < parts; part++) {
      const source = partId(`facilities-${t}`, part);
      this.addPartSource(source, POINT_BUFFER_PX);
      this.addPartLayer(
        {
          id: partId(`catchment-${t}`, part),
          type: 'circle',
          source,
          filter: ['==', ['get', 's'], 1],
          // Neutral dark rings: the community colours already use reds and blues. Hidden by opacity
          // 0 (see applyVisibility).
          paint: {
            'circle-color': '#263238',
            'circle-opacity': 0,
            'circle-stroke-color': '#263238',
            'circle-stroke-width': 1,
            'circle-stroke-opacity': 0,
            'circle-radius': metresToPixelsExpression(radius, this.referenceLat),
            'circle-pitch-alignment': 'map',
          },
        },
        'proposals-catchment',
      );
    }
    // A dark outline keeps the type colours readable on any community colour; facilities that do
    // not serve (planned, under construction, closed) are hollow.
    for (let part = 0; part < parts; part++)
      for (const [id, serving, fill, stroke, width] of [
        [`facilities-${t}`, 1, colour, '#1b1b1b', 0.8],
        [`planned-${t}`, 0, '#ffffff', colour, 1.6],
      ] as const)
        this.addPartLayer({
          id: partId(id, part),
          type: 'circle',
          source: partId(`facilities-${t}`, part),
          filter: ['==', ['get', 's'], serving],
          paint: {
            'circle-opacity': 0,
            'circle-stroke-opacity': 0,
            'circle-color': fill,
            'circle-stroke-color': stroke,
            'circle-stroke-width': width,
            'circle-radius': FACILITY_RADIUS,
          },
        });
    this.facilityParts.push(parts);
    // A view change made while the types were being added holds for this one too.
    this.applyVisibility();
    // The data after the layers: its tiles are then laid out once, for every layer (layers added
    // after it made MapLibre's worker lay out and send every tile again).
    return Promise.all(
      Array.from({ length: parts }, (_, part) =>
        this.putData(partId(`facilities-${t}`, part), points?.parts[part] ?? EMPTY),
      ),
    ).then(() => undefined);
  }

  /**
   * Resolves once the map has drawn its next frame (the wait a recolour's slices take between them,
   * there without the timer): work split over frames lets MapLibre draw, and take the tiles that
   * arrived, between the pieces. A timer stands in for a frame that is not drawn (a hidden page draws
   * none), so that the loading still ends.
   *
   * Resolved in a task of its own after the frame: MapLibre fires `render` inside the animation
   * frame's task, and the next piece of work continued there made one task of the frame and the work
   * (at 20,000 × 200,000, the frame that added the communities' parts, 50 layers whose expressions
   * MapLibre parses, took 86 ms of CPU at load 10).
   */
  private frameDrawn(): Promise<void> {
    return new Promise((resolve) => {
      const drawn = () => {
        clearTimeout(timer);
        this.map.off('render', drawn);
        setTimeout(resolve, 0);
      };
      const timer = setTimeout(drawn, FRAME_WAIT_MS);
      this.map.once('render', drawn);
      this.map.triggerRepaint();
    });
  }

  private prewarming = false;

  /** Shows the facilities of these type indices, and the catchments of `catchmentType` (or none: -1). */
  showTypes(types: ReadonlySet<number>, catchmentType: number): void {
    this.visibleTypes = types;
    this.catchmentType = catchmentType;
    this.applyVisibility();
  }

  setLayerToggles(facilities: boolean, catchments: boolean): void {
    this.facilitiesOn = facilities;
    this.catchmentsOn = catchments;
    this.applyVisibility();
  }

  // Layers are shown and hidden through constant opacities rather than `visibility`: MapLibre skips
  // drawing a circle layer whose opacities are 0, and a constant paint change needs no new layout,
  // whereas a visibility change makes its workers lay out the whole source again (20,000 points),
  // which on a small machine competes with the page for the CPU.
  private applyVisibility(): void {
    for (let t = 0; t < this.facilityParts.length; t++) {
      const facilities = this.facilitiesOn && this.visibleTypes.has(t);
      const catchment = this.catchmentsOn && this.catchmentType === t && this.catchmentKind === 'radius';
      for (let part = 0; part < (this.facilityParts[t] ?? 1); part++) {
        const hidden = this.prewarming && t === 0 && part === 0 ? 0.001 : 0;
        for (const layer of [`facilities-${t}`, `planned-${t}`]) {
          this.setPaint(partId(layer, part), 'circle-opacity', facilities ? 1 : hidden);
          this.setPaint(partId(layer, part), 'circle-stroke-opacity', facilities ? 1 : hidden);
        }
        const ring = partId(`catchment-${t}`, part);
        this.setPaint(ring, 'circle-opacity', catchment ? 0.05 : 0);
        this.setPaint(ring, 'circle-stroke-opacity', catchment ? 0.75 : 0);
      }
    }
    const walking = this.catchmentsOn && this.catchmentType >= 0 && this.catchmentKind === 'walking';
    this.setPaint('walking-fill', 'fill-opacity', walking ? 0.07 : 0);
    this.setPaint('walking-line', 'line-opacity', walking ? 0.75 : 0);
    // Sites and proposals draw their walking shapes instead of circles when walking is in use.
    const circles = this.catchmentKind === 'radius' ? 1 : 0;
    const radius = this.radii[this.catchmentType];
    for (const id of ['proposals-catchment', 'sites-catchment']) {
      if (radius !== undefined)
        this.map.setPaintProperty(id, 'circle-radius', metresToPixelsExpression(radius, this.referenceLat));
      this.setPaint(id, 'circle-opacity', circles);
      this.setPaint(id, 'circle-stroke-opacity', circles);
    }
  }

  private setPaint(
    layer: string,
    name: 'circle-opacity' | 'circle-stroke-opacity' | 'fill-opacity' | 'line-opacity',
    value: number,
  ): void {
    if (this.map.getPaintProperty(layer, name) !== value) this.map.setPaintProperty(layer, name, value);
  }

  /** Whether a layer is drawn now (for tests): its opacity is above 0. */
  isShown(layer: string): boolean {
    const type = this.map.getLayer(layer)?.type;
    const property =
      type === 'fill' ? 'fill-opacity' : type === 'line' ? 'line-opacity' : 'circle-stroke-opacity';
    return Number(this.map.getPaintProperty(layer, property) ?? 1) > 0;
  }

  /**
   * Whether catchments are radius circles (straight-line distance) or walking catchments
   * ({@link setWalkingCatchments}); the layers exist either way and are shown by opacity.
   */
  setCatchmentKind(kind: 'radius' | 'walking'): void {
    this.catchmentKind = kind;
    this.applyVisibility();
  }

  /** Walking catchments of the shown type's facilities (null clears them). */
  setWalkingCatchments(shapes: FeatureCollection | null): void {
    void this.putData('walking', shapes ?? EMPTY);
  }

  /** Walking catchments of the chosen sites (`site`) or the proposals (`proposal`); null clears them. */
  setSiteCatchments(shapes: FeatureCollection | null, kind: 'site' | 'proposal'): void {
    const k = kind === 'site' ? 1 : 0;
    const data: FeatureCollection = shapes
      ? {
          type: 'FeatureCollection',
          features: shapes.features.map((f) => ({ ...f, properties: { ...f.properties, k } })),
        }
      : EMPTY;
    void this.putData('sites-walking', data);
  }

  /** Context layers from loaded files. */
  async setContext(id: 'districts' | 'water' | 'roads' | 'railway', data: FeatureCollection): Promise<void> {
    await this.ready;
    await this.putData(id, data);
  }

  /** County names as HTML labels at each outline's centre. */
  setCountyLabels(labels: readonly MapLabel[]): void {
    for (const m of this.countyMarkers) this.removeMarker(m);
    this.countyMarkers = labels.map((l) =>
      this.place(new Marker({ element: h('div', { class: 'map-label county' }, l.text) }), l.lon, l.lat),
    );
  }

  /** Symbols on communities (⚠ a small piece of network, ⛰ coverage lost to terrain), with a tooltip. */
  setCommunityMarks(
    marks: readonly { lon: number; lat: number; text: string; kind: string; title: string }[],
  ): void {
    for (const m of this.communityMarkers) this.removeMarker(m);
    this.communityMarkers = marks.map((m) =>
      this.place(
        new Marker({
          element: h(
            'div',
            {
              class: `community-mark ${m.kind}`,
              'data-testid': `mark-${m.kind}`,
              title: m.title,
              role: 'img',
              'aria-label': m.title,
            },
            m.text,
          ),
        }),
        m.lon,
        m.lat,
      ),
    );
  }

  /** Ranked sites of a siting run: a numbered marker and the catchment of each. */
  setSites(sites: readonly { lon: number; lat: number; rank: number }[]): void {
    const key = sites.map((s) => `${s.rank}:${s.lon},${s.lat}`).join(';');
    if (key === this.sitesKey) return;
    this.sitesKey = key;
    for (const m of this.siteMarkers) this.removeMarker(m);
    this.siteMarkers = sites.map((s) =>
      this.place(
        new Marker({
          element: h(
            'div',
            { class: 'site-marker', 'data-testid': 'site-marker', title: `#${s.rank}` },
            String(s.rank),
          ),
        }),
        s.lon,
        s.lat,
      ),
    );
    void this.putData('sites', pointsCollection(sites));
  }

  /** Proposed facilities as draggable markers; dragging reports the new position. */
  setProposals(points: readonly { lon: number; lat: number }[]): void {
    const focused = focusedMarker(this.proposalMarkers);
    for (const m of this.proposalMarkers) this.removeMarker(m);
    this.proposalMarkers = points.map((p, i) =>
      this.movable('proposal-marker', `P${i + 1}`, p.lon, p.lat, (lon, lat) =>
        this.events.proposalMoved(i, lon, lat),
      ),
    );
    refocusMarker(this.proposalMarkers, focused);
    void this.putData('proposals', pointsCollection(points));
  }

  /**
   * Drawn excluded areas (WGS84 rings), the one being drawn (`draft`, null: none) and the area whose
   * corners can be moved (`editing`, null: none). Corners of the draft and of the edited area are
   * markers that a mouse drags and the arrow keys nudge.
   */
  setDrawnAreas(
    areas: readonly (readonly (readonly [number, number])[])[],
    draft: readonly (readonly [number, number])[] | null,
    editing: number | null,
  ): void {
    const features: Feature[] = areas.map((ring, i) => ({
      type: 'Feature',
      properties: { area: i + 1, draft: false },
      geometry: { type: 'Polygon', coordinates: [[...ring.map((p) => [...p]), [...ring[0]!]]] },
    }));
    if (draft && draft.length >= 2)
      features.push({
        type: 'Feature',
        properties: { draft: true },
        geometry: { type: 'LineString', coordinates: draft.map((p) => [...p]) },
      });
    void this.putData('excluded-drawn', { type: 'FeatureCollection', features });
    // Corners are clicked in a row while drawing: a double click must not zoom the map meanwhile.
    if (draft) this.map.doubleClickZoom.disable();
    else this.map.doubleClickZoom.enable();
    const focused = focusedMarker(this.cornerMarkers);
    for (const m of this.cornerMarkers) this.removeMarker(m);
    const area = draft ? null : editing;
    const corners = draft ?? (editing !== null ? (areas[editing] ?? []) : []);
    this.cornerMarkers = corners.map(([lon, lat], i) => {
      const label = area === null ? `${i + 1}` : `${area + 1}.${i + 1}`;
      return this.movable('corner-marker', label, lon, lat, (x, y) => this.events.cornerMoved(area, i, x, y));
    });
    refocusMarker(this.cornerMarkers, focused);
  }

  /**
   * Shows the keyboard's cursor (a cross at the map's centre) while placing or drawing; meanwhile
   * a click on a site's number or a community's mark goes to the map beneath (a corner or a
   * proposal placed there), as those markers do nothing when clicked.
   */
  setCrosshair(on: boolean): void {
    this.crosshair.hidden = !on;
    this.map.getContainer().classList.toggle('placing', on);
  }

  /** The map's centre in WGS84 (the keyboard's cursor). */
  centre(): [number, number] {
    const c = this.map.getCenter();
    return fromDisplay(this.datum, c.lng, c.lat);
  }

  /**
   * A marker a mouse drags and, focused, the arrow keys move (Shift: further); `moved` gets its new
   * WGS84 position once a drag or a key press ends.
   */
  private movable(
    kind: 'corner-marker' | 'proposal-marker',
    text: string,
    lon: number,
    lat: number,
    moved: (lon: number, lat: number) => void,
  ): Marker {
    const element = h('div', { class: kind, 'data-testid': kind, tabindex: 0, role: 'button' }, text);
    const marker = this.place(new Marker({ element, draggable: true }), lon, lat);
    const report = () => {
      const shown = marker.getLngLat();
      const [x, y] = fromDisplay(this.datum, shown.lng, shown.lat);
      this.givenPositions.set(marker, [x, y]);
      moved(x, y);
    };
    marker.on('dragend', report);
    element.addEventListener('keydown', (e) => {
      const step = e.shiftKey ? NUDGE_PX * 10 : NUDGE_PX;
      const delta = ARROWS[e.key];
      if (!delta) return;
      e.preventDefault();
      e.stopPropagation();
      const p = this.map.project(marker.getLngLat());
      marker.setLngLat(this.map.unproject([p.x + delta[0] * step, p.y + delta[1] * step]));
      report();
    });
    return marker;
  }

  setProposeMode(on: boolean): void {
    this.proposeEnabled = on;
    this.map.getCanvas().style.cursor = on ? 'crosshair' : '';
  }

  /** Fits the bounds, keeping clear of the legend (`bottom` pixels) at the bottom left. */
  fit(bounds: LngLatBoundsLike, animate = false, bottom = 40): void {
    this.map.fitBounds(this.boundsToDisplay(bounds), {
      padding: { top: 50, left: 30, right: 30, bottom },
      animate,
      maxZoom: 17,
    });
  }

  flyTo(bounds: LngLatBoundsLike): void {
    this.map.fitBounds(this.boundsToDisplay(bounds), { padding: 120, maxZoom: 16.5, duration: 800 });
  }

  /**
   * The basemap below everything (null removes it). A basemap in another datum (AMap's GCJ-02)
   * draws every layer and marker of the viewer shifted to that datum; clicks and drags are shifted
   * back, so the analysis never sees display positions.
   */
  async setBasemap(style: BasemapStyle | null): Promise<void> {
    await this.ready;
    const map = this.map;
    for (const id of this.basemapLayers) if (map.getLayer(id)) map.removeLayer(id);
    for (const id of this.basemapSources) if (map.getSource(id)) map.removeSource(id);
    this.basemapLayers = [];
    this.basemapSources = [];
    if (style) {
      for (const [id, source] of Object.entries(style.sources)) {
        map.addSource(id, source);
        this.basemapSources.push(id);
      }
      for (const layer of style.layers) {
        map.addLayer(layer, 'districts-fill');
        this.basemapLayers.push(layer.id);
      }
    }
    // The county fill would hide the basemap: keep only a tint of it over one.
    map.setPaintProperty('districts-fill', 'fill-opacity', style ? 0.25 : 1);
    const datum = style?.datum ?? 'wgs84';
    if (datum !== this.datum) {
      this.datum = datum;
      await Promise.all([...this.givenData].map(([id, data]) => this.putData(id, data)));
      for (const [marker, [lon, lat]] of this.givenPositions) marker.setLngLat(toDisplay(datum, lon, lat));
    }
  }

  /** The datum the map draws in now. */
  displayDatum(): DisplayDatum {
    return this.datum;
  }

  /**
   * Sets a GeoJSON source's data, given in WGS84, in the display datum. GeoJSON text in WGS84 goes to
   * MapLibre's worker as an object URL under our own scheme (blob-protocol.mjs), which the worker
   * fetches and parses itself: the main thread neither parses nor clones it, nor gets it back (the
   * worker keeps what it parsed, so `GeoJSONSource.getData` on such a source would wait for ever; read
   * features with `querySourceFeatures`). (Another display datum shifts every position here.)
   */
  private async putData(id: string, data: MapData): Promise<void> {
    this.givenData.set(id, data);
    const source = this.map.getSource(id) as GeoJSONSource | undefined;
    if (!source) return;
    if (!(data instanceof Blob)) {
      await source.setData(collectionToDisplay(data, this.datum));
      return;
    }
    if (this.datum !== 'wgs84') {
      const collection = JSON.parse(await data.text()) as FeatureCollection;
      await source.setData(collectionToDisplay(collection, this.datum));
      return;
    }
    const url = URL.createObjectURL(data);
    const previous = this.dataUrls.get(id);
    this.dataUrls.set(id, url);
    if (previous) URL.revokeObjectURL(previous);
    try {
      await source.setData(blobMapUrl(url));
    } finally {
      // Read by now (or replaced by a newer one): the text can go.
      if (this.dataUrls.get(id) === url) {
        this.dataUrls.delete(id);
        URL.revokeObjectURL(url);
      }
    }
  }

  /** Adds a marker at a WGS84 position, drawn in the display datum. */
  private place(marker: Marker, lon: number, lat: number): Marker {
    this.givenPositions.set(marker, [lon, lat]);
    return marker.setLngLat(toDisplay(this.datum, lon, lat)).addTo(this.map);
  }

  private removeMarker(marker: Marker): void {
    this.givenPositions.delete(marker);
    marker.remove();
  }

  private boundsToDisplay(bounds: LngLatBoundsLike): LngLatBoundsLike {
    if (this.datum === 'wgs84') return bounds;
    const [sw, ne] = LngLatBounds.convert(bounds).toArray();
    return [toDisplay(this.datum, sw[0], sw[1]), toDisplay(this.datum, ne[0], ne[1])];
  }

  /** Markers shown now, for the PNG export (which draws them itself). */
  markerLabels(): { x: number; y: number; text: string; kind: MapLabel['kind'] }[] {
    const out: { x: number; y: number; text: string; kind: MapLabel['kind'] }[] = [];
    const add = (markers: Marker[], kind: MapLabel['kind']) => {
      for (const m of markers) {
        const p = this.map.project(m.getLngLat());
        out.push({ x: p.x, y: p.y, text: m.getElement().textContent ?? '', kind });
      }
    };
    add(this.countyMarkers, 'county');
    add(this.proposalMarkers, 'proposal');
    add(this.siteMarkers, 'site');
    return out;
  }

  /** The map's pixels, taken right after a frame is drawn (the drawing buffer is not preserved). */
  snapshot(): Promise<HTMLCanvasElement> {
    return new Promise((resolve) => {
      this.map.once('render', () => {
        const source = this.map.getCanvas();
        const copy = document.createElement('canvas');
        copy.width = source.width;
        copy.height = source.height;
        copy.getContext('2d')!.drawImage(source, 0, 0);
        resolve(copy);
      });
      this.map.triggerRepaint();
    });
  }
}

/** Fill colour from the palette index in feature-state `k`. */
function paletteExpression(): ExpressionSpecification {
  const cases = PALETTE.flatMap((colour, i) => [i, colour]);
  return [
    'match',
    ['coalesce', ['feature-state', 'k'], 0],
    ...cases,
    NO_DATA,
  ] as unknown as ExpressionSpecification;
}

/** An 8×8 tile of thin dark diagonal lines (the hatching of a gap). */
function hatchImage(rgba: readonly number[] = [40, 40, 40, 150]): PatternImage {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if ((x + y) % size === 0) data.set(rgba, (y * size + x) * 4);
  }
  return { width: size, height: size, data };
}

type PatternImage = { width: number; height: number; data: Uint8Array };

/** Pixels across the disc a point community's pattern is drawn on (scaled by `icon-size`). */
const DISC_PX = 24;

type Rgba = readonly [number, number, number, number];
const INK_DARK: Rgba = [30, 30, 30, 215];
const INK_LIGHT: Rgba = [255, 255, 255, 180];

/**
 * A point community's pattern on a disc of DISC_PX pixels, transparent outside it. The disc is drawn
 * 6–18 pixels across, where the polygons' one-pixel hatch blurs into a tint that a dark red hides:
 * `ink` gives broad marks instead, dark with a light edge, which show on the darkest and the
 * lightest colours alike.
 */
function discImage(ink: (x: number, y: number) => Rgba | null): PatternImage {
  const data = new Uint8Array(DISC_PX * DISC_PX * 4);
  const r = DISC_PX / 2;
  for (let y = 0; y < DISC_PX; y++)
    for (let x = 0; x < DISC_PX; x++) {
      if ((x + 0.5 - r) ** 2 + (y + 0.5 - r) ** 2 > r * r) continue;
      const rgba = ink(x, y);
      if (rgba) data.set(rgba, (y * DISC_PX + x) * 4);
    }
  return { width: DISC_PX, height: DISC_PX, data };
}

/** Hatching on a disc: stripes 3 pixels wide every 8, in the polygons' direction, edged light. */
function stripeInk(x: number, y: number): Rgba | null {
  const d = (x + y) % 8;
  return d < 3 ? INK_DARK : d === 3 || d === 7 ? INK_LIGHT : null;
}

/** Dotting on a disc: a dot of radius 2 pixels every 8, ringed light. */
function dotInk(x: number, y: number): Rgba | null {
  const dx = (x % 8) + 0.5 - 4;
  const dy = (y % 8) + 0.5 - 4;
  const d2 = dx * dx + dy * dy;
  return d2 <= 4 ? INK_DARK : d2 <= 8 ? INK_LIGHT : null;
}

/** Which of `markers` has the keyboard's focus (its index), or -1. */
function focusedMarker(markers: readonly Marker[]): number {
  const active = document.activeElement;
  return active ? markers.findIndex((m) => m.getElement() === active) : -1;
}

/**
 * Gives the focus to marker `index` of a redrawn set: a marker moved by the arrow keys is drawn
 * anew, and the keyboard's user must be able to press the next arrow on it.
 */
function refocusMarker(markers: readonly Marker[], index: number): void {
  if (index >= 0) markers[index]?.getElement().focus({ preventScroll: true });
}

/** Arrow keys as [x, y] screen directions. */
const ARROWS: Readonly<Record<string, readonly [number, number]>> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

/** An 8×8 tile with one 2×2 dark dot (the dotting of an unknown verdict). */
function dotImage(): PatternImage {
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (const [x, y] of [
    [3, 3],
    [4, 3],
    [3, 4],
    [4, 4],
  ] as const)
    data.set([40, 40, 40, 170], (y * size + x) * 4);
  return { width: size, height: size, data };
}

/** The layers of a part of the communities (addCommunityLayers), by their part-0 ids. */
const COMMUNITY_LAYERS = [
  'communities-fill',
  'communities-gap',
  'communities-unknown',
  'communities-point',
  'communities-point-gap',
  'communities-point-unknown',
  'communities-line',
] as const;

/** What a GeoJSON source is given: objects, or UTF-8 GeoJSON text (the worker's map data). */
type MapData = FeatureCollection | Blob;

/**
 * Feature-state writes one frame takes: MapLibre's update of 2,000 communities' colours measured at
 * about 30–60 ms of main thread in software WebGL on the 2-core machine (docs/viewer.md).
 */
export const RECOLOUR_WRITES_PER_FRAME = 2000;

/** Communities waiting for their colour's feature-state write, in the order first queued. */
class RecolourQueue {
  private order: number[] = [];
  private next = 0;
  private readonly values = new Map<number, number>();
  /** Whether a frame is awaited to write more. */
  scheduled = false;

  get size(): number {
    return this.values.size;
  }

  has(c: number): boolean {
    return this.values.has(c);
  }

  /** Queues community `c` with palette index `k` (≥ 0) and pattern code `p` (0–7; the latest values win). */
  set(c: number, k: number, p: number): void {
    if (!this.values.has(c)) this.order.push(c);
    this.values.set(c, k * 8 + p);
  }

  /** Hands up to `count` queued communities to `write`, oldest first, and forgets them. */
  take(count: number, write: (c: number, k: number, p: number) => void): void {
    for (let taken = 0; taken < count && this.next < this.order.length; this.next++) {
      const c = this.order[this.next]!;
      const value = this.values.get(c);
      if (value === undefined) continue;
      this.values.delete(c);
      write(c, Math.floor(value / 8), value % 8);
      taken++;
    }
    if (this.values.size === 0) this.clear();
  }

  clear(): void {
    this.order = [];
    this.next = 0;
    this.values.clear();
  }
}

function pointsCollection(points: readonly { lon: number; lat: number }[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: points.map((p, i) => ({
      type: 'Feature',
      id: i,
      properties: {},
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] } as Geometry,
    })),
  };
}
