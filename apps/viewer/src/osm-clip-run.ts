// The page's side of clipping OpenStreetMap extracts (osm-clip.ts): what a clip can be taken from
// (a dropped batch's study area and communities, else the ones loaded or shown), and the files
// panel's choice of another clip, which reads the extract again from its bytes.
import { featuresBox } from '@lifecircle/io';
import { isFeatureCollection } from './files.js';
import type { OsmClip, ReadFile } from './formats.js';
import { communitiesClip, type OsmClipSources, studyAreaClip, typedBoxClip } from './osm-clip.js';
import type { Page } from './page.js';
import { communitiesBox } from './raster-run.js';
import type { InputRole } from './worker/protocol.js';
import { chooseReading } from './worker-loading.js';

/** The clip choices the files panel offers for an OpenStreetMap file. */
export type OsmClipChoice = 'study-area' | 'communities' | 'box' | 'none';

/** The study area and communities a clip is taken from: the batch's first, else the page's. */
export function osmClipSources(
  page: Page,
  batch: ReadonlyMap<InputRole, ReadFile> = new Map(),
): OsmClipSources {
  const studyArea = batch.get('studyArea')?.value ?? page.inputs.reads.get('studyArea')?.value;
  const communities = batch.get('communities')?.value;
  return {
    studyArea: isFeatureCollection(studyArea) ? studyArea : null,
    communitiesBox: isFeatureCollection(communities)
      ? featuresBox(communities.features)
      : communitiesBox(page),
  };
}

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
