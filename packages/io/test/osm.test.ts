// The OpenStreetMap reader on the hand-made town of fixtures/osm (see its README for the map): XML and
// PBF give the same features, clipping keeps what the README says, the road rules agree with core's
// graph, and broken files are refused naming the file and where.
import { readFileSync } from 'node:fs';
import { InputError, RoadGraph } from '@lifecircle/core';
import fc from 'fast-check';
import type { Feature, Point, Position } from 'geojson';
import { PbfWriter } from 'pbf';
import { describe, expect, it } from 'vitest';
import { type OsmReadOptions, readFeatures, readOsm, readTable, writeOsmPbf } from '../src/index.js';

const DIR = new URL('../../../fixtures/osm/', import.meta.url);
const XML = readFileSync(new URL('town.osm', DIR));
const PBF = readFileSync(new URL('town.osm.pbf', DIR));

const network: OsmReadOptions = { layer: 'network' };
const facilities: OsmReadOptions = { layer: 'facilities' };

function chunks(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < bytes.byteLength; i += size) yield bytes.slice(i, i + size);
    },
  };
}

/** The town's walkable streets (ways 101–106), kept by every network read that reaches them. */
const STREETS = ['way/101', 'way/102', 'way/103', 'way/104', 'way/105', 'way/106'];

describe('the fixture town', () => {
  it('gives the same roads and facilities from XML and PBF, whole or in chunks', async () => {
    for (const options of [network, facilities]) {
      const fromXml = await readOsm(XML, 'town.osm', options);
      const fromPbf = await readOsm(PBF, 'town.osm.pbf', options);
      expect(fromXml.format).toBe('osm-xml');
      expect(fromPbf.format).toBe('osm-pbf');
      expect(fromPbf.collection).toEqual(fromXml.collection);
      expect(fromPbf.summary).toEqual(fromXml.summary);
      // Chunk sizes that split blob headers, varints and multi-byte UTF-8 names.
      expect((await readOsm(chunks(PBF, 7), 'town.osm.pbf', options)).collection).toEqual(fromXml.collection);
      expect((await readOsm(chunks(XML, 5), 'town.osm', options)).collection).toEqual(fromXml.collection);
    }
  });

  it('says a drive-only extract is one: more ways left out than kept (fixtures/trial, issue #12)', async () => {
    const TRIAL = new URL('../../../fixtures/trial/', import.meta.url);
    for (const name of ['驾车路网.osm.pbf', '驾车路网.osm']) {
      const read = await readOsm(readFileSync(new URL(name, TRIAL)), name, network);
      expect(read.collection.features.map((f) => f.id)).toEqual(['way/3']);
      expect(read.warnings.map((w) => w.message)).toEqual([
        "2 ways with a highway tag left out of the walking network: foot=no 1, highway=motorway 1; more of its roads were left out than kept (1 way kept), as in an extract cut for driving: walking needs its footways and residential streets too, so use an extract with every highway=* way (such as Geofabrik's)",
      ]);
    }
    // The fixture town keeps more than it leaves out: no such hint (the test below).
  });

  it('keeps the walkable ways with their tags and counts the others by reason', async () => {
    const read = await readOsm(PBF, 'town.osm.pbf', network);
    expect(read.collection.features.map((f) => f.id)).toEqual([...STREETS, 'way/201', 'way/202', 'way/203']);
    expect(read.summary.excluded).toEqual({
      'highway=motorway': 1,
      'foot=no': 1,
      'access=private': 1,
      'highway=cycleway without foot access': 1,
    });
    expect(read.warnings).toEqual([
      expect.objectContaining({
        code: 'osm-ways-excluded',
        file: 'town.osm.pbf',
        message:
          '4 ways with a highway tag left out of the walking network: access=private 1, foot=no 1, highway=cycleway without foot access 1, highway=motorway 1',
      }),
    ]);
    const byId = new Map(read.collection.features.map((f) => [f.id, f]));
    expect(byId.get('way/104')?.properties).toEqual({
      id: 'way/104',
      highway: 'steps',
      step_count: '24',
      incline: 'up',
      // From node 5 (kerb=raised) at its foot.
      kerb: 'raised',
    });
    // The pedestrian square is its outline, closed.
    expect(byId.get('way/105')?.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [106.664, 35.54],
        [106.665, 35.54],
        [106.665, 35.541],
        [106.664, 35.541],
        [106.664, 35.54],
      ],
    });
  });

  it('makes a network core reads as two pieces, with nothing rejected or left out', async () => {
    const read = await readOsm(PBF, 'town.osm.pbf', network);
    const build = RoadGraph.fromGeoJSON(read.collection, { file: 'town.osm.pbf' });
    expect(build.rejected).toEqual([]);
    expect(build.stats.notWalkable).toBe(0);
    expect(build.stats.components).toBe(2);
  });

  it('places facilities on nodes, way centroids and the multipolygon centroid less its courtyard', async () => {
    const read = await readOsm(XML, 'town.osm', facilities);
    const points = read.collection.features as Feature<Point>[];
    expect(points.map((f) => [f.id, f.properties?.name, f.geometry.coordinates])).toEqual([
      ['node/40', '阳光幼儿园', [106.661, 35.541]],
      // name:zh is preferred to name.
      ['node/45', '东关社区卫生服务站', [106.6625, 35.5405]],
      ['node/46', '康乐养老院', [106.671, 35.5455]],
      // The school's rectangle 106.663–106.664 × 35.542–35.5426.
      ['way/401', '东关小学', [106.6635, 35.5423]],
      // Outer 0.002° × 0.001° centred (106.669, 35.5415) less the 0.0005° × 0.0005° courtyard centred
      // (106.66875, 35.54145): x = 106.669 + 0.00025 / 7, y = 35.5415 + 0.00005 / 7 (README).
      ['relation/501', '东关农贸市场', [106.6690357, 35.5415071]],
    ]);
    expect(points[3]?.properties).toEqual({
      id: 'way/401',
      name: '东关小学',
      amenity: 'school',
      building: 'school',
      'isced:level': '1',
    });
    expect(read.summary.excluded).toEqual({});
  });
});

