/**
 * Walking-distance coverage of community facilities: who is served, where the gaps are, whether
 * communities meet a standard, and where new facilities should go. Pure TypeScript with no Node or DOM
 * APIs: runs in Node, browsers and Web Workers. Guide: docs/getting-started.md; overview: docs/api.md.
 *
 * @packageDocumentation
 * @module @lifecircle/core
 */
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
  NO_DISTRICT,
  type ProgressEvent,
  type TypeSummary,
} from './analysis/index.js';
export {
  type AccessScore,
  type AccessSummary,
  type AreaCompliance,
  type CheckOptions,
  type CommunityCompliance,
  type Completeness,
  type ComplianceResult,
  type ConditionResult,
  checkStandards,
  communityExists,
  facilityServes,
  type IndicatorResult,
  type ItemResult,
  type ItemStatus,
  type MonitorIndicator,
  type MonitorOptions,
  type MonitorResult,
  type MonitorYear,
  monitorProfile,
  type Outlook,
  type RequirementInfo,
  type RequirementShortfall,
  type RequirementSummary,
  servesAsGiven,
  type TimeSlice,
  type UnconfirmedValue,
  yearOf,
} from './compliance/index.js';
export {
  type CommunityCoverage,
  type Coverage,
  type CoverageOptions,
  measureCoverage,
} from './coverage/index.js';
export {
  evaluateProposals,
  type ProposalEvaluation,
  type ProposalMeasure,
} from './coverage/proposals.js';
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
export {
  type CapacitatedAssignment,
  type CatchmentOptions,
  capacitatedAssignment,
  type DecayFunction,
  decayFromSpec,
  enhancedTwoStepFloatingCatchment,
  type FloatingCatchment,
  type GroupDemand,
  gaussianDecay,
  gravityDecay,
  groupDemand,
  judgeTarget,
  numericProperty,
  stepDecay,
  type TargetJudgement,
  twoStepFloatingCatchment,
} from './indicators/index.js';
export * from './network/index.js';
export { csvCell, formatCsv } from './report/csv.js';
export {
  COMPLIANCE_COLUMNS,
  communityFeatureCollection,
  complianceFeatureCollection,
  complianceRows,
  complianceSummaryJson,
  districtRows,
  GAP_COLUMNS,
  type GapRow,
  gapRows,
  monitorJson,
  monitorRows,
} from './report/index.js';
export * from './siting/index.js';
export * from './standards/index.js';
export {
  BUILT_IN_PROFILE_IDS,
  builtInProfile,
  type CommunityFilter,
  type DecaySpec,
  type DemandSpec,
  formatProfileProblems,
  INDICATOR_SCALE,
  type IndicatorKind,
  type NotAssessed,
  type ParseProfileOptions,
  type ProfileAccess,
  type ProfileCondition,
  type ProfileIndicator,
  type ProfileProblem,
  type ProfileRequirement,
  type ProfileTiers,
  parseProfile,
  type StandardProfile,
  type ValueStatus,
} from './standards/profile.js';
export * from './validate/index.js';
