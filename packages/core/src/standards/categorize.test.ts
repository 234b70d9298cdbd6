import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateFacilities } from '../validate/features.js';
import { OptionError } from '../validate/problems.js';
import { FacilityCatalog } from './catalog.js';
import { BUILT_IN_CATEGORY_RULES, categorize } from './categorize.js';
import { FacilityTyper, parseTypeMap } from './facility-typer.js';

const catalog = FacilityCatalog.builtIn();

// [what, properties, expected type (null: none), expected rule, decided by a name rule?]
const cases: [string, Record<string, unknown>, string | null, string | null, boolean][] = [
  // AMap: exact categories, and names that undo them.
  [
    'AMap kindergarten',
    { type: '科教文化服务;学校;幼儿园', name: '崆峒区第一幼儿园' },
    'kindergarten',
    'amap-kindergarten',
    false,
  ],
  [
    'AMap typecode only',
    { typecode: '141204', name: '崆峒区第一幼儿园' },
    'kindergarten',
    'amap-kindergarten',
    false,
  ],
  [
    'kindergarten head office',
    { type: '科教文化服务;学校;幼儿园', name: '金太阳幼儿园总部' },
    null,
    'amap-kindergarten',
    true,
  ],
  [
    'kindergarten management company',
    { type: '科教文化服务;学校;幼儿园', name: '平凉市童心幼儿园管理有限公司' },
    null,
    'amap-kindergarten',
    true,
  ],
  [
    'management company filed as a company',
    { type: '公司企业;公司;公司', name: '平凉幼儿园管理有限公司' },
    null,
    'amap-company',
    false,
  ],
  [
    'training school in the kindergarten class',
    { type: '科教文化服务;学校;幼儿园', name: '小天才艺术培训学校' },
    null,
    'amap-kindergarten',
    true,
  ],
  [
    'AMap training institution',
    { type: '科教文化服务;培训机构;培训机构', name: '博雅幼儿英语' },
    null,
    'amap-training',
    false,
  ],
  [
    'kindergarten gate',
    { type: '科教文化服务;学校;幼儿园', name: '崆峒区第一幼儿园-东门' },
    null,
    'amap-kindergarten',
    true,
  ],
  // AMap's broad 卫生院 class: the name decides.
  [
    '社区卫生服务站 under 卫生院',
    { type: '医疗保健服务;综合医院;卫生院', name: '西关社区卫生服务站' },
    'community_health_station',
    'amap-township-health',
    true,
  ],
  [
    '社区卫生服务中心 under 卫生院',
    { type: '医疗保健服务;综合医院;卫生院', name: '崆峒区东关街道社区卫生服务中心' },
    'community_health_center',
    'amap-township-health',
    true,
  ],
  [
    'township 卫生院',
    { type: '医疗保健服务;综合医院;卫生院', name: '崆峒区柳湖镇卫生院' },
    'community_health_center',
    'amap-township-health',
    true,
  ],
  [
    'station with a bracketed branch',
    { type: '医疗保健服务;综合医院;卫生院', name: '中街社区卫生服务站(新民路)' },
    'community_health_station',
    'amap-township-health',
    true,
  ],
  [
    '卫生院 typecode only',
    { typecode: '090102', name: '柳湖社区卫生服务站' },
    'community_health_station',
    'amap-township-health',
    true,
  ],
  [
    'a hospital under the broad class',
    { type: '医疗保健服务;综合医院;综合医院', name: '平凉市人民医院' },
    null,
    'amap-general-hospital',
    false,
  ],
  // Clinics that must never become a community health station.
  [
    'pet clinic',
    { type: '医疗保健服务;动物医疗场所;宠物诊所', name: '爱宠宠物诊所' },
    null,
    'amap-animal-clinic',
    false,
  ],
  [
    'pet hospital filed as a clinic',
    { type: '医疗保健服务;诊所;诊所', name: '瑞派宠物医院' },
    null,
    'amap-clinic',
    false,
  ],
  ['private clinic', { type: '医疗保健服务;诊所;诊所', name: '仁和诊所' }, null, 'amap-clinic', false],
  ['dental clinic', { type: '医疗保健服务;诊所;诊所', name: '贝美口腔诊所' }, null, 'amap-clinic', false],
  [
    'dental hospital',
    { type: '医疗保健服务;专科医院;口腔医院', name: '平凉口腔医院' },
    null,
    'amap-specialist-hospital',
    false,
  ],
  [
    'cosmetic clinic',
    { type: '医疗保健服务;专科医院;整形美容', name: '美莱医疗美容门诊部' },
    null,
    'amap-specialist-hospital',
    false,
  ],
  [
    '医疗美容 named like a station',
    { type: '医疗保健服务;综合医院;卫生院', name: '丽人医疗美容卫生服务站' },
    null,
    'amap-township-health',
    true,
  ],
  [
    'village clinic',
    { type: '医疗保健服务;诊所;诊所', name: '大寨村卫生室' },
    'community_health_station',
    'amap-clinic',
    true,
  ],
  // Multi-category values: the first category with a rule decides.
  [
    'school | training, school first',
    { type: '科教文化服务;学校;小学|科教文化服务;培训机构;培训机构', name: '西关小学' },
    'primary_school',
    'amap-primary-school',
    false,
  ],
  [
    'generic school | training',
    { type: '科教文化服务;学校;学校|科教文化服务;培训机构;培训机构', name: '新东方学校' },
    null,
    'amap-training',
    false,
  ],
  [
    'restaurant | kindergarten',
    {
      type: '餐饮服务;中餐厅;中餐厅|科教文化服务;学校;幼儿园',
      typecode: '050100|141204',
      name: '阳光幼儿园',
    },
    'kindergarten',
    'amap-kindergarten',
    false,
  ],
  [
    'middle school: junior by name',
    { type: '科教文化服务;学校;中学', name: '平凉市第七中学' },
    'junior_middle_school',
    'amap-middle-school',
    true,
  ],
  [
    'middle school: senior high',
    { type: '科教文化服务;学校;中学', name: '平凉市第一高级中学' },
    null,
    'amap-middle-school',
    true,
  ],
  [
    'supermarket',
    { type: '购物服务;超级市场;超市', name: '华联超市(崆峒店)' },
    'integrated_supermarket',
    'amap-supermarket',
    false,
  ],
  [
    'fresh supermarket',
    { type: '购物服务;超级市场;超市', name: '每日生鲜超市' },
    'fresh_market',
    'amap-supermarket',
    true,
  ],
  [
    'convenience store',
    { type: '购物服务;便民商店/便利店;便民商店/便利店', name: '美宜佳' },
    'convenience_store',
    'amap-convenience-store',
    false,
  ],
  [
    'wet market by name',
    { type: '购物服务;综合市场;综合市场', name: '西郊农贸市场' },
    'fresh_market',
    'amap-market',
    true,
  ],
  [
    'fresh supermarket filed as a market',
    { type: '购物服务;综合市场;综合市场', name: '鲜丰生鲜超市(崆峒大道店)' },
    'fresh_market',
    'amap-market',
    true,
  ],
  [
    'clothing market',
    { type: '购物服务;综合市场;综合市场', name: '东方服装市场' },
    null,
    'amap-market',
    true,
  ],
  [
    'parcel station',
    { type: '生活服务;物流速递;物流速递', name: '菜鸟驿站(西关店)' },
    'postal_express_delivery',
    'amap-express-delivery',
    true,
  ],
  [
    'day-care centre filed as a life service',
    { type: '生活服务;生活服务场所;生活服务场所', name: '中街社区老年人日间照料中心' },
    'elderly_day_care_center',
    'amap-life-service',
    true,
  ],
  ['restaurant', { type: '餐饮服务;中餐厅;中餐厅', name: '牛肉面馆' }, null, null, false],
  // Baidu tags.
  [
    'Baidu kindergarten',
    { tag: '教育培训;幼儿园', name: '崆峒区第二幼儿园' },
    'kindergarten',
    'baidu-kindergarten',
    false,
  ],
  [
    'Baidu tag in type',
    { type: '教育培训;幼儿园', name: '崆峒区第二幼儿园' },
    'kindergarten',
    'baidu-kindergarten',
    false,
  ],
  [
    'Baidu early education',
    { tag: '教育培训;亲子教育', name: '金宝贝早教中心' },
    null,
    'baidu-early-education',
    false,
  ],
  [
    'Baidu childcare by name',
    { tag: '教育培训;亲子教育', name: '小橘子托育中心' },
    'nursery_childcare',
    'baidu-early-education',
    true,
  ],
  [
    'Baidu clinic: station',
    { tag: '医疗;诊所', name: '东关社区卫生服务站' },
    'community_health_station',
    'baidu-clinic',
    true,
  ],
  ['Baidu pet service', { tag: '生活服务;宠物服务', name: '萌宠诊所' }, null, 'baidu-pet-service', false],
  [
    'Baidu welfare: nursing home',
    { tag: '政府机构;福利机构', name: '崆峒区敬老院' },
    'nursing_home',
    'baidu-welfare',
    true,
  ],
  ['Baidu training', { tag: '教育培训;培训机构', name: '学而思' }, null, 'baidu-training', false],
  // OpenStreetMap tags.
  [
    'OSM kindergarten',
    { amenity: 'kindergarten', name: '幼儿园' },
    'kindergarten',
    'osm-kindergarten',
    false,
  ],
  [
    'OSM school, isced 1',
    { amenity: 'school', 'isced:level': '1', name: '西关学校' },
    'primary_school',
    'osm-school-primary',
    false,
  ],
  [
    'OSM school, isced 2',
    { amenity: 'school', 'isced:level': '2', name: '西关学校' },
    'junior_middle_school',
    'osm-school-lower-secondary',
    false,
  ],
  [
    'OSM school, isced 3',
    { amenity: 'school', 'isced:level': '3', name: '一中' },
    null,
    'osm-school-upper-secondary',
    false,
  ],
  [
    'OSM school, no level, by name',
    { amenity: 'school', name: '东关小学' },
    'primary_school',
    'osm-school',
    true,
  ],
  [
    'OSM school in a tags object',
    { tags: { amenity: 'school', 'isced:level': '2' }, name: 'x' },
    'junior_middle_school',
    'osm-school-lower-secondary',
    false,
  ],
  [
    'OSM school in GDAL other_tags',
    { amenity: 'school', other_tags: '"isced:level"=>"1","operator"=>"区教育局"' },
    'primary_school',
    'osm-school-primary',
    false,
  ],
  [
    'OSM clinic: station by name',
    { amenity: 'clinic', name: '南关社区卫生服务站' },
    'community_health_station',
    'osm-clinic',
    true,
  ],
  [
    'OSM dental clinic',
    { amenity: 'clinic', 'healthcare:speciality': 'dentistry', name: '牙科诊所' },
    null,
    'osm-clinic-specialist',
    false,
  ],
  ['OSM doctors, private', { amenity: 'doctors', name: '张医生诊所' }, null, 'osm-doctors', false],
  [
    'OSM social facility for seniors',
    { amenity: 'social_facility', 'social_facility:for': 'senior', name: '西关养老服务站' },
    'elderly_service_station',
    'osm-social-facility-senior',
    true,
  ],
  [
    'OSM social facility for children',
    { amenity: 'social_facility', 'social_facility:for': 'child', name: '儿童福利院' },
    null,
    'osm-social-facility-children',
    false,
  ],
  [
    'OSM nursing home',
    { amenity: 'social_facility', social_facility: 'nursing_home', 'social_facility:for': 'senior' },
    'nursing_home',
    'osm-social-facility-nursing-home',
    false,
  ],
  ['OSM marketplace', { amenity: 'marketplace', name: '西关市场' }, 'fresh_market', 'osm-marketplace', false],
  ['OSM supermarket', { shop: 'supermarket' }, 'integrated_supermarket', 'osm-supermarket', false],
  ['OSM convenience', { shop: 'convenience' }, 'convenience_store', 'osm-convenience', false],
  ['OSM fitness station', { leisure: 'fitness_station' }, 'fitness_ground', 'osm-fitness-station', false],
  ['OSM veterinary', { amenity: 'veterinary', name: '宠物医院' }, null, 'osm-veterinary', false],
];

