// What the page has loaded, apart from the analysis: the files listed in the panel, how each was read
// (for declaring its coordinate system again), what a scenario embeds, the road network the worker
// built, and whether the bundled city is still what is shown. One immutable record changed by named
// transitions, like the view state (view/state.ts), and the sorting of a dropped batch of files into
// worker inputs, drawn layers, a scenario and problems. Nothing here touches the DOM, the map or the
// worker, so unit tests run it in Node.
import type { RasterRoleGuess } from '@lifecircle/io';
import type { FeatureCollection } from 'geojson';
import { kindOf, OSM_NAME, type ReadDropped, readDropped } from './file-reading.js';
import {
  type ContextRole,
  type DrawnRole,
  type FileRole,
  isContextRole,
  isFeatureCollection,
  isWorkerRole,
  RASTER_NAME,
  type RasterRole,
  roleFromName,
} from './files.js';
import { BUNDLED_FILES } from './fixture.js';
import { embeddedFile, isShapefilePart, type OsmClip, type ReadFile } from './formats.js';
import { JsonFileError } from './json.js';
import type { EmbeddedFile } from './scenario.js';
import type { InputFile, InputRole, LoadPayload, NetworkInfo } from './worker/protocol.js';

/** A file as the panel lists it. */
export interface ListedFile {
  readonly role: FileRole;
  readonly name: string;
  readonly features: number;
}

/** Roles a scenario can embed: the worker's inputs and the districts drawn on the map. */
export type EmbeddedRole = InputRole | 'districts';

export interface LoadedInputs {
  /** The road network the worker built from the loaded roads, or null. */
  readonly network: NetworkInfo | null;
  /** Whether the page still shows the bundled city (scenarios then name it instead of embedding it). */
  readonly bundled: boolean;
  /** What a scenario embeds per role: the features as the file has them, with their systems. */
  readonly embedded: ReadonlyMap<EmbeddedRole, EmbeddedFile>;
  readonly files: readonly ListedFile[];
  readonly candidatesFile: { readonly name: string; readonly features: number } | null;
  /** How each loaded worker input was read (rows the reader rejected, where features came from). */
  readonly reads: ReadonlyMap<InputRole, ReadFile>;
  /** Files whose coordinates contradict the system they were read in: shown, loaded once declared. */
  readonly unconverted: ReadonlyMap<InputRole, ReadFile>;
  /** How each drawn layer the user loaded was read (for declaring its coordinate system). */
  readonly contextReads: ReadonlyMap<DrawnRole, ReadFile>;
  /** The districts drawn on the map (their county labels follow the interface language). */
  readonly districts: FeatureCollection | null;
  /** The elevation model the worker holds (walking over terrain), or null. */
  readonly dem: LoadPayload['dem'];
  /** The population raster the worker holds (demand inside each community), or null. */
  readonly populationRaster: LoadPayload['populationRaster'];
  /** The GeoTIFFs the worker holds, by role: their bytes (to change a file's role) and the guess. */
  readonly rasters: ReadonlyMap<RasterRole, HeldRaster>;
  /** GeoTIFFs an opened scenario names without carrying them, by name: the role each had. */
  readonly expectedRasters: ReadonlyMap<string, RasterRole>;
  /**
   * A dropped GeoTIFF whose coordinate system io does not know (GeoKeys naming none): held, not
   * loaded, until the user declares one in its menu.
   */
  readonly rasterWithoutCrs: { readonly name: string; readonly file: Blob; readonly message: string } | null;
  /**
   * The clip the user chose in the files panel for OpenStreetMap files dropped from now on (`clip`
   * null: the whole file), before any is dropped, so that the first read of a large extract is
   * already clipped; null: the default (study area, else communities; osm-clip.ts).
   */
  readonly osmClipNext: { readonly clip: OsmClip | null } | null;
}

