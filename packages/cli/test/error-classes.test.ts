// One error class per kind of mistake, in every public entry: the same option mistake is an
// OptionError from the library (whatever the entry) and exit 2 from the command line; input nothing
// can be computed from is an InputError and exit 1. Each case below makes one mistake both ways.
import { readFileSync } from 'node:fs';
import {
  analyzeCoverage,
  builtInProfile,
  checkStandards,
  InputError,
  monitorProfile,
  OptionError,
  siteFacilities,
  WalkerSet,
} from '@lifecircle/core';
import { readFeatures } from '@lifecircle/io';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, townInputs } from './harness.js';

const communities: unknown = JSON.parse(readFileSync(fixture('pingliang', 'communities.geojson'), 'utf8'));
const facilities: unknown = JSON.parse(readFileSync(fixture('pingliang', 'facilities.geojson'), 'utf8'));
const profile = builtInProfile('gb50180-2018');

/** The error a call throws (or its promise rejects with). */
async function thrown(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('an option mistake is OptionError in the library and exit 2 in the CLI', () => {
  const cases: { entry: string; library: () => unknown; option: string; cli: string[] }[] = [
    {
      entry: 'analyzeCoverage: an unknown type',
      library: () => analyzeCoverage({ communities, facilities }, { types: ['no_such_type'] }),
      option: 'types',
      cli: ['analyze', ...townInputs('pingliang'), '--types', 'no_such_type'],
    },
    {
      entry: 'siteFacilities: an unknown type',
      library: () =>
        siteFacilities({ communities, facilities }, { type: 'no_such_type', model: 'mclp', k: 1 }),
      option: 'type',
      cli: ['site', ...townInputs('pingliang'), '--type', 'no_such_type', '--model', 'mclp', '--k', '1'],
    },
    {
      entry: 'checkStandards: a year that is not one',
      library: () => checkStandards({ communities, facilities }, profile, { asOf: 20.5 }),
      option: 'asOf',
      cli: ['check', ...townInputs('pingliang'), '--as-of', '20.5'],
    },
    {
      entry: 'monitorProfile: the first year after the last',
      library: () => monitorProfile({ communities, facilities }, profile, { from: 2030, to: 2020 }),
      option: 'from',
      cli: ['monitor', ...townInputs('pingliang'), '--from', '2030', '--to', '2020'],
    },
    {
      entry: 'builtInProfile and checkStandards: an unknown profile',
      library: () => builtInProfile('gb50180'),
      option: 'profile',
      cli: ['check', ...townInputs('pingliang'), '--profile', 'gb50180'],
    },
    {
      entry: 'walkers: an unknown walker',
      library: () => new WalkerSet().get('nobody'),
      option: '--walker',
      cli: [
        'analyze',
        ...townInputs('pingliang'),
        '--network',
        fixture('pingliang', 'roads.geojson'),
        '--walker',
        'nobody',
      ],
    },
    {
      entry: "io's readers: an unknown text encoding",
      library: () => readFeatures(new TextEncoder().encode('id,lon,lat\n'), 'c.csv', { encoding: 'no-such' }),
      option: 'encoding',
      cli: ['analyze', ...townInputs('pingliang'), '--encoding', 'no-such'],
    },
  ];
  for (const { entry, library, option, cli } of cases) {
    it(entry, async () => {
      const error = await thrown(library);
      expect(error).toBeInstanceOf(OptionError);
      expect((error as OptionError).option).toContain(option);
      const run = await runCli(cli);
      expect(run.code, run.all).toBe(2);
      expect(run.err).not.toMatch(/\n\s+at /); // no stack trace
    });
  }
});

describe('input nothing can be computed from is InputError in the library and exit 1 in the CLI', () => {
  it('analyzeCoverage, siteFacilities and checkStandards: no usable community', async () => {
    const empty = { type: 'FeatureCollection', features: [] };
    for (const call of [
      () => analyzeCoverage({ communities: empty, facilities }),
      () => siteFacilities({ communities: empty, facilities }, { type: 'kindergarten', model: 'mclp', k: 1 }),
      () => checkStandards({ communities: empty, facilities }, profile),
    ]) {
      expect(await thrown(call)).toBeInstanceOf(InputError);
    }
    const run = await runCli([
      'analyze',
      '--communities',
      fixture('pingliang', 'roads.geojson'),
      '--facilities',
      fixture('pingliang', 'facilities.geojson'),
    ]);
    expect(run.code, run.all).toBe(1);
    expect(run.err).not.toMatch(/\n\s+at /);
  });
});
