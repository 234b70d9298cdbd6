export { OsmPbfWriter, type OsmPbfWriterOptions, type OsmWriteInput, writeOsmPbf } from './encode.js';
export { isOsmPbf } from './pbf.js';
export { describeContent, type OsmFormat, type OsmRead, osmFormatOf, readOsm } from './read.js';
export {
  isOsmFacility,
  OSM_FACILITY_KEYS,
  OSM_ROAD_TAGS,
  OSM_WALKABLE_HIGHWAYS,
  osmWayExclusion,
} from './tags.js';
export type {
  OsmBBox,
  OsmLayer,
  OsmMember,
  OsmReadOptions,
  OsmReadSummary,
  OsmSource,
  OsmTags,
} from './types.js';
export { xmlRootElement } from './xml.js';
