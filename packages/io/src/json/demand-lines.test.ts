import { validateDemandPoints } from '@lifecircle/core';
import { demandColumnsOf } from '@lifecircle/core/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pushInPieces } from '../../test/pieces.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { DemandLineScanner } from './demand-line-scan.js';
import { DemandLinesReader } from './demand-lines.js';

const point = (lon: number, lat: number, properties: Record<string, unknown>) =>
  JSON.stringify({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lon, lat] } });

/** A small file with good points, one line that is not JSON, a blank line and a bad population. */
const LINES = [
  point(106.6, 35.5, { population: 12, community_id: 'C1' }),
  point(106.61, 35.51, { population: 3.5, community: 'C2', id: 'p2' }),
  '{"type":"Feature","id":"broken",',
  '',
  point(106.62, 35.52, { population: -4, community_id: 'C1', id: 'neg' }),
  point(106.63, 35.53, { population: '7' }),
];
const TEXT = `\ufeff${LINES.join('\r\n')}\n`;

function readInPieces(text: string, cuts: readonly number[]) {
  const reader = new DemandLinesReader('d.geojsonl');
  pushInPieces(text, cuts, (piece) => reader.push(piece));
  return reader.end();
}

describe('DemandLinesReader', () => {
  it('reads the points into columns, each line checked as validateDemandPoints checks a feature', () => {
    const columns = readInPieces(TEXT.slice(1), []);
    expect(columns.count).toBe(3);
    expect([...columns.population]).toEqual([12, 3.5, 7]);
    expect([...columns.coords]).toEqual([106.6, 35.5, 106.61, 35.51, 106.63, 35.53]);
    expect(columns.communityIds).toEqual(['C1', 'C2']);
    expect([...columns.community]).toEqual([0, 1, -1]);
    // Record numbers count every non-blank line, as readInput's GeoJSON-lines reader does.
    expect([...columns.sourceIndex]).toEqual([0, 1, 4]);
    expect(columns.rejected).toEqual([
      {
        file: 'd.geojsonl',
        index: 2,
        row: 3,
        id: 'broken',
        field: 'json',
        // As readInput's GeoJSON-lines reader words it.
        reason: 'line 3 is not valid JSON at column 33: property name expected',
      },
      {
        file: 'd.geojsonl',
        index: 3,
        row: 5,
        id: 'neg',
        field: 'population',
        reason: 'expected a number of residents ≥ 0, got -4',
      },
    ]);
    expect(columns.warnings.map((w) => w.code)).toEqual(['numeric-text']);
  });

  it('gives the same columns as validating the parsed features (the non-streamed path)', () => {
    const features = LINES.filter((l) => l !== '' && !l.endsWith(',')).map((l) => JSON.parse(l));
    const expected = demandColumnsOf(
      validateDemandPoints({ type: 'FeatureCollection', features }, 'd.geojsonl').records,
    );
    const streamed = readInPieces(LINES.filter((l) => l !== '' && !l.endsWith(',')).join('\n'), []);
    expect(streamed.coords).toEqual(expected.coords);
    expect(streamed.population).toEqual(expected.population);
    expect(streamed.community).toEqual(expected.community);
    expect(streamed.sourceIndex).toEqual(expected.sourceIndex);
  });

  it('reads the same whatever the pieces the text arrives in', () => {
    const whole = readInPieces(TEXT.slice(1), []);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: TEXT.length - 1 }), { maxLength: 12 }), (cuts) => {
        const pieces = readInPieces(TEXT.slice(1), cuts);
        expect(pieces).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a line past the length limit without keeping it, and reads on after it', () => {
    const reader = new DemandLinesReader('d.geojsonl', {
      ...DEFAULT_LIMITS,
      maxLineLength: 120,
    });
    reader.push(`{"id":"long","pad":"${'x'.repeat(150)}`);
    reader.push('y'.repeat(300));
    reader.push(`${'y'.repeat(300)}"}\n`);
    reader.push(`${point(106.6, 35.5, { population: 1 })}\n`);
    const columns = reader.end();
    expect(columns.count).toBe(1);
    expect(columns.rejected).toHaveLength(1);
    expect(columns.rejected[0]).toMatchObject({ row: 1, field: 'json', id: 'long' });
    expect(columns.rejected[0]!.reason).toMatch(
      /beyond the limit of 120 \(reading option limits.maxLineLength\)/,
    );
    expect(columns.sourceIndex[0]).toBe(1);
  });
});

/** The reader fed the text's UTF-8 bytes, cut at `cuts`. */
function readBytesInPieces(text: string, cuts: readonly number[] = [], limits = DEFAULT_LIMITS) {
  const bytes = new TextEncoder().encode(text);
  const reader = new DemandLinesReader('d.geojsonl', limits);
  pushInPieces(bytes, cuts, (piece) => reader.pushBytes(piece));
  return reader.end();
}

