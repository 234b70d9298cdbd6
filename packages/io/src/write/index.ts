export { type GeoPackageOptions, type GeoPackageWritten, writeGeoPackage } from './geopackage.js';
export { type ShapefileOptions, type ShapefileWritten, shapefileZip } from './shapefile.js';
