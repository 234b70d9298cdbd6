export { type CheckOptions, checkStandards } from './check.js';
export {
  type MonitorIndicator,
  type MonitorOptions,
  type MonitorResult,
  type MonitorYear,
  monitorProfile,
  type Outlook,
} from './monitor.js';
export { communityExists, facilityServes, type TimeSlice, yearOf } from './time.js';
export type {
  AccessScore,
  AccessSummary,
  AreaCompliance,
  CommunityCompliance,
  Completeness,
  ComplianceResult,
  ConditionResult,
  IndicatorResult,
  ItemResult,
  ItemStatus,
  RequirementInfo,
  RequirementShortfall,
  RequirementSummary,
  UnconfirmedValue,
} from './types.js';
