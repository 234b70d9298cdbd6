// A type map in the viewer (type-map.ts through a test page whose worker is the real engine): the
// AMap-style export of fixtures/type-map typed with its type-map.csv gives the CLI's categories and
// figures for `--type-map type-map.csv`; a wrong file is refused naming its file, row and field; a
// category mapped from the table adds a row to the same map; scenario files and shared links carry it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures.js';
import { runAnalysis } from './analysis-run.js';
import { scenarioOf } from './exports.js';
import { readLoadedFile } from './formats.js';
import { parseScenario } from './scenario.js';
import { scenarioFromHash, shareableScenario, shareHash } from './share.js';
import { cliRun, inputFile, type Json } from './test-cli.js';
import { testPage } from './test-page.js';
import {
  isTypeMapFile,
  loadTypeMapFile,
  mapCategory,
  parseScenarioTypeMap,
  readTypeMapFile,
  removeTypeMap,
  TYPE_MAP_NAME,
  typeMapCsv,
  typeMapWith,
} from './type-map.js';
import { DEFAULT_OPTIONS } from './view/state.js';
import { Engine } from './worker/engine.js';
import type { AnalyzeOptions } from './worker/protocol.js';

const path = (name: string) => fixture('type-map', name);
const bytesOf = (name: string) => {
  const b = readFileSync(path(name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

/** A page analysing the Pingliang communities with the AMap-style export, as a user drops them. */
async function amapPage() {
  const facilities = await readLoadedFile('amap-pois.csv', bytesOf('amap-pois.csv'), new Map(), {
    kind: 'facilities',
  });
  const engine = new Engine();
  engine.load([
    inputFile('communities', fixture('pingliang', 'communities.geojson')),
    { role: 'facilities', name: 'amap-pois.csv', bytes: facilities.bytes },
  ]);
  const page = testPage(engine);
  expect(await runAnalysis(page, DEFAULT_OPTIONS)).toBe(true);
  return page;
}

/** The categories and per-type figures the CLI writes, its rules named by the file's name alone. */
function cliCategories(typeMap: boolean) {
  const { summary } = cliRun([
    'analyze',
    '--communities',
    fixture('pingliang', 'communities.geojson'),
    '--facilities',
    path('amap-pois.csv'),
    ...(typeMap ? ['--type-map', path('type-map.csv')] : []),
  ]);
  const dir = path('type-map.csv').slice(0, -'type-map.csv'.length);
  const typed = (summary.categories.typed as Json[]).map((t) => ({
    ...t,
    rule: String(t.rule).replace(dir, ''),
  }));
  return { typed, unmapped: summary.categories.unmapped as Json[], types: summary.types as Json };
}

const figures = (page: ReturnType<typeof testPage>) =>
  Object.fromEntries(
    Object.entries(page.view.analysis!.summary.types).map(([id, t]) => [id, t!.coveredPopulation]),
  );

describe('a type map', () => {
  it('types the facilities as the CLI’s --type-map does, rule by rule and figure by figure', async () => {
    const page = await amapPage();
    const before = cliCategories(false);
    expect(page.view.analysis!.summary.categories!.unmapped.map((u) => [u.category, u.facilities])).toEqual(
      before.unmapped.map((u: Json) => [u.category, u.facilities]),
    );
    await loadTypeMapFile(page, 'type-map.csv', bytesOf('type-map.csv'));
    expect(page.errors).toEqual([]);
    expect(page.view.notice).toBeNull();
    expect(page.view.options.typeMap).toEqual({
      name: 'type-map.csv',
      entries: [
        { category: '科教文化服务;培训机构;托管班', type: 'nursery_childcare', row: 2 },
        { category: '生活服务;社区服务;老年活动室', type: 'elderly_service_station', row: 3 },
        { category: '风景名胜;公园广场;公园', type: 'fitness_ground', row: 4 },
      ],
    });
    const cli = cliCategories(true);
    const shown = page.view.analysis!.summary.categories!;
    expect(shown.typed).toEqual(cli.typed);
    expect(shown.unmapped.map((u) => [u.category, u.facilities, u.indices])).toEqual(
      cli.unmapped.map((u: Json) => [u.category, u.facilities, u.indices]),
    );
    // Three after-school clubs became childcare: the rule of row 2 typed them.
    expect(shown.typed.find((t) => t.rule === 'type-map:type-map.csv row 2')?.facilities).toBe(3);
    // summary.json rounds a population to 0.1.
    const round = (v: number) => Math.round(v * 10) / 10;
    expect(Object.fromEntries(Object.entries(figures(page)).map(([id, v]) => [id, round(v)]))).toEqual(
      Object.fromEntries(Object.entries(cli.types).map(([id, t]) => [id, (t as Json).covered_population])),
    );
    await removeTypeMap(page);
    expect(page.view.options.typeMap).toBeUndefined();
    expect(page.view.analysis!.summary.categories!.unmapped).toHaveLength(before.unmapped.length);
  }, 120_000);

  it('refuses a file with a wrong row, naming the file, row and field, and changes nothing', async () => {
    const page = await amapPage();
    const shown = page.view.analysis;
    await loadTypeMapFile(page, 'bad-type-map.csv', bytesOf('bad-type-map.csv'));
    expect(page.view.notice?.title).toBe(page.t('typeMapProblems'));
    expect(page.view.notice?.message).toMatch(
      /^bad-type-map\.csv: row 3, field type: unknown catalog type 'old_people_room'\. .*elderly_service_station/,
    );
    // Worded for the viewer: no CLI flag in it.
    expect(page.view.notice?.message).not.toContain('--');
    expect(page.view.options.typeMap).toBeUndefined();
    expect(page.view.analysis).toBe(shown);
    await loadTypeMapFile(page, 'map.csv', encode('name,kind\na,b\n'));
    expect(page.view.notice?.message).toContain(
      "map.csv: expected a header row with a category column and a type column (category,type), found 'name', 'kind'.",
    );
  }, 60_000);

  it('maps a category from the categories table as a new row of the same map', async () => {
    const page = await amapPage();
    await mapCategory(page, '科教文化服务;培训机构;托管班', 'kindergarten');
    expect(page.view.options.typeMap).toEqual({
      name: TYPE_MAP_NAME,
      entries: [{ category: '科教文化服务;培训机构;托管班', type: 'kindergarten', row: 2 }],
    });
    await mapCategory(page, '生活服务;社区服务;老年活动室', 'elderly_service_station');
    // The same category mapped again takes the new type in its own row.
    await mapCategory(page, '科教文化服务;培训机构;托管班', 'nursery_childcare');
    const typeMap = page.view.options.typeMap!;
    expect(typeMap.entries.map((e) => [e.row, e.type])).toEqual([
      [2, 'nursery_childcare'],
      [3, 'elderly_service_station'],
    ]);
    const typed = page.view.analysis!.summary.categories!.typed;
    expect(typed.find((t) => t.rule === `type-map:${TYPE_MAP_NAME} row 2`)).toMatchObject({
      type: 'nursery_childcare',
      facilities: 3,
    });
    // Its CSV, read back as a file, is the same map.
    const csv = typeMapCsv(typeMap);
    expect(csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe('category,type');
    expect(await readTypeMapFile(TYPE_MAP_NAME, encode(csv))).toEqual(typeMap);
  }, 60_000);

  it('is kept in the scenario file and the shared link, and reopens to the same figures', async () => {
    const page = await amapPage();
    await loadTypeMapFile(page, 'type-map.csv', bytesOf('type-map.csv'));
    // Named as the bundled city: the type map is what this test follows, not the embedded files.
    const scenario = scenarioOf(page.view, {
      bundled: true,
      embedded: new Map(),
      map: { locale: 'en', center: [106.67, 35.55], zoom: 12, basemap: null },
    });
    const fromFile = parseScenario(JSON.parse(JSON.stringify(scenario)));
    const fromLink = parseScenario(scenarioFromHash(shareHash(shareableScenario(scenario).scenario)));
    expect(fromFile.options.typeMap).toEqual(page.view.options.typeMap);
    expect(fromLink.options.typeMap).toEqual(page.view.options.typeMap);
    const reopened = await amapPage();
    expect(await runAnalysis(reopened, fromLink.options as AnalyzeOptions)).toBe(true);
    expect(reopened.view.analysis!.summary.categories).toEqual(page.view.analysis!.summary.categories);
    expect(figures(reopened)).toEqual(figures(page));
    // A scenario's map is checked again: one naming a type the catalog lacks is not taken.
    expect(
      parseScenarioTypeMap({ name: 'x.csv', entries: [{ category: 'a', type: 'no_such_type', row: 2 }] }),
    ).toBeNull();
    expect(parseScenarioTypeMap('type-map.csv')).toBeNull();
  }, 120_000);
});

describe('telling a dropped type map', () => {
  it('by its name, or by a category and a type column and no coordinates', () => {
    expect(isTypeMapFile('type-map.xlsx', new ArrayBuffer(0))).toBe(true);
    expect(isTypeMapFile('类别对照表.csv', new ArrayBuffer(0))).toBe(true);
    expect(isTypeMapFile('mine.csv', encode('category,type\na,kindergarten\n'))).toBe(true);
    expect(isTypeMapFile('mine.csv', encode('\uFEFF"类别","类型"\r\na,b\n'))).toBe(true);
    const gbk = new Uint8Array([0xc0, 0xe0, 0xb1, 0xf0, 0x2c, 0xc0, 0xe0, 0xd0, 0xcd, 0x0a]); // 类别,类型
    expect(isTypeMapFile('mine.csv', gbk.buffer)).toBe(true);
    // Bytes io refuses as not text are no type map (reading them as data says why), not a throw.
    const binary = new Uint8Array(512).map((_, i) => (i * 37) % 256);
    expect(isTypeMapFile('mine.csv', binary.buffer)).toBe(false);
    // A long UTF-8 table whose 4 KiB head ends inside a character: still UTF-8, still a type map.
    const rows = Array.from(
      { length: 400 },
      (_, i) => `生活服务;社区服务;老年活动室${i},elderly_service_station`,
    );
    // Shifted by 0–2 ASCII letters so that byte 4096 is a continuation byte (10xxxxxx).
    const long = [0, 1, 2]
      .map((shift) => new TextEncoder().encode(`类别,类型\n${'x'.repeat(shift)}${rows.join('\n')}\n`))
      .find((bytes) => (bytes[4096]! & 0xc0) === 0x80)!;
    expect(long, 'the 4 KiB cut falls inside a character').toBeDefined();
    expect(isTypeMapFile('rules.csv', long.buffer)).toBe(true);
    // A header longer than the head itself is cut before an unfinished character, not garbled.
    const wide = new TextEncoder().encode(`类别,${'说明'.repeat(700)}x,类型\n`);
    expect(isTypeMapFile('rules.csv', wide.buffer)).toBe(false);
    // An AMap export has a type column and its location: facilities.
    expect(isTypeMapFile('amap-pois.csv', bytesOf('amap-pois.csv'))).toBe(false);
    expect(isTypeMapFile('pois.csv', encode('name,category,type,lng,lat\n'))).toBe(false);
    expect(isTypeMapFile('pois.geojson', encode('{"category":1,"type":2}'))).toBe(false);
  });

  it('a map made in the table appends after the last row of a loaded file', () => {
    const loaded = { name: 'mine.csv', entries: [{ category: 'a', type: 'kindergarten', row: 7 }] };
    expect(typeMapWith(loaded, ' b ', 'fresh_market')).toEqual({
      name: 'mine.csv',
      entries: [...loaded.entries, { category: 'b', type: 'fresh_market', row: 8 }],
    });
  });
});