/** OSM XML of elements, written here without the fixture's generator. */
function toXml(input: Parameters<typeof writeOsmPbf>[0]): Uint8Array {
  const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const tags = (t: Record<string, string> | undefined) =>
    Object.entries(t ?? {})
      .map(([k, v]) => `<tag k="${attr(k)}" v="${attr(v)}"/>`)
      .join('');
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">'];
  for (const n of input.nodes)
    parts.push(`<node id="${n.id}" lat="${n.lat}" lon="${n.lon}">${tags(n.tags)}</node>`);
  for (const w of input.ways) {
    parts.push(`<way id="${w.id}">${w.refs.map((r) => `<nd ref="${r}"/>`).join('')}${tags(w.tags)}</way>`);
  }
  for (const r of input.relations ?? []) {
    const members = r.members.map((m) => `<member type="${m.type}" ref="${m.ref}" role="${m.role}"/>`);
    parts.push(`<relation id="${r.id}">${members.join('')}${tags(r.tags)}</relation>`);
  }
  parts.push('</osm>');
  return new TextEncoder().encode(parts.join('\n'));
}

describe('XML and PBF on random extracts (property)', () => {
  const values = ['footway', 'steps', 'motorway', 'kindergarten', '幼儿园 & "小学" <b>', 'no', 'yes'];
  const keys = ['highway', 'amenity', 'foot', 'name', 'name:zh', 'kerb'];
  const tags = fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 3 });
  it('gives the same roads and facilities from both encodings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 1, max: 3000 }),
            lon: fc.integer({ min: -1_800_000_000, max: 1_800_000_000 }),
            lat: fc.integer({ min: -900_000_000, max: 900_000_000 }),
            tags,
          }),
          { minLength: 3, maxLength: 30 },
        ),
        fc.array(fc.record({ picks: fc.array(fc.nat(), { minLength: 2, maxLength: 6 }), tags }), {
          maxLength: 8,
        }),
        async (nodeSpecs, waySpecs) => {
          let id = -5;
          const nodes = nodeSpecs.map((n) => {
            id += n.gap;
            return { id, lon: n.lon / 1e7, lat: n.lat / 1e7, tags: n.tags };
          });
          const ways = waySpecs.map((w, i) => ({
            id: 100 + i,
            refs: w.picks.map((p) => nodes[p % nodes.length]!.id),
            tags: w.tags,
          }));
          const relations = [
            {
              id: 9,
              members: ways.map((w) => ({ type: 'way' as const, ref: w.id, role: 'outer' })),
              tags: { type: 'multipolygon', amenity: 'marketplace' },
            },
          ];
          const input = { nodes, ways, relations };
          for (const layer of ['network', 'facilities'] as const) {
            const outcome = async (bytes: Uint8Array, name: string) => {
              try {
                return (await readOsm(bytes, name, { layer })).collection;
              } catch (error) {
                return (error as Error).message.replace(name, 'FILE');
              }
            };
            const fromPbf = await outcome(writeOsmPbf(input), 'x.osm.pbf');
            const fromXml = await outcome(toXml(input), 'x.osm');
            expect(fromPbf).toEqual(fromXml);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('clipping while reading', () => {
  const bbox = [106.659, 35.5395, 106.6645, 35.5435] as const;

  it('drops what lies outside a bbox and cuts ways at their last node inside', async () => {
    for (const [bytes, name] of [
      [XML, 'town.osm'],
      [PBF, 'town.osm.pbf'],
    ] as const) {
      const roads = await readOsm(bytes, name, { layer: 'network', bbox });
      expect(roads.collection.features.map((f) => f.id)).toEqual(STREETS);
      // The square keeps nodes 9 and 3 only: nodes 7 and 8 lie east of 106.6645.
      expect(roads.collection.features[4]?.geometry).toEqual({
        type: 'LineString',
        coordinates: [
          [106.664, 35.541],
          [106.664, 35.54],
        ],
      });
      expect(roads.summary.clipped).toBe(1);
      // The private service road starts at node 4, inside; the motorway and foot=no road lie outside.
      expect(roads.summary.excluded).toEqual({ 'access=private': 1 });
      // Nodes 1–6, 9, 40–45 and 47.
      expect(roads.summary.nodesKept).toBe(14);
      const places = await readOsm(bytes, name, { layer: 'facilities', bbox });
      expect(places.collection.features.map((f) => f.id)).toEqual(['node/40', 'node/45', 'way/401']);
    }
  });

  it('drops what lies outside a study-area polygon, holes included', async () => {
    const area = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [106.659, 35.5395],
          [106.6645, 35.5395],
          [106.6645, 35.5435],
          [106.659, 35.5435],
          [106.659, 35.5395],
        ],
        // A hole around the kindergarten node.
        [
          [106.6605, 35.5405],
          [106.6615, 35.5405],
          [106.6615, 35.5415],
          [106.6605, 35.5415],
          [106.6605, 35.5405],
        ],
      ],
    };
    const places = await readOsm(PBF, 'town.osm.pbf', { layer: 'facilities', area });
    expect(places.collection.features.map((f) => f.id)).toEqual(['node/45', 'way/401']);
  });

  it('agrees with a brute-force clip on random networks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })), {
          minLength: 2,
          maxLength: 40,
        }),
        fc.array(fc.array(fc.nat(), { minLength: 2, maxLength: 8 }), { minLength: 1, maxLength: 10 }),
        fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })),
        async (grid, wayPicks, [bx, by]) => {
          const nodes = grid.map(([x, y], i) => ({ id: i + 1, lon: 106 + x / 1000, lat: 35 + y / 1000 }));
          const ways = wayPicks.map((picks, i) => ({
            id: 1000 + i,
            refs: picks.map((p) => nodes[p % nodes.length]!.id),
            tags: { highway: 'footway' },
          }));
          const box = [
            106 + bx / 1000,
            35 + by / 1000,
            106 + (bx + 40) / 1000,
            35 + (by + 40) / 1000,
          ] as const;
          const inside = (n: { lon: number; lat: number }) =>
            n.lon >= box[0] && n.lon <= box[2] && n.lat >= box[1] && n.lat <= box[3];
          const expected: { id: string; lines: Position[][] }[] = [];
          for (const way of ways) {
            const lines: Position[][] = [];
            let run: Position[] = [];
            for (const ref of way.refs) {
              const n = nodes[ref - 1]!;
              if (inside(n)) run.push([n.lon, n.lat]);
              else {
                if (run.length >= 2) lines.push(run);
                run = [];
              }
            }
            if (run.length >= 2) lines.push(run);
            if (lines.length > 0) expected.push({ id: `way/${way.id}`, lines });
          }
          const bytes = writeOsmPbf({ nodes, ways });
          let actual: { id: string; lines: Position[][] }[] = [];
          try {
            const read = await readOsm(bytes, 'random.osm.pbf', { layer: 'network', bbox: box });
            actual = read.collection.features.map((f) => ({
              id: String(f.id),
              lines:
                f.geometry.type === 'LineString'
                  ? [f.geometry.coordinates]
                  : (f.geometry as { coordinates: Position[][] }).coordinates,
            }));
          } catch (error) {
            expect((error as Error).message).toContain('has no walkable way inside the bbox');
          }
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('broken and misnamed files', () => {
  it('refuses a truncated PBF naming the blob and its byte offset', async () => {
    const cut = PBF.subarray(0, PBF.byteLength - 10);
    await expect(readOsm(cut, 'town.osm.pbf', network)).rejects.toThrow(
      /^town\.osm\.pbf: blob \d+ at byte \d+: the file ends \d+ bytes into a \d+-byte part; it is truncated/,
    );
    await expect(readOsm(PBF.subarray(0, 2), 'cut.osm.pbf', network)).rejects.toThrow(
      'cut.osm.pbf: is not OpenStreetMap data',
    );
  });

  it('refuses a blob larger than the format allows, naming its offset', async () => {
    const headerLength = PBF.readUInt32BE(0);
    const firstBlobEnd = 4 + headerLength + blobSize(PBF.subarray(4, 4 + headerLength));
    const header = new PbfWriter();
    header.writeStringField(1, 'OSMData');
    header.writeVarintField(3, 40 * 1024 * 1024);
    const headerBytes = header.finish();
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, headerBytes.byteLength);
    const bad = Buffer.concat([PBF.subarray(0, firstBlobEnd), length, headerBytes, new Uint8Array(100)]);
    await expect(readOsm(bad, 'bad.osm.pbf', network)).rejects.toThrow(
      `bad.osm.pbf: blob 2 at byte ${firstBlobEnd}: its OSMData blob size is 41943040 bytes, outside the format's 1 byte to 32 MiB; the file is damaged.`,
    );
    const badLength = Buffer.from(PBF);
    badLength.writeUInt32BE(0x00ffffff, firstBlobEnd);
    await expect(readOsm(badLength, 'bad.osm.pbf', network)).rejects.toThrow(
      `bad.osm.pbf: blob 2 at byte ${firstBlobEnd}: its header length is 16777215 bytes, outside the format's 1 byte to 64 KiB; the file is damaged.`,
    );
  });

  it('refuses XML that is not OSM, and OSM XML cut short, naming the line', async () => {
    const kml = new TextEncoder().encode('<?xml version="1.0"?>\n<kml><Document/></kml>');
    await expect(readOsm(kml, 'roads.osm', network)).rejects.toThrow(
      'roads.osm: is not OpenStreetMap data: it is XML whose root element is <kml>, where an OSM file has <osm>.',
    );
    await expect(readFeatures(kml, 'roads.osm', { osm: network })).rejects.toThrow(
      'roads.osm: has the extension .osm but is not OSM XML: it is XML whose root element is <kml>, where an OSM file has <osm>.',
    );
    await expect(readFeatures(kml, 'roads.csv')).rejects.toThrow(
      'roads.csv: is XML with the root element <kml>, which is not a format read here',
    );
    const cut = XML.subarray(0, 2000);
    await expect(readOsm(cut, 'town.osm', network)).rejects.toThrow(
      /^town\.osm: is not well-formed OSM XML at \d+:\d+: .* \(truncated or damaged; near byte 2000\)\.$/,
    );
  });

  it('names OSM data given where no OSM reading was asked for, by content whatever the extension', async () => {
    await expect(readFeatures(XML, 'roads.csv')).rejects.toThrow(
      new InputError(
        'roads.csv',
        'this looks like OSM XML (OpenStreetMap data): give it as the road network or the facilities.',
      ),
    );
    await expect(readTable(PBF, 'population.xlsx')).rejects.toThrow(
      'population.xlsx: this looks like OSM PBF (OpenStreetMap data), not a table: give it as the road network or the facilities.',
    );
    await expect(readFeatures(new TextEncoder().encode('id,name\n1,a\n'), 'town.osm.pbf')).rejects.toThrow(
      "town.osm.pbf: has the extension .pbf but is not OSM PBF: it starts with text 'id,name'.",
    );
  });

  it('reads OSM through readFeatures when asked for a layer', async () => {
    const read = await readFeatures(PBF, 'town.osm.pbf', { osm: { layer: 'network' } });
    expect(read.format).toBe('osm-pbf');
    expect(read.collection.features).toHaveLength(9);
    expect(read.osm?.excluded['highway=motorway']).toBe(1);
    expect(read.warnings.map((w) => w.code)).toEqual(['osm-ways-excluded']);
  });
});

