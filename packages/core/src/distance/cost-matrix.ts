import { listSome, NETWORK_WARNING_CODES } from '../network/problems.js';
import { InputError, type Rejection, type Warning } from '../validate/problems.js';
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

const COLUMNS = ['origin_id', 'destination_id', 'cost'] as const;
const DECIMAL_COST = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const UNREACHABLE = new Set(['', 'null', 'none', 'inf', '+inf', 'infinity', '+infinity']);

/**
 * Parses a cost matrix in CSV with the columns `origin_id,destination_id,cost` (any order, any
 * further columns ignored; quoted fields and CRLF line ends allowed), as exported from OSRM's
 * `table` service, Valhalla's `sources_to_targets`, openrouteservice's matrix or ArcGIS's OD cost
 * matrix. Bad rows are rejected with their line number; the file never throws for a bad row, only
 * for a missing header.
 *
 * @example
 * const { rows, rejected } = parseCostMatrixCsv('origin_id,destination_id,cost\nC1,K1,420\n');
 * rows; // [{ origin_id: 'C1', destination_id: 'K1', cost: 420 }]
 */
export function parseCostMatrixCsv(text: string, file = 'cost-matrix'): ParsedCostMatrix {
  const records = csvRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const headerAt = records.findIndex((r) => r.fields.some((f) => f.trim() !== ''));
  if (headerAt < 0)
    throw new InputError(file, 'the cost matrix is empty; expected a header origin_id,destination_id,cost');
  const header = records[headerAt]!.fields.map((f) => f.trim().toLowerCase());
  const column = COLUMNS.map((name) => header.indexOf(name));
  if (column.some((c) => c < 0)) {
    throw new InputError(
      file,
      `the cost matrix header must name the columns ${COLUMNS.join(', ')}; got ${header.join(', ')}`,
    );
  }
  const [originColumn, destinationColumn, costColumn] = column as [number, number, number];
  const rows: CostMatrixRow[] = [];
  const rejected: Rejection[] = [];
  const firstLine = new Map<string, number>();
  let unreachable = 0;
  for (const { line, fields } of records.slice(headerAt + 1)) {
    if (fields.every((f) => f.trim() === '')) continue;
    const reject = (field: string, reason: string) =>
      rejected.push({ file, index: line, id: null, field, reason: `line ${line}: ${reason}` });
    const origin = fields[originColumn]?.trim() ?? '';
    const destination = fields[destinationColumn]?.trim() ?? '';
    const costText = fields[costColumn]?.trim() ?? '';
    if (fields.length < header.length) {
      reject('row', `${fields.length} fields, the header has ${header.length}`);
      continue;
    }
    if (origin === '') {
      reject('origin_id', 'empty origin_id');
      continue;
    }
    if (destination === '') {
      reject('destination_id', 'empty destination_id');
      continue;
    }
    const key = `${origin}\u0000${destination}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      reject('destination_id', `duplicate pair ${origin} → ${destination} (first on line ${first})`);
      continue;
    }
    if (UNREACHABLE.has(costText.toLowerCase())) {
      firstLine.set(key, line);
      unreachable++;
      continue;
    }
    // Plain decimal only: Number() would take '0x10' as 16 and '' as 0.
    const cost = DECIMAL_COST.test(costText) ? Number(costText) : Number.NaN;
    if (!Number.isFinite(cost) || cost < 0) {
      reject('cost', `cost must be a plain decimal number >= 0, got ${JSON.stringify(costText)}`);
      continue;
    }
    firstLine.set(key, line);
    rows.push({ origin_id: origin, destination_id: destination, cost });
  }
  return { rows, rejected, unreachable };
}

/** Splits CSV text into records with the line each starts on; quoted fields may hold commas, quotes and newlines. */
function csvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
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
  // Rows grouped by origin id: group g holds destinations groupDestination[g] with costs groupCost[g].
  private readonly groupDestination: string[][] = [];
  private readonly groupCost: Float64Array[] = [];
  /** Row group of each origin, -1 when it has none. */
  private readonly originGroup: Int32Array;
  private readonly destinationIds: Set<string>;
  private readonly file: string;

  constructor(origins: Origins, rows: readonly CostMatrixRow[], options: CostMatrixOptions = {}) {
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
    const groupOf = new Map<string, number>();
    const destinations: string[][] = [];
    const costs: number[][] = [];
    this.destinationIds = new Set();
    for (const row of rows) {
      let g = groupOf.get(row.origin_id);
      if (g === undefined) {
        g = destinations.length;
        groupOf.set(row.origin_id, g);
        destinations.push([]);
        costs.push([]);
      }
      destinations[g]!.push(row.destination_id);
      costs[g]!.push(row.cost);
      this.destinationIds.add(row.destination_id);
    }
    this.groupDestination = destinations;
    this.groupCost = costs.map((c) => Float64Array.from(c));
    this.originGroup = new Int32Array(n).fill(-1);
    const used = new Uint8Array(destinations.length);
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
    const lists = this.groupDestination.map((destinations, g) => {
      const cost = this.groupCost[g]!;
      let nearestCost = Number.POSITIVE_INFINITY;
      let nearestIndex = -1;
      const pairs: [number, number][] = [];
      destinations.forEach((id, r) => {
        for (const k of indexOf.get(id) ?? []) {
          const c = cost[r]!;
          if (c < nearestCost || (c === nearestCost && k < nearestIndex)) {
            nearestCost = c;
            nearestIndex = k;
          }
          if (c <= bound) pairs.push([k, c]);
        }
      });
      pairs.sort((a, b) => a[0] - b[0]);
      return {
        nearestCost,
        nearestIndex,
        within: Uint32Array.from(pairs, (p) => p[0]),
        withinCost: Float64Array.from(pairs, (p) => p[1]),
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
