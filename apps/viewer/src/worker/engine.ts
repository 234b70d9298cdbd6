// The worker's state and computations, without the messaging: it runs in the analysis worker and,
// unchanged, in Node for the unit tests. Everything is computed by @lifecircle/core: the analysis
// (analyzeCoverage), standard profiles (checkStandards), walking distance and catchments (RoadGraph,
// NetworkSource, catchments) and siting (siteFacilities). This file parses files, keeps the last
// results and packs their figures into typed arrays for the page.
import {
  type AnalysisInput,
  type AnalysisResult,
  analyzeCoverage,
  BUILT_IN_PROFILE_IDS,
  type ComplianceResult,
  catchments,
  checkStandards,
  communityFeatureCollection,
  complianceColumns,
  complianceFeatureCollection,
  complianceRows,
  type DemandOptions,
  type DistanceContext,
  type DistanceSource,
  evaluateProposals,
  formatCsv,
  GAP_COLUMNS,
  GreatCircleSource,
  gapRows,
  InputError,
  NetworkSource,
  OptionError,
  type Origins,
  type ProgressEvent,
  type Rejection,
  RoadGraph,
  type SiteOptions,
  type SiteProgress,
  type StandardProfile,
  siteFacilities,
  siteFeatureCollection,
  type TypeMapEntry,
  type Warning,
  type WorkPool,
} from '@lifecircle/core';
import {
  featureCollectionOf,
  NETWORK_WARNING_CODES,
  targetsAt,
  type WalkingSummary,
} from '@lifecircle/core/internal';
import { type PopulationRaster, readPopulationRaster } from '@lifecircle/io';
import type { Feature } from 'geojson';
import { excludedAreasOf } from '../drawing/areas.js';
import { JsonFileError, parseJsonBytes } from '../json.js';
import { type ProfileFile, readProfileFile } from '../profile-file.js';
import { packAnalysis, packCompliance, packPolygons } from './pack.js';
import type {
  AnalysisPayload,
  AnalyzeOptions,
  CatchmentsPayload,
  CompliancePayload,
  DistanceInfo,
  ErrorPayload,
  ExportFormat,
  ExportPayload,
  InputRole,
  ItemsPayload,
  LoadPayload,
  ModelRequest,
  NetworkInfo,
  PackedPolygons,
  RasterFile,
  ReadInputFile,
  SiteFigures,
  SitePayload,
  SiteRequest,
  SitingConstraints,
  WalkingPayload,
} from './protocol.js';
import { isRasterFile } from './protocol.js';
import {
  isWalkerRun,
  type LoadedDem,
  type NetworkTerrain,
  RASTER_CRS_WORDING,
  readNetworkTerrain,
  snapRule,
  viewerWalkerRun,
  walkerGraphOf,
  walkerSet,
  walkingPayload,
} from './walking.js';

/** An error the page shows to the user as it is (no stack trace). */
export class ViewerError extends Error {
  readonly payload: ErrorPayload;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.payload = payload;
  }
}

interface LoadedInput {
  readonly name: string;
  readonly value: unknown;
  readonly features: number;
}

interface LoadedNetwork {
  readonly file: string;
  readonly graph: RoadGraph;
  readonly rejected: readonly Rejection[];
  readonly warnings: readonly Warning[];
  readonly info: NetworkInfo;
}

type SourceFactory = (origins: Origins, context: DistanceContext) => DistanceSource;

interface LastAnalysis {
  readonly result: AnalysisResult;
  readonly input: AnalysisInput;
  readonly source: DistanceSource;
  readonly options: AnalyzeOptions;
  readonly distance: DistanceInfo;
  readonly network: LoadedNetwork | null;
  /** Radii the run measured with: the options' metres, or minutes for each type's walker. */
  readonly radii: Readonly<Record<string, number>>;
  /** In a walker run, the graph in the type's walker's minutes that its catchments are drawn on. */
  readonly walkerGraphOf: ((typeId: string) => RoadGraph) | null;
  /** Builds a source of the analysis' kind; the analysis' own source when the origins are its own. */
  readonly factory: SourceFactory;
  /** How demand is placed (a population raster's grid), for profiles and siting alike. */
  readonly demand: DemandOptions;
  /** A walker run's summary (each type's walker, minutes and metres), or null. */
  readonly walking: WalkingSummary | null;
}

