// OpenStreetMap PBF (`.osm.pbf`): a sequence of blobs, each a 4-byte big-endian header length, a
// BlobHeader message and a Blob message holding a zlib-compressed HeaderBlock or PrimitiveBlock
// (fileformat.proto and osmformat.proto of the OSM wiki's "PBF Format" page). The messages are few
// and small, so they are decoded here with the `pbf` package's wire reader rather than through
// generated code; one blob is held in memory at a time.
import { InputError } from '@lifecircle/core';
import { Unzlib, unzlibSync } from 'fflate';
import { PbfReader } from 'pbf';
import { DEFAULT_LIMITS, formatBytes, LimitError, type ReadLimits } from '../limits.js';
import { ByteReader } from './source.js';
import type { OsmElementSink, OsmMember, OsmSource, OsmTags } from './types.js';

/** The format's own limits: a BlobHeader under 64 KiB, a Blob under 32 MiB. */
const MAX_BLOB_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;

/** Features a reader must understand to read a file; a file requiring others cannot be read here. */
const KNOWN_REQUIRED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

const MEMBER_TYPES = ['node', 'way', 'relation'] as const;

/**
 * True when the bytes start like an OSM PBF file: a small big-endian header length and a BlobHeader
 * whose type is `OSMHeader`.
 *
 * @example
 * isOsmPbf(writeOsmPbf({ nodes: [], ways: [] })); // true
 */
export function isOsmPbf(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 15) return false;
  const headerLength = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (headerLength === 0 || headerLength > MAX_BLOB_HEADER_BYTES) return false;
  // Field 1 (type), wire type 2, length 9, "OSMHeader".
  if (bytes[4] !== 0x0a || bytes[5] !== 9) return false;
  return String.fromCharCode(...bytes.subarray(6, 15)) === 'OSMHeader';
}

/**
 * Decodes an OSM PBF file blob by blob, sending each node, way and relation to `sink` in file order.
 * A damaged or truncated file is an {@link InputError} naming the blob and its byte offset.
 */
export async function decodeOsmPbf(
  source: OsmSource,
  file: string,
  sink: OsmElementSink,
  limits: ReadLimits = DEFAULT_LIMITS,
): Promise<void> {
  const reader = new ByteReader(source);
  const decoder = new PrimitiveDecoder(sink);
  let blobNumber = 0;
  for (;;) {
    const start = reader.offset;
    const where = `blob ${blobNumber + 1} at byte ${start}`;
    const lengthBytes = await reader.read(4);
    if (lengthBytes.byteLength === 0) break;
    if (lengthBytes.byteLength < 4) throw truncated(file, where, 4, lengthBytes.byteLength);
    const headerLength = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getUint32(0);
    if (headerLength === 0 || headerLength > MAX_BLOB_HEADER_BYTES) {
      throw new InputError(
        file,
        `${where}: its header length is ${headerLength} bytes, outside the format's 1 byte to 64 KiB; the file is damaged${blobNumber === 0 ? ' or not an OSM PBF file' : ''}.`,
      );
    }
    const headerBytes = await reader.read(headerLength);
    if (headerBytes.byteLength < headerLength) {
      throw truncated(file, where, headerLength, headerBytes.byteLength);
    }
    const header = readBlobHeader(headerBytes, file, where);
    if (header.dataSize <= 0 || header.dataSize > MAX_BLOB_BYTES) {
      throw new InputError(
        file,
        `${where}: its ${header.type || 'untyped'} blob size is ${header.dataSize} bytes, outside the format's 1 byte to 32 MiB; the file is damaged.`,
      );
    }
    const blob = await reader.read(header.dataSize);
    if (blob.byteLength < header.dataSize) throw truncated(file, where, header.dataSize, blob.byteLength);
    if (blobNumber === 0) {
      if (header.type !== 'OSMHeader') {
        throw new InputError(
          file,
          `${where}: the first blob is '${header.type}', not 'OSMHeader': this is not an OSM PBF file.`,
        );
      }
      checkHeaderBlock(blobData(blob, file, where, limits), file, where);
    } else if (header.type === 'OSMData') {
      const data = blobData(blob, file, where, limits);
      try {
        decoder.decode(data);
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(file, `${where}: its data block is damaged (${(error as Error).message}).`);
      }
    }
    // Other blob types are allowed by the format and skipped, as it asks.
    blobNumber++;
  }
  if (blobNumber === 0)
    throw new InputError(file, 'is empty: an OSM PBF file starts with an OSMHeader blob.');
}

/**
 * The end of a length-delimited field, checked against its block: a damaged length must not send a
 * decoding loop billions of bytes past the data.
 */
