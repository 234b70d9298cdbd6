import { GreatCircleSource } from '../distance/great-circle.js';
import type { CostTable } from '../distance/types.js';
import type { WorkPool } from '../parallel/pool.js';
import { OptionError } from '../validate/problems.js';
import { aggregateRows, ELIGIBLE, FIXED, type MergedRows, transposeRows, UNAVAILABLE } from './rows.js';
import type { SitingOptions } from './types.js';

export { ELIGIBLE, FIXED, UNAVAILABLE } from './rows.js';

/**
 * A siting instance compiled for the solvers: the demand rows that matter (zero-weight rows dropped,
 * identical rows of one owner merged for the coverage models), each with the columns (targets) that
 * can serve it, in both orientations, plus every side constraint as flat arrays.
 */
export interface Problem {
  readonly nRows: number;
  readonly nCols: number;
  /** Row i's columns are rowCol[rowStart[i] … rowStart[i+1]-1], with costs in rowCost (null: not kept). */
  readonly rowStart: Uint32Array;
  readonly rowCol: Uint32Array;
  readonly rowCost: Float64Array | null;
  /** The transpose: column j's rows and costs. */
  readonly colStart: Uint32Array;
  readonly colRow: Uint32Array;
  readonly colCost: Float64Array | null;
  /** Demand weight (population) of each row. */
  readonly weight: Float64Array;
  /** Owner of each row, or null when owners are unknown. */
  readonly rowOwner: Uint32Array | null;
  readonly ownerCount: number;
  /** Total demand weight, every demand point included. */
  readonly population: number;
  /** ELIGIBLE, FIXED or UNAVAILABLE per column. */
  readonly status: Uint8Array;
  readonly fixed: Uint32Array;
  /** Opening cost per column, or null without a budget. */
  readonly siteCost: Float64Array | null;
  readonly budget: number;
  /** Eligible columns closer than the minimum spacing to each eligible column (CSR), or null. */
  readonly spacing: { readonly start: Uint32Array; readonly neighbour: Uint32Array } | null;
  /** District of each column (-1 none) and open sites required per district, or null. */
  readonly districts: { readonly label: Int32Array; readonly min: Int32Array } | null;
  /** New sites the district minimums need beyond the existing facilities. */
  readonly districtNeed: number;
  /** Coverage radius, and the bound of the table the instance came from. */
  readonly radius: number;
  readonly tableBound: number;
  readonly warnings: string[];
}

/** How a model wants its instance compiled. */
export interface CompileSpec {
  /** Keep table entries with cost at most this. */
  readonly maxCost: number;
  /** Keep the costs (p-median, p-center, capacitated); coverage models need only the sets. */
  readonly keepCosts: boolean;
  /** Merge rows of one owner with identical column sets (coverage models only). */
  readonly aggregate: boolean;
  /** Keep the costs in the column lists too (default: when `keepCosts`). */
  readonly columnCosts?: boolean;
  /**
   * Threads for merging the rows and building the columns (same problem as without; its arrays then
   * live on shared memory, so that later kernels read them without a copy).
   */
  readonly pool?: WorkPool;
}

/**
 * Open sites per district against the minimums: which candidates would reduce a shortfall, how much
 * is still short, and whether a site may be swapped out.
 */
export class DistrictTally {
  private readonly label: Int32Array;
  private readonly min: Int32Array;
  private readonly open: Int32Array;

  private constructor(districts: NonNullable<Problem['districts']>, open: Iterable<number>) {
    this.label = districts.label;
    this.min = districts.min;
    this.open = new Int32Array(districts.min.length);
    for (const j of open) this.add(j, 1);
  }

  /** The tally of a problem with these sites open, or null when it has no district minimums. */
  static of(problem: Problem, open: Iterable<number>): DistrictTally | null {
    return problem.districts ? new DistrictTally(problem.districts, open) : null;
  }

  add(j: number, sign: number): void {
    const d = this.label[j]!;
    if (d >= 0) this.open[d]! += sign;
  }

  /** Whether opening `j` would reduce a district's shortfall. */
  short(j: number): boolean {
    const d = this.label[j]!;
    return d >= 0 && this.open[d]! < this.min[d]!;
  }

  /** Number of districts. */
  get districts(): number {
    return this.min.length;
  }

  /** Sites still missing in district d. */
  shortfall(d: number): number {
    return Math.max(0, this.min[d]! - this.open[d]!);
  }

  /** Sites still missing over all districts. */
  deficit(): number {
    let sum = 0;
    for (let d = 0; d < this.min.length; d++) sum += Math.max(0, this.min[d]! - this.open[d]!);
    return sum;
  }