/** The blob size of a BlobHeader (field 3), read without the reader under test. */
function blobSize(header: Uint8Array): number {
  let size = -1;
  let i = 0;
  while (i < header.length) {
    const key = header[i++]!;
    if (key === 0x0a) i += 1 + header[i]!;
    else if (key === 0x18) {
      size = 0;
      let shift = 0;
      for (;;) {
        const byte = header[i++]!;
        size += (byte & 0x7f) * 2 ** shift;
        shift += 7;
        if (byte < 0x80) break;
      }
    } else throw new Error(`unexpected key ${key}`);
  }
  return size;
}

describe("'ele' of road nodes", () => {
  it('becomes the z of the road positions, in metres; other values are not guessed at', async () => {
    const xml = toXml({
      nodes: [
        { id: 1, lon: 106.66, lat: 35.54, tags: { ele: '1350' } },
        { id: 2, lon: 106.661, lat: 35.54, tags: { ele: '1362.5 m' } },
        { id: 3, lon: 106.662, lat: 35.54, tags: { ele: '4400 ft' } },
        { id: 4, lon: 106.663, lat: 35.54 },
      ],
      ways: [{ id: 10, refs: [1, 2, 3, 4], tags: { highway: 'footway' } }],
    });
    const read = await readOsm(xml, 'hill.osm', network);
    expect(read.collection.features[0]?.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [106.66, 35.54, 1350],
        [106.661, 35.54, 1362.5],
        [106.662, 35.54],
        [106.663, 35.54],
      ],
    });
  });
});