interface LastCompliance {
  readonly profile: string;
  readonly result: ComplianceResult;
  /** Per analysis community: its index in `result.communities`, or -1. */
  readonly indexOf: Int32Array;
}

const ANALYSIS_ROLES: ReadonlySet<InputRole> = new Set(['communities', 'facilities', 'demand']);
/** Models whose answer for k sites nests those for fewer, so one run gives the curve (`tradeoff`). */
const NESTED_MODELS: ReadonlySet<string> = new Set(['mclp', 'pmedian', 'capacitated']);

/** An export of record rows as CSV, one column per name in `columns`, in that order. */
function csvExport<Column extends string>(
  format: ExportFormat,
  columns: readonly Column[],
  rows: readonly Readonly<Record<Column, unknown>>[],
): ExportPayload {
  return {
    kind: 'export',
    format,
    text: formatCsv(
      columns,
      rows.map((r) => columns.map((c) => r[c])),
    ),
  };
}

/**
 * The user's type map as core's `typeMap` option (each row naming its file, as io's `readTypeMap`
 * gives them to the CLI), or nothing: the facilities are typed as the CLI's `--type-map` types them.
 */
function typeMapOf(options: AnalyzeOptions): { typeMap?: TypeMapEntry[] } {
  const map = options.typeMap;
  return map ? { typeMap: map.entries.map((entry) => ({ ...entry, file: map.name })) } : {};
}

/** The worker's data: loaded inputs, the road network and the last analysis and profile run. */
export class Engine {
  private readonly inputs = new Map<InputRole, LoadedInput>();
  private network: LoadedNetwork | null = null;
  private dem: LoadedDem | null = null;
  /** The DEM read for the loaded network, once a walk needed it. */
  private terrain: NetworkTerrain | null = null;
  /** A loaded population raster's bytes, read over the communities when an analysis needs it. */
  private populationRaster: LoadedDem | null = null;
  /** The population raster read for the loaded communities. */
  private rasterRead: {
    readonly raster: LoadedDem;
    readonly communities: LoadedInput;
    readonly read: PopulationRaster<{ features: Feature[] }>;
  } | null = null;
  private inputsVersion = 0;
  private geometrySentFor = -1;
  private last: LastAnalysis | null = null;
  private compliance: LastCompliance | null = null;
  private readonly catchmentCache = new Map<string, CatchmentsPayload>();

  /**
   * `pool`: the threads the distance sources split their searches over (the browser's pool of Web
   * Workers); absent, they run on this thread. The answers are the same either way.
   */
  constructor(private readonly pool?: WorkPool) {}

  /**
   * Parses and keeps the files; a file that is not a FeatureCollection (or a roads file without a
   * walkable line) is refused here already, and then nothing that was loaded changes.
   */
  load(files: readonly (ReadInputFile | RasterFile)[]): LoadPayload {
    const parsed: [InputRole, LoadedInput][] = [];
    let network: LoadedNetwork | null = null;
    let dem: LoadedDem | null = null;
    let raster: LoadedDem | null = null;
    for (const file of files) {
      if (isRasterFile(file) || file.role === 'dem' || file.role === 'populationRaster') {
        // Read (with io's messages, by byte range) when an analysis first needs it: readGeoTiff is
        // asynchronous. A raster handed over as bytes (the tests, a caller with the bytes at hand)
        // is read the same way from a Blob of them.
        const source = isRasterFile(file) ? file.file : new Blob([file.bytes]);
        const crs = isRasterFile(file) ? file.crs : undefined;
        const held = { file: file.name, source, ...(crs ? { crs } : {}) };
        if (file.role === 'dem') dem = held;
        else raster = held;
        continue;
      }
      try {
        const value = parseJsonBytes(file.bytes, file.name);
        const features = featureCollectionOf(value, file.name).features.length;
        if (file.role === 'roads') network = buildNetwork(value, file.name);
        parsed.push([file.role, { name: file.name, value, features }]);
      } catch (error) {
        throw toViewerError(error);
      }
    }
    for (const [role, input] of parsed) {
      this.inputs.set(role, input);
      if (ANALYSIS_ROLES.has(role)) {
        this.inputsVersion++;
        this.invalidate();
      }
    }
    if (network) {
      this.network = network;
      if (this.last?.distance.kind === 'network') this.invalidate();
    }
    if (dem) {
      this.dem = dem;
      if (this.last?.distance.kind === 'network') this.invalidate();
    }
    // A raster and population points both place the population (the CLI takes one or the other):
    // the one loaded last stays.
    if (raster) {
      this.populationRaster = raster;
      this.inputs.delete('demand');
    } else if (parsed.some(([role]) => role === 'demand')) this.populationRaster = null;
    if (raster || parsed.some(([role]) => role === 'demand')) {
      this.inputsVersion++;
      this.invalidate();
    }
    return this.loadPayload();
  }

