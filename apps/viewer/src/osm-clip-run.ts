// The files panel's choice of another clip for an OpenStreetMap extract (osm-clip.ts decides
// the clip, osm-clip-sources.ts what it is taken from), which reads the extract again from its
// bytes, and its choice of the clip of the next extract dropped, before it is read at all.
import type { OsmClip } from './formats.js';
import { communitiesClip, mapViewClip, studyAreaClip, typedBoxClip } from './osm-clip.js';
import { osmClipSources } from './osm-clip-sources.js';
import type { Page } from './page.js';
import type { InputRole } from './worker/protocol.js';
import { chooseReading } from './worker-loading.js';

/** The clip choices the files panel offers for an OpenStreetMap file. */
export type OsmClipChoice = 'study-area' | 'communities' | 'box' | 'none';

/**
 * Reads a loaded OpenStreetMap file again clipped as chosen in the files panel (`box`: the typed
 * `west,south,east,north`); a box that is not one, or a source not loaded, is said and nothing changes.
 */
export async function chooseOsmClip(
  page: Page,
  role: InputRole,
  choice: OsmClipChoice,
  boxText = '',
): Promise<void> {
  const sources = osmClipSources(page);
  let clip: OsmClip | null;
  if (choice === 'box') {
    const typed = typedBoxClip(boxText);
    if ('error' in typed) {
      page.setNotice({ kind: 'error', title: page.t('errorTitle'), message: typed.error });
      page.render();
      return;
    }
    clip = typed;
  } else {
    clip =
      choice === 'study-area'
        ? studyAreaClip(sources.studyArea)
        : choice === 'communities'
          ? communitiesClip(sources.communitiesBox)
          : null;
    if (choice !== 'none' && clip === null) {
      const message = page.t(choice === 'study-area' ? 'osmClipNoStudyArea' : 'osmClipNoCommunities');
      page.setNotice({ kind: 'error', title: page.t('errorTitle'), message });
      page.render();
      return;
    }
  }
  // null reads the whole file.
  await chooseReading(page, role, { osmClip: clip });
}

/** The clip choices for the next OpenStreetMap file: the default, a typed box, the map's view, none. */
export type NextOsmClipChoice = 'default' | 'box' | 'view' | 'none';

/**
 * Sets where the next OpenStreetMap file dropped is clipped while read (`box`: the typed
 * `west,south,east,north`; `view`: `mapView`, the box the map shows now), so that a large extract's first read is
 * already clipped. A box that is not one is said and nothing changes.
 */
export function chooseNextOsmClip(
  page: Page,
  choice: NextOsmClipChoice,
  boxText: string,
  mapView: readonly [number, number, number, number],
): void {
  let next: { clip: OsmClip | null } | null = null;
  if (choice === 'box' || choice === 'view') {
    const clip = choice === 'box' ? typedBoxClip(boxText) : mapViewClip(mapView);
    if (clip === null || 'error' in clip) {
      const message = clip === null ? page.t('osmClipNoView') : clip.error;
      page.setNotice({ kind: 'error', title: page.t('errorTitle'), message });
      page.render();
      return;
    }
    next = { clip };
  } else if (choice === 'none') {
    next = { clip: null };
  }
  page.inputs = { ...page.inputs, osmClipNext: next };
  page.render('files');
}
