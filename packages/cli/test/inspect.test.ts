// `lifecircle inspect` end to end: AMap-shaped exports of the same kindergartens in WGS84 and in GCJ-02
// (fixtures/crs/generate-amap.ts) against the bundled city's roads, and the offset test wired into
// analyze's reading when --network is given.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, scratchDir } from './harness.js';

const ROADS = join(ROOT, 'fixtures', 'pingliang', 'roads.geojson');
const COMMUNITIES = join(ROOT, 'fixtures', 'pingliang', 'communities.geojson');
const AMAP_WGS84 = join(ROOT, 'fixtures', 'crs', 'amap-kindergartens-wgs84.csv');
const AMAP_GCJ02 = join(ROOT, 'fixtures', 'crs', 'amap-kindergartens-gcj02.csv');
const OSM_TOWN = join(ROOT, 'fixtures', 'osm', 'town.osm');
// An extract cut for driving: no facility tags, one footway among roads walkers may not use.
const OSM_DRIVE = join(ROOT, 'fixtures', 'trial', '驾车路网.osm');
const OSM_DRIVE_PBF = join(ROOT, 'fixtures', 'trial', '驾车路网.osm.pbf');

type Json = Record<string, unknown>;

describe('lifecircle inspect --json', () => {
  it('finds the GCJ-02 export GCJ-02 and the converted one WGS84, with the figures of each reading', async () => {
    const r = await runCli(['inspect', AMAP_WGS84, AMAP_GCJ02, '--network', ROADS, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { network: Json; files: Json[] };
    expect(json.network).toMatchObject({
      file: ROADS,
      crs: { used: { id: 'EPSG:4326' }, source: 'default' },
    });
    const [wgs, gcj] = json.files as [Json, Json];
    for (const f of [wgs, gcj]) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          'file',
          'format',
          'encoding',
          'crs',
          'columns',
          'features',
          'bbox',
          'offset_test',
        ]),
      );
      expect(f).toMatchObject({
        format: 'csv',
        encoding: 'utf-8',
        crs: {
          read: null,
          declared: null,
          detected: null,
          used: { id: 'EPSG:4326' },
          source: 'default',
          converted: false,
        },
        // AMap's one `lng,lat` column, and the attributes io's column roles found.
        columns: [
          { role: 'position', column: 'location', source: 'detected' },
          { role: 'name', column: 'name', source: 'detected' },
          { role: 'type', column: 'type', source: 'detected' },
          { role: 'district', column: 'adname', source: 'detected' },
        ],
        features: { read: 60, rejected: 0 },
      });
      const bbox = f.bbox as number[];
      expect(bbox).toHaveLength(4);
      expect(bbox[0]).toBeLessThan(bbox[2]!);
      expect(bbox[1]).toBeLessThan(bbox[3]!);
    }
    // The generator puts each kindergarten 3–15 m off a street in WGS84: that reading's median lies in
    // that range, and the GCJ-02 file's converted reading reproduces it.
    const wt = wgs.offset_test as Json;
    const gt = gcj.offset_test as Json;
    expect(wt).toMatchObject({ points: 60, better: 'as-read' });
    expect(gt).toMatchObject({ points: 60, better: 'gcj02' });
    expect(wt.as_read_median_m).toBeGreaterThanOrEqual(3);
    expect(wt.as_read_median_m).toBeLessThanOrEqual(15);
    expect(gt.as_gcj02_median_m).toBeCloseTo(wt.as_read_median_m as number, 0);
    for (const [t, best] of [
      [wt, 'as_read_median_m'],
      [gt, 'as_gcj02_median_m'],
    ] as const) {
      for (const other of ['as_read_median_m', 'as_gcj02_median_m', 'as_bd09_median_m'].filter(
        (k) => k !== best,
      )) {
        expect(t[other] as number).toBeGreaterThanOrEqual(2 * (t[best] as number));
      }
    }
    // A WGS84 AMap-shaped file gets no advice to convert, and no question either: the test answered it.
    // (Besides io's note that ids were made from row numbers: the export has no id column.)
    const codes = (f: Json) =>
      (f.warnings as { code: string }[]).map((w) => w.code).filter((c) => c !== 'ids-generated');
    expect(codes(wgs)).toEqual([]);
    expect(codes(gcj)).toEqual(['coordinates-offset']);
    expect(
      (gcj.warnings as { code: string; message: string }[]).find((w) => w.code === 'coordinates-offset')!
        .message,
    ).toMatch(
      /its 60 points lie \d+(\.\d)? m \(median\) from the roads of .*roads\.geojson as GCJ-02 .*against \d+(\.\d)? m as read: the coordinates look GCJ-02; give --input-crs gcj02/,
    );
  });

  it('declared GCJ-02 with --input-crs, the export reads as WGS84 and the test agrees', async () => {
    const r = await runCli(['inspect', AMAP_GCJ02, '--network', ROADS, '--input-crs', 'gcj02', '--json']);
    expect(r.code).toBe(0);
    const [f] = (JSON.parse(r.out) as { files: Json[] }).files as [Json];
    expect(f.crs).toMatchObject({
      declared: 'gcj02',
      used: { id: 'gcj02' },
      source: 'default-option',
      converted: true,
    });
    expect(f.offset_test).toMatchObject({ better: 'as-read' });
    expect((f.warnings as { code: string }[]).map((w) => w.code)).toEqual(['ids-generated']);
  });

  it('without --network: no test, and the AMap fields together only raise the question', async () => {
    const r = await runCli(['inspect', AMAP_WGS84, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { network: null; files: Json[] };
    expect(json.network).toBeNull();
    const [f] = json.files as [Json];
    expect(f.offset_test).toBeNull();
    expect((f.warnings as { code: string }[]).filter((w) => w.code !== 'ids-generated')).toEqual([
      {
        code: 'coordinates-gcj02',
        file: AMAP_WGS84,
        message: expect.stringContaining(
          'the fields adname and typecode together are those of an AMap (高德) export: are its coordinates GCJ-02',
        ),
      },
    ]);
  });

  it('too few points inside the network: the test does not decide', async () => {
    const r = await runCli(['inspect', OSM_TOWN, '--network', ROADS, '--json']);
    expect(r.code).toBe(0);
    const [f] = (JSON.parse(r.out) as { files: Json[] }).files as [Json];
    expect(f).toMatchObject({ format: 'osm-xml', features: { read: 5, rejected: 0 } });
    // Positions come from the geometry: no position column.
    expect((f.columns as { role: string }[]).map((c) => c.role)).not.toContain('position');
    expect(f.offset_test).toMatchObject({
      better: null,
      reason: expect.stringMatching(/the test needs at least 20/),
    });
  });
});

