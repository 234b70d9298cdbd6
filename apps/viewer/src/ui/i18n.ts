// Interface text in Chinese (first, for the bureaus) and English, and locale-aware number formats.
export type Locale = 'zh-CN' | 'en';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];

const TEXT = {
  title: ['生活圈设施覆盖', 'Life-circle facility coverage'],
  subtitle: ['哪些社区步行范围内缺少设施', 'Which communities lack facilities within walking distance'],
  language: ['English', '中文'],
  loadFiles: ['加载数据…', 'Load data…'],
  dropHint: [
    '将 GeoJSON 文件拖到地图上（社区、设施、人口点、区县边界、道路网络、候选点或方案文件）',
    'Drop GeoJSON files on the map (communities, facilities, population points, districts, a road network, candidates or a scenario)',
  ],
  formatsNote: [
    '可读取 GeoJSON、CSV/TSV 与 Excel（含经纬度列）、Shapefile（.shp 连同 .dbf/.prj/.cpg 一起拖入，或 .zip）、FlatGeobuf 与 GeoPackage；GBK 编码自动识别；文件自带的坐标系（CGCS2000 高斯-克吕格等）转换为 WGS84，未声明或有误时可在每个文件下指定（如 GCJ-02、BD-09、EPSG:4524）。',
    'Reads GeoJSON, CSV/TSV and Excel with longitude/latitude columns, shapefiles (drop the .shp with its .dbf/.prj/.cpg, or a .zip), FlatGeobuf and GeoPackage; GBK text is recognised; the coordinate system a file declares (CGCS2000 Gauss-Krüger …) is converted to WGS84, and under each file you can declare one it lacks or gets wrong (GCJ-02, BD-09, EPSG:4524 …).',
  ],
  convertedCrs: ['{name}：坐标已从 {crs} 转换为 WGS84', '{name}: coordinates converted from {crs} to WGS84'],
  crsDeclared: ['坐标系：{crs}（已指定）', 'Coordinate system: {crs} (declared)'],
  crsFromFile: ['坐标系：{crs}（文件自带）', 'Coordinate system: {crs} (from the file)'],
  crsDefault: ['坐标系：WGS84（文件未声明，按默认）', 'Coordinate system: WGS84 (the file declares none)'],
  crsUnusable: [
    '坐标与所读坐标系不符，请指定文件的坐标系',
    "The coordinates do not fit the system they were read in: declare the file's system",
  ],
  crsNotLoaded: ['未加载', 'not loaded'],
  crsUnknownRaster: [
    '栅格的 GeoKeys 未给出 lifecircle 认识的坐标系，请指定（如 EPSG:4545）',
    "The raster's GeoKeys name no coordinate system lifecircle knows: declare it (e.g. EPSG:4545)",
  ],
  crsRasterOwn: ['坐标系：按栅格的 GeoKeys', "Coordinate system: the raster's GeoKeys"],
  crsDeclare: ['指定坐标系', 'Declare the coordinate system'],
  crsAsFile: ['按文件（未声明则 WGS84）', "The file's own (else WGS84)"],
  crsWgs84: ['WGS84 经纬度（GPS）', 'WGS84 longitude/latitude (GPS)'],
  crsGcj02: ['GCJ-02（高德、腾讯）', 'GCJ-02 (AMap/Gaode, Tencent)'],
  crsBd09: ['BD-09（百度）', 'BD-09 (Baidu)'],
  crsCgcs2000: ['CGCS2000 经纬度（EPSG:4490）', 'CGCS2000 longitude/latitude (EPSG:4490)'],
  crsGk3: [
    'CGCS2000 高斯-克吕格 3° 带（带号读自横坐标）',
    'CGCS2000 Gauss-Krüger 3° zone (zone read from the eastings)',
  ],
  crsGk6: [
    'CGCS2000 高斯-克吕格 6° 带（带号读自横坐标）',
    'CGCS2000 Gauss-Krüger 6° zone (zone read from the eastings)',
  ],
  crsWebMercator: ['Web 墨卡托（EPSG:3857）', 'Web Mercator (EPSG:3857)'],
  crsOther: ['其他（在下方输入）…', 'Other (type below)…'],
  crsTyped: ['坐标系代码或名称', 'Coordinate system code or name'],
  crsPlaceholder: ['如 EPSG:4524、cgcs2000-gk3-36', 'e.g. EPSG:4524, cgcs2000-gk3-36'],
  crsApply: ['应用', 'Apply'],
  profileLoadFile: ['加载标准配置文件…', 'Load a profile file…'],
  profileProblemsTitle: ['标准配置文件有误', 'The profile file has problems'],
  layerChoose: ['图层（表、工作表或 Shapefile）', 'Layer (table, sheet or shapefile)'],
  columnPicker: ['各字段取自哪一列', 'Which column holds what'],
  columnDetected: ['自动识别：{column}', 'Detected: {column}'],
  columnNone: ['（无）', '(none)'],
  columnIdsMadeUp: ['（无：按行号或名称生成编号）', '(none: ids made up from rows or names)'],
  positionHeading: ['位置', 'Position'],
  walkerFileLoad: ['加载步行者文件…', 'Load a walker file…'],
  walkerFileLoaded: ['步行者文件：{file}（{n} 个）', 'Walker file: {file} ({n} walkers)'],
  walkerFileRemove: ['移除步行者文件', 'Remove the walker file'],
  walkerFileProblems: ['步行者文件有问题', 'The walker file has problems'],
  osmClipStudyArea: ['读取时裁剪到研究范围', 'Clipped while reading to the study area'],
  osmClipCommunities: [
    '读取时裁剪到社区范围外扩 {km} 公里（{box}）',
    "Clipped while reading to the communities' extent widened by {km} km ({box})",
  ],
  osmClipBox: ['读取时裁剪到范围 {box}', 'Clipped while reading to the box {box}'],
  osmClipNone: ['读取了整个文件', 'The whole file was read'],
  osmClipCounts: [
    '保留 {kept} / {nodes} 个节点，{clipped} 条路线或要素在边界处截断',
    '{kept} of {nodes} nodes kept, {clipped} ways or relations cut at the edge',
  ],
  osmClipChoose: ['OpenStreetMap 裁剪范围', 'Clip the OpenStreetMap file to'],
  osmClipOptionStudyArea: ['研究范围', 'the study area'],
  osmClipOptionCommunities: ['社区范围外扩 {km} 公里', "the communities' extent widened by {km} km"],
  osmClipOptionBox: ['输入的范围（西,南,东,北）', 'a box typed below (west,south,east,north)'],
  osmClipOptionNone: ['不裁剪（整个文件）', 'nothing (the whole file)'],
  osmClipNextHeading: ['OpenStreetMap 文件的读取范围', 'Where OpenStreetMap files are clipped'],
  osmClipNextChosen: [
    '下一个拖入的 .osm / .osm.pbf 文件：{clip}',
    'The next .osm / .osm.pbf file dropped: {clip}',
  ],
  osmClipNextDefault: [
    '下一个拖入的 .osm / .osm.pbf 文件（默认）：{clip}',
    'The next .osm / .osm.pbf file dropped (default): {clip}',
  ],
  osmClipNextNoDefault: [
    '读取整个文件（尚无研究范围或社区）',
    'the whole file is read (no study area or communities yet)',
  ],
  osmClipOptionDefault: ['默认（研究范围，否则社区范围）', 'the default (study area, else communities)'],
  osmClipOptionView: [
    '当前地图视野（先把地图缩放到该区域）',
    "the map's view now (zoom the map to the area first)",
  ],
  osmClipNoView: ['地图当前视野不是有效范围。', "the map's view is not an area."],
  osmClipBoxLabel: ['范围（西,南,东,北，WGS84 度）', 'Box (west,south,east,north, WGS84 degrees)'],
  osmClipApply: ['按此范围重新读取', 'Read again in this box'],
  osmClipNoStudyArea: [
    '尚未加载研究范围：先用“加载研究范围…”加载，或输入一个范围。',
    'No study area is loaded: load one with Load study area…, or type a box.',
  ],
  osmClipNoCommunities: [
    '尚无社区可确定范围：先加载社区，或输入一个范围。',
    'No communities to take the extent from: load communities first, or type a box.',
  ],
  positionLon: ['经度列', 'Longitude column'],
  positionLat: ['纬度列', 'Latitude column'],
  positionOne: ['或一列位置（lng,lat 或 WKT）', 'Or one position column (lng,lat or WKT)'],
  columnId: ['编号', 'Id'],
  columnName: ['名称', 'Name'],
  columnType: ['类型', 'Type'],
  columnPopulation: ['人口', 'Population'],
  columnHouseholds: ['户数', 'Households'],
  columnCapacity: ['容量（学位、床位、托位）', 'Capacity (places, beds)'],
  columnDistrict: ['区县/街道', 'District'],
  columnStatus: ['状态', 'Status'],
  dropHere: ['松开以加载文件', 'Release to load the files'],
  bundled: ['内置示例：平凉（合成数据）', 'Bundled example: Pingliang (synthetic data)'],
  resetBundled: ['重新打开示例', 'Reopen the example'],
  exportHeading: ['导出', 'Export'],
  exportGeojson: ['社区结果 GeoJSON', 'Communities GeoJSON'],
  exportCsv: ['缺口表 CSV', 'Gaps CSV'],
  exportPng: ['地图 PNG', 'Map PNG'],
  exportScenario: ['方案文件', 'Scenario file'],
  exportSites: ['选址点 GeoJSON', 'Sites GeoJSON'],
  exportComplianceCsv: ['达标评估 CSV', 'Compliance CSV'],
  exportComplianceGeojson: ['达标评估 GeoJSON', 'Compliance GeoJSON'],
  colourBy: ['着色方式', 'Colour by'],
  modeGapsRequired: ['缺口数（完整社区必配的 {n} 类）', 'Number of gaps ({n} complete-community types)'],
  modeGapsAll: ['缺口数（全部 {n} 类）', 'Number of gaps (all {n} types)'],
  modeType: ['单类设施覆盖率', 'Covered share of one type'],
  modeProfile: ['标准达标（达标/不达标/未知）', 'Standard profile: pass / fail / unknown'],
  profile: ['评价标准', 'Standard profile'],
  profileItem: ['标准项目', 'Item of the standard'],
  profileAllItems: ['全部必配项（完整/不完整/未知）', 'All required items (complete / incomplete / unknown)'],
  profileEvaluating: ['正在按标准评估…', 'Evaluating the standard…'],
  profileNotEvaluated: ['尚未按标准评估', 'Not evaluated against a standard yet'],
  profileEvaluate: ['重新评估', 'Evaluate'],
  distanceGreatCircle: ['直线距离', 'Straight line'],
  distanceNetwork: ['沿道路步行（{file}）', 'Walking along the roads ({file})'],
  distanceNetworkNone: ['沿道路步行（需加载道路网络）', 'Walking along roads (load a road network)'],
  distanceHintGreatCircle: [
    '正在使用直线距离：服务范围为以设施为圆心的半径圆。',
    'In use: straight-line distance; catchments are radius circles around each facility.',
  ],
  distanceHintNetworkAvailable: [
    '已加载道路网络 {file}，可在上方切换为沿道路的步行距离。',
    'Road network {file} is loaded: switch to walking distance above.',
  ],
  distanceHintNetwork: [
    '正在使用沿 {file} 道路的步行距离（{nodes} 个节点）：服务范围为步行可达范围。',
    'In use: walking distance along {file} ({nodes} nodes); catchments are the streets reachable on foot.',
  ],
  walkingCatchmentsLoading: ['正在计算步行可达范围…', 'Drawing walking catchments…'],
  // Headline notes, the network's pieces and walkers (issues #13, #14): panels/honest-notes.ts,
  // panels/network.ts, panels/walking.ts.
  headlineNote: ['注', 'Note'],
  coverageReached: [
    '覆盖率：全部居民 / 路网可达居民',
    'Covered share: all residents / residents the network reaches',
  ],
  coverageAll: ['全部居民', 'all residents'],
  coverageOfReached: ['路网可达居民', 'reached'],
  absentTypesTitle: ['未知（输入中无此类设施）', 'Unknown (no facilities of this type in the input)'],
  absentTypesLine: [
    '{name}：输入中没有 {types} 设施，判为“未知”而非“不达标”',
    '{name}: no {types} facilities in the input, so unknown, not fail',
  ],
  inventoryComplete: [
    '设施文件视为完整清单：缺少的类型判为不达标。',
    'The facility file counts as the whole inventory: absent types fail.',
  ],
  networkTitle: ['道路网络', 'Road network'],
  networkNone: ['未加载道路网络。', 'No road network loaded.'],
  networkPieces: [
    '{count} 个互不连通的部分，点可接入其中 {allowed} 个（{rule}）',
    '{count} pieces not joined to each other; points snap onto {allowed} of them ({rule})',
  ],
  networkPieceHead: ['部分', 'Piece'],
  networkPieceLength: ['长度', 'Length'],
  networkPieceLengthShare: ['占长度', 'Of length'],
  networkPieceDemandShare: ['占居民', 'Of residents'],
  networkPieceAllowed: ['可接入', 'Snap'],
  networkReach: [
    '路网可达居民 {reached} / {total}；路网外 {outside}（其中超出路网范围 {beyond}）',
    'Residents the network reaches: {reached} of {total}; outside it: {outside} ({beyond} beyond its edge)',
  ],
  networkFacilities: [
    '超出路网范围的设施 {beyond} 处；范围内但远离道路 {offRoad} 处；位于无居民接入部分 {stranded} 处',
    "Facilities beyond the network's edge: {beyond}; inside it but far from any road: {offRoad}; on a piece no resident is on: {stranded}",
  ],
  networkSmallPieces: [
    '{n} 个社区的居民接入了较小的道路部分（地图上以 ⚠ 标出）',
    '{n} communities have residents snapped onto a small piece of road (marked ⚠ on the map)',
  ],
  snapTo: ['接入的路网部分', 'Snap onto'],
  snapToDefault: ['占路网长度 ≥ 1% 的部分（默认）', 'Pieces with ≥ 1 % of the length (default)'],
  snapToLargest: ['仅最大部分', 'The largest piece only'],
  snapToAll: ['所有部分', 'Every piece'],
  snapToMinShare: ['占长度至少…', 'Pieces with at least…'],
  snapCost: ['到道路的步行', 'Walk to the road'],
  snapCostWalk: ['计入半径（默认）', 'counts against the radius (default)'],
  snapCostFree: ['不计入', 'is free'],
  driveOnlyTitle: ['这像是机动车道路网', 'This looks like a drive network'],
  walkingTitle: ['步行者与地形', 'Walkers and terrain'],
  walkingNeedsNetwork: [
    '步行者与地形需沿道路的步行距离：先加载道路网络并切换为步行距离。',
    'Walkers and terrain need walking distance: load a road network and switch to walking.',
  ],
  demLoad: ['加载高程模型（GeoTIFF）…', 'Load an elevation model (GeoTIFF)…'],
  demLoaded: ['高程模型：{file}', 'Elevation model: {file}'],
  demNone: ['无高程模型：按平地步行。', 'No elevation model: walks are flat.'],
  demRemove: ['移除', 'Remove'],
  rasterReadAs: ['读作', 'Read as'],
  rasterAsDem: ['高程模型（地形，同 --dem）', 'Elevation model (terrain, as --dem)'],
  rasterAsPopulation: [
    '人口栅格（社区内人口分布，同 --population-raster）',
    'Population raster (where people live, as --population-raster)',
  ],
  rasterGuessElevation: ['数值像高程：{reason}', 'Its values look like heights: {reason}'],
  rasterGuessPopulation: ['数值像人口数：{reason}', 'Its values look like counts of people: {reason}'],
  walkersOn: ['按步行者计时（分钟）', 'Time each type for its walker (minutes)'],
  walkerFor: ['步行者', 'Walker'],
  walkerRadius: ['{min} 分钟（{m} 米，按 {kmh} 公里/时）', '{min} min ({m} m at {kmh} km/h)'],
  walkerLost: [
    '比平地少覆盖 {n} 个社区（{pop} 人）',
    '{n} communities lose coverage against the flat walk ({pop} residents)',
  ],
  walkerLostNone: ['与平地相同', 'same as the flat walk'],
  walkingLostMarks: [
    '地图上以 ⛰ 标出因地形、台阶或步速失去覆盖的社区。',
    'Communities that lose coverage to terrain, steps or pace are marked ⛰ on the map.',
  ],
  facilityType: ['设施类型', 'Facility type'],
  showCatchments: ['显示服务范围', 'Show catchments'],
  showFacilities: ['显示设施', 'Show facilities'],
  basemap: ['底图（可选）', 'Basemap (optional)'],
  basemapHint: [
    '栅格瓦片 URL（含 {z}/{x}/{y}）或 PMTiles URL',
    'Raster tile URL with {z}/{x}/{y}, or a PMTiles URL',
  ],
  basemapApply: ['应用', 'Apply'],
  basemapNone: ['无（离线，纯色背景）', 'None (offline, plain background)'],
  basemapLocal: ['本地矢量底图（PMTiles）', 'Local vector basemap (PMTiles)'],
  basemapOsm: ['OpenStreetMap（在线）', 'OpenStreetMap (online)'],
  basemapTianditu: ['天地图（在线，需自己的密钥）', 'Tianditu 天地图 (online, your own key)'],
  basemapAmap: ['高德地图（在线，GCJ-02）', 'AMap 高德 (online, GCJ-02)'],
  basemapRaster: ['其他栅格瓦片 URL', 'Other raster tile URL'],
  basemapLocalUrl: ['PMTiles 文件地址（与本站同源）', 'PMTiles archive URL (on this site)'],
  basemapLocalFile: ['或选择 .pmtiles 文件…', 'Or choose a .pmtiles file…'],
  basemapTiandituKey: ['天地图密钥（tk）', 'Tianditu key (tk)'],
  basemapImagery: ['影像（卫星）', 'Imagery (satellite)'],
  basemapOnlineNote: [
    '在线底图：瓦片从 {host} 获取，地图范围会发送给该服务。',
    'Online basemap: tiles are fetched from {host}, which sees the area you view.',
  ],
  basemapGcj02Note: [
    '高德瓦片为 GCJ-02 坐标：地图上的所有内容已偏移到 GCJ-02 显示，分析仍按 WGS84 计算。',
    "AMap's tiles are in GCJ-02: everything on the map is shifted to GCJ-02 for display; the analysis stays in WGS84.",
  ],
  basemapAttribution: ['底图：{text}', 'Basemap: {text}'],
  tiandituKeyMissing: ['请填写天地图密钥（tk）', 'Enter your Tianditu key (tk)'],
  basemapUnreadable: ['无法读取底图 {name}：{reason}', 'Cannot read the basemap {name}: {reason}'],
  basemapRemove: ['移除', 'Remove'],
  indicators: ['城市指标', 'City indicators'],
  communities: ['社区', 'Communities'],
  population: ['人口', 'Population'],
  residents: ['常住人口', 'Residents'],
  facilities: ['设施', 'Facilities'],
  withGap: ['有缺口的社区', 'Communities with a gap'],
  completeRate: ['完整社区比例', 'Complete-community rate'],
  completeRateAtMost: ['数据补齐后最多 {pct}', 'at most {pct} once data is complete'],
  coveredShareByType: ['各类设施覆盖人口比例', 'Share of residents covered, by type'],
  placesPer1000: ['每千人托位/床位', 'Places or beds per 1,000 residents'],
  completeByCounty: ['各区县完整社区比例（{profile}）', 'Complete-community rate by county ({profile})'],
  completeByCountyKey: [
    '深色：已确认完整；浅色：未知项补齐后最多可达',
    'Dark: confirmed complete; light: at most, once unknown items are known',
  ],
  indicatorsAgainstTargets: ['指标与目标（{profile}）', 'Indicators against targets ({profile})'],
  targetKey: ['竖线为目标值；绿色已达标，红色未达标', 'Line: the target; green met, red not met'],
  noTarget: ['无具体目标', 'no figure set'],
  provisional: ['部分数据缺失，按已知数据计算', 'part of the data unknown: counts what is known'],
  unconfirmedValues: [
    '{n} 个标准数值未经官方文本核实（见 CLI 报告）',
    '{n} values of the standard are not confirmed against the official text (see the CLI report)',
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
  legendCatchment: ['服务半径 {r} 米（直线）', 'Catchment {r} m (straight line)'],
  legendWalkingCatchment: ['步行 {r} 米可达范围', 'Reachable on foot within {r} m'],
  legendProposed: ['拟建设施', 'Proposed facility'],
  legendSite: ['选址结果（按序）', 'Chosen site (ranked)'],
  legendCounty: ['区县界', 'County boundary'],
  legendAfter: ['新增后', 'after new sites'],
  card: ['社区详情', 'Community'],
  close: ['关闭', 'Close'],
  // Accessibility, print and share (issue #15).
  palette: ['配色', 'Palette'],
  paletteDefault: ['默认（红—绿）', 'Default (red–green)'],
  paletteViridis: ['Viridis（色盲友好）', 'Viridis (colour-blind safe)'],
  paletteCividis: ['Cividis（色盲友好）', 'Cividis (colour-blind safe)'],
  mapRegion: ['地图', 'Map'],
  legendRegion: ['图例', 'Legend'],
  panelRegion: ['分析面板', 'Analysis panel'],
  meetingHeading: ['打印与分享', 'Print and share'],
  printButton: ['打印…', 'Print…'],
  printPaper: ['纸张', 'Paper'],
  printOrientation: ['方向', 'Orientation'],
  printLandscape: ['横向', 'Landscape'],
  printPortrait: ['纵向', 'Portrait'],
  printNorth: ['北', 'N'],
  printHeadline: ['主要指标', 'Headline figures'],
  printIndicators: ['指标与目标', 'Indicators against targets'],
  printIndicator: ['指标', 'Indicator'],
  printValue: ['现状', 'Value'],
  printTarget: ['目标', 'Target'],
  printMet: ['达标', 'Met'],
  printSites: ['新选址（按排名）', 'New sites, ranked'],
  printRank: ['排名', 'Rank'],
  printSite: ['选址', 'Site'],
  printAdded: ['新增覆盖居民', 'Residents added'],
  printCumulative: ['累计覆盖率', 'Cumulative share'],
  printNoSites: ['尚未运行选址', 'No siting run yet'],
  printMade: ['制图：lifecircle，{date}', 'Made with lifecircle, {date}'],
  shareLink: ['复制分享链接', 'Copy share link'],
  shareLinkReady: [
    '分享链接已放入地址栏{copied}。打开该链接即重现相同的方案与数字。',
    'The share link is in the address bar{copied}. Opening it reopens the same scenario and figures.',
  ],
  shareCopied: ['并已复制', ' and copied'],
  shareMissingFiles: [
    '以下文件无法随链接传递（链接只带方案设置，不带数据），打开链接后需重新拖入：{files}。如需连同数据分享，请用“方案文件”。',
    'These files cannot travel in a link (a link carries the settings, not the data): drop them again after opening it: {files}. To share the data too, use the scenario file.',
  ],
  shareOpened: ['已打开分享链接', 'Opened the shared link'],
  shareWaitsForFiles: [
    '该链接基于发送者自己的数据，只带方案设置。请将这些文件拖到地图上：{files}。全部拖入后即按链接的设置重现相同的数字。',
    "This link was made on the sender's own files and carries their settings only. Drop these files on the map: {files}. Once all are loaded, the link opens with its settings, to the same figures.",
  ],
  scenarioMissingFiles: [
    '此方案用到但未随附以下文件：{files}。请重新拖入（按原角色读取）。',
    'This scenario was made with files it does not carry: {files}. Drop them again to use them (each is read in the role it had).',
  ],
  shareBroken: ['分享链接无法读取：{reason}', 'The shared link cannot be read: {reason}'],
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
  compliance: ['标准达标项（{profile}）', 'Compliance items ({profile})'],
  item: ['项目', 'Item'],
  status: ['结果', 'Result'],
  pass: ['达标', 'pass'],
  fail: ['不达标', 'fail'],
  unknown: ['未知', 'unknown'],
  complete: ['完整', 'complete'],
  incomplete: ['不完整', 'incomplete'],
  unknownCompleteness: ['未知（数据不足）', 'unknown (data missing)'],
  legendPass: ['达标', 'passes'],
  legendFail: ['不达标', 'fails'],
  legendUnknown: ['无法判断（数据不足）', 'cannot be judged (data missing)'],
  legendComplete: ['完整（全部必配项达标）', 'complete (every required item passes)'],
  legendIncomplete: ['不完整（有必配项不达标）', 'incomplete (a required item fails)'],
  legendUnknownCompleteness: ['未知（无不达标项，但有项缺数据）', 'unknown (none fails, some lack data)'],
  complianceSummary: [
    '{verdict}：{failed} 项不达标，{unknown} 项未知，得分 {score}',
    '{verdict}: {failed} items fail, {unknown} unknown, score {score}',
  ],
  tierAttained: ['达到的生活圈层级：{tier}', 'Life-circle tier attained: {tier}'],
  tierNone: ['无', 'none'],
  optionalItem: ['（可选）', '(optional)'],
  loadingItems: ['正在读取达标项…', 'Reading the items…'],
  metres: ['{n} 米', '{n} m'],
  siting: ['新设施选址', 'Siting new facilities'],
  sitingModel: ['模型', 'Model'],
  modelMclp: ['最大覆盖（MCLP）', 'Maximal covering (MCLP)'],
  modelLscp: [
    '集合覆盖（达到目标覆盖比例的最少站点）',
    'Set covering (fewest sites to reach a target share)',
  ],
  targetShare: ['目标覆盖人口比例（%）', 'Target share of residents covered (%)'],
  modelPmedian: ['P 中位（总步行距离最小）', 'p-median (least total distance)'],
  modelPcenter: ['P 中心（最远居民距离最小）', 'p-center (least worst distance)'],
  modelCapacitated: ['容量约束覆盖（按托位/床位）', 'Capacitated coverage (places per site)'],
  perCommunity: ['每个社区都达到该比例', 'Every community reaches the share'],
  ratePer1000: ['每千人需求（托位/床位）', 'Demand per 1,000 residents (places)'],
  capacityPerSite: ['每个新站点容量', 'Capacity of a new site'],
  exactSolver: ['小规模时用 HiGHS 求精确解（较慢）', 'Solve small instances exactly with HiGHS (slower)'],
  candidateSpacing: ['网格间距（米，0 为半径的一半）', 'Grid spacing (m; 0: half the radius)'],
  served: ['服务人数', 'Served'],
  capacityUse: ['容量使用', 'Capacity use'],
  oversubscribed: ['超负荷站点：{ids}', 'Over-subscribed sites: {ids}'],
  objectiveMeanCost: [
    '平均距最近设施（超过 {cap} 米按 {cap} 米计）',
    'Mean distance to the nearest (capped at {cap} m)',
  ],
  objectiveWorstCost: ['最远居民距离', 'Farthest resident'],
  objectiveServed: ['服务人数（容量内）', 'Residents served (within capacity)'],
  objectiveSites: ['所需新站点', 'New sites needed'],
  curveServed: ['服务人口比例与站点数', 'Share served against number of sites'],
  useAsProposals: ['改为拟建设施（可拖动调整）', 'Turn into proposals (drag to adjust)'],
  sitingDistance: ['距离：{distance}', 'Distance: {distance}'],
  sitesCount: ['新增站点数', 'Number of new sites'],
  candidates: ['候选点', 'Candidates'],
  candidatesGenerated: [
    '自动生成（有缺口社区的网格点和社区中心）',
    'Generated (a grid over communities with a gap, and community centres)',
  ],
  candidatesLoaded: ['已加载的候选点文件（{n} 个）', 'Loaded candidate file ({n} features)'],
  loadCandidates: ['加载候选点…', 'Load candidates…'],
  sitingConstraints: ['约束条件', 'Constraints'],
  budget: ['预算（候选点 cost 列之和）', "Budget (sum of the candidates' cost)"],
  budgetOn: ['限定预算', 'Limit the budget'],
  defaultCost: ['无 cost 的候选点费用', 'Cost of a candidate without one'],
  minSpacing: ['新址最小间距（米，0 为不限）', 'Least spacing of new sites (m, 0: none)'],
  minPerDistrict: ['每个区县至少新址数（0 为不限）', 'Least new sites per district (0: none)'],
  excludedAreas: ['禁建区', 'Excluded areas'],
  loadExcludedAreas: ['加载禁建区…', 'Load excluded areas…'],
  studyArea: ['研究范围', 'Study area'],
  loadStudyArea: ['加载研究范围…', 'Load study area…'],
  clipToStudyArea: ['生成的候选点限于研究范围内', 'Generate candidates inside the study area only'],
  areaNotLoaded: ['未加载', 'not loaded'],
  drawnAreas: ['在地图上绘制的禁建区', 'Excluded areas drawn on the map'],
  drawArea: ['绘制禁建区', 'Draw an excluded area'],
  drawAreaHint: [
    '点击地图添加角点；或用方向键平移地图，把中心十字对准角点后按“在中心添加角点”。至少 3 个角点。',
    'Click the map to add corners, or pan the map with the arrow keys until the cross at its centre is on a corner and press “Add a corner at the centre”. Three corners at least.',
  ],
  draftCorners: ['已有 {n} 个角点', '{n} corners so far'],
  addCornerAtCentre: ['在中心添加角点', 'Add a corner at the centre'],
  finishArea: ['完成', 'Finish the area'],
  cancelArea: ['取消', 'Cancel'],
  areaTooFewCorners: [
    '禁建区至少需要 {least} 个角点，目前只有 {n} 个。',
    'An excluded area needs {least} corners at least; this one has {n}.',
  ],
  drawnArea: ['禁建区 {n}（{corners} 个角点）', 'Area {n} ({corners} corners)'],
  editArea: ['移动角点', 'Move corners'],
  stopEditingArea: ['完成移动', 'Done moving'],
  removeArea: ['删除', 'Remove'],
  proposeAtCentre: ['在地图中心添加拟建设施', 'Propose a facility at the map’s centre'],
  moveToCentre: ['移到地图中心', 'Move to the centre'],
  removeProposal: ['删除', 'Remove'],
  areaLoaded: ['{name}（{n} 个面）', '{name} ({n} polygons)'],
  runSiting: ['开始选址', 'Choose sites'],
  cancel: ['取消', 'Cancel'],
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
  servedBefore: ['现状容量内服务', 'Served now (within capacity)'],
  servedAfter: ['新增后容量内服务', 'Served after (within capacity)'],
  servedAdded: ['新增服务人口', 'Residents newly served'],
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
  // MCLP: why its bound stopped, core's `boundStop` as is (proved, within-tolerance, stalled, …).
  boundStopInfo: ['（界的迭代止于：{stop}）', ' (the bound stopped: {stop})'],
  files: ['已加载文件', 'Loaded files'],
  problems: ['数据问题', 'Problems in the data'],
  rejected: ['{n} 个要素未被使用', '{n} features were not used'],
  categoriesHeading: ['POI 类别', 'POI categories'],
  categoriesTyped: ['按类别规则确定类型的设施', 'Facilities typed by a category rule'],
  categoriesUnmapped: [
    '{n} 个类别未对应任何设施类型（共 {facilities} 个设施未使用）',
    '{n} categories map to no facility type ({facilities} facilities not used)',
  ],
  categoryRule: ['规则', 'Rule'],
  categoryMapping: ['对应', 'Mapping'],
  categoryExact: ['精确', 'exact'],
  categoryBroad: ['宽泛', 'broad'],
  categoryByName: ['（按名称）', ' (by name)'],
  category: ['类别', 'Category'],
  categoryFacilities: ['设施数', 'Facilities'],
  categoryExamples: ['示例', 'Examples'],
  categoryDidYouMean: ['是否指：{ids}', 'did you mean: {ids}'],
  categoryHowToMap: [
    '在查看器中：在上表中为类别选择设施类型，或加载类别对照表（category,type 两列的 CSV）；命令行与程序库：',
    'In the viewer: choose a type for a category in the table above, or load a type map (a CSV of category,type rows); in the CLI and the library: ',
  ],
  categoryMapTo: ['对应为…', 'Map to…'],
  categoryMapToLabel: ['“{category}”对应的设施类型', 'Facility type for “{category}”'],
  typeMapLoad: ['加载类别对照表…', 'Load a type map…'],
  typeMapLoaded: [
    '类别对照表：{file}（{n} 行；据此确定类型的设施：{facilities}）',
    'Type map: {file} (rows: {n}; facilities it typed: {facilities})',
  ],
  typeMapNone: [
    '类别对照表（category,type 两列的 CSV，与命令行工具读取的对照表相同）可把未对应的类别对应到设施类型。',
    'A type map (a CSV of category,type rows, the same file the command-line tool reads) maps unmapped categories to facility types.',
  ],
  typeMapDownload: ['下载对照表', 'Download the type map'],
  typeMapRemove: ['移除对照表', 'Remove the type map'],
  typeMapProblems: ['类别对照表有问题', 'The type map has problems'],
  warnings: ['提示', 'Warnings'],
  file: ['文件', 'File'],
  index: ['序号', 'Index'],
  row: ['行', 'Row'],
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
  stageCandidates: ['读取和生成候选点', 'Reading and generating candidate sites'],
  stageTable: ['计算候选点的覆盖范围', 'Measuring what each candidate reaches'],
  stageSolve: ['求解选址模型', 'Solving the siting model'],
  stageReport: ['整理结果', 'Writing the answer'],
  ready: ['完成，用时 {ms} 毫秒', 'Done in {ms} ms'],
  readyThreads: ['完成，用时 {ms} 毫秒（{threads} 个线程）', 'Done in {ms} ms on {threads} threads'],
  readyOneThread: [
    '完成，用时 {ms} 毫秒（单线程：页面未启用跨源隔离，服务器需发送 COOP/COEP 响应头）',
    'Done in {ms} ms on one thread (the page is not cross-origin isolated: its server must send the COOP and COEP headers)',
  ],
  cancelled: ['已取消', 'Cancelled'],
  scenarioLoaded: ['已打开方案文件 {name}', 'Opened scenario {name}'],
  roadsLoaded: ['已加载道路网络 {name}，改用步行距离', 'Loaded road network {name}; walking distance in use'],
  candidatesFileLoaded: ['已加载候选点 {name}', 'Loaded candidates {name}'],
  sitingAreaLoaded: ['已加载选址范围 {name}', 'Loaded siting area {name}'],
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

  /**
   * A facility type's (catalog, snake_case) or a requirement's (core's `RequirementInfo`,
   * camelCase) name in the current language.
   */
  typeName(
    type:
      | { readonly name_zh: string; readonly name_en: string }
      | { readonly nameZh: string; readonly nameEn: string },
  ): string {
    const zh = this.locale === 'zh-CN';
    if ('nameZh' in type) return zh ? type.nameZh : type.nameEn;
    return zh ? type.name_zh : type.name_en;
  }
}

/** The locale to open with: `?lang=`, then the last choice, then Chinese. */
export function initialLocale(search: string, stored: string | null): Locale {
  const asked = new URLSearchParams(search).get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  if (asked === 'zh') return 'zh-CN';
  return stored === 'en' ? 'en' : 'zh-CN';
}
