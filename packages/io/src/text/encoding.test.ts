import { InputError, OptionError } from '@lifecircle/core';
import { describe, expect, it } from 'vitest';
import { decodeText, textDecoder } from './encoding.js';

// 经度,纬度 in GBK, from the GB2312 table (each character two bytes).
const GBK_HEADER = new Uint8Array([0xbe, 0xad, 0xb6, 0xc8, 0x2c, 0xce, 0xb3, 0xb6, 0xc8]);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeText', () => {
  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeText(utf8('经度,纬度'), 'a.csv')).toEqual({
      text: '经度,纬度',
      encoding: 'utf-8',
      warning: null,
    });
    expect(decodeText(utf8('\ufeff经度,纬度'), 'a.csv').text).toBe('经度,纬度');
  });

  it('reads invalid UTF-8 as GB18030 and says so', () => {
    const decoded = decodeText(GBK_HEADER, 'a.csv');
    expect(decoded.text).toBe('经度,纬度');
    expect(decoded.encoding).toBe('gb18030');
    expect(decoded.warning).toMatchObject({ code: 'encoding-guessed', file: 'a.csv' });
    expect(decoded.warning?.message).toContain('GBK');
  });

  it('reads UTF-16 with a byte-order mark (Excel\'s "Unicode text")', () => {
    // The byte-order mark 0xFF 0xFE, then 经 (U+7ECF) and ',' little-endian.
    const bytes = new Uint8Array([0xff, 0xfe, 0xcf, 0x7e, 0x2c, 0x00]);
    expect(decodeText(bytes, 'a.txt')).toMatchObject({ text: '经,', encoding: 'utf-16le' });
  });

  it('uses a named encoding, under its Windows or ArcGIS names too', () => {
    for (const name of ['gbk', 'GBK', 'cp936', '936', 'gb2312', 'GB18030']) {
      expect(decodeText(GBK_HEADER, 'a.csv', name).text).toBe('经度,纬度');
    }
  });

  it('an unknown encoding is an option error listing the common ones', () => {
    expect(() => decodeText(GBK_HEADER, 'a.csv', 'gbk2')).toThrowError(OptionError);
    expect(() => textDecoder('klingon', true)).toThrowError(
      /unknown text encoding 'klingon'; use one of utf-8, gbk/,
    );
  });

  it('bytes the named encoding cannot decode are an input error naming the file', () => {
    expect(() => decodeText(GBK_HEADER, 'a.csv', 'utf-8')).toThrowError(InputError);
    expect(() => decodeText(GBK_HEADER, 'a.csv', 'utf-8')).toThrowError(/^a\.csv: is not valid utf-8 text/);
  });

  it('refuses bytes that are not text in one line, with the evidence, instead of decoding them', () => {
    // mulberry32-style bytes: a file that is not text (a photo or archive renamed .csv).
    let seed = 7;
    const random = new Uint8Array(5000).map(() => {
      seed = (Math.imul(seed ^ (seed >>> 15), 1 | seed) + 0x6d2b79f5) | 0;
      return seed >>> 24;
    });
    const message = () => decodeText(random, 'poi.csv');
    expect(message).toThrowError(InputError);
    expect(message).toThrowError(
      /^poi\.csv: is not a text file: [\d,]+ of its first 5,000 bytes are control characters \(the first, 0x[0-9a-f]{2}, at byte \d+\)/,
    );
    expect(() => decodeText(random, 'poi.csv', 'gbk')).toThrowError(/^poi\.csv: is not a text file in gbk:/);
    const error = (() => {
      try {
        decodeText(random, 'poi.csv');
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error?.length).toBeLessThan(300);
  });

  it('keeps text with a few stray control characters and NUL padding at the end', () => {
    const text = `name,lon,lat\n${'社区\u0001,106.6,35.5\n'.repeat(3)}`;
    const padded = new Uint8Array([...utf8(text), ...new Uint8Array(4096)]);
    expect(decodeText(padded, 'a.csv').text.startsWith('name,lon,lat\n社区\u0001')).toBe(true);
  });

  it("keeps a text file whose header is good and one later row is binary: that row is the reader's to reject", () => {
    const binaryRow = new Uint8Array(600).map((_, i) => (i * 37) % 256).filter((b) => b !== 0x0a);
    const bytes = new Uint8Array([...utf8('name,lon,lat\n社区,106.6,35.5\n'), ...binaryRow, 0x0a]);
    expect(() => decodeText(bytes, 'a.csv')).not.toThrow();
  });

  it('says which encoding UTF-16 text without a byte-order mark needs', () => {
    const header = 'name,lon,lat\n';
    const le = new Uint8Array(header.length * 2);
    const be = new Uint8Array(header.length * 2);
    for (let i = 0; i < header.length; i++) {
      le[2 * i] = header.charCodeAt(i);
      be[2 * i + 1] = header.charCodeAt(i);
    }
    expect(() => decodeText(le, 'a.csv')).toThrowError(
      /^a\.csv: looks like UTF-16 text without a byte-order mark: .*\(utf-16le\)\.$/,
    );
    expect(() => decodeText(be, 'a.csv')).toThrowError(/\(utf-16be\)\.$/);
    expect(decodeText(le, 'a.csv', 'utf-16le').text).toBe(header);
  });
});
