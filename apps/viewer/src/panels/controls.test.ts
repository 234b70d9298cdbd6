// The map controls for a given state: what each select offers and selects, and which action each
// control calls with what.
import { beforeAll, describe, expect, it, type Mock, vi } from 'vitest';
import { I18n } from '../ui/i18n.js';
import { PROFILES } from '../view/profiles.js';
import { modeChosen, paletteChosen, type ViewState } from '../view/state.js';
import { cityStates, type TestCity } from '../view/test-city.js';
import { byTestId, change, one } from '../view/test-dom.js';
import type { NetworkInfo } from '../worker/protocol.js';
import { type ControlsActions, distanceHint, renderControls } from './controls.js';

let city: TestCity;
let analysed: ViewState;
let checked: ViewState;
const en = new I18n('en');

beforeAll(async () => {
  ({ city, analysed, checked } = await cityStates());
});

const actions = (): { [K in keyof ControlsActions]: Mock<ControlsActions[K]> } => ({
  setMode: vi.fn(),
  setPalette: vi.fn(),
  setProfile: vi.fn(),
  loadProfileFile: vi.fn(),
  setProfileItem: vi.fn(),
  setDistance: vi.fn(),
  toggleLayers: vi.fn(),
  reanalyse: vi.fn(),
});
const noContext = { network: null, basemap: null };
const network: NetworkInfo = {
  file: 'roads.geojson',
  nodes: 1234,
  edges: 2000,
  components: 1,
  largestComponentShare: 1,
  rejected: 0,
  driveOnly: null,
};

describe('controls', () => {
  it("offers the analysis' types and the built-in profiles, with the state's choices selected", () => {
    const el = document.createElement('section');
    renderControls(el, modeChosen(analysed, 'type', 'kindergarten'), en, noContext, actions());
    const types = [...one(el, 'type-select').querySelectorAll('option')];
    expect(types.map((o) => o.value)).toEqual(city.analysis.types.map((t) => t.id));
    expect((one(el, 'type-select') as HTMLSelectElement).value).toBe('kindergarten');
    expect((one(el, 'type-select') as HTMLSelectElement).disabled).toBe(false);
    const profiles = [...one(el, 'profile-select').querySelectorAll('option')].map((o) => o.value);
    expect(profiles).toEqual([...PROFILES]);
    expect((one(el, 'profile-select') as HTMLSelectElement).value).toBe('complete-community');
    // The profile item appears in profile mode only.
    expect(byTestId(el, 'profile-item')).toHaveLength(0);
    renderControls(el, analysed, en, noContext, actions());
    expect((one(el, 'type-select') as HTMLSelectElement).disabled).toBe(true);
  });

  it("offers the three palettes, selects the state's, and calls setPalette with the choice", () => {
    const el = document.createElement('section');
    const a = actions();
    renderControls(el, paletteChosen(analysed, 'cividis'), en, noContext, a);
    const select = one(el, 'palette-select') as HTMLSelectElement;
    expect([...select.querySelectorAll('option')].map((o) => o.value)).toEqual([
      'default',
      'viridis',
      'cividis',
    ]);
    expect(select.value).toBe('cividis');
    change(select, 'viridis');
    expect(a.setPalette).toHaveBeenCalledWith('viridis');
  });

  it("in profile mode, offers the profile's items once they are known", () => {
    const el = document.createElement('section');
    renderControls(el, modeChosen(checked, 'profile'), en, noContext, actions());
    const items = [...one(el, 'profile-item').querySelectorAll('option')].map((o) => o.value);
    expect(items).toEqual(['', ...city.completeCommunity.requirements.map((r) => r.id)]);
    renderControls(el, modeChosen(analysed, 'profile'), en, noContext, actions());
    expect((one(el, 'profile-item') as HTMLSelectElement).disabled).toBe(true);
  });

  it('calls the action each control names', () => {
    const el = document.createElement('section');
    const a = actions();
    renderControls(el, modeChosen(checked, 'profile'), en, noContext, a);
    change(one(el, 'mode-select'), 'gaps-all');
    change(one(el, 'profile-select'), 'pingliang-2025');
    const item = city.completeCommunity.requirements[1]!.id;
    change(one(el, 'profile-item'), item);
    change(one(el, 'profile-item'), '');
    change(one(el, 'toggle-catchments'), false);
    change(one(el, 'toggle-facilities'), false);
    expect(a.setMode.mock.calls).toEqual([['gaps-all']]);
    expect(a.setProfile.mock.calls).toEqual([['pingliang-2025']]);
    expect(a.setProfileItem.mock.calls).toEqual([[item], [null]]);
    expect(a.toggleLayers.mock.calls).toEqual([[{ catchments: false }], [{ facilitiesOn: false }]]);
  });

  it('reanalyses with the settings, keeping the threshold when the typed one is out of range', () => {
    const el = document.createElement('section');
    const a = actions();
    renderControls(el, analysed, en, noContext, a);
    (one(el, 'gap-threshold') as HTMLInputElement).value = '0.7';
    (one(el, 'include-planned') as HTMLInputElement).checked = true;
    one(el, 'reanalyse').click();
    (one(el, 'gap-threshold') as HTMLInputElement).value = '3';
    one(el, 'reanalyse').click();
    expect(a.reanalyse.mock.calls.map(([o]) => [o.gapThreshold, o.includePlanned])).toEqual([
      [0.7, true],
      [analysed.options.gapThreshold, true],
    ]);
  });

  it('offers walking distance only with a road network, and says which distance is in use', () => {
    const el = document.createElement('section');
    const a = actions();
    renderControls(el, analysed, en, noContext, a);
    const walking = () =>
      one(el, 'distance-select').querySelector('option[value="network"]') as HTMLOptionElement;
    expect(walking().disabled).toBe(true);
    expect(one(el, 'distance-hint').textContent).toBe(en.t('distanceHintGreatCircle'));
    const chooser = document.createElement('div');
    chooser.dataset.testid = 'basemap';
    renderControls(el, analysed, en, { network, basemap: chooser }, a);
    expect(walking().disabled).toBe(false);
    expect(one(el, 'distance-hint').textContent).toContain('roads.geojson');
    expect(one(el, 'basemap')).toBe(chooser);
    change(one(el, 'distance-select'), 'network');
    expect(a.setDistance).toHaveBeenCalledWith('network');
    const walkingState: ViewState = {
      ...analysed,
      analysis: { ...city.analysis, distance: { kind: 'network', file: 'roads.geojson' } },
    };
    expect(distanceHint(walkingState, en, network)).toBe(
      en.t('distanceHintNetwork', { file: 'roads.geojson', nodes: 1234 }),
    );
  });

  it('offers loaded profile files after the built-in profiles, and picks a profile file to load', () => {
    const el = document.createElement('section');
    const a = actions();
    renderControls(el, analysed, en, { ...noContext, profileFiles: ['my-town'] }, a);
    const options = [...one(el, 'profile-select').querySelectorAll('option')].map((o) => o.value);
    expect(options).toEqual(['complete-community', 'pingliang-2025', 'gb50180-2018', 'my-town']);
    expect(one(el, 'profile-file-button').textContent).toBe(en.t('profileLoadFile'));
    const input = one(el, 'profile-file-input') as HTMLInputElement;
    const file = new File(['{}'], 'town.json');
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    expect(a.loadProfileFile).toHaveBeenCalledWith(file);
  });
});
