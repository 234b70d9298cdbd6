import type { FacilityStatus } from '../validate/features.js';

/**
 * The serving rule, as the data's statuses say now: an open facility serves; a planned or
 * under-construction one only when the run counts planned facilities (`includePlanned`); a closed
 * one never. Analysis, compliance (without a year), siting and the viewer all ask this one function;
 * compliance's year-by-year rule (`facilityServes`) builds on it.
 *
 * @example
 * servesAsGiven('planned', false); // false
 * servesAsGiven('planned', true); // true
 */
export function servesAsGiven(status: FacilityStatus, includePlanned: boolean): boolean {
  return status === 'open' || (includePlanned && (status === 'planned' || status === 'under_construction'));
}
