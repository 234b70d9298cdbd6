// Under an OpenStreetMap file in the files panel: where io's reader clipped it while reading (the
// study area, the communities' extent widened, a typed box, or nothing) with what it kept, and a menu
// to read it again clipped otherwise (osm-clip-run.ts).
import type { OsmClip, ReadFile } from '../formats.js';
import { OSM_CLIP_MARGIN_M } from '../osm-clip.js';
import type { NextOsmClipChoice, OsmClipChoice } from '../osm-clip-run.js';
import { h } from '../ui/dom.js';
import type { I18n } from '../ui/i18n.js';
import type { InputRole } from '../worker/protocol.js';

export interface OsmClipActions {
  /** Reads an OpenStreetMap file again clipped as chosen (`box`: the typed west,south,east,north). */
  chooseOsmClip(role: InputRole, choice: OsmClipChoice, box: string): void;
  /** Sets where the next OpenStreetMap file dropped is clipped (`box`: the typed box). */
  chooseNextOsmClip(choice: NextOsmClipChoice, box: string): void;
}

const boxText = (box: readonly number[]) => box.map((v) => Number(v.toFixed(4))).join(',');

/** What a clip keeps, in words: the study area, the communities widened, a box, or the whole file. */
function clipText(clip: OsmClip | null, i18n: I18n): string {
  const km = i18n.int(OSM_CLIP_MARGIN_M / 1000);
  return !clip
    ? i18n.t('osmClipNone')
    : clip.source === 'study-area'
      ? i18n.t('osmClipStudyArea')
      : clip.source === 'communities'
        ? i18n.t('osmClipCommunities', { km, box: boxText(clip.bbox ?? []) })
        : i18n.t('osmClipBox', { box: boxText(clip.bbox ?? []) });
}

/**
 * A clip menu with a box to type: `choose` gets the choice (and the typed box for `box`, applied by
 * its button or Enter). `suffix` names its test ids.
 */
function clipChooser<C extends string>(
  suffix: string,
  status: string,
  choices: readonly (readonly [C, string])[],
  current: C,
  typedBox: string,
  i18n: I18n,
  choose: (choice: C | 'box', box: string) => void,
): HTMLElement {
  const box = h('input', {
    type: 'text',
    class: 'crs-text',
    value: typedBox,
    placeholder: '106.6,35.5,106.8,35.6',
    'aria-label': i18n.t('osmClipBoxLabel'),
    'data-testid': `osm-clip-box-${suffix}`,
    onkeydown: (e) => {
      if ((e as KeyboardEvent).key === 'Enter') choose('box', box.value.trim());
    },
  });
  const menu = h(
    'select',
    {
      'data-testid': `osm-clip-${suffix}`,
      onchange: (e) => {
        const choice = (e.target as HTMLSelectElement).value as C;
        if (choice === 'box') box.focus();
        else choose(choice, '');
      },
    },
    ...choices.map(([value, label]) => h('option', { value }, label)),
  );
  menu.value = current;
  return h(
    'div',
    { class: 'osm-clip', 'data-testid': `osm-clip-state-${suffix}` },
    h('p', { class: 'hint', 'data-testid': `osm-clip-status-${suffix}` }, status),
    h('label', {}, `${i18n.t('osmClipChoose')} `, menu),
    h(
      'div',
      { class: 'row' },
      box,
      h(
        'button',
        {
          type: 'button',
          'data-testid': `osm-clip-apply-${suffix}`,
          onclick: () => choose('box', box.value.trim()),
        },
        i18n.t('osmClipApply'),
      ),
    ),
  );
}

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
  const status = clipText(clip, i18n);
  const counts = read.osm
    ? i18n.t('osmClipCounts', {
        kept: i18n.int(read.osm.nodesKept),
        nodes: i18n.int(read.osm.nodes),
        clipped: i18n.int(read.osm.clipped),
      })
    : '';
  const current: OsmClipChoice = clip ? (clip.source as OsmClipChoice) : 'none';
  const choices: readonly [OsmClipChoice, string][] = [
    ['study-area', i18n.t('osmClipOptionStudyArea')],
    ['communities', i18n.t('osmClipOptionCommunities', { km })],
    ['box', i18n.t('osmClipOptionBox')],
    ['none', i18n.t('osmClipOptionNone')],
  ];
  return clipChooser(
    role,
    counts ? `${status}: ${counts}.` : `${status}.`,
    choices,
    current,
    clip?.source === 'box' ? boxText(clip.bbox ?? []) : '',
    i18n,
    (choice, box) => actions.chooseOsmClip(role, choice, box),
  );
}

/**
 * Where the next OpenStreetMap file dropped will be clipped while read, and the choice of another
 * before dropping it: the default, a typed box, the map's view, or the whole file.
 */
export function nextOsmClipControl(
  next: { readonly clip: OsmClip | null; readonly chosen: boolean },
  i18n: I18n,
  actions: OsmClipActions,
): HTMLElement {
  const clip = next.clip;
  const text = !next.chosen && !clip ? i18n.t('osmClipNextNoDefault') : clipText(clip, i18n);
  const status = i18n.t(next.chosen ? 'osmClipNextChosen' : 'osmClipNextDefault', { clip: text });
  const current: NextOsmClipChoice = !next.chosen ? 'default' : clip ? 'box' : 'none';
  const choices: readonly [NextOsmClipChoice, string][] = [
    ['default', i18n.t('osmClipOptionDefault')],
    ['box', i18n.t('osmClipOptionBox')],
    ['view', i18n.t('osmClipOptionView')],
    ['none', i18n.t('osmClipOptionNone')],
  ];
  return h(
    'details',
    { class: 'osm-clip-next', 'data-testid': 'osm-clip-next-file', open: next.chosen },
    h('summary', {}, i18n.t('osmClipNextHeading')),
    clipChooser(
      'next',
      `${status}.`,
      choices,
      current,
      next.chosen && clip?.bbox ? boxText(clip.bbox) : '',
      i18n,
      (choice, box) => actions.chooseNextOsmClip(choice, box),
    ),
  );
}
