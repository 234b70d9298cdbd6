// Reading a dropped GeoJSON file in the reading worker gives the page the same read as reading it on
// the page: role, features, bytes, columns, coordinate systems and errors. The worker is played here by
// its own answer (reader.ts) behind structured clones, as messages between threads are.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioOf } from '../exports.js';
import { type DroppedRead, readDropped } from '../file-reading.js';
import type { ReadFile } from '../formats.js';
import { JsonFileError } from '../json.js';
import { inThreadWorkerClient, testPage } from '../test-page.js';
import { chooseReading, handleFiles } from '../worker-loading.js';
import { Engine } from './engine.js';
import { answerRead } from './reader.js';
import { offPageReading } from './reader-client.js';
import type { ReadRequest, ReadResponse } from './reader-protocol.js';

/** A worker running reader.ts in this thread; `answers` records what it sent. */
function inThreadWorker(answers: ReadResponse[]): Worker {
  const listeners: ((event: MessageEvent<ReadResponse>) => void)[] = [];
  return {
    addEventListener: (_type: string, listener: (event: MessageEvent<ReadResponse>) => void) =>
      listeners.push(listener),
    postMessage: (request: ReadRequest) => {
      void answerRead(structuredClone(request)).then(({ response }) => {
        const data = structuredClone(response);
        answers.push(data);
        for (const listener of listeners) listener({ data } as MessageEvent<ReadResponse>);
      });
    },
  } as unknown as Worker;
}

const fixtureBytes = (name: string, folder = 'pingliang'): ArrayBuffer =>
  new Uint8Array(readFileSync(new URL(`../../../../fixtures/${folder}/${name}`, import.meta.url))).buffer;
const jsonBytes = (value: unknown): ArrayBuffer =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)).buffer as ArrayBuffer;

/** Everything a read tells, with its bytes as text. */
function described({ read, role }: DroppedRead) {
  const { bytes, original, ...rest } = read as ReadFile;
  return {
    ...rest,
    value: read.value,
    source: read.source,
    role,
    bytes: new TextDecoder().decode(bytes),
    original: original && new TextDecoder().decode(original.bytes),
  };
}

describe('offPageReading', () => {
  it('reads GeoJSON in the worker as the page reads it, keeping analysis inputs there', async () => {
    const answers: ReadResponse[] = [];
    const reading = offPageReading(() => inThreadWorker(answers));
    for (const name of ['communities.geojson', 'facilities.geojson', 'districts.geojson']) {
      const offPage = await reading(name, fixtureBytes(name), new Map());
      const onPage = await readDropped(name, fixtureBytes(name), new Map());
      expect(described(offPage)).toEqual(described(onPage));
    }
    // The communities' and facilities' features stayed in the worker; the districts' came (drawn).
    expect(answers.map((a) => a.ok && a.features !== undefined)).toEqual([false, false, true]);
  });

  it('sends the dropped file by its handle when there is one, and reads it there as from its bytes', async () => {
    const answers: ReadResponse[] = [];
    const posted: ReadRequest[] = [];
    const reading = offPageReading(() => {
      const worker = inThreadWorker(answers);
      const post = worker.postMessage.bind(worker);
      worker.postMessage = (request: ReadRequest) => {
        posted.push(request);
        post(request);
      };
      return worker;
    });
    for (const name of ['communities.geojson', 'facilities.geojson']) {
      const bytes = fixtureBytes(name);
      const file = new File([bytes], name);
      const offPage = await reading(name, bytes, new Map(), undefined, null, file);
      const onPage = await readDropped(name, fixtureBytes(name), new Map());
      expect(described(offPage)).toEqual(described(onPage));
      // Read unchanged, the page keeps its own bytes; the worker was sent the file, not a copy of them.
      expect(offPage.read.bytes).toBe(bytes);
      expect(posted.at(-1)!.bytes).toBe(file);
    }
  });

  it('brings back the GeoJSON that reading changed (made-up ids), and parses features only when asked', async () => {
    const collection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: '东关', population: 1200 },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [106.66, 35.54],
                [106.67, 35.54],
                [106.67, 35.55],
                [106.66, 35.54],
              ],
            ],
          },
        },
      ],
    };
    const answers: ReadResponse[] = [];
    const offPage = await offPageReading(() => inThreadWorker(answers))(
      'communities.geojson',
      jsonBytes(collection),
      new Map(),
    );
    const answer = answers[0]!;
    expect(answer.ok && answer.converted).toBeInstanceOf(ArrayBuffer);
    expect(Object.getOwnPropertyDescriptor(offPage.read, 'value')?.get).toBeTypeOf('function');
    const onPage = await readDropped('communities.geojson', jsonBytes(collection), new Map());
    expect(onPage.read.generatedIds).not.toBeNull();
    expect(described(offPage)).toEqual(described(onPage));
  });

  it('throws the page’s own error for a file that is not JSON', async () => {
    const reading = offPageReading(() => inThreadWorker([]));
    const broken = '{"type": "FeatureCollection", "features": [\n  {"type": "Feature",, }\n]}';
    const onPage = await readDropped('facilities.geojson', jsonBytes(broken), new Map()).catch((e) => e);
    const offPage = await reading('facilities.geojson', jsonBytes(broken), new Map()).catch((e) => e);
    expect(onPage).toBeInstanceOf(JsonFileError);
    expect(offPage).toBeInstanceOf(JsonFileError);
    expect(offPage.message).toBe(onPage.message);
    expect(offPage.file).toBe('facilities.geojson');
  });
});

