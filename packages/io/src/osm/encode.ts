// A small OSM PBF writer on the `pbf` package's wire writer: dense nodes, ways and relations in
// blocks of up to 8,000 elements, zlib-compressed with fflate. It makes the fixtures and the
// benchmark's synthetic extracts; it is not meant to rival osmium.
import { zlibSync } from 'fflate';
import { PbfWriter } from 'pbf';
import type { OsmBBox, OsmMember, OsmTags } from './types.js';

/** Elements per block, as osmium and the format's own advice use. */
const BLOCK_ELEMENTS = 8000;
const MEMBER_TYPE_CODES = { node: 0, way: 1, relation: 2 } as const;

/** Elements to write with {@link writeOsmPbf}; coordinates in WGS84 degrees. */
export interface OsmWriteInput {
  readonly nodes: readonly { id: number; lon: number; lat: number; tags?: Readonly<OsmTags> }[];
  readonly ways: readonly { id: number; refs: readonly number[]; tags?: Readonly<OsmTags> }[];
  readonly relations?: readonly { id: number; members: readonly OsmMember[]; tags?: Readonly<OsmTags> }[];
  /** Written into the header block. */
  readonly bbox?: OsmBBox;
}

/** Options of {@link OsmPbfWriter}. */
export interface OsmPbfWriterOptions {
  /** Compress blobs with zlib (as every real file does). Default true. */
  readonly compress?: boolean;
  /** Written into the header block. */
  readonly bbox?: OsmBBox;
}

type Pending =
  | { kind: 'nodes'; ids: number[]; lons: number[]; lats: number[]; tags: (Readonly<OsmTags> | undefined)[] }
  | { kind: 'ways'; items: { id: number; refs: readonly number[]; tags?: Readonly<OsmTags> | undefined }[] }
  | {
      kind: 'relations';
      items: { id: number; members: readonly OsmMember[]; tags?: Readonly<OsmTags> | undefined }[];
    };

/** The items a block of ways or of relations gathers before it is written. */
interface BlockItems {
  ways: Extract<Pending, { kind: 'ways' }>['items'];
  relations: Extract<Pending, { kind: 'relations' }>['items'];
}

/**
 * Writes an OSM PBF file element by element, handing each finished blob (header length, BlobHeader and
 * Blob) to `write`, so a file of any size can be streamed to disk. Elements must come in the order OSM
 * files keep: nodes, then ways, then relations, each by ascending id.
 *
 * @example
 * const parts: Uint8Array[] = [];
 * const writer = new OsmPbfWriter((blob) => parts.push(blob));
 * writer.node(1, 106.67, 35.54);
 * writer.node(2, 106.68, 35.54);
 * writer.way(10, [1, 2], { highway: 'footway' });
 * writer.finish();
 */
export class OsmPbfWriter {
  private readonly write: (blob: Uint8Array) => void;
  private readonly compress: boolean;
  private pending: Pending | null = null;
  private finished = false;

  constructor(write: (blob: Uint8Array) => void, options: OsmPbfWriterOptions = {}) {
    this.write = write;
    this.compress = options.compress ?? true;
    const header = new PbfWriter();
    if (options.bbox) {
      const [west, south, east, north] = options.bbox.map((v) => Math.round(v * 1e9));
      header.writeMessage(
        1,
        (_: null, p) => {
          p.writeSVarintField(1, west!);
          p.writeSVarintField(2, east!);
          p.writeSVarintField(3, north!);
          p.writeSVarintField(4, south!);
        },
        null,
      );
    }
    header.writeStringField(4, 'OsmSchema-V0.6');
    header.writeStringField(4, 'DenseNodes');
    header.writeStringField(16, 'lifecircle');
    this.blob('OSMHeader', header.finish());
  }

  node(id: number, lon: number, lat: number, tags?: Readonly<OsmTags>): void {
    let pending = this.pending;
    if (pending?.kind !== 'nodes' || pending.ids.length === BLOCK_ELEMENTS) {
      this.flush();
      pending = this.pending = { kind: 'nodes', ids: [], lons: [], lats: [], tags: [] };
    }
    pending.ids.push(id);
    pending.lons.push(Math.round(lon * 1e7));
    pending.lats.push(Math.round(lat * 1e7));
    pending.tags.push(tags && Object.keys(tags).length > 0 ? tags : undefined);
  }

  way(id: number, refs: readonly number[], tags?: Readonly<OsmTags>): void {
    this.blockOf('ways').push({ id, refs, tags });
  }

  relation(id: number, members: readonly OsmMember[], tags?: Readonly<OsmTags>): void {
    this.blockOf('relations').push({ id, members, tags });
  }

  /** The items of the block of `kind` being filled; a full block or one of another kind is written first. */
  private blockOf<Kind extends keyof BlockItems>(kind: Kind): BlockItems[Kind] {
    const pending = this.pending;
    if (pending !== null && pending.kind !== 'nodes' && pending.kind === kind) {
      if (pending.items.length < BLOCK_ELEMENTS) return pending.items as BlockItems[Kind];
    }
    this.flush();
    const items = [] as BlockItems[Kind];
    this.pending = { kind, items } as Pending;
    return items;
  }

