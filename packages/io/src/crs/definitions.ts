/**
 * The coordinate systems Chinese planning data comes in, generated from their parameters: the three
 * national datums (CGCS2000, Xian 1980, Beijing 1954), their Gauss-Krüger zones of 3° and 6° with and
 * without the zone number in front of the easting, WGS84, Web Mercator, and the offset coordinates of
 * Chinese web maps (GCJ-02, BD-09), which no proj string can describe.
 */

/** A national geodetic datum whose Gauss-Krüger zones lifecircle knows. */
export type ChineseDatum = 'cgcs2000' | 'xian1980' | 'beijing1954';

/** The datum of a coordinate system: a national one, WGS84, or one only proj4 knows. */
export type DatumName = ChineseDatum | 'wgs84' | 'other';

/**
 * How the conversion to WGS84 is known. `exact`: the datums agree to centimetres (WGS84, CGCS2000).
 * `approximate`: a published shift for part of the country (Beijing 1954). `not-applied`: no published
 * shift (Xian 1980), so the coordinates are taken as if on WGS84. `algorithm`: the GCJ-02/BD-09 offset.
 */
export type DatumShift = 'exact' | 'approximate' | 'not-applied' | 'algorithm';

/** A Gauss-Krüger zone: transverse Mercator, scale 1 on the central meridian, false northing 0. */
export interface GaussKrugerZone {
  readonly datum: ChineseDatum;
  /** Zone width in degrees of longitude. */
  readonly width: 3 | 6;
  /** Zone number: 25–45 for 3° zones (central meridian 3·n), 13–23 for 6° zones (6·n − 3). */
  readonly zone: number;
  /** Central meridian in degrees east. */
  readonly centralMeridian: number;
  /** Whether the zone number stands in front of the easting (false easting n·10⁶ + 500 000). */
  readonly prefixed: boolean;
  /** False easting in metres. */
  readonly falseEasting: number;
}

/** A coordinate system lifecircle can convert from and to. */
export interface Crs {
  /** Canonical name: `EPSG:4524`, `gcj02`, `bd09`, or `wkt:NAME` / `proj:STRING` for others. */
  readonly id: string;
  /** Readable name, e.g. `CGCS2000 / 3-degree Gauss-Kruger zone 36`. */
  readonly name: string;
  /** `geographic` (degrees), `projected` (metres), or `web-map` (GCJ-02 and BD-09 degrees). */
  readonly kind: 'geographic' | 'projected' | 'web-map';
  readonly epsg: number | null;
  readonly datum: DatumName;
  readonly datumShift: DatumShift;
  /** proj4 definition (a proj string or WKT); null for GCJ-02 and BD-09. */
  readonly proj4: string | null;
  /** The zone, for Gauss-Krüger systems. */
  readonly gaussKruger: GaussKrugerZone | null;
  /** OGC WKT 1 for a shapefile's .prj; null where none is standard (GCJ-02, BD-09). */
  readonly wkt: string | null;
}

/**
 * A Gauss-Krüger family whose zone is not given (`cgcs2000-gk3`): the zone is read from the zone
 * number in front of the eastings (as `inputToWgs84` does).
 */
export interface GaussKrugerFamily {
  readonly id: string;
  readonly name: string;
  readonly kind: 'gauss-kruger-family';
  readonly datum: ChineseDatum;
  readonly width: 3 | 6;
}

interface DatumParameters {
  readonly label: string;
  readonly epsgGeographic: number;
  readonly geographicName: string;
  /** proj string ellipsoid and shift to WGS84. */
  readonly proj: string;
  readonly shift: DatumShift;
  /** WKT 1 GEOGCS. */
  readonly wktGeogcs: string;
  /** First EPSG code of: 6° with prefix (zone 13), 6° by CM (75°E), 3° with prefix (zone 25), 3° by CM (75°E). */
  readonly epsgBase: {
    readonly gk6Prefixed: number;
    readonly gk6: number;
    readonly gk3Prefixed: number;
    readonly gk3: number;
  };
  readonly ellipsoid: { readonly a: number; readonly rf: number };
}

const DEGREE_UNIT = 'UNIT["degree",0.0174532925199433]';

/**
 * Datum parameters. EPSG ranges: CGCS2000 4491–4554, Xian 1980 2327–2390, Beijing 1954 2401–2442 (3°)
 * and 21413–21463 (6°). Beijing 1954 takes the geocentric translation of EPSG transformation 15921
 * (Beijing 1954 to WGS 84 (4), as in PROJ's former default for EPSG:4214): EPSG publishes only regional
 * shifts for it. Xian 1980 has none in EPSG, so none is applied.
 */
