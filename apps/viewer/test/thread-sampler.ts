// What the browser's threads did while a main-thread task ran, from Linux's own accounting: every
// few milliseconds, each Chromium thread's /proc/PID/task/TID/schedstat (nanoseconds on a core, and
// nanoseconds runnable but waiting for a core) and the machine's /proc/stat. A long task's wall time
// then splits into the main thread's time on a core, its time waiting for a core (the machine was
// busy) and the rest, when it was blocked (asleep: a synchronous call to the GPU process, a lock);
// and beside it, which threads had the cores meanwhile (SwiftShader drawing, the workers, others).
// Linux only; a benchmark's tool (apps/viewer/test/big-city.test.ts), not part of the suite.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** A Chromium thread sampled: its process's role, its name and its accounting at each sample. */
interface SampledThread {
  readonly process: string;
  readonly name: string;
  readonly tid: number;
  /** Cumulative ns on a core and ns waiting for one, at each sample (NaN before the thread was seen). */
  readonly run: number[];
  readonly queued: number[];
}

/** One task's window, accounted: ms, over the task's wall time. */
export interface TaskWindow {
  readonly wallMs: number;
  /** The main thread: on a core, runnable but waiting for a core, and blocked (the rest). */
  readonly mainRunMs: number;
  readonly mainQueuedMs: number;
  readonly mainBlockedMs: number;
  /** CPU ms of each group of the browser's other threads in the window, most first. */
  readonly others: readonly { readonly who: string; readonly ms: number }[];
  /** CPU ms the whole machine spent in the window (2 cores: at most twice the wall time). */
  readonly machineMs: number;
}

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** Chromium's processes descended from this one: pid and role (`browser`, `renderer`, `gpu-process`, …). */
function chromiumProcesses(): { pid: number; role: string }[] {
  const parent = new Map<number, number>();
  const args = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readText(`/proc/${pid}/stat`);
    const cmdline = readText(`/proc/${pid}/cmdline`);
    if (!stat || cmdline === null) continue;
    // The command name is in parentheses and may hold spaces: the fields after the last `)`.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(pid, Number(fields[1]));
    args.set(pid, cmdline.replaceAll('\0', ' '));
  }
  const ours = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p))
      if (p === process.pid) return true;
    return false;
  };
  const found: { pid: number; role: string }[] = [];
  for (const [pid, line] of args) {
    if (!/chrom/i.test(line.split(' ')[0] ?? '') || !ours(pid)) continue;
    found.push({ pid, role: /--type=([\w-]+)/.exec(line)?.[1] ?? 'browser' });
  }
  return found;
}

/** The machine's busy CPU time so far, in ns (/proc/stat's first line: all but idle and iowait). */
function machineBusyNs(): number {
  const first = readText('/proc/stat')?.split('\n')[0] ?? '';
  const ticks = first.trim().split(/\s+/).slice(1).map(Number);
  const busy = ticks.reduce((sum, t, i) => (i === 3 || i === 4 ? sum : sum + t), 0);
  return (busy * 1e9) / 100; // USER_HZ is 100 on Linux
}

/**
 * Samples every Chromium thread under this process until stopped. Sample times are
 * `process.hrtime` (CLOCK_MONOTONIC), the clock of Chrome's trace events on Linux, so a trace's task
 * can be looked up by its own timestamps ({@link ThreadSampler.account}).
 */
export class ThreadSampler {
  private readonly times: number[] = [];
  private readonly machine: number[] = [];
  private readonly threads = new Map<number, SampledThread>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private processes: { pid: number; role: string }[] = [];
  private ownCpu: NodeJS.CpuUsage | undefined;
  /** The CPU ms this process spent sampling (what the sampling itself took from the machine). */
  ownCpuMs = 0;

  start(everyMs = 5): void {
    this.ownCpu = process.cpuUsage();
    this.processes = chromiumProcesses();
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
    const used = process.cpuUsage(this.ownCpu);
    this.ownCpuMs = (used.user + used.system) / 1000;
  }