  /** Writes the last block. The writer cannot be used after. */
  finish(): void {
    if (this.finished) throw new Error('OsmPbfWriter.finish: already finished.');
    this.flush();
    this.finished = true;
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = null;
    if (pending === null) return;
    if (this.finished) throw new Error('OsmPbfWriter: an element was added after finish().');
    const strings = new StringTable();
    const group = new PbfWriter();
    if (pending.kind === 'nodes') {
      const keysVals: number[] = [];
      const tagged = pending.tags.some((t) => t !== undefined);
      if (tagged) {
        for (const tags of pending.tags) {
          for (const [k, v] of Object.entries(tags ?? {})) keysVals.push(strings.index(k), strings.index(v));
          keysVals.push(0);
        }
      }
      group.writeMessage(
        2,
        (_: null, p) => {
          p.writePackedSVarint(1, deltas(pending.ids));
          p.writePackedSVarint(8, deltas(pending.lats));
          p.writePackedSVarint(9, deltas(pending.lons));
          if (tagged) p.writePackedVarint(10, keysVals);
        },
        null,
      );
    } else if (pending.kind === 'ways') {
      for (const way of pending.items) {
        writeTaggedElement(group, 3, strings, way, (p) => p.writePackedSVarint(8, deltas(way.refs)));
      }
    } else {
      for (const relation of pending.items) {
        writeTaggedElement(group, 4, strings, relation, (p) => {
          p.writePackedVarint(
            8,
            relation.members.map((m) => strings.index(m.role)),
          );
          p.writePackedSVarint(9, deltas(relation.members.map((m) => m.ref)));
          p.writePackedVarint(
            10,
            relation.members.map((m) => MEMBER_TYPE_CODES[m.type]),
          );
        });
      }
    }
    const block = new PbfWriter();
    block.writeMessage(
      1,
      (_: null, p) => {
        for (const s of strings.list) p.writeStringField(1, s);
      },
      null,
    );
    block.writeBytesField(2, group.finish());
    this.blob('OSMData', block.finish());
  }

  private blob(type: 'OSMHeader' | 'OSMData', data: Uint8Array): void {
    const blob = new PbfWriter();
    if (this.compress) {
      blob.writeVarintField(2, data.byteLength);
      blob.writeBytesField(3, zlibSync(data));
    } else {
      blob.writeBytesField(1, data);
    }
    this.write(pbfFileBlock(type, blob.finish()));
  }
}

/**
 * One file block of an OSM PBF file: the BlobHeader's length (4 bytes, big-endian), the BlobHeader
 * naming `type` and the Blob's size, then the Blob. The io tests build damaged blobs with it.
 */
export function pbfFileBlock(type: string, blobBytes: Uint8Array): Uint8Array {
  const header = new PbfWriter();
  header.writeStringField(1, type);
  header.writeVarintField(3, blobBytes.byteLength);
  const headerBytes = header.finish();
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, headerBytes.byteLength);
  return concatBytes([length, headerBytes, blobBytes]);
}

/** The bytes of `parts` one after another. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * Writes a way (`field` 3) or relation (4) into a primitive group: its id, its tags as string-table
 * indexes, then the fields of its own kind that `writeOwnFields` writes.
 */
function writeTaggedElement(
  group: PbfWriter,
  field: number,
  strings: StringTable,
  element: { id: number; tags?: Readonly<OsmTags> | undefined },
  writeOwnFields: (p: PbfWriter) => void,
): void {
  const entries = Object.entries(element.tags ?? {});
  const keys = entries.map(([k]) => strings.index(k));
  const values = entries.map(([, v]) => strings.index(v));
  group.writeMessage(
    field,
    (_: null, p) => {
      p.writeVarintField(1, element.id);
      if (keys.length > 0) {
        p.writePackedVarint(2, keys);
        p.writePackedVarint(3, values);
      }
      writeOwnFields(p);
    },
    null,
  );
}

/** A block's string table; entry 0 is the empty string, as the format reserves it as a delimiter. */
class StringTable {
  readonly list: string[] = [''];
  private readonly positions = new Map<string, number>([['', 0]]);

  index(value: string): number {
    let at = this.positions.get(value);
    if (at === undefined) {
      at = this.list.length;
      this.list.push(value);
      this.positions.set(value, at);
    }
    return at;
  }
}

function deltas(values: readonly number[]): number[] {
  const out = new Array<number>(values.length);
  let previous = 0;
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i]! - previous;
    previous = values[i]!;
  }
  return out;
}

/**
 * A whole OSM PBF file from nodes, ways and relations (see {@link OsmPbfWriter} for streaming).
 *
 * @example
 * const bytes = writeOsmPbf({
 *   nodes: [{ id: 1, lon: 106.67, lat: 35.54 }, { id: 2, lon: 106.68, lat: 35.54 }],
 *   ways: [{ id: 10, refs: [1, 2], tags: { highway: 'footway' } }],
 * });
 */
export function writeOsmPbf(
  input: OsmWriteInput,
  options: Omit<OsmPbfWriterOptions, 'bbox'> = {},
): Uint8Array {
  const parts: Uint8Array[] = [];
  const writer = new OsmPbfWriter((blob) => parts.push(blob), {
    ...options,
    ...(input.bbox ? { bbox: input.bbox } : {}),
  });
  for (const n of input.nodes) writer.node(n.id, n.lon, n.lat, n.tags);
  for (const w of input.ways) writer.way(w.id, w.refs, w.tags);
  for (const r of input.relations ?? []) writer.relation(r.id, r.members, r.tags);
  writer.finish();
  return concatBytes(parts);
}
