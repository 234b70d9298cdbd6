// `lifecircle inspect` on its own: its arguments parsed, its text formatted from a result.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/command.js';
import {
  formatInspect,
  type InspectResult,
  inspectJson,
  inspectSteps,
  parseInspectOptions,
} from '../../src/commands/inspect.js';

describe('parseInspectOptions', () => {
  it('takes the files, the network and --json', () => {
    expect(parseInspectOptions({ network: 'roads.osm', json: true }, ['a.csv', 'b.shp'])).toEqual({
      files: ['a.csv', 'b.shp'],
      network: 'roads.osm',
      json: true,
    });
    expect(parseInspectOptions({}, ['a.csv'])).toEqual({ files: ['a.csv'], json: false });
  });

  it('needs a file', () => {
    expect(() => parseInspectOptions({ network: 'roads.osm' }, [])).toThrowError(UsageError);
  });
});

describe('formatInspect', () => {
  const record = {
    file: 'pois.csv',
    read: null,
    declared: null,
    detected: null,
    used: { id: 'EPSG:4326', name: 'WGS 84' },
    source: 'default' as const,
    converted: false,
  };
  const result: InspectResult = {
    network: { file: 'roads.osm', crs: { ...record, file: 'roads.osm' } },
    files: [
      {
        file: 'pois.csv',
        format: 'csv',
        encoding: 'gb18030',
        crs: record,
        columns: [{ role: 'longitude', column: '经度', source: 'detected' }],
        features: { read: 3, rejected: 0 },
        bbox: [106.6, 35.5, 106.7, 35.6],
        offset_test: {
          points: 3,
          as_read_median_m: 12,
          as_gcj02_median_m: null,
          as_bd09_median_m: 80.25,
          better: null,
          reason: 'too few',
        },
        rejected: [],
        warnings: [{ code: 'coordinates-gcj02', file: 'pois.csv', message: 'are its coordinates GCJ-02?' }],
      },
    ],
  };

  it('prints the reference, then one block per file; a missing median is a dash', () => {
    expect(formatInspect(result)).toBe(
      [
        'Offset test reference: roads.osm (WGS 84), taken to be in WGS84',
        '',
        'pois.csv',
        '  format       CSV, gb18030',
        '  coordinates  file declares: nothing; option: none; detected: nothing',
        '               read as WGS 84 (EPSG:4326, the default: nothing declares one)',
        '  columns      longitude 经度 (detected)',
        '  features     3 read, 0 rejected',
        '  bbox         106.6, 35.5, 106.7, 35.6 (west, south, east, north; WGS84)',
        '  offset test  3 points, median distance to the roads: as read 12.0 m, as GCJ-02 –, as BD-09 80.3 m',
        '               better: undecided (too few)',
        'warning: pois.csv: are its coordinates GCJ-02?',
        '',
      ].join('\n'),
    );
  });
});

describe('inspect as parse, run, format', () => {
  it('parses the files with the reading flags as given, and writes no file', () => {
    const values = { json: true, encoding: ['gbk'] };
    const options = inspectSteps.parse(values, ['pois.csv']);
    expect(options).toEqual({ files: ['pois.csv'], json: true, inputs: values });
    const result: InspectResult = { network: null, files: [] };
    const formatted = inspectSteps.format(result, options);
    expect(formatted.outputs).toEqual([]);
    expect(formatted.terminal()).toBe(inspectJson(result));
    expect(inspectSteps.format(result, { ...options, json: false }).terminal()).toBe(formatInspect(result));
    expect(() => inspectSteps.parse({}, [])).toThrowError(UsageError);
  });
});
