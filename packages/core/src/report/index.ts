// Output shapes: the rounded, snake_case rows and GeoJSON that files and reports are made of. The
// library's results stay at full precision; only these formatters round.
export {
  type CommunityFeatureChunksOptions,
  communityFeatureChunks,
  communityFeatureCollection,
  DISTRICT_COVERAGE_COLUMNS,
  type DistrictCoverageRow,
  eachDistrictCoverageRow,
  eachGapRow,
  GAP_COLUMNS,
  type GapRow,
  gapRows,
} from './analysis.js';
export {
  COMPLIANCE_COLUMNS,
  complianceColumns,
  complianceFeatureCollection,
  complianceHeadlineNotes,
  complianceRows,
  complianceSummaryJson,
  districtRows,
  eachComplianceRow,
  monitorJson,
  monitorRows,
} from './compliance.js';
export { type HeadlineFigures, type HeadlineNote, headlineNotes } from './notes.js';
