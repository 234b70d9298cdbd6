import proj4 from 'proj4';
import {
  BD09,
  type ChineseDatum,
  type Crs,
  crsOfEpsg,
  DATUMS,
  type DatumShift,
  type GaussKrugerFamily,
  GCJ02,
  gaussKrugerCrs,
  gaussKrugerFamily,
  geographicCrs,
  isChineseZone,
  WEB_MERCATOR,
  WGS84,
  ZONE_RANGE,
  zoneOfCentralMeridian,
} from './definitions.js';

/** The forms a coordinate system may be given in, for help texts and error messages. */
export const ACCEPTED_CRS_FORMS: readonly string[] = [
  'wgs84 (EPSG:4326, CRS84)',
  'cgcs2000, xian1980, beijing1954 (longitude/latitude: EPSG:4490, 4610, 4214)',
  'cgcs2000-gk3-36 / -gk6-18 (Gauss-Krüger zone with its number in front of the easting)',
  'cgcs2000-gk3-cm108 / -gk6-cm105 (by central meridian, easting without zone number)',
  'cgcs2000-gk3 (zone read from the eastings), and the same for xian1980 and beijing1954',
  'gcj02 (AMap/Gaode, Tencent), bd09 (Baidu), web-mercator (EPSG:3857)',
  'EPSG:4523, urn:ogc:def:crs:EPSG::4549, http://www.opengis.net/def/crs/EPSG/0/4545',
  'EPSG names such as "CGCS2000 / 3-degree Gauss-Kruger zone 36" or CGCS2000_3_Degree_GK_CM_108E',
  'the WKT of a .prj file, or a proj string (+proj=…)',
];

/** A coordinate system that was given but cannot be used, with the text that was given. */
export class CrsError extends Error {
  /** The text that was given. */
  readonly given: string;
  constructor(given: string, reason: string) {
    super(reason);
    this.name = 'CrsError';
    this.given = given;
  }
}

const WGS84_NAMES = new Set([
  'wgs84',
  'wgs 84',
  'wgs-84',
  'wgs_84',
  'wgs_1984',
  'gcs_wgs_1984',
  'crs84',
  'ogc:crs84',
  'urn:ogc:def:crs:ogc:1.3:crs84',
  'urn:ogc:def:crs:ogc::crs84',
  'http://www.opengis.net/def/crs/ogc/1.3/crs84',
  'epsg:4326',
  '4326',
]);
const GCJ02_NAMES = new Set([
  'gcj02',
  'gcj-02',
  'gcj_02',
  'gcj',
  'amap',
  'gaode',
  'autonavi',
  'tencent',
  'mars',
]);
const BD09_NAMES = new Set(['bd09', 'bd-09', 'bd_09', 'bd09ll', 'baidu']);
const WEB_MERCATOR_NAMES = new Set(['web-mercator', 'webmercator', 'web mercator', 'pseudo-mercator']);
const CHINESE_WEB_NAMES: readonly [RegExp, Crs][] = [
  [/^(火星|高德|腾讯|国测局)(坐标)?(系)?$/, GCJ02],
  [/^百度(坐标)?(系)?$/, BD09],
];