  /** Whether `r` may close when `c` opens: r's district keeps its minimum. */
  allowsSwap(c: number, r: number): boolean {
    const dr = this.label[r]!;
    return dr < 0 || dr === this.label[c] || this.open[dr]! > this.min[dr]!;
  }

  /** Whether `r` may close with nothing opening instead. */
  allowsRemoval(r: number): boolean {
    const dr = this.label[r]!;
    return dr < 0 || this.open[dr]! > this.min[dr]!;
  }
}

/** 1 for the problem's existing facilities and for `sites`, 0 for every other column. */
export function openColumns(problem: Problem, sites: Iterable<number>): Uint8Array {
  const open = new Uint8Array(problem.nCols);
  for (const j of problem.fixed) open[j] = 1;
  for (const j of sites) open[j] = 1;
  return open;
}

/** The row costs of a problem compiled with `keepCosts` (the cost models). */
export function rowCostsOf(problem: Problem): Float64Array {
  if (!problem.rowCost) throw new Error('This model needs the costs of the table (compile with keepCosts).');
  return problem.rowCost;
}

/** The column costs of a problem compiled with `keepCosts` and column costs. */
export function colCostsOf(problem: Problem): Float64Array {
  if (!problem.colCost) throw new Error('This model needs the column costs of the table.');
  return problem.colCost;
}

/**
 * A coverage model's merged rows made without a cost table (see `coverageRowsFromSource`): the
 * bound they were found within, the number of targets, and the merge, once the columns' status is
 * known. Compiles as the table of pairs within `bound` would with `aggregate` and every entry kept.
 */
export interface RowsWithin {
  readonly bound: number;
  readonly targetCount: number;
  readonly merge: (status: Uint8Array) => MergedRows;
}

/** An empty table of `n` rows: what a {@link RowsWithin} is checked as. */
function emptyTable(n: number, bound: number): CostTable {
  return { bound, offsets: new Uint32Array(n + 1), targets: new Uint32Array(0), costs: new Float64Array(0) };
}

