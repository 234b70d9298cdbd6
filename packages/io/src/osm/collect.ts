import type { Feature, LineString, MultiLineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { NodeCoordinates, WayCentroids } from './store.js';
import { higherKerb, isOsmFacility, kerbOfNode, OSM_ROAD_TAGS, osmWayExclusion } from './tags.js';
import type { OsmBBox, OsmElementSink, OsmMember, OsmReadOptions, OsmReadSummary, OsmTags } from './types.js';

/** The bbox and study area of a reading, tested on 1e-7-degree integers. */
class ClipArea {
  private readonly west: number;
  private readonly south: number;
  private readonly east: number;
  private readonly north: number;
  /** Polygons as rings of [x0, y0, x1, y1 …] in 1e-7 degrees; null for a bbox alone. */
  private readonly polygons: Float64Array[][] | null;

  constructor(bbox: OsmBBox | undefined, area: Polygon | MultiPolygon | undefined) {
    let [west, south, east, north] = bbox
      ? bbox.map((v) => Math.round(v * 1e7))
      : [
          Number.NEGATIVE_INFINITY,
          Number.NEGATIVE_INFINITY,
          Number.POSITIVE_INFINITY,
          Number.POSITIVE_INFINITY,
        ];
    this.polygons = null;
    if (area) {
      const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
      this.polygons = polygons.map((rings) =>
        rings.map((ring) => Float64Array.from(ring.flatMap((p) => [p[0]! * 1e7, p[1]! * 1e7]))),
      );
      // The area's own box narrows the bbox, so that most nodes outside are dropped without a polygon test.
      let [aw, as, ae, an] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const rings of this.polygons) {
        const outer = rings[0]!;
        for (let i = 0; i < outer.length; i += 2) {
          aw = Math.min(aw, outer[i]!);
          ae = Math.max(ae, outer[i]!);
          as = Math.min(as, outer[i + 1]!);
          an = Math.max(an, outer[i + 1]!);
        }
      }
      west = Math.max(west!, Math.floor(aw));
      south = Math.max(south!, Math.floor(as));
      east = Math.min(east!, Math.ceil(ae));
      north = Math.min(north!, Math.ceil(an));
    }
    this.west = west!;
    this.south = south!;
    this.east = east!;
    this.north = north!;
  }

  contains(x: number, y: number): boolean {
    if (x < this.west || x > this.east || y < this.south || y > this.north) return false;
    if (this.polygons === null) return true;
    for (const rings of this.polygons) {
      // Even-odd over all rings of a polygon: inside the outer ring and outside its holes.
      let inside = false;
      for (const ring of rings) {
        const n = ring.length;
        for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
          const xi = ring[i]!;
          const yi = ring[i + 1]!;
          const xj = ring[j]!;
          const yj = ring[j + 1]!;
          if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
      if (inside) return true;
    }
    return false;
  }
}

const position = (x7: number, y7: number): Position => [x7 / 1e7, y7 / 1e7];

/**
 * Receives decoded elements and keeps what the layer needs: node coordinates inside the clip area, and
 * either the walkable ways as lines or the facilities as points, in file order.
 */
export class OsmCollector implements OsmElementSink {
  readonly features: Feature[] = [];
  private readonly layer: OsmReadOptions['layer'];
  private readonly clip: ClipArea | null;
  private readonly isFacility: (tags: Readonly<OsmTags>) => boolean;
  private readonly nodes = new NodeCoordinates();
  /** Kerb nodes (network layer): id → kerb value. Few in any extract, so a Map. */
  private readonly kerbs = new Map<number, string>();
  /** Elevation of nodes tagged `ele` (network layer), metres: written as the z of road positions. */
  private readonly elevations = new Map<number, number>();
  private readonly wayCentroids: WayCentroids | null;
  private readonly excluded: Record<string, number> = {};
  private nodeCount = 0;
  private wayCount = 0;
  private relationCount = 0;
  private clipped = 0;
  private missingNodes = 0;

  constructor(options: OsmReadOptions) {
    this.layer = options.layer;
    this.clip = options.bbox || options.area ? new ClipArea(options.bbox, options.area) : null;
    this.isFacility = options.isFacility ?? isOsmFacility;
    this.wayCentroids = options.layer === 'facilities' ? new WayCentroids() : null;
  }

  get summary(): OsmReadSummary {
    return {
      nodes: this.nodeCount,
      ways: this.wayCount,
      relations: this.relationCount,
      nodesKept: this.nodes.size,
      excluded: { ...this.excluded },
      clipped: this.clipped,
      missingNodes: this.missingNodes,
    };
  }

  node(id: number, lon7: number, lat7: number, tags: OsmTags | null): void {
    this.nodeCount++;
    if (this.clip !== null && !this.clip.contains(lon7, lat7)) return;
    this.nodes.add(id, lon7, lat7);
    if (tags === null) return;
    if (this.layer === 'network') {
      const kerb = kerbOfNode(tags);
      if (kerb !== null) this.kerbs.set(id, kerb);
      const ele = elevationOfTag(tags.ele);
      if (ele !== null) this.elevations.set(id, ele);
    } else if (this.isFacility(tags)) {
      this.features.push(facility(`node/${id}`, position(lon7, lat7), tags));
    }
  }

  /** Runs of consecutive nodes kept, as positions; `lost` counts the nodes not found. */
  private runs(refs: readonly number[]): { runs: Position[][]; lost: number; kerb: string | null } {
    const runs: Position[][] = [];
    let current: Position[] = [];
    let lost = 0;
    let kerb: string | null = null;
    for (const ref of refs) {
      const at = this.nodes.find(ref);
      if (at < 0) {
        lost++;
        if (current.length > 0) runs.push(current);
        current = [];
        continue;
      }
      const xy = position(this.nodes.lon7(at), this.nodes.lat7(at));
      const ele = this.elevations.size > 0 ? this.elevations.get(ref) : undefined;
      current.push(ele === undefined ? xy : [xy[0]!, xy[1]!, ele]);
      if (this.kerbs.size > 0) {
        const value = this.kerbs.get(ref);
        if (value !== undefined) kerb = higherKerb(kerb, value);
      }
    }
    if (current.length > 0) runs.push(current);
    return { runs, lost, kerb };
  }

  way(id: number, refs: readonly number[], tags: OsmTags): void {
    this.wayCount++;
    if (this.layer === 'network') this.roadWay(id, refs, tags);
    else this.facilityWay(id, refs, tags);
  }

  private noteLost(lost: number): void {
    if (lost === 0) return;
    if (this.clip) this.clipped++;
    else this.missingNodes++;
  }

  private roadWay(id: number, refs: readonly number[], tags: OsmTags): void {
    const exclusion = osmWayExclusion(tags);
    if (exclusion === undefined) return;
    const { runs, lost, kerb } = this.runs(refs);
    // A way wholly outside the area is not part of this reading, excluded or not.
    if (runs.length === 0) return;
    if (exclusion !== null) {
      this.excluded[exclusion] = (this.excluded[exclusion] ?? 0) + 1;
      return;
    }
    const lines = runs.filter((run) => run.length >= 2);
    if (lines.length === 0) return;
    this.noteLost(lost);
    const properties: Record<string, string | number> = { id: `way/${id}` };
    for (const key of OSM_ROAD_TAGS) {
      const value = tags[key];
      if (value !== undefined) properties[key] = value;
    }
    if (properties.kerb === undefined && kerb !== null) properties.kerb = kerb;
    const geometry: LineString | MultiLineString =
      lines.length === 1
        ? { type: 'LineString', coordinates: lines[0]! }
        : { type: 'MultiLineString', coordinates: lines };
    this.features.push({ type: 'Feature', id: `way/${id}`, properties, geometry });
  }

  private facilityWay(id: number, refs: readonly number[], tags: OsmTags): void {
    const closed = refs.length >= 4 && refs[0] === refs[refs.length - 1];
    // The ring's repeated last node would count twice in a mean.
    const ring = closed ? refs.slice(0, -1) : refs;
    let sumX = 0;
    let sumY = 0;
    let kept = 0;
    let x0 = 0;
    let y0 = 0;
    let twiceArea = 0;
    let cx = 0;
    let cy = 0;
    let px = 0;
    let py = 0;
    for (const ref of ring) {
      const at = this.nodes.find(ref);
      if (at < 0) continue;
      const x = this.nodes.lon7(at);
      const y = this.nodes.lat7(at);
      if (kept === 0) {
        x0 = x;
        y0 = y;
      } else {
        // Shoelace terms relative to the first vertex, so the products stay exact in doubles.
        const ax = px - x0;
        const ay = py - y0;
        const bx = x - x0;
        const by = y - y0;
        const cross = ax * by - bx * ay;
        twiceArea += cross;
        cx += (ax + bx) * cross;
        cy += (ay + by) * cross;
      }
      px = x;
      py = y;
      sumX += x;
      sumY += y;
      kept++;
    }
    if (kept === 0) return;
    const lost = ring.length - kept;
    const whole = closed && lost === 0 && twiceArea !== 0;
    const x7 = whole ? x0 + cx / (3 * twiceArea) : sumX / kept;
    const y7 = whole ? y0 + cy / (3 * twiceArea) : sumY / kept;
    this.wayCentroids!.add(id, Math.round(x7), Math.round(y7), whole ? Math.abs(twiceArea) / 2 : 0);
    if (!this.isFacility(tags)) return;
    this.noteLost(lost);
    this.features.push(facility(`way/${id}`, position(Math.round(x7), Math.round(y7)), tags));
  }

  relation(id: number, members: readonly OsmMember[], tags: OsmTags): void {
    this.relationCount++;
    if (this.layer !== 'facilities' || tags.type !== 'multipolygon' || !this.isFacility(tags)) return;
    // The centroid of the outer rings less the inner ones, each ring weighted by its area; when some
    // ring is not closed within one way (rings made of several ways), the mean of the outer ways.
    let weightedX = 0;
    let weightedY = 0;
    let weight = 0;
    let meanX = 0;
    let meanY = 0;
    let outers = 0;
    let lost = 0;
    let allWhole = true;
    for (const member of members) {
      if (member.type !== 'way') continue;
      const centroid = this.wayCentroids!.get(member.ref);
      if (centroid === null) {
        lost++;
        continue;
      }
      const sign = member.role === 'inner' ? -1 : 1;
      if (centroid.area === 0) allWhole = false;
      weightedX += sign * centroid.area * centroid.x7;
      weightedY += sign * centroid.area * centroid.y7;
      weight += sign * centroid.area;
      if (sign > 0) {
        meanX += centroid.x7;
        meanY += centroid.y7;
        outers++;
      }
    }
    if (outers === 0) return;
    this.noteLost(lost);
    const useArea = allWhole && weight > 0;
    const x7 = Math.round(useArea ? weightedX / weight : meanX / outers);
    const y7 = Math.round(useArea ? weightedY / weight : meanY / outers);
    this.features.push(facility(`relation/${id}`, position(x7, y7), tags));
  }
}

function facility(id: string, coordinates: Position, tags: OsmTags): Feature<Point> {
  const name = tags['name:zh'] ?? tags.name ?? null;
  return {
    type: 'Feature',
    id,
    properties: { ...tags, id, name },
    geometry: { type: 'Point', coordinates },
  };
}

/**
 * Metres of an OSM `ele` value ("1350", "1350.5", "1350 m"); null for anything else (feet or a
 * range are not guessed at).
 */
function elevationOfTag(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*(?:m)?\s*$/.exec(value);
  return match ? Number(match[1]) : null;
}
