import { InputError, type Rejection, RoadGraph, type Warning } from '@lifecircle/core';
import { webMapExportHint } from '@lifecircle/core/internal';
import {
  detectFormat,
  type InputCrsRecord,
  type InputFormat,
  type InputRead,
  layerPositions,
  type OffsetHypothesis,
  OffsetReference,
  type OffsetTestResult,
  offsetTest,
} from '@lifecircle/io';
import { type CommandSteps, type StepOptions, UsageError } from '../command.js';
import { readFileHead } from '../inputs/files.js';
import { formatOptions, InputReading } from '../inputs/reading.js';
import { checkReadingFlags, formatHelp } from '../options/analysis.js';
import { CrsRun, offsetWarning } from '../options/crs.js';
import { repeatableFlags, valueFlags } from '../options/flags.js';
import { formatRejections, formatWarning, terminalText } from '../outputs/terminal.js';
import { type StepCommand, stepCommand } from '../steps.js';

const usage = `Usage: lifecircle inspect FILE… [--network FILE] [--json]

Prints what lifecircle reads from each file, before any analysis: its format and text encoding, its
coordinate system as the file declares it, as declared with --input-crs and as detected, the columns
the positions come from, how many features were read and rejected, and their extent. With --network,
the offset test: the median distance from the file's points to the network's roads as read, as if
GCJ-02 (AMap/Gaode, Tencent) and as if BD-09 (Baidu), and which reading fits clearly better, or none
where the evidence does not decide (docs/inspect.md).

Options:
  --network FILE         roads known to be in WGS84 (an OpenStreetMap extract, any input format),
                         the reference of the offset test
  --input-crs CRS        system of the files that declare none (default WGS84 longitude/latitude)
  --network-crs CRS      system of the network, winning over its own declaration
  --json                 print { "files": [ … ] } as JSON instead of text
  -h, --help             this help

${formatHelp}
`;

/** The options of `lifecircle inspect`. */
export interface InspectCommandOptions {
  /** The files to inspect, as given. */
  readonly files: readonly string[];
  /** `--network`: the WGS84 reference of the offset test. */
  readonly network?: string;
  /** `--json`: print JSON instead of text. */
  readonly json: boolean;
}

/** Parses the arguments of `lifecircle inspect`; a mistake is a {@link UsageError}. */
export function parseInspectOptions(
  values: Record<string, unknown>,
  positionals: readonly string[],
): InspectCommandOptions {
  if (positionals.length === 0) {
    throw new UsageError(
      'give one or more files to inspect, e.g. lifecircle inspect pois.csv --network roads.osm.pbf.',
    );
  }
  const network = values.network as string | undefined;
  return {
    files: [...positionals],
    ...(network === undefined ? {} : { network }),
    json: values.json === true,
  };
}

/** A column the positions (or, with io's column roles, other attributes) were read from. */
export interface InspectedColumn {
  readonly role: string;
  readonly column: string;
  /** `named` by an option, or `detected` from its header. */
  readonly source: 'named' | 'detected';
}

/**
 * What an OpenStreetMap file can be given as: `--facilities` (its elements with facility tags) and
 * `--network` (its walkable ways). `inspect`'s other figures are of the facilities when it has any,
 * else of the walkable ways.
 */
export interface OsmUses {
  /** Elements with facility tags read (0: the file cannot be given as `--facilities`). */
  readonly facilities: number;
  /**
   * As `--network`: the walkable ways read and the walking graph built from them (nodes are
   * junctions and line ends); null when it has no walkable way.
   */
  readonly network: { readonly ways: number; readonly nodes: number; readonly edges: number } | null;
}

/** What `inspect` found in one file: an element of `files` in `--json`. */
export interface InspectedFile {
  readonly file: string;
  readonly format: InputFormat;
  /** The text encoding used, or null for binary formats. */
  readonly encoding: string | null;
  /** The coordinate system as read, declared and detected, and the one used. */
  readonly crs: InputCrsRecord;
  readonly columns: InspectedColumn[];
  readonly features: { readonly read: number; readonly rejected: number };
  /** [west, south, east, north] in WGS84, or null with no position. */
  readonly bbox: [number, number, number, number] | null;
  /** The offset test against `--network`, or null without one. */
  readonly offset_test: OffsetTestResult | null;
  readonly rejected: Rejection[];
  readonly warnings: Warning[];
  /** For an OpenStreetMap file: what it can be given as. */
  readonly osm?: OsmUses;
}

/** What `inspect` found: the network it tested against and each file. */
export interface InspectResult {
  readonly network: { readonly file: string; readonly crs: InputCrsRecord } | null;
  readonly files: InspectedFile[];
}

