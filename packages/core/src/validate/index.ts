export {
  type CommunityGeometry,
  type CommunityRecord,
  type DemandPointRecord,
  type FacilityRecord,
  type FacilityStatus,
  featureCollectionOf,
  positionProblem,
  type Validated,
  validateCommunities,
  validateDemandPoints,
  validateFacilities,
} from './features.js';
export { InputError, isRecord, type Rejection, type Warning, type WarningCode } from './problems.js';
