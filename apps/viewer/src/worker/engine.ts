// The worker's state and computations, without the messaging: it runs in the analysis worker and,
// unchanged, in Node for the unit tests. Everything is computed by @lifecircle/core; this file only
// parses files, keeps the last analysis and packs its figures into typed arrays for the page.
import {
  type AnalysisResult,
  analyzeCoverage,
  type CommunityGeometry,
  type CostTable,
  communityFeatureCollection,
  featureCollectionOf,
  GAP_COLUMNS,
  GreatCircleSource,
  gapRows,
  InputError,
  measureCoverage,
  OptionError,
  type ProgressEvent,
} from '@lifecircle/core';
import type { Feature, FeatureCollection } from 'geojson';
import { JsonFileError, parseJsonBytes } from '../json.js';
import type {
  AnalysisPayload,
  AnalyzeOptions,
  CandidateSpec,
  ErrorPayload,
  ExportPayload,
  InputFile,
  InputRole,
  LoadPayload,
  SiteFigures,
  SitePayload,
  SiteRequest,
  SitingModel,
  TypeInfo,
} from './protocol.js';
import { STATUS_CODES } from './protocol.js';
import { findMaximalCovering, findSetCovering, type SitingAnswer } from './siting.js';

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

interface LastAnalysis {
  readonly result: AnalysisResult;
  readonly source: GreatCircleSource;
  readonly options: AnalyzeOptions;
}

/** Most candidates a generated grid offers a siting model. */
const MAX_GENERATED_CANDIDATES = 4000;

/** The worker's data: loaded inputs and the last analysis. */
export class Engine {
  private readonly inputs = new Map<InputRole, LoadedInput>();
  private inputsVersion = 0;
  private geometrySentFor = -1;
  private last: LastAnalysis | null = null;

  /** Parses and keeps the files; a file that is not a FeatureCollection is refused here already. */
  load(files: readonly InputFile[]): LoadPayload {
    const parsed: [InputRole, LoadedInput][] = [];
    for (const file of files) {
      let value: unknown;
      try {
        value = parseJsonBytes(file.bytes, file.name);
      } catch (error) {
        throw toViewerError(error);
      }
      let features: number;
      try {
        features = featureCollectionOf(value, file.name).features.length;
      } catch (error) {
        throw toViewerError(error);
      }
      parsed.push([file.role, { name: file.name, value, features }]);
    }
    // All files are checked before any replaces what was loaded, so a bad file changes nothing.
    for (const [role, input] of parsed) this.inputs.set(role, input);
    this.inputsVersion++;
    this.last = null;
    return {
      kind: 'loaded',
      files: [...this.inputs].map(([role, input]) => ({ role, name: input.name, features: input.features })),
    };
  }

  /** Drops an optional input (the demand points). */
  unload(role: InputRole): void {
    if (this.inputs.delete(role)) {
      this.inputsVersion++;
      this.last = null;
    }
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
    const demand = this.inputs.get('demand');
    let source: GreatCircleSource | null = null;
    let result: AnalysisResult;
    try {
      result = analyzeCoverage(
        {
          communities: communities.value,
          facilities: facilities.value,
          ...(demand ? { demand: demand.value } : {}),
          files: {
            communities: communities.name,
            facilities: facilities.name,
            ...(demand ? { demand: demand.name } : {}),
          },
        },
        {
          radii: options.radii,
          ...(options.types.length > 0 ? { types: options.types } : {}),
          includePlanned: options.includePlanned,
          gapThreshold: options.gapThreshold,
          // Kept, so that proposals and siting measure on the same demand points as the analysis.
          distance: (origins) => {
            source = new GreatCircleSource(origins);
            return source;
          },
          onProgress,
        },
      );
    } catch (error) {
      throw toViewerError(error);
    }
    if (!source) throw new Error('analyzeCoverage did not build its distance source.');
    this.last = { result, source, options };
    const sendGeometry = this.geometrySentFor !== this.inputsVersion;
    this.geometrySentFor = this.inputsVersion;
    return packAnalysis(result, {
      geometry: sendGeometry,
      inputsVersion: this.inputsVersion,
      timeMs: performance.now() - started,
      sitingModels: [
        ...(findMaximalCovering() ? ['mclp' as const] : []),
        ...(findSetCovering() ? ['lscp' as const] : []),
      ],
    });
  }

