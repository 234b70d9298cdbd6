import { InputError, type Warning } from '@lifecircle/core';
import type { FeatureCollection } from 'geojson';
import { resolveLimits } from '../limits.js';
import { OsmCollector } from './collect.js';
import { decodeOsmPbf, isOsmPbf } from './pbf.js';
import type { OsmReadOptions, OsmReadSummary, OsmSource } from './types.js';
import { decodeOsmXml, xmlRootElement } from './xml.js';

/** The two encodings of OpenStreetMap data. */
export type OsmFormat = 'osm-xml' | 'osm-pbf';

/** What {@link readOsm} made of one file. */
export interface OsmRead {
  readonly file: string;
  readonly format: OsmFormat;
  /** Roads as LineStrings (or MultiLineStrings when clipped into pieces), or facilities as Points. */
  readonly collection: FeatureCollection;
  readonly summary: OsmReadSummary;
  /** Ways left out of the network, ways with nodes missing from the file: counted, never silent. */
  readonly warnings: Warning[];
}

/**
 * Which OSM encoding bytes are in, from their content: `osm-pbf` for a PBF file's OSMHeader blob,
 * `osm-xml` for XML whose root element is `<osm>`; null for anything else.
 *
 * @example
 * osmFormatOf(new TextEncoder().encode('<?xml version="1.0"?><osm version="0.6">')); // 'osm-xml'
 */
export function osmFormatOf(head: Uint8Array): OsmFormat | null {
  if (isOsmPbf(head)) return 'osm-pbf';
  const text = new TextDecoder('utf-8').decode(head.subarray(0, 4096));
  return xmlRootElement(text) === 'osm' ? 'osm-xml' : null;
}

/** The first chunk of a source and a source that yields it again followed by the rest. */
async function peek(source: OsmSource): Promise<{ head: Uint8Array; source: OsmSource }> {
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return { head: bytes, source: bytes };
  }
  const iterator =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
      : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  // Enough of the start to tell the format by, however small the source's chunks.
  const taken: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < 4096) {
    const step = await iterator.next();
    if (step.done) {
      ended = true;
      break;
    }
    taken.push(step.value);
    length += step.value.byteLength;
  }
  const head = new Uint8Array(length);
  let at = 0;
  for (const chunk of taken) {
    head.set(chunk, at);
    at += chunk.byteLength;
  }
  async function* again(): AsyncGenerator<Uint8Array> {
    yield head;
    if (ended) return;
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) yield step.value;
  }
  return { head, source: again() };
}

/**
 * Reads an OpenStreetMap extract, `.osm` XML or `.osm.pbf` (told apart by content), as a walking
 * network or as facilities, streaming: PBF blocks are decoded one at a time, and node coordinates are
 * kept in typed arrays, only inside `bbox`/`area` when given. Features carry `id` = `way/123`,
 * `node/45` or `relation/6`. A file that is neither, or is damaged or truncated, is an
 * {@link InputError} naming the file and where.
 *
 * @example
 * const extract = writeOsmPbf({
 *   nodes: [
 *     { id: 1, lon: 106.66, lat: 35.54 },
 *     { id: 2, lon: 106.661, lat: 35.54 },
 *   ],
 *   ways: [
 *     { id: 10, refs: [1, 2], tags: { highway: 'footway' } },
 *     { id: 11, refs: [1, 2], tags: { highway: 'motorway' } },
 *   ],
 * });
 * const roads = await readOsm(extract, 'town.osm.pbf', { layer: 'network', bbox: [106.6, 35.5, 106.7, 35.6] });
 * roads.collection.features[0]?.properties; // { id: 'way/10', highway: 'footway' }
 * roads.summary.excluded; // { 'highway=motorway': 1 }
 */
