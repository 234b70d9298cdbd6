import { OptionError } from '../validate/problems.js';
import type { FacilityCatalog } from './catalog.js';
import {
  BUILT_IN_CATEGORY_RULES,
  type CategoryMapping,
  type CategoryRules,
  type CategoryScheme,
  categorize,
  categoryKeys,
  featureName,
} from './categorize.js';

/** One row of a user's type map: a category as the data spells it, and the catalog type it means. */
export interface TypeMapEntry {
  /** A full category (`餐饮服务;中餐厅;中餐厅`), one `|` part of it, a typecode, a Baidu tag, `key=value` of OSM, or a plain type text. */
  readonly category: string;
  /** A catalog type id, name or alias. */
  readonly type: string;
  /** The file the row came from, for messages. */
  readonly file?: string;
  /** The row in that file, from 1 as a spreadsheet shows it. */
  readonly row?: number;
}

/** A type map as {@link analyzeCoverage}'s `typeMap` option takes it: rows, or `{ category: type }`. */
export type TypeMapInput = readonly TypeMapEntry[] | Readonly<Record<string, string>>;

/** How a facility got its type: which rule, of what kind. */
export type TypingScheme = CategoryScheme | 'catalog' | 'type-map';

/** What decided one facility's type, or why it has none. */
export interface FacilityTyping {
  readonly typeId: string | null;
  /** Category (or type text) the decision rests on; null when the feature carries none. */
  readonly category: string | null;
  /** Property the category was read from. */
  readonly field: string | null;
  readonly scheme: TypingScheme | null;
  readonly rule: string | null;
  readonly mapping: CategoryMapping | null;
  readonly nameRule: string | null;
  readonly why: string | null;
}

/** Facilities one rule typed, as summary.json reports them. */
export interface TypedByRule {
  readonly rule: string;
  readonly scheme: TypingScheme;
  readonly mapping: CategoryMapping;
  /** True when a name rule decided a broad category. */
  readonly by_name: boolean;
  readonly name_rule: string | null;
  readonly type: string;
  readonly facilities: number;
}

/** A facility named in the unmapped-categories table. */
export interface CategoryExample {
  readonly file: string;
  readonly index: number;
  /** Table row, from 1, when the CLI located it. */
  readonly row?: number;
  readonly id: string | null;
  readonly name: string | null;
}

/** A category (or type text) that gave its facilities no catalog type. */
export interface UnmappedCategory {
  readonly category: string;
  readonly field: string;
  readonly facilities: number;
  /** The first few facilities, with their names. */
  readonly examples: readonly CategoryExample[];
  /** Feature index of every facility counted, so none is lost. */
  readonly indices: readonly number[];
  /** The category rule that matched but gave no type, or null when none matched. */
  readonly rule: string | null;
  readonly name_rule: string | null;
  readonly why: string;
  /** Catalog ids, names or aliases spelt within a small edit distance of a plain type text. */
  readonly did_you_mean?: readonly string[];
}

/** The `categories` section of summary.json: facilities typed per rule, and the unmapped table. */
export interface CategoryReport {
  readonly typed: readonly TypedByRule[];
  readonly unmapped: readonly UnmappedCategory[];
  /** How to map the unmapped categories; present when there are any. */
  readonly how_to_map?: string;
}

/** How many examples each unmapped category names. */
const EXAMPLES_SHOWN = 3;

export const HOW_TO_MAP =
  'map a category to a catalog type with --type-map FILE (CSV rows category,type; library option typeMap), or add it as an alias of a type with --catalog FILE';

// Same folding as the catalog's: case, surrounding space and separators do not matter.
function mapKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_\-/·()（）]+/g, '');
}

/** How many wrong rows of a type map its error lists; the rest are counted. */
const TYPE_MAP_PROBLEMS_SHOWN = 10;

/**
 * Checks a type map against the catalog: every row needs a category and a type the catalog knows,
 * and a category maps to one type. Every wrong row is reported, in one {@link OptionError} naming
 * the file, row and field of each and what was expected (the first ten listed, the rest counted).
 */
