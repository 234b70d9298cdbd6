import { parseWalkerProfiles } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { guessRole } from './files.js';
import {
  embeddedFile,
  isShapefilePart,
  locateInFiles,
  readLoadedFile,
  redeclareCrs,
  rereadFile,
} from './formats.js';
import { parseJsonText } from './json.js';
import { embeddedOf, readEmbedded } from './loading.js';
import { gapClass, gapClasses, PALETTE, paletteIndex, shareClass, shareClasses } from './map/colours.js';
import { buildScenario, parseScenario } from './scenario.js';
import { NO_SITING_CONSTRAINTS, type SitingConstraints } from './worker/protocol.js';

const CONSTRAINED: SitingConstraints = {
  budget: 6,
  defaultCost: 2,
  minSpacingM: 300,
  minPerDistrict: 1,
  clipToStudyArea: true,
  excludedDrawn: [
    [
      [106.7, 35.5],
      [106.71, 35.5],
      [106.71, 35.51],
    ],
  ],
};

const view = {
  locale: 'en' as const,
  mode: 'type' as const,
  typeId: 'kindergarten',
  palette: 'cividis' as const,
  catchments: true,
  facilities: false,
  showAfter: true,
  center: [106.7, 35.54] as const,
  zoom: 13.5,
  basemap: null,
  profile: 'gb50180-2018',
  profileItem: 'kindergarten',
};

