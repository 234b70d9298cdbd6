/**
 * io's work-pool kernels, registered with the core's `runKernel` when this module loads: a pool thread
 * (the CLI's worker) imports this module, not the whole of io with its readers' dependencies, to run
 * the kernels io's readers hand to a `WorkPool` (`DemandLinesReader` given a pool).
 *
 * @internal
 * @module @lifecircle/io/kernels
 */
export { DEMAND_LINE_SLICES_KERNEL } from './json/demand-line-slices.js';
