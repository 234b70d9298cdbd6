import { InputError } from '@lifecircle/core';
import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import { LimitError, type ReadLimits } from '../limits.js';

/*
 * The `flatgeobuf` package trusts every length and offset in a file: given 8 bytes it loops forever,
 * given a truncated file it reads past the end. So the whole file is checked here first, against the
 * FlatGeobuf schema (header.fbs, feature.fbs), and the package only ever sees a file whose every
 * offset lands inside it.
 */

// Field kinds of the FlatGeobuf tables, by their vtable slot (4 for the first field, then 6, 8 …).
type Field =
  | { readonly scalar: 1 | 2 | 4 | 8 }
  | { readonly vector: 1 | 4 | 8 }
  | { readonly table: () => Schema }
  | { readonly tables: () => Schema };
type Schema = Readonly<Record<number, Field>>;

const STRING: Field = { vector: 1 };
const COLUMN: Schema = {
  4: STRING,
  6: { scalar: 1 },
  8: STRING,
  10: STRING,
  12: { scalar: 4 },
  14: { scalar: 4 },
  16: { scalar: 4 },
  18: { scalar: 1 },
  20: { scalar: 1 },
  22: { scalar: 1 },
  24: STRING,
};
const CRS: Schema = { 4: STRING, 6: { scalar: 4 }, 8: STRING, 10: STRING, 12: STRING, 14: STRING };
const GEOMETRY: Schema = {
  4: { vector: 4 },
  6: { vector: 8 },
  8: { vector: 8 },
  10: { vector: 8 },
  12: { vector: 8 },
  14: { vector: 8 },
  16: { scalar: 1 },
  18: { tables: () => GEOMETRY },
};
const HEADER: Schema = {
  4: STRING,
  6: { vector: 8 },
  8: { scalar: 1 },
  10: { scalar: 1 },
  12: { scalar: 1 },
  14: { scalar: 1 },
  16: { scalar: 1 },
  18: { tables: () => COLUMN },
  20: { scalar: 8 },
  22: { scalar: 2 },
  24: { table: () => CRS },
  26: STRING,
  28: STRING,
  30: STRING,
};
const FEATURE: Schema = { 4: { table: () => GEOMETRY }, 6: { vector: 1 }, 8: { tables: () => COLUMN } };

const MAGIC_BYTES = 8;
const SIZE_PREFIX = 4;

/** Byte sizes of property values by column type (Byte … Double); the rest carry a 4-byte length. */
const FIXED_SIZES: readonly number[] = [1, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8];
const COLUMN_TYPES = 15;

class Region {
  private tablesLeft: number;
  constructor(
    readonly view: DataView,
    readonly start: number,
    readonly end: number,
    readonly fail: (what: string, at: number) => never,
    readonly maxDepth: number,
  ) {
    // Each real table takes at least 4 bytes, so more visits than that mean tables shared in a loop
    // or a tree (which would make checking exponential).
    this.tablesLeft = Math.ceil((end - start) / 4) + 1;
  }

  inside(at: number, size: number): boolean {
    return at >= this.start && size >= 0 && at + size <= this.end;
  }

  u32(at: number): number {
    if (!this.inside(at, 4)) this.fail('an offset points outside it', at);
    return this.view.getUint32(at, true);
  }

