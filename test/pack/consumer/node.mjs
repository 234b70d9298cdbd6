// Runs the installed packages from Node as a user would: by package name, from node_modules.

import { run } from '@lifecircle/cli';
import {
  analyzeCoverage,
  communityFeatureCollection,
  coverageSummaryJson,
  gapRows,
  loadHighs,
  siteFacilities,
  siteSummaryJson,
} from '@lifecircle/core';
import { communities, facilities } from './city.mjs';

const result = analyzeCoverage({ communities, facilities });
const lines = [];
const code = await run(['--help'], {
  out: (text) => lines.push(text),
  err: (text) => lines.push(text),
  interactive: false,
});
const sited = await siteFacilities(
  { communities, facilities },
  { type: 'kindergarten', model: 'mclp', k: 1, solve: { exact: false } },
);
const highs = await loadHighs();
const lp = highs.solve('Maximize\n obj: x\nSubject To\n c: x <= 3\nBounds\n 0 <= x <= 10\nEnd\n');

console.log(
  JSON.stringify({
    kindergarten: result.summary.types.kindergarten,
    kindergartenAsWritten: coverageSummaryJson(result.summary).types.kindergarten,
    site: {
      coveredPopulationAfter: sited.summary.coveredPopulationAfter,
      gapCommunitiesAfter: sited.summary.gapCommunitiesAfter,
      asWritten: siteSummaryJson(sited.summary).covered_share_after,
    },
    rejected: result.summary.rejected.map((r) => `${r.id}:${r.field}`),
    gaps: gapRows(result).map((row) => row.community_id),
    features: communityFeatureCollection(result).features.length,
    help: { code, mentionsAnalyze: lines.join('').includes('analyze') },
    highs: { status: lp.Status, objective: lp.ObjectiveValue },
  }),
);
