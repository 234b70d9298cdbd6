// The files panel for given reads: each file with its coordinate system and the control to declare
// another, files held until declared, and the problems in the data (reader's and core's rejections,
// warnings). Reads are real (formats.ts through @lifecircle/io).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type ReadFile, readLoadedFile, rereadFile } from '../formats.js';
import { I18n } from '../ui/i18n.js';
import { analysisFinished, initialViewState, type ViewState } from '../view/state.js';
import { type TestCity, testCity } from '../view/test-city.js';
import { byTestId, change, one } from '../view/test-dom.js';
import type { InputRole } from '../worker/protocol.js';
import { oneFile, renderFilesPanel } from './test-files.js';

const en = new I18n('en');
const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
// happy-dom's URL is not Node's, so the fixtures are found by path.
const FORMATS = join(import.meta.dirname, '../../../../fixtures/formats');
const bytesOf = (name: string) => {
  const data = readFileSync(join(FORMATS, name));
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
};
let city: TestCity;
let analysed: ViewState;
let csv: ReadFile;
let metres: ReadFile;

beforeAll(async () => {
  city = await testCity();
  analysed = analysisFinished(initialViewState(), city.analysis, city.options, 'Ready');
  csv = await readLoadedFile(
    'facilities.csv',
    encode('id,type,lon,lat\nf1,kindergarten,106.66,35.54\nf2,kindergarten,abc,35.55\n'),
  );
  metres = await readLoadedFile('gk.csv', encode('id,type,x,y\n1,kindergarten,36378479,3935329\n'));
});

