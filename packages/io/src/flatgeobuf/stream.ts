import { InputError } from '@lifecircle/core';
import { ByteBuffer } from 'flatbuffers';
import { Feature as FlatFeature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
import { fromFeature } from 'flatgeobuf/lib/mjs/geojson/feature.js';
import { fromByteBuffer, type HeaderMeta } from 'flatgeobuf/lib/mjs/header-meta.js';
import type { Feature } from 'geojson';
import { checkCrsText, checkJsonValue, type ReadLimits } from '../limits.js';
import type { DeclaredCrs } from '../read/types.js';
import {
  checkFeature,
  checkHeader,
  type FlatGeobufFail,
  type FlatGeobufHeaderLayout,
  headerBytes,
  MAGIC_AND_SIZE,
  SIZE_PREFIX,
} from './verify.js';

/** True when the bytes start with FlatGeobuf's magic `fgb` and major version 3. */
export function isFlatGeobuf(bytes: Uint8Array): boolean {
  return bytes[0] === 0x66 && bytes[1] === 0x67 && bytes[2] === 0x62 && bytes[3] === 3;
}

function crsOf(header: HeaderMeta, file: string, limits: ReadLimits): DeclaredCrs | null {
  const crs = header.crs;
  if (!crs) return null;
  if (crs.wkt) checkCrsText(crs.wkt, 'the FlatGeobuf header', file, limits);
  // flatgeobuf's writer stores only the code; an organisation left out means EPSG (FlatGeobuf spec).
  const name = crs.code > 0 ? `${crs.org ?? 'EPSG'}:${crs.code}` : (crs.code_string ?? crs.name ?? undefined);
  if (!name && !crs.wkt) return null;
  return { source: 'flatgeobuf', ...(name ? { name } : {}), ...(crs.wkt ? { wkt: crs.wkt } : {}) };
}

/**
 * Reads a FlatGeobuf file pushed in pieces of any size, feature by feature: each feature's bytes are
 * checked against the schema (every length and offset, so a truncated or garbled file is an
 * {@link InputError} naming the byte, never a read past the end), turned into a GeoJSON feature by
 * the `flatgeobuf` package and handed on, and only the unfinished last feature is kept. The one
 * reader of FlatGeobuf: `readInput` pushes the whole file at once, a demand file of millions of
 * points is pushed a few megabytes at a time ({@link FlatGeobufDemandReader}).
 *
 * @example
 * const stream = new FlatGeobufFeatureStream('demand.fgb', DEFAULT_LIMITS);
 * stream.push(fgbBytes, (feature, index) => console.log(index, feature.properties));
 * stream.end(); // throws when the file stopped part way
 */
export class FlatGeobufFeatureStream {
  /** Bytes received and not yet taken (the start of the unfinished header, index or feature). */
  private pending: Uint8Array = new Uint8Array(0);
  /** The file offset of `pending`'s first byte. */
  private at = 0;
  private layout: FlatGeobufHeaderLayout | null = null;
  private meta: HeaderMeta | null = null;
  /** Bytes of the spatial index still to skip. */
  private indexLeft = 0;
  private count = 0;
  private declaredCrs: DeclaredCrs | null = null;
  private readonly fail: FlatGeobufFail;

  /**
   * `fileBytes`: the file's size when known (a declared feature count it could not hold is refused at
   * once, as reading the whole file refuses it).
   */
  constructor(
    readonly file: string,
    private readonly limits: ReadLimits,
    private readonly fileBytes: number | null = null,
  ) {
    this.fail = (what, at) => {
      throw new InputError(file, `is a corrupt or truncated FlatGeobuf file: ${what} (at byte ${at}).`);
    };
  }

  /** The coordinate system the header declares (known once the header is read). */
  get crs(): DeclaredCrs | null {
    return this.declaredCrs;
  }

  /** Features read so far. */
  get features(): number {
    return this.count;
  }

  /** Reads the features complete in the bytes so far, calling `feature` with each and its index. */
  push(bytes: Uint8Array, feature: (feature: Feature, index: number) => void): void {
    let data = bytes;
    let from = 0;
    if (this.pending.length > 0) {
      data = new Uint8Array(this.pending.length + bytes.length);
      data.set(this.pending);
      data.set(bytes, this.pending.length);
    }
    // `data[k]` is the file's byte `base + k`.
    const base = this.at;
    for (;;) {
      if (this.layout === null) {
        if (data.length < MAGIC_AND_SIZE) break;
        if (!isFlatGeobuf(data)) {
          throw new InputError(
            this.file,
            'is not a FlatGeobuf file: it does not start with the FlatGeobuf magic bytes.',
          );
        }
        const size = headerBytes(data, this.fail);
        if (this.fileBytes !== null && size > this.fileBytes) this.headerCut(size, this.fileBytes);
        if (data.length < size) break;
        this.readHeader(data.subarray(0, size));
        from = size;
        continue;
      }
      if (this.indexLeft > 0) {
        const skipped = Math.min(this.indexLeft, data.length - from);
        this.indexLeft -= skipped;
        from += skipped;
        if (this.indexLeft > 0) break;
        continue;
      }
      if (data.length - from < SIZE_PREFIX) break;
      const size = new DataView(data.buffer, data.byteOffset + from, SIZE_PREFIX).getUint32(0, true);
      const prefixAt = base + from;
      if (size < 8) this.featureCut(size, prefixAt, data.length - from - SIZE_PREFIX);
      if (this.fileBytes !== null && prefixAt + SIZE_PREFIX + size > this.fileBytes) {
        this.featureCut(size, prefixAt, this.fileBytes - prefixAt - SIZE_PREFIX);
      }
      if (data.length - from < SIZE_PREFIX + size) break;
      feature(this.readFeature(data.subarray(from, from + SIZE_PREFIX + size), prefixAt), this.count++);
      from += SIZE_PREFIX + size;
    }
    // Keep only the unfinished piece, as a copy: the caller may reuse its buffer.
    this.pending = data.slice(from);
    this.at = base + from;
  }

  /** Checks that the file ended where a feature ended and held the features its header declares. */
  end(): void {
    const received = this.at + this.pending.length;
    if (this.layout === null) {
      if (received < MAGIC_AND_SIZE) {
        throw new InputError(
          this.file,
          `is a truncated FlatGeobuf file: it has ${received} bytes, fewer than the ${MAGIC_AND_SIZE} of its signature and header size.`,
        );
      }
      this.headerCut(headerBytes(this.pending, this.fail), received);
    }
    if (this.indexLeft > 0)
      this.fail('its spatial index runs past the end of the file', this.layout!.headerEnd);
    if (this.pending.length > 0) {
      const where = `feature ${this.count + 1}`;
      if (this.pending.length < SIZE_PREFIX) this.fail(`${where} is cut off`, this.at);
      const size = new DataView(this.pending.buffer, this.pending.byteOffset).getUint32(0, true);
      this.featureCut(size, this.at, this.pending.length - SIZE_PREFIX);
    }
    const { declared } = this.layout!;
    if (declared > 0 && this.count !== declared) {
      this.fail(`its header declares ${declared} features but ${this.count} are in the file`, received);
    }
  }

  private headerCut(size: number, received: number): never {
    return this.fail(
      `its header says it is ${size - MAGIC_AND_SIZE} bytes but ${received - MAGIC_AND_SIZE} follow`,
      MAGIC_AND_SIZE - SIZE_PREFIX,
    );
  }

  private featureCut(size: number, prefixAt: number, remaining: number): never {
    return this.fail(`feature ${this.count + 1} says it is ${size} bytes but ${remaining} remain`, prefixAt);
  }

  private readHeader(bytes: Uint8Array): void {
    // A copy at offset 0 of its own buffer: the header's number lists are aligned from the file's start.
    const own = bytes.slice();
    this.layout = checkHeader(own, this.fileBytes, this.fail, this.limits);
    try {
      const buffer = new ByteBuffer(own);
      buffer.setPosition(MAGIC_AND_SIZE - SIZE_PREFIX);
      this.meta = fromByteBuffer(buffer);
    } catch (error) {
      throw this.corrupt(error);
    }
    this.declaredCrs = crsOf(this.meta, this.file, this.limits);
    this.indexLeft = this.layout.indexBytes;
  }

  private readFeature(bytes: Uint8Array, prefixAt: number): Feature {
    // The feature at the alignment it has in the file: the package views its number lists as typed
    // arrays, and the checks judged their alignment by file position.
    const pad = prefixAt % 8;
    const own = new Uint8Array(pad + bytes.length);
    own.set(bytes, pad);
    const where = `feature ${this.count + 1}`;
    const shift: FlatGeobufFail = (what, at) => this.fail(what, at - pad + prefixAt);
    checkFeature(
      new DataView(own.buffer),
      pad,
      this.layout!.columnTypes,
      shift,
      this.file,
      this.limits,
      where,
    );
    let feature: Feature;
    try {
      const buffer = new ByteBuffer(own);
      buffer.setPosition(pad);
      feature = fromFeature(
        this.count,
        FlatFeature.getSizePrefixedRootAsFeature(buffer),
        this.meta!,
      ) as unknown as Feature;
    } catch (error) {
      throw this.corrupt(error);
    }
    checkJsonValue(feature.properties, this.file, this.limits, `${where}'s properties`);
    return feature;
  }

  private corrupt(error: unknown): InputError {
    return new InputError(
      this.file,
      `is a corrupt or truncated FlatGeobuf file (${(error as Error).message || String(error)}).`,
    );
  }
}
