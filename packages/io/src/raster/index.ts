export {
  formatBox,
  type GeoTiffReadOptions,
  type RasterGrid,
  readGeoTiff,
  type Wgs84Box,
} from './geotiff.js';
