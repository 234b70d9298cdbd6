// The POI-category table, on an AMap-style export read through @lifecircle/io and analysed
// by the worker engine (core): facilities typed per rule, and the categories that map to nothing with
// their counts, example names and how to map them.
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticCity } from '../../test/synthetic.js';
import { readLoadedFile } from '../formats.js';
import { I18n } from '../ui/i18n.js';
import { analysisFinished, DEFAULT_OPTIONS, initialViewState, type ViewState } from '../view/state.js';
import { byTestId, one } from '../view/test-dom.js';
import { Engine } from '../worker/engine.js';
import { renderFilesPanel } from './test-files.js';

const en = new I18n('en');
const encode = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
// AMap's columns (positions in `location`, the three-level type and the typecode) plus an id column:
// the viewer does not yet pass io the file's role, so io gives an id-less file no row ids.
const AMAP = [
  'id,name,type,typecode,location,adname',
  'k1,阳光幼儿园,科教文化服务;学校;幼儿园,141204,"106.6862,35.5625",崆峒区',
  'k2,小天使幼儿园,科教文化服务;学校;幼儿园,141204,"106.6583,35.5464",崆峒区',
  'k3,爱宠宠物医院,医疗保健服务;动物医疗场所;宠物诊所,090701,"106.6748,35.5511",崆峒区',
  'k4,乐乐宠物诊所,医疗保健服务;动物医疗场所;宠物诊所,090701,"106.6749,35.5512",崆峒区',
  'k5,金色游泳馆,体育休闲服务;运动场馆;游泳馆,080104,"106.6750,35.5513",崆峒区',
].join('\n');

let state: ViewState;

beforeAll(async () => {
  const city = syntheticCity(10, 4, 3);
  const facilities = await readLoadedFile('设施.csv', encode(AMAP));
  const engine = new Engine();
  engine.load([
    {
      role: 'communities',
      name: 'communities.geojson',
      bytes: encode(JSON.stringify(city.communities)),
    },
    { role: 'facilities', name: '设施.csv', bytes: facilities.bytes },
  ]);
  state = analysisFinished(initialViewState(), engine.analyze(DEFAULT_OPTIONS), DEFAULT_OPTIONS, 'Ready');
});

describe('POI categories', () => {
  it('lists the facilities each rule typed, and each unmapped category once with its count and examples', () => {
    const categories = state.analysis?.summary.categories;
    expect(categories, 'core reports categories for an AMap export').toBeTruthy();
    const el = renderFilesPanel(state, en);
    const typed = byTestId(el, 'category-typed');
    expect(typed.map((r) => [r.dataset.rule, r.dataset.type])).toEqual(
      categories!.typed.map((t) => [t.rule, t.type]),
    );
    expect(typed.some((r) => r.dataset.type === 'kindergarten')).toBe(true);
    const unmapped = byTestId(el, 'category-unmapped');
    expect(unmapped.map((r) => [r.dataset.category, r.dataset.facilities])).toEqual(
      categories!.unmapped.map((u) => [u.category, String(u.facilities)]),
    );
    // Two pet clinics are one row of two, not two rejections, and never a clinic.
    const pets = unmapped.filter((r) => r.dataset.category?.includes('宠物'));
    expect(pets.reduce((n, r) => n + Number(r.dataset.facilities), 0)).toBe(2);
    expect(unmapped.map((r) => r.textContent).join()).toContain('爱宠宠物医院');
    expect(one(el, 'categories-how').textContent).toContain(categories!.how_to_map!);
  });
});

describe('the type map in the categories table', () => {
  it('offers each unmapped category a catalog type, and loading, downloading or removing a map', () => {
    const mapped: [string, string][] = [];
    const loaded: File[] = [];
    let removed = 0;
    const el = renderFilesPanel(
      state,
      en,
      {},
      {
        mapCategory: (category, typeId) => mapped.push([category, typeId]),
        loadTypeMap: (file) => loaded.push(file),
        removeTypeMap: () => removed++,
      },
    );
    const rows = byTestId(el, 'category-unmapped');
    const pet = rows.find((r) => r.dataset.category?.includes('宠物'))!;
    const select = pet.querySelector<HTMLSelectElement>('[data-testid="category-map-to"]')!;
    expect(select.getAttribute('aria-label')).toContain(pet.dataset.category);
    expect([...select.options].map((o) => o.value)).toContain('community_health_station');
    select.value = 'community_health_station';
    select.dispatchEvent(new Event('change'));
    expect(mapped).toEqual([[pet.dataset.category, 'community_health_station']]);
    // No map yet: what one is, and only the button to load one.
    expect(one(el, 'type-map-state').textContent).toContain('category,type');
    expect(byTestId(el, 'type-map-remove')).toHaveLength(0);
    const input = one(el, 'type-map-input') as HTMLInputElement;
    const file = new File(['category,type\n'], 'type-map.csv');
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    expect(loaded).toEqual([file]);

    const withMap: ViewState = {
      ...state,
      options: {
        ...state.options,
        typeMap: { name: 'mine.csv', entries: [{ category: 'x', type: 'kindergarten', row: 2 }] },
      },
    };
    const after = renderFilesPanel(withMap, en, {}, { removeTypeMap: () => removed++ });
    expect(one(after, 'type-map-state').textContent).toBe(
      'Type map: mine.csv (rows: 1; facilities it typed: 0)',
    );
    (one(after, 'type-map-remove') as HTMLButtonElement).click();
    expect(removed).toBe(1);
    expect(byTestId(after, 'type-map-download')).toHaveLength(1);
  });
});
