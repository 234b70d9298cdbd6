// Loading an elevation model as a user does (walking-run.ts through a test page whose worker is the
// real engine): the bundled city walked over its synthetic DEM, and a DEM that misses the network,
// refused with io's message while the previous walk stays.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runAnalysis } from './analysis-run.js';
import { networkPageOfTown } from './test-page.js';
import { DEFAULT_OPTIONS } from './view/state.js';
import { loadDem, removeDem } from './walking-run.js';

const path = (name: string) => new URL(`../../../fixtures/${name}`, import.meta.url);
const demFile = () => new File([readFileSync(path('pingliang/dem.tif'))], 'dem.tif');

describe('loading an elevation model', () => {
  it('walks the bundled city over its DEM, every type for its walker, and back to flat without it', async () => {
    const page = networkPageOfTown('pingliang');
    expect(await runAnalysis(page, { ...DEFAULT_OPTIONS, distance: 'network' })).toBe(true);
    expect(page.view.analysis!.walking).toBeNull();
    await loadDem(page, demFile());
    expect(page.errors).toEqual([]);
    expect(page.inputs.dem).toEqual({
      file: 'dem.tif',
      bytes: readFileSync(path('pingliang/dem.tif')).byteLength,
    });
    const walking = page.view.analysis!.walking!;
    expect(walking.summary.dem).toBe('dem.tif');
    expect(walking.summary.types.elderly_day_care_center!.walker).toBe('elderly');
    expect(walking.summary.types.nursery_childcare!.walker).toBe('pram');
    expect(page.view.options.walkers).toEqual({});
    await removeDem(page);
    expect(page.inputs.dem).toBeNull();
    // Still each type for its walker (the option stays), now on the flat.
    expect(page.view.analysis!.walking!.summary.dem).toBeNull();
  }, 300_000);

  it('refuses a DEM that misses the network with io’s message; the walk shown stays', async () => {
    const page = networkPageOfTown('network-honest');
    const options = { ...DEFAULT_OPTIONS, radii: { kindergarten: 500 }, distance: 'network' as const };
    expect(await runAnalysis(page, options)).toBe(true);
    const shown = page.view.analysis;
    await loadDem(page, demFile());
    expect(page.errors).toHaveLength(1);
    expect(String((page.errors[0] as Error).message)).toContain('dem.tif');
    expect(page.inputs.dem).toBeNull();
    expect(page.view.analysis).toBe(shown);
  });
});
