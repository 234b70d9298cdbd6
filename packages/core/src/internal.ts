/**
 * Internals of @lifecircle/core that the other lifecircle packages (io, the CLI, the viewer), the
 * benchmarks and the tests share, and that users should not build on: they may change in any
 * release. Import from `@lifecircle/core/internal`.
 *
 * @internal
 * @module @lifecircle/core/internal
 */
// Grouped by stage as index.ts is.

// Read and validate: helpers of io's readers and the CLI's checks; the indicator and condition kind
// registry (a new kind is one module registered here: profiles, the judge and the formatters read it).

export {
  type AnyCondition,
  type AnyIndicator,
  type ConditionAt,
  type ConditionKindModule,
  conditionShortfallLabel,
  type IndicatorArea,
  type IndicatorKindModule,
  type IndicatorProfileContext,
  type KindFieldReader,
  registerConditionKind,
  registerIndicatorKind,
} from './kinds/index.js';
export { servesAsGiven } from './rules/serving.js';
export { isShareIndicator, type LifeCircleTier } from './standards/index.js';
export {
  type CommunityGeometry,
  DemandPointValidator,
  FIELD_RANGES,
  featureCollectionOf,
  positionProblem,
  webMapExportHint,
} from './validate/features.js';
export { isRecord } from './validate/problems.js';

// Index: demand columns as io's streaming readers fill them; the CLI's and the viewer's network
// wording and defaults; a walker run over terrain as the CLI and the viewer set it up; the kernels a
// WorkPool's threads run.

export { DemandColumnsBuilder, demandColumnsOf, populationFromGrid } from './demand/index.js';
export type { RowsThen, RowsThenInput, SnapCost } from './distance/index.js';
export { type IdentifiedPoint, targetsAt } from './distance/targets.js';
export {
  BUILT_IN_WALKERS,
  type CatchmentMode,
  DEFAULT_MAX_SNAP_M,
  DEFAULT_TYPE_WALKERS,
  graphBox,
  isWalkable,
  metresToMinutes,
  minutesToMetres,
  type NetworkElevations,
  networkElevations,
  networkExtent,
  parseSnapTo,
  type SnapTo,
  terrainWarning,
  tierMinutes,
  WALKING_SPEED_KMH,
  WalkerNetworkSource,
  type WalkerNetworkSourceOptions,
  type WalkerRun,
  type WalkerRunOptions,
  type WalkingSummary,
  walkerRun,
  walkersByType,
} from './network/index.js';
export { NETWORK_WARNING_CODES } from './network/problems.js';
export { type KernelInput, type KernelRange, runKernel } from './parallel/index.js';

// Measure: who terrain and walkers leave out, as the CLI's and the viewer's walker runs report it.

export {
  type FlatWalk,
  lostToTerrain,
  lostToTerrainOfRun,
  type TerrainLoss,
  withTerrainLoss,
} from './analysis/terrain-loss.js';

// Decide: the siting model registry the CLI's --model and the viewer's menu read.

export type { Completeness } from './compliance/types.js';
export {
  SITING_MODELS,
  type SitingModel,
  type SitingModelEntry,
  type SitingModelParameters,
  sitingModel,
} from './siting/index.js';

// Report: the CLI's writers of a province's files in pieces.

export {
  type CommunityFeatureChunksOptions,
  communityFeatureChunks,
  eachComplianceRow,
  eachGapRow,
} from './report/index.js';