  /** A proposal's figures, or a siting model's choice. */
  site(request: SiteRequest, onProgress: (event: ProgressEvent) => void = () => {}): SitePayload {
    const last = this.requireAnalysis();
    const started = performance.now();
    const typeIndex = last.result.types.findIndex((t) => t.id === request.typeId);
    if (typeIndex < 0) {
      throw new ViewerError({
        kind: 'option',
        message: `type '${request.typeId}' is not in this analysis. Use one of: ${last.result.types.map((t) => t.id).join(', ')}.`,
      });
    }
    if (request.model === 'evaluate') return this.evaluate(last, request.typeId, request.proposed, started);
    if (request.model === 'mclp' || request.model === 'lscp')
      return this.chooseSites(last, request, started, onProgress);
    // A message from a newer page (or a hand-made one): say which models there are.
    const asked: unknown = (request as { model?: unknown }).model;
    throw new ViewerError({
      kind: 'unavailable',
      message: `the siting model '${String(asked)}' is not available. Use one of: evaluate, mclp, lscp.`,
    });
  }

  export(format: 'geojson' | 'csv'): ExportPayload {
    const { result } = this.requireAnalysis();
    if (format === 'geojson') {
      return { kind: 'export', format, text: JSON.stringify(communityFeatureCollection(result)) };
    }
    const columns = GAP_COLUMNS;
    const rows = gapRows(result);
    return {
      kind: 'export',
      format,
      text: toCsv(
        columns,
        rows.map((r) => columns.map((c) => r[c])),
      ),
    };
  }

  private requireAnalysis(): LastAnalysis {
    if (!this.last) throw new ViewerError({ kind: 'input', message: 'run an analysis first.' });
    return this.last;
  }

  /** Existing serving facilities of a type, as interleaved coordinates. */
  private existing(last: LastAnalysis, typeId: string): Float64Array {
    const { facilityIndex } = last.result.coverage[typeId]!;
    const coords = new Float64Array(facilityIndex.length * 2);
    facilityIndex.forEach((fi, k) => {
      const f = last.result.facilities[fi]!;
      coords[2 * k] = f.lon;
      coords[2 * k + 1] = f.lat;
    });
    return coords;
  }

