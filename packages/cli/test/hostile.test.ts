import { describe, expect, it } from 'vitest';
import { fixture, readSummary, runCli, scratchDir, townInputs } from './harness.js';

const { write: file, outDir } = scratchDir('hostile');

/** A point FeatureCollection of candidate sites with the given properties, near the city's centre. */
function candidates(name: string, properties: Record<string, unknown>[]): string {
  const features = properties.map((p, i) => ({
    type: 'Feature',
    properties: p,
    geometry: { type: 'Point', coordinates: [106.66 + i * 0.01, 35.54 + i * 0.005] },
  }));
  return file(name, JSON.stringify({ type: 'FeatureCollection', features }));
}

const site = (...args: string[]) =>
  runCli(['site', ...townInputs('pingliang'), '--type', '托育', '--quiet', ...args]);

/** No stack trace, no internal error. */
function expectClean(r: { code: number; err: string }): void {
  expect(r.err).not.toMatch(/internal error|\n\s+at /);
}

describe('reading limits from the command line', () => {
  const facilities = file(
    'facilities.csv',
    'id,type,name,lon,lat,capacity\nF1,nursery_childcare,托育一,106.66,35.54,30\n',
  );
  const analyzeWithLimit = (limit: string, ...args: string[]) =>
    runCli([
      'analyze',
      '--communities',
      fixture('pingliang', 'communities.geojson'),
      '--facilities',
      facilities,
      '--limit',
      limit,
      ...args,
    ]);

  it('a lowered limit refuses the file, and the message names the --limit that raises it', async () => {
    const r = await analyzeWithLimit('maxColumns=3', '--quiet');
    expect(r.code).toBe(1);
    expectClean(r);
    expect(r.err).toContain(`${facilities}: `);
    expect(r.err).toMatch(
      /row 1 has more than 3 cells, beyond the limit of 3 \(raise it with --limit maxColumns=30 if the file is genuine\)/,
    );
    // The library's wording of the option is not shown at the command line.
    expect(r.err).not.toContain('limits.maxColumns');
  });

  it('a run a limit stops still writes summary.json saying where and why it stopped', async () => {
    const out = outDir();
    const r = await analyzeWithLimit('maxColumns=3', '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(readSummary(out)).toEqual({
      status: 'stopped',
      stopped: {
        stage: 'reading inputs',
        reason: `${facilities}: row 1 has more than 3 cells, beyond the limit of 3 (raise it with --limit maxColumns=30 if the file is genuine).`,
        exit_code: 1,
      },
      done: {},
      written: [],
      rejected: [],
      warnings: [],
    });
  });

  it.each([
    ['maxColumns', 'an unknown name or no value'],
    ['maxWidth=3', 'an unknown name'],
    ['maxColumns=-3', 'a negative value'],
    ['maxColumns=3MB', 'a size unit on a count'],
  ])('--limit %s (%s) is an option mistake, exit 2', async (given) => {
    const r = await analyzeWithLimit(given);
    expect(r.code).toBe(2);
    expectClean(r);
    expect(r.err).toMatch(/--limit: /);
  });
});