export function parseTypeMap(
  input: TypeMapInput,
  catalog: FacilityCatalog,
): Map<string, { typeId: string; label: string }> {
  const entries: readonly TypeMapEntry[] = Array.isArray(input)
    ? (input as readonly TypeMapEntry[])
    : Object.entries(input as Record<string, string>).map(([category, type]) => ({ category, type }));
  const map = new Map<string, { typeId: string; label: string; category: string }>();
  const problems: string[] = [];
  let unknownType = false;
  entries.forEach((entry, i) => {
    const where = `${entry.file === undefined ? '' : `${entry.file} `}row ${entry.row ?? i + 1}`;
    const category = typeof entry.category === 'string' ? entry.category.trim() : '';
    const typeText = typeof entry.type === 'string' ? entry.type.trim() : '';
    if (category === '') {
      problems.push(`${where}, field category: empty; expected the category as the data spells it.`);
      return;
    }
    if (typeText === '') {
      problems.push(`${where}, field type: empty; expected a catalog type for '${category}'.`);
      return;
    }
    const type = catalog.get(typeText) ?? catalog.resolve(typeText);
    if (!type) {
      const close = catalog.suggest(typeText);
      const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : '';
      problems.push(`${where}, field type: unknown catalog type '${typeText}'.${hint}`);
      unknownType = true;
      return;
    }
    const key = mapKey(category);
    const earlier = map.get(key);
    if (earlier && earlier.typeId !== type.id) {
      problems.push(
        `${where}, field category: '${category}' is mapped twice, to ${earlier.typeId} (${earlier.label}) and to ${type.id}.`,
      );
      return;
    }
    map.set(key, { typeId: type.id, label: where, category });
  });
  if (problems.length > 0) {
    const choices = unknownType ? ` Use one of: ${catalog.types.map((t) => t.id).join(', ')}.` : '';
    if (problems.length === 1) throw new OptionError('typeMap', `${problems[0]}${choices}`);
    const listed = problems.slice(0, TYPE_MAP_PROBLEMS_SHOWN).map((p) => `\n  ${p}`);
    const more = problems.length - listed.length;
    throw new OptionError(
      'typeMap',
      `${problems.length} rows are wrong:${listed.join('')}${more > 0 ? `\n  … and ${more} more` : ''}${choices ? `\n${choices.trim()}` : ''}`,
    );
  }
  return map;
}

/**
 * Gives each facility its catalog type: a user's type map first, then the catalog's ids, names and
 * aliases, then the POI category tables ({@link categorize}). Counts what each rule typed and
 * gathers the rest into the unmapped-categories table.
 *
 * @example
 * const typer = new FacilityTyper(FacilityCatalog.builtIn());
 * const typing = typer.type({ type: '科教文化服务;学校;幼儿园', name: '崆峒幼儿园' });
 * typing.typeId; // 'kindergarten'
 */
export class FacilityTyper {
  private readonly typeMap: Map<string, { typeId: string; label: string }>;
  private readonly typed = new Map<string, { entry: Omit<TypedByRule, 'facilities'>; facilities: number }>();
  private readonly unmapped = new Map<
    string,
    {
      entry: Omit<UnmappedCategory, 'facilities' | 'examples' | 'indices'>;
      examples: CategoryExample[];
      indices: number[];
    }
  >();
  private anyCategory = false;

  constructor(
    private readonly catalog: FacilityCatalog,
    typeMap?: TypeMapInput,
    private readonly rules: CategoryRules = BUILT_IN_CATEGORY_RULES,
  ) {
    this.typeMap = typeMap === undefined ? new Map() : parseTypeMap(typeMap, catalog);
  }

