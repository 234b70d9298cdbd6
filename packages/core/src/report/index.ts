// Output shapes: the rounded, snake_case rows and GeoJSON that files and reports are made of. The
// library's results stay at full precision; only these formatters round.
export {
  type AreaTypeSummaryJson,
  type CommunityFeatureChunksOptions,
  type CoverageSummaryJson,
  communityFeatureChunks,
  communityFeatureCollection,
  coverageSummaryJson,
  DISTRICT_COVERAGE_COLUMNS,
  type DistrictCoverageRow,
  type DistrictSummaryJson,
  eachDistrictCoverageRow,
  eachGapRow,
  GAP_COLUMNS,
  type GapRow,
  gapRows,
  type TypeSummaryJson,
} from './analysis.js';
export {
  type AccessSummaryJson,
  type AreaComplianceJson,
  COMPLIANCE_COLUMNS,
  type ComplianceSummaryJson,
  complianceColumns,
  complianceFeatureCollection,
  complianceHeadlineNotes,
  complianceRows,
  complianceSummaryJson,
  districtRows,
  eachComplianceRow,
  type IndicatorResultJson,
  type MonitorIndicatorJson,
  type MonitorJson,
  type MonitorNetworkFiguresJson,
  type MonitorYearJson,
  monitorJson,
  monitorRows,
  type RequirementInfoJson,
  type RequirementSummaryJson,
} from './compliance.js';
export { type HeadlineFigures, type HeadlineNote, headlineNotes } from './notes.js';
export { type CommunitySiteRowJson, type SiteSummaryJson, siteSummaryJson } from './siting.js';