function fieldEnd(p: PbfReader): number {
  const end = p.readVarint() + p.pos;
  if (!(end <= p.length)) throw new Error(`a field at byte ${p.pos} of the block runs past its end`);
  return end;
}

/**
 * Reads the key of the next field and returns its tag, setting the reader's wire type as readFields
 * does: the packed readers look at it, and `p.skip(p.type)` skips the field.
 */
function nextField(p: PbfReader): number {
  const field = p.readVarint();
  p.type = field & 7;
  return field >> 3;
}

/** Decodes a packed delta-coded sint64 field (a way's node refs, a relation's member ids) onto `out`. */
function readDeltas(p: PbfReader, out: number[]): void {
  const end = fieldEnd(p);
  let value = 0;
  while (p.pos < end) {
    value += p.readSVarint();
    out.push(value);
  }
}

function truncated(file: string, where: string, expected: number, found: number): InputError {
  return new InputError(
    file,
    `${where}: the file ends ${found} bytes into a ${expected}-byte part; it is truncated (an interrupted download?).`,
  );
}

function readBlobHeader(bytes: Uint8Array, file: string, where: string): { type: string; dataSize: number } {
  const header = { type: '', dataSize: -1 };
  try {
    new PbfReader(bytes).readFields((tag, result, pbf) => {
      if (tag === 1) result.type = pbf.readString();
      else if (tag === 3) result.dataSize = pbf.readVarint(true);
    }, header);
  } catch (error) {
    throw new InputError(file, `${where}: its header is damaged (${(error as Error).message}).`);
  }
  if (header.dataSize < 0) throw new InputError(file, `${where}: its header gives no blob size.`);
  return header;
}

function blobData(bytes: Uint8Array, file: string, where: string, limits: ReadLimits): Uint8Array {
  let raw: Uint8Array | null = null;
  let zlib: Uint8Array | null = null;
  let rawSize = -1;
  let other = '';
  try {
    const pbf = new PbfReader(bytes);
    pbf.readFields((tag, _, p) => {
      if (tag === 1) raw = p.readBytes();
      else if (tag === 2) rawSize = p.readVarint();
      else if (tag === 3) zlib = p.readBytes();
      else if (tag === 4) other = 'LZMA';
      else if (tag === 5) other = 'bzip2';
      else if (tag === 6) other = 'LZ4';
      else if (tag === 7) other = 'Zstandard';
    }, null);
  } catch (error) {
    throw new InputError(file, `${where}: the blob is damaged (${(error as Error).message}).`);
  }
  if (raw) return raw;
  if (rawSize > MAX_BLOB_BYTES) {
    throw new InputError(
      file,
      `${where}: the blob says it unpacks to ${rawSize} bytes, more than the format's 32 MiB; the file is damaged.`,
    );
  }
  if (zlib) {
    const packed = (zlib as Uint8Array).byteLength;
    checkUnpackedSize(rawSize, packed, file, where, limits);
    let data: Uint8Array;
    try {
      data =
        rawSize >= 0
          ? unzlibSync(zlib, { out: new Uint8Array(rawSize) })
          : boundedUnzlib(zlib, file, where, limits);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(file, `${where}: its zlib data is damaged (${(error as Error).message}).`);
    }
    if (rawSize >= 0 && data.byteLength !== rawSize) {
      throw new InputError(
        file,
        `${where}: its zlib data unpacks to ${data.byteLength} bytes where the blob says ${rawSize}; the file is damaged.`,
      );
    }
    return data;
  }
  throw new InputError(
    file,
    other
      ? `${where}: the blob is compressed with ${other}, which cannot be read here; convert the file with zlib compression (osmium cat -o out.osm.pbf in.osm.pbf).`
      : `${where}: the blob holds no data.`,
  );
}

/**
 * Refuses a blob whose stated unpacked size is beyond the reading limits: more than
 * `limits.maxEntryBytes`, or more than `limits.maxCompressionRatio` times its packed size.
 */
function checkUnpackedSize(
  unpacked: number,
  packed: number,
  file: string,
  where: string,
  limits: ReadLimits,
): void {
  if (unpacked > limits.maxEntryBytes) {
    throw new LimitError(
      file,
      `${where}: the blob unpacks to ${formatBytes(unpacked)}`,
      'maxEntryBytes',
      limits.maxEntryBytes,
    );
  }
  if (unpacked > Math.max(packed, 1) * limits.maxCompressionRatio) {
    throw new LimitError(
      file,
      `${where}: the blob unpacks from ${formatBytes(packed)} to ${formatBytes(unpacked)}, ${Math.round(unpacked / Math.max(packed, 1))} times (a zip bomb?)`,
      'maxCompressionRatio',
      limits.maxCompressionRatio,
    );
  }
}

