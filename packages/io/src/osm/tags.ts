// Which OpenStreetMap ways make the walking network and which elements are facilities. The network
// rule starts from core's `isWalkable` (the rule the road graph applies to any tagged road file), so
// that an OSM extract and the same roads exported to GeoJSON give the same graph, and adds what only
// OSM needs: a `highway` value that is a way one can walk along (not a bus stop or a rest area),
// `access=private`, and cycleways that do not admit walkers.
import { isWalkable } from '@lifecircle/core/internal';
import type { OsmTags } from './types.js';

/**
 * `highway` values of ways a pedestrian can walk along, when no other tag closes them. Motorways and
 * trunk roads are not here: core's `isWalkable` decides them (closed, except a trunk road with a
 * pavement or any road with `foot=yes`).
 */
export const OSM_WALKABLE_HIGHWAYS: readonly string[] = [
  'footway',
  'path',
  'pedestrian',
  'steps',
  'living_street',
  'residential',
  'service',
  'unclassified',
  'road',
  'track',
  'tertiary',
  'tertiary_link',
  'secondary',
  'secondary_link',
  'primary',
  'primary_link',
  'trunk',
  'trunk_link',
  'corridor',
  'bridleway',
  'cycleway',
];

const WALKABLE = new Set(OSM_WALKABLE_HIGHWAYS);
const FOOT_ALLOWED = new Set(['yes', 'designated', 'permissive', 'official']);
const ACCESS_CLOSED = new Set(['no', 'private']);

/**
 * Why a way with a `highway` tag is left out of the walking network, or null when it is walkable; a
 * way without `highway` is not a road at all (undefined). Reasons are short tag phrases used as keys
 * of {@link OsmReadSummary.excluded}: `highway=motorway`, `foot=no`, `access=no`, `access=private`,
 * `highway=cycleway without foot access`, `highway=bus_stop` …
 *
 * @example
 * osmWayExclusion({ highway: 'steps' }); // null
 * osmWayExclusion({ highway: 'motorway' }); // 'highway=motorway'
 * osmWayExclusion({ highway: 'service', access: 'private' }); // 'access=private'
 * osmWayExclusion({ highway: 'cycleway', foot: 'designated' }); // null
 * osmWayExclusion({ building: 'yes' }); // undefined
 */
export function osmWayExclusion(tags: Readonly<OsmTags>): string | null | undefined {
  const highway = tags.highway?.trim().toLowerCase();
  if (!highway) return undefined;
  const foot = tags.foot?.trim().toLowerCase();
  const footAllowed = foot !== undefined && FOOT_ALLOWED.has(foot);
  if (!footAllowed) {
    if (foot === 'no') return 'foot=no';
    const access = tags.access?.trim().toLowerCase();
    if (access !== undefined && ACCESS_CLOSED.has(access)) return `access=${access}`;
  }
  if (!isWalkable(tags)) return `highway=${highway}`;
  if (footAllowed) return null;
  if (!WALKABLE.has(highway)) return `highway=${highway}`;
  if (highway === 'cycleway') return 'highway=cycleway without foot access';
  return null;
}

/**
 * Tags copied from a way onto its road feature: those core's walking rules read (`highway`, `foot`,
 * `access`, `sidewalk*`, `footway`, one-way tags) and those slope and barrier rules need (`incline`,
 * `kerb`, `ele`, `step_count`, `surface`, `wheelchair`, `width`), plus names and layering.
 */
export const OSM_ROAD_TAGS: readonly string[] = [
  'highway',
  'name',
  'name:zh',
  'foot',
  'access',
  'area',
  'incline',
  'kerb',
  'ele',
  'step_count',
  'surface',
  'wheelchair',
  'width',
  'sidewalk',
  'sidewalk:both',
  'sidewalk:left',
  'sidewalk:right',
  'footway',
  'oneway',
  'oneway:foot',
  'junction',
  'bridge',
  'tunnel',
  'layer',
];

/** Keys whose presence makes an element a candidate facility. */
export const OSM_FACILITY_KEYS: readonly string[] = [
  'amenity',
  'shop',
  'leisure',
  'healthcare',
  'social_facility',
];

// Street furniture and parking are tagged `amenity` but are never a facility a community is served by;
// leaving them out keeps a city's facility layer from being mostly benches and car parks.
const AMENITY_FURNITURE = new Set([
  'bench',
  'waste_basket',
  'waste_disposal',
  'recycling',
  'parking',
  'parking_space',
  'parking_entrance',
  'bicycle_parking',
  'motorcycle_parking',
  'vending_machine',
  'post_box',
  'telephone',
  'drinking_water',
  'shelter',
  'clock',
  'fountain',
  'charging_station',
  'fuel',
  'atm',
  'toilets',
]);

/**
 * Whether an element's tags make it a candidate facility: any of {@link OSM_FACILITY_KEYS}, except
 * an `amenity` that is street furniture or parking (bench, waste_basket, parking, toilets …) with no
 * other facility key. Which catalog type it is, if any, is for the category mapping to say.
 *
 * @example
 * isOsmFacility({ amenity: 'kindergarten' }); // true
 * isOsmFacility({ amenity: 'bench' }); // false
 * isOsmFacility({ highway: 'steps' }); // false
 */
export function isOsmFacility(tags: Readonly<OsmTags>): boolean {
  let found = false;
  for (const key of OSM_FACILITY_KEYS) {
    const value = tags[key];
    if (value === undefined) continue;
    if (key === 'amenity' && AMENITY_FURNITURE.has(value)) continue;
    found = true;
  }
  return found;
}

// Kerbs are mostly tagged on nodes (`barrier=kerb` + `kerb=raised|lowered|flush|rolled`) where a
// footway meets a crossing; the road feature carries the highest one met along it, since a walker
// profile that cannot climb a raised kerb cannot use the way.
const KERB_RANK: Readonly<Record<string, number>> = {
  no: 0,
  flush: 1,
  lowered: 2,
  rolled: 3,
  yes: 4,
  raised: 5,
};

/** A kerb node's kerb value (`raised`, `lowered`, … or `yes` for `barrier=kerb` alone), else null. */
export function kerbOfNode(tags: Readonly<OsmTags>): string | null {
  const kerb = tags.kerb?.trim().toLowerCase();
  if (kerb !== undefined && kerb !== '') return kerb;
  return tags.barrier === 'kerb' ? 'yes' : null;
}

/** The higher of two kerb values (unknown values rank as `yes`). */
export function higherKerb(a: string | null, b: string): string {
  if (a === null) return b;
  return (KERB_RANK[b] ?? KERB_RANK.yes!) > (KERB_RANK[a] ?? KERB_RANK.yes!) ? b : a;
}
