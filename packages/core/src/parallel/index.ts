export { inlineWorkPool, runKernel } from './kernels.js';
export {
  balancedRanges,
  type KernelInput,
  type KernelRange,
  RANGES_PER_THREAD,
  rangeCount,
  sharedArray,
  type WorkPool,
} from './pool.js';
