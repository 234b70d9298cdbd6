// `lifecircle check` on its own: its flags parsed, its tables formatted from a library result.
import { readFileSync } from 'node:fs';
import { checkStandards, parseProfile } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import { formatCheck, parseCheckOptions } from '../../src/commands/check.js';

const town = new URL('../../../../fixtures/standards/small-town/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, town), 'utf8')) as unknown;

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
    const { profile } = parseProfile(read('profile.json'));
    const result = checkStandards(
      {
        communities: read('communities.geojson'),
        facilities: read('facilities.geojson'),
        files: { communities: 'communities.geojson', facilities: 'facilities.geojson' },
      },
      profile!,
    );
    const text = formatCheck(result, undefined);
    expect(text).toMatch(/^Profile /);
    expect(text).toContain('Complete communities: ');
    expect(text).toContain('By county:');
    expect(text).toContain('Items (city):');
    expect(text).not.toContain('Wrote');
  });
});
