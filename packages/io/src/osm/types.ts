import type { MultiPolygon, Polygon } from 'geojson';
import type { ReadLimits } from '../limits.js';

/** An OpenStreetMap element's tags, key to value. */
export type OsmTags = Record<string, string>;

/** What to take from an OpenStreetMap file. */
export type OsmLayer = 'network' | 'facilities';

/**
 * A longitude/latitude box in WGS84 degrees, `[west, south, east, north]`, as in GeoJSON's `bbox`.
 */
export type OsmBBox = readonly [west: number, south: number, east: number, north: number];

/** Options of {@link readOsm}; only `layer` is required. */
export interface OsmReadOptions {
  /**
   * `network`: the walkable ways as LineStrings (see {@link osmWayExclusion}); `facilities`: nodes,
   * closed ways and multipolygon relations with facility tags (the keys of `isFacility`'s default) as Points.
   */
  readonly layer: OsmLayer;
  /**
   * Keep only what lies in this box. Nodes outside it are dropped as they are read, so a large extract
   * costs memory only for the part kept. A way with some nodes inside is cut to its runs of nodes
   * inside (the geometry is clipped at its last node inside, not at the box edge).
   */
  readonly bbox?: OsmBBox;
  /**
   * Keep only what lies in this WGS84 polygon (a study area), like `bbox`; given both, a node must be in
   * both.
   */
  readonly area?: Polygon | MultiPolygon;
  /**
   * Which elements are facilities. Default: the keys the category mapping reads
   * (`amenity`, `shop`, `leisure`, `healthcare`, `social_facility`), street furniture left out.
   */
  readonly isFacility?: (tags: Readonly<OsmTags>) => boolean;
  /**
   * The reading limits (see {@link ReadLimits}); a PBF blob is held to `maxEntryBytes` and
   * `maxCompressionRatio`, whether or not it states its unpacked size.
   */
  readonly limits?: Partial<ReadLimits>;
}

/** Counts of one reading, for the summary and the benchmarks. */
export interface OsmReadSummary {
  /** Elements in the file. */
  readonly nodes: number;
  readonly ways: number;
  readonly relations: number;
  /** Nodes inside the bbox or area (all nodes when there is neither). */
  readonly nodesKept: number;
  /**
   * `network`: ways with a `highway` tag left out of the road network, by reason (`highway=motorway`,
   * `foot=no`, `access=private`, `highway=cycleway without foot access` …). Empty for `facilities`.
   */
  readonly excluded: Readonly<Record<string, number>>;
  /** Ways or relations kept that were cut by the bbox or area (some of their nodes lay outside). */
  readonly clipped: number;
  /**
   * Ways kept that refer to nodes the file does not hold at all (an extract cut without complete
   * ways); they are split at the missing nodes. Nodes dropped by the bbox or area are not counted.
   */
  readonly missingNodes: number;
}

/** Where a reader sends the elements it decodes, in file order. Coordinates are in 1e-7 degrees. */
export interface OsmElementSink {
  node(id: number, lon7: number, lat7: number, tags: OsmTags | null): void;
  /** `refs` is valid only during the call (decoders reuse it). */
  way(id: number, refs: readonly number[], tags: OsmTags): void;
  relation(id: number, members: readonly OsmMember[], tags: OsmTags): void;
}

/** One member of a relation. */
export interface OsmMember {
  readonly type: 'node' | 'way' | 'relation';
  readonly ref: number;
  readonly role: string;
}

/**
 * An OSM file's bytes, whole or as chunks (a `ReadableStream` read into an async iterable, Node's
 * `fs.createReadStream`): chunks are read one at a time, so a file larger than memory can be read.
 */
export type OsmSource = Uint8Array | ArrayBuffer | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
