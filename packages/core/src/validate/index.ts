export {
  type CommunityGeometry,
  type CommunityRecord,
  type DemandPointRecord,
  type FacilityRecord,
  type FacilityStatus,
  type FacilityValidationOptions,
  FIELD_RANGES,
  featureCollectionOf,
  positionProblem,
  type Validated,
  type ValidatedFacilities,
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
