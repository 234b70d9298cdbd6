export {
  type CapacitatedAssignment,
  capacitatedAssignment,
} from './assignment.js';
export { type DecayFunction, decayFromSpec, gaussianDecay, gravityDecay, stepDecay } from './decay.js';
export { type GroupDemand, groupDemand, numericProperty } from './demand.js';
export {
  type CatchmentOptions,
  enhancedTwoStepFloatingCatchment,
  type FloatingCatchment,
  twoStepFloatingCatchment,
} from './fca.js';
export { judgeTarget, type TargetJudgement } from './targets.js';