describe('files panel', () => {
  it('lists the loaded files with their feature counts, and says when the bundled city is shown', () => {
    const el = renderFilesPanel(analysed, en, {
      loaded: [{ role: 'communities', name: 'communities.geojson', features: 457 }],
      bundled: true,
    });
    const items = byTestId(el, 'file-list')[0]!.querySelectorAll('li');
    expect(items).toHaveLength(1);
    expect(items[0]!.textContent).toBe(`communities communities.geojson (${en.int(457)})`);
    expect(el.textContent).toContain(en.t('syntheticNote'));
  });

  it("shows a read file's coordinate system, declares another from the menu or typed, and lists its rejected rows", () => {
    const declareCrs = vi.fn();
    const reads = new Map<InputRole, ReadFile>([['facilities', csv]]);
    const el = renderFilesPanel(
      initialViewState(),
      en,
      { loaded: [{ role: 'facilities', name: 'facilities.csv', features: 1 }], reads },
      { declareCrs },
    );
    expect(one(el, 'crs-status-facilities').textContent).toBe(en.t('crsDefault'));
    change(one(el, 'crs-select-facilities'), 'gcj02');
    const typed = one(el, 'crs-input-facilities') as HTMLInputElement;
    typed.value = ' EPSG:4490 ';
    one(el, 'crs-apply-facilities').click();
    typed.value = '';
    typed.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(declareCrs.mock.calls).toEqual([
      ['facilities', 'gcj02'],
      ['facilities', 'EPSG:4490'],
      ['facilities', null],
    ]);
    expect(one(el, 'rejected-count').textContent).toBe(en.t('rejected', { n: 1 }));
    expect(el.querySelector('.rejected')?.textContent ?? el.textContent).toContain('facilities.csv');
  });

  it('holds a file whose coordinates contradict its system, marked not loaded, with the control', () => {
    expect(metres.crsError).not.toBeNull();
    const el = renderFilesPanel(initialViewState(), en, { unconverted: new Map([['facilities', metres]]) });
    expect(one(el, 'unconverted-file').textContent).toContain(`gk.csv — ${en.t('crsNotLoaded')}`);
    expect(one(el, 'crs-status-facilities').textContent).toBe(en.t('crsUnusable'));
  });

  it("a GeoTIFF has a coordinate-system menu; one whose GeoKeys name no system waits with io's message", () => {
    const declareRasterCrs = vi.fn();
    const raster = { name: 'pop.tif', file: new Blob([]), guess: null, crs: null };
    const el = renderFilesPanel(
      initialViewState(),
      en,
      {
        loaded: [{ role: 'populationRaster', name: 'pop.tif', features: 0 }],
        rasters: new Map([['populationRaster', raster]]),
        rasterWithoutCrs: { name: 'gk.tif', message: 'gk.tif: has no EPSG code in its GeoKeys' },
      },
      { declareRasterCrs },
    );
    expect(one(el, 'crs-status-populationRaster').textContent).toBe(en.t('crsRasterOwn'));
    change(one(el, 'crs-select-populationRaster'), 'cgcs2000-gk3');
    expect(declareRasterCrs).toHaveBeenLastCalledWith('populationRaster', 'cgcs2000-gk3');
    change(one(el, 'crs-select-populationRaster'), '');
    expect(declareRasterCrs).toHaveBeenLastCalledWith('populationRaster', null);
    // The waiting raster: not loaded, io's message, and a typed system applied to it.
    const waiting = one(el, 'raster-without-crs');
    expect(waiting.textContent).toContain(`gk.tif — ${en.t('crsNotLoaded')}`);
    expect(waiting.textContent).toContain('has no EPSG code in its GeoKeys');
    const typed = one(el, 'crs-input-raster') as HTMLInputElement;
    typed.value = 'EPSG:4545';
    one(el, 'crs-apply-raster').click();
    expect(declareRasterCrs).toHaveBeenLastCalledWith(null, 'EPSG:4545');
    // Declared, the menu says so.
    const declared = renderFilesPanel(initialViewState(), en, {
      loaded: [{ role: 'dem', name: 'dem.tif', features: 0 }],
      rasters: new Map([['dem', { ...raster, name: 'dem.tif', crs: 'EPSG:4545' }]]),
    });
    expect(one(declared, 'crs-status-dem').textContent).toBe(en.t('crsDeclared', { crs: 'EPSG:4545' }));
    expect((one(declared, 'crs-input-dem') as HTMLInputElement).value).toBe('EPSG:4545');
  });

  it('shows no problems heading when there are none', () => {
    const el = renderFilesPanel(analysed, en);
    expect(el.querySelector('h3')).toBeNull();
    expect(byTestId(el, 'warnings')).toHaveLength(0);
  });

  it("offers a workbook's sheets in the layer menu, and asks for the one chosen", async () => {
    const xlsx = await readLoadedFile('facilities.xlsx', bytesOf('points.xlsx'), new Map(), {
      kind: 'facilities',
    });
    const chooseReading = vi.fn();
    const el = renderFilesPanel(initialViewState(), en, oneFile('facilities', xlsx), { chooseReading });
    const menu = one(el, 'layer-select-facilities') as HTMLSelectElement;
    expect([...menu.options].map((o) => o.value)).toEqual(['设施', '说明']);
    expect(menu.value).toBe('设施');
    change(menu, '说明');
    expect(chooseReading).toHaveBeenCalledWith('facilities', { layer: '说明' });
  });

  it("a column picker per file defaults to io's detected columns; choosing one asks for it, and back", async () => {
    const read = await readLoadedFile(
      '社区.csv',
      encode('社区代码,名称,常住人口,人数,lon,lat\nA,甲,10,11,106.6,35.5\n'),
      new Map(),
      { kind: 'communities', columns: { householdsColumn: '人数' } },
    );
    const chooseReading = vi.fn();
    const el = renderFilesPanel(initialViewState(), en, oneFile('communities', read), { chooseReading });
    const population = one(el, 'column-communities-population') as HTMLSelectElement;
    expect(population.value).toBe('');
    expect(population.options[0]!.textContent).toBe(en.t('columnDetected', { column: '常住人口' }));
    expect([...population.options].slice(1).map((o) => o.value)).toEqual([
      '社区代码',
      '名称',
      '常住人口',
      '人数',
    ]);
    expect((one(el, 'column-communities-households') as HTMLSelectElement).value).toBe('人数');
    change(population, '人数');
    expect(chooseReading).toHaveBeenLastCalledWith('communities', {
      columns: { householdsColumn: '人数', populationColumn: '人数' },
    });
    change(one(el, 'column-communities-households'), '');
    expect(chooseReading).toHaveBeenLastCalledWith('communities', { columns: {} });
    // Facilities get the roles core reads from facilities.
    expect(byTestId(el, 'column-communities-type')).toHaveLength(0);
  });

  it("a table's position menus default to io's detection and name lon/lat or one lng,lat or WKT column", async () => {
    // An AMap export: no lon/lat columns, so io reads the location column; a WKT column beside it.
    const amap = await readLoadedFile('幼儿园.csv', bytesOf('amap/幼儿园.csv'), new Map(), {
      kind: 'facilities',
    });
    const chooseReading = vi.fn();
    const el = renderFilesPanel(initialViewState(), en, oneFile('facilities', amap), { chooseReading });
    const lon = one(el, 'position-facilities-lon') as HTMLSelectElement;
    const position = one(el, 'position-facilities-one') as HTMLSelectElement;
    expect(lon.options[0]!.textContent).toBe(en.t('columnNone'));
    expect(position.value).toBe('');
    expect(position.options[0]!.textContent).toBe(en.t('columnDetected', { column: 'location' }));
    // Every column of the table is offered, the position column included (it is no property).
    expect([...position.options].map((o) => o.value)).toContain('location');
    expect(amap.headers).not.toContain('location');
    change(position, 'address');
    expect(chooseReading).toHaveBeenLastCalledWith('facilities', {
      coordinates: { positionColumn: 'address' },
    });
    change(lon, 'typecode');
    expect(chooseReading).toHaveBeenLastCalledWith('facilities', { coordinates: { lonColumn: 'typecode' } });
    // Lon/lat detected in a table that has both kinds; the one WKT column chosen reads it again.
    const both = await readLoadedFile(
      'wkt.csv',
      encode('id,type,lon,lat,wkt\nf1,kindergarten,1,2,POINT (106.6 35.5)\n'),
      new Map(),
      { kind: 'facilities' },
    );
    const bothEl = renderFilesPanel(initialViewState(), en, oneFile('facilities', both));
    expect((one(bothEl, 'position-facilities-lat') as HTMLSelectElement).options[0]!.textContent).toBe(
      en.t('columnDetected', { column: 'lat' }),
    );
    const wkt = await rereadFile(both, { coordinates: { positionColumn: 'wkt' } });
    expect((wkt.value as { features: { geometry: unknown }[] }).features[0]!.geometry).toEqual({
      type: 'Point',
      coordinates: [106.6, 35.5],
    });
    expect(wkt.positions?.used).toEqual({ kind: 'wkt', column: 'wkt' });
    // Read again from the bytes, the file keeps the kind it was dropped as and its other choices.
    expect(wkt.choices.kind).toBe('facilities');
    expect(wkt.headers).toEqual(['id', 'type', 'lon', 'lat']);
    const wktEl = renderFilesPanel(initialViewState(), en, oneFile('facilities', wkt));
    expect((one(wktEl, 'position-facilities-one') as HTMLSelectElement).value).toBe('wkt');
  });

  it('an OpenStreetMap file says where it was clipped while read and what was kept, and offers another clip', async () => {
    const osm = readFileSync(join(FORMATS, '../osm/town.osm'));
    const read = await readLoadedFile(
      'town.osm',
      osm.buffer.slice(osm.byteOffset, osm.byteOffset + osm.byteLength) as ArrayBuffer,
      new Map(),
      { osm: 'network', osmClip: { source: 'box', bbox: [106.659, 35.5395, 106.6645, 35.5435] } },
    );
    const chooseOsmClip = vi.fn();
    const el = renderFilesPanel(initialViewState(), en, oneFile('roads', read), { chooseOsmClip });
    expect(one(el, 'osm-clip-status-roads').textContent).toBe(
      `Clipped while reading to the box 106.659,35.5395,106.6645,35.5435: 14 of ${read.osm!.nodes} nodes kept, ${read.osm!.clipped} ways or relations cut at the edge.`,
    );
    expect((one(el, 'osm-clip-roads') as HTMLSelectElement).value).toBe('box');
    expect((one(el, 'osm-clip-box-roads') as HTMLInputElement).value).toBe(
      '106.659,35.5395,106.6645,35.5435',
    );
    change(one(el, 'osm-clip-roads'), 'none');
    expect(chooseOsmClip).toHaveBeenLastCalledWith('roads', 'none', '');
    (one(el, 'osm-clip-box-roads') as HTMLInputElement).value = '106.6,35.5,106.7,35.6';
    (one(el, 'osm-clip-apply-roads') as HTMLButtonElement).click();
    expect(chooseOsmClip).toHaveBeenLastCalledWith('roads', 'box', '106.6,35.5,106.7,35.6');
    // Other files have no clip control.
    expect(
      byTestId(renderFilesPanel(initialViewState(), en, oneFile('facilities', csv)), 'osm-clip-facilities'),
    ).toHaveLength(0);
  });

  it('a file without ids: the picker and the warning say ids were made up, naming the picker, never a CLI flag', async () => {
    const read = await readLoadedFile(
      '幼儿园.csv',
      encode('type,name,lon,lat\nkindergarten,甲,106.6,35.5\nkindergarten,乙,106.7,35.5\n'),
      new Map(),
      { kind: 'facilities' },
    );
    const el = renderFilesPanel(initialViewState(), en, oneFile('facilities', read, 2));
    expect((one(el, 'column-facilities-id') as HTMLSelectElement).options[0]!.textContent).toBe(
      en.t('columnIdsMadeUp'),
    );
    expect(one(el, 'warnings').textContent).toContain('幼儿园.csv#2');
    expect(one(el, 'warnings').textContent).toContain("the id menu of the file's column picker");
  });
});