/**
 * Inflates a blob that does not state its unpacked size (`raw_size` is optional), in pieces, and
 * stops as soon as the output passes the format's 32 MiB or the reading limits: inflating it whole
 * would let a few kilobytes become gigabytes.
 */
function boundedUnzlib(zlib: Uint8Array, file: string, where: string, limits: ReadLimits): Uint8Array {
  const pieces: Uint8Array[] = [];
  let total = 0;
  const inflater = new Unzlib((piece) => {
    total += piece.byteLength;
    if (total > MAX_BLOB_BYTES) {
      throw new InputError(
        file,
        `${where}: the blob unpacks to more than the format's 32 MiB; the file is damaged.`,
      );
    }
    checkUnpackedSize(total, zlib.byteLength, file, where, limits);
    pieces.push(piece);
  });
  // fflate hands over all a push unpacks at once; 1 KB packed unpacks to at most about 1 MB.
  const step = 1024;
  for (let at = 0; at < zlib.byteLength; at += step) {
    const end = Math.min(at + step, zlib.byteLength);
    inflater.push(zlib.subarray(at, end), end === zlib.byteLength);
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    data.set(piece, offset);
    offset += piece.byteLength;
  }
  return data;
}

function checkHeaderBlock(data: Uint8Array, file: string, where: string): void {
  const required: string[] = [];
  try {
    new PbfReader(data).readFields((tag, list, pbf) => {
      if (tag === 4) list.push(pbf.readString());
    }, required);
  } catch (error) {
    throw new InputError(file, `${where}: the OSMHeader block is damaged (${(error as Error).message}).`);
  }
  const unknown = required.filter((feature) => !KNOWN_REQUIRED_FEATURES.has(feature));
  if (unknown.length > 0) {
    throw new InputError(
      file,
      `requires ${unknown.map((f) => `'${f}'`).join(', ')}, which this reader does not support (it reads ${[...KNOWN_REQUIRED_FEATURES].join(' and ')}); history and change files cannot be used as a map.`,
    );
  }
}

/** Decodes PrimitiveBlocks, reusing its scratch arrays from one block to the next. */
class PrimitiveDecoder {
  private readonly sink: OsmElementSink;
  private strings: string[] = [];
  private granularity = 100;
  private latOffset = 0;
  private lonOffset = 0;
  private ids = new Float64Array(8192);
  private lats = new Float64Array(8192);
  private lons = new Float64Array(8192);
  private readonly refs: number[] = [];
  private readonly keys: number[] = [];
  private readonly values: number[] = [];

  constructor(sink: OsmElementSink) {
    this.sink = sink;
  }

  decode(data: Uint8Array): void {
    const pbf = new PbfReader(data);
    // Block fields come in field order: the string table, the groups, then granularity and offsets,
    // which the groups need; so groups are located first and decoded after.
    const groups: number[] = [];
    this.strings = [];
    this.granularity = 100;
    this.latOffset = 0;
    this.lonOffset = 0;
    pbf.readFields((tag, _, p) => {
      if (tag === 1) {
        const end = fieldEnd(p);
        while (p.pos < end) {
          const field = p.readVarint();
          if (field >> 3 === 1) this.strings.push(p.readString());
          else p.skip(field & 7);
        }
      } else if (tag === 2) {
        const end = fieldEnd(p);
        groups.push(p.pos, end);
        p.pos = end;
      } else if (tag === 17) this.granularity = p.readVarint();
      else if (tag === 19) this.latOffset = p.readVarint(true);
      else if (tag === 20) this.lonOffset = p.readVarint(true);
    }, null);
    for (let g = 0; g < groups.length; g += 2) {
      pbf.pos = groups[g]!;
      pbf.readFields(
        (tag, _, p) => {
          if (tag === 1) this.node(p);
          else if (tag === 2) this.denseNodes(p);
          else if (tag === 3) this.way(p);
          else if (tag === 4) this.relation(p);
        },
        null,
        groups[g + 1]!,
      );
    }
  }

  /** A coordinate in 1e-7 degrees from a block's raw value (nanodegrees = offset + granularity × raw). */
  private lat7(raw: number): number {
    return this.granularity === 100 && this.latOffset === 0
      ? raw
      : Math.round((this.latOffset + this.granularity * raw) / 100);
  }

  private lon7(raw: number): number {
    return this.granularity === 100 && this.lonOffset === 0
      ? raw
      : Math.round((this.lonOffset + this.granularity * raw) / 100);
  }

  private string(index: number): string {
    const value = this.strings[index];
    if (value === undefined) {
      throw new Error(`string ${index} is not in the block's table of ${this.strings.length}`);
    }
    return value;
  }

