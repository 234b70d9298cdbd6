// `lifecircle monitor` on its own: its flags parsed, its year table formatted from a library result.

import { readFileSync } from 'node:fs';
import { monitorProfile, parseProfile } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import { formatMonitor, monitorSteps, parseMonitorOptions } from '../../src/commands/monitor.js';
import { CrsRun } from '../../src/options/crs.js';
import { formattedFiles, outputNames } from '../harness.js';

const town = new URL('../../../../fixtures/standards/small-town/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, town), 'utf8')) as unknown;

describe('parseMonitorOptions', () => {
  it('reads the years and the pace', () => {
    expect(parseMonitorOptions({ from: '2010', to: '2030', 'pace-years': '4' })).toEqual({
      from: 2010,
      to: 2030,
      paceYears: 4,
    });
    expect(parseMonitorOptions({})).toEqual({});
  });

  it('refuses what is not a year or a pace', () => {
    for (const [values, message] of [
      [{ from: '20x0' }, "--from expects a year such as 2025, got '20x0'."],
      [{ to: '1700' }, "--to expects a year such as 2025, got '1700'."],
      [{ 'pace-years': '1' }, "--pace-years expects a whole number of years ≥ 2, got '1'."],
      [{ 'pace-years': '3.0' }, "--pace-years expects a whole number of years ≥ 2, got '3.0'."],
    ] as const) {
      expect(() => parseMonitorOptions(values)).toThrowError(new UsageError(message));
    }
  });
});

describe('formatMonitor', () => {
  it('prints the year table and the targets of a library result', () => {
    const { profile } = parseProfile(read('profile.json'));
    const input = {
      communities: read('communities.geojson'),
      facilities: read('facilities.geojson'),
      files: { communities: 'communities.geojson', facilities: 'facilities.geojson' },
    };
    const text = formatMonitor(monitorProfile(input, profile!), 'out');
    expect(text).toContain('The city year by year, 2008–2025');
    expect(text).toMatch(/^2022 /m);
    expect(text).toContain('childcare_per_1000');
    expect(text.endsWith('Wrote out/monitor.csv and monitor.json\n')).toBe(true);
  });
});

describe('monitor as parse, run, format', () => {
  it('names monitor.csv and monitor.json, the --json text, one row a year', async () => {
    const { profile } = parseProfile(read('profile.json'));
    const result = monitorProfile(
      {
        communities: read('communities.geojson'),
        facilities: read('facilities.geojson'),
        files: { communities: 'communities.geojson', facilities: 'facilities.geojson' },
      },
      profile!,
    );
    const setup = { crs: new CrsRun({}), threads: 1 };
    const values = { from: '2010', out: 'out' };
    const options = monitorSteps.parse(values, []);
    expect(options).toEqual({ from: 2010, out: 'out', json: false, inputs: values });
    const formatted = monitorSteps.format({ result, setup }, options);
    expect(outputNames(formatted)).toBe('monitor.csv monitor.json');
    const files = await formattedFiles(formatted.outputs);
    const csv = (files.get('monitor.csv') as string).split('\r\n');
    // The city's row of each year, then the districts' rows.
    expect(csv.filter((line) => line.startsWith('city,'))).toHaveLength(result.years.length);
    const json = JSON.parse(files.get('monitor.json') as string);
    expect(json.years.map((y: { year: number }) => y.year)).toEqual(result.years.map((y) => y.year));
    expect(json.crs.output.id).toBe('EPSG:4326');
    expect(formatted.terminal()).toBe(formatMonitor(result, 'out'));
    const asJson = monitorSteps.format({ result, setup }, monitorSteps.parse({ json: true }, []));
    expect(asJson.outputs).toEqual([]);
    expect(asJson.terminal()).toBe(files.get('monitor.json'));
    expect(() => monitorSteps.parse({ 'pace-years': '1' }, [])).toThrowError(UsageError);
  });
});
