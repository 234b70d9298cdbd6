import amapTable from './categories/amap.json' with { type: 'json' };
import baiduTable from './categories/baidu.json' with { type: 'json' };
import nameTable from './categories/names.json' with { type: 'json' };
import osmTable from './categories/osm.json' with { type: 'json' };

/** Where a POI category comes from: an AMap or Baidu export, or OpenStreetMap tags. */
export type CategoryScheme = 'amap' | 'baidu' | 'osm';

/**
 * `exact`: the category alone decides the type (a name can still exclude the feature). `broad`: the
 * category covers several kinds of place, so the feature's name decides.
 */
export type CategoryMapping = 'exact' | 'broad';

/** Where a category table's rules come from. */
export interface CategorySource {
  readonly title: string;
  readonly url: string;
  /** How the scheme writes a category (levels, codes, separators). */
  readonly structure: string;
}

/** One rule of a category table, as the table file writes it. */
export interface CategoryRule {
  /** Stable id, reported with the number of facilities it typed. */
  readonly id: string;
  /** AMap/Baidu: the category levels joined by `;`; a shorter category covers every class below it. */
  readonly category?: string;
  /** AMap: the six-digit typecode, or its first two or four digits for a whole major or middle class. */
  readonly typecode?: string;
  /** OpenStreetMap: tags that must all hold; a list holds when any of its values does. */
  readonly tags?: Readonly<Record<string, string | readonly string[]>>;
  readonly mapping: CategoryMapping;
  /** Exact rules: the catalog type id, or null for a category that is no life-circle facility. */
  readonly type?: string | null;
  /** Why a `type: null` rule gives no type. */
  readonly why?: string;
  /** Broad rules: the name sets (names.json) that decide. */
  readonly names?: readonly string[];
  /** Broad rules: the type when no name rule matches; none when absent. */
  readonly fallback?: string | null;
}

/** A category table file: its scheme, source and rules. */
export interface CategoryTable {
  readonly scheme: CategoryScheme;
  readonly source: CategorySource;
  readonly rules: readonly CategoryRule[];
}

/** A rule on a feature's name, in a name set or as an exclusion. */
export interface NameRule {
  readonly id: string;
  /** Patterns the name (without a trailing bracketed branch) ends with. */
  readonly endsWith?: readonly string[];
  /** Patterns found anywhere in the name. */
  readonly contains?: readonly string[];
  /** Name sets: the catalog type, or null for a place that is no catalog facility. */
  readonly type?: string | null;
  /** Exclusions: the catalog types they apply to, or `*` for all. */
  readonly types?: '*' | readonly string[];
  readonly why?: string;
}

/** The name sets broad categories refer to, and the exclusions every category rule obeys. */
export interface NameRules {
  readonly sets: Readonly<Record<string, readonly NameRule[]>>;
  readonly exclusions: readonly NameRule[];
}

/** Every table {@link categorize} consults. */
export interface CategoryRules {
  readonly tables: readonly CategoryTable[];
  readonly names: NameRules;
}

/** The tables shipped beside the catalog (src/standards/categories/*.json). */
export const BUILT_IN_CATEGORY_RULES: CategoryRules = {
  tables: [amapTable as CategoryTable, baiduTable as CategoryTable, osmTable as unknown as CategoryTable],
  names: nameTable as NameRules,
};

/** What {@link categorize} found for one feature. */
export interface CategoryDecision {
  /** The catalog type id, or null when the feature gets none. */
  readonly typeId: string | null;
  /**
   * The category the decision rests on, as the file spells it (`科教文化服务;学校;幼儿园`, `141204`,
   * `amenity=clinic`); null when the feature carries no category at all.
   */
  readonly category: string | null;
  /** The property the category was read from (`type`, `typecode`, `tag`, or an OSM key). */
  readonly field: string | null;
  readonly scheme: CategoryScheme | null;
  /** The category rule that matched, or null when none did. */
  readonly rule: string | null;
  readonly mapping: CategoryMapping | null;
  /** The name rule that decided a broad category or excluded the feature, if one did. */
  readonly nameRule: string | null;
  /** Why the feature got no type; null when it got one. */
  readonly why: string | null;
}

/** The properties a POI export keeps its name in, in order of preference. */
const NAME_FIELDS = ['name', '名称', 'NAME', 'Name', 'poi_name', 'title'];
/** OSM keys whose value names what a feature is, in the order they label a category. */
const OSM_KEYS = [
  'amenity',
  'shop',
  'leisure',
  'healthcare',
  'social_facility',
  'office',
  'tourism',
  'craft',
];

