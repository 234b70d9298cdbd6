// OpenStreetMap XML (`.osm`, API 0.6): `<osm>` holding `<node>`, `<way>` (with `<nd ref>`) and
// `<relation>` (with `<member type ref role>`), each with `<tag k v>` children. Parsed as a stream
// of chunks by `saxes`, so a large file never exists as one string.
import { InputError } from '@lifecircle/core';
import { ByteReader } from './source.js';
import type { OsmElementSink, OsmMember, OsmSource, OsmTags } from './types.js';

/** Why an XML file is not OpenStreetMap: its root element, thrown from inside the parser. */
class NotOsmXml extends Error {}

interface OpenElement {
  kind: 'node' | 'way' | 'relation';
  id: number;
  lon7: number;
  lat7: number;
  tags: OsmTags | null;
  refs: number[];
  members: OsmMember[];
}

/**
 * The root element of XML text: its name when the text starts (after a byte-order mark, the XML
 * declaration, comments and a doctype) with an element, else null.
 *
 * @example
 * xmlRootElement('<?xml version="1.0"?>\n<osm version="0.6">'); // 'osm'
 */
export function xmlRootElement(head: string): string | null {
  const rest = head
    .replace(/^\ufeff/, '')
    .replace(/^\s*<\?xml[^>]*\?>/, '')
    .replace(/^(\s*<!--[\s\S]*?-->|\s*<!DOCTYPE[^>]*>|\s*<\?[^>]*\?>)*/, '')
    .trimStart();
  return /^<([A-Za-z_][\w.:-]*)/.exec(rest)?.[1] ?? null;
}

function coordinate7(text: string | undefined): number {
  const value = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(value) ? Math.round(value * 1e7) : Number.NaN;
}

/**
 * Decodes OSM XML, sending each node, way and relation to `sink` in file order. XML that is not
 * well-formed, or whose root is not `<osm>`, is an {@link InputError} naming the line and column.
 */
export async function decodeOsmXml(source: OsmSource, file: string, sink: OsmElementSink): Promise<void> {
  // Loaded on first use: most runs read no OSM XML, and the CLI starts faster without it.
  const { SaxesParser } = await import('saxes');
  const parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
  let root: string | null = null;
  let open: OpenElement | null = null;
  let depth = 0;
  let badCoordinate: string | null = null;
  parser.on('opentag', (tag) => {
    depth++;
    const a = tag.attributes as Record<string, string>;
    if (root === null) {
      root = tag.name;
      if (root !== 'osm') throw new NotOsmXml(root);
      return;
    }
    if (depth === 2 && (tag.name === 'node' || tag.name === 'way' || tag.name === 'relation')) {
      const lon7 = tag.name === 'node' ? coordinate7(a.lon) : 0;
      const lat7 = tag.name === 'node' ? coordinate7(a.lat) : 0;
      // A deleted node in an edit file has no coordinates; one with bad numbers is a damaged file.
      if (tag.name === 'node' && (Number.isNaN(lon7) || Number.isNaN(lat7)) && a.visible !== 'false') {
        badCoordinate ??= `line ${parser.line}: node ${a.id} has lon='${a.lon}' lat='${a.lat}'`;
      }
      open = { kind: tag.name, id: Number(a.id), lon7, lat7, tags: null, refs: [], members: [] };
    } else if (open !== null && depth === 3) {
      if (tag.name === 'tag' && a.k !== undefined) {
        open.tags ??= {};
        open.tags[a.k] = a.v ?? '';
      } else if (tag.name === 'nd' && a.ref !== undefined) open.refs.push(Number(a.ref));
      else if (tag.name === 'member' && a.ref !== undefined) {
        const type = a.type === 'way' || a.type === 'relation' ? a.type : 'node';
        open.members.push({ type, ref: Number(a.ref), role: a.role ?? '' });
      }
    }
  });
  parser.on('closetag', () => {
    depth--;
    if (depth !== 1 || open === null) return;
    const element: OpenElement = open;
    open = null;
    if (element.kind === 'node') {
      if (!Number.isNaN(element.lon7) && !Number.isNaN(element.lat7)) {
        sink.node(element.id, element.lon7, element.lat7, element.tags);
      }
    } else if (element.kind === 'way') sink.way(element.id, element.refs, element.tags ?? {});
    else sink.relation(element.id, element.members, element.tags ?? {});
  });
  const reader = new ByteReader(source);
  const decoder = new TextDecoder('utf-8');
  try {
    for (let chunk = await reader.nextChunk(); chunk !== null; chunk = await reader.nextChunk()) {
      parser.write(decoder.decode(chunk, { stream: true }));
      if (badCoordinate !== null) break;
    }
    if (badCoordinate === null) parser.write(decoder.decode()).close();
  } catch (error) {
    if (error instanceof NotOsmXml) {
      throw new InputError(
        file,
        `is XML but not OpenStreetMap: its root element is <${error.message}>, where an OSM file has <osm>.`,
      );
    }
    if (error instanceof InputError) throw error;
    const message = (error as Error).message;
    throw new InputError(
      file,
      root === null
        ? `is not XML (${message}).`
        : `is not well-formed OSM XML at ${message} (truncated or damaged; near byte ${reader.offset}).`,
    );
  }
  if (badCoordinate !== null) throw new InputError(file, `${badCoordinate}; expected decimal degrees.`);
  if (root === null) throw new InputError(file, 'holds no XML element; an OSM file has <osm> as its root.');
}
