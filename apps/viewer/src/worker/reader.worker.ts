// The reading worker: a dropped GeoJSON file is parsed and converted here (reader.ts), so that a
// city's 40 MB of facilities never block the page.
import { answerRead } from './reader.js';
import type { ReadRequest, ReadResponse } from './reader-protocol.js';

interface WorkerScope {
  postMessage(message: ReadResponse, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ReadRequest>) => void): void;
}

const scope = self as unknown as WorkerScope;
scope.addEventListener('message', async ({ data }) => {
  const { response, transfer } = await answerRead(data);
  scope.postMessage(response, transfer);
});