  /** Drops an optional input (demand points, roads, candidates). */
  unload(role: InputRole): LoadPayload {
    if (this.inputs.delete(role)) {
      if (ANALYSIS_ROLES.has(role)) {
        this.inputsVersion++;
        this.invalidate();
      }
      if (role === 'roads') {
        this.network = null;
        if (this.last?.distance.kind === 'network') this.invalidate();
      }
    }
    if (role === 'dem' && this.dem) {
      this.dem = null;
      if (this.last?.distance.kind === 'network') this.invalidate();
    }
    if (role === 'populationRaster' && this.populationRaster) {
      this.populationRaster = null;
      this.inputsVersion++;
      this.invalidate();
    }
    return this.loadPayload();
  }

  private loadPayload(): LoadPayload {
    return {
      kind: 'loaded',
      files: [...this.inputs].map(([role, input]) => ({ role, name: input.name, features: input.features })),
      network: this.network?.info ?? null,
      dem: this.dem ? { file: this.dem.file, bytes: this.dem.source.size } : null,
      populationRaster: this.populationRaster
        ? { file: this.populationRaster.file, bytes: this.populationRaster.source.size }
        : null,
    };
  }

  /**
   * Reads the loaded DEM for the loaded network when `options` walk over it (the one asynchronous
   * step of an analysis: the worker awaits it before {@link analyze}). Read once per network and DEM.
   */
  async prepare(options: AnalyzeOptions): Promise<void> {
    await this.preparePopulation();
    const network = this.network;
    const dem = this.dem;
    if (!network || !dem || !isWalkerRun(options, true)) return;
    if (this.terrain?.graph === network.graph && this.terrain.dem === dem) return;
    try {
      this.terrain = await readNetworkTerrain(network.graph, dem);
    } catch (error) {
      throw toViewerError(error);
    }
  }

  /**
   * Reads the loaded population raster over the loaded communities (io's `readPopulationRaster`, as
   * the CLI's `--population-raster`), once per raster and communities file.
   */
  private async preparePopulation(): Promise<void> {
    const raster = this.populationRaster;
    const communities = this.inputs.get('communities');
    if (!raster || !communities) return;
    if (this.rasterRead?.raster === raster && this.rasterRead.communities === communities) return;
    try {
      const read = await readPopulationRaster(raster.source, {
        file: raster.file,
        ...(raster.crs ? { crs: raster.crs } : {}),
        optionWording: RASTER_CRS_WORDING,
        // Checked to be a FeatureCollection when it was loaded.
        communities: communities.value as { features: Feature[] },
      });
      this.rasterRead = { raster, communities, read };
    } catch (error) {
      throw toViewerError(error);
    }
  }

  /** The population raster read for the loaded communities, when one is loaded. */
  private populationSurface(communities: LoadedInput): PopulationRaster<{ features: Feature[] }> | null {
    if (!this.populationRaster) return null;
    const read = this.rasterRead;
    if (read?.raster !== this.populationRaster || read.communities !== communities) {
      throw new ViewerError({
        kind: 'internal',
        message:
          'the population raster was not read for these communities (the worker awaits prepare first).',
      });
    }
    return read.read;
  }

  private invalidate(): void {
    this.last = null;
    this.compliance = null;
    this.catchmentCache.clear();
  }

