export { type GreatCircleOptions, GreatCircleSource, greatCircleSource } from './great-circle.js';
export type {
  CostTable,
  DistanceContext,
  DistanceKind,
  DistanceSource,
  Origins,
  Reach,
  Targets,
} from './types.js';