  private evaluate(last: LastAnalysis, typeId: string, proposed: Float64Array, started: number): SitePayload {
    const { result, source } = last;
    const type = result.types.find((t) => t.id === typeId)!;
    const before = result.coverage[typeId]!.coverage;
    const existing = this.existing(last, typeId);
    const all = concatCoords(existing, proposed);
    const after = measureCoverage(source, result.demand, { coords: all }, type.radius_m, {
      gapThreshold: last.options.gapThreshold,
    });
    // Each proposal's own contribution, in the order given: the residents its radius newly reaches
    // after the existing facilities and the proposals before it.
    const count = proposed.length >> 1;
    const table = source.within({ coords: proposed }, type.radius_m);
    const figures = marginalFigures(
      table,
      before.reach.withinCount,
      result.demand.weight,
      result.demand.owner,
      Array.from({ length: count }, (_, i) => i),
      before.population,
      before.coveredPopulation,
    );
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
      solver: null,
      timeMs: performance.now() - started,
      warnings: [],
    };
  }

  /** Maximal covering (k sites) or set covering (a target share): core's models on a cost table. */
  private chooseSites(
    last: LastAnalysis,
    request: Extract<SiteRequest, { model: 'mclp' | 'lscp' }>,
    started: number,
    onProgress: (event: ProgressEvent) => void,
  ): SitePayload {
    const Mclp = findMaximalCovering();
    const Lscp = findSetCovering();
    if ((request.model === 'mclp' && !Mclp) || (request.model === 'lscp' && !Lscp)) {
      throw new ViewerError({
        kind: 'unavailable',
        message: `siting is not available yet: @lifecircle/core does not provide ${request.model === 'mclp' ? 'MaximalCovering' : 'SetCovering'}.`,
      });
    }
    if (request.model === 'mclp' && !(Number.isInteger(request.k) && request.k >= 1)) {
      throw new ViewerError({
        kind: 'option',
        message: `the number of sites must be a whole number ≥ 1, got ${request.k}.`,
      });
    }
    if (request.model === 'lscp' && !(request.targetShare > 0 && request.targetShare <= 1)) {
      throw new ViewerError({
        kind: 'option',
        message: `the target share must be above 0 and at most 1, got ${request.targetShare}.`,
      });
    }
    const { result, source } = last;
    const type = result.types.find((t) => t.id === request.typeId)!;
    const before = result.coverage[request.typeId]!.coverage;
    const existing = this.existing(last, request.typeId);
    const fixedCount = existing.length >> 1;
    onProgress({ stage: 'index', message: 'Placing candidate sites' });
    const candidates = candidateSites(request.candidates, last, request.typeId);
    const candidateCount = candidates.coords.length >> 1;
    if (candidateCount === 0) {
      throw new ViewerError({
        kind: 'option',
        message:
          'there are no candidate sites: every resident is already within reach, or the file had none.',
      });
    }
    const targets = concatCoords(existing, candidates.coords);
    onProgress({
      stage: 'measure',
      message: `Measuring ${candidateCount} candidates within ${type.radius_m} m`,
    });
    const table = source.within({ coords: targets }, type.radius_m);
    const common = {
      fixed: Uint32Array.from({ length: fixedCount }, (_, i) => i),
      radius: type.radius_m,
      owner: result.demand.owner,
      ownerCount: result.demand.ownerCount,
      targetCount: fixedCount + candidateCount,
      coords: targets,
    };
    let solved: SitingAnswer;
    let curve: { k: number; share: number }[];
    if (request.model === 'mclp') {
      const k = Math.min(request.k, candidateCount);
      onProgress({ stage: 'measure', message: `Choosing ${k} sites (maximal covering)` });
      const model = Mclp!.fromCostMatrix(table, result.demand.weight, { ...common, k });
      solved = model.solve();
      onProgress({ stage: 'summarize', message: 'Coverage against the number of sites' });
      curve = model.tradeoff(k).map((p) => ({ k: p.k, share: p.coveredShare }));
    } else {
      onProgress({
        stage: 'measure',
        message: `Fewest sites to cover ${Math.round(request.targetShare * 100)} % (set covering)`,
      });
      solved = Lscp!
        .fromCostMatrix(table, result.demand.weight, { ...common, targetShare: request.targetShare })
        .solve();
      curve = [
        { k: 0, share: share(before.coveredPopulation, before.population) },
        ...solved.sites.map((site, i) => ({ k: i + 1, share: site.cumulativeShare })),
      ];
    }
    const chosen = new Float64Array(solved.sites.length * 2);
    const sites: SiteFigures[] = solved.sites.map((site, i) => {
      const c = site.candidate - fixedCount;
      const lon = candidates.coords[2 * c]!;
      const lat = candidates.coords[2 * c + 1]!;
      chosen[2 * i] = lon;
      chosen[2 * i + 1] = lat;
      return {
        rank: site.rank,
        lon,
        lat,
        label: candidates.labels[c] ?? `#${c + 1}`,
        addedPopulation: site.addedWeight,
        cumulativeShare: site.cumulativeShare,
        newlyServedCommunities: site.newlyServedOwners.length,
      };
    });
    const after = measureCoverage(
      source,
      result.demand,
      { coords: concatCoords(existing, chosen) },
      type.radius_m,
      {
        gapThreshold: last.options.gapThreshold,
      },
    );
    return {
      kind: 'site',
      model: request.model,
      typeId: request.typeId,
      population: before.population,
      coveredBefore: before.coveredPopulation,
      coveredAfter: after.coveredPopulation,
      sites,
      curve,
      shareAfter: Float32Array.from(after.community.coveredShare),
      gapAfter: Uint8Array.from(after.community.gap),
      candidates: candidateCount,
      solver: { solver: solved.solver, status: solved.status, gap: solved.gap },
      timeMs: performance.now() - started,
      warnings: [...solved.warnings],
    };
  }
}

