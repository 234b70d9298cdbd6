export {
  bd09ToGcj02,
  bd09ToWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  isOutsideChina,
  type LngLat,
  wgs84ToBd09,
  wgs84ToGcj02,
} from './chinese-web.js';
export {
  BD09,
  type ChineseDatum,
  type Crs,
  centralMeridianOf,
  crsOfEpsg,
  type DatumName,
  type DatumShift,
  type GaussKrugerFamily,
  type GaussKrugerZone,
  GCJ02,
  gaussKrugerCrs,
  geographicCrs,
  WEB_MERCATOR,
  WGS84,
  zoneOfLongitude,
} from './definitions.js';
export {
  type CrsDeclaration,
  type InputCrsOptions,
  type InputCrsRecord,
  type InputInWgs84,
  inputToWgs84,
  suggestProjected,
} from './input.js';
export {
  layerPositions,
  OFFSET_HYPOTHESIS_LABELS,
  OFFSET_TEST_RULE,
  type OffsetHypothesis,
  OffsetReference,
  type OffsetTestOptions,
  type OffsetTestResult,
  offsetTest,
} from './offset-test.js';
export { ACCEPTED_CRS_FORMS, CrsError, completeCrs, parseCrs } from './parse.js';
export {
  crsMember,
  fromWgs84Transform,
  type GeometryReprojection,
  geometryReprojection,
  type PositionTransform,
  type Reprojected,
  reprojectFeatureCollection,
  toWgs84Transform,
  transformBetween,
} from './reproject.js';
