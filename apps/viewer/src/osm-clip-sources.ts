// What an OpenStreetMap extract dropped on the page is clipped to (osm-clip.ts decides the clip):
// a dropped batch's study area and communities, else the ones loaded or shown. Its own module so
// that both the reading of a drop (worker-loading.ts) and the files panel's re-clip
// (osm-clip-run.ts) take it without importing each other.
import { featuresBox } from '@lifecircle/io';
import { isFeatureCollection } from './files.js';
import type { OsmClip, ReadFile } from './formats.js';
import { defaultOsmClip, type OsmClipSources } from './osm-clip.js';
import type { Page } from './page.js';
import { communitiesBox } from './raster-run.js';
import type { InputRole } from './worker/protocol.js';

/** The study area and communities a clip is taken from: the batch's first, else the page's. */
export function osmClipSources(
  page: Pick<Page, 'inputs' | 'view'>,
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
 * Where an OpenStreetMap file dropped now is clipped while read: the clip the user chose for the
 * next file in the files panel (a typed box, the map's view, or none), else the default (the batch's
 * or the page's study area, else its communities widened). `chosen` says which.
 */
export function osmClipForDrop(
  page: Pick<Page, 'inputs' | 'view'>,
  batch: ReadonlyMap<InputRole, ReadFile> = new Map(),
): { readonly clip: OsmClip | null; readonly chosen: boolean } {
  const next = page.inputs.osmClipNext;
  return next
    ? { clip: next.clip, chosen: true }
    : { clip: defaultOsmClip(osmClipSources(page, batch)), chosen: false };
}
