// Stored-image comparison for the browser tests: a screenshot is scaled down (2×2 pixels averaged, so
// the stored files stay small and sub-pixel anti-aliasing matters less), then compared pixel by pixel
// with pixelmatch against test/screenshots/<name>.png. A test fails when more than `tolerance` of the
// pixels differ; the actual image and a diff go to test/artifacts for a look. To store new images
// after an intended change of what the map shows: LIFECIRCLE_UPDATE_SCREENSHOTS=1 pnpm test:viewer.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
export const STORED_DIR = join(here, 'screenshots');
const ARTIFACTS = join(here, 'artifacts');

/** Set to 1 to write the current screenshots as the stored ones instead of comparing. */
export const UPDATE_ENV = 'LIFECIRCLE_UPDATE_SCREENSHOTS';

export interface ImageComparison {
  /** Share of pixels that differ beyond pixelmatch's colour threshold (anti-aliasing ignored). */
  readonly differentShare: number;
  readonly width: number;
  readonly height: number;
  /** True when the stored image was (re)written instead of compared. */
  readonly updated: boolean;
}

/** Halves a PNG's width and height by averaging 2×2 blocks. */
export function halve(png: PNG): PNG {
  const width = Math.floor(png.width / 2);
  const height = Math.floor(png.height / 2);
  const out = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let ch = 0; ch < 4; ch++) {
        let sum = 0;
        for (const [dx, dy] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const)
          sum += png.data[((2 * y + dy) * png.width + 2 * x + dx) * 4 + ch]!;
        out.data[(y * width + x) * 4 + ch] = Math.round(sum / 4);
      }
    }
  }
  return out;
}

/**
 * Compares a screenshot (PNG bytes) with the stored image `name`. A missing stored image is an error
 * unless updating, so that a renamed or deleted file cannot pass silently.
 */
export function compareWithStored(name: string, screenshot: Buffer): ImageComparison {
  const actual = halve(PNG.sync.read(screenshot));
  const storedPath = join(STORED_DIR, `${name}.png`);
  if (process.env[UPDATE_ENV] === '1') {
    mkdirSync(STORED_DIR, { recursive: true });
    writeFileSync(storedPath, PNG.sync.write(actual, { colorType: 2 }));
    return { differentShare: 0, width: actual.width, height: actual.height, updated: true };
  }
  if (!existsSync(storedPath)) {
    throw new Error(`${storedPath} is missing: run the browser tests with ${UPDATE_ENV}=1 to store it.`);
  }
  const stored = PNG.sync.read(readFileSync(storedPath));
  if (stored.width !== actual.width || stored.height !== actual.height) {
    throw new Error(
      `${name}: the screenshot is ${actual.width}×${actual.height} but the stored image is ${stored.width}×${stored.height}.`,
    );
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const different = pixelmatch(stored.data, actual.data, diff.data, actual.width, actual.height, {
    threshold: 0.1,
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `${name}.actual.png`), PNG.sync.write(actual));
  writeFileSync(join(ARTIFACTS, `${name}.diff.png`), PNG.sync.write(diff));
  return {
    differentShare: different / (actual.width * actual.height),
    width: actual.width,
    height: actual.height,
    updated: false,
  };
}
