// `lifecircle monitor` on its own: its flags parsed, its year table formatted from a library result.

import { readFileSync } from 'node:fs';
import { monitorProfile, parseProfile } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import { formatMonitor, parseMonitorOptions } from '../../src/commands/monitor.js';

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
