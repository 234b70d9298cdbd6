// A TypeScript consumer typechecked against the shipped declarations only (no sources, no paths).

import { type Console, run } from '@lifecircle/cli';
import {
  type AnalysisResult,
  analyzeCoverage,
  type CoverageSummary,
  MaximalCovering,
  type Rejection,
} from '@lifecircle/core';

const result: AnalysisResult = analyzeCoverage(
  { communities: {}, facilities: {} },
  { radii: { kindergarten: 500 } },
);
const summary: CoverageSummary = result.summary;
const share: number | null = summary.types.kindergarten?.coveredShare ?? null;
const rejected: readonly Rejection[] = summary.rejected;
const quiet: Console = { out: () => {}, err: () => {}, interactive: false };
const code: Promise<number> = run(['--help'], quiet);

export { code, MaximalCovering, rejected, share };
