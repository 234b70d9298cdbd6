// Under an OpenStreetMap file in the files panel: where io's reader clipped it while reading (the
// study area, the communities' extent widened, a typed box, or nothing) with what it kept, and a menu
// to read it again clipped otherwise (osm-clip-run.ts).
import type { ReadFile } from '../formats.js';
import { OSM_CLIP_MARGIN_M } from '../osm-clip.js';
import type { OsmClipChoice } from '../osm-clip-run.js';
import { h } from '../ui/dom.js';
import type { I18n } from '../ui/i18n.js';
import type { InputRole } from '../worker/protocol.js';

export interface OsmClipActions {
  /** Reads an OpenStreetMap file again clipped as chosen (`box`: the typed west,south,east,north). */
  chooseOsmClip(role: InputRole, choice: OsmClipChoice, box: string): void;
}

const boxText = (box: readonly number[]) => box.map((v) => Number(v.toFixed(4))).join(',');

/** The clip of an OpenStreetMap file and the choice of another, or null for other files. */
export function osmClipControl(
  role: InputRole,
  read: ReadFile,
  i18n: I18n,
  actions: OsmClipActions,
): HTMLElement | null {
  if (!read.choices.osm) return null;
  const clip = read.choices.osmClip ?? null;
  const km = i18n.int(OSM_CLIP_MARGIN_M / 1000);
  const status = !clip
    ? i18n.t('osmClipNone')
    : clip.source === 'study-area'
      ? i18n.t('osmClipStudyArea')
      : clip.source === 'communities'
        ? i18n.t('osmClipCommunities', { km, box: boxText(clip.bbox ?? []) })
        : i18n.t('osmClipBox', { box: boxText(clip.bbox ?? []) });
  const counts = read.osm
    ? i18n.t('osmClipCounts', {
        kept: i18n.int(read.osm.nodesKept),
        nodes: i18n.int(read.osm.nodes),
        clipped: i18n.int(read.osm.clipped),
      })
    : '';
  const current: OsmClipChoice = clip ? (clip.source as OsmClipChoice) : 'none';
  const box = h('input', {
    type: 'text',
    class: 'crs-text',
    value: clip?.source === 'box' ? boxText(clip.bbox ?? []) : '',
    placeholder: '106.6,35.5,106.8,35.6',
    'aria-label': i18n.t('osmClipBoxLabel'),
    'data-testid': `osm-clip-box-${role}`,
    onkeydown: (e) => {
      if ((e as KeyboardEvent).key === 'Enter') actions.chooseOsmClip(role, 'box', box.value.trim());
    },
  });
  const options: readonly [OsmClipChoice, string][] = [
    ['study-area', i18n.t('osmClipOptionStudyArea')],
    ['communities', i18n.t('osmClipOptionCommunities', { km })],
    ['box', i18n.t('osmClipOptionBox')],
    ['none', i18n.t('osmClipOptionNone')],
  ];
  const menu = h(
    'select',
    {
      'data-testid': `osm-clip-${role}`,
      onchange: (e) => {
        const choice = (e.target as HTMLSelectElement).value as OsmClipChoice;
        if (choice === 'box') box.focus();
        else actions.chooseOsmClip(role, choice, '');
      },
    },
    ...options.map(([value, label]) => h('option', { value }, label)),
  );
  menu.value = current;
  return h(
    'div',
    { class: 'osm-clip', 'data-testid': `osm-clip-state-${role}` },
    h(
      'p',
      { class: 'hint', 'data-testid': `osm-clip-status-${role}` },
      counts ? `${status}: ${counts}.` : `${status}.`,
    ),
    h('label', {}, `${i18n.t('osmClipChoose')} `, menu),
    h(
      'div',
      { class: 'row' },
      box,
      h(
        'button',
        {
          type: 'button',
          'data-testid': `osm-clip-apply-${role}`,
          onclick: () => actions.chooseOsmClip(role, 'box', box.value.trim()),
        },
        i18n.t('osmClipApply'),
      ),
    ),
  );
}
