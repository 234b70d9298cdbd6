/**
 * Walking-distance coverage of community facilities: who is served, where the gaps are, whether
 * communities meet a standard, and where new facilities should go. Pure TypeScript with no Node or DOM
 * APIs: runs in Node, browsers and Web Workers. Guide: docs/getting-started.md; overview: docs/api.md.
 *
 * @packageDocumentation
 * @module @lifecircle/core
 */
// Public API of @lifecircle/core: a deliberate list, no `export *`, grouped by the stage of an
// analysis (docs/api.md justifies each group). Each stage lives in its own folder; this file only
// re-exports. What the CLI, the viewer, io, the benchmarks and the tests share but users should not
// build on is in ./internal.ts (`@lifecircle/core/internal`, no stability promise); everything else
// stays inside its folder.

// 1. Read and validate: features checked once into records, every bad one a Rejection; the facility
//    catalog and POI categories; standard profiles; the two error classes (InputError: nothing can be
//    computed from the input; OptionError: an option value cannot be used).

export {
  type CatalogProblem,
  type CategoryDecision,
  type CategoryReport,
  categorize,
  FacilityCatalog,
  type FacilityType,
  parseCatalogTypes,
  parseTypeMap,
  type TypeMapEntry,
  type TypeMapInput,
} from './standards/index.js';
export {
  BUILT_IN_PROFILE_IDS,
  builtInProfile,
  formatProfileProblems,
  type ParseProfileOptions,
  type ProfileProblem,
  parseProfile,
  type StandardProfile,
} from './standards/profile.js';
export {
  type CommunityRecord,
  type DemandPointRecord,
  type FacilityRecord,
  type FacilityValidationOptions,
  type Validated,
  type ValidatedFacilities,
  validateCommunities,
  validateDemandPoints,
  validateFacilities,
} from './validate/features.js';
export {
  InputError,
  OptionError,
  type Rejection,
  type Warning,
  type WarningCode,
} from './validate/problems.js';

// 2. Index: residents as demand points, and the distance sources every measure asks (great circle,
//    walking network with walkers over terrain, a cost matrix); WorkPool splits their searches.

export {
  type BuildingFootprints,
  buildDemand,
  buildingFootprints,
  type DemandBuild,
  type DemandColumns,
  type DemandOptions,
  type DemandPoints,
  type DemandReport,
  type PopulationGrid,
} from './demand/index.js';
export {
  type CostMatrixColumns,
  type CostMatrixColumnsRead,
  type CostMatrixCsvOptions,
  CostMatrixCsvReader,
  type CostMatrixOptions,
  type CostMatrixRow,
  CostMatrixSource,
  type CostTable,
  type DistanceContext,
  type DistanceSource,
  type GreatCircleOptions,
  GreatCircleSource,
  NetworkSource,
  type NetworkSourceOptions,
  type Origins,
  type ParsedCostMatrix,
  parseCostMatrixCsv,
  type Reach,
  type Targets,
} from './distance/index.js';
export { EARTH_RADIUS_M, haversineM } from './geodesy/index.js';
export {
  type CatchmentAreaOptions,
  catchmentStreets,
  catchments,
  type EdgeCosts,
  type EdgeTerrain,
  type EdgeTerrainOptions,
  edgeTerrain,
  formatWalkerProblems,
  parseWalkerProfiles,
  RoadGraph,
  type RoadGraphBuild,
  type RoadGraphOptions,
  type RoadGraphStats,
  type WalkerProblem,
  type WalkerProfile,
  WalkerSet,
  walkerCosts,
  walkerGraph,
} from './network/index.js';
export type { WorkPool } from './parallel/index.js';

// 3. Measure: coverage per type, community, district and city (analyzeCoverage, measureCoverage),
//    proposals measured against the existing facilities, capacity and access (2SFCA).

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
  type NetworkSummary,
  type ProgressEvent,
  type TypeSummary,
} from './analysis/index.js';
export { type Coverage, type CoverageOptions, measureCoverage } from './coverage/index.js';
export { evaluateProposals, type ProposalEvaluation, type ProposalMeasure } from './coverage/proposals.js';
export {
  type CapacitatedAssignment,
  type CatchmentOptions,
  capacitatedAssignment,
  type DecayFunction,
  enhancedTwoStepFloatingCatchment,
  type FloatingCatchment,
  gaussianDecay,
  gravityDecay,
  stepDecay,
  twoStepFloatingCatchment,
} from './indicators/index.js';

// 4. Decide: standards judged (checkStandards) and followed over the years (monitorProfile); where new
//    facilities should go (siteFacilities and the siting models).

export { type CheckOptions, checkStandards } from './compliance/check.js';
export {
  type MonitorOptions,
  type MonitorResult,
  type MonitorYear,
  monitorProfile,
} from './compliance/monitor.js';
export type {
  AreaCompliance,
  CommunityCompliance,
  ComplianceResult,
  ConditionResult,
  IndicatorResult,
  ItemResult,
  RequirementInfo,
  RequirementSummary,
} from './compliance/types.js';
export {
  type CandidateSet,
  CapacitatedCoverage,
  type CapacitatedCoverageOptions,
  type ChosenSite,
  type ChosenSiteLoad,
  type CommunitySiteRow,
  candidatesInAreas,
  combineTargets,
  type FromSourceOptions,
  type GenerateCandidatesOptions,
  generateCandidates,
  type HighsLoadOptions,
  loadHighs,
  MaximalCovering,
  type MaximalCoveringOptions,
  PCenter,
  type PCenterOptions,
  PMedian,
  type PMedianOptions,
  type ReadCandidatesOptions,
  readCandidates,
  SetCovering,
  type SetCoveringOptions,
  SITING_MODEL_NAMES,
  type SiteChoice,
  type SiteGenerateOptions,
  type SiteInput,
  type SiteOptions,
  type SiteOutcome,
  type SiteProgress,
  type SiteSummary,
  type SitingModelName,
  type SitingOptions,
  type SitingResult,
  type SitingSolveOptions,
  siteFacilities,
} from './siting/index.js';

// 5. Report: the rounded, snake_case file shapes the CLI writes (GeoJSON, CSV rows, summary.json),
//    made from the full-precision camelCase results; the one CSV writer.

export { csvChunks, formatCsv } from './report/csv.js';
export {
  type CoverageSummaryJson,
  communityFeatureCollection,
  complianceColumns,
  complianceFeatureCollection,
  complianceHeadlineNotes,
  complianceRows,
  complianceSummaryJson,
  coverageSummaryJson,
  DISTRICT_COVERAGE_COLUMNS,
  type DistrictCoverageRow,
  districtRows,
  eachDistrictCoverageRow,
  GAP_COLUMNS,
  type GapRow,
  gapRows,
  type HeadlineNote,
  monitorJson,
  monitorRows,
} from './report/index.js';
export {
  type ChosenSiteProperties,
  type SiteSummaryJson,
  siteFeatureCollection,
  siteSummaryJson,
} from './report/siting.js';
