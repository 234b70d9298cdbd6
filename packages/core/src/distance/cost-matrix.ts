import { listSome, NETWORK_WARNING_CODES } from '../network/problems.js';
import type { Rejection, Warning } from '../validate/problems.js';
import { type CostMatrixColumns, CostMatrixCsvReader, intern } from './cost-matrix-csv.js';
import type { CostTable, DistanceSource, Origins, Reach, Targets } from './types.js';

/** One precomputed cost: from a demand point or community to a facility or candidate. */
export interface CostMatrixRow {
  readonly origin_id: string;
  readonly destination_id: string;
  /** In the matrix's unit (metres or minutes); >= 0. */
  readonly cost: number;
}

/** What {@link parseCostMatrixCsv} returns. */
export interface ParsedCostMatrix {
  readonly rows: CostMatrixRow[];
  /**
   * Rows that could not be used. For a CSV file `index` is the 1-based line number (the header is
   * line 1), and `reason` starts with it.
   */
  readonly rejected: Rejection[];
  /** Rows whose cost was empty, `null`, `inf` or `Infinity`: unreachable pairs, which are left out. */
  readonly unreachable: number;
}

/**
 * Parses a cost matrix in CSV with the columns `origin_id,destination_id,cost` (any order, any
 * further columns ignored; quoted fields and CRLF line ends allowed), as exported from OSRM's
 * `table` service, Valhalla's `sources_to_targets`, openrouteservice's matrix or ArcGIS's OD cost
 * matrix. Bad rows are rejected with their line number; the file never throws for a bad row, only
 * for a missing header. A file too large for one string is read in pieces by
 * {@link CostMatrixCsvReader}, which this wraps.
 *
 * @example
 * const { rows, rejected } = parseCostMatrixCsv('origin_id,destination_id,cost\nC1,K1,420\n');
 * rows; // [{ origin_id: 'C1', destination_id: 'K1', cost: 420 }]
 */
export function parseCostMatrixCsv(text: string, file = 'cost-matrix'): ParsedCostMatrix {
  const reader = new CostMatrixCsvReader({ file, maxLineLength: Math.max(text.length, 1) });
  reader.push(text);
  const { columns, rejected, unreachable } = reader.end();
  const { originIds, destinationIds, origin, destination, cost } = columns;
  const rows = Array.from(origin, (o, r) => ({
    origin_id: originIds[o]!,
    destination_id: destinationIds[destination[r]!]!,
    cost: cost[r]!,
  }));
  return { rows, rejected, unreachable };
}

/** Options of {@link CostMatrixSource}. */
export interface CostMatrixOptions {
  /** Unit of the costs, and so of every bound asked: metres or minutes. Default `m`. */
  unit?: 'm' | 'min';
  /**
   * Id of each owner (community ids, by owner index): a row whose `origin_id` is a community's id
   * applies to every demand point of that community.
   */
  ownerIds?: readonly string[];
  /**
   * Id of each origin (demand-point ids): a row whose `origin_id` is a point's own id applies to
   * that point, and wins over its community's row.
   */
  originIds?: readonly string[];
  /** Name of the matrix in warnings. Default `cost-matrix`. */
  file?: string;
}

/**
 * Costs read from a precomputed origin–destination matrix (from OSRM, Valhalla, openrouteservice,
 * ArcGIS, or a survey): the distance source for results computed elsewhere. Origins are matched by
 * their own id or their community's id (see {@link CostMatrixOptions}), targets by `Targets.ids`;
 * a pair missing from the matrix is unreachable.
 *
 * @example
 * const { rows } = parseCostMatrixCsv(csvText);
 * const source = new CostMatrixSource(demand, rows, { ownerIds: communityIds, unit: 'min' });
 * source.reach({ coords: clinics, ids: clinicIds }, 15).withinCount; // clinics within 15 minutes
 */
export class CostMatrixSource implements DistanceSource {
  readonly kind = 'cost-matrix' as const;
  readonly costUnit: 'm' | 'min';
  readonly origins: Origins;
  /** Origins without a row in the matrix, and rows whose origin matches no origin. */
  readonly warnings: Warning[];
  // Rows grouped by origin (compressed rows): group g, the matrix's origin id g, holds the rows
  // groupStart[g] … groupStart[g + 1] - 1, with destinations groupDestination (indices into
  // destinationIds) and costs groupCost. Typed arrays only: ten million pairs take 120 MB.
  private readonly groupStart: Uint32Array;
  private readonly groupDestination: Uint32Array;
  private readonly groupCost: Float64Array;
  /** The matrix's distinct destination ids. */
  private readonly matrixDestinations: readonly string[];
  /** Row group of each origin, -1 when it has none. */
  private readonly originGroup: Int32Array;
  private readonly destinationIds: Set<string>;
  private readonly file: string;

