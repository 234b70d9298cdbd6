// The files panel for given reads: each file with its coordinate system and the control to declare
// another, files held until declared, and the problems in the data (reader's and core's rejections,
// warnings). Reads are real (formats.ts through @lifecircle/io).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type ReadFile, readLoadedFile } from '../formats.js';
import { I18n } from '../ui/i18n.js';
import { analysisFinished, initialViewState, type ViewState } from '../view/state.js';
import { type TestCity, testCity } from '../view/test-city.js';
import { byTestId, change, one } from '../view/test-dom.js';
import type { InputRole } from '../worker/protocol.js';
import { type FilesContext, renderFiles } from './files.js';

const en = new I18n('en');
const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
let city: TestCity;
let analysed: ViewState;
let csv: ReadFile;
let metres: ReadFile;

beforeAll(async () => {
  city = await testCity();
  analysed = analysisFinished(initialViewState(), city.analysis, city.options, 'Ready');
  csv = await readLoadedFile(
    'facilities.csv',
    encode('id,type,lon,lat\nf1,kindergarten,106.66,35.54\nf2,kindergarten,abc,35.55\n'),
  );
  metres = await readLoadedFile('gk.csv', encode('id,type,x,y\n1,kindergarten,36378479,3935329\n'));
});

const context = (patch: Partial<FilesContext> = {}): FilesContext => ({
  loaded: [],
  reads: new Map(),
  unconverted: new Map(),
  contextReads: new Map(),
  bundled: false,
  ...patch,
});

describe('files panel', () => {
  it('lists the loaded files with their feature counts, and says when the bundled city is shown', () => {
    const el = document.createElement('section');
    renderFiles(
      el,
      analysed,
      en,
      context({
        loaded: [{ role: 'communities', name: 'communities.geojson', features: 457 }],
        bundled: true,
      }),
      { declareCrs: () => {} },
    );
    const items = byTestId(el, 'file-list')[0]!.querySelectorAll('li');
    expect(items).toHaveLength(1);
    expect(items[0]!.textContent).toBe(`communities communities.geojson (${en.int(457)})`);
    expect(el.textContent).toContain(en.t('syntheticNote'));
  });

  it("shows a read file's coordinate system, declares another from the menu or typed, and lists its rejected rows", () => {
    const el = document.createElement('section');
    const declareCrs = vi.fn();
    const reads = new Map<InputRole, ReadFile>([['facilities', csv]]);
    renderFiles(
      el,
      initialViewState(),
      en,
      context({ loaded: [{ role: 'facilities', name: 'facilities.csv', features: 1 }], reads }),
      { declareCrs },
    );
    expect(one(el, 'crs-status-facilities').textContent).toBe(en.t('crsDefault'));
    change(one(el, 'crs-select-facilities'), 'gcj02');
    const typed = one(el, 'crs-input-facilities') as HTMLInputElement;
    typed.value = ' EPSG:4490 ';
    one(el, 'crs-apply-facilities').click();
    typed.value = '';
    typed.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(declareCrs.mock.calls).toEqual([
      ['facilities', 'gcj02'],
      ['facilities', 'EPSG:4490'],
      ['facilities', null],
    ]);
    expect(one(el, 'rejected-count').textContent).toBe(en.t('rejected', { n: 1 }));
    expect(el.querySelector('.rejected')?.textContent ?? el.textContent).toContain('facilities.csv');
  });

  it('holds a file whose coordinates contradict its system, marked not loaded, with the control', () => {
    const el = document.createElement('section');
    expect(metres.crsError).not.toBeNull();
    renderFiles(el, initialViewState(), en, context({ unconverted: new Map([['facilities', metres]]) }), {
      declareCrs: () => {},
    });
    expect(one(el, 'unconverted-file').textContent).toContain(`gk.csv — ${en.t('crsNotLoaded')}`);
    expect(one(el, 'crs-status-facilities').textContent).toBe(en.t('crsUnusable'));
  });

  it('shows no problems heading when there are none', () => {
    const el = document.createElement('section');
    renderFiles(el, analysed, en, context(), { declareCrs: () => {} });
    expect(el.querySelector('h3')).toBeNull();
    expect(byTestId(el, 'warnings')).toHaveLength(0);
  });
});