  /** Checks the table at `at` and everything it refers to; returns the position of each field. */
  table(at: number, schema: Schema, depth: number, from = at): Map<number, number> {
    if (depth > this.maxDepth) this.fail(`its tables nest more than ${this.maxDepth} deep`, from);
    if (--this.tablesLeft < 0) this.fail('its tables refer to each other in a loop', from);
    // `from` is where the offset to the table was read, which is where the damage is.
    if (!this.inside(at, 4))
      this.fail(`an offset points to byte ${at}, outside its ${this.end - this.start} bytes`, from);
    const vtable = at - this.view.getInt32(at, true);
    if (!this.inside(vtable, 4)) this.fail("a table's field list lies outside it", at);
    const vtableSize = this.view.getUint16(vtable, true);
    const tableSize = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || !this.inside(vtable, vtableSize)) {
      this.fail("a table's field list is malformed", vtable);
    }
    if (tableSize < 4 || !this.inside(at, tableSize)) this.fail('a table runs past its end', at);
    const fields = new Map<number, number>();
    for (const [slotText, field] of Object.entries(schema)) {
      const slot = Number(slotText);
      if (slot >= vtableSize) continue;
      const offset = this.view.getUint16(vtable + slot, true);
      if (offset === 0) continue;
      const size = 'scalar' in field ? field.scalar : 4;
      if (offset + size > tableSize) this.fail('a field lies outside its table', at);
      const position = at + offset;
      fields.set(slot, position);
      if ('scalar' in field) continue;
      const target = position + this.u32(position);
      if ('table' in field) {
        this.table(target, field.table(), depth + 1, position);
        continue;
      }
      const length = this.u32(target);
      const elementSize = 'vector' in field ? field.vector : 4;
      if (!this.inside(target + 4, length * elementSize)) this.fail('a list runs past its end', target);
      // The package reads number lists as typed arrays over the file, which must be aligned.
      if (elementSize > 1 && (target + 4) % elementSize !== 0)
        this.fail('a number list is misaligned', target);
      if ('tables' in field) {
        const schemaOfElement = field.tables();
        for (let i = 0; i < length; i++) {
          const element = target + 4 + 4 * i;
          this.table(element + this.view.getUint32(element, true), schemaOfElement, depth + 1, element);
        }
      }
    }
    return fields;
  }

  /** The positions of the tables in a vector of tables found at a field's position. */
  tableVector(position: number): number[] {
    const target = position + this.u32(position);
    const length = this.u32(target);
    const out: number[] = [];
    for (let i = 0; i < length; i++) {
      const element = target + 4 + 4 * i;
      out.push(element + this.view.getUint32(element, true));
    }
    return out;
  }
}

/** What {@link verifyFlatGeobuf} learnt of a file. */
export interface FlatGeobufLayout {
  /** The number of features found by walking the file. */
  readonly features: number;
}

/**
 * Checks every length and offset of a FlatGeobuf file (magic, header, spatial index, each feature's
 * size, tables, geometry lists and properties) so that reading it afterwards stays inside the bytes.
 * A problem is an {@link InputError} naming the file and the byte offset; a property longer than
 * `limits.maxPropertyLength` is a {@link LimitError}. `bytes` must start at offset 0 of its buffer,
 * because the alignment of number lists is judged from there.
 */