  analyze(options: AnalyzeOptions, onProgress: (event: ProgressEvent) => void = () => {}): AnalysisPayload {
    const started = performance.now();
    const communities = this.inputs.get('communities');
    const facilities = this.inputs.get('facilities');
    if (!communities || !facilities) {
      throw new ViewerError({
        kind: 'input',
        message: `load ${communities ? 'a facilities' : 'a communities'} file first.`,
      });
    }
    const kind = options.distance ?? 'great-circle';
    const network = kind === 'network' ? this.network : null;
    if (kind === 'network' && !network) {
      throw new ViewerError({
        kind: 'unavailable',
        message: 'walking distance needs a road network: load a roads file (GeoJSON lines) first.',
      });
    }
    const demand = this.inputs.get('demand');
    const surface = this.populationSurface(communities);
    const demandOptions: DemandOptions = surface ? { populationGrid: surface.populationGrid } : {};
    const input: AnalysisInput = {
      communities: surface ? surface.communities : communities.value,
      facilities: facilities.value,
      ...(demand ? { demand: demand.value } : {}),
      files: {
        communities: communities.name,
        facilities: facilities.name,
        ...(demand ? { demand: demand.name } : {}),
      },
    };
    let walker: ReturnType<typeof viewerWalkerRun> | null = null;
    let flatWalk: SourceFactory | null = null;
    let terrain: NetworkTerrain | null = null;
    try {
      const snapTo = snapRule(options);
      flatWalk = network
        ? (origins, context) =>
            new NetworkSource(network.graph, origins, {
              ...(this.pool ? { pool: this.pool } : {}),
              ownerNames: context.communityIds,
              file: communities.name,
              ...(snapTo === undefined ? {} : { snapTo }),
              ...(options.snapCost === undefined ? {} : { snapCost: options.snapCost }),
            })
        : null;
      if (network && isWalkerRun(options, this.dem !== null)) {
        terrain = this.dem ? this.terrain : null;
        if (this.dem && terrain?.graph !== network.graph) {
          throw new ViewerError({
            kind: 'internal',
            message: 'the elevation model was not read for this network (the worker awaits prepare first).',
          });
        }
        walker = viewerWalkerRun(network.graph, options, terrain, communities.name);
      }
    } catch (error) {
      throw toViewerError(error);
    }
    const build: SourceFactory =
      walker?.distance ??
      flatWalk ??
      ((origins) => new GreatCircleSource(origins, this.pool ? { pool: this.pool } : {}));
    const radii = walker?.radii ?? options.radii;
    let source: DistanceSource | null = null;
    let result: AnalysisResult;
    let walking: WalkingPayload | null = null;
    try {
      result = analyzeCoverage(input, {
        radii,
        ...(options.types.length > 0 ? { types: options.types } : {}),
        includePlanned: options.includePlanned,
        gapThreshold: options.gapThreshold,
        demand: demandOptions,
        ...typeMapOf(options),
        // Kept, so that profiles, proposals and siting measure on the analysis' own distance source.
        distance: (origins, context) => {
          source = build(origins, context);
          return source;
        },
        onProgress,
      });
      if (walker && flatWalk) {
        // The same inputs walked flat along the roads in metres: who the walkers' walk loses.
        const flat = analyzeCoverage(input, {
          // The CLI's flat walk: each type's metres at the adult's flat speed.
          radii: walker.flatRadiiM,
          ...(options.types.length > 0 ? { types: options.types } : {}),
          includePlanned: options.includePlanned,
          gapThreshold: options.gapThreshold,
          demand: demandOptions,
          ...typeMapOf(options),
          distance: flatWalk,
        });
        walking = walkingPayload(walker, result, flat, terrain);
      }
    } catch (error) {
      throw toViewerError(error);
    }
    if (!source) throw new Error('analyzeCoverage did not build its distance source.');
    const kept: DistanceSource = source;
    const demandPoints = result.demand;
    const distance: DistanceInfo = { kind, file: network?.file ?? null };
    this.invalidate();
    this.last = {
      result,
      input,
      source: kept,
      options,
      distance,
      network,
      radii,
      walkerGraphOf:
        walker && network
          ? (typeId) =>
              walkerGraphOf(network.graph, walker!.summary.types[typeId]?.walker, terrain, walkerSet(options))
          : null,
      // checkStandards and siteFacilities build the same demand points again from the same inputs;
      // then the analysis' source answers for them (snapping them to the network again is the slow
      // part of a network source), otherwise a new one is built.
      factory: (origins, context) => (sameOrigins(origins, demandPoints) ? kept : build(origins, context)),
      demand: demandOptions,
      walking: walker?.summary ?? null,
    };
    const sendGeometry = this.geometrySentFor !== this.inputsVersion;
    this.geometrySentFor = this.inputsVersion;
    // Reading the road network is part of this run: its rejections and warnings come first, as the
    // CLI reports them, so the page accounts for every input feature.
    // So does reading the population raster (the communities that took its counts).
    const summary =
      network || surface
        ? {
            ...result.summary,
            rejected: [...(network?.rejected ?? []), ...result.summary.rejected],
            warnings: [
              ...(surface?.warnings ?? []),
              ...(network?.warnings ?? []),
              ...(terrain?.warning ? [terrain.warning] : []),
              ...result.summary.warnings,
            ],
          }
        : result.summary;
    return packAnalysis(result, {
      geometry: sendGeometry,
      inputsVersion: this.inputsVersion,
      timeMs: performance.now() - started,
      threads: this.pool?.threads ?? 1,
      distance,
      summary,
      walking,
    });
  }

