// Public API of @lifecircle/core. Each stage lives in its own module; this file only re-exports.
export {
  type AnalysisInput,
  type AnalysisOptions,
  type AnalysisResult,
  type AreaTypeSummary,
  analyzeCoverage,
  type CommunityResult,
  type CommunityTypeResult,
  type CoverageSummary,
  type DistrictSummary,
  type ProgressEvent,
  type TypeSummary,
} from './analysis/index.js';
export {
  type CommunityCoverage,
  type Coverage,
  type CoverageOptions,
  measureCoverage,
} from './coverage/index.js';
export {
  buildDemand,
  type DemandBuild,
  type DemandMethod,
  type DemandOptions,
  type DemandPoints,
  gridPointsInside,
} from './demand/index.js';
export * from './distance/index.js';
export {
  chord2ToMetres,
  coordsBBox,
  EARTH_RADIUS_M,
  haversineM,
  METRES_PER_DEGREE,
  metresPerDegreeLon,
  metresToChord2,
  toUnitVectors,
} from './geodesy/index.js';
export { communityFeatureCollection, type GapRow, gapRows } from './report/index.js';
export * from './standards/index.js';
export * from './validate/index.js';
