// Every bad input of the issue, through `lifecircle analyze`: a clear message naming the file, the
// feature index, its id and the field; exit 1 when nothing sensible can be computed, otherwise the
// feature goes to `rejected` and the run continues; exit 2 for a wrong command line; never a stack trace.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CategoryReport } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { analyzeArgs, type CliRun, readSummary, runCli, runInto, scratchDir } from './harness.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data');
const COMMUNITIES = join(DATA, 'communities.geojson');
const FACILITIES = join(DATA, 'facilities.geojson');
const { dir: TMP, file: inputFile, outDir } = scratchDir('analyze-errors');

const STACK_FRAME = '    at ';

const goodCommunities = () => JSON.parse(readFileSync(COMMUNITIES, 'utf8')) as { features: unknown[] };
const goodFacilities = () => JSON.parse(readFileSync(FACILITIES, 'utf8')) as { features: unknown[] };
const withFeature = (collection: { features: unknown[] }, feature: unknown) => ({
  type: 'FeatureCollection',
  features: [...collection.features, feature],
});
const analyze = analyzeArgs;

/** A copy of the test data's communities or facilities with one more feature (feature 3). */
function fileWithOneMore(role: 'communities' | 'facilities', properties: unknown, geometry: unknown): string {
  const collection = role === 'communities' ? goodCommunities() : goodFacilities();
  return inputFile(`${role}.geojson`, withFeature(collection, { type: 'Feature', properties, geometry }));
}

/**
 * Analyzes the test data with one more feature (feature 3) in its communities or its facilities,
 * writing into a fresh folder; a rejected feature must neither stop the run nor print a stack trace.
 * The run (with its summary) and the file it added to.
 */
async function withOneMore(role: 'communities' | 'facilities', properties: unknown, geometry: unknown) {
  const path = fileWithOneMore(role, properties, geometry);
  const files = role === 'communities' ? [path, FACILITIES] : [COMMUNITIES, path];
  const r = await runInto<SummaryJson>(outDir(), analyze(files[0]!, files[1]!));
  expect(r.code).toBe(0);
  expect(r.all).not.toContain(STACK_FRAME);
  return { ...r, path };
}

interface SummaryJson {
  population: number;
  communities: number;
  types: Record<string, { covered_share: number | null; facilities: number }>;
  rejected: { file: string; index: number; id: string | null; field: string; reason: string }[];
  warnings: { code: string; file: string; message: string }[];
  categories: CategoryReport;
}