describe('lifecircle site with hostile candidates', () => {
  it('an empty candidates file is a clear message, exit 1', async () => {
    const r = await site('--model', 'mclp', '--k', '2', '--candidates', candidates('empty.geojson', []));
    expect(r.code).toBe(1);
    expectClean(r);
    expect(r.err).toMatch(/empty\.geojson: there are no candidate sites to choose from/);
  });

  it('candidates whose costs are all negative, with --budget, are rejected by name, exit 1', async () => {
    const path = candidates('negative-cost.geojson', [{ id: 'c1', cost: -5 }]);
    const r = await site('--model', 'mclp', '--k', '1', '--budget', '3', '--candidates', path);
    expect(r.code).toBe(1);
    expectClean(r);
    expect(r.err).toMatch(/no candidate sites to choose from: .*\(1 rejected\)/);
    expect(r.err).toMatch(/feature 0 \(c1\), cost: expected a plain decimal number from 0 .* got -5/);
  });

  it.each([
    ['pmedian', []],
    ['capacitated', ['--rate', '4.5/1000', '--capacity-per-site', '30']],
  ])('%s with --k above the number of candidates warns', async (model, extra) => {
    const path = candidates(`two-${model}.geojson`, [{ id: 'c1' }, { id: 'c2' }]);
    const r = await site('--model', model, '--k', '5', '--candidates', path, ...extra);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'k is 5 but there are only 2 candidate sites: at most 2 new sites can be placed.',
    );
  });

  it('candidates without capacity name the --capacity-per-site flag and the candidates, exit 2', async () => {
    const path = candidates('no-capacity.geojson', [{ id: 'c1' }, { id: 'c2', capacity: -4 }, { id: 'c3' }]);
    const r = await site('--model', 'capacitated', '--k', '1', '--rate', '4.5/1000', '--candidates', path);
    expect(r.code).toBe(2);
    expectClean(r);
    expect(r.err).toMatch(
      /--capacity-per-site: 2 candidates have no capacity \(c1, c3\): give --capacity-per-site \(the capacity of a new site\)/,
    );
    expect(r.err).not.toContain('capacityPerSite');
  });

  it('a negative --capacity-per-site names the flag, exit 2', async () => {
    const path = candidates('capacity.geojson', [{ id: 'c1' }]);
    const r = await site(
      '--model',
      'capacitated',
      '--k',
      '1',
      '--rate',
      '4.5/1000',
      '--capacity-per-site=-3',
      '--candidates',
      path,
    );
    expect(r.code).toBe(2);
    expectClean(r);
    expect(r.err).toMatch(/--capacity-per-site expects a positive number, got '-3'/);
  });
});

describe('smaller ones', () => {
  it('a cost matrix in minutes prints radii in minutes, not "5 m"', async () => {
    const matrix = file('minutes.csv', 'origin_id,destination_id,cost\nKT-001,F-0001,4\n');
    const r = await runCli([
      'analyze',
      ...townInputs('pingliang'),
      '--cost-matrix',
      matrix,
      '--cost-unit',
      'min',
      '--minutes',
      '5,10,15',
      '--quiet',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/nursery_childcare .* 5 min /);
    expect(r.out).toMatch(/community_health_center .* 15 min /);
    expect(r.out).not.toMatch(/ \d+ m /);
  });
});

describe('a cost matrix read in pieces', () => {
  const base = ['analyze', ...townInputs('pingliang'), '--quiet'];

  it('a matrix of one endless line stops at the line-length limit, naming --limit, exit 1', async () => {
    const matrix = file('matrix-one-line.csv', `origin_id,destination_id,cost${',x'.repeat(600_000)}`);
    const r = await runCli([...base, '--cost-matrix', matrix]);
    expect(r.code).toBe(1);
    expectClean(r);
    expect(r.err).toContain(
      `${matrix}: line 1 is longer than 1,000,000 characters (no line break, or a quote never closed), beyond the limit of 1,000,000 (raise it with --limit maxLineLength=10000000 if the file is genuine).`,
    );
    const raised = await runCli([...base, '--cost-matrix', matrix, '--limit', 'maxLineLength=2000000']);
    // Raised, the line is read: a header of 600,003 columns names the three needed, so it is a matrix
    // without rows, and every community is off the matrix.
    expect(raised.code).toBe(0);
  });

  it('text costs, 0x10 and unknown facilities are rejected or warned by line, never read as numbers', async () => {
    const matrix = file(
      'matrix-text.csv',
      'origin_id,destination_id,cost\nKT-001,F-0001,abc\nKT-001,F-0001,120\nKT-002,NOPE,100\nKT-003,F-0001,0x10\n',
    );
    const r = await runCli([...base, '--cost-matrix', matrix, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    const reasons = summary.rejected
      .filter((x: { file: string }) => x.file === matrix)
      .map((x: { reason: string }) => x.reason);
    expect(reasons).toEqual([
      'line 2: cost must be a plain decimal number >= 0, got "abc"',
      'line 5: cost must be a plain decimal number >= 0, got "0x10"',
    ]);
    expect(JSON.stringify(summary.warnings)).toContain('match no facility or candidate');
  });
});
