// A TypeScript consumer typechecked against the shipped declarations only (no sources, no paths).

import { type Console, run } from '@lifecircle/cli';
import {
  type AnalysisResult,
  analyzeCoverage,
  type CoverageSummary,
  MaximalCovering,
  type Rejection,
  type SiteSummary,
  type SiteSummaryJson,
  siteFacilities,
  siteSummaryJson,
} from '@lifecircle/core';

const result: AnalysisResult = analyzeCoverage(
  { communities: {}, facilities: {} },
  { radii: { kindergarten: 500 } },
);
const summary: CoverageSummary = result.summary;
const share: number | null = summary.types.kindergarten?.coveredShare ?? null;
const rejected: readonly Rejection[] = summary.rejected;
// A siting run's summary is camelCase at full precision; summary.json's shape comes from siteSummaryJson.
const sited: Promise<SiteSummary> = siteFacilities(
  { communities: {}, facilities: {} },
  { type: 'kindergarten', model: 'mclp', k: 1 },
).then((outcome) => outcome.summary);
const coveredAfter: Promise<number> = sited.then((s) => s.coveredPopulationAfter);
const written: Promise<number | null> = sited
  .then((s): SiteSummaryJson => siteSummaryJson(s))
  .then((j) => j.covered_share_after);
const quiet: Console = { out: () => {}, err: () => {}, interactive: false };
const code: Promise<number> = run(['--help'], quiet);

export { code, coveredAfter, MaximalCovering, rejected, share, written };