  /**
   * Sets the scheduling `nice` of the browser's autogroups (/proc/PID/autogroup; Linux with
   * autogroups on, as here, gives each session a fair share of the cores whatever its threads'
   * number, and Playwright starts Chromium in a session of its own). On a machine shared with other
   * people's work, -10 gives the browser the cores first: its threads then share them among themselves,
   * as on a quiet machine. A measurement aid, not what a user's browser gets.
   */
  reniceAutogroups(nice: number): string[] {
    const groups = new Map<string, number>();
    for (const { pid } of chromiumProcesses()) {
      const group = readText(`/proc/${pid}/autogroup`)?.split(' ')[0];
      if (group && !groups.has(group)) groups.set(group, pid);
    }
    for (const pid of groups.values()) writeFileSync(`/proc/${pid}/autogroup`, String(nice));
    return [...groups.values()].map((pid) => readText(`/proc/${pid}/autogroup`)?.trim() ?? '?');
  }

  /** The renderer's main thread id (its process id), for the trace's `CrRendererMain`. */
  rendererPids(): number[] {
    return this.processes.filter((p) => p.role === 'renderer').map((p) => p.pid);
  }

  private sample(): void {
    const index = this.times.length;
    this.times.push(Number(process.hrtime.bigint()));
    this.machine.push(machineBusyNs());
    for (const { pid, role } of this.processes) {
      let tids: string[];
      try {
        tids = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const entry of tids) {
        const tid = Number(entry);
        const stat = readText(`/proc/${pid}/task/${tid}/schedstat`);
        if (!stat) continue;
        let thread = this.threads.get(tid);
        if (!thread) {
          const name = readText(`/proc/${pid}/task/${tid}/comm`)?.trim() ?? '?';
          thread = { process: role, name, tid, run: [], queued: [] };
          this.threads.set(tid, thread);
        }
        const [run, queued] = stat.split(' ').map(Number);
        while (thread.run.length < index) {
          thread.run.push(Number.NaN);
          thread.queued.push(Number.NaN);
        }
        thread.run.push(run!);
        thread.queued.push(queued!);
      }
    }
  }

  /** A cumulative series' value at `ns`, interpolated between samples (NaN outside them). */
  private at(series: readonly number[], ns: number): number {
    const times = this.times;
    let lo = 0;
    let hi = times.length - 1;
    if (hi < 0 || ns < times[0]! || ns > times[hi]!) return Number.NaN;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! <= ns) lo = mid;
      else hi = mid;
    }
    const t0 = times[lo]!;
    const t1 = times[hi]!;
    const v0 = series[lo] ?? Number.NaN;
    const v1 = series[hi] ?? v0;
    return t1 === t0 ? v0 : v0 + ((v1 - v0) * (ns - t0)) / (t1 - t0);
  }

  /**
   * What happened in the window of a task of thread `mainTid` from `startUs` for `wallMs` (trace clock,
   * µs), or null when the samples do not cover it.
   */
  account(mainTid: number, startUs: number, wallMs: number): TaskWindow | null {
    const from = startUs * 1000;
    const to = from + wallMs * 1e6;
    const delta = (series: readonly number[]) => (this.at(series, to) - this.at(series, from)) / 1e6;
    const main = this.threads.get(mainTid);
    if (!main) return null;
    const mainRunMs = delta(main.run);
    const mainQueuedMs = delta(main.queued);
    if (!Number.isFinite(mainRunMs)) return null;
    const groups = new Map<string, number>();
    for (const thread of this.threads.values()) {
      if (thread === main) continue;
      const ms = delta(thread.run);
      if (!(ms > 0)) continue;
      const who = `${thread.process} ${thread.name.replace(/\d+$/, '#')}`;
      groups.set(who, (groups.get(who) ?? 0) + ms);
    }
    return {
      wallMs,
      mainRunMs,
      mainQueuedMs,
      mainBlockedMs: Math.max(0, wallMs - mainRunMs - mainQueuedMs),
      others: [...groups]
        .map(([who, ms]) => ({ who, ms }))
        .filter((g) => g.ms >= 1)
        .sort((a, b) => b.ms - a.ms),
      machineMs: delta(this.machine),
    };
  }
}

/** One line for a task's window: the main thread's split and who else had the cores. */
export function describeWindow(w: TaskWindow): string {
  const r = Math.round;
  const others = w.others
    .slice(0, 6)
    .map((g) => `${g.who} ${r(g.ms)}`)
    .join(', ');
  return `main thread on a core ${r(w.mainRunMs)}, waiting for a core ${r(w.mainQueuedMs)}, blocked ${r(w.mainBlockedMs)}; meanwhile the machine used ${r(w.machineMs)} ms of CPU, the browser's other threads: ${others || 'none'}`;
}