// A national datum's longitude/latitude by name: cgcs2000, GCS_China_Geodetic_Coordinate_System_2000, 西安80.
const GEOGRAPHIC_NAME =
  /^(gcs[\s_]*)?(cgcs[\s_-]*2000|china[\s_]*(geodetic[\s_]*coordinate[\s_]*system[\s_]*)?2000|xi'?an[\s_-]*(19)?80|beijing[\s_-]*(19)?54)([\s_-]*(geographic|lonlat|latlon))?$|^(国家\s*2000|2000国家大地|西安\s*(19)?80|北京\s*(19)?54)(坐标系)?(经纬度)?$/;
const EPSG_CODE =
  /^(?:epsg:{1,2}|urn:ogc:def:crs:epsg:[\d.]*:|https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[\d.]+\/)?(\d{4,6})$/i;
const WKT_START =
  /^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS|BASEGEOGCRS|COMPD_CS|COMPOUNDCRS|BOUNDCRS)\s*\[/i;

function datumOfText(lowerText: string): ChineseDatum | null {
  const text = lowerText.replace(/_/g, ' ');
  if (/cgcs\s*2000|china\s*(geodetic\s*coordinate\s*system\s*)?2000|国家\s*2000|2000国家/.test(text)) {
    return 'cgcs2000';
  }
  if (/xi'?an\s*(19)?80|西安\s*(19)?80/.test(text)) return 'xian1980';
  if (/beijing\s*(19)?54|北京\s*(19)?54/.test(text)) return 'beijing1954';
  return null;
}

/**
 * Gauss-Krüger systems written as short forms (`cgcs2000-gk3-35`, `cgcs2000-gk3-cm108`, `cgcs2000-gk3`)
 * or as EPSG/ESRI names (`CGCS2000 / 3-degree Gauss-Kruger zone 35`, `CGCS2000_3_Degree_GK_CM_108E`).
 */
function gaussKrugerOfText(given: string, lowerText: string): Crs | GaussKrugerFamily | null {
  // ESRI names join words with underscores, which \b does not separate.
  const text = lowerText.replace(/_/g, ' ');
  const datum = datumOfText(text);
  if (!datum) return null;
  const short = /^[a-z0-9\s'-]*?[-_\s]gk\s*(3|6)(?:[-_\s]+(?:(\d+)|cm\s*(\d+)\s*e?))?$/.exec(text);
  const named = /(gauss[\s_-]*kr[uü]ger|\bgk\b|高斯)/.test(text);
  if (!short && !named) return null;
  let width: 3 | 6;
  let zone: number | null = null;
  let centralMeridian: number | null = null;
  if (short) {
    width = short[1] === '3' ? 3 : 6;
    if (short[2] !== undefined) zone = Number(short[2]);
    if (short[3] !== undefined) centralMeridian = Number(short[3]);
  } else {
    // EPSG names say "3-degree" for 3° zones and nothing for 6° zones.
    width = /\b3[\s_-]*degree|3\s*度|3°/.test(text) ? 3 : 6;
    const zoneMatch = /zone[\s_-]*(\d+)|(\d+)\s*带/.exec(text);
    const cmMatch = /\bcm[\s_-]*(\d+)\s*e?\b|中央子午线\s*(\d+)/.exec(text);
    if (zoneMatch) zone = Number(zoneMatch[1] ?? zoneMatch[2]);
    else if (cmMatch) centralMeridian = Number(cmMatch[1] ?? cmMatch[2]);
  }
  if (zone === null && centralMeridian === null) return gaussKrugerFamily(datum, width);
  if (centralMeridian !== null) {
    const fromCm = zoneOfCentralMeridian(width, centralMeridian);
    if (fromCm === null || !isChineseZone(width, fromCm)) {
      throw new CrsError(
        given,
        `${centralMeridian}°E is not the central meridian of a ${width}-degree Gauss-Krüger zone in China (${width === 3 ? '75, 78, … 135' : '75, 81, … 135'}).`,
      );
    }
    return gaussKrugerCrs(datum, width, fromCm, false);
  }
  if (!isChineseZone(width, zone!)) {
    const [low, high] = ZONE_RANGE[width];
    throw new CrsError(
      given,
      `zone ${zone} is not a ${width}-degree Gauss-Krüger zone in China (${low}–${high}); 3-degree zones are 25–45 and 6-degree zones 13–23.`,
    );
  }
  return gaussKrugerCrs(datum, width, zone!, true);
}

/** The fields of a proj4 projection object that identify a Gauss-Krüger zone. */
interface ProjParameters {
  projName?: string;
  name?: string;
  title?: string;
  a?: number;
  rf?: number;
  b?: number;
  k0?: number;
  x0?: number;
  y0?: number;
  lat0?: number;
  long0?: number;
  to_meter?: number;
  units?: string;
  datum?: { datum_type?: number };
  datumCode?: string;
  srsCode?: string;
}

function projParameters(text: string): ProjParameters {
  try {
    return new proj4.Proj(text) as unknown as ProjParameters;
  } catch (error) {
    throw new CrsError(
      text,
      `cannot be read as WKT or a proj string${error instanceof Error ? ` (${error.message})` : ''}.`,
    );
  }
}

function ellipsoidDatum(p: ProjParameters): ChineseDatum | 'wgs84' | null {
  const a = p.a ?? Number.NaN;
  const rf = p.rf ?? (p.b !== undefined ? a / (a - p.b) : Number.NaN);
  const near = (x: number, y: number, tolerance: number) => Math.abs(x - y) <= tolerance;
  if (near(a, 6378137, 0.5) && near(rf, 298.257223563, 1e-7)) return 'wgs84';
  for (const datum of ['cgcs2000', 'xian1980', 'beijing1954'] as const) {
    const e = DATUMS[datum].ellipsoid;
    if (near(a, e.a, 0.5) && near(rf, e.rf, 1e-4)) return datum;
  }
  return null;
}

const DEGREE = 180 / Math.PI;

/** Maps a WKT or proj string of a Gauss-Krüger zone or a national geographic system to lifecircle's own. */
function knownOfParameters(text: string, p: ProjParameters): Crs | null {
  const datum = ellipsoidDatum(p);
  if (datum === null) return null;
  const projName = (p.projName ?? '').toLowerCase();
  if (projName === 'longlat' || projName === 'latlong' || projName === 'lonlat') {
    return datum === 'wgs84' ? WGS84 : geographicCrs(datum);
  }
  if (datum === 'wgs84' || !/transverse|tmerc|gauss/.test(projName)) return null;
  const metres = (p.to_meter ?? 1) === 1;
  if (!metres || (p.k0 ?? 1) !== 1 || (p.y0 ?? 0) !== 0 || Math.abs(p.lat0 ?? 0) > 1e-12) return null;
  const centralMeridian = Math.round((p.long0 ?? 0) * DEGREE * 1e6) / 1e6;
  const falseEasting = p.x0 ?? 0;
  const lower = `${p.title ?? ''} ${p.name ?? ''} ${text.slice(0, 200)}`.toLowerCase();
  if (falseEasting === 500_000) {
    // Same projection whether called a 3° or a 6° zone; the name decides which EPSG code it is.
    const says3 = /\b3[\s_-]*degree|3度/.test(lower);
    const zone6 = zoneOfCentralMeridian(6, centralMeridian);
    const width: 3 | 6 = !says3 && zone6 !== null && isChineseZone(6, zone6) ? 6 : 3;
    const zone = zoneOfCentralMeridian(width, centralMeridian);
    return zone !== null && isChineseZone(width, zone) ? gaussKrugerCrs(datum, width, zone, false) : null;
  }
  const prefix = (falseEasting - 500_000) / 1_000_000;
  for (const width of [3, 6] as const) {
    if (isChineseZone(width, prefix) && zoneOfCentralMeridian(width, centralMeridian) === prefix) {
      return gaussKrugerCrs(datum, width, prefix, true);
    }
  }
  return null;
}

function shiftOfParameters(p: ProjParameters): DatumShift {
  const type = p.datum?.datum_type;
  // proj4 datum types: 1 and 2 three- and seven-parameter shifts, 4 WGS84, 5 none given.
  if (type === 4) return 'exact';
  if (type === 1 || type === 2) return 'approximate';
  return ellipsoidDatum(p) === 'wgs84' || ellipsoidDatum(p) === 'cgcs2000' ? 'exact' : 'not-applied';
}

/** Any other system proj4 can read: kept as its own definition. */
function genericCrs(text: string, p: ProjParameters, epsg: number | null): Crs {
  const projName = (p.projName ?? '').toLowerCase();
  const geographic = projName === 'longlat' || projName === 'latlong' || projName === 'lonlat';
  const isWkt = WKT_START.test(text);
  // For WKT, srsCode is the name in PROJCS["…"]; `name` would be the projection method's.
  const name =
    (isWkt ? p.srsCode : undefined) ?? p.title ?? (epsg === null ? text.trim().slice(0, 60) : `EPSG:${epsg}`);
  return {
    id: epsg !== null ? `EPSG:${epsg}` : isWkt ? `wkt:${name}` : `proj:${text.trim()}`,
    name,
    kind: geographic ? 'geographic' : 'projected',
    epsg,
    datum: ellipsoidDatum(p) === 'wgs84' ? 'wgs84' : 'other',
    datumShift: shiftOfParameters(p),
    proj4: text,
    gaussKruger: null,
    wkt: isWkt ? text.trim() : null,
  };
}

/**
 * Reads a coordinate system from any of the forms in {@link ACCEPTED_CRS_FORMS}. A Gauss-Krüger
 * zone given in WKT (a shapefile's .prj) or by name is mapped to lifecircle's own definition by its
 * central meridian and false easting, so it prints and converts the same however it was written.
 * A family without a zone (`cgcs2000-gk3`) is returned as a {@link GaussKrugerFamily}, to be completed
 * from the data (as `inputToWgs84` does).
 *
 * @throws {CrsError} for an unknown or malformed system; its message says what is wrong.
 * @example
 * parseCrs('EPSG:4545').name;           // 'CGCS2000 / 3-degree Gauss-Kruger CM 108E'
 * parseCrs('cgcs2000-gk3-36').id;       // 'EPSG:4524'
 * (parseCrs('urn:ogc:def:crs:EPSG::4549') as Crs).gaussKruger?.centralMeridian; // 120
 */
export function parseCrs(text: string): Crs | GaussKrugerFamily {
  const given = text;
  const trimmed = text.trim();
  if (trimmed === '') throw new CrsError(given, 'is empty.');
  if (WKT_START.test(trimmed) || trimmed.startsWith('+')) {
    const p = projParameters(trimmed);
    return knownOfParameters(trimmed, p) ?? genericCrs(trimmed, p, null);
  }
  const lower = trimmed.toLowerCase();
  if (WGS84_NAMES.has(lower)) return WGS84;
  if (GCJ02_NAMES.has(lower)) return GCJ02;
  if (BD09_NAMES.has(lower)) return BD09;
  if (WEB_MERCATOR_NAMES.has(lower)) return WEB_MERCATOR;
  for (const [pattern, crs] of CHINESE_WEB_NAMES) if (pattern.test(trimmed)) return crs;
  const code = EPSG_CODE.exec(lower);
  if (code) {
    const epsg = Number(code[1]);
    const known = crsOfEpsg(epsg);
    if (known) return known;
    const definition = proj4.defs(`EPSG:${epsg}`);
    if (definition) return genericCrs(`EPSG:${epsg}`, projParameters(`EPSG:${epsg}`), epsg);
    throw new CrsError(
      given,
      `EPSG:${epsg} is not a coordinate system lifecircle knows. It knows WGS84 (4326), Web Mercator (3857), UTM (326xx/327xx), and the longitude/latitude and Gauss-Krüger codes of CGCS2000 (4490, 4491–4554), Xian 1980 (4610, 2327–2390) and Beijing 1954 (4214, 2401–2442, 21413–21463); give other systems as the WKT of their .prj file.`,
    );
  }
  if (lower === 'bd09mc' || lower === 'bd09-mercator') {
    throw new CrsError(
      given,
      "is Baidu's Mercator metres, which lifecircle does not read; export Baidu longitude/latitude (bd09ll) and give bd09.",
    );
  }
  const gk = gaussKrugerOfText(given, lower);
  if (gk) return gk;
  const datum = datumOfText(lower);
  if (datum && GEOGRAPHIC_NAME.test(lower)) return geographicCrs(datum);
  throw new CrsError(given, 'is not a coordinate system lifecircle knows.');
}

/**
 * Completes a Gauss-Krüger family from the zone number in front of the eastings (36 for
 * 36 512 345.6 m). Returns a full system unchanged.
 *
 * @param eastings a sample of the data's x coordinates
 * @throws {CrsError} when the eastings carry no zone number, or several.
 */
export function completeCrs(crs: Crs | GaussKrugerFamily, eastings: readonly number[]): Crs {
  if (crs.kind !== 'gauss-kruger-family') return crs;
  const zones = new Map<number, number>();
  for (const x of eastings) {
    if (!Number.isFinite(x)) continue;
    const zone = Math.floor(x / 1_000_000);
    zones.set(zone, (zones.get(zone) ?? 0) + 1);
  }
  const ranked = [...zones.entries()].sort((a, b) => b[1] - a[1]);
  const [low, high] = ZONE_RANGE[crs.width];
  const valid = ranked.filter(([zone]) => zone >= low && zone <= high);
  if (valid.length === 0) {
    const seen = ranked
      .slice(0, 3)
      .map(([zone]) => `${zone * 1_000_000}–${zone * 1_000_000 + 999_999}`)
      .join(', ');
    throw new CrsError(
      crs.id,
      `the zone cannot be read from the eastings (${seen || 'none'}): ${crs.width}-degree eastings with a zone number lie between ${low} 000 000 and ${high} 999 999. Give the zone (${crs.id}-${low + Math.floor((high - low) / 2)}) or, for eastings without it, the central meridian (${crs.id}-cm${crs.width === 3 ? 108 : 105}).`,
    );
  }
  if (valid.length > 1) {
    throw new CrsError(
      crs.id,
      `the eastings carry several zone numbers (${valid.map(([zone, n]) => `${zone}: ${n} positions`).join(', ')}); give one zone per file.`,
    );
  }
  return gaussKrugerCrs(crs.datum, crs.width, valid[0]![0], true);
}