/** A GeoTIFF the page holds: an elevation model or a population raster, as the user chose. */
export interface HeldRaster {
  readonly name: string;
  /**
   * The dropped file itself, never read whole: io reads its headers and the window by byte range
   * (`file.slice(a, b).arrayBuffer()`), so a 2 GB raster costs the memory of the city's window.
   */
  readonly file: Blob;
  /** What its values look like (io's `guessRasterRole`), or null when loaded for one role only. */
  readonly guess: RasterRoleGuess | null;
  /** The coordinate system the user declared for it (winning over its GeoKeys), or null. */
  readonly crs: string | null;
}

/** Before anything is loaded: the bundled city is what the page will open. */
export function initialInputs(): LoadedInputs {
  return {
    network: null,
    bundled: true,
    embedded: new Map(),
    files: [],
    candidatesFile: null,
    reads: new Map(),
    unconverted: new Map(),
    contextReads: new Map(),
    districts: null,
    dem: null,
    populationRaster: null,
    rasters: new Map(),
    expectedRasters: new Map(),
    rasterWithoutCrs: null,
    osmClipNext: null,
  };
}

const withEntry = <K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> =>
  new Map(map).set(key, value);
const withoutEntry = <K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> => {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
};

/** The bundled city is (re)opened: the list starts again and nothing the user loaded is kept. */
export function bundledOpened(inputs: LoadedInputs): LoadedInputs {
  return {
    ...inputs,
    bundled: true,
    files: [],
    embedded: new Map(),
    reads: new Map(),
    unconverted: new Map(),
    candidatesFile: null,
  };
}

/** A file is listed in the panel, replacing the one of its role. */
export function fileListed(
  inputs: LoadedInputs,
  role: FileRole,
  name: string,
  features: number,
): LoadedInputs {
  return { ...inputs, files: [...inputs.files.filter((f) => f.role !== role), { role, name, features }] };
}

/** A drawn layer (or the roads) was removed from the map: it leaves the list. */
export function fileUnlisted(inputs: LoadedInputs, role: FileRole): LoadedInputs {
  return { ...inputs, files: inputs.files.filter((f) => f.role !== role) };
}

/**
 * The worker's rasters after a load or unload (`loaded`), with the file now held in `role` (null: the
 * role was emptied). A population raster replaces population points in the worker, so they leave
 * the list and the scenario.
 */
export function rastersLoaded(
  inputs: LoadedInputs,
  loaded: Pick<LoadPayload, 'dem' | 'populationRaster'>,
  role: RasterRole,
  raster: HeldRaster | null,
): LoadedInputs {
  const rasters = raster ? withEntry(inputs.rasters, role, raster) : withoutEntry(inputs.rasters, role);
  const next = {
    ...inputs,
    dem: loaded.dem,
    populationRaster: loaded.populationRaster,
    rasters,
    // A raster held for its coordinate system is the one now loaded, or still waiting.
    rasterWithoutCrs: raster?.name === inputs.rasterWithoutCrs?.name ? null : inputs.rasterWithoutCrs,
  };
  const listed = raster
    ? fileListed(next, role, raster.name, 0)
    : { ...next, files: next.files.filter((f) => f.role !== role) };
  if (!(role === 'populationRaster' && raster)) return listed;
  return {
    ...listed,
    files: listed.files.filter((f) => f.role !== 'demand'),
    embedded: withoutEntry(listed.embedded, 'demand'),
    reads: withoutEntry(listed.reads, 'demand'),
  };
}

/** A dropped GeoTIFF waits for its coordinate system (null: none waits any more). */
export function rasterHeldForCrs(
  inputs: LoadedInputs,
  raster: LoadedInputs['rasterWithoutCrs'],
): LoadedInputs {
  return { ...inputs, rasterWithoutCrs: raster };
}

/** An opened scenario names GeoTIFFs it does not carry: dropped again, each takes its role. */
export function rastersExpected(
  inputs: LoadedInputs,
  missing: readonly { role: string; name: string }[],
): LoadedInputs {
  const expected = new Map<string, RasterRole>();
  for (const m of missing)
    if (m.role === 'dem' || m.role === 'populationRaster') expected.set(m.name, m.role);
  return { ...inputs, expectedRasters: expected };
}

