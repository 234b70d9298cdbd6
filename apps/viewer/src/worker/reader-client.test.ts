// Reading a dropped GeoJSON file in the reading worker gives the page the same read as reading it on
// the page: role, features, bytes, columns, coordinate systems and errors. The worker is played here by
// its own answer (reader.ts) behind structured clones, as messages between threads are.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DroppedRead, readDropped } from '../file-reading.js';
import type { ReadFile } from '../formats.js';
import { JsonFileError } from '../json.js';
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

const fixtureBytes = (name: string): ArrayBuffer =>
  new Uint8Array(readFileSync(new URL(`../../../../fixtures/pingliang/${name}`, import.meta.url))).buffer;
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
