// `lifecircle site`'s flags on their own: the command module imports without the CLI around it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import { formatSite, parseSiteQuestion, siteCommand, siteSteps } from '../../src/commands/site.js';
import { CrsRun } from '../../src/options/crs.js';
import { formattedFiles, outputNames } from '../harness.js';

const ask = (values: Record<string, unknown>) =>
  parseSiteQuestion({ type: 'nursery_childcare', model: 'mclp', k: '3', ...values });

describe('parseSiteQuestion', () => {
  it('turns the flags into siting options', () => {
    const question = ask({ k: '2..5', radius: ['500', 'kindergarten=300'], rate: '4.5/1000' });
    expect(question.options).toMatchObject({
      type: 'nursery_childcare',
      model: 'mclp',
      k: 5,
      kMax: 5,
      radiusM: 500,
      rate: 0.0045,
    });
    expect(question.options).not.toHaveProperty('generate');
    expect(question.from).toBe(2);
    expect(question.catalogRadii).toEqual(['kindergarten=300']);
  });

  it('passes --table-bound to pmedian and pcenter, and refuses it for the other models', () => {
    expect(ask({ model: 'pmedian', 'table-bound': '2000' }).options.tableBoundM).toBe(2000);
    expect(ask({ model: 'pcenter', 'table-bound': '1500' }).options.tableBoundM).toBe(1500);
    expect(() => ask({ model: 'mclp', 'table-bound': '2000' })).toThrowError(
      '--table-bound applies to pmedian and pcenter (their distance table), not mclp.',
    );
    expect(() => ask({ model: 'pmedian', 'table-bound': '-1' })).toThrowError(
      "--table-bound expects a positive number, got '-1'.",
    );
    expect(siteCommand.usage).toContain('--table-bound M');
    expect(siteCommand.options['table-bound']).toEqual({ type: 'string' });
  });

  it('reports each mistake as a usage error naming the flag', () => {
    const mistakes: [Record<string, unknown>, string][] = [
      [{ type: undefined }, '--type T is required.'],
      [
        { model: undefined },
        '--model MODEL is required: one of mclp, lscp, pmedian, pcenter, capacitated (mclp: the k sites that cover the most people).',
      ],
      [
        { model: 'greedy' },
        "--model expects one of mclp, lscp, pmedian, pcenter, capacitated, got 'greedy'.",
      ],
      [{ model: 'lscp' }, '--k does not apply to lscp; give --target-share.'],
      [{ model: 'pmedian', k: undefined }, '--k N is required for pmedian.'],
      [
        { model: 'pcenter', k: '1..3' },
        '--k A..B (a trade-off curve) works with mclp, pmedian and capacitated, not pcenter.',
      ],
      [{ k: '0' }, "--k expects a whole number ≥ 1 or a range A..B, got '0'."],
      [{ k: '0x10' }, "--k expects a whole number ≥ 1 or a range A..B, got '0x10'."],
      [{ radius: ['400', '500'] }, '--radius M may be given once.'],
      [{ exact: true, 'no-exact': true }, 'give --exact or --no-exact, not both.'],
      [{ rate: '0' }, "--rate expects a positive number such as 0.0045 or 4.5/1000, got '0'."],
      [{ 'generate-candidates': 'hexagons' }, "--generate-candidates: unknown part 'hexagons'."],
      [{ 'generate-candidates': 'grid:200', 'cost-matrix': 'm.csv' }, 'generated candidates have no ids'],
      [{ 'target-share': '1.5', model: 'lscp', k: undefined }, '--target-share expects a share above 0'],
    ];
    for (const [values, message] of mistakes) {
      let error: unknown;
      try {
        ask(values);
      } catch (caught) {
        error = caught;
      }
      expect(error, message).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(message);
    }
  });
});