  /**
   * Judges the last analysis' inputs against a built-in standard profile, or the profile file given
   * (`definition`); a file with problems is refused with each problem's field, as the CLI words them.
   */
  check(
    profile: string,
    onProgress: (event: ProgressEvent) => void = () => {},
    definition?: ProfileFile,
  ): CompliancePayload {
    const last = this.requireAnalysis();
    let standard: StandardProfile | string = profile;
    if (definition) {
      const read = readProfileFile(definition);
      if (!read.profile) throw new ViewerError({ kind: 'input', message: read.problems ?? '' });
      standard = read.profile;
    } else if (!BUILT_IN_PROFILE_IDS.includes(profile)) {
      throw new ViewerError({
        kind: 'option',
        message: `unknown standard profile '${profile}'. Use one of: ${BUILT_IN_PROFILE_IDS.join(', ')}.`,
      });
    }
    const started = performance.now();
    let result: ComplianceResult;
    try {
      result = checkStandards(last.input, standard, {
        radii: last.radii,
        includePlanned: last.options.includePlanned,
        demand: last.demand,
        ...typeMapOf(last.options),
        distance: last.factory,
        onProgress,
      });
    } catch (error) {
      throw toViewerError(error);
    }
    const position = new Map(result.communities.map((c, i) => [c.record.id, i]));
    const indexOf = Int32Array.from(last.result.communities, (c) => position.get(c.record.id) ?? -1);
    this.compliance = { profile, result, indexOf };
    return packCompliance(result, indexOf, performance.now() - started);
  }

  /** The compliance items of analysis community `c` in the last profile run. */
  items(c: number): ItemsPayload {
    const compliance = this.compliance;
    if (!compliance) throw new ViewerError({ kind: 'input', message: 'evaluate a standard profile first.' });
    const at = compliance.indexOf[c] ?? -1;
    return {
      kind: 'items',
      community: c,
      profile: compliance.profile,
      items: at >= 0 ? compliance.result.communities[at]!.items : [],
    };
  }

  /** Walking catchments of a type's serving facilities, one shape each (core's `catchments`). */
  catchments(typeId: string): CatchmentsPayload {
    const last = this.requireAnalysis();
    const network = last.network;
    if (!network) {
      throw new ViewerError({
        kind: 'unavailable',
        message: 'walking catchments need the walking distance: load a roads file and analyse with it.',
      });
    }
    const cached = this.catchmentCache.get(typeId);
    if (cached) return { ...cached, shapes: copyPolygons(cached.shapes) };
    const started = performance.now();
    const type = this.requireType(last, typeId);
    const { facilityIndex } = last.result.coverage[typeId]!;
    const targets = targetsAt(last.result.facilities, facilityIndex);
    // A walker run's radius is minutes, walked on that walker's graph (outward from the facility).
    const graph = last.walkerGraphOf?.(typeId) ?? network.graph;
    const shapes = catchments(graph, targets, type.radius_m, { mode: 'per-facility', type: typeId });
    const payload: CatchmentsPayload = {
      kind: 'catchments',
      typeId,
      radiusM: type.radius_m,
      shapes: packPolygons(shapes.features, (f) => facilityIndex[f.properties?.facility_index ?? -1] ?? -1),
      timeMs: performance.now() - started,
    };
    this.catchmentCache.set(typeId, payload);
    // The cache keeps its own buffers: the ones sent are transferred away.
    return { ...payload, shapes: copyPolygons(payload.shapes) };
  }

