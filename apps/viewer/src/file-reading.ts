// Reading one dropped or picked file and telling what it is: the same steps on the page (tests in
// Node, formats other than GeoJSON) and in the reading worker (worker/reader.worker.ts), which keeps a
// big GeoJSON file's parse and conversion off the page's main thread.
import { type FileRole, guessRole, isFeatureCollection, roleFromName } from './files.js';
import { type OsmClip, type ReadFile, readLoadedFile, rereadFile } from './formats.js';

/** A file read, and the role it turned out to have (null: nothing fits). */
export interface DroppedRead {
  readonly read: ReadFile;
  readonly role: FileRole | null;
}

/**
 * Reads one file of a batch: `siblings` are the batch's files by name (a shapefile's parts),
 * `forceRole` the role of a picker made for one kind of file, `clip` where an OpenStreetMap file is
 * clipped while read, `file` the dropped file whose content `bytes` are (a reader in another thread
 * reads it there rather than being sent a copy of them). Throws as readLoadedFile does.
 */
export type ReadDropped = (
  name: string,
  bytes: ArrayBuffer,
  siblings: ReadonlyMap<string, ArrayBuffer>,
  forceRole?: FileRole,
  clip?: OsmClip | null,
  file?: Blob,
) => Promise<DroppedRead>;

/**
 * OpenStreetMap extracts: read as the road network, or as facilities when the name says so
 * (`设施.osm.pbf`, `facilities.osm`), as the CLI reads them given with `--network` or `--facilities`.
 */
export const OSM_NAME = /\.(osm|osm\.pbf|pbf)$/i;

/** io's kind of input for a file's role: only communities and facilities get made-up ids. */
export function kindOf(role: FileRole | null): 'communities' | 'facilities' | 'other' {
  return role === 'communities' || role === 'facilities' ? role : 'other';
}

/** Reads a file where it is called, as {@link ReadDropped} says, and guesses its role from its content. */
export const readDropped: ReadDropped = async (name, bytes, siblings, forceRole, clip) => {
  const named = forceRole ?? roleFromName(name);
  let read = await readLoadedFile(name, bytes, siblings, {
    kind: kindOf(named),
    ...(OSM_NAME.test(name) ? { osm: named === 'facilities' ? 'facilities' : 'network' } : {}),
    ...(clip ? { osmClip: clip } : {}),
  });
  const role = forceRole ?? guessRole(name, read.value);
  // Read as what it turned out to be: communities and facilities without ids get made-up ones.
  if (isFeatureCollection(read.source) && kindOf(role) !== (read.choices.kind ?? 'other'))
    read = await rereadFile(read, { kind: kindOf(role) });
  return { read, role };
};
