// Loading HiGHS the ways a browser bundle would: from bytes, and through locateFile.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadHighs } from './index.js';

const wasmPath = new URL('../../node_modules/highs/build/highs.wasm', import.meta.url);
const problem = `Maximize
 obj: x + 2 y
Subject To
 c1: x + y <= 1.5
Bounds
 0 <= x <= 1
 0 <= y <= 1
General
 x y
End`;

describe('loadHighs', () => {
  it('loads from the package in Node and shares the runtime', async () => {
    const a = await loadHighs();
    const b = await loadHighs();
    expect(a).toBe(b);
    expect(a.solve(problem).ObjectiveValue).toBe(2);
  }, 30_000);

  it('takes the wasm bytes (what a worker can fetch) and a locateFile URL', async () => {
    const fromBytes = await loadHighs({ wasmBinary: readFileSync(wasmPath) });
    expect(fromBytes.solve(problem).ObjectiveValue).toBe(2);
    const asked: string[] = [];
    const located = await loadHighs({
      locateFile: (file) => {
        asked.push(file);
        return wasmPath.pathname;
      },
    });
    expect(asked).toContain('highs.wasm');
    expect(located.solve(problem).ObjectiveValue).toBe(2);
  }, 30_000);
});