  /** A proposal's figures, or a siting model's choice. */
  async site(
    request: SiteRequest,
    onProgress: (event: { stage: string; message: string }) => void = () => {},
  ): Promise<SitePayload> {
    const last = this.requireAnalysis();
    const started = performance.now();
    this.requireType(last, request.typeId);
    if (request.model === 'evaluate') return this.evaluate(last, request.typeId, request.proposed, started);
    return this.runModel(last, request, started, onProgress);
  }

  export(format: ExportFormat): ExportPayload {
    const { result } = this.requireAnalysis();
    switch (format) {
      case 'geojson':
        return { kind: 'export', format, text: JSON.stringify(communityFeatureCollection(result)) };
      case 'csv':
        return csvExport(format, GAP_COLUMNS, gapRows(result));
      case 'compliance-geojson':
        return {
          kind: 'export',
          format,
          text: JSON.stringify(complianceFeatureCollection(this.requireCompliance().result)),
        };
      case 'compliance-csv': {
        const { result } = this.requireCompliance();
        return csvExport(format, complianceColumns(result), complianceRows(result));
      }
    }
  }

  private requireAnalysis(): LastAnalysis {
    if (!this.last) throw new ViewerError({ kind: 'input', message: 'run an analysis first.' });
    return this.last;
  }

  private requireCompliance(): LastCompliance {
    if (!this.compliance)
      throw new ViewerError({ kind: 'input', message: 'evaluate a standard profile first.' });
    return this.compliance;
  }

  private requireType(last: LastAnalysis, typeId: string): AnalysisResult['types'][number] {
    const type = last.result.types.find((t) => t.id === typeId);
    if (!type) {
      throw new ViewerError({
        kind: 'option',
        message: `type '${typeId}' is not in this analysis. Use one of: ${last.result.types.map((t) => t.id).join(', ')}.`,
      });
    }
    return type;
  }

  private evaluate(last: LastAnalysis, typeId: string, proposed: Float64Array, started: number): SitePayload {
    const { result, source } = last;
    const type = result.types.find((t) => t.id === typeId)!;
    const before = result.coverage[typeId]!.coverage;
    const existing = targetsAt(result.facilities, result.coverage[typeId]!.facilityIndex);
    const { after, proposals: figures } = evaluateProposals(
      source,
      result.demand,
      before,
      { coords: existing.coords },
      proposed,
    );
    const count = figures.length;
    return {
      kind: 'site',
      model: 'evaluate',
      typeId,
      population: before.population,
      coveredBefore: before.coveredPopulation,
      coveredAfter: after.coveredPopulation,
      sites: figures.map((f, i) => ({
        ...f,
        lon: proposed[2 * i]!,
        lat: proposed[2 * i + 1]!,
        label: `P${i + 1}`,
      })),
      curve: [
        { k: 0, share: share(before.coveredPopulation, before.population) },
        ...figures.map((f, i) => ({ k: i + 1, share: f.cumulativeShare })),
      ],
      shareAfter: Float32Array.from(after.community.coveredShare),
      gapAfter: Uint8Array.from(after.community.gap),
      candidates: count,
      objective: null,
      solver: null,
      oversubscribed: null,
      sitesGeojson: null,
      catchments: this.siteCatchments(last, proposed, type),
      distance: last.distance,
      timeMs: performance.now() - started,
      warnings: [],
    };
  }

