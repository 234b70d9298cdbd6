import { DistrictTally, ELIGIBLE, type Problem } from './problem.js';

/** Nodes one search may visit before it gives up (a failure is then not a proof). */
const SEARCH_NODES = 20_000;
/** Nodes all the searches of one greedy run may visit together. */
const RUN_NODES = 400_000;

/** Whether the district minimums can still be met, and how sure that is. */
export type PlanState = 'met' | 'planned' | 'proved-infeasible' | 'not-found';

/**
 * Keeps the district minimums reachable while a heuristic opens sites one at a time under a
 * minimum spacing, a budget and a largest number of new sites.
 *
 * Those constraints interact: opening the best site of one district can block (by spacing) or
 * price out (by budget) the only sites left in another, or use a pick the minimums needed. So the
 * plan holds a *certificate*: new sites that, opened together with the ones open now, meet every
 * district minimum within the spacing, the budget and the number of sites. A site may open when a
 * certificate survives it; most sites keep the current one (it contains them, or one of its sites in
 * the same district can be dropped), and otherwise a depth-first search looks for a new one.
 *
 * The search branches on the short district with the fewest spare options and within it on the
 * cheapest sites first, taking each district's sites in index order (no permutations of one set); it
 * prunes on the number of sites left and on the cheapest possible cost of what is still needed. It
 * is exhaustive unless it hits its node limit, so "no certificate" from a complete search is a proof
 * that the minimums cannot be met; from a cut-off search it is only a heuristic failure.
 */
export class DistrictPlan {
  private readonly problem: Problem;
  private readonly maxSites: number;
  private readonly label: Int32Array;
  /** Eligible candidates per district (CSR), in index order. */
  private readonly districtStart: Uint32Array;
  private readonly districtCol: Uint32Array;
  // The state: sites open (existing and new), open new sites within the spacing of each column,
  // what the new sites cost, how many there are, and open sites per district.
  private readonly open: Uint8Array;
  private readonly conflict: Int32Array;
  private spent = 0;
  private opened = 0;
  private readonly tally: DistrictTally;
  // The certificate.
  private readonly inCertificate: Uint8Array;
  private certificate: number[] = [];
  // Search scratch.
  private readonly lastPick: Int32Array;
  private nodes = 0;
  private runNodes = 0;
  private cutOff = false;
  /** Outcome so far. */
  state: PlanState;

  private constructor(problem: Problem, maxSites: number) {
    const districts = problem.districts!;
    this.problem = problem;
    this.maxSites = maxSites;
    this.label = districts.label;
    const { nCols, status } = problem;
    const nDistricts = districts.min.length;
    this.districtStart = new Uint32Array(nDistricts + 1);
    for (let j = 0; j < nCols; j++) {
      const d = this.label[j]!;
      if (d >= 0 && status[j] === ELIGIBLE) this.districtStart[d + 1]!++;
    }
    for (let d = 0; d < nDistricts; d++) this.districtStart[d + 1]! += this.districtStart[d]!;
    this.districtCol = new Uint32Array(this.districtStart[nDistricts]!);
    const cursor = this.districtStart.slice(0, nDistricts);
    for (let j = 0; j < nCols; j++) {
      const d = this.label[j]!;
      if (d >= 0 && status[j] === ELIGIBLE) this.districtCol[cursor[d]!++] = j;
    }
    this.open = new Uint8Array(nCols);
    this.conflict = new Int32Array(nCols);
    this.inCertificate = new Uint8Array(nCols);
    this.lastPick = new Int32Array(nDistricts).fill(-1);
    for (const j of problem.fixed) this.open[j] = 1;
    this.tally = DistrictTally.of(problem, problem.fixed)!;
    this.state = 'met';
    if (this.deficit() > 0) {
      const found = this.search();
      this.state = found ? 'planned' : this.cutOff ? 'not-found' : 'proved-infeasible';
    }
  }

  /** A plan for at most `maxSites` new sites, or null when the problem has no district minimums. */
  static of(problem: Problem, maxSites: number): DistrictPlan | null {
    return problem.districts ? new DistrictPlan(problem, maxSites) : null;
  }

  /** Sites the minimums still need beyond the open ones. */
  deficit(): number {
    return this.tally.deficit();
  }

  /** Whether opening `j` would reduce a district's shortfall. */
  short(j: number): boolean {
    return this.tally.short(j);
  }

  /** The certificate's sites: what still has to open to meet the minimums. */
  remaining(): readonly number[] {
    return this.certificate;
  }

  /**
   * Opens `j` when the minimums stay reachable with it (a certificate survives) and returns true;
   * otherwise leaves the state unchanged and returns false. Without a certificate (the minimums
   * were proved unreachable, or none was found) every site is accepted.
   */
  tryOpen(j: number): boolean {
    if (this.state === 'met' || this.state === 'proved-infeasible' || this.state === 'not-found') {
      this.apply(j);
      if (this.state !== 'met' && this.deficit() === 0) this.state = 'met';
      return true;
    }
    if (this.inCertificate[j]) {
      this.inCertificate[j] = 0;
      this.certificate = this.certificate.filter((c) => c !== j);
      this.apply(j);
      if (this.certificate.length === 0) this.state = 'met';
      return true;
    }
    if (this.patch(j)) return true;
    // Search afresh from the state with j open.
    this.apply(j);
    const old = this.certificate;
    for (const c of old) this.inCertificate[c] = 0;
    this.certificate = [];
    if (this.search()) {
      if (this.certificate.length === 0) this.state = 'met';
      return true;
    }
    this.undo(j);
    this.certificate = old;
    for (const c of old) this.inCertificate[c] = 1;
    return false;
  }

