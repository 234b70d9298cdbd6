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

  it('index.ts is a deliberate list: no export *, and api.md states how many names it holds', () => {
    const index = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
    expect(index).not.toMatch(/^export \*/m);
    const names = [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
      m[1]!.split(',').filter((name) => name.trim() !== ''),
    );
    expect(docs('api.md')).toContain(`\`@lifecircle/core\` exports ${names.length} names`);
  });

  it('api.md names every export of @lifecircle/core/internal, which says it has no stability promise', () => {
    const internal = readFileSync(new URL('../src/internal.ts', import.meta.url), 'utf8');
    const names = [...internal.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
      m[1]!.split(',').map((name) => name.replace(/^\s*type\s+/, '').trim()),
    );
    const api = docs('api.md');
    expect(names.filter((name) => name !== '' && !api.includes(`\`${name}\``))).toEqual([]);
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain('no stability promise');
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