  constructor(
    origins: Origins,
    rows: readonly CostMatrixRow[] | CostMatrixColumns,
    options: CostMatrixOptions = {},
  ) {
    const n = origins.coords.length >> 1;
    if (origins.owner.length !== n)
      throw new Error(`Origins have ${n} points but ${origins.owner.length} owners.`);
    const unit = options.unit ?? 'm';
    if (unit !== 'm' && unit !== 'min')
      throw new Error(`Cost matrix unit must be one of: m, min; got ${unit}.`);
    const { ownerIds, originIds } = options;
    if (!ownerIds && !originIds) {
      throw new Error(
        'CostMatrixSource needs ownerIds (community ids) or originIds (demand-point ids) to match rows.',
      );
    }
    if (ownerIds && ownerIds.length !== origins.ownerCount) {
      throw new Error(`ownerIds has ${ownerIds.length} ids but there are ${origins.ownerCount} owners.`);
    }
    if (originIds && originIds.length !== n) {
      throw new Error(`originIds has ${originIds.length} ids but there are ${n} origins.`);
    }
    this.costUnit = unit;
    this.origins = origins;
    this.file = options.file ?? 'cost-matrix';
    const columns = Array.isArray(rows)
      ? columnsOf(rows as readonly CostMatrixRow[])
      : (rows as CostMatrixColumns);
    const groups = columns.originIds.length;
    const rowCount = columns.origin.length;
    this.groupStart = new Uint32Array(groups + 1);
    for (let r = 0; r < rowCount; r++) this.groupStart[columns.origin[r]! + 1]!++;
    for (let g = 0; g < groups; g++) this.groupStart[g + 1]! += this.groupStart[g]!;
    this.groupDestination = new Uint32Array(rowCount);
    this.groupCost = new Float64Array(rowCount);
    const fill = this.groupStart.slice(0, -1);
    for (let r = 0; r < rowCount; r++) {
      const at = fill[columns.origin[r]!]!++;
      this.groupDestination[at] = columns.destination[r]!;
      this.groupCost[at] = columns.cost[r]!;
    }
    this.matrixDestinations = columns.destinationIds;
    // An origin whose every row was unreachable has no group: its points have no row, as before.
    const groupOf = new Map<string, number>();
    columns.originIds.forEach((id, g) => {
      if (this.groupStart[g + 1]! > this.groupStart[g]!) groupOf.set(id, g);
    });
    const hasRows = new Uint8Array(columns.destinationIds.length);
    for (let r = 0; r < rowCount; r++) hasRows[columns.destination[r]!] = 1;
    this.destinationIds = new Set(columns.destinationIds.filter((_, d) => hasRows[d]));
    this.originGroup = new Int32Array(n).fill(-1);
    const used = new Uint8Array(groups);
    let missing = 0;
    for (let i = 0; i < n; i++) {
      const own = originIds?.[i];
      const g =
        (own !== undefined ? groupOf.get(own) : undefined) ??
        groupOf.get(ownerIds?.[origins.owner[i]!] ?? '\u0000');
      if (g === undefined) missing++;
      else {
        this.originGroup[i] = g;
        used[g] = 1;
      }
    }
    this.warnings = [];
    if (missing > 0) {
      this.warnings.push({
        code: NETWORK_WARNING_CODES.offNetwork,
        file: this.file,
        message: `${missing} of ${n} demand points have no row in the cost matrix (by their own id or their community's) and reach nothing`,
      });
    }
    const unknown = [...groupOf].filter(([, g]) => !used[g]).map(([id]) => id);
    if (unknown.length > 0) {
      this.warnings.push({
        code: NETWORK_WARNING_CODES.offNetwork,
        file: this.file,
        field: 'origin_id',
        message: `${unknown.length} origin ids in the cost matrix match no community or demand point: ${listSome(unknown)}`,
      });
    }
  }

  /** Warns about targets whose id appears in no row of the matrix (nobody can reach them). */
  checkTargets(targets: Targets, _file = 'facilities', what = 'facilities'): Warning[] {
    const ids = this.idsOf(targets);
    const absent = ids.filter((id) => !this.destinationIds.has(id));
    if (absent.length === 0) return [];
    return [
      {
        code: NETWORK_WARNING_CODES.unreachableTarget,
        file: this.file,
        field: 'destination_id',
        message: `${absent.length} of ${ids.length} ${what} appear in no row of the cost matrix and serve no one: ${listSome(absent)}`,
      },
    ];
  }

  /** Warns about rows whose destination matches no facility or candidate: they were not used. */
  checkDestinations(knownIds: Iterable<string>): Warning[] {
    const known = new Set(knownIds);
    const unknown = [...this.destinationIds].filter((id) => !known.has(id));
    if (unknown.length === 0) return [];
    return [
      {
        code: NETWORK_WARNING_CODES.unreachableTarget,
        file: this.file,
        field: 'destination_id',
        message: `${unknown.length} destination ids in the cost matrix match no facility or candidate, so their rows were not used: ${listSome(unknown)}`,
      },
    ];
  }