/** The reader fed the text as one string: every line through JSON.parse. */
function readText(text: string, limits = DEFAULT_LIMITS) {
  const reader = new DemandLinesReader('d.geojsonl', limits);
  reader.push(text);
  return reader.end();
}

describe('DemandLinesReader on bytes (the plain line shape read without JSON.parse)', () => {
  it('gives what the text path gives, whatever the pieces, a byte-order mark skipped', () => {
    const bytes = new TextEncoder().encode(TEXT).length;
    const expected = readText(TEXT.slice(1));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: bytes }), { maxLength: 12 }), (cuts) => {
        expect(readBytesInPieces(TEXT, cuts)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  // Lines near the plain shape: numbers in every JSON form, spaces, member orders, ids, non-ASCII and
  // odd community ids, nulls and booleans, and the things the plain path leaves to JSON.parse.
  const number = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
    fc.integer().map(String),
    fc.constantFrom(
      '0',
      '-0',
      '1e2',
      '1E-2',
      '106.660000',
      '35.5400000000000000001',
      '1e400',
      '-1e-400',
      '00',
      '1.',
      '+1',
    ),
    fc
      .tuple(fc.integer({ min: -180, max: 180 }), fc.nat({ max: 999999 }), fc.integer({ min: -30, max: 30 }))
      .map(([a, b, e]) => `${a}.${b}e${e}`),
  );
  const text = fc.oneof(
    fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
    fc.constantFrom('"社区1"', '" C2 "', '""', '"a\\"b"', '"\\u0043"', 'null', 'true', '12', '[1]', '{}'),
  );
  const space = fc.constantFrom('', ' ', '\t', '  ');
  // Names the scanner matches on their bytes, and names one byte away from them.
  const member = fc.oneof(
    fc.tuple(fc.constant('population'), number),
    fc.tuple(fc.constantFrom('Population', 'populatioN', 'populations'), number),
    fc.tuple(fc.constantFrom('community_id', 'community', 'id', 'name', 'population'), text),
    fc.tuple(
      fc.constantFrom(
        'type',
        'Community',
        'communityid',
        'community_ie',
        'populatio',
        'Population',
        'populatioN',
        'coordinates',
        '人口',
      ),
      text,
    ),
  );
  const line = fc
    .record({
      properties: fc.array(member, { maxLength: 4 }),
      lon: number,
      lat: number,
      id: fc.option(text, { nil: undefined }),
      geometryFirst: fc.boolean(),
      coordinatesFirst: fc.boolean(),
      space,
    })
    .map(({ properties, lon, lat, id, geometryFirst, coordinatesFirst, space: s }) => {
      const props = `{${properties.map(([k, v]) => `${s}"${k}"${s}:${s}${v}`).join(',')}}`;
      const coordinates = `"coordinates":${s}[${s}${lon},${s}${lat}${s}]`;
      const geometry = `{${coordinatesFirst ? `${coordinates},"type":"Point"` : `"type":"Point",${coordinates}`}}`;
      const parts = [`"type":${s}"Feature"`, ...(id === undefined ? [] : [`"id":${id}`])];
      const rest = [`"properties":${props}`, `"geometry":${geometry}`];
      return `{${[...parts, ...(geometryFirst ? rest.reverse() : rest)].join(`,${s}`)}}`;
    });

  const FIRST_HUNDRED = Array.from({ length: 100 }, (_, i) => point(106.6, 35.5, { population: i }));

  it('reads the plain shape from the bytes, and leaves the rest to JSON.parse', () => {
    const scanner = new DemandLineScanner(DEFAULT_LIMITS.maxPropertyLength);
    const scan = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      const plain = scanner.scan(bytes, 0, bytes.length);
      return plain && { ...plain };
    };
    expect(
      scan(
        '{"type":"Feature","properties":{"population":12.5,"community_id":" 社区1 ","name":"x"},"geometry":{"type":"Point","coordinates":[106.66,35.54]}}',
      ),
    ).toEqual({ lon: 106.66, lat: 35.54, population: 12.5, communityId: '社区1' });
    expect(
      scan(
        '{ "geometry": {"coordinates": [1e1, -0], "type": "Point"}, "properties": {"population": 3, "community": 7}, "type": "Feature" }',
      ),
    ).toEqual({ lon: 10, lat: -0, population: 3, communityId: '7' });
    for (const left of [
      '{"type":"Feature","properties":{"population":1,"tags":{}},"geometry":{"type":"Point","coordinates":[1,2]}}',
      '{"type":"Feature","properties":{"population":1},"geometry":{"type":"Point","coordinates":[1,2,3]}}',
      '{"type":"Feature","properties":{"population":"1"},"geometry":{"type":"Point","coordinates":[1,2]}}',
      '{"type":"Feature","properties":{"population":1,"name":"a\\nb"},"geometry":{"type":"Point","coordinates":[1,2]}}',
      '{"type":"Feature","bbox":[1,2,1,2],"properties":{"population":1},"geometry":{"type":"Point","coordinates":[1,2]}}',
    ]) {
      expect(scan(left)).toBeNull();
    }
  });

  it('reads every line as JSON.parse and the validator would (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 50 }), (lines) => {
        // The first hundred features always take the full path (their fields are looked at).
        const text = `${[...FIRST_HUNDRED, ...lines].join('\n')}\n`;
        expect(readBytesInPieces(text)).toEqual(readText(text));
      }),
      { numRuns: 300 },
    );
  });

  // The line most files write, byte for byte (the scanner's exact path), and that line with one byte
  // changed, cut short or lengthened, which must leave it to the general reading or JSON.parse.
  const exact = fc
    .record({ population: number, id: text, lon: number, lat: number })
    .map(
      ({ population, id, lon, lat }) =>
        `{"type":"Feature","properties":{"population":${population},"community_id":${id}},"geometry":{"type":"Point","coordinates":[${lon},${lat}]}}`,
    );
  // A byte put in, replaced or appended anywhere; negative places count from the line's end, which
  // fast-check's small numbers would seldom reach.
  const changed = fc
    .tuple(
      exact,
      fc.oneof(fc.nat(), fc.integer({ min: -8, max: -1 })),
      fc.constantFrom('', ' ', '"', ',', '}', ']', '1', '-', 'x', '\\', 'é', '}}'),
    )
    .map(([line, at, put]) => {
      const k = at < 0 ? line.length + 1 + at : at % (line.length + 1);
      return line.slice(0, k) + put + line.slice(k + 1);
    });

  it('reads the exact common line as JSON.parse and the validator would, and a line one byte off too (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(exact, changed), { minLength: 1, maxLength: 40 }), (lines) => {
        const text = `${[...FIRST_HUNDRED, ...lines].join('\n')}\n`;
        expect(readBytesInPieces(text)).toEqual(readText(text));
      }),
      { numRuns: 400 },
    );
    // Under a string limit shorter than a member name the general reading takes no line as plain,
    // and the exact path none either: the line goes to JSON.parse and its limits.
    const line = new TextEncoder().encode(
      '{"type":"Feature","properties":{"population":3,"community_id":"C1"},"geometry":{"type":"Point","coordinates":[106.6,35.5]}}',
    );
    const plain = [-1, 6, 11, 12].map(
      (limit) => new DemandLineScanner(limit).scan(line, 0, line.length) !== null,
    );
    expect(plain).toEqual([false, false, false, true]);
  });

  it('gives every line its own community id when ids repeat and more ids than the cache holds', () => {
    // 150,000 distinct ids (more than the id cache's slots, so some share a slot), each read twice
    // in an order that interleaves them, and ids the cache leaves alone (spaces, non-ASCII, numbers).
    const scanner = new DemandLineScanner(DEFAULT_LIMITS.maxPropertyLength);
    const encoder = new TextEncoder();
    const ids: string[] = [];
    for (let i = 0; i < 150_000; i++) ids.push(`"C${(i * 7919) % 150_000}"`);
    ids.push(
      '" C1 "',
      '"C1 "',
      '"社区1"',
      '"社区1 "',
      '12',
      '1.50',
      '""',
      '" "',
      `"${'x'.repeat(65)}"`,
      '"C1"',
    );
    const order = [...ids, ...ids.slice().reverse()];
    let wrong = 0;
    for (const id of order) {
      const line = `{"type":"Feature","properties":{"population":1,"community_id":${id}},"geometry":{"type":"Point","coordinates":[1,2]}}`;
      const bytes = encoder.encode(line);
      const parsed = JSON.parse(id) as string | number;
      const trimmed = String(parsed).trim();
      const expected = trimmed === '' ? null : trimmed;
      if (scanner.scan(bytes, 0, bytes.length)?.communityId !== expected) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('leaves a line to the full path under a lowered limit, and finds bytes that are not UTF-8', () => {
    const lines = `${Array.from({ length: 120 }, (_, i) => point(106.6, 35.5, { population: i, name: 'x'.repeat(20) })).join('\n')}\n`;
    const limits = { ...DEFAULT_LIMITS, maxPropertyLength: 10 };
    const lowered = readBytesInPieces(lines, [], limits);
    expect(lowered).toEqual(readText(lines, limits));
    expect(lowered.count).toBe(0);
    const reader = new DemandLinesReader('d.geojsonl');
    expect(() => reader.pushBytes(Uint8Array.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x0a]))).toThrow(TypeError);
  });
});