export const DATUMS: Readonly<Record<ChineseDatum, DatumParameters>> = {
  cgcs2000: {
    label: 'CGCS2000',
    epsgGeographic: 4490,
    geographicName: 'China Geodetic Coordinate System 2000',
    proj: '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0',
    shift: 'exact',
    wktGeogcs: `GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],${DEGREE_UNIT}]`,
    epsgBase: { gk6Prefixed: 4491, gk6: 4502, gk3Prefixed: 4513, gk3: 4534 },
    ellipsoid: { a: 6378137, rf: 298.257222101 },
  },
  xian1980: {
    label: 'Xian 1980',
    epsgGeographic: 4610,
    geographicName: 'Xian 1980',
    proj: '+a=6378140 +rf=298.257',
    shift: 'not-applied',
    wktGeogcs: `GEOGCS["Xian 1980",DATUM["Xian_1980",SPHEROID["IAG 1975",6378140,298.257]],PRIMEM["Greenwich",0],${DEGREE_UNIT}]`,
    epsgBase: { gk6Prefixed: 2327, gk6: 2338, gk3Prefixed: 2349, gk3: 2370 },
    ellipsoid: { a: 6378140, rf: 298.257 },
  },
  beijing1954: {
    label: 'Beijing 1954',
    epsgGeographic: 4214,
    geographicName: 'Beijing 1954',
    proj: '+ellps=krass +towgs84=15.8,-154.4,-82.3,0,0,0,0',
    shift: 'approximate',
    wktGeogcs: `GEOGCS["Beijing 1954",DATUM["Beijing_1954",SPHEROID["Krassowsky 1940",6378245,298.3],TOWGS84[15.8,-154.4,-82.3,0,0,0,0]],PRIMEM["Greenwich",0],${DEGREE_UNIT}]`,
    epsgBase: { gk6Prefixed: 21413, gk6: 21453, gk3Prefixed: 2401, gk3: 2422 },
    ellipsoid: { a: 6378245, rf: 298.3 },
  },
};

/** The datums in the order they are suggested: current first. */
export const CHINESE_DATUMS: readonly ChineseDatum[] = ['cgcs2000', 'xian1980', 'beijing1954'];

/** Zone numbers covering China: 3° zones 25–45 and 6° zones 13–23 (central meridians 75°E–135°E). */
export const ZONE_RANGE: Readonly<Record<3 | 6, readonly [number, number]>> = { 3: [25, 45], 6: [13, 23] };

// Beijing 1954 also has deprecated 6° codes by "13N"–"23N" (21473–21483), the same as 21453–21463.
const BEIJING_1954_DEPRECATED_GK6 = 21473;

/** Central meridian of a zone. */
export function centralMeridianOf(width: 3 | 6, zone: number): number {
  return width === 3 ? 3 * zone : 6 * zone - 3;
}

/** Zone number of a central meridian, or null when it is not one. */
export function zoneOfCentralMeridian(width: 3 | 6, centralMeridian: number): number | null {
  const zone = width === 3 ? centralMeridian / 3 : (centralMeridian + 3) / 6;
  return Number.isInteger(zone) ? zone : null;
}

/** The zone containing a longitude (3° zones are centred on multiples of 3°, 6° zones start at 0°). */
export function zoneOfLongitude(width: 3 | 6, longitude: number): number {
  return width === 3 ? Math.round(longitude / 3) : Math.floor(longitude / 6) + 1;
}

/** Whether a zone number is one of China's (3°: 25–45, 6°: 13–23). */
export function isChineseZone(width: 3 | 6, zone: number): boolean {
  const [low, high] = ZONE_RANGE[width];
  return Number.isInteger(zone) && zone >= low && zone <= high;
}

function wgs84Geogcs(): string {
  return `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],${DEGREE_UNIT}]`;
}

/** WGS84 longitude/latitude (EPSG:4326), the coordinates lifecircle computes in. */
export const WGS84: Crs = {
  id: 'EPSG:4326',
  name: 'WGS 84',
  kind: 'geographic',
  epsg: 4326,
  datum: 'wgs84',
  datumShift: 'exact',
  proj4: '+proj=longlat +datum=WGS84 +no_defs',
  gaussKruger: null,
  wkt: `${wgs84Geogcs().slice(0, -1)},AUTHORITY["EPSG","4326"]]`,
};

/** Web Mercator (EPSG:3857), the metres of web map tiles. */
export const WEB_MERCATOR: Crs = {
  id: 'EPSG:3857',
  name: 'WGS 84 / Pseudo-Mercator',
  kind: 'projected',
  epsg: 3857,
  datum: 'wgs84',
  datumShift: 'exact',
  proj4:
    '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
  gaussKruger: null,
  wkt: `PROJCS["WGS 84 / Pseudo-Mercator",${wgs84Geogcs()},PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]`,
};

/** GCJ-02, the offset longitude/latitude of AMap (Gaode), Tencent and Google's China maps. */
export const GCJ02: Crs = {
  id: 'gcj02',
  name: 'GCJ-02 (AMap/Gaode, Tencent)',
  kind: 'web-map',
  epsg: null,
  datum: 'wgs84',
  datumShift: 'algorithm',
  proj4: null,
  gaussKruger: null,
  wkt: null,
};