  private tags(keys: readonly number[], values: readonly number[]): OsmTags {
    const tags: OsmTags = {};
    const n = Math.min(keys.length, values.length);
    for (let i = 0; i < n; i++) tags[this.string(keys[i]!)] = this.string(values[i]!);
    return tags;
  }

  private node(p: PbfReader): void {
    const end = fieldEnd(p);
    let id = 0;
    let lat = 0;
    let lon = 0;
    this.keys.length = 0;
    this.values.length = 0;
    p.readFields(
      (tag, _, q) => {
        if (tag === 1) id = q.readSVarint();
        else if (tag === 2) q.readPackedVarint(this.keys);
        else if (tag === 3) q.readPackedVarint(this.values);
        else if (tag === 8) lat = q.readSVarint();
        else if (tag === 9) lon = q.readSVarint();
      },
      null,
      end,
    );
    const tags = this.keys.length > 0 ? this.tags(this.keys, this.values) : null;
    this.sink.node(id, this.lon7(lon), this.lat7(lat), tags);
  }

  private grow(count: number): void {
    if (this.ids.length >= count) return;
    const size = Math.max(count, this.ids.length * 2);
    this.ids = new Float64Array(size);
    this.lats = new Float64Array(size);
    this.lons = new Float64Array(size);
  }

  /** Decodes a packed delta-coded sint64 field into `out`, returning the count. */
  private deltas(p: PbfReader, out: 'ids' | 'lats' | 'lons'): number {
    const end = fieldEnd(p);
    let value = 0;
    let n = 0;
    while (p.pos < end) {
      if (n === this.ids.length) this.grow(n + 1);
      value += p.readSVarint();
      this[out][n++] = value;
    }
    return n;
  }

  private denseNodes(p: PbfReader): void {
    const end = fieldEnd(p);
    let count = -1;
    let keysVals = -1;
    let keysValsEnd = -1;
    while (p.pos < end) {
      const tag = nextField(p);
      if (tag === 1) count = this.deltas(p, 'ids');
      else if (tag === 8) this.deltas(p, 'lats');
      else if (tag === 9) this.deltas(p, 'lons');
      else if (tag === 10) {
        keysValsEnd = fieldEnd(p);
        keysVals = p.pos;
        p.pos = keysValsEnd;
      } else p.skip(p.type);
    }
    if (count < 0) return;
    const { ids, lats, lons, sink } = this;
    const plain = this.granularity === 100 && this.latOffset === 0 && this.lonOffset === 0;
    let cursor = keysVals;
    for (let i = 0; i < count; i++) {
      let tags: OsmTags | null = null;
      if (cursor >= 0 && cursor < keysValsEnd) {
        // keys_vals: per node, key and value string indexes in turn, ended by a 0.
        p.pos = cursor;
        for (;;) {
          const key = p.readVarint();
          if (key === 0) break;
          const value = p.readVarint();
          if (tags === null) tags = {};
          tags[this.string(key)] = this.string(value);
        }
        cursor = p.pos;
      }
      const lat = lats[i]!;
      const lon = lons[i]!;
      sink.node(ids[i]!, plain ? lon : this.lon7(lon), plain ? lat : this.lat7(lat), tags);
    }
    p.pos = end;
  }

  private way(p: PbfReader): void {
    const end = fieldEnd(p);
    let id = 0;
    const refs = this.refs;
    refs.length = 0;
    this.keys.length = 0;
    this.values.length = 0;
    while (p.pos < end) {
      const tag = nextField(p);
      if (tag === 1) id = p.readVarint();
      else if (tag === 2) p.readPackedVarint(this.keys);
      else if (tag === 3) p.readPackedVarint(this.values);
      else if (tag === 8) readDeltas(p, refs);
      else p.skip(p.type);
    }
    this.sink.way(id, refs, this.tags(this.keys, this.values));
  }

  private relation(p: PbfReader): void {
    const end = fieldEnd(p);
    let id = 0;
    this.keys.length = 0;
    this.values.length = 0;
    const roles: number[] = [];
    const memberIds: number[] = [];
    const types: number[] = [];
    while (p.pos < end) {
      const tag = nextField(p);
      if (tag === 1) id = p.readVarint();
      else if (tag === 2) p.readPackedVarint(this.keys);
      else if (tag === 3) p.readPackedVarint(this.values);
      else if (tag === 8) p.readPackedVarint(roles);
      else if (tag === 9) readDeltas(p, memberIds);
      else if (tag === 10) p.readPackedVarint(types);
      else p.skip(p.type);
    }
    const members: OsmMember[] = memberIds.map((ref, i) => ({
      type: MEMBER_TYPES[types[i] ?? 0] ?? 'node',
      ref,
      role: this.string(roles[i] ?? 0),
    }));
    this.sink.relation(id, members, this.tags(this.keys, this.values));
  }
}
