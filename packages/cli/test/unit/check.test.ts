// `lifecircle check` on its own: its flags parsed, its tables formatted from a library result.
import { readFileSync } from 'node:fs';
import { checkStandards, parseProfile } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import { checkSteps, formatCheck, parseCheckOptions } from '../../src/commands/check.js';
import { CrsRun } from '../../src/options/crs.js';
import { complianceReportChunks, renderComplianceReport } from '../../src/report/html.js';
import { formattedFiles, outputNames } from '../harness.js';

const town = new URL('../../../../fixtures/standards/small-town/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, town), 'utf8')) as unknown;

/** The small town's check against its profile. */
function smallTownCheck() {
  const { profile } = parseProfile(read('profile.json'));
  return checkStandards(
    {
      communities: read('communities.geojson'),
      facilities: read('facilities.geojson'),
      files: { communities: 'communities.geojson', facilities: 'facilities.geojson' },
    },
    profile!,
  );
}

describe('parseCheckOptions', () => {
  it('reads --as-of', () => {
    expect(parseCheckOptions({ 'as-of': '2020' })).toEqual({ asOf: 2020 });
    expect(parseCheckOptions({ 'include-planned': true })).toEqual({});
  });

  it('refuses --as-of with --include-planned, and a year that is not one', () => {
    expect(() => parseCheckOptions({ 'as-of': '2020', 'include-planned': true })).toThrowError(UsageError);
    expect(() => parseCheckOptions({ 'as-of': 'soon' })).toThrowError(
      new UsageError("--as-of expects a year such as 2025, got 'soon'."),
    );
  });
});

describe('formatCheck', () => {
  it('prints the complete-community rate, the counties and the items', () => {
    const text = formatCheck(smallTownCheck(), undefined);
    expect(text).toMatch(/^Profile /);
    expect(text).toContain('Complete communities: ');
    expect(text).toContain('By county:');
    expect(text).toContain('Items (city):');
    expect(text).not.toContain('Wrote');
  });
});

describe('report.html in pieces', () => {
  const result = smallTownCheck();

  it('gives the report text, piece by piece', () => {
    const pieces = [...complianceReportChunks(result)];
    expect(pieces.length).toBeGreaterThan(result.communities.length);
    expect(pieces.join('')).toBe(renderComplianceReport(result));
    expect(pieces.join('')).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
  });

  it('writes the map of 300,000 communities in pieces of at most a few kilobytes, never one string', () => {
    const many = 300_000;
    const communities = Array.from(
      { length: many },
      (_, i) => result.communities[i % result.communities.length]!,
    );
    let bytes = 0;
    let pieces = 0;
    let longest = 0;
    let shapes = 0;
    for (const piece of complianceReportChunks({ ...result, communities })) {
      pieces++;
      bytes += piece.length;
      longest = Math.max(longest, piece.length);
      if (piece.includes('<circle') || piece.includes('<path')) shapes++;
    }
    // One shape a community, each its own piece; the longest piece is a section of tables, not the map.
    expect(shapes).toBe(many);
    expect(pieces).toBeGreaterThan(many);
    expect(bytes).toBeGreaterThan(many * 100);
    expect(longest).toBeLessThan(64 * 1024);
  });
});

describe('check as parse, run, format', () => {
  const result = smallTownCheck();
  const setup = { crs: new CrsRun({}), threads: 1 };

  it('parses --as-of and --complete-inventory with where to write', () => {
    const values = { 'as-of': '2020', 'complete-inventory': true, out: 'out', profile: 'p.json' };
    expect(checkSteps.parse(values, [])).toEqual({
      asOf: 2020,
      completeInventory: true,
      out: 'out',
      json: false,
      inputs: values,
    });
    expect(() => checkSteps.parse({ 'as-of': '2020', 'include-planned': true }, [])).toThrowError(UsageError);
  });

  it('names the layer, summary.json, the tables and report.html, with their contents', async () => {
    const formatted = checkSteps.format({ result, setup }, checkSteps.parse({ out: 'out' }, []));
    const names = 'compliance.geojson summary.json compliance.csv districts.csv report.html';
    expect(outputNames(formatted)).toBe(names);
    const files = await formattedFiles(formatted.outputs);
    const layer = JSON.parse(files.get('compliance.geojson') as string);
    expect(layer.features).toHaveLength(result.communities.length);
    const summary = JSON.parse(files.get('summary.json') as string);
    expect(summary.city.communities).toBe(result.city.communities);
    expect(summary.crs.output.id).toBe('EPSG:4326');
    const csv = (files.get('compliance.csv') as string).split('\r\n');
    // One row per community and requirement, the header and the final line end.
    expect(csv).toHaveLength(1 + result.communities.length * result.requirements.length + 1);
    expect(files.get('report.html')).toBe(renderComplianceReport(result));
    expect(formatted.terminal()).toBe(formatCheck(result, 'out', names.split(' ')));
  });

  it("without --out names no file; --json prints summary.json's text; --format geojson writes no table", async () => {
    expect(checkSteps.format({ result, setup }, checkSteps.parse({}, [])).outputs).toEqual([]);
    const json = checkSteps.format({ result, setup }, checkSteps.parse({ json: true, out: 'out' }, []));
    expect(json.terminal()).toBe((await formattedFiles(json.outputs)).get('summary.json'));
    const noTables = checkSteps.format(
      { result, setup: { crs: new CrsRun({ format: 'geojson' }), threads: 1 } },
      checkSteps.parse({ out: 'out' }, []),
    );
    expect(outputNames(noTables)).toBe('compliance.geojson summary.json report.html');
  });
});