describe('scenario files', () => {
  it('round-trips inputs, options, view, proposals and the siting run', () => {
    const siting = {
      model: 'capacitated',
      typeId: 'kindergarten',
      k: 4,
      targetShare: 0.7,
      perCommunity: true,
      ratePer1000: 30,
      capacityPerSite: 180,
      exact: true,
      candidates: { kind: 'generated', spacingM: 120 },
      constraints: CONSTRAINED,
    } as const;
    const built = buildScenario({
      bundled: true,
      inputs: {
        communities: null,
        facilities: null,
        demand: null,
        districts: null,
        roads: { name: 'my-roads.geojson', data: { type: 'FeatureCollection', features: [] } },
        candidates: null,
        excluded: { name: 'no-build.geojson', data: { type: 'FeatureCollection', features: [] } },
        studyArea: null,
      },
      options: {
        radii: { kindergarten: 500 },
        types: [],
        includePlanned: true,
        gapThreshold: 0.6,
        distance: 'network',
      },
      view,
      proposals: { typeId: 'kindergarten', points: [[106.71, 35.541]] },
      siting,
    });
    const parsed = parseScenario(JSON.parse(JSON.stringify(built)));
    expect(parsed.bundled).toBe('pingliang');
    expect(parsed.options).toEqual({
      radii: { kindergarten: 500 },
      types: [],
      includePlanned: true,
      gapThreshold: 0.6,
      distance: 'network',
    });
    expect(parsed.inputs.roads?.name).toBe('my-roads.geojson');
    // Siting areas the user loaded travel in the file too, beside the bundled city.
    expect(parsed.inputs.excluded?.name).toBe('no-build.geojson');
    expect(parsed.inputs.studyArea).toBeNull();
    expect(parsed.view).toEqual({ ...view, center: [106.7, 35.54] });
    expect(parsed.proposals.points).toEqual([[106.71, 35.541]]);
    expect(parsed.siting).toEqual(siting);
  });

  it('keeps the walking settings (snap-to, snap-cost, walkers) and names the GeoTIFFs it does not carry', () => {
    const options = {
      radii: {},
      types: [],
      includePlanned: false,
      gapThreshold: 0.5,
      distance: 'network' as const,
      snapTo: 'min-share=0.05',
      snapCost: 'free' as const,
      walkers: { kindergarten: 'child', elderly_day_care_center: 'wheelchair', park: 'snail' },
      walkerFile: {
        name: 'walkers.json',
        profiles: parseWalkerProfiles({ walkers: [{ id: 'snail', flat_speed_kmh: 2 }] }).walkers,
      },
    };
    const missing = [
      { role: 'dem', name: 'dem.tif' },
      { role: 'populationRaster', name: 'worldpop.tif' },
    ];
    const built = buildScenario({
      bundled: true,
      inputs: {
        ...Object.fromEntries(
          ['communities', 'facilities', 'demand', 'districts', 'roads', 'candidates'].map((r) => [r, null]),
        ),
        excluded: null,
        studyArea: null,
      } as Parameters<typeof buildScenario>[0]['inputs'],
      options,
      view,
      proposals: { typeId: null, points: [] },
      siting: null,
      missing,
    });
    const parsed = parseScenario(JSON.parse(JSON.stringify(built)));
    expect(parsed.options).toEqual(options);
    expect(parsed.missing).toEqual(missing);
    // Settings the CLI would refuse are left out (core's defaults), never passed on.
    const odd = parseScenario({
      ...(built as object),
      options: {
        ...options,
        snapTo: 'min-share=7',
        snapCost: 'fly',
        walkers: { a: '<b>', __proto__: 'x' },
        walkerFile: { name: 'w.json', profiles: [{ id: 3 }] },
      },
    });
    expect(odd.options).toEqual({
      ...options,
      snapTo: undefined,
      snapCost: undefined,
      walkers: {},
      walkerFile: undefined,
    });
    expect('snapTo' in odd.options).toBe(false);
  });

  it('reads a file without siting constraints, or with ones out of range, as none', () => {
    const base = { format: 'lifecircle-scenario', version: 1, bundled: 'pingliang' };
    const siting = { model: 'mclp', typeId: 'kindergarten' };
    expect(parseScenario({ ...base, siting }).siting?.constraints).toEqual(NO_SITING_CONSTRAINTS);
    const wrong = {
      budget: -4,
      defaultCost: 0,
      minSpacingM: '300',
      minPerDistrict: -1,
      clipToStudyArea: 'yes',
      // Fewer than three corners, or corners that are not [lon, lat], make no area.
      excludedDrawn: [
        [
          [106.7, 35.5],
          [106.71, 35.5],
        ],
        'box',
        [
          [200, 35],
          [106, 95],
          ['1', 2],
        ],
      ],
    };
    expect(parseScenario({ ...base, siting: { ...siting, constraints: wrong } }).siting?.constraints).toEqual(
      NO_SITING_CONSTRAINTS,
    );
  });

  it('keeps only known, well-typed fields: nothing from the file is merged, evaluated or trusted', () => {
    const hostile = JSON.parse(
      '{"format":"lifecircle-scenario","version":1,"bundled":"pingliang","__proto__":{"polluted":true},' +
        '"options":{"radii":{"__proto__":5,"kindergarten":"500","clinic":-3,"school":800},"gapThreshold":7,"types":["a",{"x":1}]},' +
        '"view":{"locale":"<script>","mode":"eval(1)","basemap":"javascript:alert(1)","center":[1],"zoom":99},' +
        '"proposals":{"points":[[200,10],[106.7,35.5],"x"]},"siting":{"model":"mclp","typeId":"k","k":1e9,"candidates":{"kind":"given","points":[[1,2]],"labels":[{"toString":1}]}}}',
    );
    const s = parseScenario(hostile);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(s.options.radii)).toBe(Object.prototype);
    expect(s.options.radii).toEqual({ school: 800 });
    expect(s.options.gapThreshold).toBe(0.5);
    expect(s.options.types).toEqual(['a']);
    expect(s.view.locale).toBe('zh-CN');
    expect(s.view.mode).toBe('gaps-required');
    expect(s.view.palette).toBe('default');
    expect(s.view.basemap).toBeNull();
    expect(s.view.center).toBeNull();
    expect(s.view.zoom).toBeNull();
    expect(s.proposals.points).toEqual([[106.7, 35.5]]);
    expect(s.siting?.k).toBe(200);
    // Candidates as points (the first viewer's files) become an embedded candidates file.
    expect(s.siting?.candidates.kind).toBe('loaded');
    expect(s.inputs.candidates?.data).toEqual({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'C1' }, geometry: { type: 'Point', coordinates: [1, 2] } },
      ],
    });
    expect(s.view.profile).toBeNull();
    expect(s.options.distance).toBe('great-circle');
  });

  it('refuses files that are not scenarios, or of another version, with the reason', () => {
    expect(() => parseScenario({ type: 'FeatureCollection' })).toThrowError(/not a scenario file/);
    expect(() => parseScenario({ format: 'lifecircle-scenario', version: 2 })).toThrowError(
      /version 2 is not supported/,
    );
    expect(() => parseScenario({ format: 'lifecircle-scenario', version: 1 })).toThrowError(
      /neither the bundled city/,
    );
  });
});

