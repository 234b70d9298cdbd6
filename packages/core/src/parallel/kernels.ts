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

// Every kernel a pool may be asked to run, by name: a worker thread receives the name and the input
// (never a function) and looks the kernel up here.
const kernels: Readonly<Record<string, (input: never, from: number, to: number) => unknown>> = {
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
 * Runs the core's kernel `name` over `[from, to)`: what a {@link WorkPool}'s threads call for each
 * range they take. Throws for a name the core does not know.
 */
export function runKernel(name: string, input: KernelInput, from: number, to: number): unknown {
  const kernel = kernels[name];
  if (kernel === undefined) throw new Error(`No kernel named '${name}' in @lifecircle/core.`);
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
