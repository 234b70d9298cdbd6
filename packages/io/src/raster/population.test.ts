// What a raster's values look like, on hand-made value sets: heights of a valley town, of mountains
// and below sea level are elevations; WorldPop-like counts (mostly empty, a few dense cells) are
// people; and the bundled DEM and WorldPop fixtures are told apart.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readGeoTiff } from './geotiff.js';
import { guessRasterRole } from './population.js';

const values = (list: readonly number[]) => ({ values: Float32Array.from(list) });
const fixture = (name: string) => readFileSync(new URL(`../../../../fixtures/${name}`, import.meta.url));

describe('guessRasterRole', () => {
  it('heights of a valley town vary little around their median: elevation', () => {
    const guess = guessRasterRole(values(Array.from({ length: 100 }, (_, i) => 1300 + i * 3)));
    expect(guess.role).toBe('elevation');
    expect(guess.reason).toContain('values 1300 to 1597');
  });

  it('mountains spread widely but stay within 4 × the median: elevation', () => {
    const guess = guessRasterRole(values(Array.from({ length: 100 }, (_, i) => 200 + i * 28)));
    expect(guess.role).toBe('elevation');
    expect(guess.reason).toContain('less than 4 times the median');
  });

  it('a value below −1 cannot be a count: elevation', () => {
    expect(guessRasterRole(values([-3, 0, 0, 2, 5])).role).toBe('elevation');
  });

  it('mostly empty cells and a few dense ones: population; no data is skipped', () => {
    const counts = [...Array(60).fill(0), ...Array(30).fill(2), 40, 80, 120, Number.NaN];
    const guess = guessRasterRole(values(counts));
    expect(guess.role).toBe('population');
    expect(guess.cells).toBe(93);
  });

  it('tells the bundled DEM from the WorldPop fixture', async () => {
    const dem = await readGeoTiff(fixture('pingliang/dem.tif'), { file: 'dem.tif' });
    const pop = await readGeoTiff(fixture('your-own-data/worldpop.tif'), { file: 'worldpop.tif' });
    expect(guessRasterRole(dem).role).toBe('elevation');
    expect(guessRasterRole(pop).role).toBe('population');
  });
});