/** Checks the table and options and builds the {@link Problem}. Programmer errors throw. */
export function compileProblem(
  input: CostTable | RowsWithin,
  demandWeight: Float64Array,
  options: SitingOptions,
  spec: CompileSpec,
): Problem {
  const n = demandWeight.length;
  const within = 'merge' in input ? input : null;
  const table = within === null ? (input as CostTable) : emptyTable(n, within.bound);
  if (within !== null && !(spec.aggregate && spec.maxCost >= within.bound)) {
    throw new Error('Rows found within a bound compile only for a coverage model with that radius.');
  }
  const { offsets, targets, costs } = table;
  if (offsets.length !== n + 1) {
    throw new Error(`The cost table has ${offsets.length - 1} rows but there are ${n} demand weights.`);
  }
  const nnz = offsets[n]!;
  if (targets.length < nnz || costs.length < nnz) {
    throw new Error(`The cost table's offsets end at ${nnz} but it holds ${targets.length} targets.`);
  }
  const warnings: string[] = [];
  const radius = options.radius ?? table.bound;
  if (!(radius >= 0)) throw new OptionError('radius', `must be a non-negative number, got ${radius}.`);
  if (radius > table.bound) {
    throw new Error(
      `radius ${radius} exceeds the cost table's bound ${table.bound}: pairs beyond the bound are not in the table.`,
    );
  }

  const maxTarget = maxOf(targets, nnz);
  const nCols =
    within?.targetCount ??
    options.targetCount ??
    (options.coords
      ? options.coords.length >> 1
      : (options.cost?.length ??
        (options as { capacity?: ArrayLike<number> }).capacity?.length ??
        options.district?.length ??
        maxTarget + 1));
  if (maxTarget >= nCols) {
    throw new Error(`The cost table names target ${maxTarget} but there are ${nCols} targets.`);
  }
  const checkLength = (name: string, length: number | undefined, per = 1) => {
    if (length !== undefined && length !== nCols * per) {
      throw new Error(`${name} has ${length / per} entries but there are ${nCols} targets.`);
    }
  };
  checkLength('cost', options.cost?.length);
  checkLength('district', options.district?.length);
  checkLength('coords', options.coords?.length, 2);

  // Column status.
  const status = new Uint8Array(nCols);
  const fixedList: number[] = [];
  for (const j of Array.from(options.excluded ?? [])) {
    if (!(j >= 0 && j < nCols)) throw new Error(`excluded target ${j} is outside 0…${nCols - 1}.`);
    status[j] = UNAVAILABLE;
  }
  for (const j of Array.from(options.fixed ?? [])) {
    if (!(j >= 0 && j < nCols)) throw new Error(`fixed target ${j} is outside 0…${nCols - 1}.`);
    if (status[j] === FIXED) continue;
    if (status[j] === UNAVAILABLE) warnings.push(`Target ${j} is both fixed and excluded; it stays open.`);
    status[j] = FIXED;
    fixedList.push(j);
  }
  fixedList.sort((a, b) => a - b);

  // Budget.
  let siteCost: Float64Array | null = null;
  const budget = options.budget ?? Number.POSITIVE_INFINITY;
  if (!(budget >= 0)) throw new OptionError('budget', `must be a non-negative number, got ${budget}.`);
  if (options.budget !== undefined && !options.cost) throw new Error('budget needs cost per target.');
  if (options.cost) {
    siteCost = Float64Array.from(options.cost);
    for (let j = 0; j < nCols; j++) {
      const c = siteCost[j]!;
      if (!(c >= 0) || !Number.isFinite(c)) throw new Error(`cost of target ${j} must be ≥ 0, got ${c}.`);
      if (status[j] === ELIGIBLE && c > budget) status[j] = UNAVAILABLE;
    }
  }

  // Minimum spacing.
  let spacing: Problem['spacing'] = null;
  const minSpacing = options.minSpacingM ?? 0;
  if (!(minSpacing >= 0))
    throw new OptionError('minSpacingM', `must be a non-negative number of metres, got ${minSpacing}.`);
  if (minSpacing > 0) {
    if (!options.coords) throw new Error('minSpacingM needs coords of every target.');
    const pairs = new GreatCircleSource({
      coords: options.coords,
      owner: new Uint32Array(nCols),
      ownerCount: 1,
    }).within({ coords: options.coords }, minSpacing);
    if (options.spacingFromFixed ?? true) {
      let blocked = 0;
      for (let j = 0; j < nCols; j++) {
        if (status[j] !== ELIGIBLE) continue;
        for (let p = pairs.offsets[j]!; p < pairs.offsets[j + 1]!; p++) {
          if (status[pairs.targets[p]!] === FIXED) {
            status[j] = UNAVAILABLE;
            blocked++;
            break;
          }
        }
      }
      if (blocked > 0) {
        warnings.push(
          `${blocked} candidates lie within ${minSpacing} m of an existing facility and were left out.`,
        );
      }
    }
    const start = new Uint32Array(nCols + 1);
    const nbr: number[] = [];
    for (let j = 0; j < nCols; j++) {
      if (status[j] === ELIGIBLE) {
        for (let p = pairs.offsets[j]!; p < pairs.offsets[j + 1]!; p++) {
          const l = pairs.targets[p]!;
          if (l !== j && status[l] === ELIGIBLE) nbr.push(l);
        }
      }
      start[j + 1] = nbr.length;
    }
    spacing = { start, neighbour: Uint32Array.from(nbr) };
  }

  // District minimums.
  let districts: Problem['districts'] = null;
  let districtNeed = 0;
  if (options.minPerDistrict !== undefined) {
    if (!options.district) throw new Error('minPerDistrict needs district per target.');
    const district = Int32Array.from(options.district);
    let nDistricts = 0;
    for (let j = 0; j < nCols; j++) nDistricts = Math.max(nDistricts, district[j]! + 1);
    const mins = options.minPerDistrict;
    if (typeof mins !== 'number' && mins.length < nDistricts) {
      throw new Error(`minPerDistrict has ${mins.length} entries but districts go up to ${nDistricts - 1}.`);
    }
    const districtMin = new Int32Array(nDistricts);
    const fixedIn = new Int32Array(nDistricts);
    const eligibleIn = new Int32Array(nDistricts);
    for (let j = 0; j < nCols; j++) {
      const d = district[j]!;
      if (d < 0) continue;
      if (status[j] === FIXED) fixedIn[d]!++;
      else if (status[j] === ELIGIBLE) eligibleIn[d]!++;
    }
    for (let d = 0; d < nDistricts; d++) {
      let want = typeof mins === 'number' ? mins : Number(mins[d]);
      if (!(want >= 0) || !Number.isInteger(want)) {
        throw new OptionError(
          'minPerDistrict',
          `district ${d}'s minimum must be a whole number ≥ 0, got ${want}.`,
        );
      }
      if (want > fixedIn[d]! + eligibleIn[d]!) {
        warnings.push(
          `District ${d} needs ${want} sites but has only ${fixedIn[d]! + eligibleIn[d]!} existing or eligible; the minimum is lowered.`,
        );
        want = fixedIn[d]! + eligibleIn[d]!;
      }
      districtMin[d] = want;
      districtNeed += Math.max(0, want - fixedIn[d]!);
    }
    districts = { label: district, min: districtMin };
  }

  // Owners.
  const owner = options.owner ?? null;
  if (owner && owner.length !== n) {
    throw new Error(`owner has ${owner.length} entries but there are ${n} demand points.`);
  }
  let ownerCount = options.ownerCount ?? 0;
  if (owner && options.ownerCount === undefined)
    for (const o of owner) ownerCount = Math.max(ownerCount, o + 1);

  // Rows: keep the usable entries of positive-weight demand points.
  let population = 0;
  for (let i = 0; i < n; i++) {
    const w = demandWeight[i]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`Demand weight ${i} must be ≥ 0, got ${w}.`);
    population += w;
  }
  const bad = firstNaN(costs, nnz);
  if (bad >= 0) throw new Error(`Cost table entry ${bad} is NaN.`);
  // Every entry of the table is within its bound: when the model keeps all of them, the costs need
  // not even be read (a third of the table's bytes).
  const maxCost = spec.maxCost >= table.bound ? Number.POSITIVE_INFINITY : spec.maxCost;
  let rows: number;
  let rowStart: Uint32Array;
  let rowCol: Uint32Array;
  let rowCost: Float64Array | null = null;
  let weight: Float64Array;
  let rowOwner: Uint32Array | null = null;
  if (spec.aggregate) {
    const merged =
      within !== null
        ? within.merge(status)
        : aggregateRows(table, demandWeight, status, maxCost, owner, ownerCount, nCols, spec.pool);
    ({ rows, rowStart, rowCol, weight, rowOwner } = merged);
  } else {
    const kept = countKept(offsets, targets, costs, status, demandWeight, maxCost);
    rowStart = new Uint32Array(n + 1);
    rowCol = new Uint32Array(kept);
    rowCost = spec.keepCosts ? new Float64Array(kept) : null;
    weight = new Float64Array(n);
    rows = fillRows(
      offsets,
      targets,
      costs,
      status,
      demandWeight,
      spec.maxCost,
      rowStart,
      rowCol,
      rowCost,
      weight,
    );
    rowStart = rowStart.slice(0, rows + 1);
    weight = weight.slice(0, rows);
    if (owner) {
      rowOwner = new Uint32Array(rows);
      let r = 0;
      for (let i = 0; i < n; i++) if (demandWeight[i]! > 0) rowOwner[r++] = owner[i]!;
    }
  }

  // Transpose.
  const { colStart, colRow, colCost } = transposeRows(
    rows,
    rowStart,
    rowCol,
    rowCost,
    nCols,
    spec.columnCosts ?? true,
    spec.pool,
  );

  return {
    nRows: rows,
    nCols,
    rowStart,
    rowCol,
    rowCost,
    colStart,
    colRow,
    colCost,
    weight,
    rowOwner,
    ownerCount,
    population,
    status,
    fixed: Uint32Array.from(fixedList),
    siteCost,
    budget,
    spacing,
    districts,
    districtNeed,
    radius,
    tableBound: table.bound,
    warnings,
  };
}

