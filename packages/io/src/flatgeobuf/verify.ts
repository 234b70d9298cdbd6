import { calcTreeSize } from 'flatgeobuf/lib/mjs/packedrtree.js';
import { LimitError, type ReadLimits } from '../limits.js';

/*
 * The `flatgeobuf` package trusts every length and offset in a file: given 8 bytes it loops forever,
 * given a truncated file it reads past the end. So the header and each feature are checked here
 * first, against the FlatGeobuf schema (header.fbs, feature.fbs), and the package only ever sees
 * bytes whose every offset lands inside them.
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
export const SIZE_PREFIX = 4;

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

/** Reports a problem found at a byte of the file (its position in the file, not in a piece of it). */
export type FlatGeobufFail = (what: string, at: number) => never;

/** What {@link checkHeader} learnt of a file's header. */
export interface FlatGeobufHeaderLayout {
  /** Where the spatial index (or, without one, the first feature) starts. */
  readonly headerEnd: number;
  /** The type of each column the header declares. */
  readonly columnTypes: readonly number[];
  /** The number of features the header declares (0: not said). */
  readonly declared: number;
  /** Where that number is, for messages about it. */
  readonly declaredAt: number;
  /** Bytes of the spatial index that follows the header. */
  readonly indexBytes: number;
}

export const MAGIC_AND_SIZE: number = MAGIC_BYTES + SIZE_PREFIX;

/**
 * Checks a FlatGeobuf header against the schema: `bytes` starts at the file's first byte and holds at
 * least its magic bytes, header size and header (see {@link headerBytes}); `fileBytes` is the file's
 * size when known, to refuse a declared feature count the file could not hold.
 */
export function checkHeader(
  bytes: Uint8Array,
  fileBytes: number | null,
  fail: FlatGeobufFail,
  limits: ReadLimits,
): FlatGeobufHeaderLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerEnd = MAGIC_AND_SIZE + view.getUint32(MAGIC_BYTES, true);
  const header = new Region(view, MAGIC_AND_SIZE, headerEnd, fail, limits.maxDepth);
  const root = MAGIC_AND_SIZE + header.u32(MAGIC_AND_SIZE);
  const fields = header.table(root, HEADER, 0, MAGIC_AND_SIZE);
  const columnsAt = fields.get(18);
  const columnTypes =
    columnsAt === undefined
      ? []
      : header.tableVector(columnsAt).map((column) => {
          const typeAt = header.table(column, COLUMN, 1).get(6);
          return typeAt === undefined ? 0 : view.getUint8(typeAt);
        });
  const countAt = fields.get(20);
  const declared =
    countAt === undefined ? 0 : view.getUint32(countAt, true) + view.getUint32(countAt + 4, true) * 2 ** 32;
  const nodeSizeAt = fields.get(22);
  // The schema's default node size is 16: a header without the field has an index.
  const nodeSize = nodeSizeAt === undefined ? 16 : view.getUint16(nodeSizeAt, true);
  let indexBytes = 0;
  if (nodeSize > 0 && declared > 0) {
    // More features than bytes cannot be; it would also make the index size meaningless.
    if (declared > (fileBytes ?? Number.MAX_SAFE_INTEGER)) {
      fail(`its header declares ${declared} features, more than the file could hold`, countAt ?? 0);
    }
    indexBytes = calcTreeSize(declared, nodeSize);
  }
  return { headerEnd, columnTypes, declared, declaredAt: countAt ?? 0, indexBytes };
}

/**
 * The size a file's start says its magic bytes, header size and header take (`bytes` holds at least
 * {@link MAGIC_AND_SIZE} bytes), or a failure when the header size is impossible.
 */
export function headerBytes(bytes: Uint8Array, fail: FlatGeobufFail): number {
  const headerSize = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(
    MAGIC_BYTES,
    true,
  );
  if (headerSize < 8)
    fail(`its header says it is ${headerSize} bytes, fewer than the 8 of any header`, MAGIC_BYTES);
  return MAGIC_AND_SIZE + headerSize;
}

/**
 * Checks one feature against the schema and its properties against the columns: `view` holds the
 * feature's 4-byte size and its bytes from `prefixAt`, at the alignment they have in the file (number
 * lists are read as typed arrays, which must be aligned). `where` names it (`feature 3`).
 */
export function checkFeature(
  view: DataView,
  prefixAt: number,
  headerTypes: readonly number[],
  fail: FlatGeobufFail,
  file: string,
  limits: ReadLimits,
  where: string,
): void {
  const size = view.getUint32(prefixAt, true);
  const start = prefixAt + SIZE_PREFIX;
  const region = new Region(
    view,
    start,
    start + size,
    (what, at) => fail(`${where}: ${what}`, at),
    limits.maxDepth,
  );
  const featureFields = region.table(start + region.u32(start), FEATURE, 0, start);
  const types = featureFields.has(8) ? columnTypesIn(region, featureFields.get(8)!) : headerTypes;
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