/**
 * Per site, in order: the residents newly covered after the existing facilities and the sites before
 * it, the city's covered share once it is added and the communities it newly serves.
 */
export function marginalFigures(
  table: CostTable,
  existingWithin: Uint32Array,
  weight: Float64Array,
  owner: Uint32Array,
  order: readonly number[],
  population: number,
  coveredBefore: number,
): Omit<SiteFigures, 'lon' | 'lat' | 'label'>[] {
  const rank = new Int32Array(Math.max(0, ...order.map((j) => j + 1))).fill(-1);
  order.forEach((j, r) => {
    rank[j] = r;
  });
  const added = new Float64Array(order.length);
  const served = order.map(() => new Set<number>());
  for (let i = 0; i < weight.length; i++) {
    if (existingWithin[i]! > 0) continue;
    let first = -1;
    for (let e = table.offsets[i]!; e < table.offsets[i + 1]!; e++) {
      const r = rank[table.targets[e]!] ?? -1;
      if (r >= 0 && (first < 0 || r < first)) first = r;
    }
    if (first < 0) continue;
    added[first]! += weight[i]!;
    served[first]!.add(owner[i]!);
  }
  let covered = coveredBefore;
  return order.map((_, r) => {
    covered += added[r]!;
    return {
      rank: r + 1,
      addedPopulation: added[r]!,
      cumulativeShare: share(Math.min(covered, population), population),
      newlyServedCommunities: served[r]!.size,
    };
  });
}

/**
 * Candidate sites: the given points, or a grid of `spacingM` over the residents the type leaves
 * uncovered (one candidate per occupied cell, at the residents' weighted centre), so that every
 * candidate can add someone.
 */
export function candidateSites(
  spec: CandidateSpec,
  last: { readonly result: AnalysisResult },
  typeId: string,
): { coords: Float64Array; labels: string[] } {
  if (spec.kind === 'given') return { coords: spec.coords, labels: [...spec.labels] };
  if (!(spec.spacingM > 0))
    throw new ViewerError({ kind: 'option', message: 'the candidate spacing must be > 0 m.' });
  const { demand } = last.result;
  const within = last.result.coverage[typeId]!.coverage.reach.withinCount;
  let spacing = spec.spacingM;
  for (;;) {
    const cells = new Map<string, { lon: number; lat: number; w: number }>();
    for (let i = 0; i < demand.weight.length; i++) {
      if (within[i]! > 0) continue;
      const lon = demand.coords[2 * i]!;
      const lat = demand.coords[2 * i + 1]!;
      const ky = 111_195;
      const kx = ky * Math.cos((lat * Math.PI) / 180);
      const key = `${Math.floor((lon * kx) / spacing)},${Math.floor((lat * ky) / spacing)}`;
      const w = demand.weight[i]! || 1e-9;
      const cell = cells.get(key);
      if (cell) {
        cell.lon += lon * w;
        cell.lat += lat * w;
        cell.w += w;
      } else cells.set(key, { lon: lon * w, lat: lat * w, w });
    }
    if (cells.size > MAX_GENERATED_CANDIDATES) {
      spacing *= 1.5;
      continue;
    }
    const list = [...cells.values()];
    const coords = new Float64Array(list.length * 2);
    list.forEach((c, i) => {
      coords[2 * i] = Math.round((c.lon / c.w) * 1e6) / 1e6;
      coords[2 * i + 1] = Math.round((c.lat / c.w) * 1e6) / 1e6;
    });
    return { coords, labels: list.map((_, i) => `C${i + 1}`) };
  }
}