export async function readOsm(source: OsmSource, file: string, options: OsmReadOptions): Promise<OsmRead> {
  if (options.layer !== 'network' && options.layer !== 'facilities') {
    throw new TypeError(`readOsm: layer must be 'network' or 'facilities', not '${String(options.layer)}'.`);
  }
  const peeked = await peek(source);
  const format = osmFormatOf(peeked.head);
  if (format === null) {
    throw new InputError(file, `is not OpenStreetMap data: ${describeContent(peeked.head)}.`);
  }
  const collector = new OsmCollector(options);
  if (format === 'osm-pbf') await decodeOsmPbf(peeked.source, file, collector, resolveLimits(options.limits));
  else await decodeOsmXml(peeked.source, file, collector);
  const summary = collector.summary;
  if (collector.features.length === 0) {
    throw new InputError(file, `${emptyReason(options, summary)}.`);
  }
  return {
    file,
    format,
    collection: { type: 'FeatureCollection', features: collector.features },
    summary,
    warnings: warningsOf(file, summary, collector.features.length),
  };
}

function emptyReason(options: OsmReadOptions, summary: OsmReadSummary): string {
  const where = options.bbox || options.area ? ' inside the bbox or study area' : '';
  const read = `${summary.nodes} nodes (${summary.nodesKept} kept), ${summary.ways} ways and ${summary.relations} relations read`;
  if (options.layer === 'network') {
    const excluded = excludedList(summary.excluded);
    return `has no walkable way${where} (${read}${excluded ? `; left out: ${excluded}` : ''}); a road network needs ways tagged highway=footway, path, residential …`;
  }
  return `has no element with facility tags (amenity, shop, leisure, healthcare, social_facility)${where} (${read})`;
}

function excludedList(excluded: Readonly<Record<string, number>>): string {
  return Object.entries(excluded)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
}

function warningsOf(file: string, summary: OsmReadSummary, kept: number): Warning[] {
  const warnings: Warning[] = [];
  const total = Object.values(summary.excluded).reduce((a, b) => a + b, 0);
  if (total > 0) {
    // An extract filtered for driving (motorway, trunk … only) leaves a few stray paths: every figure
    // walked on it would rest on them, so the warning says what the file is, not only what was cut.
    const driveOnly =
      total > kept
        ? `; more of its roads were left out than kept (${kept} ${kept === 1 ? 'way' : 'ways'} kept), as in an extract cut for driving: walking needs its footways and residential streets too, so use an extract with every highway=* way (such as Geofabrik's)`
        : '';
    warnings.push({
      code: 'osm-ways-excluded',
      file,
      field: 'highway',
      message: `${total} ${total === 1 ? 'way' : 'ways'} with a highway tag left out of the walking network: ${excludedList(summary.excluded)}${driveOnly}`,
    });
  }
  if (summary.missingNodes > 0) {
    warnings.push({
      code: 'osm-incomplete',
      file,
      message: `${summary.missingNodes} ${summary.missingNodes === 1 ? 'way refers' : 'ways refer'} to nodes the file does not hold (an extract cut without complete ways); they were split where nodes are missing`,
    });
  }
  return warnings;
}

/**
 * What bytes look like, for a message about a file that is not what it was given as.
 *
 * @example
 * describeContent(new TextEncoder().encode('<kml></kml>')); // 'it is XML whose root element is <kml>, where an OSM file has <osm>'
 */
export function describeContent(head: Uint8Array): string {
  if (head.byteLength === 0) return 'the file is empty';
  const text = new TextDecoder('utf-8').decode(head.subarray(0, 4096)).replace(/^\ufeff/, '');
  const root = xmlRootElement(text);
  if (root !== null) return `it is XML whose root element is <${root}>, where an OSM file has <osm>`;
  if (head[0] === 0x50 && head[1] === 0x4b) return 'it looks like a zip archive';
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'it looks like JSON (GeoJSON?)';
  const printable = /^[\P{Cc}\t\r\n]*$/u.test(text.slice(0, 200));
  if (printable) return `it starts with text '${trimmed.slice(0, 40).split(/\r?\n/, 1)[0]}'`;
  return 'it is binary data without an OSM PBF header (an OSMHeader blob)';
}
