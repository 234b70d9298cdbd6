import type { Highs, InitOptions, ModelData } from 'highs';
import { ELIGIBLE, type Problem } from './problem.js';

/**
 * Where the HiGHS WebAssembly binary comes from. In Node nothing is needed: the `highs` package
 * reads `highs.wasm` next to its loader. In a browser bundle, pass the URL of the asset, e.g. with
 * Vite `import wasmUrl from 'highs/runtime?url'` and `{ locateFile: () => wasmUrl }`, or the bytes
 * (`wasmBinary`) or a compiled module (`wasmModule`).
 */
export interface HighsLoadOptions {
  /** Returns the URL of an asset the loader asks for (notably `highs.wasm`). */
  locateFile?: (file: string) => string;
  /** The bytes of `highs.wasm`. */
  wasmBinary?: ArrayBuffer | ArrayBufferView;
  /** A compiled `highs.wasm` module (`WebAssembly.Module`). */
  wasmModule?: InitOptions['wasmModule'];
}

type Loader = (options?: InitOptions) => Promise<Highs>;

let defaultRuntime: Promise<Highs> | null = null;

/**
 * Loads the HiGHS MILP solver (WebAssembly) on first use. The module is imported dynamically, so
 * programs that never solve exactly never download it. Without options the runtime is loaded once
 * and shared.
 *
 * @example
 * const highs = await loadHighs(); // in a Vite worker: loadHighs({ locateFile: () => wasmUrl })
 * const result = MaximalCovering.fromCostMatrix(table, weight, { k: 12 }).solve({ highs });
 */
export function loadHighs(options?: HighsLoadOptions): Promise<Highs> {
  const hasOptions =
    options !== undefined &&
    (options.locateFile !== undefined ||
      options.wasmBinary !== undefined ||
      options.wasmModule !== undefined);
  if (!hasOptions && defaultRuntime) return defaultRuntime;
  const runtime = import('highs').then((mod) => {
    // ESM builds export the loader as default; a CommonJS interop layer may nest it once more.
    const exported = (mod as unknown as { default: Loader | { default: Loader } }).default;
    const loader = typeof exported === 'function' ? exported : exported.default;
    const init: InitOptions = {};
    if (options?.locateFile) init.locateFile = options.locateFile;
    if (options?.wasmBinary) init.wasmBinary = options.wasmBinary;
    if (options?.wasmModule) init.wasmModule = options.wasmModule;
    return loader(init);
  });
  if (!hasOptions) {
    defaultRuntime = runtime;
    runtime.catch(() => {
      defaultRuntime = null;
    });
  }
  return runtime;
}

/**
 * A MILP in the arrays HiGHS takes (rows in CSR), built column by column and row by row. The
 * structured input skips writing and parsing CPLEX LP text, which for a model of a million
 * nonzeros takes longer than solving its relaxation.
 */