describe('categorize', () => {
  for (const [what, properties, type, rule, byName] of cases) {
    it(what, () => {
      const decision = categorize(properties);
      expect(decision.typeId).toBe(type);
      expect(decision.rule).toBe(rule);
      expect(decision.nameRule !== null).toBe(byName);
      if (type === null && rule !== null) expect(decision.why).toBeTruthy();
    });
  }

  it('names the category it decided on, as the file spells it', () => {
    const decision = categorize({
      type: '餐饮服务;中餐厅;中餐厅|科教文化服务;学校;幼儿园',
      name: '阳光幼儿园',
    });
    expect(decision).toMatchObject({
      category: '科教文化服务;学校;幼儿园',
      field: 'type',
      scheme: 'amap',
      mapping: 'exact',
    });
    expect(categorize({ amenity: 'clinic' })).toMatchObject({
      category: 'amenity=clinic',
      field: 'amenity',
      scheme: 'osm',
      mapping: 'broad',
    });
  });

  it('a feature with no category at all has none', () => {
    expect(categorize({ name: '某地' })).toMatchObject({
      typeId: null,
      category: null,
      rule: null,
      why: null,
    });
  });

  it('every rule and name rule names a type the built-in catalog has, and ids are unique', () => {
    const ids = new Set<string>();
    const check = (id: string, type: string | null | undefined) => {
      expect(ids.has(id), `duplicate rule id ${id}`).toBe(false);
      ids.add(id);
      if (type !== null && type !== undefined) expect(catalog.get(type), `${id} → ${type}`).toBeDefined();
    };
    for (const table of BUILT_IN_CATEGORY_RULES.tables) {
      expect(table.source.url).toMatch(/^https:\/\//);
      for (const rule of table.rules) {
        check(rule.id, rule.type);
        if (rule.fallback) expect(catalog.get(rule.fallback)).toBeDefined();
        for (const set of rule.names ?? [])
          expect(BUILT_IN_CATEGORY_RULES.names.sets[set], `${rule.id}: set ${set}`).toBeDefined();
        if (rule.mapping === 'exact') expect('type' in rule, `${rule.id} is exact without a type`).toBe(true);
        if (rule.mapping === 'broad')
          expect(rule.names?.length, `${rule.id} is broad without names`).toBeGreaterThan(0);
      }
    }
    for (const rules of Object.values(BUILT_IN_CATEGORY_RULES.names.sets))
      for (const r of rules) check(r.id, r.type);
    for (const r of BUILT_IN_CATEGORY_RULES.names.exclusions) {
      check(r.id, null);
      if (r.types !== '*') for (const t of r.types ?? []) expect(catalog.get(t)).toBeDefined();
    }
  });
});

describe('FacilityTyper and the type map', () => {
  it('a type map wins over the catalog and the category tables, and counts under its row', () => {
    const typer = new FacilityTyper(catalog, [
      { category: '医疗保健服务;诊所;诊所', type: '社区卫生服务站', file: 'map.csv', row: 2 },
    ]);
    const typing = typer.type({ type: '医疗保健服务;诊所;诊所', name: '仁和诊所' });
    expect(typing).toMatchObject({
      typeId: 'community_health_station',
      scheme: 'type-map',
      rule: 'type-map:map.csv row 2',
    });
  });

  it('a type map naming an unknown catalog type stops with the file, row and field', () => {
    expect(() =>
      parseTypeMap([{ category: '餐饮服务', type: 'kindergarden', file: 'map.csv', row: 3 }], catalog),
    ).toThrowError(
      /^typeMap: map\.csv row 3, field type: unknown catalog type 'kindergarden'\. Did you mean kindergarten\? Use one of: nursery_childcare, /,
    );
    expect(() => parseTypeMap({ 游泳馆: 'swimming_pool' }, catalog)).toThrowError(
      /^typeMap: row 1, field type: unknown catalog type 'swimming_pool'\. Use one of:/,
    );
    expect(() =>
      parseTypeMap([{ category: ' ', type: 'kindergarten', file: 'm.csv', row: 4 }], catalog),
    ).toThrowError(/m\.csv row 4, field category: empty/);
  });

  it('a type map with several wrong rows names every one (ten listed, the rest counted)', () => {
    const rows = [
      { category: '餐饮服务', type: 'kindergarden', file: 'map.csv', row: 2 },
      { category: '', type: 'kindergarten', file: 'map.csv', row: 3 },
      { category: '购物服务', type: 'kindergarten', file: 'map.csv', row: 4 },
      { category: '购物服务', type: 'primary_school', file: 'map.csv', row: 5 },
      { category: '体育休闲服务', type: ' ', file: 'map.csv', row: 6 },
    ];
    let message = '';
    try {
      parseTypeMap(rows, catalog);
    } catch (error) {
      expect(error).toBeInstanceOf(OptionError);
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'typeMap: 4 rows are wrong:',
      "  map.csv row 2, field type: unknown catalog type 'kindergarden'. Did you mean kindergarten?",
      '  map.csv row 3, field category: empty; expected the category as the data spells it.',
      "  map.csv row 5, field category: '购物服务' is mapped twice, to kindergarten (map.csv row 4) and to primary_school.",
      "  map.csv row 6, field type: empty; expected a catalog type for '体育休闲服务'.",
      expect.stringMatching(/^Use one of: nursery_childcare, /),
    ]);
    const many = Array.from({ length: 13 }, (_, i) => ({
      category: `类别${i}`,
      type: 'no_such_type',
      row: i + 2,
    }));
    const lines = (() => {
      try {
        parseTypeMap(many, catalog);
      } catch (error) {
        return (error as Error).message.split('\n');
      }
      return [];
    })();
    expect(lines[0]).toBe('typeMap: 13 rows are wrong:');
    expect(lines.filter((l) => l.includes("unknown catalog type 'no_such_type'"))).toHaveLength(10);
    expect(lines[10]).toContain('row 11,');
    expect(lines[11]).toBe('  … and 3 more');
  });

  it('suggests a type only for a close spelling, never for an unrelated category', () => {
    const v = validateFacilities(
      {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { id: 'a', type: '幼儿圆' },
            geometry: { type: 'Point', coordinates: [106.66, 35.54] },
          },
          {
            type: 'Feature',
            properties: { id: 'b', type: '游泳馆' },
            geometry: { type: 'Point', coordinates: [106.66, 35.54] },
          },
          {
            type: 'Feature',
            properties: { id: 'c', type: '餐饮服务;中餐厅;中餐厅', name: '面馆' },
            geometry: { type: 'Point', coordinates: [106.66, 35.54] },
          },
        ],
      },
      catalog,
    );
    const byCategory = new Map(v.categories!.unmapped.map((u) => [u.category, u]));
    expect(byCategory.get('幼儿圆')!.did_you_mean).toEqual(['kindergarten']);
    expect(byCategory.get('游泳馆')!.did_you_mean).toBeUndefined();
    expect(byCategory.get('餐饮服务;中餐厅;中餐厅')!.did_you_mean).toBeUndefined();
    expect(v.rejected).toEqual([]);
  });
});

