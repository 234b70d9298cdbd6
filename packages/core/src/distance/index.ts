export {
  type CostMatrixOptions,
  type CostMatrixRow,
  CostMatrixSource,
  type ParsedCostMatrix,
  parseCostMatrixCsv,
} from './cost-matrix.js';
export {
  type CostMatrixColumns,
  type CostMatrixColumnsRead,
  type CostMatrixCsvOptions,
  CostMatrixCsvReader,
} from './cost-matrix-csv.js';
export { type GreatCircleOptions, GreatCircleSource, greatCircleSource } from './great-circle.js';
export { type Nearest, NetworkSource, type NetworkSourceOptions } from './network-source.js';
export type {
  CostTable,
  DistanceContext,
  DistanceKind,
  DistanceSource,
  KeptEntries,
  NetworkFacts,
  Origins,
  Reach,
  RowsThen,
  RowsThenInput,
  SnapCost,
  TargetFacts,
  Targets,
} from './types.js';