  /** One of core's siting models through `siteFacilities`, on the analysis' inputs and distance. */
  private async runModel(
    last: LastAnalysis,
    request: ModelRequest,
    started: number,
    onProgress: (event: SiteProgress) => void,
  ): Promise<SitePayload> {
    const type = this.requireType(last, request.typeId);
    const candidates = request.candidates.kind === 'loaded' ? this.inputs.get('candidates') : undefined;
    if (request.candidates.kind === 'loaded' && !candidates) {
      throw new ViewerError({ kind: 'option', message: 'load a candidates file first (points or parcels).' });
    }
    const constraints = request.constraints;
    const excluded = excludedAreasOf(this.inputs.get('excluded'), constraints.excludedDrawn);
    const studyArea = this.inputs.get('studyArea');
    const clipToStudyArea = request.candidates.kind === 'generated' && constraints.clipToStudyArea;
    if (clipToStudyArea && !studyArea) {
      throw new ViewerError({
        kind: 'option',
        message: 'load a study area (polygons) to clip the candidates to.',
      });
    }
    // Spacing 0 is core's default grid (half the radius), which a clipped grid has to state itself;
    // the grid is laid in metres, so a walker run's radius in minutes is its walker's flat metres.
    const radiusMetres = last.walking?.types[type.id]?.radius_m ?? type.radius_m;
    const spacingM =
      request.candidates.kind === 'generated' && request.candidates.spacingM > 0
        ? request.candidates.spacingM
        : Math.round(radiusMetres / 2);
    const generate =
      request.candidates.kind !== 'generated'
        ? undefined
        : clipToStudyArea
          ? { spacingM, clip: 'study-area' as const }
          : request.candidates.spacingM > 0
            ? { spacingM }
            : undefined;
    let outcome: Awaited<ReturnType<typeof siteFacilities>>;
    try {
      outcome = await siteFacilities(
        {
          ...last.input,
          ...(candidates ? { candidates: candidates.value } : {}),
          ...(excluded ? { excludedAreas: excluded.value } : {}),
          ...(clipToStudyArea && studyArea ? { studyArea: studyArea.value } : {}),
          files: {
            ...last.input.files,
            ...(candidates ? { candidates: candidates.name } : {}),
            ...(excluded ? { excludedAreas: excluded.name } : {}),
            ...(studyArea ? { studyArea: studyArea.name } : {}),
          },
        },
        {
          type: type.id,
          model: request.model,
          ...typeMapOf(last.options),
          ...(request.model === 'lscp'
            ? { targetShare: request.targetShare, perCommunity: request.perCommunity }
            : { k: request.k }),
          ...(NESTED_MODELS.has(request.model) ? { kMax: request.k } : {}),
          ...(request.model === 'capacitated'
            ? { rate: request.ratePer1000 / 1000, capacityPerSite: request.capacityPerSite }
            : {}),
          radiusM: type.radius_m,
          ...(generate ? { generate } : {}),
          ...sitingConstraintOptions(constraints),
          includePlanned: last.options.includePlanned,
          gapThreshold: last.options.gapThreshold,
          demand: last.demand,
          distance: last.factory,
          // Ticked, the exact solver is asked for outright; unticked, the heuristic answers (as before).
          solve: { exact: request.exact },
          onProgress,
        },
      );
    } catch (error) {
      throw toViewerError(error);
    }
    const { result, summary, tradeoff } = outcome;
    const sites: SiteFigures[] = outcome.chosen.map((site) => ({
      rank: site.rank,
      lon: site.lon,
      lat: site.lat,
      label: site.id,
      addedPopulation: site.addedPopulation,
      cumulativeShare: site.cumulativeCoveredShare,
      newlyServedCommunities: site.newlyServedCommunities.length,
      ...(site.load ? { served: site.load.servedPopulation, capacityUse: site.load.capacityUse } : {}),
    }));
    const n = last.result.communities.length;
    const shareAfter = new Float32Array(n).fill(Number.NaN);
    const gapAfter = new Uint8Array(n);
    summary.communities.forEach((row, o) => {
      if (o >= n) return;
      shareAfter[o] = row.shareAfter ?? Number.NaN;
      gapAfter[o] = row.gapAfter ? 1 : 0;
    });
    const before = share(result.coveredBefore, result.population);
    const curve = tradeoff
      ? [{ k: 0, share: before }, ...tradeoff.map((p) => ({ k: p.k, share: p.coveredShare }))]
      : [{ k: 0, share: before }, ...sites.map((s, i) => ({ k: i + 1, share: s.cumulativeShare }))];
    const chosen = Float64Array.from(sites.flatMap((s) => [s.lon, s.lat]));
    const candidateFile = candidates?.name;
    return {
      kind: 'site',
      model: request.model,
      typeId: type.id,
      population: result.population,
      coveredBefore: result.coveredBefore,
      coveredAfter: result.coveredAfter,
      sites,
      curve,
      shareAfter,
      gapAfter,
      candidates: summary.parameters.candidates,
      objective: {
        before: result.objectiveBefore,
        after: result.objective,
        unit: summary.objectiveUnit,
        capM: summary.parameters.tableBoundM,
      },
      solver: {
        solver: result.solver,
        status: result.status,
        gap: result.gap,
        boundMethod: result.boundMethod,
        boundStop: result.boundStop,
      },
      oversubscribed: summary.oversubscribed,
      sitesGeojson: JSON.stringify(siteFeatureCollection(outcome)),
      catchments: this.siteCatchments(last, chosen, type),
      distance: last.distance,
      timeMs: performance.now() - started,
      warnings: [
        ...summary.rejected
          .filter((r) => candidateFile !== undefined && r.file === candidateFile)
          .map((r) => `${r.file} #${r.index}${r.id ? ` (${r.id})` : ''}: ${r.field}: ${r.reason}`),
        // The run's own warnings (the solver's among them: a candidate without a cost, k above the
        // candidates …); the inputs' warnings are the analysis' and shown with the files already.
        ...summary.warnings.filter((w) => w.code === 'siting').map((w) => w.message),
      ],
    };
  }

