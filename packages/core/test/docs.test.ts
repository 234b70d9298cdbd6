import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import catalog from '../src/standards/catalog.json' with { type: 'json' };

const docs = (name: string) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), 'utf8');

describe('docs describe the code', () => {
  it('api.md names every runtime export of @lifecircle/core', () => {
    const api = docs('api.md');
    const missing = Object.keys(core).filter((name) => !api.includes(name));
    expect(missing).toEqual([]);
  });

  it('api.md names every exported type', () => {
    const api = docs('api.md');
    const index = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
    const typeNames = [...index.matchAll(/type (\w+)/g)].map((m) => m[1]!);
    expect(typeNames.filter((name) => !api.includes(name))).toEqual([]);
  });

  it('standards.md lists every built-in type with its radius and status', () => {
    const standards = docs('standards.md');
    for (const type of catalog.types) {
      expect(standards).toContain(
        `| \`${type.id}\` | ${type.name_zh} | ${type.name_en} | ${type.radius_m} m | ${type.radius_status} |`,
      );
    }
  });
});
