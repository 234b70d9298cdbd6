// The flags the commands share (inputs, coordinate systems, formats, distance) are checked by each
// command's parse step, with no file read: the paths below do not exist.
import { OptionError } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import { analyzeSteps } from '../../src/commands/analyze.js';
import { checkSteps } from '../../src/commands/check.js';
import { inspectSteps } from '../../src/commands/inspect.js';
import { monitorSteps } from '../../src/commands/monitor.js';
import { siteSteps } from '../../src/commands/site.js';

const NOWHERE = '/no/such/dir';
const files = { communities: `${NOWHERE}/c.geojson`, facilities: `${NOWHERE}/f.geojson` };

/** Each analysing command's parse step, with the command's own flags right. */
const ANALYSING: readonly [string, (values: Record<string, unknown>) => unknown][] = [
  ['analyze', (values) => analyzeSteps.parse({ ...files, ...values }, [])],
  ['check', (values) => checkSteps.parse({ ...files, profile: `${NOWHERE}/p.json`, ...values }, [])],
  ['monitor', (values) => monitorSteps.parse({ ...files, ...values }, [])],
  [
    'site',
    (values) =>
      siteSteps.parse({ ...files, type: 'nursery_childcare', model: 'mclp', k: '3', ...values }, []),
  ],
];

/** A shared flag mistake, the error class it is and the words of its message. */
const MISTAKES: readonly [Record<string, unknown>, typeof UsageError | typeof OptionError, RegExp][] = [
  [{ format: 'geojson,xls' }, UsageError, /--format expects formats among .*, got 'xls'/],
  [{ 'output-crs': 'EPSG:nonsense' }, OptionError, /'EPSG:nonsense'/],
  [
    { 'demand-crs': 'EPSG:4545' },
    UsageError,
    /--demand-crs is the system of --demand FILE, which is not given/,
  ],
  [{ 'join-by': 'name' }, UsageError, /--join-by needs --population-table FILE/],
  [{ encoding: ['gbk-9'] }, OptionError, /unknown text encoding 'gbk-9'/],
  [{ layer: ['a', 'b'] }, OptionError, /given twice/],
  [{ limit: ['features=-1'] }, OptionError, /--limit|features/],
  [{ 'memory-budget': 'lots' }, UsageError, /--memory-budget expects a size/],
  [{ 'cell-m': '-5' }, UsageError, /--cell-m expects a positive number of metres/],
  [{ bbox: '116.2,39.8' }, UsageError, /--bbox expects west,south,east,north/],
  [
    { 'population-raster': 'p.tif', buildings: 'b.geojson' },
    UsageError,
    /--population-raster or --buildings/,
  ],
  [{ buildings: 'b.geojson', demand: 'd.csv' }, UsageError, /give --demand or --buildings, not both/],
  [{ distance: 'manhattan' }, UsageError, /--distance expects euclidean or network, got 'manhattan'/],
  [{ network: 'r.geojson', 'cost-matrix': 'm.csv' }, UsageError, /either --network or --cost-matrix/],
  [{ 'snap-cost': 'walk' }, UsageError, /--snap-cost needs --network FILE/],
  [{ 'cost-unit': 'h' }, UsageError, /--cost-unit expects m or min, got 'h'/],
  [{ threads: '0' }, UsageError, /--threads expects a whole number ≥ 1/],
];

describe('the shared flags in each command’s parse step', () => {
  for (const [command, parse] of ANALYSING) {
    it(`${command}: every shared flag mistake is rejected before a file is read`, () => {
      for (const [values, kind, message] of MISTAKES) {
        let thrown: unknown;
        try {
          parse(values);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, JSON.stringify(values)).toBeInstanceOf(kind);
        expect((thrown as Error).message, JSON.stringify(values)).toMatch(message);
      }
    });

    it(`${command}: right shared flags pass parse without reading their files`, () => {
      const values = {
        'communities-crs': 'EPSG:4545',
        format: 'geojson,shp',
        'output-crs': 'gcj02',
        encoding: ['gbk'],
        network: `${NOWHERE}/roads.geojson`,
        'snap-cost': 'free',
        'cell-m': '100',
        threads: '2',
      };
      expect(parse(values)).toMatchObject({ inputs: expect.objectContaining(values) });
    });
  }

  it("the command's own flag mistake is reported before a shared one", () => {
    expect(() => siteSteps.parse({ ...files, model: 'mclp', format: 'xls' }, [])).toThrowError(
      /--type T is required/,
    );
  });

  it('inspect: the reading and coordinate-system flags are checked by parse', () => {
    expect(() => inspectSteps.parse({ encoding: ['gbk-9'] }, [`${NOWHERE}/pois.csv`])).toThrowError(
      /unknown text encoding 'gbk-9'/,
    );
    expect(() => inspectSteps.parse({ 'output-crs': 'EPSG:nonsense' }, [`${NOWHERE}/pois.csv`])).toThrowError(
      OptionError,
    );
    expect(inspectSteps.parse({ encoding: ['gbk'] }, [`${NOWHERE}/pois.csv`])).toMatchObject({
      files: [`${NOWHERE}/pois.csv`],
    });
  });
});