describe('lifecircle inspect (text)', () => {
  it('prints one block per file with the figures and the verdict', async () => {
    const r = await runCli(['inspect', AMAP_GCJ02, '--network', ROADS]);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`Offset test reference: ${ROADS} (WGS 84), taken to be in WGS84`);
    expect(lines).toContain(AMAP_GCJ02);
    expect(lines).toContain('  format       CSV, utf-8');
    expect(lines).toContain('  coordinates  file declares: nothing; option: none; detected: nothing');
    expect(lines).toContain('               read as WGS 84 (EPSG:4326, the default: nothing declares one)');
    expect(lines).toContain(
      '  columns      position location (detected), name name (detected), type type (detected), district adname (detected)',
    );
    expect(lines).toContain('  features     60 read, 0 rejected');
    expect(r.out).toMatch(
      /\n {2}bbox {9}[\d.]+, [\d.]+, [\d.]+, [\d.]+ \(west, south, east, north; WGS84\)\n/,
    );
    expect(r.out).toMatch(
      /\n {2}offset test {2}60 points, median distance to the roads: as read [\d.]+ m, as GCJ-02 [\d.]+ m, as BD-09 [\d.]+ m\n {15}better: as GCJ-02 \(gcj02\) \(/,
    );
    expect(r.out).toMatch(/\nwarning: .*amap-kindergartens-gcj02\.csv \(geometry\): its 60 points lie/);
  });

  it('says how to run the test when no network is given', async () => {
    const r = await runCli(['inspect', AMAP_WGS84]);
    expect(r.out).toContain('  offset test  not run: give --network ROADS (roads known in WGS84) to run it');
  });

  it('needs a file: a usage error, exit 2', async () => {
    const r = await runCli(['inspect', '--network', ROADS]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('lifecircle inspect: give one or more files to inspect');
  });

  it('a missing file names it, exit 1', async () => {
    const r = await runCli(['inspect', join(ROOT, 'no-such-file.csv')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no-such-file.csv');
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

/** `analyze --json` of the communities' kindergartens on the roads, with the facilities and more in `args`. */
const analyzeOnRoads = (...args: string[]) =>
  runCli([
    'analyze',
    '--communities',
    COMMUNITIES,
    '--network',
    ROADS,
    '--types',
    'kindergarten',
    '--json',
    '--quiet',
    ...args,
  ]);

describe('the offset test in analyze --network', () => {
  const analyze = async (...args: string[]) => {
    const r = await analyzeOnRoads(...args);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.out) as Json;
  };

  it('warns with the figures when undeclared facilities fit clearly better as GCJ-02, and records every test', async () => {
    const s = await analyze('--facilities', AMAP_GCJ02);
    const tests = (s.crs as { offset_tests: Json[] }).offset_tests;
    expect(tests.map((t) => [t.file, t.role, t.network])).toEqual([
      [COMMUNITIES, 'communities', ROADS],
      [AMAP_GCJ02, 'facilities', ROADS],
    ]);
    expect(tests[1]).toMatchObject({ points: 60, better: 'gcj02' });
    const warnings = s.warnings as { code: string; file: string; message: string }[];
    const offset = warnings.filter((w) => w.code === 'coordinates-offset');
    expect(offset).toHaveLength(1);
    expect(offset[0]).toMatchObject({ file: AMAP_GCJ02 });
    expect(offset[0]!.message).toContain('give --facilities-crs gcj02');
    // The evidence answered the question the AMap fields raise.
    expect(warnings.filter((w) => w.code === 'coordinates-gcj02')).toEqual([]);
  });

  it('a WGS84 AMap-shaped file: no conversion advice, and no question', async () => {
    const s = await analyze('--facilities', AMAP_WGS84);
    const tests = (s.crs as { offset_tests: Json[] }).offset_tests;
    expect(tests.find((t) => t.file === AMAP_WGS84)).toMatchObject({ better: 'as-read' });
    const codes = (s.warnings as { code: string }[]).map((w) => w.code);
    expect(codes).not.toContain('coordinates-offset');
    expect(codes).not.toContain('coordinates-gcj02');
  });

  it('declared facilities are not tested', async () => {
    const s = await analyze('--facilities', AMAP_GCJ02, '--facilities-crs', 'gcj02');
    const tests = (s.crs as { offset_tests?: Json[] }).offset_tests ?? [];
    expect(tests.map((t) => t.file)).not.toContain(AMAP_GCJ02);
    expect((s.warnings as { code: string }[]).map((w) => w.code)).not.toContain('coordinates-offset');
  });
});

describe('the offset test of a demand file read as a stream', () => {
  const { file } = scratchDir('inspect-stream');
  // The GCJ-02 kindergartens' positions as demand points, after 4,000 lines (over 256 KB) of points in
  // one place 20 km from the roads: a test of the first lines alone has nothing inside the network.
  const positions = readFileSync(AMAP_GCJ02, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => /"([\d.]+),([\d.]+)"/.exec(line)!.slice(1, 3).map(Number) as [number, number]);
  const line = (lon: number, lat: number) =>
    JSON.stringify({
      type: 'Feature',
      properties: { population: 1, note: 'a point far from the roads, padded to a real line length' },
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
  const far = Array.from({ length: 4000 }, (_, i) => line(106.95 + (i % 50) * 1e-4, 35.75));
  const demand = file(
    'far-first.geojsonl',
    `${[...far, ...positions.map(([x, y]) => line(x, y))].join('\n')}\n`,
  );

  it('weighs the whole file, as reading it whole does', async () => {
    expect(readFileSync(demand).length).toBeGreaterThan(256 << 10);
    const run = async (...extra: string[]) => {
      const r = await analyzeOnRoads('--facilities', AMAP_WGS84, '--demand', demand, ...extra);
      expect(r.code, r.err).toBe(0);
      const tests = ((JSON.parse(r.out) as Json).crs as { offset_tests: Json[] }).offset_tests;
      return tests.find((t) => t.file === demand);
    };
    const streamed = await run();
    expect(streamed).toMatchObject({ role: 'demand', points: 60, better: 'gcj02' });
    // A column option makes the file be read whole, as features.
    expect(await run('--encoding', 'demand=utf-8')).toEqual(streamed);
  });
});

describe('lifecircle inspect on an OpenStreetMap extract', () => {
  const { write } = scratchDir('inspect-osm');
  it('says an extract without facility tags is a walking network input, with its ways and nodes', async () => {
    const r = await runCli(['inspect', OSM_DRIVE, OSM_DRIVE_PBF]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const file of [OSM_DRIVE, OSM_DRIVE_PBF]) {
      const block = r.out.slice(r.out.indexOf(`${file}\n`));
      expect(block).toContain(
        '  use as       --network (walking network: 1 walkable way, 2 nodes where they meet or end, 1 edge)\n' +
          '               not --facilities: no element with facility tags',
      );
      expect(block).toContain('  features     1 read (walkable ways), 0 rejected');
    }
    // The ways left out (a motorway, a road with foot=no) are named, as when it is read as --network.
    expect(r.out).toContain(
      '2 ways with a highway tag left out of the walking network: foot=no 1, highway=motorway 1',
    );
  });

  it('--json gives both uses of an extract with facilities and roads', async () => {
    const r = await runCli(['inspect', OSM_TOWN, OSM_DRIVE, '--json']);
    expect(r.code).toBe(0);
    const [town, drive] = (JSON.parse(r.out) as { files: Json[] }).files as [Json, Json];
    expect(town.osm).toEqual({ facilities: 5, network: { ways: 9, nodes: 10, edges: 10 } });
    expect(town.features).toEqual({ read: 5, rejected: 0 });
    expect(drive.osm).toEqual({ facilities: 0, network: { ways: 1, nodes: 2, edges: 1 } });
  });

  it("a file that is neither gets the facilities reading's message, and no other file has osm", async () => {
    const empty = write(
      'empty.osm',
      '<?xml version="1.0"?>\n<osm version="0.6"><node id="1" lat="35.5" lon="106.6"/></osm>\n',
    );
    const r = await runCli(['inspect', empty]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('has no element with facility tags');
    const csv = await runCli(['inspect', AMAP_WGS84, '--json']);
    expect((JSON.parse(csv.out) as { files: Json[] }).files[0]).not.toHaveProperty('osm');
  });
});
