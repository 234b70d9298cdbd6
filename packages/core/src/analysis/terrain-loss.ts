// Who terrain and walkers take coverage from: the communities served on the flat walk (everyone at
// the adult's flat speed, steps and slopes ignored) that have a gap when each type is walked by its
// own walker over the hills. One comparison, shared by the CLI's outputs and the viewer.

import type { AnalysisResult } from './index.js';

/** One facility type's communities served on the flat walk but not with terrain and walkers. */
export interface TerrainLoss {
  /** Per community, in the analyses' order: 1 when lost to terrain or the walker, else 0. */
  readonly lost: Uint8Array;
  /** How many communities were lost. */
  readonly communities: number;
  /** Their residents (as measured: the sum of their demand points' weights). */
  readonly residents: number;
  /** Their ids, in the analyses' order. */
  readonly ids: readonly string[];
}

/**
 * Compares an analysis on the flat walk with the same analysis walked over terrain by each type's
 * walker: per type, the communities without a gap on the flat walk that have one with terrain and
 * walkers (`lost_to_terrain`). Both analyses must come from the same communities and types (as the
 * CLI's `analyze --dem/--walker` runs them); a type analysed in only one of them is left out.
 * Communities that gain coverage (a faster walker, a downhill walk) are not counted.
 *
 * @example
 * // The CLI passes a flat-walk network source and the walkers' source (`walkerRun(…).distance`);
 * // two radii stand in for them here: what 500 m serves and 300 m no longer does.
 * const flat = analyzeCoverage(input, { radii: { kindergarten: 500 } });
 * const walked = analyzeCoverage(input, { radii: { kindergarten: 300 } });
 * lostToTerrain(flat, walked).kindergarten?.communities; // served flat, a gap when walked
 */
export function lostToTerrain(flat: AnalysisResult, walked: AnalysisResult): Record<string, TerrainLoss> {
  if (flat.communities.length !== walked.communities.length) {
    throw new Error(
      `lostToTerrain compares two analyses of the same communities, got ${flat.communities.length} and ${walked.communities.length}.`,
    );
  }
  const losses: Record<string, TerrainLoss> = {};
  for (const { id } of walked.types) {
    if (!flat.types.some((t) => t.id === id)) continue;
    const lost = new Uint8Array(walked.communities.length);
    const ids: string[] = [];
    let residents = 0;
    walked.communities.forEach((community, c) => {
      const before = flat.communities[c]!;
      if (before.record.id !== community.record.id) {
        throw new Error(
          `lostToTerrain compares the same communities in the same order; community ${c} is '${before.record.id}' and '${community.record.id}'.`,
        );
      }
      if (before.types[id]?.gap === false && community.types[id]?.gap === true) {
        lost[c] = 1;
        ids.push(community.record.id);
        residents += community.population;
      }
    });
    losses[id] = { lost, communities: ids.length, residents, ids };
  }
  return losses;
}

/**
 * The walked analysis with each community's `lost_to_terrain` flag set per type from
 * {@link lostToTerrain}, so communities.geojson carries `T_lost_to_terrain`. The input is not
 * modified.
 *
 * @example
 * const flat = analyzeCoverage(input, { radii: { kindergarten: 500 } });
 * const walked = analyzeCoverage(input, { radii: { kindergarten: 300 } });
 * const marked = withTerrainLoss(walked, lostToTerrain(flat, walked));
 * communityFeatureCollection(marked).features[0]?.properties?.kindergarten_lost_to_terrain; // false
 */
export function withTerrainLoss(
  walked: AnalysisResult,
  losses: Readonly<Record<string, TerrainLoss>>,
): AnalysisResult {
  return {
    ...walked,
    communities: walked.communities.map((community, c) => ({
      ...community,
      types: Object.fromEntries(
        Object.entries(community.types).map(([id, figures]) => {
          const loss = losses[id];
          return [id, loss ? { ...figures, lost_to_terrain: loss.lost[c] === 1 } : figures];
        }),
      ),
    })),
  };
}
