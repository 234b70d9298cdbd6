import type { WarningCode } from '../validate/problems.js';

/** Warning codes of the walking-network stage. */
export const NETWORK_WARNING_CODES: Readonly<
  Record<
    | 'nearMissJoined'
    | 'disconnected'
    | 'driveOnly'
    | 'offNetwork'
    | 'beyondExtent'
    | 'unreachableTarget'
    | 'terrainNoData',
    WarningCode
  >
> = {
  /** Line ends within the join tolerance of another line, joined to it. */
  nearMissJoined: 'network-near-miss',
  /** The walkable network falls into pieces not joined to each other. */
  disconnected: 'network-disconnected',
  /** Tagged roads, none of them a footway, path, pedestrian street or residential street. */
  driveOnly: 'network-drive-only',
  /** Points farther than the snapping limit from every walkable road. */
  offNetwork: 'off-network',
  /** Points outside the road network's extent (the convex hull of its nodes widened by the snapping limit). */
  beyondExtent: 'beyond-network-extent',
  /** Targets on a piece of network that no demand point is on, or absent from a cost matrix. */
  unreachableTarget: 'unreachable-target',
  /** Road edges the elevation model has no data for, walked as if flat. */
  terrainNoData: 'terrain-no-data',
};

/** `#3 (R-0007), #9, … and 12 more`: the first few items of a long list, for warning messages. */
export function listSome(items: readonly string[], shown = 5): string {
  const more = items.length > shown ? ` and ${items.length - shown} more` : '';
  return `${items.slice(0, shown).join(', ')}${more}`;
}

/** `#index (id)` or `#index`, as the validate stage names features. */
export function featureLabel(index: number, id: string | null | undefined): string {
  return id === null || id === undefined ? `#${index}` : `#${index} (${id})`;
}
