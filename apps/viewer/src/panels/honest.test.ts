// The headline notes, the road network's pieces and the walking section on real payloads: the worker
// engine on the hand-worked network-honest town (fixtures/network-honest/README.md: a drive-only
// extract, a 10 m fragment, residents and facilities beyond its edge). The notes shown are core's own
// sentences, compared with the payload's; the figures are the README's hand-worked ones.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { I18n } from '../ui/i18n.js';
import { communityMarks } from '../view/honest-marks.js';
import {
  analysisFinished,
  checkFinished,
  DEFAULT_OPTIONS,
  initialViewState,
  modeChosen,
  type ViewState,
} from '../view/state.js';
import { byTestId, one } from '../view/test-dom.js';
import { Engine } from '../worker/engine.js';
import type { AnalysisPayload, AnalyzeOptions, InputRole, ReadInputFile } from '../worker/protocol.js';
import { renderIndicators } from './indicators.js';
import { renderNetworkPanel } from './network.js';
import { renderWalkingPanel, walkerOfType } from './walking.js';

const en = new I18n('en');
const zh = new I18n('zh-CN');
// happy-dom gives import.meta.url an http address: the fixtures are found from the working directory.
function repoRoot(): string {
  let dir = process.cwd();
  while (!existsSync(join(dir, 'fixtures/network-honest'))) {
    if (dirname(dir) === dir) throw new Error('run the tests inside the lifecircle repository');
    dir = dirname(dir);
  }
  return dir;
}
const fixture = (name: string) => join(repoRoot(), 'fixtures/network-honest', name);
const file = (role: InputRole, name: string): ReadInputFile => {
  const b = readFileSync(fixture(name));
  return { role, name, bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer };
};
const OPTIONS: AnalyzeOptions = { ...DEFAULT_OPTIONS, radii: { kindergarten: 500 }, distance: 'network' };

let engine: Engine;
let state: ViewState;
let snappedToAll: ViewState;
beforeAll(() => {
  engine = new Engine();
  engine.load([
    file('communities', 'communities.geojson'),
    file('facilities', 'facilities.geojson'),
    file('roads', 'roads.geojson'),
  ]);
  state = analysisFinished(initialViewState('complete-community'), engine.analyze(OPTIONS), OPTIONS, 'ready');
  state = checkFinished(state, engine.check('complete-community'));
  const all = { ...OPTIONS, snapTo: 'all', snapCost: 'free' as const };
  snappedToAll = analysisFinished(initialViewState(), engine.analyze(all), all, 'ready');
});

describe('headline notes beside the figures', () => {
  it("shows core's note under the covered shares, and the shares of all and of reached residents", () => {
    const el = document.createElement('section');
    renderIndicators(el, state, en, { runCheck: vi.fn() });
    const notes = state.analysis!.summary.headlineNotes!;
    expect(one(el, 'headline-note-residents-outside-network').textContent).toBe(`Note: ${notes[0]!.text}`);
    // 300 of 350 residents reached, all of them covered: 85.7 % of all, 100 % of the reached.
    const row = one(el, 'reached-shares').querySelector('tr[data-type="kindergarten"]')!;
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['85.7%', '100.0%']);
  });

  it('shows the complete-rate note and the requirements unknown for absent types, in Chinese too', () => {
    const el = document.createElement('section');
    renderIndicators(el, state, zh, { runCheck: vi.fn() });
    const compliance = state.compliance!;
    const unknownNote = compliance.headlineNotes.find((n) => n.figure === 'complete_share');
    expect(unknownNote).toBeDefined();
    expect(one(el, 'headline-note-unknown-items').textContent).toContain(unknownNote!.text);
    const absent = one(el, 'absent-types');
    expect(absent.querySelectorAll('[data-requirement]')).toHaveLength(compliance.absentTypes.length);
    expect(absent.textContent).toContain('判为“未知”而非“不达标”');
  });

  it('shows no note and no reached column on a run that leaves nothing out', () => {
    const el = document.createElement('section');
    const flat = { ...OPTIONS, distance: 'great-circle' as const };
    const s = analysisFinished(initialViewState(), engine.analyze(flat), flat, 'ready');
    renderIndicators(el, s, en, { runCheck: vi.fn() });
    expect(byTestId(el, 'reached-shares')).toHaveLength(0);
    expect(el.querySelectorAll('.headline-note')).toHaveLength(0);
  });
});

