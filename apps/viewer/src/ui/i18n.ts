// Interface text in Chinese (first, for the bureaus) and English, and locale-aware number formats.
export type Locale = 'zh-CN' | 'en';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

const TEXT = {
  title: ['生活圈设施覆盖', 'Life-circle facility coverage'],
  subtitle: ['哪些社区步行范围内缺少设施', 'Which communities lack facilities within walking distance'],
  language: ['English', '中文'],
  loadFiles: ['加载数据…', 'Load data…'],
  dropHint: [
    '将 GeoJSON 文件拖到地图上（社区、设施、人口点、区县边界、道路或方案文件）',
    'Drop GeoJSON files on the map (communities, facilities, population points, districts, roads or a scenario)',
  ],
  dropHere: ['松开以加载文件', 'Release to load the files'],
  bundled: ['内置示例：平凉（合成数据）', 'Bundled example: Pingliang (synthetic data)'],
  resetBundled: ['重新打开示例', 'Reopen the example'],
  exportHeading: ['导出', 'Export'],
  exportGeojson: ['社区结果 GeoJSON', 'Communities GeoJSON'],
  exportCsv: ['缺口表 CSV', 'Gaps CSV'],
  exportPng: ['地图 PNG', 'Map PNG'],
  exportScenario: ['方案文件', 'Scenario file'],
  exportSites: ['选址点 GeoJSON', 'Sites GeoJSON'],
  colourBy: ['着色方式', 'Colour by'],
  modeGapsRequired: ['缺口数（完整社区必配的 {n} 类）', 'Number of gaps ({n} complete-community types)'],
  modeGapsAll: ['缺口数（全部 {n} 类）', 'Number of gaps (all {n} types)'],
  modeType: ['单类设施覆盖率', 'Covered share of one type'],
  modeProfile: ['标准达标（尚未提供）', 'Standard profile pass/fail (not available yet)'],
  facilityType: ['设施类型', 'Facility type'],
  showCatchments: ['显示服务半径', 'Show catchments'],
  showFacilities: ['显示设施', 'Show facilities'],
  walkingCatchments: [
    '步行可达范围需要道路网络模块（尚未提供），现以直线半径显示',
    'Walking catchments need the network module (not available yet); straight-line radii shown',
  ],
  basemap: ['底图（可选）', 'Basemap (optional)'],
  basemapHint: [
    '栅格瓦片 URL（含 {z}/{x}/{y}）或 PMTiles URL',
    'Raster tile URL with {z}/{x}/{y}, or a PMTiles URL',
  ],
  basemapApply: ['应用', 'Apply'],
  basemapRemove: ['移除', 'Remove'],
  indicators: ['城市指标', 'City indicators'],
  communities: ['社区', 'Communities'],
  population: ['人口', 'Population'],
  residents: ['常住人口', 'Residents'],
  facilities: ['设施', 'Facilities'],
  withGap: ['有缺口的社区', 'Communities with a gap'],
  completeRate: ['完整社区比例', 'Complete-community rate'],
  coveredShareByType: ['各类设施覆盖人口比例', 'Share of residents covered, by type'],
  placesPer1000: ['每千人托位/床位', 'Places or beds per 1,000 residents'],
  completeByCounty: ['各区县完整社区比例', 'Complete-community rate by county'],
  target: ['目标', 'target'],
  targetKey: [
    '平凉市 2025 年目标（生活性服务业行动方案）',
    'Pingliang 2025 target (life-service action plan)',
  ],
  threshold: ['缺口阈值', 'gap threshold'],
  worstServed: ['服务最差的社区', 'Worst-served communities'],
  gapsCount: ['{n} 项缺口', '{n} gaps'],
  noGaps: ['无缺口', 'no gaps'],
  legend: ['图例', 'Legend'],
  legendGaps: ['缺口数', 'Gaps'],
  legendShare: ['覆盖人口比例', 'Share covered'],
  legendNoResidents: ['无人口', 'no residents'],
  legendFacilities: ['设施', 'Facilities'],
  legendServing: ['运营中', 'serving'],
  legendNotServing: ['规划/在建/关闭', 'planned / building / closed'],
  legendCatchment: ['服务半径 {r} 米', 'Catchment {r} m'],
  legendProposed: ['拟建设施', 'Proposed facility'],
  legendSite: ['选址结果（按序）', 'Chosen site (ranked)'],
  legendCounty: ['区县界', 'County boundary'],
  legendAfter: ['新增后', 'after new sites'],
  card: ['社区详情', 'Community'],
  close: ['关闭', 'Close'],
  district: ['区县', 'District'],
  id: ['编号', 'ID'],
  type: ['类型', 'Type'],
  radius: ['半径', 'Radius'],
  nearest: ['最近设施', 'Nearest facility'],
  distance: ['距离', 'Distance'],
  within: ['范围内数量', 'Within reach'],
  covered: ['覆盖比例', 'Covered'],
  gap: ['缺口', 'Gap'],
  none: ['无', 'none'],
  compliance: ['标准达标项', 'Compliance items'],
  complianceHook: [
    '标准配置（达标/不达标）需要核心库的标准模块，尚未提供。',
    'Standard profiles (pass/fail) need the standards module of the core library, not available yet.',
  ],
  metres: ['{n} 米', '{n} m'],
  siting: ['新设施选址', 'Siting new facilities'],
  sitingModel: ['模型', 'Model'],
  modelMclp: ['最大覆盖（MCLP）', 'Maximal covering (MCLP)'],
  modelLscp: [
    '集合覆盖（达到目标覆盖比例的最少站点）',
    'Set covering (fewest sites to reach a target share)',
  ],
  targetShare: ['目标覆盖人口比例（%）', 'Target share of residents covered (%)'],
  modelPmedian: [
    'P 中位、P 中心、容量约束（面板尚未提供）',
    'p-median, p-center, capacitated (not in this panel yet)',
  ],
  sitesCount: ['新增站点数', 'Number of new sites'],
  candidates: ['候选点', 'Candidates'],
  candidatesGenerated: [
    '自动生成（未覆盖居民处，间距 {n} 米）',
    'Generated (where residents are uncovered, {n} m apart)',
  ],
  candidatesLoaded: ['已加载的候选点文件（{n} 个）', 'Loaded candidate file ({n} points)'],
  loadCandidates: ['加载候选点…', 'Load candidates…'],
  runSiting: ['开始选址', 'Choose sites'],
  cancel: ['取消', 'Cancel'],
  sitingUnavailable: [
    '选址模型尚未提供：核心库中没有 MaximalCovering / SetCovering。可在地图上点击添加拟建设施，查看覆盖变化。',
    'Siting is not available yet: the core library has no MaximalCovering / SetCovering. Click the map to add proposed facilities and see the figures change.',
  ],
  proposeHint: [
    '在地图上点击以添加拟建设施（可拖动），覆盖数字随之更新。',
    'Click the map to add a proposed facility (drag to move it); the figures update.',
  ],
  proposeMode: ['点击地图添加拟建设施', 'Click the map to add proposed facilities'],
  clearProposals: ['清除拟建设施', 'Clear proposals'],
  before: ['现状', 'Before'],
  after: ['新增后', 'After'],
  showAfter: ['地图显示新增后', 'Map shows after'],
  coveredBefore: ['现状覆盖', 'Covered now'],
  coveredAfter: ['新增后覆盖', 'Covered after'],
  rank: ['序', '#'],
  site: ['站点', 'Site'],
  added: ['新增覆盖人口', 'Residents added'],
  cumulative: ['累计覆盖比例', 'Cumulative share'],
  newCommunities: ['新覆盖社区', 'Communities reached'],
  curve: ['覆盖比例与站点数', 'Share covered against number of sites'],
  sitesAxis: ['站点数', 'sites'],
  solverInfo: [
    '求解：{solver}，状态 {status}，与最优界差距 ≤ {gap}',
    'Solver {solver}, status {status}, within {gap} of the bound',
  ],
  files: ['已加载文件', 'Loaded files'],
  problems: ['数据问题', 'Problems in the data'],
  rejected: ['{n} 个要素未被使用', '{n} features were not used'],
  warnings: ['提示', 'Warnings'],
  file: ['文件', 'File'],
  index: ['序号', 'Index'],
  field: ['字段', 'Field'],
  reason: ['原因', 'Reason'],
  errorTitle: ['无法使用该文件', 'The file cannot be used'],
  unknownFile: [
    '无法识别 {name}：需要社区（含 population 的面或点）、设施（含 type 的点）、人口点、区县边界、道路或方案文件。',
    'Cannot tell what {name} is: expected communities (polygons or points with population), facilities (points with type), population points, districts, roads or a scenario file.',
  ],
  analysing: ['正在分析…', 'Analysing…'],
  stageValidate: ['检查社区和设施数据', 'Checking communities and facilities'],
  stageDemand: ['在社区内布置人口点', 'Placing residents on demand points'],
  stageIndex: ['建立空间索引，布置候选点', 'Indexing, placing candidates'],
  stageMeasure: ['计算步行范围内的设施', 'Measuring facilities within reach'],
  stageSummarize: ['按区县和全市汇总', 'Summing up by county and city'],
  ready: ['完成，用时 {ms} 毫秒', 'Done in {ms} ms'],
  cancelled: ['已取消', 'Cancelled'],
  scenarioLoaded: ['已打开方案文件 {name}', 'Opened scenario {name}'],
  roadsLoaded: [
    '已加载道路 {name}（仅显示；步行网络计算尚未提供）',
    'Loaded roads {name} (display only; walking-network analysis not available yet)',
  ],
  districtsLoaded: ['已加载区县边界 {name}', 'Loaded county boundaries {name}'],
  wholeArea: ['全部范围', 'Whole area'],
  syntheticNote: ['数据为合成示例，不代表真实情况', 'Synthetic example data; describes no real place'],
  gapThresholdLabel: ['缺口阈值（覆盖比例低于此值）', 'Gap threshold (covered share below)'],
  includePlanned: ['计入规划/在建设施', 'Count planned and under-construction facilities'],
  settings: ['分析设置', 'Analysis settings'],
  reanalyse: ['重新分析', 'Re-run'],
} as const satisfies Record<string, readonly [string, string]>;