export function verifyFlatGeobuf(bytes: Uint8Array, file: string, limits: ReadLimits): FlatGeobufLayout {
  const fail = (what: string, at: number): never => {
    throw new InputError(file, `is a corrupt or truncated FlatGeobuf file: ${what} (at byte ${at}).`);
  };
  if (bytes.byteLength < MAGIC_BYTES + SIZE_PREFIX) {
    throw new InputError(
      file,
      `is a truncated FlatGeobuf file: it has ${bytes.byteLength} bytes, fewer than the ${MAGIC_BYTES + SIZE_PREFIX} of its signature and header size.`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint32(MAGIC_BYTES, true);
  const headerStart = MAGIC_BYTES + SIZE_PREFIX;
  if (headerSize < 8 || headerStart + headerSize > bytes.byteLength) {
    fail(
      `its header says it is ${headerSize} bytes but ${bytes.byteLength - headerStart} follow`,
      MAGIC_BYTES,
    );
  }
  const header = new Region(view, headerStart, headerStart + headerSize, fail, limits.maxDepth);
  const root = headerStart + header.u32(headerStart);
  const fields = header.table(root, HEADER, 0, headerStart);
  const columnTypes = (at: number | undefined): number[] =>
    at === undefined
      ? []
      : header.tableVector(at).map((column) => {
          const columnFields = header.table(column, COLUMN, 1);
          const typeAt = columnFields.get(6);
          return typeAt === undefined ? 0 : view.getUint8(typeAt);
        });
  const headerColumns = columnTypes(fields.get(18));
  const countAt = fields.get(20);
  const declared =
    countAt === undefined ? 0 : view.getUint32(countAt, true) + view.getUint32(countAt + 4, true) * 2 ** 32;
  const nodeSizeAt = fields.get(22);
  // The schema's default node size is 16: a header without the field has an index.
  const nodeSize = nodeSizeAt === undefined ? 16 : view.getUint16(nodeSizeAt, true);
  let offset = headerStart + headerSize;
  if (nodeSize > 0 && declared > 0) {
    // More features than bytes cannot be; it would also make the index size meaningless.
    if (declared > bytes.byteLength) {
      fail(`its header declares ${declared} features, more than the file could hold`, countAt ?? 0);
    }
    offset += calcTreeSize(declared, nodeSize);
    if (offset > bytes.byteLength)
      fail('its spatial index runs past the end of the file', headerStart + headerSize);
  }
  let count = 0;
  while (offset < bytes.byteLength) {
    const where = `feature ${count + 1}`;
    if (offset + SIZE_PREFIX > bytes.byteLength) fail(`${where} is cut off`, offset);
    const size = view.getUint32(offset, true);
    const start = offset + SIZE_PREFIX;
    if (size < 8 || start + size > bytes.byteLength) {
      fail(`${where} says it is ${size} bytes but ${bytes.byteLength - start} remain`, offset);
    }
    const region = new Region(
      view,
      start,
      start + size,
      (what, at) => fail(`${where}: ${what}`, at),
      limits.maxDepth,
    );
    const featureFields = region.table(start + region.u32(start), FEATURE, 0, start);
    const types = featureFields.has(8) ? columnTypesIn(region, featureFields.get(8)!) : headerColumns;
    const propertiesAt = featureFields.get(6);
    if (propertiesAt !== undefined) {
      const target = propertiesAt + view.getUint32(propertiesAt, true);
      checkProperties(
        view,
        target + 4,
        target + 4 + view.getUint32(target, true),
        types,
        (what, at) => fail(`${where}'s properties: ${what}`, at),
        file,
        limits,
        where,
      );
    }
    count++;
    offset = start + size;
  }
  if (declared > 0 && count !== declared) {
    fail(`its header declares ${declared} features but ${count} are in the file`, bytes.byteLength);
  }
  return { features: count };
}

function columnTypesIn(region: Region, at: number): number[] {
  return region.tableVector(at).map((column) => {
    const typeAt = region.table(column, COLUMN, 1).get(6);
    return typeAt === undefined ? 0 : region.view.getUint8(typeAt);
  });
}

function checkProperties(
  view: DataView,
  start: number,
  end: number,
  types: readonly number[],
  fail: (what: string, at: number) => never,
  file: string,
  limits: ReadLimits,
  where: string,
): void {
  for (let at = start; at < end; ) {
    if (at + 2 > end) fail('a column number is cut off', at);
    const column = view.getUint16(at, true);
    at += 2;
    const type = types[column];
    if (type === undefined) fail(`column ${column} is not among the ${types.length} columns`, at - 2);
    if (type >= COLUMN_TYPES) fail(`column ${column} has unknown type ${type}`, at - 2);
    let size = FIXED_SIZES[type];
    if (size === undefined) {
      if (at + 4 > end) fail(`the length of column ${column}'s value is cut off`, at);
      const length = view.getUint32(at, true);
      if (length > limits.maxPropertyLength) {
        throw new LimitError(
          file,
          `${where} holds a value of ${length.toLocaleString('en-US')} bytes in column ${column}`,
          'maxPropertyLength',
          limits.maxPropertyLength,
        );
      }
      at += 4;
      size = length;
    }
    if (at + size > end) fail(`column ${column}'s value runs past the end`, at);
    at += size;
  }
}