/** The worker built (or dropped: null) the road network. */
export function networkLoaded(inputs: LoadedInputs, network: NetworkInfo | null): LoadedInputs {
  return inputs.network === network ? inputs : { ...inputs, network };
}

/** A file's coordinates contradict its system: kept as read until the user declares one that fits. */
export function fileUnconverted(inputs: LoadedInputs, role: InputRole, read: ReadFile): LoadedInputs {
  return { ...inputs, unconverted: withEntry(inputs.unconverted, role, read) };
}

/** A worker input was taken (loaded, and analysed when it is an analysis input). */
export function inputAccepted(inputs: LoadedInputs, role: InputRole, read: ReadFile): LoadedInputs {
  return {
    ...inputs,
    embedded: withEntry(inputs.embedded, role, embeddedOf(read)),
    reads: withEntry(inputs.reads, role, read),
    unconverted: withoutEntry(inputs.unconverted, role),
  };
}

/** A file of candidate sites was loaded into the worker. */
export function candidatesAccepted(
  inputs: LoadedInputs,
  file: { readonly name: string; readonly features: number },
  read: ReadFile,
): LoadedInputs {
  return candidatesFileListed(inputAccepted(inputs, 'candidates', read), file);
}

/** The worker holds a file of candidate sites (from a scenario: its read is kept apart). */
export function candidatesFileListed(
  inputs: LoadedInputs,
  file: { readonly name: string; readonly features: number },
): LoadedInputs {
  return {
    ...fileListed(inputs, 'candidates', file.name, file.features),
    candidatesFile: { name: file.name, features: file.features },
  };
}

/**
 * A drawn layer was read (or declared again): its read is kept for declaring, and districts are
 * embedded in scenarios in WGS84 (they are drawn as they are).
 */
export function drawnFileRead(
  inputs: LoadedInputs,
  role: DrawnRole,
  value: FeatureCollection,
  read: ReadFile,
): LoadedInputs {
  const next = { ...inputs, contextReads: withEntry(inputs.contextReads, role, read) };
  return role === 'districts' ? districtsEmbedded(next, { name: read.name, data: value }) : next;
}

/** Districts a scenario embeds (drawn as they are, in WGS84). */
export function districtsEmbedded(inputs: LoadedInputs, file: EmbeddedFile): LoadedInputs {
  return { ...inputs, embedded: withEntry(inputs.embedded, 'districts', file) };
}

/** The districts layer drawn on the map changed (null: none drawn). */
export function districtsDrawn(inputs: LoadedInputs, districts: FeatureCollection | null): LoadedInputs {
  return { ...inputs, districts };
}

/**
 * The user's data replaced part of the bundled city: drawn layers the user did not load go from the
 * list (`cleared`: the roles the page emptied on the map), and the bundled inputs that stay are
 * embedded in scenarios like user files (`kept`).
 */
export function bundledLeft(
  inputs: LoadedInputs,
  cleared: readonly FileRole[],
  kept: ReadonlyMap<InputRole, EmbeddedFile>,
): LoadedInputs {
  const embedded = new Map(inputs.embedded);
  for (const [role, file] of kept) embedded.set(role, file);
  return {
    ...inputs,
    bundled: false,
    files: inputs.files.filter((f) => !cleared.includes(f.role)),
    embedded,
  };
}

/** Drawn layers that still come from the bundled city (the user loaded none of their own). */
export function bundledDrawnRoles(inputs: LoadedInputs): ContextRole[] {
  return (['districts', 'roads', 'water', 'railway'] as const).filter(
    (role) => !inputs.files.some((f) => f.role === role && !isBundledName(f.name)),
  );
}

/**
 * A scenario of the user's own files opens: its embedded inputs replace everything loaded, no drawn
 * layer or road network stays, and the list starts again.
 */
