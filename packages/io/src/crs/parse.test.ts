import { describe, expect, it } from 'vitest';
import { type Crs, crsOfEpsg, gaussKrugerCrs } from './definitions.js';
import { ACCEPTED_CRS_FORMS, CrsError, completeCrs, parseCrs } from './parse.js';

function crs(text: string): Crs {
  const parsed = parseCrs(text);
  if (parsed.kind === 'gauss-kruger-family') throw new Error(`${text} parsed as a family`);
  return parsed;
}

describe('EPSG codes generated from zone parameters', () => {
  // Spot checks against the EPSG registry as shown on epsg.io (name, central meridian, false easting).
  it.each([
    [4522, 'CGCS2000 / 3-degree Gauss-Kruger zone 34', 102, 34_500_000],
    [4523, 'CGCS2000 / 3-degree Gauss-Kruger zone 35', 105, 35_500_000],
    [4524, 'CGCS2000 / 3-degree Gauss-Kruger zone 36', 108, 36_500_000],
    [4530, 'CGCS2000 / 3-degree Gauss-Kruger zone 42', 126, 42_500_000],
    [4545, 'CGCS2000 / 3-degree Gauss-Kruger CM 108E', 108, 500_000],
    [4549, 'CGCS2000 / 3-degree Gauss-Kruger CM 120E', 120, 500_000],
    [4496, 'CGCS2000 / Gauss-Kruger zone 18', 105, 18_500_000],
    [4500, 'CGCS2000 / Gauss-Kruger zone 22', 129, 22_500_000],
    [4505, 'CGCS2000 / Gauss-Kruger CM 93E', 93, 500_000],
    [4507, 'CGCS2000 / Gauss-Kruger CM 105E', 105, 500_000],
    [4510, 'CGCS2000 / Gauss-Kruger CM 123E', 123, 500_000],
    [2328, 'Xian 1980 / Gauss-Kruger zone 14', 81, 14_500_000],
    [2334, 'Xian 1980 / Gauss-Kruger zone 20', 117, 20_500_000],
    [2343, 'Xian 1980 / Gauss-Kruger CM 105E', 105, 500_000],
    [2358, 'Xian 1980 / 3-degree Gauss-Kruger zone 34', 102, 34_500_000],
    [2379, 'Xian 1980 / 3-degree Gauss-Kruger CM 102E', 102, 500_000],
    [2406, 'Beijing 1954 / 3-degree Gauss-Kruger zone 30', 90, 30_500_000],
    [2421, 'Beijing 1954 / 3-degree Gauss-Kruger zone 45', 135, 45_500_000],
    [2431, 'Beijing 1954 / 3-degree Gauss-Kruger CM 102E', 102, 500_000],
    [2435, 'Beijing 1954 / 3-degree Gauss-Kruger CM 114E', 114, 500_000],
    [21419, 'Beijing 1954 / Gauss-Kruger zone 19', 111, 19_500_000],
    [21458, 'Beijing 1954 / Gauss-Kruger CM 105E', 105, 500_000],
  ])('EPSG:%i is %s', (code, name, cm, falseEasting) => {
    const c = crsOfEpsg(code)!;
    expect(c.name).toBe(name);
    expect(c.epsg).toBe(code);
    expect(c.gaussKruger).toMatchObject({ centralMeridian: cm, falseEasting });
    expect(c.proj4).toContain(`+lon_0=${cm} `);
    expect(c.proj4).toContain(`+x_0=${falseEasting} `);
    expect(c.wkt).toContain(`AUTHORITY["EPSG","${code}"]`);
  });

  it('covers whole ranges without gaps: CGCS2000 4491–4554, Xian 1980 2327–2390, Beijing 1954 2401–2442', () => {
    for (const [from, to] of [
      [4491, 4554],
      [2327, 2390],
      [2401, 2442],
      [21413, 21423],
      [21453, 21463],
    ] as const) {
      for (let code = from; code <= to; code++) expect(crsOfEpsg(code)?.epsg).toBe(code);
    }
    expect(crsOfEpsg(4490)?.kind).toBe('geographic');
    expect(crsOfEpsg(4610)?.datum).toBe('xian1980');
    expect(crsOfEpsg(4214)?.datum).toBe('beijing1954');
    // Deprecated "Beijing 1954 / Gauss-Kruger 23N" is the same system as CM 135E.
    expect(crsOfEpsg(21483)?.id).toBe('EPSG:21463');
  });

  it('rejects zones outside China as a programming error', () => {
    expect(() => gaussKrugerCrs('cgcs2000', 3, 24, true)).toThrow(/not one of China's \(25–45\)/);
  });
});

describe('parseCrs', () => {
  it.each([
    ['EPSG:4545', 'EPSG:4545'],
    ['epsg:4545', 'EPSG:4545'],
    ['EPSG::4545', 'EPSG:4545'],
    ['4545', 'EPSG:4545'],
    ['urn:ogc:def:crs:EPSG::4549', 'EPSG:4549'],
    ['urn:ogc:def:crs:EPSG:9.8.1:4549', 'EPSG:4549'],
    ['http://www.opengis.net/def/crs/EPSG/0/4490', 'EPSG:4490'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326'],
    ['WGS84', 'EPSG:4326'],
    ['cgcs2000-gk3-35', 'EPSG:4523'],
    ['cgcs2000-gk3-36', 'EPSG:4524'],
    ['cgcs2000-gk6-18', 'EPSG:4496'],
    ['cgcs2000-gk3-cm108', 'EPSG:4545'],
    ['cgcs2000_gk6_cm105e', 'EPSG:4507'],
    ['xian1980-gk3-36', 'EPSG:2360'],
    ['xian80-gk6-18', 'EPSG:2332'],
    ['beijing1954-gk3-36', 'EPSG:2412'],
    ['beijing54-gk6-cm105', 'EPSG:21458'],
    ['CGCS2000 / 3-degree Gauss-Kruger zone 35', 'EPSG:4523'],
    ['CGCS2000 / Gauss-Kruger CM 105E', 'EPSG:4507'],
    ['CGCS2000_3_Degree_GK_Zone_36', 'EPSG:4524'],
    ['CGCS2000_3_Degree_GK_CM_108E', 'EPSG:4545'],
    ['Xian_1980_GK_Zone_18', 'EPSG:2332'],
    ['Beijing_1954_3_Degree_GK_CM_108E', 'EPSG:2433'],
    ['cgcs2000', 'EPSG:4490'],
    ['GCS_China_Geodetic_Coordinate_System_2000', 'EPSG:4490'],
    ['西安80', 'EPSG:4610'],
    ['北京54', 'EPSG:4214'],
    ['gcj02', 'gcj02'],
    ['GCJ-02', 'gcj02'],
    ['amap', 'gcj02'],
    ['高德', 'gcj02'],
    ['bd09', 'bd09'],
    ['Baidu', 'bd09'],
    ['web-mercator', 'EPSG:3857'],
    ['EPSG:3857', 'EPSG:3857'],
    ['EPSG:900913', 'EPSG:3857'],
  ])('%s → %s', (text, id) => {
    expect(parseCrs(text).id).toBe(id);
  });

  it('reads UTM and other systems proj4 defines as themselves', () => {
    const utm = crs('EPSG:32648');
    expect(utm).toMatchObject({ id: 'EPSG:32648', kind: 'projected', gaussKruger: null });
  });

  it('leaves the zone of a family to the data', () => {
    const family = parseCrs('cgcs2000-gk3');
    expect(family).toMatchObject({ kind: 'gauss-kruger-family', datum: 'cgcs2000', width: 3 });
    expect(completeCrs(family, [36_378_479.3, 36_412_000, 36_390_100]).id).toBe('EPSG:4524');
    expect(completeCrs(parseCrs('xian1980-gk6'), [18_400_000]).id).toBe('EPSG:2332');
    expect(() => completeCrs(family, [378_479.3, 412_000])).toThrow(
      /cannot be read from the eastings .*cgcs2000-gk3-cm108/,
    );
    expect(() => completeCrs(family, [36_378_479, 35_400_000])).toThrow(
      /several zone numbers \(36: 1 positions, 35: 1/,
    );
  });

  it('maps the WKT of a Gauss-Krüger .prj to the zone by central meridian and false easting', () => {
    // ArcGIS writes ESRI WKT with PROJECTION["Gauss_Kruger"]; QGIS and GDAL write OGC WKT 1.
    const esri =
      'PROJCS["CGCS2000_3_Degree_GK_Zone_36",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",36500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",108.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    expect(parseCrs(esri).id).toBe('EPSG:4524');
    const esriXian =
      'PROJCS["Xian_1980_3_Degree_GK_CM_108E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",108.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    expect(parseCrs(esriXian).id).toBe('EPSG:2381');
    // A 6° zone's central meridian without "3-degree" in the name is read as the 6° code.
    const cm105 = gaussKrugerCrs('cgcs2000', 6, 18, false).wkt!.replace(/AUTHORITY\["EPSG","\d+"\]/, '');
    expect(parseCrs(cm105).id).toBe('EPSG:4507');
    // WKT 2, with its northing-first axes, as epsg.io serves Beijing 1954 zone 45.
    const wkt2 =
      'PROJCRS["Beijing 1954 / 3-degree Gauss-Kruger zone 45",BASEGEOGCRS["Beijing 1954",DATUM["Beijing 1954",ELLIPSOID["Krassowsky 1940",6378245,298.3,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],ID["EPSG",4214]],CONVERSION["3-degree Gauss-Kruger zone 45",METHOD["Transverse Mercator",ID["EPSG",9807]],PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8801]],PARAMETER["Longitude of natural origin",135,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8802]],PARAMETER["Scale factor at natural origin",1,SCALEUNIT["unity",1],ID["EPSG",8805]],PARAMETER["False easting",45500000,LENGTHUNIT["metre",1],ID["EPSG",8806]],PARAMETER["False northing",0,LENGTHUNIT["metre",1],ID["EPSG",8807]]],CS[Cartesian,2],AXIS["northing (X)",north,ORDER[1],LENGTHUNIT["metre",1]],AXIS["easting (Y)",east,ORDER[2],LENGTHUNIT["metre",1]],ID["EPSG",2421]]';
    expect(parseCrs(wkt2).id).toBe('EPSG:2421');
    // Every generated WKT reads back as itself.
    for (const code of [4490, 4524, 4545, 4496, 4507, 2360, 2381, 2412, 21458, 4610, 4214]) {
      expect(parseCrs(crsOfEpsg(code)!.wkt!).id).toBe(`EPSG:${code}`);
    }
  });

  it('keeps other WKT as it is', () => {
    const lambert =
      'PROJCS["Asia_Lambert_Conformal_Conic",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Standard_Parallel_1",30.0],PARAMETER["Standard_Parallel_2",62.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
    const c = crs(lambert);
    expect(c).toMatchObject({ id: 'wkt:Asia_Lambert_Conformal_Conic', kind: 'projected', datum: 'wgs84' });
    expect(c.wkt).toBe(lambert);
  });

  it('says what is wrong with an unknown or malformed system', () => {
    const fails = (text: string, message: RegExp) => {
      expect(() => parseCrs(text)).toThrow(CrsError);
      expect(() => parseCrs(text)).toThrow(message);
    };
    fails('EPSG:99999', /EPSG:99999 is not a coordinate system lifecircle knows\. It knows WGS84/);
    fails('mars-grid', /is not a coordinate system lifecircle knows/);
    fails('', /is empty/);
    fails('cgcs2000-gk3-50', /zone 50 is not a 3-degree Gauss-Krüger zone in China \(25–45\)/);
    fails('cgcs2000-gk6-36', /zone 36 is not a 6-degree Gauss-Krüger zone in China \(13–23\)/);
    fails('cgcs2000-gk3-cm107', /107°E is not the central meridian of a 3-degree/);
    fails('PROJCS["broken"', /cannot be read as WKT or a proj string/);
    fails('bd09mc', /Baidu's Mercator metres/);
    expect(ACCEPTED_CRS_FORMS.join('\n')).toContain('cgcs2000-gk3-36');
  });
});
