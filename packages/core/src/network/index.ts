// Walking network: road graph, snapping, catchments. Its distance source lives in distance/.
export type { RoadGraphOptions, RoadGraphStats } from './build.js';
export {
  type CatchmentAreaOptions,
  type CatchmentMode,
  type CatchmentProperties,
  catchmentStreets,
  catchments,
} from './catchments.js';
export { RoadGraph, type RoadGraphArrays, type RoadGraphBuild } from './graph.js';
export { DEFAULT_MAX_SNAP_M, type Snap, type SnapOptions, snapToNetwork } from './snap.js';
export {
  BACKWARD,
  type Direction,
  FORWARD,
  isWalkable,
  NON_WALKABLE_HIGHWAYS,
  onewayDirection,
} from './tags.js';
export { metresToMinutes, minutesToMetres, WALKING_SPEED_KMH } from './walking.js';
