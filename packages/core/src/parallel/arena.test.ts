import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownScratch, poolArena, releaseScratch, SharedArena, scratchArray } from './arena.js';
import { inlineWorkPool } from './kernels.js';

describe('SharedArena', () => {
  it('hands out zeroed arrays on shared memory and reuses a given-back buffer for a request of about its size', () => {
    const arena = new SharedArena();
    const first = arena.take(Uint32Array, 1000);
    expect(first.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(first.every((v) => v === 0)).toBe(true);
    first.fill(7);
    arena.release(first);
    // Smaller, but more than half the buffer: the same memory, zeroed again.
    const second = arena.take(Float64Array, 450);
    expect(second.buffer).toBe(first.buffer);
    expect(second.length).toBe(450);
    expect(second.every((v) => v === 0)).toBe(true);
    expect(arena.counts).toEqual({ created: 1, reused: 1 });
    // Under half of a free buffer: a new one, so a small request never holds a large buffer.
    arena.release(second);
    const small = arena.take(Uint8Array, 100);
    expect(small.buffer).not.toBe(first.buffer);
  });

  it('leaves an array its job overwrites as the last job left it, when asked to', () => {
    const arena = new SharedArena();
    const first = arena.take(Int32Array, 64);
    first.fill(-3);
    arena.release(first);
    const again = arena.take(Int32Array, 64, 'overwritten');
    expect(again.buffer).toBe(first.buffer);
    expect(again[0]).toBe(-3);
  });

  it('throws for an array given back twice, or not handed out by it', () => {
    const arena = new SharedArena();
    const array = arena.take(Uint32Array, 10);
    arena.release(array);
    expect(() => arena.release(array)).toThrowError(
      'An array of 40 bytes given back to a SharedArena that did not hand it out, or gave it back already.',
    );
    expect(() => arena.own(array)).toThrowError(/not handed out by this SharedArena, or given back/);
    expect(() => arena.release(new Uint32Array(new SharedArrayBuffer(8)))).toThrowError(
      /did not hand it out/,
    );
    expect(() => new SharedArena(-1)).toThrowError('maxFreeBytes must be 0 or more, got -1.');
  });

  it('gives the caller an ordinary copy that later jobs cannot change, and reuses the buffer', () => {
    const arena = new SharedArena();
    const work = arena.take(Float64Array, 500);
    work.fill(2.5);
    const mine = arena.own(work);
    expect(mine.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    const next = arena.take(Float64Array, 500);
    expect(next.buffer).toBe(work.buffer);
    next.fill(9);
    expect(mine.every((v) => v === 2.5)).toBe(true);
  });

  it('hands over an array larger than it keeps as it is, and never reuses its buffer', () => {
    const arena = new SharedArena(1024);
    const big = arena.take(Float64Array, 1000);
    big[0] = 4;
    const mine = arena.own(big);
    expect(mine).toBe(big);
    expect(arena.freeBytes).toBe(0);
    expect(arena.take(Float64Array, 1000).buffer).not.toBe(big.buffer);
  });

  it('keeps at most maxFreeBytes free, dropping the largest buffers first', () => {
    const arena = new SharedArena(10_000);
    const arrays = [1000, 2000, 4000, 8000].map((bytes) => arena.take(Uint8Array, bytes));
    arena.release(...arrays);
    expect(arena.freeBytes).toBeLessThanOrEqual(10_000);
    // 8,000 bytes were dropped; the 4,000-byte buffer is still there for a request of its size.
    expect(arena.take(Uint8Array, 4000).buffer).toBe(arrays[2]!.buffer);
    expect(arena.take(Uint8Array, 8000).buffer).not.toBe(arrays[3]!.buffer);
  });

  it('never hands out memory that a held array or an owned result still uses (any sequence of jobs)', () => {
    type Step =
      | { kind: 'take'; length: number; overwritten: boolean }
      | { kind: 'release'; pick: number }
      | { kind: 'own'; pick: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({
        kind: fc.constant('take' as const),
        length: fc.integer({ min: 0, max: 3000 }),
        overwritten: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('own' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 0, max: 40_000 }), (steps, budget) => {
        const arena = new SharedArena(budget);
        // Every array held or owned is filled with its own mark, checked after each step.
        const held: { array: Uint32Array; mark: number }[] = [];
        const owned: { array: Uint32Array; mark: number }[] = [];
        let mark = 1;
        for (const s of steps) {
          if (s.kind === 'take') {
            const array = arena.take(Uint32Array, s.length, s.overwritten ? 'overwritten' : 'zeros');
            if (!s.overwritten) expect(array.every((v) => v === 0)).toBe(true);
            array.fill(mark);
            held.push({ array, mark: mark++ });
          } else if (held.length > 0) {
            const [entry] = held.splice(s.pick % held.length, 1);
            if (s.kind === 'release') arena.release(entry!.array);
            else owned.push({ array: arena.own(entry!.array), mark: entry!.mark });
          }
          for (const { array, mark: m } of [...held, ...owned])
            expect(array.every((v) => v === m)).toBe(true);
          expect(arena.freeBytes).toBeLessThanOrEqual(budget);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('a pool’s arena', () => {
  it('is one per pool of two or more threads, and none for one thread or no pool', () => {
    const pool = inlineWorkPool(2);
    expect(poolArena(pool)).toBeInstanceOf(SharedArena);
    expect(poolArena(pool)).toBe(poolArena(pool));
    expect(poolArena(inlineWorkPool(2))).not.toBe(poolArena(pool));
    expect(poolArena(inlineWorkPool(1))).toBeUndefined();
    expect(poolArena(undefined)).toBeUndefined();
  });

  it('scratch arrays are ordinary ones without an arena, and giving them back does nothing', () => {
    const array = scratchArray(Float64Array, 10, inlineWorkPool(1));
    expect(array.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    releaseScratch(undefined, array);
    expect(ownScratch(undefined, array)).toBe(array);
    const pool = inlineWorkPool(3);
    const shared = scratchArray(Float64Array, 10, pool);
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    releaseScratch(pool, shared);
    expect(scratchArray(Float64Array, 10, pool).buffer).toBe(shared.buffer);
  });
});