describe('good input', () => {
  it('prints the table and exits 0', async () => {
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('3 communities, 2,500 residents');
    expect(r.out).toContain('kindergarten');
    expect(r.out).toContain('崆峒区');
    expect(r.out).not.toContain('rejected');
  });

  it('--json prints summary.json on stdout, parseable, the same as the file written with --out', async () => {
    const dir = outDir();
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--json', '--progress', '--out', dir));
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.out) as SummaryJson;
    expect(printed).toEqual(readSummary<SummaryJson>(dir));
    expect(printed.communities).toBe(3);
    expect(printed.population).toBeCloseTo(2500, 6);
    expect(Object.keys(printed.types)).toEqual([
      'nursery_childcare',
      'kindergarten',
      'community_health_station',
    ]);
    expect(printed.rejected).toEqual([]);
    // Progress (asked for: stderr is not a terminal here) goes to stderr, so stdout stays pure JSON.
    expect(r.err).toContain('validate');
  });

  it('--out writes communities.geojson, summary.json, gaps.csv and districts.csv; gaps.csv starts with a UTF-8 BOM', async () => {
    const dir = outDir();
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--out', dir));
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `Wrote ${join(dir, 'communities.geojson')}, summary.json, gaps.csv and districts.csv`,
    );
    const bytes = readFileSync(join(dir, 'gaps.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    expect(csv.startsWith('\ufeffcommunity_id,community_name,district,population,type,')).toBe(true);
    expect(csv).toContain('\r\n');
    expect(csv).toContain('C003,北山小区,华亭市,500,kindergarten,幼儿园,300,');
    const geojson = JSON.parse(readFileSync(join(dir, 'communities.geojson'), 'utf8'));
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features).toHaveLength(3);
    expect(geojson.features[0].properties).toMatchObject({ id: 'C001', kindergarten_nearest_id: 'K01' });
  });

  it('summary.json rounds populations and shares as docs/output-schema.md says', async () => {
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--json', '--quiet', '--include-planned'));
    const summary = JSON.parse(r.out) as SummaryJson;
    expect(summary.population).toBe(2500);
    expect(summary.types.community_health_station!.covered_share).toBe(0.2);
  });

  it('--include-planned lets the planned clinic serve', async () => {
    const off = await runCli(analyze(COMMUNITIES, FACILITIES, '--json', '--quiet'));
    const on = await runCli(analyze(COMMUNITIES, FACILITIES, '--json', '--quiet', '--include-planned'));
    const share = (r: CliRun) => (JSON.parse(r.out) as SummaryJson).types.community_health_station!;
    expect(share(off).covered_share).toBe(0);
    expect(share(off).facilities).toBe(0);
    expect(share(on).covered_share).toBeCloseTo(0.2, 12);
    expect(share(on).facilities).toBe(1);
  });

  const PHARMACY_POINT = { type: 'Point', coordinates: [106.6601, 35.5401] };

  it('--types with an alias and --radius adding a custom type', async () => {
    const facilities = fileWithOneMore('facilities', { id: 'P01', type: 'pharmacy' }, PHARMACY_POINT);
    const r = await runCli(
      analyze(
        COMMUNITIES,
        facilities,
        '--json',
        '--quiet',
        '--types',
        '托儿所, pharmacy',
        '--radius',
        'pharmacy=400',
      ),
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out) as SummaryJson;
    expect(Object.keys(summary.types)).toEqual(['nursery_childcare', 'pharmacy']);
    expect(summary.rejected).toEqual([]);
  });

  it('--catalog adds a type with its aliases', async () => {
    const facilities = fileWithOneMore('facilities', { id: 'P01', type: '药房' }, PHARMACY_POINT);
    const r = await runCli(
      analyze(COMMUNITIES, facilities, '--json', '--quiet', '--catalog', join(DATA, 'catalog-pharmacy.json')),
    );
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as SummaryJson).types.pharmacy).toMatchObject({ facilities: 1 });
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await runCli(['analyze', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: lifecircle analyze --communities FILE --facilities FILE');
  });
});

