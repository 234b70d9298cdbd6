// The terminal's line on how population was placed on demand points, the same for every command
// (summary.json's `demand` member is core's DemandReport, built once by buildDemand).

import type { DemandReport } from '@lifecircle/core';
import { integer } from './table.js';

/**
 * What weighted the population (a raster or building footprints): nothing without one. A coarsened
 * grid is already a warning (`demand-grid-coarsened`) every command prints.
 */
export function formatDemand(demand: DemandReport): string[] {
  const lines: string[] = [];
  const { weighting } = demand;
  if (weighting) {
    const what = weighting.source === 'raster' ? 'raster cells' : 'building footprints';
    lines.push(
      `population shared out over ${integer(weighting.inside)} ${what} in ${integer(weighting.communities_weighted)} communities (${integer(weighting.communities_even)} spread evenly); ${integer(weighting.outside)} ${what} outside every community${weighting.source === 'raster' ? ` hold ${integer(weighting.outside_weight)} residents` : ''}`,
    );
  }
  return lines;
}
