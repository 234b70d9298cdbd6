// The files panel's choice of another clip for an OpenStreetMap extract (osm-clip.ts decides
// the clip, osm-clip-sources.ts what it is taken from), which reads the extract again from its
// bytes.
import type { OsmClip } from './formats.js';
import { communitiesClip, studyAreaClip, typedBoxClip } from './osm-clip.js';
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