export function scenarioInputsOpened(
  inputs: LoadedInputs,
  embedded: ReadonlyMap<InputRole, EmbeddedFile>,
  reads: ReadonlyMap<InputRole, ReadFile>,
): LoadedInputs {
  return {
    ...inputs,
    bundled: false,
    files: [],
    embedded: new Map(embedded),
    reads: new Map(reads),
    unconverted: new Map(),
    network: null,
    candidatesFile: null,
  };
}

/** An input a scenario embeds beside the bundled city or its own files (roads, candidates). */
export function scenarioInputAdded(
  inputs: LoadedInputs,
  role: InputRole,
  file: EmbeddedFile,
  read: ReadFile,
): LoadedInputs {
  return {
    ...inputs,
    embedded: withEntry(inputs.embedded, role, file),
    reads: withEntry(inputs.reads, role, read),
  };
}

/**
 * What a scenario embeds of a read file: its features as the file has them and the coordinate systems
 * the file and the user declared, so that it reopens converted the same way (and can be declared again).
 */
export function embeddedOf(read: ReadFile): EmbeddedFile {
  // The features are taken when a scenario is saved, not before: a big file's may still be only bytes
  // on the page (its features were read in the reading worker).
  // The columns named in the column picker travel too: reopened, the file reads them again.
  const named = read.choices.columns ?? {};
  const columns = Object.keys(named).length > 0 ? { columns: named } : {};
  if (!read.crs || (read.crs.used.id === 'EPSG:4326' && !read.declaredCrs && !read.fileCrs))
    return {
      name: read.name,
      get data() {
        return read.value;
      },
      ...columns,
    };
  // Converted again on reopening, made-up ids must come from the same rows.
  const origins = read.origins
    ? { origins: { index: [...read.origins.index], row: read.origins.row ? [...read.origins.row] : null } }
    : {};
  return {
    name: read.name,
    get data() {
      return read.source;
    },
    crs: { file: read.fileCrs, declared: read.declaredCrs },
    ...columns,
    ...origins,
  };
}

/**
 * A file embedded in a scenario, converted to WGS84 as it was when the scenario was saved and read as
 * the input of its role (communities and facilities without ids get made-up ones), with its columns.
 */
export function readEmbedded(f: EmbeddedFile, role: EmbeddedRole): ReadFile {
  const origins = f.origins
    ? {
        index: Uint32Array.from(f.origins.index),
        row: f.origins.row ? Uint32Array.from(f.origins.row) : null,
      }
    : null;
  return embeddedFile(
    f.name,
    f.data,
    f.crs?.file ?? null,
    f.crs?.declared ?? null,
    { kind: kindOf(role), ...(f.columns ? { columns: f.columns } : {}) },
    origins,
  );
}

export function isBundledName(name: string): boolean {
  return Object.values(BUNDLED_FILES).some((f) => f.name === name);
}

// ------------------------------------------------------------------ a dropped batch

/** A file of a batch the page could not take, in the order of the batch. */
export type DropProblem =
  | { readonly kind: 'unknown-role'; readonly name: string }
  | { readonly kind: 'crs'; readonly message: string };

/** A batch of dropped or picked files, read and sorted by what each is. */
export interface DroppedFiles {
  /** Files for the worker, with how each was read (absent for JSON the worker itself reports on). */
  readonly worker: readonly InputFile[];
  readonly reads: ReadonlyMap<InputRole, ReadFile>;
  /** A road network among them, drawn once the worker took it. */
  readonly roads: { readonly name: string; readonly value: FeatureCollection } | null;
  /** Layers only drawn (districts, water, railway), in the order of the batch. */
  readonly drawn: readonly {
    readonly role: DrawnRole;
    readonly value: FeatureCollection;
    readonly read: ReadFile;
  }[];
  /** Files read fine whose coordinates contradict the system they were read in. */
  readonly unconverted: ReadonlyMap<InputRole, ReadFile>;
  /** GeoTIFFs: an elevation model or a population raster, as their values and the user decide. */
  readonly rasters: readonly { readonly name: string; readonly file: Blob }[];
  readonly problems: readonly DropProblem[];
  /**
   * A scenario file: it replaces everything, so the files after it are not read (the drawn layers
   * before it are still drawn).
   */
  readonly scenario: { readonly name: string; readonly value: unknown } | null;
}

