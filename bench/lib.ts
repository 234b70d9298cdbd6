// Shared helpers of the benchmarks: a seeded PRNG, timing statistics, memory and GC sampling, a table.

import { PerformanceObserver } from 'node:perf_hooks';

/** Seeded PRNG (mulberry32): the same city on every run and every machine; one home with the core's tests. */
export { seededRandom } from '../packages/core/test/reference.js';

/** Standard normal deviate (Box–Muller) from a uniform PRNG. */
export function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Minimum, mean and sample standard deviation of timings (ms). */
export interface Stats {
  readonly min: number;
  readonly mean: number;
  readonly sd: number;
  readonly n: number;
}

export function stats(values: readonly number[]): Stats {
  const n = values.length;
  if (n === 0) return { min: Number.NaN, mean: Number.NaN, sd: Number.NaN, n };
  let min = Number.POSITIVE_INFINITY;
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    sum += v;
  }
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { min, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

/** `min 812 ms, 830 ± 15 ms (n=3)`. */
export function formatStats(s: Stats): string {
  return `${formatMs(s.min)} (mean ${formatMs(s.mean)} ± ${formatMs(s.sd)}, n=${s.n})`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** 1.23M, 45.6k: rates and counts in a table. */
export function formatCount(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(abs >= 10 ? 0 : 2);
}

/** 1,059 or 0.87: a ratio, whole above 10 so that it reads exactly against a floor like 1,000×. */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x >= 10 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2);
}

export function formatMiB(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** Collects garbage when node runs with --expose-gc (the bench script always does). */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Peak memory of a run, sampled at the points the run calls `sample()` (a synchronous run cannot
 * be sampled from a timer). `start()` collects garbage first, so the baseline is the live heap.
 */
export class MemorySampler {
  private base = process.memoryUsage();
  private peakRss = 0;
  private peakHeap = 0;
  private peakArrayBuffers = 0;

  start(): void {
    collectGarbage();
    this.base = process.memoryUsage();
    this.peakRss = this.base.rss;
    this.peakHeap = this.base.heapUsed;
    this.peakArrayBuffers = this.base.arrayBuffers;
  }

  sample(): void {
    const m = process.memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
    if (m.arrayBuffers > this.peakArrayBuffers) this.peakArrayBuffers = m.arrayBuffers;
  }

  /** Peak values and their growth over the baseline taken at `start()`. */
  report(): { rss: number; heapUsed: number; arrayBuffers: number; text: string } {
    const d = (peak: number, base: number) => `${formatMiB(peak)} (+${formatMiB(Math.max(0, peak - base))})`;
    return {
      rss: this.peakRss,
      heapUsed: this.peakHeap,
      arrayBuffers: this.peakArrayBuffers,
      text: `rss ${d(this.peakRss, this.base.rss)}, heapUsed ${d(this.peakHeap, this.base.heapUsed)}, arrayBuffers ${d(this.peakArrayBuffers, this.base.arrayBuffers)}`,
    };
  }
}

/** Runs `fn` once to warm up, then `reps` times; returns the timings in ms and the last result. */
export function repeat<T>(reps: number, fn: () => T, warmUp = true): { times: number[]; result: T } {
  let result = warmUp ? fn() : (undefined as T);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    collectGarbage();
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  return { times, result };
}

/** A left-aligned first column and right-aligned others, in a Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Value of `--name value` or `--name=value` on the command line, or undefined. */
export function argValue(args: readonly string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) return args[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

/** A benchmark's command line: the options every city-scale script shares, and readers for its own. */
export interface BenchArgs {
  /** `--small`: the script's small city instead of the full one. */
  readonly small: boolean;
  /** `--reps N`: timed repetitions after the warm-up (default 3). */
  readonly reps: number;
  /** `--seed N`: the seed of the synthetic data (default 42). */
  readonly seed: number;
  /** The number given as `--name N`, or `fallback`. */
  number(name: string, fallback: number): number;
  /** The text given as `--name value`, or undefined. */
  text(name: string): string | undefined;
  /** The comma-separated names given as `--name a,b`, or those of `fallback`. */
  names(name: string, fallback: string): Set<string>;
}

/** Reads a benchmark's command line (the process's own unless `args` is given). */
export function benchArgs(args: readonly string[] = process.argv.slice(2)): BenchArgs {
  const number = (name: string, fallback: number) => Number(argValue(args, name) ?? fallback);
  return {
    small: args.includes('--small'),
    reps: number('reps', 3),
    seed: number('seed', 42),
    number,
    text: (name) => argValue(args, name),
    names: (name, fallback) => new Set((argValue(args, name) ?? fallback).split(',')),
  };
}

/**
 * Garbage-collection pauses, from the `gc` performance entries. Entries arrive asynchronously, so
 * `flush()` (awaited) must run between a synchronous run and `msBetween()` over its time window.
 */
export class GcMeter {
  private readonly entries: { start: number; duration: number }[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) this.entries.push({ start: e.startTime, duration: e.duration });
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  async flush(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Milliseconds of garbage collection that started within [t0, t1] (performance.now() times). */
  msBetween(t0: number, t1: number): number {
    let ms = 0;
    for (const e of this.entries) if (e.start >= t0 && e.start <= t1) ms += e.duration;
    return ms;
  }

  stop(): void {
    this.observer.disconnect();
  }
}

/**
 * Wall time and the process's CPU time (every thread: user + system) of one call, in ms, with the
 * system part and the minor page faults apart: first touches of fresh memory (a new buffer's pages
 * mapped and zeroed by the kernel) show there, not in the user time.
 */
export function timedCpu<T>(fn: () => T): {
  result: T;
  ms: number;
  cpuMs: number;
  systemMs: number;
  minorFaults: number;
} {
  const before = process.resourceUsage();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  const after = process.resourceUsage();
  const userMs = (after.userCPUTime - before.userCPUTime) / 1000;
  const systemMs = (after.systemCPUTime - before.systemCPUTime) / 1000;
  return {
    result,
    ms,
    cpuMs: userMs + systemMs,
    systemMs,
    minorFaults: after.minorPageFault - before.minorPageFault,
  };
}