export type TextKey = keyof typeof TEXT;

export class I18n {
  private integer!: Intl.NumberFormat;
  private decimal!: Intl.NumberFormat;
  private percent!: Intl.NumberFormat;
  private percent0!: Intl.NumberFormat;

  constructor(public locale: Locale) {
    this.setLocale(locale);
  }

  setLocale(locale: Locale): void {
    this.locale = locale;
    this.integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    this.decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
    this.percent0 = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
    this.percent = new Intl.NumberFormat(locale, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
  }

  /** The text of `key` with `{name}` placeholders filled. */
  t(key: TextKey, values: Readonly<Record<string, string | number>> = {}): string {
    const text = TEXT[key][this.locale === 'zh-CN' ? 0 : 1];
    return text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const v = values[name];
      return v === undefined ? `{${name}}` : typeof v === 'number' ? this.int(v) : v;
    });
  }

  int(value: number): string {
    return Number.isFinite(value) ? this.integer.format(value) : '–';
  }

  dec(value: number): string {
    return Number.isFinite(value) ? this.decimal.format(value) : '–';
  }

  pct(value: number | null): string {
    return value !== null && Number.isFinite(value) ? this.percent.format(value) : '–';
  }

  /** A share as a whole percentage, for class bounds. */
  pct0(value: number): string {
    return Number.isFinite(value) ? this.percent0.format(value) : '–';
  }

  metres(value: number): string {
    return Number.isFinite(value) ? this.t('metres', { n: Math.round(value) }) : '–';
  }

  /** A facility type's name in the current language. */
  typeName(type: { readonly name_zh: string; readonly name_en: string }): string {
    return this.locale === 'zh-CN' ? type.name_zh : type.name_en;
  }
}

/** The locale to open with: `?lang=`, then the last choice, then Chinese. */
export function initialLocale(search: string, stored: string | null): Locale {
  const asked = new URLSearchParams(search).get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  if (asked === 'zh') return 'zh-CN';
  return stored === 'en' ? 'en' : 'zh-CN';
}
