// What terrain and walkers change, as summary.json's `walking.lost_to_terrain` and the lines on the
// terminal: per type, the communities served on the flat walk that have a gap for the type's walker.

import { type TerrainLoss, WALKING_SPEED_KMH } from '@lifecircle/core/internal';
import type { WalkingSummary } from '../options/walkers.js';
import { integer } from './table.js';

/** Per type: its walker, and the communities and residents lost against the flat walk. */
export interface TerrainLossJson {
  readonly lost_to_terrain?: Record<
    string,
    {
      readonly walker: string;
      readonly communities: number;
      readonly residents: number;
      /** site: of those, the communities (and their residents) the new sites serve again. */
      readonly served_after_communities?: number;
      readonly served_after_residents?: number;
    }
  >;
}

/**
 * What the outputs say of one type's loss: core's {@link TerrainLoss} figures, and from `site` how
 * many of the lost communities its new sites serve again.
 */
export type TerrainLossFigures = Pick<TerrainLoss, 'communities' | 'residents'> & {
  readonly servedAfter?: number;
  readonly residentsServedAfter?: number;
};

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

/** The `lost_to_terrain` member of summary.json's `walking` section; nothing without a comparison. */
export function terrainLossMember(
  loss: Readonly<Record<string, TerrainLossFigures>> | undefined,
  walking: WalkingSummary,
): TerrainLossJson {
  if (!loss) return {};
  return {
    lost_to_terrain: Object.fromEntries(
      Object.entries(loss).map(([type, l]) => [
        type,
        {
          walker: walking.types[type]?.walker ?? 'adult',
          communities: l.communities,
          residents: oneDecimal(l.residents),
          ...(l.servedAfter === undefined
            ? {}
            : {
                served_after_communities: l.servedAfter,
                served_after_residents: oneDecimal(l.residentsServedAfter ?? 0),
              }),
        },
      ]),
    ),
  };
}

/**
 * The terminal's lines: the types that lose communities to terrain and walkers, most residents
 * first; `flagged` names where each community's flag is written (analyze's communities.geojson).
 */
export function formatTerrainLoss(
  loss: Readonly<Record<string, TerrainLossFigures>>,
  walking: WalkingSummary,
  flagged?: string,
): string[] {
  const losing = Object.entries(loss)
    .filter(([, l]) => l.communities > 0)
    .sort((a, b) => b[1].residents - a[1].residents);
  const head = `Lost to terrain and walkers (no gap on the flat walk at ${WALKING_SPEED_KMH} km/h, a gap for the type's walker${walking.dem ? ' over the terrain' : ''}${flagged ? `; ${flagged}` : ''}):`;
  if (losing.length === 0) return [`${head} none`];
  return [
    head,
    ...losing.map(
      ([type, l]) =>
        `  ${type} (${walking.types[type]?.walker ?? 'adult'}): ${integer(l.communities)} communities, ${integer(l.residents)} residents${l.servedAfter === undefined ? '' : `; the new sites serve ${integer(l.servedAfter)} of them (${integer(l.residentsServedAfter ?? 0)} residents) again`}`,
    ),
  ];
}
