import type { DemandPoints } from '../demand/index.js';
import type { DemandSpec } from '../standards/profile.js';
import type { CommunityRecord } from '../validate/features.js';

/** The demand of one group (all residents, households, children under 3, …) per community and point. */
export interface GroupDemand {
  /** Per community: the group's head count; NaN where the data does not give it. */
  readonly community: Float64Array;
  /**
   * Per community: 1 where the count is an estimate — a share of the residents the profile set
   * (`fallback_share`), or for shared denominators only, the known communities' mean ratio.
   */
  readonly estimated: Uint8Array;
  /** Per community: its count, estimated where unknown (what its demand points sum to). */
  readonly spread: Float64Array;
  /**
   * Per demand point: its community's count (estimated where unknown) spread like its residents, for
   * shared denominators such as a catchment's demand.
   */
  readonly point: Float64Array;
}

/** A property as a number ≥ 0, or NaN (absent, empty, negative, not numeric). */
export function numericProperty(properties: Readonly<Record<string, unknown>>, name: string): number {
  const value = properties[name];
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : Number.NaN;
}

/**
 * Demand of one group for every community and demand point, so that childcare demand counts
 * children rather than all residents. `population` is the residents on the demand points;
 * `households` and `{ property }` read the community's own figure, `{ share }` takes a share of the
 * residents. A missing figure is NaN in `community`; for `point` (catchment denominators, where those
 * residents still use the facilities) it is estimated from the known communities' ratio to residents.
 * Communities with `exists[c] === 0` (not built yet) have no demand.
 *
 * @example
 * const children = groupDemand(result.demand, records, { kind: 'property', property: 'children_0_3', fallback_share: null });
 * children.community[0]; // 21
 */
export function groupDemand(
  demand: DemandPoints,
  communities: readonly CommunityRecord[],
  spec: DemandSpec,
  exists?: ArrayLike<number>,
): GroupDemand {
  const n = demand.ownerCount;
  const residents = new Float64Array(n);
  for (let i = 0; i < demand.owner.length; i++) residents[demand.owner[i]!]! += demand.weight[i]!;
  const community = new Float64Array(n);
  const estimated = new Uint8Array(n);
  const gone = (c: number) => exists !== undefined && exists[c] === 0;
  for (let c = 0; c < n; c++) {
    if (gone(c)) continue;
    const record = communities[c];
    const people = residents[c]!;
    switch (spec.kind) {
      case 'population':
        community[c] = people;
        break;
      case 'share':
        community[c] = people * spec.share;
        break;
      case 'households':
        community[c] = record ? record.households : Number.NaN;
        break;
      case 'property': {
        const value = record ? numericProperty(record.properties, spec.property) : Number.NaN;
        if (Number.isNaN(value) && spec.fallback_share !== null) {
          community[c] = people * spec.fallback_share;
          estimated[c] = 1;
        } else {
          community[c] = value;
        }
      }
    }
  }
  // Mean ratio of the group to residents over the communities that give it.
  let known = 0;
  let knownPeople = 0;
  for (let c = 0; c < n; c++) {
    if (gone(c) || Number.isNaN(community[c]!)) continue;
    known += community[c]!;
    knownPeople += residents[c]!;
  }
  const ratio = knownPeople > 0 ? known / knownPeople : 0;
  const spread = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    if (gone(c)) continue;
    const value = community[c]!;
    if (Number.isNaN(value)) estimated[c] = 1;
    spread[c] = Number.isNaN(value) ? residents[c]! * ratio : value;
  }
  const point = new Float64Array(demand.owner.length);
  for (let i = 0; i < point.length; i++) {
    const c = demand.owner[i]!;
    const people = residents[c]!;
    point[i] = people > 0 ? (spread[c]! * demand.weight[i]!) / people : 0;
  }
  return { community, estimated, spread, point };
}
