// What one map frame costs the machine with software WebGL: the synthetic city (2,000 × 20,000 unless
// LIFECIRCLE_FRAME_COST=CxF), fitted and idle, is drawn again `FRAMES` times per repetition, and the
// CPU each Chromium thread used meanwhile is read from Linux's accounting (test/thread-sampler.ts):
// the page's main thread against the GPU process (SwiftShader's drawing threads and its main thread),
// whose work a machine with a GPU does on the GPU. Variants of the map's paint are measured
// alternately in the same minutes (`VARIANTS`), so the machine's load falls on each alike.
//
// A benchmark, not part of the suite: skipped unless LIFECIRCLE_FRAME_COST is set, as
//   LIFECIRCLE_FRAME_COST=1 npx vitest run --config vitest.config.ts --project e2e test/frame-cost.test.ts
// from apps/viewer. The figures go to test/artifacts/frame-cost.txt.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { describe, expect, it } from 'vitest';
import { startViewer, stopViewer, type ViewerSession, waitAnalysed } from './harness.js';
import { syntheticCity } from './synthetic.js';
import { ThreadSampler } from './thread-sampler.js';

const requested = process.env.LIFECIRCLE_FRAME_COST;
const [communities, facilities] = /^\d+x\d+$/.test(requested ?? '')
  ? requested!.split('x').map(Number)
  : [2_000, 20_000];
const artifacts = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const FRAMES = 20;
type MapHandle = { lifecircle: { mapView: { map: MapLibreMap } } };
const REPS = 3;

/** A property a variant sets: `visibility` is a layout property, the others paint properties. */
type VariantProperty = 'fill-antialias' | 'visibility' | 'circle-opacity' | 'circle-stroke-opacity';

/** A variant of the map: a paint or layout property set on every layer whose id matches `layers`. */
interface Variant {
  readonly name: string;
  readonly set: readonly {
    layers: RegExp;
    property: VariantProperty;
    value: boolean | 'none' | 'visible' | number;
  }[];
}

/**
 * The map as it is; the community fills with their antialiasing pass (as the viewer drew them before
 * session 14: a line along every polygon's edges, which the outlines layer draws anyway); a frame
 * while loading, when the first facility type's first part is drawn nearly transparent (`prewarming`
 * in map-view.ts, so that its shader is compiled during the loading), and as it was before session
 * 14, its catchments too; and, to see what they cost, without the pattern layers, and without any
 * community fill.
 */
const VARIANTS: readonly Variant[] = [
  { name: 'as drawn', set: [] },
  {
    name: 'community fills with fill-antialias',
    set: [{ layers: /^communities-(fill|gap|unknown)/, property: 'fill-antialias', value: true }],
  },
  {
    name: 'while loading: first facility part prewarmed',
    set: [
      { layers: /^(facilities|planned)-0$/, property: 'circle-opacity', value: 0.001 },
      { layers: /^(facilities|planned)-0$/, property: 'circle-stroke-opacity', value: 0.001 },
    ],
  },
  {
    name: 'while loading before session 14: its catchments prewarmed too',
    set: [
      { layers: /^(facilities|planned|catchment)-0$/, property: 'circle-opacity', value: 0.001 },
      { layers: /^(facilities|planned|catchment)-0$/, property: 'circle-stroke-opacity', value: 0.001 },
    ],
  },
  {
    name: 'no pattern layers (measure only)',
    set: [{ layers: /^communities-(gap|unknown)/, property: 'visibility', value: 'none' }],
  },
  {
    name: 'no community fills nor patterns (measure only)',
    set: [{ layers: /^communities-(fill|gap|unknown)/, property: 'visibility', value: 'none' }],
  },
];

describe.skipIf(requested === undefined)(`one frame of ${communities} × ${facilities}`, () => {
  it('costs the GPU process and the page this much CPU', async () => {
    const session = await startViewer({ isolated: true });
    try {
      await measureFrames(session);
    } finally {
      await stopViewer(session);
    }
  }, 1_800_000);
});

