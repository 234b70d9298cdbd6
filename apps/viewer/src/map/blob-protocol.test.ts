// MapLibre's worker answers a GeoJSON source's load from a blob's map URL without the parsed data
// (blob-protocol.mjs): the page would otherwise take in every feature again as one structured clone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { blobMapUrl, isBlobMapUrl, withoutLoadedData } from './blob-protocol.mjs';

/** A load's parameters, as MapLibre's worker hands them to the handler. */
type LoadParams = { request?: { url?: string } };
const collection = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: {}, geometry: null }],
};

describe('withoutLoadedData', () => {
  it('drops the data of a load from a blob map URL and keeps the rest of the answer', async () => {
    const calls: unknown[][] = [];
    const handler = withoutLoadedData(async (...args: [string, LoadParams, AbortController?]) => {
      calls.push(args);
      return { data: collection, resourceTiming: { parts: [] } };
    });
    const abort = new AbortController();
    const params = { request: { url: blobMapUrl('blob:http://127.0.0.1/abc') } };
    await expect(handler('map-1', params, abort)).resolves.toEqual({ resourceTiming: { parts: [] } });
    expect(calls).toEqual([['map-1', params, abort]]);
  });

  it('leaves every other answer as it was', async () => {
    const answer = { data: collection };
    const handler = withoutLoadedData(async (_map: string, _params: LoadParams) => answer);
    // Another URL (the page then keeps MapLibre's copy of the data), data given inline, no answer.
    await expect(handler('m', { request: { url: 'https://example.org/a.geojson' } })).resolves.toBe(answer);
    await expect(handler('m', {})).resolves.toBe(answer);
    await expect(
      withoutLoadedData(async (_map: string, _params: LoadParams) => undefined)('m', {
        request: { url: blobMapUrl('x') },
      }),
    ).resolves.toBe(undefined);
    await expect(
      withoutLoadedData(async (_map: string, _params: LoadParams) => ({ abandoned: true }))('m', {
        request: { url: blobMapUrl('x') },
      }),
    ).resolves.toEqual({ abandoned: true });
  });

  it('passes a failed load on', async () => {
    const handler = withoutLoadedData(async (_map: string, _params: LoadParams) => {
      throw new Error('not GeoJSON');
    });
    await expect(handler('m', { request: { url: blobMapUrl('x') } })).rejects.toThrowError('not GeoJSON');
  });

  it('knows a blob map URL from others', () => {
    expect(isBlobMapUrl(blobMapUrl('blob:http://127.0.0.1/abc'))).toBe(true);
    expect(isBlobMapUrl('blob:http://127.0.0.1/abc')).toBe(false);
    expect(isBlobMapUrl(undefined)).toBe(false);
  });

  // The module finds the handler as `self.worker.actor.messageHandlers.LD`: MapLibre's worker bundle
  // must still expose its worker object and name the data load `LD`, or the wrap silently does nothing.
  it("finds MapLibre's worker handler where this MapLibre version keeps it", () => {
    const require = createRequire(import.meta.url);
    const bundle = readFileSync(require.resolve('maplibre-gl/dist/maplibre-gl-worker.mjs'), 'utf8');
    expect(bundle).toMatch(/self\.worker=new \w+\(self\)/);
    expect(bundle).toContain('this.actor=new');
    expect(bundle).toContain('this.messageHandlers[t.type]');
    expect(bundle).toMatch(/registerMessageHandler\(`LD`,/);
  });
});
