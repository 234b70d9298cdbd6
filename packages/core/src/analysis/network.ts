// What a walking-network run rests on, for summary.json: the network's pieces, how points were
// snapped, who the network reaches, and the facilities it cannot count (beyond its edge, off road).

import type { DemandPoints } from '../demand/index.js';
import type { NetworkFacts, SnapCost, TargetFacts } from '../distance/types.js';
import { type NetworkPiece, snapToText } from '../network/pieces.js';
import { roundPeople, roundShare } from '../report/round.js';

/** Pieces listed one by one in summary.json: the largest few. */
export const PIECES_LISTED = 5;

/** summary.json's `network` member: present on a walking-network run. */
export interface NetworkSummary {
  /** The `snapTo` rule in the CLI's words: `largest`, `all` or `min-share=S`. */
  readonly snap_to: string;
  readonly snap_cost: SnapCost;
  readonly max_snap_m: number;
  readonly pieces: {
    /** Pieces (connected components) of the walkable network. */
    readonly count: number;
    /** Pieces points may snap onto under `snap_to`. */
    readonly snap_allowed: number;
    /** The largest `PIECES_LISTED` pieces by street length, largest first. */
    readonly largest: readonly NetworkPiece[];
  };
  /** Residents on demand points snapped onto the network: the residents it reaches. */
  readonly population_reached: number;
  /** Residents on demand points left unsnapped: `population_reached + population_outside = population`. */
  readonly population_outside: number;
  /** Of `population_outside`, those beyond the network's extent (the network stops before them). */
  readonly population_beyond_extent: number;
  /** Communities with residents snapped onto a piece other than the largest (see their `network_note`). */
  readonly small_piece_communities: number;
  /** Serving facilities, of the analysed types, beyond the network's extent. */
  readonly facilities_beyond_extent: number;
  /** Serving facilities inside the extent but farther than `max_snap_m` from every road they may snap onto. */
  readonly facilities_off_road: number;
  /** Serving facilities on a piece of network no demand point is on. */
  readonly facilities_stranded: number;
}

/** Who a walking network reaches: per-owner reached weight, and the summary.json member. */
export interface NetworkReach {
  readonly summary: NetworkSummary;
  /** Residents per community on snapped demand points. */
  readonly reachedPopulation: Float64Array;
  /** Per community: the note when part of its demand snapped onto a piece other than the largest. */
  readonly notes: readonly (string | undefined)[];
}

/**
 * The network member of summary.json and the per-community reach, from a network source's facts,
 * the demand points and the target facts of every analysed type's serving facilities.
 */
export function networkReach(
  facts: NetworkFacts,
  demand: DemandPoints,
  targetFacts: readonly TargetFacts[],
): NetworkReach {
  const { pieceLength, allowedPiece, largestPiece, originPiece, originBeyondExtent } = facts;
  const pieces = pieceLength.length;
  const pieceDemand = new Float64Array(pieces);
  const reachedPopulation = new Float64Array(demand.ownerCount);
  // Per community, the share of its residents on each small piece, as the largest such piece's share.
  const smallPiece = new Int32Array(demand.ownerCount).fill(-1);
  let total = 0;
  let outside = 0;
  let beyond = 0;
  for (let i = 0; i < demand.owner.length; i++) {
    const w = demand.weight[i]!;
    total += w;
    const piece = originPiece[i]!;
    if (piece < 0) {
      outside += w;
      if (originBeyondExtent[i]) beyond += w;
      continue;
    }
    pieceDemand[piece]! += w;
    reachedPopulation[demand.owner[i]!]! += w;
    if (piece !== largestPiece) {
      const o = demand.owner[i]!;
      if (smallPiece[o]! < 0 || pieceLength[piece]! > pieceLength[smallPiece[o]!]!) smallPiece[o] = piece;
    }
  }
  let networkLength = 0;
  for (const l of pieceLength) networkLength += l;
  const order = Array.from(pieceLength.keys()).sort((a, b) => pieceLength[b]! - pieceLength[a]! || a - b);
  const pieceOf = (c: number): NetworkPiece => ({
    length_m: roundPeople(pieceLength[c]!),
    length_share: roundShare(networkLength > 0 ? pieceLength[c]! / networkLength : 0),
    demand_share: roundShare(total > 0 ? pieceDemand[c]! / total : 0),
    snap_allowed: allowedPiece[c] === 1,
  });
  const notes = Array.from(smallPiece, (piece) =>
    piece < 0
      ? undefined
      : `demand snapped onto a piece of road network holding ${percentText(pieceLength[piece]! / networkLength)} of the street length, not joined to the rest: it reaches only what lies on that piece`,
  );
  const population = roundPeople(total);
  const populationOutside = roundPeople(outside);
  const count = (pick: (t: TargetFacts) => readonly number[]) =>
    targetFacts.reduce((n, t) => n + pick(t).length, 0);
  return {
    reachedPopulation,
    notes,
    summary: {
      snap_to: snapToText(facts.snapTo),
      snap_cost: facts.snapCost,
      max_snap_m: facts.maxSnapM,
      pieces: {
        count: pieces,
        snap_allowed: allowedPiece.reduce((n, a) => n + a, 0),
        largest: order.slice(0, PIECES_LISTED).map(pieceOf),
      },
      // Rounded so that the two add up to the rounded population exactly.
      population_reached: roundPeople(population - populationOutside),
      population_outside: populationOutside,
      population_beyond_extent: roundPeople(beyond),
      small_piece_communities: notes.filter((n) => n !== undefined).length,
      facilities_beyond_extent: count((t) => t.beyondExtent),
      facilities_off_road: count((t) => t.offRoad),
      facilities_stranded: count((t) => t.stranded),
    },
  };
}

/** A share as a percentage with one decimal, or two below 1 % (`0.35 %`). */
function percentText(share: number): string {
  const p = share * 100;
  return `${p < 1 ? p.toFixed(2) : p.toFixed(1)} %`;
}