describe('formatSite', () => {
  it('prints the question, the coverage change and the new sites of a library result', async () => {
    const { siteFacilities, siteFeatureCollection, siteSummaryJson } = await import('@lifecircle/core');
    const data = (name: string) =>
      JSON.parse(readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8')) as unknown;
    const outcome = await siteFacilities(
      { communities: data('communities.geojson'), facilities: data('facilities.geojson') },
      { type: 'nursery_childcare', model: 'mclp', k: 1, solve: { exact: false } },
    );
    const text = formatSite(
      siteSummaryJson(outcome.summary),
      siteFeatureCollection(outcome),
      outcome.summary.communities,
      undefined,
      'out',
      ['sites.geojson', 'summary.json'],
    );
    expect(text).toMatch(/^nursery_childcare, mclp: \d+ existing facilities kept, \d+ candidate sites/);
    expect(text).toContain('rank  site');
    // The communities a site newly serves are named by their names, not their ids.
    const served = outcome.chosen[0]!.newlyServedCommunities;
    expect(served.length).toBeGreaterThan(0);
    const row = text.split('\n').find((line) => /^\s*1\s/.test(line))!;
    const servedCell = row.split(/ {2,}/).at(-1)!;
    expect(servedCell).toBe(
      served.map((id) => outcome.summary.communities.find((c) => c.id === id)!.name).join(', '),
    );
    expect(text.endsWith('Wrote out/sites.geojson and summary.json\n')).toBe(true);
  });
});

describe('site as parse, run, format', () => {
  it('parses the question with where to write, and names the sites layer, sites.csv and summary.json', async () => {
    const { siteFacilities } = await import('@lifecircle/core');
    const data = (name: string) =>
      JSON.parse(readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8')) as unknown;
    const outcome = await siteFacilities(
      { communities: data('communities.geojson'), facilities: data('facilities.geojson') },
      { type: 'nursery_childcare', model: 'mclp', k: 2, kMax: 2, solve: { exact: false } },
    );
    const values = { type: 'nursery_childcare', model: 'mclp', k: '1..2', out: 'out' };
    const options = siteSteps.parse(values, []);
    expect(options).toMatchObject({ from: 1, out: 'out', json: false, inputs: values });
    expect(options.options).toMatchObject({ type: 'nursery_childcare', model: 'mclp', k: 2 });

    const setup = (format?: string) => ({ crs: new CrsRun(format ? { format } : {}), threads: 1 });
    // The sites layer alone by default: a table only with --format csv.
    expect(outputNames(siteSteps.format({ outcome, setup: setup() }, options))).toBe(
      'sites.geojson summary.json',
    );
    const formatted = siteSteps.format({ outcome, setup: setup('geojson,csv') }, options);
    expect(outputNames(formatted)).toBe('sites.geojson sites.csv summary.json');
    const files = await formattedFiles(formatted.outputs);
    const sites = JSON.parse(files.get('sites.geojson') as string);
    expect(sites.features).toHaveLength(outcome.chosen.length);
    const csv = (files.get('sites.csv') as string).split('\r\n');
    expect(csv[0]).toMatch(/^\ufeffid,.*,x,y$/);
    expect(csv).toHaveLength(1 + outcome.chosen.length + 1);
    const summary = JSON.parse(files.get('summary.json') as string);
    expect(summary).toMatchObject({ type: 'nursery_childcare', model: 'mclp', threads: 1 });
    expect(summary.sites).toEqual(outcome.summary.sites);
    expect(formatted.terminal()).toContain('Coverage against the number of new sites:');
    expect(formatted.terminal().endsWith('Wrote out/sites.geojson, sites.csv and summary.json\n')).toBe(true);

    const json = siteSteps.format(
      { outcome, setup: setup() },
      siteSteps.parse({ ...values, json: true }, []),
    );
    expect(json.terminal()).toBe((await formattedFiles(json.outputs)).get('summary.json'));
    const none = siteSteps.format(
      { outcome, setup: setup() },
      siteSteps.parse({ type: 'x', model: 'mclp', k: '1' }, []),
    );
    expect(none.outputs).toEqual([]);
    expect(none.terminal()).not.toContain('Wrote');
  });
});