describe('coordinate systems of loaded files', () => {
  const gcj02 = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { id: 'F-1' },
        geometry: { type: 'Point', coordinates: [106.6403, 35.5413] },
      },
    ],
  };
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer;
  const position = (value: unknown) =>
    (value as { features: { geometry: { coordinates: number[] } }[] }).features[0]!.geometry.coordinates;

  it('converts a file again from its features as read when a system is declared, and back', async () => {
    const read = await readLoadedFile('facilities.geojson', bytes(gcj02));
    expect(read.crs?.source).toBe('default');
    expect(position(read.value)).toEqual([106.6403, 35.5413]);
    const declared = redeclareCrs(read, 'gcj02');
    expect(declared.crs?.used.id).toBe('gcj02');
    const [lon, lat] = position(declared.value);
    // GCJ-02 lies a few hundred metres off WGS84 in China.
    const metres = Math.hypot(
      (lon! - 106.6403) * 111_320 * Math.cos((35.54 * Math.PI) / 180),
      (lat! - 35.5413) * 110_540,
    );
    expect(metres).toBeGreaterThan(100);
    expect(metres).toBeLessThan(800);
    expect(position(declared.source)).toEqual([106.6403, 35.5413]);
    expect(position(redeclareCrs(declared, null).value)).toEqual([106.6403, 35.5413]);
    // Reopened from a scenario's embedded copy, converted the same way.
    expect(position(embeddedFile('facilities.geojson', declared.source, null, 'gcj02').value)).toEqual([
      lon,
      lat,
    ]);
  });

  it('reopens a file as the input it was dropped as, with its named columns, in its declared system', async () => {
    // An id-less AMap-style table of facilities in GCJ-02 whose type column the user named.
    const table = new TextEncoder().encode('名字,类别,location\n甲,kindergarten,"106.6403,35.5413"\n')
      .buffer as ArrayBuffer;
    const dropped = await readLoadedFile('设施.csv', table, new Map(), { kind: 'facilities' });
    const read = redeclareCrs(await rereadFile(dropped, { columns: { typeColumn: '类别' } }), 'gcj02');
    const shown = (read.value as { features: { properties: Record<string, unknown> }[] }).features[0]!;
    expect(shown.properties).toMatchObject({ id: '设施.csv#2', type: 'kindergarten' });
    const saved = JSON.parse(JSON.stringify(embeddedOf(read)));
    const communities = { name: 'c.geojson', data: { type: 'FeatureCollection', features: [] } };
    const scenario = parseScenario({
      format: 'lifecircle-scenario',
      version: 1,
      inputs: { communities, facilities: saved },
    });
    const reopened = readEmbedded(scenario.inputs.facilities!, 'facilities');
    expect(reopened.choices).toMatchObject({ kind: 'facilities', columns: { typeColumn: '类别' } });
    expect(reopened.value).toEqual(read.value);
    // A column chosen afterwards keeps the kind: ids are still made up, not lost to 'other'.
    const renamed = await rereadFile(reopened, { columns: { nameColumn: '名字', typeColumn: '类别' } });
    expect(
      (renamed.value as { features: { properties: Record<string, unknown> }[] }).features[0]!.properties,
    ).toMatchObject({ id: '设施.csv#2', name: '甲', type: 'kindergarten' });
  });

  it("holds metres read as degrees with io's message, and throws a declaration io cannot read", async () => {
    const metres = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [36378479, 3935329] } },
      ],
    };
    const read = await readLoadedFile('communities.geojson', bytes(metres));
    expect(read.crsError).toContain('cgcs2000-gk3-36');
    expect(read.crs).toBeNull();
    const declared = redeclareCrs(read, 'EPSG:4524');
    expect(declared.crsError).toBeNull();
    expect(declared.crs?.used.id).toBe('EPSG:4524');
    expect(() => redeclareCrs(read, 'no-such-system')).toThrow(/no-such-system/);
  });

  it("keeps a scenario's declared and file systems, checked and copied", () => {
    const scenario = parseScenario({
      format: 'lifecircle-scenario',
      version: 1,
      bundled: null,
      inputs: {
        communities: {
          name: 'c.shp',
          data: { type: 'FeatureCollection', features: [] },
          crs: { file: { source: 'prj', wkt: 'PROJCS["x"]', extra: 1 }, declared: 'EPSG:4524' },
        },
        facilities: {
          name: 'f.geojson',
          data: { type: 'FeatureCollection', features: [] },
          crs: { declared: 7 },
        },
      },
    });
    expect(scenario.inputs.communities?.crs).toEqual({
      file: { source: 'prj', wkt: 'PROJCS["x"]' },
      declared: 'EPSG:4524',
    });
    expect(scenario.inputs.facilities?.crs).toBeUndefined();
  });
});

