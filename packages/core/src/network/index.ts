// Walking network: road graph, snapping, catchments. Its distance source lives in distance/.
export type { NotWalkableCount, RoadGraphOptions, RoadGraphStats } from './build.js';
export {
  type CatchmentAreaOptions,
  type CatchmentMode,
  type CatchmentProperties,
  catchmentStreets,
  catchments,
} from './catchments.js';
export {
  type EdgeCosts,
  GRAPH_SECTIONS,
  RoadGraph,
  type RoadGraphArrays,
  type RoadGraphBuild,
} from './graph.js';
export {
  allowedPieces,
  DEFAULT_SNAP_TO,
  largestPiece,
  type NetworkPiece,
  networkExtent,
  parseSnapTo,
  pieceLengths,
  type SnapTo,
  snapToText,
} from './pieces.js';
export { DEFAULT_MAX_SNAP_M, type Snap, type SnapOptions, snapToNetwork } from './snap.js';
export {
  BACKWARD,
  type Direction,
  edgeKindOf,
  FORWARD,
  isWalkable,
  NO_WHEELCHAIR,
  NON_WALKABLE_HIGHWAYS,
  notWalkableReason,
  onewayDirection,
  RAISED_KERB,
  STEPS,
} from './tags.js';
export {
  type EdgeTerrain,
  type EdgeTerrainOptions,
  ELEVATION_SOURCE,
  type ElevationSampler,
  edgeTerrain,
  type NetworkElevations,
  networkElevations,
  terrainWarning,
  walkerCosts,
  walkerGraph,
} from './terrain.js';
export {
  graphBox,
  tierMinutes,
  type WalkerRun,
  type WalkerRunOptions,
  type WalkingSummary,
  walkerRun,
  walkersByType,
} from './walker-run.js';
export { WalkerNetworkSource, type WalkerNetworkSourceOptions } from './walker-source.js';
export {
  BUILT_IN_WALKERS,
  DEFAULT_TYPE_WALKERS,
  formatWalkerProblems,
  maxSlopeSpeedFactor,
  type Passage,
  parseWalkerProfiles,
  type SlopeFunction,
  slopeSpeedFactor,
  type WalkerProblem,
  type WalkerProfile,
  WalkerSet,
} from './walkers.js';
export { metresToMinutes, minutesToMetres, WALKING_SPEED_KMH } from './walking.js';
