/**
 * Reads bureau data into GeoJSON for lifecircle: GeoJSON, GeoJSON lines, CSV/TSV, XLSX, shapefiles,
 * FlatGeobuf and GeoPackage, in UTF-8 or GBK, with coordinate systems (CGCS2000, GCJ-02, BD-09 …).
 * Runs in Node and in the browser.
 *
 * @packageDocumentation
 * @module @lifecircle/io
 */
export {
  ACCEPTED_CRS_FORMS,
  BD09,
  bd09ToGcj02,
  bd09ToWgs84,
  type ChineseDatum,
  type Crs,
  type CrsDeclaration,
  CrsError,
  centralMeridianOf,
  completeCrs,
  crsMember,
  crsOfEpsg,
  type DatumName,
  type DatumShift,
  fromWgs84Transform,
  type GaussKrugerFamily,
  type GaussKrugerZone,
  GCJ02,
  gaussKrugerCrs,
  gcj02ToBd09,
  gcj02ToWgs84,
  geographicCrs,
  type InputCrsOptions,
  type InputCrsRecord,
  type InputInWgs84,
  inputToWgs84,
  isOutsideChina,
  type LngLat,
  type PositionTransform,
  parseCrs,
  type Reprojected,
  reprojectFeatureCollection,
  suggestProjected,
  toWgs84Transform,
  transformBetween,
  WEB_MERCATOR,
  WGS84,
  wgs84ToBd09,
  wgs84ToGcj02,
  zoneOfLongitude,
} from './crs/index.js';
export { readFlatGeobuf } from './flatgeobuf/flatgeobuf.js';
export { readGeoPackage } from './geopackage/geopackage.js';
export {
  readGeoPackageGeometry,
  readWkb,
  writeGeoPackageGeometry,
  writeWkb,
} from './geopackage/wkb.js';
export {
  type JoinTable,
  joinPopulation,
  type PopulationJoined,
  type PopulationJoinOptions,
  type PopulationJoinRecord,
} from './join/index.js';
export { geoJsonCrs, parseJson, readGeoJson, readGeoJsonSeq } from './json/geojson.js';
export {
  DEFAULT_LIMITS,
  LimitError,
  type ReadLimits,
} from './limits.js';
export {
  describeContent,
  isOsmFacility,
  isOsmPbf,
  OSM_FACILITY_KEYS,
  OSM_ROAD_TAGS,
  OSM_WALKABLE_HIGHWAYS,
  type OsmBBox,
  type OsmFormat,
  type OsmLayer,
  type OsmMember,
  OsmPbfWriter,
  type OsmPbfWriterOptions,
  type OsmRead,
  type OsmReadOptions,
  type OsmReadSummary,
  type OsmSource,
  type OsmTags,
  type OsmWriteInput,
  osmFormatOf,
  osmWayExclusion,
  readOsm,
  writeOsmPbf,
  xmlRootElement,
} from './osm/index.js';
export {
  formatBox,
  type GeoTiffReadOptions,
  type RasterGrid,
  readGeoTiff,
  type Wgs84Box,
} from './raster/index.js';
export { locateProblems } from './read/locate.js';
export { detectFormat, readFeatures, readTable } from './read/read.js';
export type {
  Bytes,
  Cell,
  DeclaredCrs,
  FeatureOrigins,
  FeatureRead,
  InputFormat,
  ReadOptions,
  SqlJsLike,
  TableRead,
} from './read/types.js';
export {
  checkShp,
  readShapefileParts,
  readShapefileZip,
  type ShapefileParts,
} from './shapefile/shapefile.js';
export { detectDelimiter, parseDelimited, type RawTable } from './table/delimited.js';
export { coordinateColumns, tableToFeatures } from './table/points.js';
export { columnNames, tableFromCells } from './table/table.js';
export { readWorksheet, type Worksheet } from './table/xlsx.js';
export { type DecodedText, decodeText, isUtf8, type TextDecoding, textDecoder } from './text/encoding.js';
export {
  type GeoPackageOptions,
  type GeoPackageWritten,
  type ShapefileOptions,
  type ShapefileWritten,
  shapefileZip,
  writeGeoPackage,
} from './write/index.js';