function bboxOf(collection: unknown): [number, number, number, number] | null {
  const xy = layerPositions(collection);
  if (xy.length === 0) return null;
  const box: [number, number, number, number] = [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (let i = 0; i < xy.length; i += 2) {
    box[0] = Math.min(box[0], xy[i]!);
    box[1] = Math.min(box[1], xy[i + 1]!);
    box[2] = Math.max(box[2], xy[i]!);
    box[3] = Math.max(box[3], xy[i + 1]!);
  }
  // A micro-degree is 0.1 m: finer says nothing.
  return box.map((v) => Math.round(v * 1e6) / 1e6) as [number, number, number, number];
}

/** Enough of a file to tell OpenStreetMap data by its content. */
const FORMAT_HEAD_BYTES = 64 * 1024;

/**
 * An OpenStreetMap file read both ways it can be given, as facilities and as the walking network: the
 * read shown is the facilities', or the walkable ways' when it has no facility tags. A file that is
 * neither gets the facilities' error.
 */
async function readOsmUses(reading: InputReading, path: string): Promise<{ read: InputRead; uses: OsmUses }> {
  const readOrError = (role: 'facilities' | 'network') =>
    reading.read(path, role).catch((error: unknown) => {
      if (error instanceof InputError) return error;
      throw error;
    });
  const facilities = await readOrError('facilities');
  const network = await readOrError('network');
  if (facilities instanceof InputError && network instanceof InputError) throw facilities;
  let walkable: OsmUses['network'] = null;
  if (!(network instanceof InputError)) {
    const { graph } = RoadGraph.fromGeoJSON(network.features);
    walkable = { ways: network.features.features.length, nodes: graph.nodeCount, edges: graph.edgeCount };
  }
  const uses: OsmUses = {
    facilities: facilities instanceof InputError ? 0 : facilities.features.features.length,
    network: walkable,
  };
  return { read: facilities instanceof InputError ? (network as InputRead) : facilities, uses };
}

/**
 * Reads each file as the analysing commands would (format, encoding, coordinate system to WGS84) and,
 * with a network, runs the offset test of each against it.
 */
export async function runInspect(options: InspectCommandOptions & StepOptions): Promise<InspectResult> {
  const values = { ...options.inputs };
  const optionsFor = formatOptions(values);
  const crs = new CrsRun(values);
  // The reference is the network in WGS84: --input-crs is the system of the files, not of it.
  const declarations = (role: string) =>
    role === 'network'
      ? { ...crs.declarationsFor(role), defaultCrs: null }
      : { ...crs.declarationsFor(role), crsFlag: '--input-crs' };
  const reading = new InputReading(optionsFor, declarations);
  let reference: OffsetReference | null = null;
  let network: InspectResult['network'] = null;
  if (options.network !== undefined) {
    const read = await reading.read(options.network, 'network');
    reference = new OffsetReference(read.features);
    network = { file: options.network, crs: read.crs! };
  }
  const files: InspectedFile[] = [];
  for (const path of options.files) {
    // An OpenStreetMap file holds roads and facilities alike: inspect says what it can be used as.
    const format = detectFormat(readFileHead(path, FORMAT_HEAD_BYTES, 'a file to inspect'), path);
    const osm = format === 'osm-xml' || format === 'osm-pbf' ? await readOsmUses(reading, path) : null;
    const read: InputRead = osm?.read ?? (await reading.read(path, 'facilities'));
    const test = reference === null || path === options.network ? null : offsetTest(read.features, reference);
    const warnings: Warning[] = [...read.warnings];
    const advice = test && options.network ? offsetWarning(path, options.network, test, '--input-crs') : null;
    if (advice) warnings.push(advice);
    // Without a test that decides, the export's fields can only raise the question.
    const hint = test?.better ? null : webMapExportHint(path, read.features.features);
    if (hint) warnings.push(hint);
    files.push({
      file: path,
      format: read.format,
      encoding: read.encoding,
      crs: read.crs!,
      columns: [
        ...read.positionColumns,
        ...read.columns.map((c) => ({ role: c.role, column: c.column, source: c.source })),
      ],
      features: { read: read.features.features.length, rejected: read.rejected.length },
      bbox: bboxOf(read.features),
      offset_test: test,
      rejected: read.rejected,
      warnings,
      ...(osm ? { osm: osm.uses } : {}),
    });
  }
  return { network, files };
}

/** `inspect --json`: `{ "network", "files": [ … ] }`. */
export function inspectJson(result: InspectResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

const FORMAT_NAMES: Readonly<Record<InputFormat, string>> = {
  geojson: 'GeoJSON',
  geojsonseq: 'GeoJSON lines',
  csv: 'CSV',
  xlsx: 'XLSX',
  shapefile: 'shapefile',
  dbf: 'dBASE table',
  flatgeobuf: 'FlatGeobuf',
  geopackage: 'GeoPackage',
  'osm-xml': 'OpenStreetMap XML',
  'osm-pbf': 'OpenStreetMap PBF',
};

const SOURCE_TEXT: Readonly<Record<InputCrsRecord['source'], string>> = {
  option: 'as declared by option',
  file: 'as the file declares',
  'default-option': 'from --input-crs',
  default: 'the default: nothing declares one',
};

const BETTER_TEXT: Readonly<Record<OffsetHypothesis, string>> = {
  'as-read': 'as read',
  gcj02: 'as GCJ-02 (gcj02)',
  bd09: 'as BD-09 (bd09)',
};

function metres(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} m`;
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** What an OpenStreetMap file can be given as, in words: the `use as` lines of its block. */
function formatOsmUses(uses: OsmUses): string[] {
  const network = uses.network
    ? `--network (walking network: ${count(uses.network.ways, 'walkable way', 'walkable ways')}, ${count(uses.network.nodes, 'node', 'nodes')} where they meet or end, ${count(uses.network.edges, 'edge', 'edges')})`
    : 'not --network: no walkable way (highway=footway, path, residential …)';
  const facilities =
    uses.facilities > 0
      ? `--facilities (${count(uses.facilities, 'element', 'elements')} with facility tags)`
      : 'not --facilities: no element with facility tags (amenity, shop, leisure, healthcare, social_facility)';
  const [first, second] = uses.facilities > 0 ? [facilities, network] : [network, facilities];
  return [`  use as       ${first}`, `               ${second}`];
}

/** The text `inspect` prints: one block per file. */
export function formatInspect(result: InspectResult): string {
  const lines: string[] = [];
  if (result.network) {
    lines.push(
      `Offset test reference: ${result.network.file} (${result.network.crs.used.name}), taken to be in WGS84`,
      '',
    );
  }
  for (const f of result.files) {
    const c = f.crs;
    lines.push(f.file);
    lines.push(`  format       ${FORMAT_NAMES[f.format]}${f.encoding ? `, ${f.encoding}` : ''}`);
    if (f.osm) lines.push(...formatOsmUses(f.osm));
    lines.push(
      `  coordinates  file declares: ${c.read ?? 'nothing'}; option: ${c.declared ?? 'none'}; detected: ${c.detected ?? 'nothing'}`,
    );
    lines.push(
      `               read as ${c.used.name} (${c.used.id}, ${SOURCE_TEXT[c.source]})${c.converted ? ', converted to WGS84' : ''}`,
    );
    lines.push(
      `  columns      ${
        f.columns.length === 0
          ? 'positions from the geometry'
          : f.columns.map((col) => `${col.role} ${col.column} (${col.source})`).join(', ')
      }`,
    );
    const what = f.osm && f.osm.facilities === 0 ? ' (walkable ways)' : '';
    lines.push(`  features     ${f.features.read} read${what}, ${f.features.rejected} rejected`);
    lines.push(
      `  bbox         ${f.bbox ? `${f.bbox.join(', ')} (west, south, east, north; WGS84)` : 'no position'}`,
    );
    const t = f.offset_test;
    if (t) {
      lines.push(
        `  offset test  ${t.points} points, median distance to the roads: as read ${metres(t.as_read_median_m)}, as GCJ-02 ${metres(t.as_gcj02_median_m)}, as BD-09 ${metres(t.as_bd09_median_m)}`,
      );
      lines.push(
        `               better: ${t.better === null ? 'undecided' : BETTER_TEXT[t.better]} (${t.reason})`,
      );
    } else if (result.network === null) {
      lines.push('  offset test  not run: give --network ROADS (roads known in WGS84) to run it');
    }
    if (f.rejected.length > 0) lines.push(formatRejections(f.rejected, 10).trimEnd());
    for (const w of f.warnings) lines.push(formatWarning(w));
    lines.push('');
  }
  return terminalText(`${lines.join('\n')}`);
}

export const inspectCommand: StepCommand<InspectCommandOptions, InspectResult> = stepCommand({
  name: 'inspect',
  summary: 'what lifecircle reads from files: format, encoding, coordinates, columns, extent, offset test',
  usage,
  positionals: true,
  options: {
    ...valueFlags('network', 'input-crs', 'network-crs'),
    json: { type: 'boolean' },
    ...repeatableFlags('encoding', 'lon-column', 'lat-column', 'position-column', 'layer'),
  },
  parse: parseInspectOptions,
  checkSharedFlags: checkReadingFlags,
  run: runInspect,
  // inspect writes no file: it prints text, or JSON with --json.
  format: (result, options) => ({
    outputs: [],
    terminal: () => (options.json ? inspectJson(result) : formatInspect(result)),
  }),
});

/** `lifecircle inspect` as its three steps, to call one by one. */
export const inspectSteps: CommandSteps<InspectCommandOptions & StepOptions, InspectResult> =
  inspectCommand.steps;
