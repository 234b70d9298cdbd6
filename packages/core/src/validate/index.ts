export {
  type CommunityGeometry,
  type CommunityRecord,
  type DemandPointRecord,
  type FacilityRecord,
  type FacilityStatus,
  FIELD_RANGES,
  featureCollectionOf,
  positionProblem,
  type Validated,
  validateCommunities,
  validateDemandPoints,
  validateFacilities,
} from './features.js';
export {
  InputError,
  isRecord,
  OptionError,
  type Rejection,
  type Warning,
  type WarningCode,
} from './problems.js';
