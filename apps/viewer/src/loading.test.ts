// What the page has loaded, in Node: a dropped batch sorted by what each file is (the bundled city's
// own files, a file of unknown kind, a scenario that stops the batch), and the transitions that keep,
// list and drop loaded files.
import { readFileSync } from 'node:fs';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  bundledDrawnRoles,
  bundledLeft,
  bundledOpened,
  candidatesAccepted,
  fileListed,
  fileUnconverted,
  initialInputs,
  inputAccepted,
  isBundledName,
  sortDroppedFiles,
} from './loading.js';

const fixture = (name: string) =>
  new File([readFileSync(new URL(`../../../fixtures/pingliang/${name}`, import.meta.url))], name);
const json = (name: string, value: unknown) => new File([JSON.stringify(value)], name);

describe('sortDroppedFiles', () => {
  it('reads an OpenStreetMap extract (XML or PBF) as the road network, or as facilities when named so', async () => {
    const osm = (file: string, name: string) =>
      new File([readFileSync(new URL(`../../../fixtures/osm/${file}`, import.meta.url))], name);
    for (const file of ['town.osm', 'town.osm.pbf']) {
      const sorted = await sortDroppedFiles([osm(file, file)]);
      expect(sorted.problems).toEqual([]);
      expect(sorted.worker.map((f) => f.role)).toEqual(['roads']);
      // fixtures/osm/README.md: the walkable ways of pieces A and B, motorway, foot=no, private and
      // foot-less cycleway left out.
      const ids = sorted.roads!.value.features.map((f) => f.id);
      expect(ids).toEqual([101, 102, 103, 104, 105, 106, 201, 202, 203].map((n) => `way/${n}`));
    }
    const facilities = await sortDroppedFiles([osm('town.osm', 'facilities.osm')]);
    expect(facilities.worker.map((f) => f.role)).toEqual(['facilities']);
    const names = (facilities.reads.get('facilities')!.value as FeatureCollection).features.map(
      (f) => f.properties?.name,
    );
    expect(names).toContain('阳光幼儿园');
    expect(names).toContain('东关社区卫生服务站');
  });

  it('sends communities and facilities to the worker and draws districts, in the order dropped', async () => {
    const sorted = await sortDroppedFiles([
      fixture('districts.geojson'),
      fixture('communities.geojson'),
      fixture('facilities.geojson'),
    ]);
    expect(sorted.worker.map((f) => [f.role, f.name])).toEqual([
      ['communities', 'communities.geojson'],
      ['facilities', 'facilities.geojson'],
    ]);
    expect([...sorted.reads.keys()]).toEqual(['communities', 'facilities']);
    expect(sorted.drawn.map((d) => d.role)).toEqual(['districts']);
    expect(sorted.drawn[0]!.value.features.length).toBeGreaterThan(0);
    expect(sorted.problems).toEqual([]);
    expect(sorted.scenario).toBeNull();
    expect(sorted.roads).toBeNull();
  });

  it('keeps the features of a roads file to draw them once the worker built the network', async () => {
    const sorted = await sortDroppedFiles([fixture('roads.geojson')]);
    expect(sorted.worker.map((f) => f.role)).toEqual(['roads']);
    expect(sorted.roads?.name).toBe('roads.geojson');
  });

  it('names a file it cannot tell the kind of, and still takes the others', async () => {
    const sorted = await sortDroppedFiles([
      json('notes.json', { hello: 'world' }),
      fixture('facilities.geojson'),
    ]);
    expect(sorted.problems).toEqual([{ kind: 'unknown-role', name: 'notes.json' }]);
    expect(sorted.worker.map((f) => f.name)).toEqual(['facilities.geojson']);
  });

  it('stops at a scenario: the files after it are not read', async () => {
    const scenario = { format: 'lifecircle-scenario', version: 1, bundled: 'pingliang' };
    const sorted = await sortDroppedFiles([
      fixture('water.geojson'),
      json('plan.json', scenario),
      fixture('communities.geojson'),
    ]);
    expect(sorted.scenario?.name).toBe('plan.json');
    expect(sorted.drawn.map((d) => d.role)).toEqual(['water']);
    expect(sorted.worker).toEqual([]);
  });

  it('gives a broken JSON file meant for the worker to the worker, whose validation names the problem', async () => {
    const sorted = await sortDroppedFiles([
      new File(['{"type": "FeatureCollection", '], 'communities.geojson'),
    ]);
    expect(sorted.worker.map((f) => [f.role, f.name])).toEqual([['communities', 'communities.geojson']]);
    expect(sorted.reads.size).toBe(0);
  });

  it('reads a picked file in the role of its picker', async () => {
    const sorted = await sortDroppedFiles([fixture('facilities.geojson')], 'candidates');
    expect(sorted.worker.map((f) => f.role)).toEqual(['candidates']);
  });
});

