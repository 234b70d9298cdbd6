// The stored-image comparison itself: an unchanged image passes, a changed map fails, and a missing
// stored image is an error (not a silent pass).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { compareWithStored, halve, STORED_DIR, UPDATE_ENV } from './compare-image.js';

/** A 200×120 "map": two colour blocks, with a square of another colour at (x, y) when given. */
function picture(square?: { x: number; y: number; size: number }): Buffer {
  const png = new PNG({ width: 200, height: 120 });
  for (let y = 0; y < 120; y++) {
    for (let x = 0; x < 200; x++) {
      const i = (y * 200 + x) * 4;
      const inSquare =
        square && x >= square.x && x < square.x + square.size && y >= square.y && y < square.y + square.size;
      const [r, g, b] = inSquare ? [215, 48, 39] : x < 100 ? [26, 152, 80] : [240, 240, 235];
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

const NAME = `compare-image-self-test-${process.pid}`;
afterEach(() => {
  delete process.env[UPDATE_ENV];
  rmSync(join(STORED_DIR, `${NAME}.png`), { force: true });
});

describe('compareWithStored', () => {
  it('passes the same image, and counts the pixels a changed map differs in', () => {
    process.env[UPDATE_ENV] = '1';
    expect(compareWithStored(NAME, picture()).updated).toBe(true);
    delete process.env[UPDATE_ENV];
    const same = compareWithStored(NAME, picture());
    expect(same).toEqual({ differentShare: 0, width: 100, height: 60, updated: false });
    // A 20×20 square recoloured: 10×10 pixels once halved, of 100×60.
    const changed = compareWithStored(NAME, picture({ x: 120, y: 40, size: 20 }));
    expect(changed.differentShare).toBeCloseTo(100 / 6000, 3);
    expect(changed.differentShare).toBeGreaterThan(0.01);
  });

  it('refuses a missing stored image and a size that changed', () => {
    expect(() => compareWithStored(NAME, picture())).toThrow(/is missing: run the browser tests with/);
    process.env[UPDATE_ENV] = '1';
    compareWithStored(NAME, picture());
    delete process.env[UPDATE_ENV];
    const bigger = new PNG({ width: 202, height: 120 });
    expect(() => compareWithStored(NAME, PNG.sync.write(bigger))).toThrow(
      /101×60 but the stored image is 100×60/,
    );
  });
});

it('halve averages 2×2 blocks', () => {
  const png = new PNG({ width: 2, height: 2 });
  png.data.set([0, 0, 0, 255, 100, 100, 100, 255, 200, 200, 200, 255, 100, 100, 100, 255]);
  expect(Array.from(halve(png).data)).toEqual([100, 100, 100, 255]);
});