  /** Walking catchments of new or proposed sites, when the analysis walks the network. */
  private siteCatchments(
    last: LastAnalysis,
    coords: Float64Array,
    type: { readonly id: string; readonly radius_m: number },
  ): PackedPolygons | null {
    if (!last.network || coords.length === 0) return null;
    // A walker run's radius is minutes, walked on that type's walker's graph (as its own catchments).
    const graph = last.walkerGraphOf?.(type.id) ?? last.network.graph;
    const shapes = catchments(graph, { coords }, type.radius_m, { mode: 'per-facility' });
    return packPolygons(shapes.features, (f) => f.properties?.facility_index ?? -1);
  }
}

function buildNetwork(value: unknown, file: string): LoadedNetwork {
  const { graph, rejected, warnings, stats } = RoadGraph.fromGeoJSON(value, { file });
  return {
    file,
    graph,
    rejected,
    warnings,
    info: {
      file,
      nodes: stats.nodes,
      edges: stats.edges,
      components: stats.components,
      largestComponentShare: stats.largestComponentShare,
      rejected: stats.rejected,
      driveOnly: warnings.find((w) => w.code === NETWORK_WARNING_CODES.driveOnly)?.message ?? null,
    },
  };
}

/** Whether origins are these demand points (the same positions and owners). */
function sameOrigins(a: Origins, b: Origins): boolean {
  if (a === b) return true;
  if (a.ownerCount !== b.ownerCount || a.coords.length !== b.coords.length) return false;
  for (let i = 0; i < a.coords.length; i++) if (a.coords[i] !== b.coords[i]) return false;
  for (let i = 0; i < a.owner.length; i++) if (a.owner[i] !== b.owner[i]) return false;
  return true;
}

function copyPolygons(p: PackedPolygons): PackedPolygons {
  return {
    coords: p.coords.slice(),
    ringStart: p.ringStart.slice(),
    polygonStart: p.polygonStart.slice(),
    featureStart: p.featureStart.slice(),
    featureIndex: p.featureIndex.slice(),
  };
}

function share(covered: number, population: number): number {
  return population > 0 ? covered / population : Number.NaN;
}

/** Core's errors as the page shows them; anything else is a bug and keeps its message. */
export function toViewerError(error: unknown): ViewerError {
  if (error instanceof ViewerError) return error;
  if (error instanceof JsonFileError)
    return new ViewerError({ kind: 'json', file: error.file, message: error.message });
  if (error instanceof InputError) {
    return new ViewerError({
      kind: 'input',
      file: error.file,
      message: error.message,
      rejected: error.rejected,
    });
  }
  if (error instanceof OptionError) return new ViewerError({ kind: 'option', message: error.message });
  return new ViewerError({
    kind: 'internal',
    message: error instanceof Error ? error.message : String(error),
  });
}

/** The constraints the user set, as `siteFacilities` options (what the CLI's flags become). */
export function sitingConstraintOptions(
  constraints: SitingConstraints,
): Pick<SiteOptions, 'budget' | 'defaultCost' | 'minSpacingM' | 'minPerDistrict'> {
  return {
    ...(constraints.budget !== null
      ? { budget: constraints.budget, defaultCost: constraints.defaultCost }
      : {}),
    ...(constraints.minSpacingM > 0 ? { minSpacingM: constraints.minSpacingM } : {}),
    ...(constraints.minPerDistrict > 0 ? { minPerDistrict: constraints.minPerDistrict } : {}),
  };
}
