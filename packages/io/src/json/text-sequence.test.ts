import { describe, expect, it } from 'vitest';
import { recordStart } from './text-sequence.js';

const feature = '{"type":"Feature","geometry":null,"properties":{}}';

describe('recordStart', () => {
  it('skips the record separator that starts a GeoJSON text sequence record (RFC 8142)', () => {
    const line = `\u001e${feature}`;
    expect(recordStart(line)).toBe(1);
    expect(line.slice(recordStart(line))).toBe(feature);
  });

  it('leaves a GeoJSON lines record as it is', () => {
    expect(recordStart(feature)).toBe(0);
    expect(recordStart('')).toBe(0);
    expect(recordStart(new Uint8Array(0))).toBe(0);
  });

  it('gives the same position for the UTF-8 bytes of a line as for its text', () => {
    const encoder = new TextEncoder();
    for (const line of [`\u001e${feature}`, feature, '\u001e', '\u001e\u001e{}', ' \u001e{}']) {
      expect(recordStart(encoder.encode(line))).toBe(recordStart(line));
    }
  });

  it('looks only at the position it is given', () => {
    const bytes = new TextEncoder().encode(`${feature}\n\u001e${feature}`);
    const second = feature.length + 1;
    expect(recordStart(bytes, second)).toBe(second + 1);
    expect(recordStart(bytes, 0)).toBe(0);
    // Only one separator is skipped: a second one is part of the record and fails as JSON there.
    expect(recordStart('\u001e\u001e{}')).toBe(1);
  });
});