describe('files nothing can be computed from: exit 1, the file named, no stack trace', () => {
  const expectFatal = (r: CliRun, path: string) => {
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`lifecircle analyze: ${path}: `);
    expect(r.all).not.toContain(STACK_FRAME);
  };
  /** Analyzes with the file `path` as the communities or the facilities; what the run printed. */
  const analyzeWith = (role: 'communities' | 'facilities', path: string) =>
    runCli(
      role === 'communities' ? analyze(path, FACILITIES, '--quiet') : analyze(COMMUNITIES, path, '--quiet'),
    );
  /** The run stops on the file `path`, given as the communities or the facilities; what it printed on stderr. */
  const stopsOn = async (role: 'communities' | 'facilities', path: string): Promise<string> => {
    const r = await analyzeWith(role, path);
    expectFatal(r, path);
    return r.err;
  };
  /** {@link stopsOn} a new file holding `content`; the file and what the run printed on stderr. */
  const stopsOnNew = async (role: 'communities' | 'facilities', content: unknown) => {
    const path = inputFile(`${role}.geojson`, content);
    return { path, err: await stopsOn(role, path) };
  };

  it('unreadable JSON: names the line and column', async () => {
    const { err } = await stopsOnNew(
      'communities',
      '{\n  "type": "FeatureCollection",\n  "features": [\n    {"type": "Feature",}\n  ]\n}\n',
    );
    expect(err).toContain('is not valid JSON at line 4, column 24');
  });

  it('an empty file', async () => {
    // Named as empty whatever its extension (was "is not valid JSON at line 1, column 1", issue #12).
    expect((await stopsOnNew('communities', '')).err).toContain('is empty: it has 0 bytes');
  });

  it('a truncated file', async () => {
    const { err } = await stopsOnNew(
      'facilities',
      '{"type": "FeatureCollection", "features": [{"type": "Fea',
    );
    expect(err).toContain('is not valid JSON at line 1');
  });

  const NAN_LITERAL =
    '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature", "properties": {"id": "a", "population": 1}, "geometry": {"type": "Point", "coordinates": [NaN, 35.54]}}\n]}';

  it('a NaN literal (not JSON): names the file', async () => {
    expect((await stopsOnNew('communities', NAN_LITERAL)).err).toContain('is not valid JSON');
  });

  it('a NaN literal: names the line it is on', async () => {
    const r = await analyzeWith('communities', inputFile('communities.geojson', NAN_LITERAL));
    expect(r.err).toContain('line 3');
  });

  it('a missing file', async () => {
    expect(await stopsOn('communities', join(TMP, 'no-such-dir', 'communities.geojson'))).toContain(
      'file not found',
    );
  });

  it('a missing facilities file', async () => {
    expect(await stopsOn('facilities', join(TMP, 'nope.geojson'))).toContain('file not found');
  });

  it('a directory instead of a file', async () => {
    expect(await stopsOn('communities', DATA)).toContain('is a directory');
  });

  const notCollections: [string, unknown, string][] = [
    ['an array of features', goodCommunities().features, 'got an array'],
    ['a single Feature', goodCommunities().features[0], 'got an object of type "Feature"'],
    ['a FeatureCollection without features', { type: 'FeatureCollection' }, 'with a "features" array'],
    ['a bare geometry', { type: 'Point', coordinates: [106.66, 35.54] }, 'got an object of type "Point"'],
    ['a number', 42, 'got 42'],
  ];
  for (const [what, value, phrase] of notCollections) {
    it(`a communities file holding ${what}`, async () => {
      const { err } = await stopsOnNew('communities', value);
      expect(err).toContain('expected a GeoJSON FeatureCollection');
      expect(err).toContain(phrase);
    });
  }

  it('a facilities file that is not a FeatureCollection', async () => {
    const { err } = await stopsOnNew('facilities', { type: 'Feature', properties: {}, geometry: null });
    expect(err).toContain('expected a GeoJSON FeatureCollection');
  });

  it('a demand file that is not a FeatureCollection', async () => {
    const path = inputFile('demand.geojson', []);
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--demand', path));
    expectFatal(r, path);
  });

  it('a file that declares projected coordinates (CGCS2000 Gauss-Krüger) but holds degrees', async () => {
    const { err } = await stopsOnNew('communities', {
      ...withFeature(goodCommunities(), goodCommunities().features[0]),
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } },
    });
    expect(err).toContain('EPSG::4547');
    expect(err).toContain('look like longitude/latitude degrees');
    expect(err).toContain('reproject');
  });

  it('no community at all', async () => {
    const { err } = await stopsOnNew('communities', { type: 'FeatureCollection', features: [] });
    expect(err).toContain('no usable community (0 rejected)');
  });

  const onlyBad: [string, unknown, string][] = [
    ['negative population', { id: 'X1', population: -40 }, 'population -40 is negative'],
    ['missing population', { id: 'X1' }, 'missing population'],
  ];
  for (const [what, properties, phrase] of onlyBad) {
    it(`the only community has ${what}: names the file, the feature index and the reason`, async () => {
      const { err } = await stopsOnNew('communities', {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [106.66, 35.54] } },
        ],
      });
      expect(err).toContain('no usable community (1 rejected)');
      expect(err).toContain('feature 0');
      expect(err).toContain(phrase);
    });
  }

  it('the only community is broken: the message names its id and the field', async () => {
    const path = inputFile('communities.geojson', {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { id: 'X1', population: 10 },
          geometry: { type: 'Point', coordinates: [null, 35.54] },
        },
      ],
    });
    const r = await analyzeWith('communities', path);
    expect(r.code).toBe(1);
    expect(r.err).toContain('X1');
    expect(r.err).toContain('geometry');
  });

  it('every community broken: still exit 1, the first problem shown', async () => {
    const point = { type: 'Point', coordinates: [106.66, 35.54] };
    const { path, err } = await stopsOnNew('communities', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'A', population: -1 }, geometry: point },
        { type: 'Feature', properties: { id: 'B' }, geometry: point },
        { type: 'Feature', properties: { id: 'C', population: 5 }, geometry: null },
      ],
    });
    expect(err).toContain('no usable community (3 rejected)');
    expect(err).toContain('feature 0 (A), field population: population -1 is negative');
    // Every rejected community is listed, not only the first.
    expect(err).toContain('3 feature(s) rejected:');
    expect(err).toContain(`${path} feature 2 (C), geometry: missing or null geometry`);
  });
});

