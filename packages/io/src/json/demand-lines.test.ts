import { demandColumnsOf, validateDemandPoints } from '@lifecircle/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../limits.js';
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
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.push(text.slice(from, cut));
    from = cut;
  }
  reader.push(text.slice(from));
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
        reason: 'line 3 is not valid JSON',
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