describe('loaded inputs', () => {
  it('list one file per role, the newest replacing the older', () => {
    let inputs = fileListed(initialInputs(), 'communities', 'a.geojson', 3);
    inputs = fileListed(inputs, 'districts', 'districts.geojson', 2);
    inputs = fileListed(inputs, 'communities', 'b.geojson', 5);
    expect(inputs.files).toEqual([
      { role: 'districts', name: 'districts.geojson', features: 2 },
      { role: 'communities', name: 'b.geojson', features: 5 },
    ]);
  });

  it('take a declared file out of the unconverted ones once it is accepted, without changing the old record', async () => {
    const { reads } = await sortDroppedFiles([fixture('communities.geojson')]);
    const read = reads.get('communities')!;
    const waiting = fileUnconverted(initialInputs(), 'communities', read);
    const accepted = inputAccepted(waiting, 'communities', read);
    expect(waiting.unconverted.has('communities')).toBe(true);
    expect(accepted.unconverted.has('communities')).toBe(false);
    expect(accepted.reads.get('communities')).toBe(read);
    // A WGS84 GeoJSON is embedded as read, with no coordinate systems to record.
    expect(accepted.embedded.get('communities')).toEqual({ name: 'communities.geojson', data: read.value });
  });

  it('record a candidates file for siting and list it', async () => {
    const { reads } = await sortDroppedFiles([fixture('facilities.geojson')], 'candidates');
    const inputs = candidatesAccepted(
      initialInputs(),
      { name: 'facilities.geojson', features: 7 },
      reads.get('candidates')!,
    );
    expect(inputs.candidatesFile).toEqual({ name: 'facilities.geojson', features: 7 });
    expect(inputs.files).toEqual([{ role: 'candidates', name: 'facilities.geojson', features: 7 }]);
  });

  it('leave the bundled city: its drawn layers go unless the user loaded their own', () => {
    let inputs = bundledOpened(fileListed(initialInputs(), 'scenario', 'old.json', 0));
    expect(inputs.files).toEqual([]);
    for (const role of ['districts', 'roads', 'water', 'railway'] as const)
      inputs = fileListed(inputs, role, `${role}.geojson`, 1);
    inputs = fileListed(inputs, 'water', 'my-rivers.geojson', 4);
    expect(bundledDrawnRoles(inputs)).toEqual(['districts', 'roads', 'railway']);
    const facilities = { name: 'facilities.geojson', data: { type: 'FeatureCollection', features: [] } };
    const left = bundledLeft(inputs, bundledDrawnRoles(inputs), new Map([['facilities', facilities]]));
    expect(left.bundled).toBe(false);
    expect(left.files.map((f) => f.name)).toEqual(['my-rivers.geojson']);
    expect(left.embedded.get('facilities')).toBe(facilities);
    expect(inputs.bundled).toBe(true);
  });

  it('tell the bundled city files by name', () => {
    expect(isBundledName('communities.geojson')).toBe(true);
    expect(isBundledName('my-communities.geojson')).toBe(false);
  });
});