describe('bad features: rejected with file, index, id and field; the run continues (exit 0)', () => {
  const at = (coordinates: unknown) => ({ type: 'Point', coordinates });
  const square = [
    [106.67, 35.55],
    [106.671, 35.55],
    [106.671, 35.551],
    [106.67, 35.551],
  ];

  // A good community and a good facility but for the one thing each case breaks.
  const C900 = { id: 'C900', population: 300 };
  const F900 = { id: 'F900', type: '幼儿园' };

  const communityCases: [string, Record<string, unknown>, unknown, string, string][] = [
    ['missing population', { id: 'C900' }, at([106.662, 35.541]), 'population', 'missing population'],
    [
      'negative population',
      { ...C900, population: -300 },
      at([106.662, 35.541]),
      'population',
      'is negative',
    ],
    [
      'population that is not a number',
      { ...C900, population: '约300人' },
      at([106.662, 35.541]),
      'population',
      '约300人',
    ],
    ['duplicate id', { id: 'C001', population: 300 }, at([106.662, 35.541]), 'id', "duplicate id 'C001'"],
    ['null geometry', C900, null, 'geometry', 'missing or null geometry'],
    ['empty Polygon', C900, { type: 'Polygon', coordinates: [] }, 'geometry', 'no rings'],
    ['empty Point', C900, at([]), 'geometry', 'expected a position'],
    ['unclosed ring', C900, { type: 'Polygon', coordinates: [square] }, 'geometry', 'not closed'],
    [
      'LineString geometry',
      C900,
      { type: 'LineString', coordinates: [square[0], square[1]] },
      'geometry',
      '"LineString" is not supported',
    ],
    ['NaN coordinates (null in JSON)', C900, at([null, 35.54]), 'geometry', 'finite numbers'],
    ['NaN coordinates as text', C900, at(['NaN', 35.54]), 'geometry', 'finite numbers'],
    ['out-of-range coordinates', C900, at([206.66, 35.54]), 'geometry', 'out of range'],
    ['swapped coordinates', C900, at([35.541, 106.662]), 'geometry', 'looks swapped'],
    [
      'projected coordinates (metres)',
      C900,
      at([36_512_345.6, 3_934_567.8]),
      'geometry',
      'looks like projected metres',
    ],
  ];

  for (const [what, properties, geometry, field, phrase] of communityCases) {
    it(`community with ${what}`, async () => {
      const { path, out, summary } = await withOneMore('communities', properties, geometry);
      const id = properties.id as string;
      expect(out).toContain('1 feature(s) rejected:');
      expect(out).toContain(`  ${path} feature 3 (${id}), ${field}: `);
      expect(out).toContain(phrase);
      expect(summary!.rejected).toEqual([
        { file: path, index: 3, id, field, reason: expect.stringContaining(phrase) },
      ]);
      expect(summary!.communities).toBe(3);
    });
  }

  it('community without an id: index and field named', async () => {
    const { path, out, summary } = await withOneMore('communities', { population: 5 }, at([106.66, 35.54]));
    expect(out).toContain(`  ${path} feature 3, id: missing id`);
    expect(summary!.rejected).toEqual([
      expect.objectContaining({ file: path, index: 3, id: null, field: 'id' }),
    ]);
  });

  const facilityCases: [string, Record<string, unknown>, unknown, string, string][] = [
    ['missing type', { id: 'F900' }, at([106.661, 35.541]), 'type', 'missing type'],
    ['duplicate id', { id: 'K01', type: '幼儿园' }, at([106.661, 35.541]), 'id', "duplicate id 'K01'"],
    ['unknown status', { ...F900, status: '拆除' }, at([106.661, 35.541]), 'status', "unknown status '拆除'"],
    ['swapped coordinates', F900, at([35.541, 106.661]), 'geometry', 'looks swapped'],
    ['projected coordinates', F900, at([512_345, 3_934_567]), 'geometry', 'projected metres'],
    ['LineString geometry', F900, { type: 'LineString', coordinates: [] }, 'geometry', 'LineString'],
  ];

  for (const [what, properties, geometry, field, phrase] of facilityCases) {
    it(`facility with ${what}`, async () => {
      const { path, out, summary } = await withOneMore('facilities', properties, geometry);
      const id = properties.id as string;
      expect(out).toContain(`  ${path} feature 3 (${id}), ${field}: `);
      expect(out).toContain(phrase);
      expect(summary!.rejected).toEqual([
        { file: path, index: 3, id, field, reason: expect.stringContaining(phrase) },
      ]);
    });
  }

  it('facility with an unknown type: a row of the unmapped-categories table, not a rejection', async () => {
    const swimmingPool = { id: 'F900', type: '游泳馆', name: '体育中心游泳馆' };
    const { path, summary, ...r } = await withOneMore('facilities', swimmingPool, at([106.661, 35.541]));
    expect(r.out).toContain('1 facility in 1 category got no catalog type:');
    expect(r.out).toMatch(
      /游泳馆\s+1\s+体育中心游泳馆 \(feature 3\)\s+neither a catalog type nor a known POI category/,
    );
    expect(r.out).toContain('To use them, map a category to a catalog type with --type-map FILE');
    expect(summary!.rejected).toEqual([]);
    expect(summary!.categories.unmapped).toEqual([
      expect.objectContaining({
        category: '游泳馆',
        facilities: 1,
        indices: [3],
        examples: [{ file: path, index: 3, id: 'F900', name: '体育中心游泳馆' }],
      }),
    ]);
  });

  it('a demand point outside every community polygon', async () => {
    const path = inputFile('demand.geojson', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'B1', population: 60 }, geometry: at([106.652, 35.5415]) },
        { type: 'Feature', properties: { id: 'B2', population: 40 }, geometry: at([106.7, 35.6]) },
        {
          type: 'Feature',
          properties: { id: 'B3', population: 30, community_id: 'C404' },
          geometry: at([106.66, 35.54]),
        },
      ],
    });
    const dir = outDir();
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--demand', path, '--out', dir));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`  ${path} feature 1 (B2), geometry: lies in no community polygon`);
    expect(r.out).toContain(`  ${path} feature 2 (B3), community_id: no community has id 'C404'`);
    expect(readSummary<SummaryJson>(dir).rejected.map((x) => [x.file, x.index, x.id, x.field])).toEqual([
      [path, 1, 'B2', 'geometry'],
      [path, 2, 'B3', 'community_id'],
    ]);
  });

  it('several bad features in both files: all listed, the good ones analysed', async () => {
    const communities = inputFile('communities.geojson', {
      type: 'FeatureCollection',
      features: [
        ...goodCommunities().features,
        { type: 'Feature', properties: { id: 'C901', population: -1 }, geometry: at([106.66, 35.54]) },
        { type: 'Feature', properties: { id: 'C902', population: 5 }, geometry: at([35.54, 106.66]) },
      ],
    });
    const facilities = fileWithOneMore(
      'facilities',
      { id: 'F1', type: '幼儿园', status: '?' },
      at([106.66, 35.54]),
    );
    const r = await runInto<SummaryJson>(outDir(), analyze(communities, facilities));
    expect(r.code).toBe(0);
    expect(r.out).toContain('3 feature(s) rejected:');
    const summary = r.summary!;
    expect(summary.rejected.map((x) => [x.file, x.index, x.id, x.field])).toEqual([
      [communities, 3, 'C901', 'population'],
      [communities, 4, 'C902', 'geometry'],
      [facilities, 3, 'F1', 'status'],
    ]);
    expect(summary.communities).toBe(3);
  });

  it('a facilities file whose every type is unknown: exit 1, each category named with its count', async () => {
    const path = inputFile('facilities.geojson', {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { id: 'F1', type: '游泳馆' }, geometry: at([106.66, 35.54]) },
        { type: 'Feature', properties: { id: 'F2', type: '图书馆' }, geometry: at([106.66, 35.54]) },
      ],
    });
    const r = await runCli(analyze(COMMUNITIES, path, '--quiet'));
    expect(r.code).toBe(1);
    expect(r.all).not.toContain(STACK_FRAME);
    expect(r.err).toContain(`${path}: no usable facility, so no type to analyse.`);
    expect(r.err).toContain(
      "2 facilities have types or categories that map to no catalog type: '图书馆' (1), '游泳馆' (1).",
    );
    expect(r.err).toContain('--type-map FILE');
  });

  it('warnings name the file and field (population given as text)', async () => {
    const path = fileWithOneMore('communities', { id: 'C900', population: '300' }, at([106.662, 35.541]));
    const r = await runCli(analyze(path, FACILITIES, '--quiet'));
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `warning: ${path} (population): population given as text in 1 feature: #3 (C900)`,
    );
  });
});