// In the browser the page hands a file's bytes over to the analysis worker (transferred, not copied);
// a read whose features stayed in the reading worker parses them from its bytes later. These pages
// read off the page and load through the real worker client, whose messages detach what they transfer.
describe('a file read off the page, after the analysis worker took it', () => {
  const pageReadingOffPage = () =>
    testPage(new Engine(), {
      worker: inThreadWorkerClient(),
      readDropped: offPageReading(() => inThreadWorker([])),
    });
  const dropped = (name: string, folder = 'pingliang') => new File([fixtureBytes(name, folder)], name);
  const scenarioInputs = (page: ReturnType<typeof testPage>) =>
    JSON.parse(
      JSON.stringify(
        scenarioOf(page.view, {
          bundled: false,
          embedded: page.inputs.embedded,
          map: { locale: 'en', center: null, zoom: null, basemap: null },
        }),
      ),
    ).inputs;

  it('is converted again from GCJ-02 when the user declares it so', async () => {
    const page = pageReadingOffPage();
    await handleFiles(page, [dropped('communities.geojson'), dropped('facilities-gcj02.geojson', 'crs')]);
    expect(page.errors).toEqual([]);
    expect(page.inputs.reads.get('facilities')?.convertedFrom).toBeNull();
    const undeclared = page.view.analysis!.summary;
    await chooseReading(page, 'facilities', { declaredCrs: 'gcj02' });
    expect(page.errors).toEqual([]);
    expect(page.inputs.reads.get('facilities')?.declaredCrs).toBe('gcj02');
    expect(page.inputs.reads.get('facilities')?.convertedFrom).toContain('GCJ-02');
    // Moved back by the 300-500 m of the offset: the figures changed.
    expect(page.view.analysis!.summary).not.toEqual(undeclared);
  }, 120_000);

  it('is embedded in a saved scenario with its features, declared or not', async () => {
    const page = pageReadingOffPage();
    await handleFiles(page, [dropped('communities.geojson'), dropped('facilities-gcj02.geojson', 'crs')]);
    expect(page.errors).toEqual([]);
    const features = (name: string, folder = 'pingliang') =>
      JSON.parse(new TextDecoder().decode(fixtureBytes(name, folder))).features;
    let inputs = scenarioInputs(page);
    expect(inputs.communities.data.features).toEqual(features('communities.geojson'));
    expect(inputs.facilities.data.features).toEqual(features('facilities-gcj02.geojson', 'crs'));
    await chooseReading(page, 'facilities', { declaredCrs: 'gcj02' });
    inputs = scenarioInputs(page);
    expect(inputs.facilities.crs).toEqual({ file: null, declared: 'gcj02' });
    expect(inputs.facilities.data.features).toEqual(features('facilities-gcj02.geojson', 'crs'));
  }, 120_000);
});