/** A feature's name as POI exports give it, or null. */
export function featureName(properties: Readonly<Record<string, unknown>>): string | null {
  for (const field of NAME_FIELDS) {
    const value = properties[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** One category of a feature, with the property it came from and, for AMap, its paired typecode. */
interface CategoryPart {
  readonly field: string;
  readonly text: string;
  readonly levels: readonly string[] | null;
  readonly typecode: string | null;
}

function levelsOf(category: string): string[] {
  return category
    .split(/[;；]/)
    .map((level) => level.trim())
    .filter((level) => level !== '');
}

const TYPECODE = /^\d{6}$/;

/**
 * The categories a feature carries, in the order they are tried: each `|`-joined part of `type`
 * (with the typecode at the same position), then typecodes alone, then Baidu's `tag` parts.
 */
function categoryParts(properties: Readonly<Record<string, unknown>>): CategoryPart[] {
  const parts: CategoryPart[] = [];
  const typeText = text(properties.type);
  const codes = (text(properties.typecode) ?? '')
    .split('|')
    .map((code) => code.trim())
    .filter((code) => TYPECODE.test(code));
  const typeParts = typeText?.includes(';') || typeText?.includes('；') ? typeText.split('|') : [];
  typeParts.forEach((part, i) => {
    parts.push({ field: 'type', text: part.trim(), levels: levelsOf(part), typecode: codes[i] ?? null });
  });
  for (const code of codes.slice(typeParts.length)) {
    parts.push({ field: 'typecode', text: code, levels: null, typecode: code });
  }
  const tag = text(properties.tag);
  if (tag) {
    for (const part of tag.split(/[|,，]/)) {
      if (part.trim() !== '')
        parts.push({ field: 'tag', text: part.trim(), levels: levelsOf(part), typecode: null });
    }
  }
  return parts;
}

/**
 * OSM tags of a feature: its own properties, a `tags` object (OSM readers), or GDAL's `other_tags`
 * hstore text (`"isced:level"=>"1","operator"=>"…"`).
 */
function osmTags(properties: Readonly<Record<string, unknown>>): Map<string, string> {
  const tags = new Map<string, string>();
  const nested = properties.tags;
  const add = (source: Readonly<Record<string, unknown>>) => {
    for (const [key, value] of Object.entries(source)) {
      const v = text(value);
      if (v !== null && !tags.has(key)) tags.set(key, v);
    }
  };
  add(properties);
  if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
    add(nested as Record<string, unknown>);
  }
  const other = properties.other_tags;
  if (typeof other === 'string') {
    for (const match of other.matchAll(/"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"/g)) {
      if (!tags.has(match[1]!)) tags.set(match[1]!, match[2]!);
    }
  }
  return tags;
}

/** The OSM category label of a feature (`amenity=school`), or null when it has none of the main keys. */
function osmCategory(tags: ReadonlyMap<string, string>): { key: string; label: string } | null {
  for (const key of OSM_KEYS) {
    const value = tags.get(key);
    if (value !== undefined) return { key, label: `${key}=${value}` };
  }
  return null;
}

/** The keys under which a feature's categories may appear in a user's type map, most specific first. */
export function categoryKeys(properties: Readonly<Record<string, unknown>>): string[] {
  const keys: string[] = [];
  const typeText = text(properties.type);
  if (typeText) keys.push(typeText);
  for (const part of categoryParts(properties)) {
    keys.push(part.text);
    if (part.typecode) keys.push(part.typecode);
  }
  const tags = osmTags(properties);
  for (const key of OSM_KEYS) {
    const value = tags.get(key);
    if (value !== undefined) keys.push(`${key}=${value}`);
  }
  return [...new Set(keys)];
}

// A trailing bracketed part names a branch or a place (湘湖社区卫生服务站(小牌坊胡同)), not what the place is.
const TRAILING_BRACKETS = /\s*[(（【[][^()（）【】[\]]*[)）】\]]\s*$/;

function nameStem(name: string): string {
  let stem = name.trim();
  for (let i = 0; i < 3 && TRAILING_BRACKETS.test(stem); i++) stem = stem.replace(TRAILING_BRACKETS, '');
  return stem.replace(/[\s\-－—_·]+$/, '');
}

/** Length of the longest pattern of `rule` the name matches, or 0. */
function nameMatch(rule: NameRule, name: string, stem: string): number {
  let best = 0;
  for (const pattern of rule.endsWith ?? [])
    if (stem.endsWith(pattern)) best = Math.max(best, pattern.length);
  for (const pattern of rule.contains ?? [])
    if (name.includes(pattern)) best = Math.max(best, pattern.length);
  return best;
}

/** The name rule of the sets whose longest pattern matches the name; ties go to the first listed. */
function bestNameRule(rules: readonly NameRule[], name: string | null): NameRule | null {
  if (name === null) return null;
  const stem = nameStem(name);
  let best: NameRule | null = null;
  let bestLength = 0;
  for (const rule of rules) {
    const length = nameMatch(rule, name, stem);
    if (length > bestLength) {
      best = rule;
      bestLength = length;
    }
  }
  return best;
}

function pathRuleScore(rule: CategoryRule, part: CategoryPart): number {
  let score = 0;
  if (rule.category !== undefined && part.levels !== null) {
    const levels = levelsOf(rule.category);
    if (levels.length <= part.levels.length && levels.every((level, i) => part.levels![i] === level)) {
      score = levels.length;
    }
  }
  if (rule.typecode && part.typecode?.startsWith(rule.typecode)) {
    score = Math.max(score, rule.typecode.length / 2);
  }
  return score;
}

function osmRuleScore(rule: CategoryRule, tags: ReadonlyMap<string, string>): number {
  if (rule.tags === undefined) return 0;
  const conditions = Object.entries(rule.tags);
  for (const [key, wanted] of conditions) {
    const value = tags.get(key);
    if (value === undefined) return 0;
    const values = value.split(';').map((v) => v.trim());
    const allowed = typeof wanted === 'string' ? [wanted] : wanted;
    if (!values.some((v) => allowed.includes(v))) return 0;
  }
  return conditions.length;
}

interface Match {
  readonly rule: CategoryRule;
  readonly scheme: CategoryScheme;
}

function best(candidates: readonly { match: Match; score: number }[]): Match | null {
  let chosen: { match: Match; score: number } | null = null;
  for (const c of candidates) if (c.score > 0 && (chosen === null || c.score > chosen.score)) chosen = c;
  return chosen?.match ?? null;
}

function applyRule(
  match: Match,
  name: string | null,
  names: NameRules,
  category: string,
  field: string,
): CategoryDecision {
  const { rule, scheme } = match;
  const base = { category, field, scheme, rule: rule.id, mapping: rule.mapping };
  let typeId: string | null;
  let nameRule: string | null = null;
  let why: string | null = null;
  if (rule.mapping === 'exact') {
    typeId = rule.type ?? null;
    if (typeId === null) why = rule.why ?? 'the category is not a life-circle facility';
  } else {
    const sets = (rule.names ?? []).flatMap((set) => names.sets[set] ?? []);
    const byName = bestNameRule(sets, name);
    if (byName) {
      typeId = byName.type ?? null;
      nameRule = byName.id;
      if (typeId === null) why = byName.why ?? 'the name says it is not a life-circle facility';
    } else if (rule.fallback) {
      typeId = rule.fallback;
    } else {
      typeId = null;
      why =
        name === null
          ? `a broad category with no name to decide by (name sets: ${(rule.names ?? []).join(', ')})`
          : `a broad category, and the name matches none of its name rules (${(rule.names ?? []).join(', ')})`;
    }
  }
  if (typeId !== null && name !== null) {
    const stem = nameStem(name);
    for (const exclusion of names.exclusions) {
      const applies = exclusion.types === '*' || exclusion.types?.includes(typeId);
      if (applies && nameMatch(exclusion, name, stem) > 0) {
        return {
          ...base,
          typeId: null,
          nameRule: exclusion.id,
          why: exclusion.why ?? 'excluded by its name',
        };
      }
    }
  }
  return { ...base, typeId, nameRule, why };
}

/**
 * The catalog type a POI category means, by the category tables kept beside the catalog
 * (src/standards/categories/): AMap's `type` (`科教文化服务;学校;幼儿园`, several joined by `|`) and
 * `typecode` (`141204`), Baidu's `tag` (`教育培训;幼儿园`, also read from `type`) and OpenStreetMap
 * tags (`amenity=school` with `isced:level`, as properties, a `tags` object or GDAL's `other_tags`).
 *
 * The first category with a matching rule decides (the most specific rule of that category wins).
 * A broad category is decided by the feature's name; any decision can be undone by an exclusion
 * on the name (a head office, a training school, a pet clinic). Pure: reads only its arguments.
 *
 * @example
 * categorize({ type: '医疗保健服务;综合医院;卫生院', name: '湘湖社区卫生服务站' }).typeId;
 * // 'community_health_station' (rule amap-township-health, decided by name)
 * categorize({ type: '医疗保健服务;动物医疗场所;宠物诊所', name: '爱宠宠物诊所' }).typeId; // null
 */
export function categorize(
  properties: Readonly<Record<string, unknown>>,
  rules: CategoryRules = BUILT_IN_CATEGORY_RULES,
): CategoryDecision {
  const name = featureName(properties);
  const pathTables = rules.tables.filter((t) => t.scheme !== 'osm');
  const parts = categoryParts(properties);
  for (const part of parts) {
    const match = best(
      pathTables.flatMap((table) =>
        table.rules.map((rule) => ({
          match: { rule, scheme: table.scheme },
          score: pathRuleScore(rule, part),
        })),
      ),
    );
    if (match) return applyRule(match, name, rules.names, part.text, part.field);
  }
  const tags = osmTags(properties);
  const osm = osmCategory(tags);
  if (osm) {
    const match = best(
      rules.tables
        .filter((t) => t.scheme === 'osm')
        .flatMap((table) =>
          table.rules.map((rule) => ({
            match: { rule, scheme: table.scheme },
            score: osmRuleScore(rule, tags),
          })),
        ),
    );
    if (match) return applyRule(match, name, rules.names, osm.label, osm.key);
  }
  const first = parts[0];
  const category = first?.text ?? osm?.label ?? null;
  return {
    typeId: null,
    category,
    field: first?.field ?? osm?.key ?? null,
    scheme: null,
    rule: null,
    mapping: null,
    nameRule: null,
    why: category === null ? null : 'no category rule matches',
  };
}