describe('file roles', () => {
  const fc = (features: object[]) => ({ type: 'FeatureCollection', features });
  const poly = {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
    ],
  };
  const pt = { type: 'Point', coordinates: [0, 0] };
  it('goes by name first, then by content', () => {
    expect(guessRole('my-communities.geojson', fc([]))).toBe('communities');
    expect(guessRole('设施点.geojson', fc([]))).toBe('facilities');
    expect(
      guessRole('a.geojson', fc([{ type: 'Feature', properties: { population: 5 }, geometry: poly }])),
    ).toBe('communities');
    expect(
      guessRole('a.geojson', fc([{ type: 'Feature', properties: { type: '幼儿园' }, geometry: pt }])),
    ).toBe('facilities');
    expect(
      guessRole(
        'a.geojson',
        fc([{ type: 'Feature', properties: { population: 5, community_id: 'x' }, geometry: pt }]),
      ),
    ).toBe('demand');
    expect(guessRole('a.geojson', fc([{ type: 'Feature', properties: { name: 'x' }, geometry: poly }]))).toBe(
      'districts',
    );
    expect(
      guessRole(
        'a.geojson',
        fc([
          {
            type: 'Feature',
            properties: { highway: 'primary' },
            geometry: { type: 'LineString', coordinates: [] },
          },
        ]),
      ),
    ).toBe('roads');
    expect(guessRole('a.geojson', fc([{ type: 'Feature', properties: {}, geometry: pt }]))).toBe(
      'candidates',
    );
    expect(guessRole('whatever.json', { format: 'lifecircle-scenario' })).toBe('scenario');
    expect(guessRole('a.json', [1, 2])).toBeNull();
  });

  it('names the line and column of a JSON syntax error', () => {
    expect(() => parseJsonText('{\n  "a": 1,\n  "b": }', 'x.geojson')).toThrowError(
      'x.geojson: is not valid JSON at line 3, column 8: value expected (found "}"). Expected a GeoJSON FeatureCollection.',
    );
    expect(() => parseJsonText('  ', 'x.geojson')).toThrowError('x.geojson is empty.');
  });
});

describe('colour scales', () => {
  it('gives each gap count up to 7 its own class, and groups more', () => {
    const seven = gapClasses(7);
    expect(seven.classes).toHaveLength(8);
    expect(gapClass(0, seven.upper)).toBe(0);
    expect(gapClass(7, seven.upper)).toBe(7);
    const many = gapClasses(17);
    expect(many.classes.length).toBeLessThanOrEqual(8);
    expect(many.upper[many.upper.length - 1]).toBe(17);
    expect(gapClass(17, many.upper)).toBe(many.upper.length - 1);
  });

  it('splits the covered share at the gap threshold, reds below and blues above', () => {
    const { breaks, classes } = shareClasses(0.6, (v) => `${Math.round(v * 100)}%`);
    expect(breaks).toContain(0.6);
    const below = shareClass(0.59, breaks);
    const above = shareClass(0.6, breaks);
    expect(classes[below]!.label).toBe('50%–60%');
    expect(classes[above]!.label).toBe('60%–75%');
    expect(shareClass(1, breaks)).toBe(classes.length - 1);
    expect(shareClass(0, breaks)).toBe(0);
  });

  it('has every scale colour in the fixed palette', () => {
    for (const c of [
      ...gapClasses(7).classes,
      ...gapClasses(17).classes,
      ...shareClasses(0.5, String).classes,
    ]) {
      expect(PALETTE[paletteIndex(c.colour)]).toBe(c.colour);
    }
  });
});

describe('reading other formats through @lifecircle/io', () => {
  const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

  it('reads a CSV of points, lists the rows it rejects, and points later problems at their rows', async () => {
    const csv =
      'id,type,name,经度,纬度\nF-1,幼儿园,甲,106.66,35.54\nF-2,托育,乙,abc,35.5\nF-3,托育,丙,106.67,35.541\n';
    const read = await readLoadedFile('facilities.csv', encode(csv));
    const value = read.value as { features: { properties: { id: string } }[] };
    expect(value.features.map((f) => f.properties.id)).toEqual(['F-1', 'F-3']);
    expect(JSON.parse(new TextDecoder().decode(read.bytes))).toEqual(read.value);
    expect(read.rejected).toEqual([
      expect.objectContaining({ file: 'facilities.csv', row: 3, id: 'F-2', field: '经度' }),
    ]);
    expect(read.convertedFrom).toBeNull();
    // Core's rejection of the second feature (F-3) is the file's third record, on row 4.
    const located = locateInFiles(
      [{ file: 'facilities.csv', index: 1, id: 'F-3', field: 'type', reason: 'x' }],
      [read],
    );
    expect(located).toEqual([
      { file: 'facilities.csv', index: 2, row: 4, id: 'F-3', field: 'type', reason: 'x' },
    ]);
  });

  it("names the file of a workbook it cannot read, with io's advice", async () => {
    await expect(readLoadedFile('设施.xlsx', encode('PK'))).rejects.toThrowError(/设施\.xlsx: .*XLSX/);
  });

  it("reads a shapefile's parts with it, not as files of their own", () => {
    const batch = ['roads.shp', 'roads.dbf', 'ROADS.prj', 'other.dbf'];
    expect(batch.filter((name) => !isShapefilePart(name, batch))).toEqual(['roads.shp', 'other.dbf']);
  });
});