describe('wrong command lines: exit 2 with a usage hint', () => {
  const expectUsage = (r: CliRun, phrase: string) => {
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(phrase);
    expect(r.err).toContain("Run 'lifecircle analyze --help' for usage.");
    expect(r.all).not.toContain(STACK_FRAME);
  };

  it('an unknown option', async () => {
    expectUsage(
      await runCli(analyze(COMMUNITIES, FACILITIES, '--radius-m', '300')),
      "Unknown option '--radius-m'",
    );
  });

  it('a positional argument', async () => {
    expectUsage(await runCli(analyze(COMMUNITIES, FACILITIES, 'extra.geojson')), "'extra.geojson'");
  });

  it('missing --communities', async () => {
    expectUsage(
      await runCli(['analyze', '--facilities', FACILITIES]),
      '--communities FILE and --facilities FILE are required',
    );
  });

  it('missing --facilities', async () => {
    expectUsage(
      await runCli(['analyze', '--communities', COMMUNITIES]),
      '--communities FILE and --facilities FILE are required',
    );
  });

  it('an option without its value', async () => {
    expectUsage(await runCli(analyze(COMMUNITIES, FACILITIES, '--radius')), '--radius');
  });

  for (const bad of [
    'kindergarten=abc',
    'kindergarten=0',
    'kindergarten=-300',
    'kindergarten',
    '=300',
    'kindergarten=Infinity',
  ]) {
    it(`--radius ${bad}`, async () => {
      expectUsage(
        await runCli(analyze(COMMUNITIES, FACILITIES, '--radius', bad)),
        `--radius expects TYPE=METRES with a type and a positive number of metres, got '${bad}'`,
      );
    });
  }

  for (const bad of ['2', '-0.1', 'abc', '50%']) {
    it(`--gap-threshold ${bad}`, async () => {
      expectUsage(
        await runCli(analyze(COMMUNITIES, FACILITIES, `--gap-threshold=${bad}`)),
        `--gap-threshold expects a share between 0 and 1, got '${bad}'`,
      );
    });
  }

  it('a negative value after a space is taken for an option', async () => {
    expectUsage(
      await runCli(analyze(COMMUNITIES, FACILITIES, '--gap-threshold', '-0.1')),
      "use '--gap-threshold=-XYZ'",
    );
  });

  it('--gap-threshold given empty', async () => {
    expectUsage(
      await runCli(analyze(COMMUNITIES, FACILITIES, '--gap-threshold=')),
      '--gap-threshold expects',
    );
    expectUsage(
      await runCli(analyze(COMMUNITIES, FACILITIES, '--gap-threshold', ' ')),
      '--gap-threshold expects',
    );
  });

  for (const bad of ['0', '-50', 'abc']) {
    it(`--cell-m ${bad}`, async () => {
      expectUsage(
        await runCli(analyze(COMMUNITIES, FACILITIES, `--cell-m=${bad}`)),
        `--cell-m expects a positive number of metres, got '${bad}'`,
      );
    });
  }

  it('--types naming an unknown type: refused with the list of types, no stack trace', async () => {
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--types', 'kindergarden'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("unknown facility type 'kindergarden'");
    expect(r.err).toContain('kindergarten');
    expect(r.all).not.toContain(STACK_FRAME);
  });

  it('--types naming an unknown type exits 2 like other usage mistakes', async () => {
    expectUsage(
      await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--types', 'kindergarden')),
      'kindergarden',
    );
  });

  it('an unknown command and no command', async () => {
    const unknown = await runCli(['analyse', '--communities', COMMUNITIES]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      "unknown command 'analyse'. Use one of: analyze, check, monitor, site, inspect.",
    );
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.out).toContain('Usage: lifecircle <command> [options]');
  });
});