describe('the road network panel', () => {
  it('lists the pieces, who the network reaches and the facilities it cannot count, with the drive-only warning', () => {
    const el = document.createElement('section');
    const network = engine.load([]).network;
    renderNetworkPanel(el, state, network, en, { reanalyse: vi.fn() });
    expect(one(el, 'drive-only').textContent).toContain('this looks like a drive network');
    expect(one(el, 'network-pieces-line').textContent).toBe(
      'Network: 2 pieces not joined to each other; points snap onto 1 of them (min-share=0.01)'.replace(
        'Network: ',
        '',
      ),
    );
    const pieces = byTestId(el, 'network-piece').map((r) =>
      [...r.querySelectorAll('td')].map((td) => td.textContent),
    );
    // The main piece: 1,500 m, 99.3 % of the length, 300 of 350 residents; the fragment: not snapped onto.
    expect(pieces).toEqual([
      ['1', '1,500 m', '99.3%', '85.7%', '✓'],
      ['2', '10 m', '0.7%', '0.0%', '✗'],
    ]);
    expect(one(el, 'network-reach').textContent).toBe(
      'Residents the network reaches: 300 of 350; outside it: 50 (50 beyond its edge)',
    );
    // K2 and K3 beyond the roads' hull, K4 off road (fixtures/network-honest/README.md).
    expect(one(el, 'network-facilities').textContent).toBe(
      "Facilities beyond the network's edge: 2; inside it but far from any road: 1; on a piece no resident is on: 0",
    );
  });

  it('offers --snap-to and --snap-cost as controls that analyse again', () => {
    const el = document.createElement('section');
    const reanalyse = vi.fn();
    renderNetworkPanel(el, state, engine.load([]).network, en, { reanalyse });
    const snapTo = one(el, 'snap-to') as unknown as HTMLSelectElement;
    snapTo.value = 'all';
    snapTo.dispatchEvent(new Event('change'));
    expect(reanalyse).toHaveBeenLastCalledWith({ ...OPTIONS, snapTo: 'all' });
    snapTo.value = 'min-share';
    const share = one(el, 'snap-min-share') as unknown as HTMLInputElement;
    share.value = '5';
    share.dispatchEvent(new Event('change'));
    expect(reanalyse).toHaveBeenLastCalledWith({ ...OPTIONS, snapTo: 'min-share=0.05' });
    const cost = one(el, 'snap-cost') as unknown as HTMLSelectElement;
    cost.value = 'free';
    cost.dispatchEvent(new Event('change'));
    expect(reanalyse).toHaveBeenLastCalledWith({ ...OPTIONS, snapCost: 'free' });
  });

  it('marks the community on the stray fragment with a symbol and core’s note, not colour alone', () => {
    expect(communityMarks(state, en)).toEqual([]);
    const marks = communityMarks(snappedToAll, en);
    const b = snappedToAll.analysis!.communities.ids.indexOf('B');
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ community: b, text: '⚠', kind: 'small-piece' });
    expect(marks[0]!.title).toBe(
      `${snappedToAll.analysis!.communities.names[b]}: ${snappedToAll.analysis!.communities.networkNotes[b]}`,
    );
    const el = document.createElement('section');
    renderNetworkPanel(el, snappedToAll, engine.load([]).network, en, { reanalyse: vi.fn() });
    expect(one(el, 'network-small-pieces').textContent).toContain('1 communities');
  });
});

describe('the walking panel', () => {
  it('asks for walking distance first', () => {
    const el = document.createElement('section');
    const flat = { ...OPTIONS, distance: 'great-circle' as const };
    renderWalkingPanel(el, { ...state, options: flat }, { network: null, dem: null }, en, {
      loadDem: vi.fn(),
      removeDem: vi.fn(),
      loadWalkerFile: vi.fn(),
      reanalyse: vi.fn(),
    });
    expect(el.textContent).toContain('need walking distance');
  });

  it("picks each type's walker (the catalog default first) and shows radii in minutes and the types' losses", () => {
    const walkers = { kindergarten: 'pram' };
    const options = { ...OPTIONS, walkers };
    const payload = engine.analyze(options);
    const walking = payload.walking!;
    expect(walking.summary.types.kindergarten!.walker).toBe('pram');
    // A loss as terrainLoss reports it (its figures are core's, tested there and against the CLI).
    const lost: AnalysisPayload = {
      ...payload,
      walking: {
        ...walking,
        loss: { kindergarten: { communities: 1, residents: 100 } },
        lost: Uint8Array.from(payload.communities.ids.map((id) => (id === 'A' ? 1 : 0))),
      },
    };
    const s = modeChosen(
      analysisFinished(initialViewState(), lost, options, 'ready'),
      'type',
      'kindergarten',
    );
    const el = document.createElement('section');
    const reanalyse = vi.fn();
    renderWalkingPanel(el, s, { network: engine.load([]).network, dem: null }, en, {
      loadDem: vi.fn(),
      removeDem: vi.fn(),
      loadWalkerFile: vi.fn(),
      reanalyse,
    });
    expect(walkerOfType(options, 'nursery_childcare')).toBe('pram');
    expect(walkerOfType({ ...OPTIONS }, 'elderly_day_care_center')).toBe('elderly');
    const select = one(el, 'walker-select') as unknown as HTMLSelectElement;
    expect(select.querySelector<HTMLOptionElement>('option[selected]')!.value).toBe('pram');
    const radius = walking.summary.types.kindergarten!;
    expect(one(el, 'walker-radius').textContent).toBe(
      `${en.dec(radius.radius_min)} min (500 m at ${en.dec(radius.flat_speed_kmh)} km/h)`,
    );
    expect(one(el, 'walker-lost').textContent).toBe(
      '1 communities lose coverage against the flat walk (100 residents)',
    );
    select.value = 'wheelchair';
    select.dispatchEvent(new Event('change'));
    expect(reanalyse).toHaveBeenLastCalledWith({ ...options, walkers: { kindergarten: 'wheelchair' } });
    const marks = communityMarks(s, en).filter((m) => m.kind === 'lost-to-terrain');
    const a = s.analysis!.communities.ids.indexOf('A');
    expect(marks.map((m) => [m.text, m.title])).toEqual([
      ['⛰', `${s.analysis!.communities.names[a]}: Kindergarten`],
    ]);
  });

  it('refuses a DEM that misses the network with io’s message, naming the file', async () => {
    const dem = readFileSync(join(repoRoot(), 'fixtures/pingliang/dem.tif'));
    const e = new Engine();
    e.load([
      file('communities', 'communities.geojson'),
      file('facilities', 'facilities.geojson'),
      file('roads', 'roads.geojson'),
      {
        role: 'dem',
        name: 'pingliang-dem.tif',
        bytes: dem.buffer.slice(dem.byteOffset, dem.byteOffset + dem.byteLength) as ArrayBuffer,
      },
    ]);
    await expect(e.prepare({ ...OPTIONS, walkers: {} })).rejects.toMatchObject({
      payload: { kind: 'input', file: 'pingliang-dem.tif' },
    });
  });
});
