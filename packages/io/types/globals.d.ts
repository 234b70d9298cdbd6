// The few globals io uses beyond ECMAScript. Each exists in Node (>= 20) and in browsers and Web Workers
// alike; the build compiles with no Node or DOM library types so that nothing else creeps in.

/** WHATWG text decoding (UTF-8, UTF-16, GBK, GB18030, Big5 …): in Node with full ICU, and in browsers. */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

/** UTF-8 encoding. */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

/** A file's bytes read lazily (a dropped File in browsers; `node:buffer`'s Blob in Node), for rasters read by window. */
declare class Blob {
  readonly size: number;
  readonly type: string;
  slice(start?: number, end?: number, contentType?: string): Blob;
  arrayBuffer(): Promise<ArrayBuffer>;
}
