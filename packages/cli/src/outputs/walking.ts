// What terrain and walkers change, as summary.json's `walking.lost_to_terrain` and the lines on the
// terminal: per type, the communities served on the flat walk that have a gap for the type's walker.

import { type TerrainLoss, WALKING_SPEED_KMH } from '@lifecircle/core';
import type { WalkingSummary } from '../options/walkers.js';
import { integer } from './table.js';

/** Per type: its walker, and the communities and residents lost against the flat walk. */
export interface TerrainLossJson {
  readonly lost_to_terrain?: Record<
    string,
    { readonly walker: string; readonly communities: number; readonly residents: number }
  >;
}

/** The `lost_to_terrain` member of summary.json's `walking` section; nothing without a comparison. */
export function terrainLossMember(
  loss: Readonly<Record<string, TerrainLoss>> | undefined,
  walking: WalkingSummary,
): TerrainLossJson {
  if (!loss) return {};
  return {
    lost_to_terrain: Object.fromEntries(
      Object.entries(loss).map(([type, { communities, residents }]) => [
        type,
        {
          walker: walking.types[type]?.walker ?? 'adult',
          communities,
          residents: Math.round(residents * 10) / 10,
        },
      ]),
    ),
  };
}

/** The terminal's lines: the types that lose communities to terrain and walkers, most residents first. */
export function formatTerrainLoss(
  loss: Readonly<Record<string, TerrainLoss>>,
  walking: WalkingSummary,
): string[] {
  const losing = Object.entries(loss)
    .filter(([, l]) => l.communities > 0)
    .sort((a, b) => b[1].residents - a[1].residents);
  const head = `Lost to terrain and walkers (no gap on the flat walk at ${WALKING_SPEED_KMH} km/h, a gap for the type's walker${walking.dem ? ' over the terrain' : ''}; communities.geojson: TYPE_lost_to_terrain):`;
  if (losing.length === 0) return [`${head} none`];
  return [
    head,
    ...losing.map(
      ([type, l]) =>
        `  ${type} (${walking.types[type]?.walker ?? 'adult'}): ${integer(l.communities)} communities, ${integer(l.residents)} residents`,
    ),
  ];
}
