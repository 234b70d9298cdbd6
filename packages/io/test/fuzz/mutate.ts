// Mutations of a valid file, as fast-check arbitraries so that a failure shrinks to the smallest
// list of mutations and is replayed from its seed.
import fc from 'fast-check';

/** One change to a file; positions are fractions of its length, so one list applies to any file. */
export type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'length'; readonly at: number; readonly value: number }
  | { readonly kind: 'nest'; readonly at: number; readonly depth: number; readonly open: string }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number; readonly times: number }
  | { readonly kind: 'fill'; readonly at: number; readonly length: number; readonly byte: number };

// Uniform over the file: fast-check's default bias towards small values would put most mutations on
// the first bytes, and a broken signature only ever tests the format check.
const fraction = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

/** Mutations for any file; `text` adds nesting (deep brackets inserted) for text formats. */
export function mutationArbitrary(text: boolean): fc.Arbitrary<Mutation> {
  const kinds: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
    fc.record({ kind: fc.constant('flip' as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({
      kind: fc.constant('length' as const),
      at: fraction,
      // Lengths and offsets that overflow, point far past the end, or are zero.
      value: fc.oneof(
        fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, 0x10000),
        fc.nat({ max: 0xffffffff }),
      ),
    }),
    fc.record({
      kind: fc.constant('repeat' as const),
      at: fraction,
      length: fc.integer({ min: 1, max: 64 }),
      times: fc.integer({ min: 2, max: 200 }),
    }),
    fc.record({
      kind: fc.constant('fill' as const),
      at: fraction,
      length: fc.integer({ min: 1, max: 256 }),
      byte: fc.constantFrom(0x00, 0xff, 0x22, 0x5b, 0x2c, 0x0a),
    }),
  ];
  if (text) {
    kinds.push(
      fc.record({
        kind: fc.constant('nest' as const),
        at: fraction,
        depth: fc.integer({ min: 1, max: 20_000 }),
        open: fc.constantFrom('[', '{"a":', '"', '[{"b":['),
      }),
    );
  }
  return fc.oneof(...kinds);
}

/** The bytes after applying the mutations in order. */
export function mutate(seed: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = seed.slice();
  for (const m of mutations) {
    const at = Math.floor(m.at * bytes.byteLength);
    switch (m.kind) {
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'flip':
        if (at < bytes.byteLength) bytes[at]! ^= 1 << m.bit;
        break;
      case 'length':
        if (at + 4 <= bytes.byteLength) new DataView(bytes.buffer).setUint32(at, m.value, (at & 1) === 0);
        break;
      case 'fill':
        bytes.fill(m.byte, at, at + m.length);
        break;
      case 'repeat': {
        const chunk = bytes.slice(at, at + m.length);
        const out = new Uint8Array(bytes.byteLength + chunk.byteLength * (m.times - 1));
        out.set(bytes.subarray(0, at), 0);
        for (let i = 0; i < m.times; i++) out.set(chunk, at + i * chunk.byteLength);
        out.set(bytes.subarray(at + chunk.byteLength), at + chunk.byteLength * m.times);
        bytes = out;
        break;
      }
      case 'nest': {
        const inserted = new TextEncoder().encode(m.open.repeat(m.depth));
        const out = new Uint8Array(bytes.byteLength + inserted.byteLength);
        out.set(bytes.subarray(0, at), 0);
        out.set(inserted, at);
        out.set(bytes.subarray(at), at + inserted.byteLength);
        bytes = out;
        break;
      }
    }
  }
  return bytes;
}
