// Who terrain and walkers take coverage from: the communities served on the flat walk (everyone at
// the adult's flat speed, steps and slopes ignored) that have a gap when each type is walked by its
// own walker over the hills. One comparison, shared by the CLI's outputs and the viewer.

import { type AnalysisInput, type AnalysisOptions, type AnalysisResult, analyzeCoverage } from './index.js';

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
 * The flat walk a run over terrain or with walkers is compared with: the road network in metres,
 * each type's radius at the adult's flat 4.5 km/h (`walkerRun(…).flatRadiiM`). `checkStandards`,
 * `monitorProfile` and `siteFacilities` take it as `flatWalk` and then say who terrain and walkers
 * leave out, as `analyze` does.
 */
export interface FlatWalk {
  /** The distance source of the flat walk (a `NetworkSource` on the graph in metres). */
  readonly distance: NonNullable<AnalysisOptions['distance']>;
  /** Each type's radius in metres on the flat walk. */
  readonly radii: Readonly<Record<string, number>>;
}

/**
 * The one rule of a community lost to terrain, over one type's communities: no gap on the flat walk
 * and a gap when walked (a community without residents has no gap either way, so it is never lost).
 *
 * @example
 * const loss = terrainLossOf([0, 0, 1], [1, 0, 1], [120, 80, 50], ['A', 'B', 'C']);
 * loss.ids; // ['A']: C had a gap already on the flat walk
 * loss.residents; // 120
 */
export function terrainLossOf(
  flatGap: ArrayLike<number | boolean>,
  walkedGap: ArrayLike<number | boolean>,
  population: ArrayLike<number>,
  ids: readonly string[],
): TerrainLoss {
  const n = ids.length;
  if (flatGap.length !== n || walkedGap.length !== n || population.length !== n) {
    throw new Error(
      `terrainLossOf compares the same communities, got ${flatGap.length} flat, ${walkedGap.length} walked, ${population.length} populations and ${n} ids.`,
    );
  }
  const lost = new Uint8Array(n);
  const lostIds: string[] = [];
  let residents = 0;
  for (let c = 0; c < n; c++) {
    if (!flatGap[c] && walkedGap[c]) {
      lost[c] = 1;
      lostIds.push(ids[c]!);
      residents += population[c]!;
    }
  }
  return { lost, communities: lostIds.length, residents, ids: lostIds };
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
  walked.communities.forEach((community, c) => {
    const before = flat.communities[c]!;
    if (before.record.id !== community.record.id) {
      throw new Error(
        `lostToTerrain compares the same communities in the same order; community ${c} is '${before.record.id}' and '${community.record.id}'.`,
      );
    }
  });
  const ids = walked.communities.map((c) => c.record.id);
  const population = walked.communities.map((c) => c.population);
  const losses: Record<string, TerrainLoss> = {};
  for (const { id } of walked.types) {
    if (!flat.types.some((t) => t.id === id)) continue;
    // A type not measured for a community is never lost.
    const flatGap = flat.communities.map((c) => c.types[id]?.gap !== false);
    const walkedGap = walked.communities.map((c) => c.types[id]?.gap === true);
    losses[id] = terrainLossOf(flatGap, walkedGap, population, ids);
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
          return [id, loss ? { ...figures, lostToTerrain: loss.lost[c] === 1 } : figures];
        }),
      ),
    })),
  };
}

/**
 * Who terrain and walkers leave out of a run already walked: analyses the same input on the flat
 * walk, for the walked analysis's types with the flat radii, and compares (see {@link lostToTerrain}).
 * `options` are the walked analysis's own (catalog, planned facilities, demand, gap threshold …);
 * its distance and radii are replaced by the flat walk's.
 *
 * @example
 * const walked = analyzeCoverage(input, { radii: { kindergarten: 300 } });
 * // The CLI's flat walk is a network source in metres; a wider straight line stands in for it here.
 * const losses = lostToTerrainOfRun(walked, input, {}, {
 *   distance: (origins) => new GreatCircleSource(origins),
 *   radii: { kindergarten: 500 },
 * });
 * losses.kindergarten?.communities; // served within 500 m, a gap within 300 m
 */
export function lostToTerrainOfRun(
  walked: AnalysisResult,
  input: AnalysisInput,
  options: AnalysisOptions,
  flatWalk: FlatWalk,
): Record<string, TerrainLoss> {
  const { onProgress: _quiet, ...rest } = options;
  const flat = analyzeCoverage(input, {
    ...rest,
    types: walked.types.map((t) => t.id),
    radii: { ...flatWalk.radii },
    distance: flatWalk.distance,
  });
  return lostToTerrain(flat, walked);
}