  /** Keeps the certificate with `j` open, dropping one of its sites in j's district if it may. */
  private patch(j: number): boolean {
    const { siteCost, budget, spacing } = this.problem;
    let drop = -1;
    if (this.short(j)) {
      // The certificate holds exactly the shortfall of j's district; j replaces one of them: one
      // too close to j if there is one, else the dearest.
      const d = this.label[j]!;
      let dropCost = Number.NEGATIVE_INFINITY;
      for (const c of this.certificate) {
        if (this.label[c] !== d) continue;
        const close = spacing !== null && this.near(j, c);
        const cost = close ? Number.POSITIVE_INFINITY : siteCost ? siteCost[c]! : 0;
        if (cost > dropCost) {
          dropCost = cost;
          drop = c;
        }
      }
    }
    const kept = drop >= 0 ? this.certificate.length - 1 : this.certificate.length;
    if (this.opened + 1 + kept > this.maxSites) return false;
    let cost = siteCost ? siteCost[j]! : 0;
    for (const c of this.certificate) {
      if (c === drop) continue;
      if (siteCost) cost += siteCost[c]!;
      if (spacing && this.near(j, c)) return false;
    }
    if (siteCost && cost > budget - this.spent) return false;
    if (drop >= 0) {
      this.inCertificate[drop] = 0;
      this.certificate = this.certificate.filter((c) => c !== drop);
    }
    this.apply(j);
    if (this.certificate.length === 0 && this.deficit() === 0) this.state = 'met';
    return true;
  }

  private near(a: number, b: number): boolean {
    const spacing = this.problem.spacing!;
    for (let q = spacing.start[a]!, e = spacing.start[a + 1]!; q < e; q++) {
      if (spacing.neighbour[q] === b) return true;
    }
    return false;
  }

  private apply(j: number): void {
    const { siteCost, spacing } = this.problem;
    this.open[j] = 1;
    this.opened++;
    if (siteCost) this.spent += siteCost[j]!;
    this.tally.add(j, 1);
    if (spacing) {
      for (let q = spacing.start[j]!, e = spacing.start[j + 1]!; q < e; q++)
        this.conflict[spacing.neighbour[q]!]!++;
    }
  }

  private undo(j: number): void {
    const { siteCost, spacing } = this.problem;
    this.open[j] = 0;
    this.opened--;
    if (siteCost) this.spent -= siteCost[j]!;
    this.tally.add(j, -1);
    if (spacing) {
      for (let q = spacing.start[j]!, e = spacing.start[j + 1]!; q < e; q++)
        this.conflict[spacing.neighbour[q]!]!--;
    }
  }

  /** Depth-first search for a certificate from the current state; fills `certificate` on success. */
  private search(): boolean {
    this.nodes = 0;
    this.cutOff = false;
    this.lastPick.fill(-1);
    const path: number[] = [];
    const found = this.branch(path);
    this.runNodes += this.nodes;
    if (!found) return false;
    // The path's sites are still applied: take them back out, they are the certificate.
    for (let s = path.length - 1; s >= 0; s--) this.undo(path[s]!);
    this.certificate = path;
    for (const c of path) this.inCertificate[c] = 1;
    return true;
  }

  private available(c: number, d: number): boolean {
    const { status, siteCost, budget } = this.problem;
    return (
      status[c] === ELIGIBLE &&
      this.open[c] === 0 &&
      this.conflict[c] === 0 &&
      c > this.lastPick[d]! &&
      (!siteCost || siteCost[c]! <= budget - this.spent)
    );
  }

  private branch(path: number[]): boolean {
    if (++this.nodes > SEARCH_NODES || this.runNodes + this.nodes > RUN_NODES) {
      this.cutOff = true;
      return false;
    }
    const { siteCost, budget } = this.problem;
    const nDistricts = this.tally.districts;
    let need = 0;
    let cheapest = 0;
    let pick = -1;
    let pickSlack = Number.POSITIVE_INFINITY;
    const costs: number[] = [];
    for (let d = 0; d < nDistricts; d++) {
      const short = this.tally.shortfall(d);
      if (short === 0) continue;
      need += short;
      let count = 0;
      costs.length = 0;
      for (let q = this.districtStart[d]!, e = this.districtStart[d + 1]!; q < e; q++) {
        const c = this.districtCol[q]!;
        if (!this.available(c, d)) continue;
        count++;
        if (siteCost) costs.push(siteCost[c]!);
      }
      if (count < short) return false;
      if (siteCost) {
        costs.sort((a, b) => a - b);
        for (let s = 0; s < short; s++) cheapest += costs[s]!;
      }
      if (count - short < pickSlack) {
        pickSlack = count - short;
        pick = d;
      }
    }
    if (need === 0) return true;
    if (this.opened + need > this.maxSites) return false;
    if (siteCost && cheapest > budget - this.spent) return false;

    const options: number[] = [];
    for (let q = this.districtStart[pick]!, e = this.districtStart[pick + 1]!; q < e; q++) {
      const c = this.districtCol[q]!;
      if (this.available(c, pick)) options.push(c);
    }
    if (siteCost) options.sort((a, b) => siteCost[a]! - siteCost[b]! || a - b);
    const last = this.lastPick[pick]!;
    for (const c of options) {
      this.apply(c);
      this.lastPick[pick] = c;
      path.push(c);
      if (this.branch(path)) return true;
      path.pop();
      this.undo(c);
      if (this.cutOff) break;
    }
    this.lastPick[pick] = last;
    return false;
  }
}