/**
 * Reads a batch of files (a shapefile's parts through its `.shp`) and sorts them: worker inputs,
 * drawn layers, a scenario, and the files it could not take. `forceRole` is the role of a picker
 * made for one kind of file (candidates). A file that cannot be read throws (core's InputError or a
 * JsonFileError naming it), except a JSON file meant for the worker, which goes there so that the
 * worker's validation names the problem. `reading` reads each file (by default on the page; the page
 * passes one that reads GeoJSON in a worker).
 */
export async function sortDroppedFiles(
  files: readonly File[],
  forceRole?: FileRole,
  osmClipFor: (batch: ReadonlyMap<InputRole, ReadFile>) => OsmClip | null = () => null,
  reading: ReadDropped = readDropped,
): Promise<DroppedFiles> {
  const worker: InputFile[] = [];
  const reads = new Map<InputRole, ReadFile>();
  const drawn: { role: DrawnRole; value: FeatureCollection; read: ReadFile }[] = [];
  const unconverted = new Map<InputRole, ReadFile>();
  const problems: DropProblem[] = [];
  const rasters: { name: string; file: Blob }[] = [];
  let roads: DroppedFiles['roads'] = null;
  const sorted = (scenario: DroppedFiles['scenario']): DroppedFiles => ({
    worker,
    reads,
    roads,
    drawn,
    unconverted,
    rasters,
    problems,
    scenario,
  });
  const buffers = new Map<string, ArrayBuffer>();
  // GeoTIFFs are never read whole here: io reads them by byte range from the File.
  for (const file of files)
    if (!RASTER_NAME.test(file.name)) buffers.set(file.name, await file.arrayBuffer());
  const names = files.map((f) => f.name);
  // OpenStreetMap extracts last: they are clipped to the study area or communities of the batch.
  const ordered = [
    ...files.filter((f) => !OSM_NAME.test(f.name)),
    ...files.filter((f) => OSM_NAME.test(f.name)),
  ];
  for (const file of ordered) {
    if (isShapefilePart(file.name, names)) continue;
    if (RASTER_NAME.test(file.name)) {
      rasters.push({ name: file.name, file });
      continue;
    }
    const raw = buffers.get(file.name)!;
    let read: ReadFile;
    let role: FileRole | null;
    try {
      const clip = OSM_NAME.test(file.name) ? osmClipFor(reads) : null;
      ({ read, role } = await reading(file.name, raw, buffers, forceRole, clip, file));
    } catch (error) {
      const named = forceRole ?? roleFromName(file.name);
      if (error instanceof JsonFileError && isWorkerRole(named) && /\.(geo)?json$/i.test(file.name)) {
        worker.push({ role: named, name: file.name, bytes: file });
        continue;
      }
      throw error;
    }
    // The features only where the page uses them: an analysis input's stay in the reading worker.
    if (role === null) {
      problems.push({ kind: 'unknown-role', name: file.name });
      continue;
    }
    if (role === 'scenario') return sorted({ name: file.name, value: read.value });
    if (read.crsError !== null) {
      problems.push({ kind: 'crs', message: read.crsError });
      if (isWorkerRole(role)) unconverted.set(role, read);
      continue;
    }
    if (isWorkerRole(role)) {
      // The file itself when reading left its bytes as they were: the worker reads it, and the page
      // copies none of a big city's megabytes.
      worker.push({ role, name: file.name, bytes: read.bytes === raw ? file : read.bytes });
      reads.set(role, read);
      if (role === 'roads' && isFeatureCollection(read.value)) roads = { name: file.name, value: read.value };
      continue;
    }
    const { value } = read;
    if (!isFeatureCollection(value))
      throw new JsonFileError(file.name, `${file.name}: expected a GeoJSON FeatureCollection.`);
    if (isContextRole(role)) drawn.push({ role, value, read });
  }
  return sorted(null);
}
