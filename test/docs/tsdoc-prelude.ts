// The sample values the API reference's `@example` blocks use, built once from the bundled city
// (fixtures/pingliang). test/docs/tsdoc-examples.test.ts imports into each example the names it
// uses and does not declare itself, so the examples stay short and still run as written.
import { readFileSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { serialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import iconv from 'iconv-lite';
import {
  analyzeCoverage,
  buildDemand,
  combineTargets,
  FacilityCatalog,
  GreatCircleSource,
  generateCandidates,
  RoadGraph,
  type Targets,
  validateCommunities,
  validateFacilities,
} from '../../packages/core/src/index.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/pingliang/${name}`, import.meta.url), 'utf8');

/** The bundled city's communities, facilities, roads and water, as parsed GeoJSON. */
export const communities: FeatureCollection = JSON.parse(fixture('communities.geojson'));
export const facilities: FeatureCollection = JSON.parse(fixture('facilities.geojson'));
export const roads: FeatureCollection = JSON.parse(fixture('roads.geojson'));
const water: FeatureCollection = JSON.parse(fixture('water.geojson'));
/** Any GeoJSON input: the communities. */
export const geojson = communities;
export const input = { communities, facilities };

export const records = validateCommunities(communities, 'communities.geojson').records;
const facilityRecords = validateFacilities(
  facilities,
  FacilityCatalog.builtIn(),
  'facilities.geojson',
).records;

/** Residents as demand points, a great-circle distance source over them, and a road graph. */
export const { demand } = buildDemand(records);
export const source = new GreatCircleSource(demand);
export const { graph } = RoadGraph.fromGeoJSON(roads);

function ofType(typeId: string): Targets & { ids: string[]; capacity: number[] } {
  const chosen = facilityRecords.filter((f) => f.typeId === typeId);
  return {
    coords: Float64Array.from(chosen.flatMap((f) => [f.lon, f.lat])),
    ids: chosen.map((f) => f.id),
    capacity: chosen.map((f) => (Number.isNaN(f.capacity) ? 0 : f.capacity)),
  };
}

const kindergartenTargets = ofType('kindergarten');
/** Facility positions by type, as interleaved `[lon, lat, …]`. */
export const kindergartens = kindergartenTargets.coords;
const clinicTargets = ofType('community_health_station');
export const clinics = clinicTargets.coords;
/** The facilities an example measures: the kindergartens. */
export const { coords, ids } = kindergartenTargets;
export const clinicIds = clinicTargets.ids;
/** Places (here: the clinics' capacity) per clinic. */
export const supply = clinicTargets.capacity;
export const n = coords.length / 2;

/** The analysis of the whole city. */
export const result = analyzeCoverage(input);
/** Per community, whether it lacks a kindergarten within walking distance. */
export const gaps = result.communities.map((c) => c.gaps.includes('kindergarten'));

/** Siting: the existing kindergartens, candidate sites near gaps, both as one target set. */
export const existing = kindergartenTargets;
export const candidates = generateCandidates({ communities: records, spacingM: 400, gaps });
export const { targets, fixed } = combineTargets(existing, candidates);
export const sites = targets.coords;
/** Places per target (existing kindergartens; 0 for a candidate, sized by the model). */
export const places = [...existing.capacity, ...new Array<number>(candidates.coords.length / 2).fill(0)];
export const table = source.within(targets, 500);
export const weight = demand.weight;
export const waterPolygons = water.features
  .map((f) => f.geometry)
  .filter((g): g is Polygon | MultiPolygon => g.type === 'Polygon' || g.type === 'MultiPolygon');
/** Parcels offered for new facilities, as GeoJSON points. */
export const parcels: FeatureCollection = {
  type: 'FeatureCollection',
  features: Array.from({ length: 5 }, (_, i) => ({
    type: 'Feature',
    properties: { id: `P-${i + 1}` },
    geometry: {
      type: 'Point',
      coordinates: [Number(candidates.coords[2 * i]), Number(candidates.coords[2 * i + 1])],
    },
  })),
};

/** A street line, as lon/lat positions. */
export const line: Position[] = [
  [106.66, 35.54],
  [106.67, 35.54],
];

/** A CSV export of two communities: its text, and its bytes as Excel writes them for a Chinese locale (GBK). */
export const text =
  'id,name,population,lng,lat\nKT-001,阳光新村社区,651,106.6832,35.5672\nKT-002,东关社区,820,106.671,35.541\n';
export const bytes = new Uint8Array(iconv.encode(text, 'gbk'));
export const file = new File([bytes], 'communities.csv');
/** A FlatGeobuf file of demand points (a community id and residents each), as a 100 m grid exports it. */
export const fgbBytes = serialize(
  {
    type: 'FeatureCollection',
    features: records.slice(0, 3).map((c, i) => ({
      type: 'Feature',
      properties: { id: `cell-${i}`, community: c.id, population: 40 + i },
      geometry: { type: 'Point', coordinates: [106.66 + i * 0.001, 35.54] },
    })),
  } as FeatureCollection,
  4326,
);
export const csvText = `origin_id,destination_id,cost\n${records
  .slice(0, 3)
  .map((c, i) => `${c.id},${clinicIds[i]},${5 + i}`)
  .join('\n')}\n`;
export const communityIds = records.map((c) => c.id);

/** Where an example posts a message to a worker: one end of a message channel. */
const channel = new MessageChannel();
export const worker = channel.port1;
channel.port1.unref();
channel.port2.unref();