const CATEGORY_POOL = [
  '科教文化服务;学校;幼儿园',
  '医疗保健服务;综合医院;卫生院',
  '医疗保健服务;诊所;诊所',
  '医疗保健服务;动物医疗场所;宠物诊所',
  '餐饮服务;中餐厅;中餐厅',
  '购物服务;超级市场;超市',
  '教育培训;幼儿园',
  '游泳馆',
  'kindergarten',
  '幼儿圆',
];
const NAME_POOL = [
  '西关社区卫生服务站',
  '柳湖镇卫生院',
  '阳光幼儿园',
  '幼儿园总部',
  '仁和诊所',
  '华联超市',
  '牛肉面馆',
  '',
];

describe('nothing is lost', () => {
  it('every facility is typed, rejected, or counted once in the unmapped table', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.option(fc.constantFrom(...CATEGORY_POOL), { nil: undefined }),
            typecode: fc.option(fc.constantFrom('141204', '090102', '050100', '141204|050100'), {
              nil: undefined,
            }),
            amenity: fc.option(fc.constantFrom('school', 'clinic', 'restaurant'), { nil: undefined }),
            name: fc.constantFrom(...NAME_POOL),
            geometryOk: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
        (rows) => {
          const features = rows.map((row, i) => {
            const properties: Record<string, unknown> = { id: `f${i}`, name: row.name };
            if (row.type !== undefined) properties.type = row.type;
            if (row.typecode !== undefined) properties.typecode = row.typecode;
            if (row.amenity !== undefined) properties.amenity = row.amenity;
            return {
              type: 'Feature',
              properties,
              geometry: { type: 'Point', coordinates: row.geometryOk ? [106.66, 35.54] : [106.66, 135.54] },
            };
          });
          const v = validateFacilities({ type: 'FeatureCollection', features }, catalog);
          const unmapped = v.categories?.unmapped ?? [];
          const counted = unmapped.flatMap((u) => u.indices);
          for (const u of unmapped) expect(u.facilities).toBe(u.indices.length);
          const seen = [...v.records.map((r) => r.index), ...v.rejected.map((r) => r.index), ...counted].sort(
            (a, b) => a - b,
          );
          expect(seen).toEqual(features.map((_, i) => i));
          const typedByRules = (v.categories?.typed ?? []).reduce((n, t) => n + t.facilities, 0);
          if (v.categories) expect(typedByRules).toBe(v.records.length);
        },
      ),
    );
  });
});