/** Packs an analysis for the page: typed arrays for the figures, GeoJSON only for the geometry. */
export function packAnalysis(
  result: AnalysisResult,
  extra: { geometry: boolean; inputsVersion: number; timeMs: number; sitingModels: SitingModel[] },
): AnalysisPayload {
  const types: TypeInfo[] = result.types.map((t) => ({
    id: t.id,
    name_zh: t.name_zh,
    name_en: t.name_en,
    radius_m: t.radius_m,
    radius_status: t.radius_status,
    required: t.required_in_complete_community,
    capacity_unit: t.capacity_unit,
  }));
  const T = types.length;
  const n = result.communities.length;
  const facilityIndexById = new Map<string, number>();
  result.facilities.forEach((f, i) => {
    facilityIndexById.set(f.id, i);
  });
  const population = new Float64Array(n);
  const share = new Float32Array(n * T);
  const coveredPop = new Float64Array(n * T);
  const nearestM = new Float32Array(n * T);
  const nearestFacility = new Int32Array(n * T);
  const within = new Uint32Array(n * T);
  const gap = new Uint8Array(n * T);
  const bbox = new Float64Array(n * 4);
  result.communities.forEach((c, ci) => {
    population[ci] = c.population;
    types.forEach((t, ti) => {
      const r = c.types[t.id]!;
      const k = ci * T + ti;
      share[k] = r.covered_share ?? Number.NaN;
      coveredPop[k] = r.covered_pop;
      nearestM[k] = r.nearest_m ?? Number.POSITIVE_INFINITY;
      nearestFacility[k] = r.nearest_id === null ? -1 : (facilityIndexById.get(r.nearest_id) ?? -1);
      within[k] = r.within_count;
      gap[k] = r.gap ? 1 : 0;
    });
    geometryBBox(c.record.geometry, bbox, ci * 4);
  });
  const typeIndexOf = new Map(types.map((t, i) => [t.id, i]));
  const serves = (status: string) =>
    status === 'open' ||
    (result.summary.include_planned && (status === 'planned' || status === 'under_construction'));
  const m = result.facilities.length;
  const coords = new Float64Array(m * 2);
  const typeIndex = new Int16Array(m);
  const status = new Uint8Array(m);
  const serving = new Uint8Array(m);
  result.facilities.forEach((f, i) => {
    coords[2 * i] = f.lon;
    coords[2 * i + 1] = f.lat;
    typeIndex[i] = typeIndexOf.get(f.typeId) ?? -1;
    status[i] = Math.max(0, STATUS_CODES.indexOf(f.status));
    serving[i] = serves(f.status) ? 1 : 0;
  });
  let geometry: FeatureCollection | null = null;
  if (extra.geometry) {
    geometry = {
      type: 'FeatureCollection',
      features: result.communities.map(
        (c, ci): Feature => ({
          type: 'Feature',
          id: ci,
          properties: { name: c.record.name, district: c.record.district },
          geometry: c.record.geometry,
        }),
      ),
    };
  }
  return {
    kind: 'analysis',
    summary: result.summary,
    types,
    communities: {
      count: n,
      ids: result.communities.map((c) => c.record.id),
      names: result.communities.map((c) => c.record.name),
      districts: result.communities.map((c) => c.record.district),
      population,
      share,
      coveredPop,
      nearestM,
      nearestFacility,
      within,
      gap,
      bbox,
    },
    facilities: {
      count: m,
      coords,
      typeIndex,
      status,
      serving,
      ids: result.facilities.map((f) => f.id),
      names: result.facilities.map((f) => f.name),
      typeIds: result.facilities.map((f) => f.typeId),
    },
    geometry,
    inputsVersion: extra.inputsVersion,
    timeMs: extra.timeMs,
    sitingModels: extra.sitingModels,
  };
}

function geometryBBox(geometry: CommunityGeometry, out: Float64Array, at: number): void {
  let w = Number.POSITIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  const visit = (p: readonly number[]) => {
    const x = p[0]!;
    const y = p[1]!;
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  };
  if (geometry.type === 'Point') visit(geometry.coordinates);
  else if (geometry.type === 'Polygon') for (const ring of geometry.coordinates) ring.forEach(visit);
  else for (const poly of geometry.coordinates) for (const ring of poly) ring.forEach(visit);
  out[at] = w;
  out[at + 1] = s;
  out[at + 2] = e;
  out[at + 3] = n;
}

function concatCoords(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function share(covered: number, population: number): number {
  return population > 0 ? covered / population : Number.NaN;
}

/** CSV for Excel: UTF-8 with a byte-order mark (so Chinese shows), CRLF line ends, RFC 4180 quoting. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map(cell).join(',')];
  for (const row of rows) lines.push(row.map(cell).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
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
