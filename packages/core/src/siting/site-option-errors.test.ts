// One error class per kind of mistake (issue #11): an option value siteFacilities cannot use is an
// OptionError naming the option, as in analyzeCoverage, whether siteFacilities checks it itself or the
// siting model, the candidate grid or the demand builder it calls does. Before, the model's checks
// threw plain Errors (and the CLI reported them as a failed run), and a study-area clip without a study
// area was an InputError. Each case makes one mistake on a three-community town.
import { describe, expect, it } from 'vitest';
import { analyzeCoverage, buildDemand, OptionError, type SiteOptions, siteFacilities } from '../index.js';

const point = (id: string, lon: number, properties: Record<string, unknown>) => ({
  type: 'Feature',
  properties: { id, ...properties },
  geometry: { type: 'Point', coordinates: [lon, 35.54] },
});
const communities = {
  type: 'FeatureCollection',
  features: [
    point('A', 106.66, { population: 1200, district: 'east' }),
    point('B', 106.665, { population: 800, district: 'east' }),
    point('C', 106.7, { population: 500, district: 'west' }),
  ],
};
const facilities = { type: 'FeatureCollection', features: [point('K1', 106.6601, { type: 'kindergarten' })] };
const input = { communities, facilities };
const mclp: SiteOptions = { type: 'kindergarten', model: 'mclp', k: 1, solve: { exact: false } };

describe('an option value siteFacilities cannot use is an OptionError naming it', () => {
  const cases: [string, SiteOptions, string, RegExp][] = [
    ['gapThreshold', { ...mclp, gapThreshold: 3 }, 'gapThreshold', /between 0 and 1, got 3/],
    [
      'tableBoundM',
      { ...mclp, model: 'pmedian', tableBoundM: -3 },
      'tableBoundM',
      /positive number of metres, got -3/,
    ],
    ['minSpacingM', { ...mclp, minSpacingM: -1 }, 'minSpacingM', /non-negative number of metres, got -1/],
    ['budget', { ...mclp, budget: -5 }, 'budget', /non-negative number, got -5/],
    [
      'targetShare',
      { type: 'kindergarten', model: 'lscp', targetShare: 2 },
      'targetShare',
      /\(0, 1\], got 2/,
    ],
    [
      'rate',
      { ...mclp, model: 'capacitated', rate: -1, capacityPerSite: 10 },
      'rate',
      /positive number, got -1/,
    ],
    ['minPerDistrict', { ...mclp, minPerDistrict: 1.5 }, 'minPerDistrict', /whole number ≥ 0, got 1.5/],
    ['generate.spacingM', { ...mclp, generate: { spacingM: -1 } }, 'spacingM', /≥ 0, got -1/],
    [
      'a study-area clip without a study area',
      { ...mclp, generate: { spacingM: 100, clip: 'study-area' } },
      'generate',
      /'study-area' needs a study area/,
    ],
    ['solve.timeLimitS', { ...mclp, solve: { timeLimitS: -1 } }, 'timeLimitS', /seconds, got -1/],
    ['solve.exactTimeMs', { ...mclp, solve: { exactTimeMs: -1 } }, 'exactTimeMs', /0 \(off\) or a positive/],
    ['demand.cellM', { ...mclp, demand: { cellM: -3 } }, 'cellM', /cell must be positive, got -3/],
  ];
  it.each(cases)('%s', async (_name, options, option, message) => {
    const sited = siteFacilities(input, options);
    await expect(sited).rejects.toThrowError(OptionError);
    await expect(sited).rejects.toMatchObject({ option, message: expect.stringMatching(message) });
  });

  it('the same demand cell mistake is an OptionError in analyzeCoverage and buildDemand', () => {
    expect(() => analyzeCoverage(input, { demand: { cellM: 0 } })).toThrowError(OptionError);
    expect(() => buildDemand([], undefined, { cellM: 0 })).toThrowError(OptionError);
    expect(() => buildDemand([], undefined, { maxPointsPerCommunity: 0 })).toThrowError(OptionError);
  });

  it('a valid call still runs', async () => {
    const outcome = await siteFacilities(input, { ...mclp, gapThreshold: 0.5, minSpacingM: 0 });
    expect(outcome.summary.model).toBe('mclp');
  });
});
