// `lifecircle analyze` on its own: its flags parsed, its summary formatted from a library result.
import { readFileSync } from 'node:fs';
import { analyzeCoverage } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import { analyzeCommand, formatSummary, parseAnalyzeOptions } from '../../src/commands/analyze.js';

const data = (name: string) => JSON.parse(readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8'));

describe('parseAnalyzeOptions', () => {
  it('reads the types, the gap threshold and the catchment modes', () => {
    expect(
      parseAnalyzeOptions({
        types: 'kindergarten, 托育,',
        'gap-threshold': '0.25',
        catchments: 'nearest,dissolved',
      }),
    ).toEqual({
      types: ['kindergarten', '托育'],
      gapThreshold: 0.25,
      catchmentModes: ['nearest', 'dissolved'],
      communityOutputs: 'all',
    });
    expect(parseAnalyzeOptions({})).toEqual({ catchmentModes: ['dissolved'], communityOutputs: 'all' });
  });

  it('refuses a share outside 0..1 and unknown catchment modes', () => {
    expect(() => parseAnalyzeOptions({ 'gap-threshold': '1.5' })).toThrowError(
      new UsageError("--gap-threshold expects a share between 0 and 1, got '1.5'."),
    );
    expect(() => parseAnalyzeOptions({ catchments: 'isochrones' })).toThrowError(
      new UsageError("--catchments expects modes among per-facility, dissolved, nearest, got 'isochrones'."),
    );
  });
});

describe('formatSummary', () => {
  it('prints the type table and the communities lacking the most types', () => {
    const result = analyzeCoverage(
      { communities: data('communities.geojson'), facilities: data('facilities.geojson') },
      {},
    );
    const text = formatSummary(result, 'out', ['communities.geojson', 'summary.json', 'gaps.csv']);
    expect(text).toMatch(/^\d+ communities, [\d,]+ residents on \d+ demand points; straight-line/);
    expect(text).toContain('kindergarten');
    expect(text.trimEnd().endsWith('Wrote out/communities.geojson, summary.json and gaps.csv')).toBe(true);
    expect(analyzeCommand.name).toBe('analyze');
  });
});
