export { inlineWorkPool, type Kernel, registerKernel, runKernel } from './kernels.js';
export {
  balancedRanges,
  type KernelInput,
  type KernelRange,
  RANGES_PER_THREAD,
  rangeCount,
  sharedArray,
  splitsWork,
  type WorkPool,
} from './pool.js';
