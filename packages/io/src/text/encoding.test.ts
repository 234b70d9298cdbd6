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
});
