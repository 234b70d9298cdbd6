import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  isOutsideChina,
  wgs84ToBd09,
  wgs84ToGcj02,
} from './chinese-web.js';

/** |a − b| in degrees, the larger of the two axes. */
function offBy(a: readonly number[], b: readonly number[]): number {
  return Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!));
}

describe('GCJ-02 and BD-09 against published reference pairs', () => {
  // googollee/eviltransform, go/transform_test.go and javascript/test.js: [wgsLat, wgsLng, gcjLat, gcjLng]
  // for Shanghai, Shenzhen and Beijing. Its tests compare to 5–6 decimals; the pairs are given to ~1e-14.
  const eviltransform = [
    { place: 'Shanghai', wgs: [121.5272106, 31.1774276], gcj: [121.531541859215, 31.17530398364597] },
    { place: 'Shenzhen', wgs: [113.912316, 22.543847], gcj: [113.9171764808363, 22.540796131694766] },
    { place: 'Beijing', wgs: [116.377817, 39.911954], gcj: [116.38404722455657, 39.91334545536069] },
  ];

  it.each(eviltransform)('WGS84 → GCJ-02 in $place matches eviltransform', ({ wgs, gcj }) => {
    expect(offBy(wgs84ToGcj02(wgs[0]!, wgs[1]!), gcj)).toBeLessThan(1e-9);
  });

  it.each(eviltransform)('GCJ-02 → WGS84 in $place recovers the WGS84 point to 1e-8°', ({ wgs, gcj }) => {
    // eviltransform's own exact inverse is tested to 0.5 m; the iteration here does far better.
    expect(offBy(gcj02ToWgs84(gcj[0]!, gcj[1]!), wgs)).toBeLessThan(1e-8);
  });

  // wandergis/coordtransform, test/app.js ("//result" block) at (116.404, 39.915).
  it('matches coordtransform at Tiananmen (116.404, 39.915)', () => {
    expect(offBy(wgs84ToGcj02(116.404, 39.915), [116.41024449916938, 39.91640428150164])).toBeLessThan(1e-9);
    expect(offBy(gcj02ToBd09(116.404, 39.915), [116.41036949371029, 39.92133699351021])).toBeLessThan(1e-9);
    // coordtransform inverts in one step (bd09togcj02, gcj02towgs84), which is off by up to ~1e-5°;
    // the iterated inverse here lands within that of their result and exactly on the forward's preimage.
    expect(offBy(bd09ToGcj02(116.404, 39.915), [116.39762729119315, 39.90865673957631])).toBeLessThan(1e-5);
    expect(offBy(gcj02ToWgs84(116.404, 39.915), [116.39775550083061, 39.91359571849836])).toBeLessThan(3e-5);
  });

  // hujiulong/gcoord, test/unit/crs/{WGS84,GCJ02,BD09}.spec.ts at [123, 45], compared there with
  // toBeCloseTo(…, 5), that is to 5e-6°; the same tolerance here.
  it('matches gcoord at (123, 45)', () => {
    expect(offBy(wgs84ToGcj02(123, 45), [123.00607541, 45.00197815])).toBeLessThan(5e-6);
    expect(offBy(gcj02ToWgs84(123, 45), [122.99395597, 44.99804071])).toBeLessThan(5e-6);
    expect(offBy(gcj02ToBd09(123, 45), [123.00636499, 45.00636899])).toBeLessThan(5e-6);
    expect(offBy(bd09ToGcj02(123, 45), [122.99363304, 44.9936543])).toBeLessThan(5e-6);
    expect(offBy(wgs84ToBd09(123, 45), [123.0124491, 45.0083293])).toBeLessThan(5e-6);
    expect(offBy(bd09ToWgs84(123, 45), [122.9876221, 44.9917154])).toBeLessThan(5e-6);
  });

  it('leaves positions outside China unchanged, as gcoord does for [183, 45]', () => {
    expect(wgs84ToGcj02(183, 45)).toEqual([183, 45]);
    expect(gcj02ToWgs84(183, 45)).toEqual([183, 45]);
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(isOutsideChina(106.66, 35.54)).toBe(false);
    expect(isOutsideChina(139.7, 35.7)).toBe(true);
  });

  it('offsets Pingliang by 300–700 m, the size that ruins a 300 m analysis', () => {
    const [lng, lat] = wgs84ToGcj02(106.66, 35.54);
    const metres = Math.hypot(
      (lng - 106.66) * 111_320 * Math.cos((35.54 * Math.PI) / 180),
      (lat - 35.54) * 110_574,
    );
    expect(metres).toBeGreaterThan(300);
    expect(metres).toBeLessThan(700);
  });
});

describe('inverses', () => {
  const china = fc.record({
    lng: fc.double({ min: 73.5, max: 135, noNaN: true }),
    lat: fc.double({ min: 18, max: 53.5, noNaN: true }),
  });

  it('wgs → gcj → wgs returns within 1e-6° everywhere in China', () => {
    fc.assert(
      fc.property(china, ({ lng, lat }) => {
        const [gx, gy] = wgs84ToGcj02(lng, lat);
        expect(offBy(gcj02ToWgs84(gx, gy), [lng, lat])).toBeLessThan(1e-6);
      }),
      { numRuns: 2000 },
    );
  });

  it('gcj → bd → gcj and wgs → bd → wgs return within 1e-6°', () => {
    fc.assert(
      fc.property(china, ({ lng, lat }) => {
        const [bx, by] = gcj02ToBd09(lng, lat);
        expect(offBy(bd09ToGcj02(bx, by), [lng, lat])).toBeLessThan(1e-6);
        const [cx, cy] = wgs84ToBd09(lng, lat);
        expect(offBy(bd09ToWgs84(cx, cy), [lng, lat])).toBeLessThan(1e-6);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    [116.404, 39.915],
    [106.66, 35.54],
    [87.6, 43.8],
    [126.6, 45.8],
  ])('the iteration is far tighter than the bound: below 1e-9° at the reference point %f, %f', (lng, lat) => {
    const [gx, gy] = wgs84ToGcj02(lng, lat);
    expect(offBy(gcj02ToWgs84(gx, gy), [lng, lat])).toBeLessThan(1e-9);
  });
});
