// The terminal's lines on what a walking-network run rests on and what its headline figures leave
// out; the words of the notes come from core's headlineNotes, as in summary.json and report.html.

import type { HeadlineNote, NetworkSummary } from '@lifecircle/core';
import { integer, percent } from './table.js';

/** The network's pieces, who it reaches and the facilities it cannot count, for the terminal. */
export function formatNetwork(network: NetworkSummary, population: number): string[] {
  const largest = network.pieces.largest[0];
  const lines = [
    `Road network: ${integer(network.pieces.count)} piece${network.pieces.count === 1 ? '' : 's'}, points snap onto ${integer(network.pieces.snap_allowed)} (--snap-to ${network.snap_to}); the walk to the road ${network.snap_cost === 'walk' ? 'counts against the radius' : 'is free'} (--snap-cost ${network.snap_cost})`,
  ];
  if (largest && network.pieces.count > 1) {
    lines.push(
      `  largest pieces (street length, residents): ${network.pieces.largest
        .map(
          (p) =>
            `${percent(p.length_share)} / ${percent(p.demand_share)}${p.snap_allowed ? '' : ' (not snapped onto)'}`,
        )
        .join('; ')}`,
    );
  }
  lines.push(
    `  residents the network reaches: ${integer(network.population_reached)} of ${integer(population)}; outside it: ${integer(network.population_outside)} (${integer(network.population_beyond_extent)} beyond its edge)`,
  );
  if (network.small_piece_communities > 0) {
    lines.push(
      `  communities with demand on a piece other than the largest (analyze: network_note in communities.geojson): ${integer(network.small_piece_communities)}`,
    );
  }
  if (network.facilities_beyond_extent + network.facilities_off_road + network.facilities_stranded > 0) {
    lines.push(
      `  facilities beyond the network's edge: ${integer(network.facilities_beyond_extent)}; inside it but far from any road: ${integer(network.facilities_off_road)}; on a piece no resident walks to: ${integer(network.facilities_stranded)}`,
    );
  }
  return lines;
}

/** `Note (covered_share): …` lines, one per headline note. */
export function formatHeadlineNotes(notes: readonly HeadlineNote[] | undefined): string[] {
  return (notes ?? []).map((n) => `Note (${n.figure}): ${n.text}`);
}