describe('io messages as the viewer shows them', () => {
  // Files whose reading raises each of io's option hints: ambiguous columns, made-up ids, a workbook of
  // two sheets, coordinates in metres, a named column the file lacks, no coordinate columns.
  it('no rendered message or error names a CLI flag', async () => {
    const reads: [InputRole, ReadFile][] = [
      [
        'communities',
        await readLoadedFile(
          'c.csv',
          encode('code,编号,name,名称,lon,lat\nA,1,甲,甲,106.6,35.5\n'),
          new Map(),
          {
            kind: 'communities',
          },
        ),
      ],
      [
        'facilities',
        await readLoadedFile('f.xlsx', bytesOf('points.xlsx'), new Map(), { kind: 'facilities' }),
      ],
      ['demand', await readLoadedFile('d.csv', encode('population,lon,lat\n3,106.6,35.5\n'))],
    ];
    const el = renderFilesPanel(analysed, en, {
      loaded: reads.map(([role, r]) => ({ role, name: r.name, features: 1 })),
      reads: new Map(reads),
      unconverted: new Map([['candidates', metres]]),
    });
    const warnings = one(el, 'warnings').textContent ?? '';
    expect(warnings).toContain('look like the id column');
    expect(warnings).toContain('column picker');
    const errors = await Promise.all([
      rereadFile(reads[0]![1], { columns: { populationColumn: '人口数' } }).catch((e: Error) => e.message),
      readLoadedFile('x.csv', encode('a,b\n1,2\n')).catch((e: Error) => e.message),
      rereadFile(reads[1]![1], { layer: '说明' }).catch((e: Error) => e.message),
    ]);
    expect(errors[0]).toMatch(
      /has no column '人口数' for the population \(the population menu of the file's column picker\)/,
    );
    for (const text of [el.textContent ?? '', metres.crsError ?? '', ...errors]) {
      expect(text).not.toMatch(/--[a-z]/);
    }
  });
});

describe('the clip of the next OpenStreetMap file', () => {
  it('says where the next extract will be clipped, and takes a typed box, the map’s view or none', () => {
    const chosen: [string, string][] = [];
    const chooseNextOsmClip = (choice: string, box: string) => chosen.push([choice, box]);
    const state = initialViewState();
    const el = renderFilesPanel(
      state,
      en,
      { osmClipNext: { clip: null, chosen: false } },
      { chooseNextOsmClip },
    );
    expect(one(el, 'osm-clip-status-next').textContent).toBe(
      'The next .osm / .osm.pbf file dropped (default): the whole file is read (no study area or communities yet).',
    );
    const menu = one(el, 'osm-clip-next') as HTMLSelectElement;
    expect(menu.value).toBe('default');
    change(menu, 'view');
    const box = one(el, 'osm-clip-box-next') as HTMLInputElement;
    box.value = ' 106.6,35.5,106.8,35.6 ';
    (one(el, 'osm-clip-apply-next') as HTMLButtonElement).click();
    change(menu, 'none');
    expect(chosen).toEqual([
      ['view', ''],
      ['box', '106.6,35.5,106.8,35.6'],
      ['none', ''],
    ]);
    const boxed = renderFilesPanel(state, en, {
      osmClipNext: { clip: { source: 'box', bbox: [106.6, 35.5, 106.8, 35.6] }, chosen: true },
    });
    expect(one(boxed, 'osm-clip-status-next').textContent).toBe(
      'The next .osm / .osm.pbf file dropped: Clipped while reading to the box 106.6,35.5,106.8,35.6.',
    );
    expect((one(boxed, 'osm-clip-next') as HTMLSelectElement).value).toBe('box');
  });
});