  reach(targets: Targets, bound: number): Reach {
    if (Number.isNaN(bound)) throw new Error('Reach bound must be a number, got NaN.');
    const { n, lists } = this.resolve(targets, bound);
    const nearestCost = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    const nearestIndex = new Int32Array(n).fill(-1);
    const withinCount = new Uint32Array(n);
    const ownerWithinCount = new Uint32Array(this.origins.ownerCount);
    const stamp = new Int32Array(targets.coords.length >> 1).fill(-1);
    const order = ownerOrder(this.origins);
    for (const i of order) {
      const g = this.originGroup[i]!;
      if (g < 0) continue;
      const list = lists[g]!;
      nearestCost[i] = list.nearestCost;
      nearestIndex[i] = list.nearestIndex;
      withinCount[i] = list.within.length;
      const owner = this.origins.owner[i]!;
      for (const t of list.within) {
        if (stamp[t] !== owner) {
          stamp[t] = owner;
          ownerWithinCount[owner]!++;
        }
      }
    }
    return { bound, nearestCost, nearestIndex, withinCount, ownerWithinCount };
  }

  within(targets: Targets, bound: number): CostTable {
    if (Number.isNaN(bound)) throw new Error('Within bound must be a number, got NaN.');
    const { n, lists } = this.resolve(targets, bound);
    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const g = this.originGroup[i]!;
      offsets[i + 1] = offsets[i]! + (g < 0 ? 0 : lists[g]!.within.length);
    }
    const outTargets = new Uint32Array(offsets[n]!);
    const costs = new Float64Array(offsets[n]!);
    for (let i = 0; i < n; i++) {
      const g = this.originGroup[i]!;
      if (g < 0) continue;
      const list = lists[g]!;
      outTargets.set(list.within, offsets[i]!);
      costs.set(list.withinCost, offsets[i]!);
    }
    return { bound, offsets, targets: outTargets, costs };
  }

  private idsOf(targets: Targets): readonly string[] {
    const n = targets.coords.length >> 1;
    if (!targets.ids || targets.ids.length !== n) {
      throw new Error(
        `CostMatrixSource looks targets up by id: pass Targets.ids with one id per target (${n} targets, ${targets.ids?.length ?? 0} ids).`,
      );
    }
    return targets.ids;
  }

  // Per row group: nearest target and the targets within the bound in ascending index order.
  private resolve(
    targets: Targets,
    bound: number,
  ): {
    n: number;
    lists: { nearestCost: number; nearestIndex: number; within: Uint32Array; withinCost: Float64Array }[];
  } {
    const ids = this.idsOf(targets);
    const indexOf = new Map<string, number[]>();
    ids.forEach((id, k) => {
      const list = indexOf.get(id);
      if (list) list.push(k);
      else indexOf.set(id, [k]);
    });
    // The targets of each matrix destination (an id may name several targets, or none).
    const targetsOf = this.matrixDestinations.map((id) => indexOf.get(id) ?? []);
    const withinTarget: number[] = [];
    const withinCost: number[] = [];
    const lists = Array.from({ length: this.groupStart.length - 1 }, (_, g) => {
      let nearestCost = Number.POSITIVE_INFINITY;
      let nearestIndex = -1;
      withinTarget.length = 0;
      withinCost.length = 0;
      for (let r = this.groupStart[g]!; r < this.groupStart[g + 1]!; r++) {
        const c = this.groupCost[r]!;
        for (const k of targetsOf[this.groupDestination[r]!]!) {
          if (c < nearestCost || (c === nearestCost && k < nearestIndex)) {
            nearestCost = c;
            nearestIndex = k;
          }
          if (c <= bound) {
            withinTarget.push(k);
            withinCost.push(c);
          }
        }
      }
      const order = Array.from(withinTarget.keys()).sort((a, b) => withinTarget[a]! - withinTarget[b]!);
      return {
        nearestCost,
        nearestIndex,
        within: Uint32Array.from(order, (o) => withinTarget[o]!),
        withinCost: Float64Array.from(order, (o) => withinCost[o]!),
      };
    });
    return { n: this.origins.owner.length, lists };
  }
}

/** Origin indices sorted by owner (stable), so a stamp array counts distinct targets per owner. */
function ownerOrder(origins: Origins): Uint32Array {
  const { owner, ownerCount } = origins;
  const start = new Uint32Array(ownerCount + 1);
  for (let i = 0; i < owner.length; i++) start[owner[i]! + 1]!++;
  for (let o = 0; o < ownerCount; o++) start[o + 1]! += start[o]!;
  const order = new Uint32Array(owner.length);
  for (let i = 0; i < owner.length; i++) order[start[owner[i]!]!++] = i;
  return order;
}

/** Rows as {@link CostMatrixColumns}: ids interned in the order first met. */
function columnsOf(rows: readonly CostMatrixRow[]): CostMatrixColumns {
  const originIndex = new Map<string, number>();
  const destinationIndex = new Map<string, number>();
  const originIds: string[] = [];
  const destinationIds: string[] = [];
  return {
    origin: Uint32Array.from(rows, (row) => intern(row.origin_id, originIndex, originIds)),
    destination: Uint32Array.from(rows, (row) =>
      intern(row.destination_id, destinationIndex, destinationIds),
    ),
    cost: Float64Array.from(rows, (row) => row.cost),
    originIds,
    destinationIds,
  };
}
