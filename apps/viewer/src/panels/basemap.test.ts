// The basemap chooser in happy-dom: which controls each choice shows, what it says (attribution,
// where tiles come from, GCJ-02), and the choice its controls make.
import { describe, expect, it, vi } from 'vitest';
import type { BasemapChoice } from '../basemap/catalog.js';
import { I18n } from '../ui/i18n.js';
import { type BasemapActions, type BasemapPanelState, renderBasemap } from './basemap.js';

const en = new I18n('en');
const zh = new I18n('zh-CN');

function render(state: Partial<BasemapPanelState> & { choice: BasemapChoice }, i18n = en) {
  const el = document.createElement('div');
  const actions: BasemapActions = { choose: vi.fn(), loadFile: vi.fn() };
  renderBasemap(el, { tiandituKey: '', error: null, ...state }, i18n, actions);
  const q = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
  return { el, actions, q };
}

describe('basemap panel', () => {
  it('offers none first, and says nothing about the network then', () => {
    const { q } = render({ choice: { kind: 'none' } });
    const select = q('basemap-kind') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual([
      'none',
      'local',
      'osm',
      'tianditu',
      'amap',
      'raster',
    ]);
    expect(select.value).toBe('none');
    expect(q('basemap-online')).toBeNull();
    expect(q('basemap-attribution')).toBeNull();
  });

  it('choosing a service makes its choice, carrying the stored Tianditu key', () => {
    const { q, actions } = render({ choice: { kind: 'none' }, tiandituKey: 'k1' });
    const select = q('basemap-kind') as HTMLSelectElement;
    select.value = 'tianditu';
    select.dispatchEvent(new Event('change'));
    expect(actions.choose).toHaveBeenCalledWith({ kind: 'tianditu', key: 'k1', imagery: false });
    select.value = 'amap';
    select.dispatchEvent(new Event('change'));
    expect(actions.choose).toHaveBeenLastCalledWith({ kind: 'amap', imagery: false });
  });

  it('AMap: where tiles come from, its attribution, the imagery option and the GCJ-02 note', () => {
    const { q, actions } = render({ choice: { kind: 'amap', imagery: false } });
    expect(q('basemap-online')!.textContent).toContain('is.autonavi.com');
    expect(q('basemap-attribution')!.textContent).toBe('Basemap: © 高德地图 AutoNavi');
    expect(q('basemap-datum-note')!.textContent).toContain('GCJ-02');
    const imagery = q('basemap-imagery') as HTMLInputElement;
    imagery.checked = true;
    imagery.dispatchEvent(new Event('change'));
    expect(actions.choose).toHaveBeenCalledWith({ kind: 'amap', imagery: true });
    expect(
      render({ choice: { kind: 'amap', imagery: false } }, zh).q('basemap-datum-note')!.textContent,
    ).toContain('分析仍按 WGS84');
  });

  it('Tianditu: the key field applies the typed key; OSM has no imagery and no GCJ-02 note', () => {
    const { q, actions } = render({ choice: { kind: 'tianditu', key: '', imagery: true } });
    (q('tianditu-key') as HTMLInputElement).value = ' mykey ';
    q('basemap-apply')!.click();
    expect(actions.choose).toHaveBeenCalledWith({ kind: 'tianditu', key: 'mykey', imagery: true });
    const osm = render({ choice: { kind: 'osm' } });
    expect(osm.q('basemap-imagery')).toBeNull();
    expect(osm.q('basemap-datum-note')).toBeNull();
    expect(osm.q('basemap-attribution')!.textContent).toContain('© OpenStreetMap contributors');
  });

  it('a local archive: URL or file; an error is shown as text', () => {
    const { q, actions } = render({ choice: { kind: 'local', url: '' }, error: '<b>bad</b>' });
    (q('basemap-url') as HTMLInputElement).value = 'basemap.pmtiles';
    q('basemap-apply')!.click();
    expect(actions.choose).toHaveBeenCalledWith({ kind: 'local', url: 'basemap.pmtiles' });
    expect(q('basemap-file')).not.toBeNull();
    expect(q('basemap-error')!.textContent).toBe('<b>bad</b>');
    expect(q('basemap-error')!.children).toHaveLength(0);
  });
});