function maxOf(values: Uint32Array, length: number): number {
  let max = -1;
  for (let p = 0; p < length; p++) if (values[p]! > max) max = values[p]!;
  return max;
}

function firstNaN(costs: Float64Array, nnz: number): number {
  for (let p = 0; p < nnz; p++) if (Number.isNaN(costs[p]!)) return p;
  return -1;
}

// The row kernels below run over every table entry (tens of millions at city scale); they are
// functions of their own with typed-array arguments so that the JIT compiles each loop tightly.

function countKept(
  offsets: Uint32Array,
  targets: Uint32Array,
  costs: Float64Array,
  status: Uint8Array,
  weight: Float64Array,
  maxCost: number,
): number {
  let kept = 0;
  const n = weight.length;
  for (let i = 0; i < n; i++) {
    if (weight[i] === 0) continue;
    for (let p = offsets[i]!, e = offsets[i + 1]!; p < e; p++) {
      if (status[targets[p]!] !== UNAVAILABLE && costs[p]! <= maxCost) kept++;
    }
  }
  return kept;
}

/** Copies the kept entries into rowStart/rowCol/rowCost and the weights; returns the row count. */
function fillRows(
  offsets: Uint32Array,
  targets: Uint32Array,
  costs: Float64Array,
  status: Uint8Array,
  demandWeight: Float64Array,
  maxCost: number,
  rowStart: Uint32Array,
  rowCol: Uint32Array,
  rowCost: Float64Array | null,
  weight: Float64Array,
): number {
  const n = demandWeight.length;
  let rows = 0;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const w = demandWeight[i]!;
    if (w === 0) continue;
    for (let p = offsets[i]!, e = offsets[i + 1]!; p < e; p++) {
      const t = targets[p]!;
      const c = costs[p]!;
      if (status[t] === UNAVAILABLE || c > maxCost) continue;
      rowCol[at] = t;
      if (rowCost !== null) rowCost[at] = c;
      at++;
    }
    weight[rows] = w;
    rowStart[++rows] = at;
  }
  return rows;
}