export class MilpBuilder {
  readonly colCost: number[] = [];
  readonly colLower: number[] = [];
  readonly colUpper: number[] = [];
  readonly integer: number[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  readonly rowStart: number[] = [0];
  readonly rowIndex: number[] = [];
  readonly rowValue: number[] = [];
  offset = 0;

  addCol(cost: number, lower: number, upper: number, integer: boolean): number {
    this.colCost.push(cost);
    this.colLower.push(lower);
    this.colUpper.push(upper);
    this.integer.push(integer ? 1 : 0);
    return this.colCost.length - 1;
  }

  addRow(lower: number, upper: number, index: readonly number[], value: readonly number[]): void {
    for (let k = 0; k < index.length; k++) {
      this.rowIndex.push(index[k]!);
      this.rowValue.push(value[k]!);
    }
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    this.rowStart.push(this.rowIndex.length);
  }

  get nonzeros(): number {
    return this.rowIndex.length;
  }

  get cols(): number {
    return this.colCost.length;
  }

  get rows(): number {
    return this.rowLower.length;
  }

  toModel(highs: Highs, sense: 'max' | 'min', relax: boolean): ModelData {
    const inf = highs.infinity;
    const clip = (v: number) =>
      v === Number.POSITIVE_INFINITY ? inf : v === Number.NEGATIVE_INFINITY ? -inf : v;
    const model: ModelData = {
      numCols: this.cols,
      numRows: this.rows,
      sense:
        sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
      offset: this.offset,
      colCost: Float64Array.from(this.colCost),
      colLower: Float64Array.from(this.colLower, clip),
      colUpper: Float64Array.from(this.colUpper, clip),
      rowLower: Float64Array.from(this.rowLower, clip),
      rowUpper: Float64Array.from(this.rowUpper, clip),
      matrix: {
        format: 'csr',
        numRows: this.rows,
        numCols: this.cols,
        starts: Int32Array.from(this.rowStart),
        indices: Int32Array.from(this.rowIndex),
        values: Float64Array.from(this.rowValue),
      },
    };
    return relax ? model : { ...model, integrality: Int32Array.from(this.integer) };
  }
}

/** What HiGHS answered. */
export interface MilpAnswer {
  readonly status: 'optimal' | 'time-limit' | 'infeasible' | 'error';
  /** Objective of the best solution (NaN without one). */
  readonly objective: number;
  /** Dual bound (MILP) or LP optimum (relaxation). */
  readonly bound: number;
  /** Column values of the best solution, or null. */
  readonly values: Float64Array | null;
  readonly timeMs: number;
}

/** Settings of one HiGHS run. */
export interface MilpSettings {
  readonly timeLimitS: number;
  readonly mipRelGap: number;
  /** Solve the LP relaxation instead of the MILP. */
  readonly relax: boolean;
  /** A feasible solution to start branch and bound from (all columns). */
  readonly start?: Float64Array;
  /**
   * Wall-clock deadline (`Date.now()` milliseconds): HiGHS gets what is left of it once the model is
   * loaded, and does not run at all when nothing is left (status `time-limit`, no solution). HiGHS
   * checks its limit only after presolve, so a run can still end later than this.
   */
  readonly deadline?: number;
  /**
   * Simplex of a relaxation: `primal` (the default, see below) or `dual` (measured 1.5–2.2× faster
   * than primal on the LP of partial set covering, 10,000 × 1,000 at 90 %, alternating in one process
   * at load 30).
   */
  readonly simplex?: 'primal' | 'dual';
}

/** HiGHS's `simplex_strategy` values. */
const DUAL_SIMPLEX = 1;
const PRIMAL_SIMPLEX = 4;

/** Solves a built model with HiGHS and reads the status, objective, bound and solution. */
export function solveMilp(
  highs: Highs,
  builder: MilpBuilder,
  sense: 'max' | 'min',
  settings: MilpSettings,
): MilpAnswer {
  const t0 = Date.now();
  const model = highs.createModel(builder.toModel(highs, sense, settings.relax));
  try {
    const left = settings.deadline === undefined ? Number.POSITIVE_INFINITY : settings.deadline - Date.now();
    if (left <= 0) {
      return {
        status: 'time-limit',
        objective: Number.NaN,
        bound: Number.NaN,
        values: null,
        timeMs: Date.now() - t0,
      };
    }
    model.options.set({
      output_flag: false,
      time_limit: Math.min(settings.timeLimitS, left / 1000),
      mip_rel_gap: settings.mipRelGap,
      // Measured on covering relaxations in this wasm build: primal simplex is 3–5× faster than
      // the default choice (dual simplex), and interior point without crossover often stops short
      // of a certified optimum.
      ...(settings.relax
        ? { solver: 'simplex', simplex_strategy: settings.simplex === 'dual' ? DUAL_SIMPLEX : PRIMAL_SIMPLEX }
        : {}),
    });
    if (settings.start && !settings.relax) model.setSolution({ colValue: settings.start });
    model.run();
    const code = model.getModelStatus();
    const hasSolution = Number(model.info.get('primal_solution_status')) === 2;
    const objective = hasSolution ? model.getObjectiveValue() : Number.NaN;
    const values = hasSolution ? model.getSolution().colValue : null;
    let bound: number;
    if (settings.relax) bound = objective;
    else {
      const dual = Number(model.info.get('mip_dual_bound'));
      bound = Number.isFinite(dual)
        ? dual
        : sense === 'max'
          ? Number.POSITIVE_INFINITY
          : Number.NEGATIVE_INFINITY;
    }
    // Model status codes: 7 optimal, 8 infeasible, 13 time limit, 14 iteration limit, 17 interrupted.
    const status: MilpAnswer['status'] =
      code === 7
        ? 'optimal'
        : code === 8
          ? 'infeasible'
          : code === 13 || code === 14 || code === 17
            ? 'time-limit'
            : 'error';
    return { status, objective, bound, values, timeMs: Date.now() - t0 };
  } finally {
    model.dispose();
  }
}

/**
 * One binary column per eligible candidate, with objective coefficient `cost`: the `x[j]` of the
 * models (-1 where column j has no variable: existing facilities and unavailable targets).
 */
export function siteColumns(builder: MilpBuilder, problem: Problem, cost: number): Int32Array {
  const x = new Int32Array(problem.nCols).fill(-1);
  for (let j = 0; j < problem.nCols; j++) {
    if (problem.status[j] === ELIGIBLE) x[j] = builder.addCol(cost, 0, 1, true);
  }
  return x;
}

/** The new sites of a solution: the targets whose column is 1. */
export function decodeSites(x: Int32Array, values: Float64Array): number[] {
  const sites: number[] = [];
  for (let j = 0; j < x.length; j++) if (x[j]! >= 0 && values[x[j]!]! > 0.5) sites.push(j);
  return sites;
}

/**
 * The side constraints every model shares, added to a builder whose columns `x[j]` (−1 where
 * column j has no variable) are the eligible candidates: at most `k` new sites, the budget, one
 * site per pair closer than the minimum spacing, and the district minimums.
 */
export function addSideConstraints(builder: MilpBuilder, problem: Problem, x: Int32Array, k: number): void {
  const { nCols, status, siteCost, budget, spacing, districts } = problem;
  const all: number[] = [];
  for (let j = 0; j < nCols; j++) if (x[j]! >= 0) all.push(x[j]!);
  if (Number.isFinite(k) && k < all.length)
    builder.addRow(
      Number.NEGATIVE_INFINITY,
      k,
      all,
      all.map(() => 1),
    );
  if (siteCost && Number.isFinite(budget)) {
    const index: number[] = [];
    const value: number[] = [];
    for (let j = 0; j < nCols; j++) {
      if (x[j]! >= 0 && siteCost[j]! > 0) {
        index.push(x[j]!);
        value.push(siteCost[j]!);
      }
    }
    if (index.length > 0) builder.addRow(Number.NEGATIVE_INFINITY, budget, index, value);
  }
  if (spacing) {
    for (let j = 0; j < nCols; j++) {
      if (x[j]! < 0) continue;
      for (let q = spacing.start[j]!, e = spacing.start[j + 1]!; q < e; q++) {
        const l = spacing.neighbour[q]!;
        if (l > j && x[l]! >= 0) builder.addRow(Number.NEGATIVE_INFINITY, 1, [x[j]!, x[l]!], [1, 1]);
      }
    }
  }
  if (districts) {
    const { label: district, min: districtMin } = districts;
    const fixedIn = new Int32Array(districtMin.length);
    for (const j of problem.fixed) if (district[j]! >= 0) fixedIn[district[j]!]!++;
    for (let d = 0; d < districtMin.length; d++) {
      const need = districtMin[d]! - fixedIn[d]!;
      if (need <= 0) continue;
      const index: number[] = [];
      for (let j = 0; j < nCols; j++)
        if (district[j] === d && status[j] === ELIGIBLE && x[j]! >= 0) index.push(x[j]!);
      builder.addRow(
        need,
        Number.POSITIVE_INFINITY,
        index,
        index.map(() => 1),
      );
    }
  }
}

/** Number of nonzeros the side constraints add (for the size limit). */
export function sideConstraintSize(problem: Problem): number {
  let size = 2 * problem.nCols;
  if (problem.spacing) size += problem.spacing.neighbour.length;
  return size;
}