  /** The type of one facility by its properties; pure (does not count). */
  type(properties: Readonly<Record<string, unknown>>): FacilityTyping {
    const typeText =
      typeof properties.type === 'string'
        ? properties.type.trim()
        : typeof properties.type === 'number'
          ? String(properties.type)
          : '';
    const keys = categoryKeys(properties);
    for (const key of keys) {
      const mapped = this.typeMap.get(mapKey(key));
      if (mapped) {
        return {
          typeId: mapped.typeId,
          category: key,
          field: null,
          scheme: 'type-map',
          rule: `type-map:${mapped.label}`,
          mapping: 'exact',
          nameRule: null,
          why: null,
        };
      }
    }
    if (typeText !== '') {
      const type = this.catalog.resolve(typeText);
      if (type) {
        return {
          typeId: type.id,
          category: typeText,
          field: 'type',
          scheme: 'catalog',
          rule: 'catalog',
          mapping: 'exact',
          nameRule: null,
          why: null,
        };
      }
    }
    const decision = categorize(properties, this.rules);
    if (decision.typeId !== null && !this.catalog.get(decision.typeId)) {
      return {
        ...decision,
        typeId: null,
        why: `rule ${decision.nameRule ?? decision.rule} gives type ${decision.typeId}, which this catalog lacks`,
      };
    }
    if (decision.category !== null) return decision;
    if (typeText !== '') {
      return {
        ...decision,
        category: typeText,
        field: 'type',
        why: 'neither a catalog type nor a known POI category',
      };
    }
    return decision;
  }

  /**
   * Counts one facility's typing: under its rule when typed, in the unmapped table when not. A
   * typing with no category at all (`category` null) is not counted: the caller rejects such a
   * facility as missing its type.
   */
  count(
    typing: FacilityTyping,
    properties: Readonly<Record<string, unknown>>,
    where: { file: string; index: number; id: string | null },
  ): void {
    if (typing.category === null) return;
    if (typing.scheme !== 'catalog') this.anyCategory = true;
    if (typing.typeId !== null) {
      const key = `${typing.rule}|${typing.nameRule}|${typing.typeId}`;
      const group = this.typed.get(key);
      if (group) group.facilities++;
      else {
        this.typed.set(key, {
          entry: {
            rule: typing.rule!,
            scheme: typing.scheme!,
            mapping: typing.mapping!,
            by_name: typing.nameRule !== null,
            name_rule: typing.nameRule,
            type: typing.typeId,
          },
          facilities: 1,
        });
      }
      return;
    }
    const key = `${typing.category}|${typing.rule}|${typing.nameRule}`;
    let group = this.unmapped.get(key);
    if (!group) {
      const plain = typing.scheme === null && typing.field === 'type';
      const close = plain ? this.catalog.suggest(typing.category) : [];
      group = {
        entry: {
          category: typing.category,
          field: typing.field ?? 'type',
          rule: typing.rule,
          name_rule: typing.nameRule,
          why: typing.why ?? 'no rule gives it a type',
          ...(close.length > 0 ? { did_you_mean: close } : {}),
        },
        examples: [],
        indices: [],
      };
      this.unmapped.set(key, group);
    }
    group.indices.push(where.index);
    if (group.examples.length < EXAMPLES_SHOWN) {
      group.examples.push({
        file: where.file,
        index: where.index,
        id: where.id,
        name: featureName(properties),
      });
    }
  }

  /** Facilities typed by a POI category or the type map, or left unmapped: whether to report at all. */
  get usedCategories(): boolean {
    return this.anyCategory;
  }

  /** The report: rules by facilities typed, unmapped categories by facilities, most first. */
  report(): CategoryReport {
    const typed = [...this.typed.values()]
      .map(({ entry, facilities }) => ({ ...entry, facilities }))
      .sort((a, b) => b.facilities - a.facilities || a.rule.localeCompare(b.rule));
    const unmapped = [...this.unmapped.values()]
      .map(({ entry, examples, indices }) => ({ ...entry, facilities: indices.length, examples, indices }))
      .sort((a, b) => b.facilities - a.facilities || a.category.localeCompare(b.category));
    return unmapped.length > 0 ? { typed, unmapped, how_to_map: HOW_TO_MAP } : { typed, unmapped };
  }
}