/** Opens the city, then draws it as each variant alternately and prints the CPU a frame cost. */
async function measureFrames(session: ViewerSession): Promise<void> {
  const { page, url } = session;
  mkdirSync(artifacts, { recursive: true });
  const files = Object.entries(syntheticCity(communities!, facilities!)).map(([name, collection]) => {
    const path = join(artifacts, `frame-cost-${name}.geojson`);
    writeFileSync(path, JSON.stringify(collection));
    return path;
  });
  await page.goto(url);
  await waitAnalysed(page, 120_000);
  await page.getByTestId('file-input').setInputFiles(files);
  await page.waitForFunction(
    (count) => document.querySelector('[data-testid="community-count"]')?.textContent === count,
    communities!.toLocaleString('en'),
    { timeout: 600_000, polling: 200 },
  );
  await waitAnalysed(page, 900_000);
  await page.waitForFunction(() => window.lifecircle.mapView.map.loaded(), null, { timeout: 300_000 });
  const rendererPid = await rendererMainTid(session);
  const rows: { variant: string; gpuMsPerFrame: number; mainMsPerFrame: number; wallMsPerFrame: number }[] =
    [];
  for (let rep = 0; rep < REPS; rep++) {
    for (const variant of VARIANTS) {
      // Every variant starts from the map as drawn: what any variant sets is put back first, to the
      // value it had before the first variant (kept on the page).
      await page.evaluate(
        ({ reset, set }) => {
          const map = (window as unknown as MapHandle).lifecircle.mapView.map;
          const page = window as unknown as { drawnValues?: Map<string, unknown> };
          page.drawnValues ??= new Map();
          const drawn = page.drawnValues;
          // The variants name paint properties as strings; MapLibre's typings want its own union.
          type PaintName = Parameters<typeof map.getPaintProperty>[1];
          type PaintValue = Parameters<typeof map.setPaintProperty>[2];
          const get = (id: string, property: string) =>
            property === 'visibility'
              ? (map.getLayoutProperty(id, 'visibility') ?? 'visible')
              : map.getPaintProperty(id, property as PaintName);
          const apply = (id: string, property: string, value: unknown) => {
            const key = `${id} ${property}`;
            if (!drawn.has(key)) drawn.set(key, get(id, property));
            if (property === 'visibility')
              map.setLayoutProperty(id, 'visibility', (value ?? drawn.get(key)) as 'visible' | 'none');
            else
              map.setPaintProperty(
                id,
                property as PaintName,
                (value === undefined ? drawn.get(key) : value) as PaintValue,
              );
          };
          for (const layer of map.getStyle().layers) {
            for (const p of reset)
              if (new RegExp(p.layers).test(layer.id)) apply(layer.id, p.property, undefined);
            for (const p of set)
              if (new RegExp(p.layers).test(layer.id)) apply(layer.id, p.property, p.value);
          }
        },
        {
          reset: VARIANTS.flatMap((v) => v.set).map((p) => ({
            layers: p.layers.source,
            property: p.property,
          })),
          set: variant.set.map((p) => ({ layers: p.layers.source, property: p.property, value: p.value })),
        },
      );
      await drawFrames(session, 3);
      const sampler = new ThreadSampler();
      sampler.start(10);
      const from = Number(process.hrtime.bigint()) / 1000;
      await drawFrames(session, FRAMES);
      const wallMs = (Number(process.hrtime.bigint()) / 1000 - from) / 1000;
      sampler.stop();
      const accounted = sampler.account(rendererPid, from, wallMs);
      const gpuMs = (accounted?.others ?? [])
        .filter((g) => g.who.startsWith('gpu-process'))
        .reduce((sum, g) => sum + g.ms, 0);
      rows.push({
        variant: variant.name,
        gpuMsPerFrame: gpuMs / FRAMES,
        mainMsPerFrame: (accounted?.mainRunMs ?? Number.NaN) / FRAMES,
        wallMsPerFrame: wallMs / FRAMES,
      });
    }
  }
  const lines = rows.map(
    (r) =>
      `${r.variant}: GPU process ${r.gpuMsPerFrame.toFixed(1)} ms CPU a frame, page main thread ${r.mainMsPerFrame.toFixed(1)} ms, wall ${r.wallMsPerFrame.toFixed(1)} ms`,
  );
  writeFileSync(join(artifacts, 'frame-cost.txt'), `${lines.join('\n')}\n`);
  console.log(
    `One frame of ${communities} × ${facilities}, ${FRAMES} frames a repetition:\n  ${lines.join('\n  ')}`,
  );
  expect(rows.length).toBe(REPS * VARIANTS.length);
}

/** Draws `n` frames one after the other (each a repaint asked for and waited for). */
async function drawFrames({ page }: ViewerSession, n: number): Promise<void> {
  await page.evaluate(async (frames) => {
    const map = (window as unknown as MapHandle).lifecircle.mapView.map;
    for (let i = 0; i < frames; i++)
      await new Promise<void>((drawn) => {
        map.once('render', () => drawn());
        map.triggerRepaint();
      });
  }, n);
}

/** The renderer's main thread (its process id): of the renderers under this test, the busiest. */
async function rendererMainTid(_session: ViewerSession): Promise<number> {
  const sampler = new ThreadSampler();
  sampler.start(1000);
  sampler.stop();
  const ran = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  const [busiest] = sampler.rendererPids().sort((a, b) => ran(b) - ran(a));
  if (busiest === undefined) throw new Error('no renderer process found under this test');
  return busiest;
}
