// Which lines of a road file a pedestrian can use, and in which direction, from OSM-style tags.
// A bureau's own centreline file usually has no tags at all: every line is then walkable both ways.

/**
 * `highway` values a pedestrian may not use unless a tag on the line says otherwise: motorways by
 * law, trunk roads because in Chinese cities they are mostly expressways without a footway, and
 * roads that do not exist yet.
 */
export const NON_WALKABLE_HIGHWAYS: readonly string[] = [
  'motorway',
  'motorway_link',
  'trunk',
  'trunk_link',
  'construction',
  'proposed',
  'abandoned',
  'raceway',
  'bus_guideway',
];

// Trunk roads with a pavement are walkable; motorways stay closed whatever their sidewalk tag says,
// because a motorway pavement is a maintenance strip, not a public footway.
const SIDEWALK_MAY_OPEN = new Set(['trunk', 'trunk_link']);
const FOOT_ALLOWED = new Set(['yes', 'designated', 'permissive', 'official']);
const SIDEWALK_PRESENT = new Set(['yes', 'both', 'left', 'right', 'separate']);
const NO_VALUES = new Set(['no', 'none', 'false', '0']);
const FORWARD_VALUES = new Set(['yes', 'true', '1']);
const BACKWARD_VALUES = new Set(['-1', 'reverse']);

function tag(properties: Readonly<Record<string, unknown>>, key: string): string | null {
  const value = properties[key];
  if (typeof value === 'string') return value.trim().toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/**
 * Whether a pedestrian may walk along a road line, from its OSM-style tags:
 *
 * - `foot=yes|designated|permissive` always opens it (an explicit permission wins);
 * - `foot=no` closes it, and so does `access=no` unless `foot` permits;
 * - `highway` in {@link NON_WALKABLE_HIGHWAYS} closes it, except that a trunk road (`trunk`,
 *   `trunk_link`) with a pavement (`sidewalk`, `sidewalk:both|left|right` = yes/both/left/right/separate,
 *   or a `footway` tag other than `no`) stays open;
 * - everything else, including lines without any tags, is walkable.
 *
 * @example
 * isWalkable({ highway: 'residential' }); // true
 * isWalkable({ highway: 'motorway' }); // false
 * isWalkable({ highway: 'trunk', sidewalk: 'both' }); // true
 * isWalkable({ highway: 'footway', access: 'no' }); // false
 */
export function isWalkable(properties: Readonly<Record<string, unknown>>): boolean {
  return notWalkableReason(properties) === null;
}

/**
 * Why {@link isWalkable} leaves a road line out, as the tag that closes it (`foot=no`, `access=no`,
 * `highway=motorway`, …), or null when a pedestrian may walk it: the reasons summary.json counts
 * non-walkable roads by.
 *
 * @example
 * notWalkableReason({ highway: 'motorway' }); // 'highway=motorway'
 * notWalkableReason({ highway: 'footway', foot: 'no' }); // 'foot=no'
 * notWalkableReason({ highway: 'residential' }); // null
 */
export function notWalkableReason(properties: Readonly<Record<string, unknown>>): string | null {
  const foot = tag(properties, 'foot');
  if (foot !== null && FOOT_ALLOWED.has(foot)) return null;
  if (foot === 'no') return 'foot=no';
  if (tag(properties, 'access') === 'no') return 'access=no';
  const highway = tag(properties, 'highway');
  if (highway === null || !NON_WALKABLE_HIGHWAYS.includes(highway)) return null;
  const closed = `highway=${highway}`;
  if (!SIDEWALK_MAY_OPEN.has(highway)) return closed;
  for (const key of ['sidewalk', 'sidewalk:both', 'sidewalk:left', 'sidewalk:right']) {
    const value = tag(properties, key);
    if (value !== null && SIDEWALK_PRESENT.has(value)) return null;
  }
  const footway = tag(properties, 'footway');
  return footway !== null && !NO_VALUES.has(footway) ? null : closed;
}

/** Edge flag: the edge can be walked from its start node to its end node (along its coordinates). */
export const FORWARD = 1;
/** Edge flag: the edge can be walked from its end node to its start node. */
export const BACKWARD = 2;

/** Directions a line can be walked: along its coordinates, against them, or both. */
export type Direction = 'both' | 'forward' | 'backward';

/**
 * The walking direction of a line when one-way streets are honoured: `oneway:foot` when present (the
 * tag for walkers), else `oneway` (`yes`/`true`/`1` forward, `-1`/`reverse` backward) and
 * `junction=roundabout` (forward). Other values (`no`, `reversible`, `alternating`) mean both ways.
 *
 * @example
 * onewayDirection({ oneway: 'yes' }); // 'forward'
 * onewayDirection({ oneway: 'yes', 'oneway:foot': 'no' }); // 'both'
 */
export function onewayDirection(properties: Readonly<Record<string, unknown>>): Direction {
  const value = tag(properties, 'oneway:foot') ?? tag(properties, 'oneway');
  if (value !== null) {
    if (FORWARD_VALUES.has(value)) return 'forward';
    if (BACKWARD_VALUES.has(value)) return 'backward';
    return 'both';
  }
  return tag(properties, 'junction') === 'roundabout' ? 'forward' : 'both';
}

/** Edge kind bit: a flight of steps (`highway=steps`). */
export const STEPS = 1;
/** Edge kind bit: a raised kerb on the way (`kerb=raised`), which wheels cannot mount. */
export const RAISED_KERB = 2;
/** Edge kind bit: tagged unusable by wheelchair (`wheelchair=no`). */
export const NO_WHEELCHAIR = 4;

/**
 * What kind of way a line is, for walkers who cannot use every way: {@link STEPS},
 * {@link RAISED_KERB} and {@link NO_WHEELCHAIR} bits from its OSM-style tags. A line without tags is 0.
 * Kerbs are mapped in OSM on crossing nodes as often as on ways; a road file of lines carries only
 * the way tags, so a kerb tagged on a node alone is not seen.
 *
 * @example
 * edgeKindOf({ highway: 'steps' }); // STEPS
 * edgeKindOf({ highway: 'footway', footway: 'crossing', kerb: 'raised' }); // RAISED_KERB
 */
export function edgeKindOf(properties: Readonly<Record<string, unknown>>): number {
  let kind = 0;
  if (tag(properties, 'highway') === 'steps') kind |= STEPS;
  if (tag(properties, 'kerb') === 'raised') kind |= RAISED_KERB;
  if (tag(properties, 'wheelchair') === 'no') kind |= NO_WHEELCHAIR;
  return kind;
}
