/**
 * Reads bureau data into GeoJSON for lifecircle: GeoJSON, GeoJSON lines, CSV/TSV, XLSX, shapefiles,
 * FlatGeobuf and GeoPackage, in UTF-8 or GBK, with coordinate systems (CGCS2000, GCJ-02, BD-09 …).
 * Runs in Node and in the browser.
 *
 * The front door is {@link readInput}: one file in, GeoJSON in WGS84 out, with what was rejected,
 * warned about, which columns and which coordinate system were used. The rest is for programs that
 * need one step of it: the lower-level reader, the coordinate systems, the population join and the
 * writers. Each format's own reader stays inside the package.
 *
 * @packageDocumentation
 * @module @lifecircle/io
 */

export { bd09ToWgs84, gcj02ToWgs84, type LngLat, wgs84ToBd09, wgs84ToGcj02 } from './crs/chinese-web.js';
export {
  BD09,
  type ChineseDatum,
  type Crs,
  crsOfEpsg,
  type DatumName,
  type DatumShift,
  type GaussKrugerFamily,
  type GaussKrugerZone,
  GCJ02,
  gaussKrugerCrs,
  WEB_MERCATOR,
  WGS84,
} from './crs/definitions.js';
export {
  type CrsDeclaration,
  type InputCrsOptions,
  type InputCrsRecord,
  type InputInWgs84,
  inputToWgs84,
} from './crs/input.js';
export {
  layerPositions,
  OFFSET_HYPOTHESIS_LABELS,
  OFFSET_TEST_RULE,
  type OffsetHypothesis,
  OffsetReference,
  type OffsetTestOptions,
  type OffsetTestResult,
  offsetTest,
} from './crs/offset-test.js';
// Coordinate systems.
export { ACCEPTED_CRS_FORMS, CrsError, parseCrs } from './crs/parse.js';
export {
  crsMember,
  type GeometryReprojection,
  geometryReprojection,
  type PositionTransform,
  type Reprojected,
  reprojectFeatureCollection,
  transformBetween,
} from './crs/reproject.js';
// Demand points of GeoJSON lines streamed into typed columns (a province's grid).
export { FlatGeobufDemandReader } from './flatgeobuf/demand.js';
export { FlatGeobufFeatureStream } from './flatgeobuf/stream.js';
export { readGeoPackage } from './geopackage/geopackage.js';
// Population from a table.
export {
  type JoinTable,
  joinPopulation,
  type PopulationJoined,
  type PopulationJoinOptions,
  type PopulationJoinRecord,
} from './join/population.js';
export { DemandLinesReader } from './json/demand-lines.js';
// Reading without columns or coordinate systems, and pointing later problems at rows.
export { geoJsonCrs, parseJson } from './json/geojson.js';
// The record separator of a GeoJSON text sequence (RFC 8142), skipped by every reader of lines.
export { recordStart } from './json/text-sequence.js';
// Bounds on what reading a file may cost.
export {
  DEFAULT_LIMITS,
  formatAmount,
  LimitError,
  type ReadLimits,
} from './limits.js';
// OpenStreetMap extracts (.osm, .osm.pbf) as walking networks or facilities.
export {
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
  osmWayExclusion,
  readOsm,
  writeOsmPbf,
} from './osm/index.js';
export {
  type ByteRangeSource,
  type GeoTiffReadOptions,
  type RasterGrid,
  readGeoTiff,
  type Wgs84Box,
} from './raster/geotiff.js';
export {
  featuresBox,
  guessRasterRole,
  type PopulationRaster,
  type RasterRoleGuess,
  readPopulationRaster,
} from './raster/population.js';
// The front door.
export {
  COLUMN_ROLES,
  type ColumnOption,
  type ColumnOptions,
  type ColumnRole,
  type ColumnUse,
  type GeneratedIds,
  type InputKind,
} from './read/columns.js';
export {
  hintOf,
  type OptionHint,
  type OptionWording,
  ReadOptionError,
  type ReadWarning,
} from './read/hints.js';
export {
  convertInput,
  type InputAsRead,
  type InputOptions,
  type InputRead,
  readInput,
} from './read/input.js';
export { locateProblems } from './read/locate.js';
export { detectFormat, listLayers, readFeatures, readTable } from './read/read.js';
export { readTypeMap, TYPE_MAP_CATEGORY_COLUMNS, TYPE_MAP_TYPE_COLUMNS } from './read/type-map.js';
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
export { type CoordinateColumns, coordinateColumns, type PositionColumnUse } from './table/points.js';
export { type DecodedText, decodeText, textDecoder } from './text/encoding.js';

// Writers.
export {
  type GeoPackageOptions,
  type GeoPackageWritten,
  type ShapefileOptions,
  type ShapefileWritten,
  shapefileZip,
  writeGeoPackage,
} from './write/index.js';