describe('--catalog problems', () => {
  it('a bad field: exit 1 naming the file, the type and the field', async () => {
    const path = join(DATA, 'catalog-bad-radius.json');
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--catalog', path));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path}: the catalog has 1 problem(s):`);
    expect(r.err).toContain(
      'type 0 (pharmacy), field radius_m: expected a positive number of metres, got "300"',
    );
    expect(r.all).not.toContain(STACK_FRAME);
  });

  it('several problems are all listed', async () => {
    const path = inputFile('catalog.json', {
      types: [
        { id: 'a', radius_m: 300, tier: '20min' },
        { id: 'b', radius_m: 300, capacity_unit: 'rooms' },
        { radius_m: 300 },
        { id: 'c', radius_m: 300, aliases: 'c' },
        { id: 'd', radius_m: 300, radius_status: 'guess' },
      ],
    });
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--catalog', path));
    expect(r.code).toBe(1);
    expect(r.err).toContain('the catalog has 5 problem(s)');
    expect(r.err).toContain('type 0 (a), field tier');
    expect(r.err).toContain('type 1 (b), field capacity_unit');
    expect(r.err).toContain('type 2, field id');
    expect(r.err).toContain('type 3 (c), field aliases');
    expect(r.err).toContain('type 4 (d), field radius_status');
  });

  it('no types array', async () => {
    const path = inputFile('catalog.json', { kinds: [] });
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--catalog', path));
    expect(r.code).toBe(1);
    expect(r.err).toContain('field types: expected an object with a "types" array');
  });

  it('a missing or unreadable catalog file', async () => {
    const missing = join(TMP, 'catalog-missing.json');
    const r1 = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--catalog', missing));
    expect(r1.code).toBe(1);
    expect(r1.err).toContain(`${missing}: file not found.`);
    const broken = inputFile('catalog.json', '{"types": [');
    const r2 = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--catalog', broken));
    expect(r2.code).toBe(1);
    expect(r2.err).toContain(`${broken}: is not valid JSON`);
  });

  it('a type id defined twice is a catalog problem naming the id, not a crash', async () => {
    const path = inputFile('catalog.json', {
      types: [
        { id: 'pharmacy', radius_m: 300 },
        { id: 'pharmacy', radius_m: 500 },
      ],
    });
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--catalog', path));
    expect(r.code).toBe(1);
    expect(r.err).toContain('pharmacy');
    expect(r.all).not.toContain(STACK_FRAME);
  });
});

describe('--out problems', () => {
  it('an --out path that is a file: a clear message, no crash', async () => {
    const file = inputFile('not-a-dir', 'x');
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--out', file));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(file);
    expect(r.all).not.toContain(STACK_FRAME);
  });

  it('creates a missing --out directory', async () => {
    const dir = join(outDir(), 'a', 'b');
    const r = await runCli(analyze(COMMUNITIES, FACILITIES, '--quiet', '--out', dir));
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'gaps.csv'))).toBe(true);
  });
});
