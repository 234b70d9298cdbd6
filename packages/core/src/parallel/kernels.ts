import { CELL_COUNT_KERNEL, countByCells } from '../distance/cell-counts.js';
import {
  GREAT_CIRCLE_SCAN_KERNEL,
  GREAT_CIRCLE_SCAN_THEN_KERNEL,
  type ScanThenInput,
  scanGreatCircleGroups,
  scanRows,
} from '../distance/great-circle.js';
import { countNetworkTargets, NETWORK_COUNT_KERNEL } from '../distance/network-count.js';
import { NETWORK_REACH_KERNEL, reachNetworkTargets } from '../distance/network-nearest.js';
import { SNAP_KERNEL, snapPoints } from '../network/snap.js';
import { COVERAGE_IMPROVE_KERNEL, improveCoverage } from '../siting/maximal-covering.js';
import {
  AGGREGATE_ROWS_KERNEL,
  aggregateRange,
  COVERAGE_ROWS_KERNEL,
  countColumns,
  coverageRowsRange,
  scatterColumns,
  TRANSPOSE_COUNT_KERNEL,
  TRANSPOSE_SCATTER_KERNEL,
} from '../siting/rows.js';
import type { KernelInput, KernelRange, WorkPool } from './pool.js';

/** A kernel: a pure function of its input and an index range, whose result goes back to the caller. */
export type Kernel = (input: never, from: number, to: number) => unknown;

// Every kernel a pool may be asked to run, by name: a worker thread receives the name and the input
// (never a function) and looks the kernel up here. The core's own are listed; other packages add
// theirs with registerKernel (io's readers, which the core must not import).
const kernels: Record<string, Kernel> = {
  [GREAT_CIRCLE_SCAN_KERNEL]: scanGreatCircleGroups,
  [GREAT_CIRCLE_SCAN_THEN_KERNEL]: scanThen,
  [CELL_COUNT_KERNEL]: countByCells,
  [NETWORK_COUNT_KERNEL]: countNetworkTargets,
  [NETWORK_REACH_KERNEL]: reachNetworkTargets,
  [SNAP_KERNEL]: snapPoints,
  [AGGREGATE_ROWS_KERNEL]: aggregateRange,
  [COVERAGE_ROWS_KERNEL]: coverageRowsRange,
  [TRANSPOSE_COUNT_KERNEL]: countColumns,
  [TRANSPOSE_SCATTER_KERNEL]: scatterColumns,
  [COVERAGE_IMPROVE_KERNEL]: improveCoverage,
};

// A source's `withinThen`: the scan writes a range's rows, then the kernel it was asked to run
// continues on the origins of those rows (composed here, so that neither module imports the other).
function scanThen(input: ScanThenInput, from: number, to: number): unknown {
  const [first, end] = scanRows(input, from, to);
  return runKernel(input.then, input, first, end);
}

/**
 * Makes kernel `name` runnable by {@link runKernel}, for a package above the core (io reads a demand
 * file's slices on the pool). A pool thread runs a kernel only if the module registering it was loaded
 * there too. Registering the same function again does nothing; another function under a name taken
 * throws.
 */
export function registerKernel(name: string, kernel: Kernel): void {
  const known = kernels[name];
  if (known !== undefined && known !== kernel)
    throw new Error(`A kernel named '${name}' is already registered.`);
  kernels[name] = kernel;
}

/**
 * Runs the kernel `name` (the core's or a registered one) over `[from, to)`: what a {@link WorkPool}'s threads call for each
 * range they take. Throws for a name no one registered.
 */
export function runKernel(name: string, input: KernelInput, from: number, to: number): unknown {
  const kernel = kernels[name];
  if (kernel === undefined) throw new Error(`No kernel named '${name}' is registered in @lifecircle/core.`);
  return kernel(input as never, from, to);
}

/**
 * A {@link WorkPool} that runs every range on the calling thread, one after another, as if it had
 * `threads` threads: the sources cut their work as they would for that many, so tests check the
 * splitting and merging without starting a thread.
 *
 * @example
 * const source = new GreatCircleSource(demand, { pool: inlineWorkPool(4) });
 */
export function inlineWorkPool(threads: number): WorkPool {
  return {
    threads,
    run: <Part>(name: string, input: KernelInput, ranges: readonly KernelRange[]) =>
      ranges.map(([from, to]) => runKernel(name, input, from, to) as Part),
  };
}
