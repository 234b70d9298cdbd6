// A type map in Chromium (issue #12): an AMap-style export of fixtures/type-map dropped on the viewer
// leaves its after-school clubs, elderly activity rooms and park unmapped; its type-map.csv dropped
// next types them, as io and core type them for the CLI's --type-map (the reference is computed here
// from the same files); a category mapped in the table's menu adds a row; the scenario file saved
// then dropped on a fresh page reopens with the same map and the same categories.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeCoverage, FacilityCatalog } from '@lifecircle/core';
import { readInput, readTypeMap } from '@lifecircle/io';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnalysedViewer, stopViewer, type ViewerSession, waitAnalysed } from './harness.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => join(repoRoot, 'fixtures', name);
const upload = (path: string, name = path.slice(path.lastIndexOf('/') + 1)) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: readFileSync(path),
});
const COMMUNITIES = fixture('pingliang/communities.geojson');
const AMAP = fixture('type-map/amap-pois.csv');
const TYPE_MAP = fixture('type-map/type-map.csv');

let session: ViewerSession | undefined;
let page: Page;
let errors: string[];

beforeAll(async () => {
  session = await startAnalysedViewer('', 120_000);
  ({ page, errors } = session);
}, 300_000);

afterAll(() => stopViewer(session));

type Rule = { rule: string; type: string; facilities: number };

/** The typed rules the categories table shows. */
async function typedRows(): Promise<Rule[]> {
  return page.getByTestId('category-typed').evaluateAll((rows) =>
    rows.map((r) => ({
      rule: (r as HTMLElement).dataset.rule ?? '',
      type: (r as HTMLElement).dataset.type ?? '',
      facilities: Number(r.lastElementChild?.textContent?.replace(/\D/g, '')),
    })),
  );
}

async function unmappedCategories(): Promise<string[]> {
  return page
    .getByTestId('category-unmapped')
    .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.category ?? ''));
}

describe('a type map in the viewer', () => {
  it('dropped after an AMap export, types it as io and core do for --type-map; kept in the scenario', async () => {
    await page.getByTestId('file-input').setInputFiles([upload(COMMUNITIES), upload(AMAP)]);
    await page.getByTestId('category-unmapped').first().waitFor({ timeout: 120_000 });
    await waitAnalysed(page, 120_000);
    expect(await unmappedCategories()).toContain('科教文化服务;培训机构;托管班');

    await page.getByTestId('file-input').setInputFiles([upload(TYPE_MAP)]);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="type-map-state"]')?.textContent?.includes('type-map.csv'),
      null,
      { timeout: 120_000 },
    );
    await waitAnalysed(page, 120_000);
    // The reference: io reads the export and the map, core types and analyses (the CLI's path).
    const catalog = FacilityCatalog.builtIn();
    const facilities = await readInput(readFileSync(AMAP), 'amap-pois.csv', { kind: 'facilities' });
    const communities = JSON.parse(readFileSync(COMMUNITIES, 'utf8'));
    const typeMap = await readTypeMap(readFileSync(TYPE_MAP), 'type-map.csv', catalog);
    const reference = analyzeCoverage({ communities, facilities: facilities.features }, { typeMap });
    const expected = reference.summary.categories!;
    expect(await typedRows()).toEqual(
      expected.typed.map((t) => ({ rule: t.rule, type: t.type, facilities: t.facilities })),
    );
    expect(await unmappedCategories()).toEqual(expected.unmapped.map((u) => u.category));
    expect(await page.getByTestId('type-map-state').textContent()).toMatch(/rows: 3|3 行/);

    // The pet clinic mapped in its row (a made-up choice, to follow the row it adds).
    const pet = page.locator('[data-testid="category-unmapped"][data-category*="宠物"]');
    await pet.getByTestId('category-map-to').selectOption('community_health_station');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="category-typed"][data-rule="type-map:type-map.csv row 5"]'),
      null,
      { timeout: 120_000 },
    );
    await waitAnalysed(page, 120_000);
    const shown = await typedRows();

    // Saved as a scenario file and dropped on a fresh page: the same map, the same categories.
    const scenario = await page.evaluate(() =>
      JSON.stringify((window as unknown as { lifecircle: { scenario(): unknown } }).lifecircle.scenario()),
    );
    await page.goto(session!.url);
    await waitAnalysed(page, 120_000);
    await page
      .getByTestId('file-input')
      .setInputFiles([
        { name: 'scenario.lifecircle.json', mimeType: 'application/json', buffer: Buffer.from(scenario) },
      ]);
    await page.waitForFunction(
      () => /rows: 4|4 行/.test(document.querySelector('[data-testid="type-map-state"]')?.textContent ?? ''),
      null,
      { timeout: 120_000 },
    );
    await waitAnalysed(page, 120_000);
    expect(await typedRows()).toEqual(shown);
    expect(errors).toEqual([]);
  }, 600_000);
});
