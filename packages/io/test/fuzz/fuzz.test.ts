// Mutation fuzzing of every reader (issue #17): truncations, bit flips, oversized lengths, repeated
// chunks, filled runs and deep nesting applied to a valid file of each format. Every mutated file
// must end within a time bound and a memory bound with either a valid result or a clear error (an
// InputError or OptionError naming the file, never a TypeError or RangeError), give the same
// outcome when read again, and account for every record: each is a feature or a rejection.
//
// A short budget runs with the tests; a long one on demand, e.g.
//   FUZZ_RUNS=2000 FUZZ_REPORT=/tmp/fuzz-counts.md npx vitest run packages/io/test/fuzz
// (FUZZ_SEED replays a run; FUZZ_REPORT names the file the per-reader counts are written to, as
// vitest keeps a closing console table out of its log; the counts of the last long run are in
// docs/hostile-inputs.md).
import { appendFileSync } from 'node:fs';
import { InputError, OptionError } from '@lifecircle/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { FeatureRead } from '../../src/index.js';
import { mutate, mutationArbitrary } from './mutate.js';
import { FUZZ_TARGETS, type FuzzTarget } from './readers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
// The short run of the normal tests uses a fixed seed, so that it gives the same cases every time
// (a failure there is a change in the code, not luck); a long run draws a new seed unless given one.
const SEED =
  process.env.FUZZ_SEED !== undefined
    ? Number(process.env.FUZZ_SEED)
    : process.env.FUZZ_RUNS === undefined
      ? 17
      : undefined;
/** Longest a single read may take, in milliseconds (generous: the machine is shared). */
const TIME_BOUND_MS = Number(process.env.FUZZ_TIME_BOUND_MS ?? 5000);
/** Most heap a read may leave in use, in bytes. */
const HEAP_BOUND = 1024 * 1024 * 1024;

type Outcome =
  | { readonly kind: 'read'; readonly digest: string; readonly read: FeatureRead }
  | { readonly kind: 'error'; readonly digest: string; readonly error: unknown };

async function outcome(target: FuzzTarget, bytes: Uint8Array): Promise<Outcome> {
  try {
    const read = await target.read(bytes);
    const digest = JSON.stringify({
      features: read.collection.features,
      crs: read.crs,
      rejected: read.rejected,
      warnings: read.warnings,
      index: read.origins ? Array.from(read.origins.index) : null,
    });
    return { kind: 'read', digest, read };
  } catch (error) {
    return { kind: 'error', digest: String((error as Error)?.message), error };
  }
}

/** Each record of the file is a feature or a rejection, once. */
function expectEveryRecordAccounted(read: FeatureRead): void {
  const features = read.collection.features.length;
  const indices = [
    ...(read.origins ? Array.from(read.origins.index) : Array.from({ length: features }, (_, i) => i)),
    ...read.rejected.map((r) => r.index),
  ].sort((a, b) => a - b);
  expect(indices.length).toBe(features + read.rejected.length);
  expect(new Set(indices).size, 'a record is both a feature and a rejection, or twice either').toBe(
    indices.length,
  );
}

interface Tally {
  cases: number;
  read: number;
  inputErrors: number;
  limitErrors: number;
  optionErrors: number;
  slowestMs: number;
  /** The most heap in use after a case, in bytes. */
  maxHeap: number;
}
const tallies = new Map<string, Tally>();

describe.each(FUZZ_TARGETS.map((t) => [t.name, t] as const))('fuzz: %s', (_, target) => {
  it('reads its unmutated file (else every mutation would fail for one reason)', async () => {
    const read = await target.read(target.seed);
    expect(read.collection.features.length).toBeGreaterThan(0);
  });

  it(
    `${RUNS} mutated files end quickly with a valid result or a clear error, the same every time`,
    async () => {
      const tally: Tally = {
        cases: 0,
        read: 0,
        inputErrors: 0,
        limitErrors: 0,
        optionErrors: 0,
        slowestMs: 0,
        maxHeap: 0,
      };
      tallies.set(target.name, tally);
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(mutationArbitrary(target.text), { minLength: 1, maxLength: 4 }),
            async (mutations) => {
              const bytes = mutate(target.seed, mutations);
              const started = performance.now();
              const first = await outcome(target, bytes);
              const ms = performance.now() - started;
              tally.cases++;
              tally.slowestMs = Math.max(tally.slowestMs, ms);
              expect(ms, `took ${Math.round(ms)} ms`).toBeLessThan(TIME_BOUND_MS);
              const heap = process.memoryUsage().heapUsed;
              tally.maxHeap = Math.max(tally.maxHeap, heap);
              expect(heap).toBeLessThan(HEAP_BOUND);
              if (first.kind === 'error') {
                const error = first.error;
                const known = error instanceof InputError || error instanceof OptionError;
                expect(known, `not a clear error: ${(error as Error)?.stack ?? String(error)}`).toBe(true);
                expect((error as Error).message).toContain(target.file);
                if ((error as Error).name === 'LimitError') tally.limitErrors++;
                else if (error instanceof OptionError) tally.optionErrors++;
                else tally.inputErrors++;
              } else {
                tally.read++;
                expectEveryRecordAccounted(first.read);
              }
              const second = await outcome(target, bytes);
              expect(second.kind).toBe(first.kind);
              expect(second.digest).toBe(first.digest);
            },
          ),
          { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true },
        );
      } finally {
        // A reader that failed is reported too, with the cases it got through.
        report(target.name, tally);
      }
      // A long run on a busy machine needs more than the default minute per reader.
    },
    Math.max(60_000, RUNS * 1000),
  );
});

/**
 * One reader's counts, appended to the file FUZZ_REPORT names as soon as its run ends (so a long run
 * stopped half-way keeps the readers done), under a header written with the first.
 */
function report(name: string, t: Tally): void {
  const file = process.env.FUZZ_REPORT;
  if (!file) return;
  if (!reported) {
    appendFileSync(
      file,
      `\nFUZZ_RUNS=${RUNS}, seed ${SEED ?? 'drawn'}, ${new Date().toISOString()}\n\n| reader | cases | valid results | input errors | limit errors | option errors | slowest (ms) | most heap (MiB) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n`,
    );
    reported = true;
  }
  appendFileSync(
    file,
    `| ${name} | ${t.cases} | ${t.read} | ${t.inputErrors} | ${t.limitErrors} | ${t.optionErrors} | ${Math.round(t.slowestMs)} | ${Math.round(t.maxHeap / 2 ** 20)} |\n`,
  );
}
let reported = false;

afterAll(() => {
  if (process.env.FUZZ_REPORT) console.log(`per-reader counts written to ${process.env.FUZZ_REPORT}`);
});