/** BD-09, Baidu Map's longitude/latitude: GCJ-02 offset once more. */
export const BD09: Crs = {
  id: 'bd09',
  name: 'BD-09 (Baidu)',
  kind: 'web-map',
  epsg: null,
  datum: 'wgs84',
  datumShift: 'algorithm',
  proj4: null,
  gaussKruger: null,
  wkt: null,
};

/** The geographic (longitude/latitude) system of a national datum: EPSG:4490, 4610 or 4214. */
export function geographicCrs(datum: ChineseDatum): Crs {
  const d = DATUMS[datum];
  return {
    id: `EPSG:${d.epsgGeographic}`,
    name: d.label,
    kind: 'geographic',
    epsg: d.epsgGeographic,
    datum,
    datumShift: d.shift,
    proj4: `+proj=longlat ${d.proj} +no_defs`,
    gaussKruger: null,
    wkt: `${d.wktGeogcs.slice(0, -1)},AUTHORITY["EPSG","${d.epsgGeographic}"]]`,
  };
}

/**
 * A Gauss-Krüger zone of a national datum, with its EPSG code, proj string and WKT, generated from
 * the zone parameters.
 *
 * @param datum `cgcs2000`, `xian1980` or `beijing1954`
 * @param width 3 or 6 (degrees)
 * @param zone zone number (3°: 25–45, 6°: 13–23)
 * @param prefixed whether the zone number stands in front of the easting
 * @example
 * gaussKrugerCrs('cgcs2000', 3, 36, true).epsg;  // 4524
 * gaussKrugerCrs('cgcs2000', 3, 36, false).epsg; // 4545 (CM 108°E)
 */
export function gaussKrugerCrs(datum: ChineseDatum, width: 3 | 6, zone: number, prefixed: boolean): Crs {
  if (!isChineseZone(width, zone)) {
    const [low, high] = ZONE_RANGE[width];
    throw new RangeError(`${width}-degree Gauss-Kruger zone ${zone} is not one of China's (${low}–${high}).`);
  }
  const d = DATUMS[datum];
  const centralMeridian = centralMeridianOf(width, zone);
  const falseEasting = prefixed ? zone * 1_000_000 + 500_000 : 500_000;
  const [low] = ZONE_RANGE[width];
  const base =
    width === 3
      ? prefixed
        ? d.epsgBase.gk3Prefixed
        : d.epsgBase.gk3
      : prefixed
        ? d.epsgBase.gk6Prefixed
        : d.epsgBase.gk6;
  const epsg = base + zone - low;
  const degree = width === 3 ? '3-degree ' : '';
  const name = `${d.label} / ${degree}Gauss-Kruger ${prefixed ? `zone ${zone}` : `CM ${centralMeridian}E`}`;
  return {
    id: `EPSG:${epsg}`,
    name,
    kind: 'projected',
    epsg,
    datum,
    datumShift: d.shift,
    proj4: `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=${falseEasting} +y_0=0 ${d.proj} +units=m +no_defs`,
    gaussKruger: { datum, width, zone, centralMeridian, prefixed, falseEasting },
    wkt:
      `PROJCS["${name}",${d.wktGeogcs},PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],` +
      `PARAMETER["central_meridian",${centralMeridian}],PARAMETER["scale_factor",1],PARAMETER["false_easting",${falseEasting}],` +
      `PARAMETER["false_northing",0],UNIT["metre",1],AUTHORITY["EPSG","${epsg}"]]`,
  };
}

/** A Gauss-Krüger family without its zone, e.g. `cgcs2000-gk3`. */
export function gaussKrugerFamily(datum: ChineseDatum, width: 3 | 6): GaussKrugerFamily {
  return {
    id: `${datum}-gk${width}`,
    name: `${DATUMS[datum].label} / ${width === 3 ? '3-degree ' : ''}Gauss-Kruger (zone from the eastings)`,
    kind: 'gauss-kruger-family',
    datum,
    width,
  };
}

/** The coordinate system of a national-datum or WGS84 EPSG code, or null when lifecircle does not generate it. */
export function crsOfEpsg(code: number): Crs | null {
  if (code === 4326) return WGS84;
  if (code === 3857 || code === 900913 || code === 3785) return WEB_MERCATOR;
  for (const datum of CHINESE_DATUMS) {
    const d = DATUMS[datum];
    if (code === d.epsgGeographic) return geographicCrs(datum);
    const families: [number, 3 | 6, boolean][] = [
      [d.epsgBase.gk6Prefixed, 6, true],
      [d.epsgBase.gk6, 6, false],
      [d.epsgBase.gk3Prefixed, 3, true],
      [d.epsgBase.gk3, 3, false],
    ];
    if (datum === 'beijing1954') families.push([BEIJING_1954_DEPRECATED_GK6, 6, false]);
    for (const [base, width, prefixed] of families) {
      const [low, high] = ZONE_RANGE[width];
      const zone = code - base + low;
      if (zone >= low && zone <= high) return gaussKrugerCrs(datum, width, zone, prefixed);
    }
  }
  return null;
}
