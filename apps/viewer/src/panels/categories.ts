// The POI-category table of an analysis (core's `summary.categories`): how many facilities each
// category rule typed (exact or broad, and whether the name decided), and the categories that map to
// no facility type, one row each with its count and example names, and how to map them. A file of
// 2,000 unmapped POIs is a few rows here, not 2,000 rejections. Under it the user's type map (the
// CLI's --type-map): load one, download or remove it; each unmapped category can be mapped to a type
// in its row, which adds a row to the same map.
import { type CategoryReport, FacilityCatalog } from '@lifecircle/core';
import { h, hiddenFileInput } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';
import type { ViewerTypeMap } from '../worker/protocol.js';

export interface TypeMapActions {
  /** Reads a type-map file the user chose and analyses again with it. */
  loadTypeMap(file: File): void;
  /** Maps an unmapped category to a catalog type (a row of the type map) and analyses again. */
  mapCategory(category: string, typeId: string): void;
  /** Downloads the type map as the CSV the CLI's --type-map reads. */
  downloadTypeMap(): void;
  removeTypeMap(): void;
}

/** The types a category can be mapped to: the catalog the worker types facilities against. */
const CATALOG_TYPES = FacilityCatalog.builtIn().types;

/**
 * The section for a category report and the type map, or null when no facility was typed by category
 * and no type map is loaded.
 */
export function categoriesBlock(
  report: CategoryReport | null | undefined,
  i18n: I18n,
  typeNames: ReadonlyMap<string, { readonly name_zh: string; readonly name_en: string }>,
  typeMap: ViewerTypeMap | undefined = undefined,
  actions: TypeMapActions | null = null,
): HTMLElement | null {
  const hasRows = !!report && (report.typed.length > 0 || report.unmapped.length > 0);
  if (!hasRows && !typeMap) return null;
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const typeText = (id: string) => {
    const type = typeNames.get(id);
    return type ? i18n.typeName(type) : id;
  };
  const typed = report?.typed ?? [];
  const unmapped = report?.unmapped ?? [];
  const unmappedFacilities = unmapped.reduce((n, u) => n + u.facilities, 0);
  // Facilities the type map typed: its rules are named `type-map:FILE row N`.
  const typedByMap = typed.filter((t) => t.scheme === 'type-map').reduce((n, t) => n + t.facilities, 0);
  const mapTo = (category: string) =>
    actions
      ? h(
          'select',
          {
            'data-testid': 'category-map-to',
            'aria-label': tr('categoryMapToLabel', { category }),
            onchange: (e) => {
              const typeId = (e.target as HTMLSelectElement).value;
              if (typeId) actions.mapCategory(category, typeId);
            },
          },
          h('option', { value: '' }, tr('categoryMapTo')),
          ...CATALOG_TYPES.map((t) => h('option', { value: t.id }, `${i18n.typeName(t)} (${t.id})`)),
        )
      : null;
  const table = (testid: string, head: readonly string[], rows: readonly HTMLElement[]) =>
    h(
      'div',
      { class: 'table-scroll', tabindex: 0 },
      h(
        'table',
        { class: 'rejected', 'data-testid': testid },
        h('thead', {}, h('tr', {}, ...head.map((text) => h('th', {}, text)))),
        h('tbody', {}, ...rows),
      ),
    );
  return h(
    'div',
    { class: 'categories', 'data-testid': 'categories' },
    h('h3', {}, tr('categoriesHeading')),
    typed.length > 0 ? h('p', { class: 'hint' }, tr('categoriesTyped')) : null,
    typed.length > 0
      ? table(
          'categories-typed',
          [tr('categoryRule'), tr('type'), tr('categoryMapping'), tr('categoryFacilities')],
          typed.map((t) =>
            h(
              'tr',
              { 'data-testid': 'category-typed', 'data-rule': t.rule, 'data-type': t.type },
              h('td', {}, t.name_rule ? `${t.rule} · ${t.name_rule}` : t.rule),
              h('td', {}, typeText(t.type)),
              h(
                'td',
                {},
                `${tr(t.mapping === 'exact' ? 'categoryExact' : 'categoryBroad')}${t.by_name ? tr('categoryByName') : ''}`,
              ),
              h('td', { class: 'num' }, i18n.int(t.facilities)),
            ),
          ),
        )
      : null,
    unmapped.length > 0
      ? h(
          'p',
          { 'data-testid': 'categories-unmapped-count' },
          tr('categoriesUnmapped', { n: unmapped.length, facilities: unmappedFacilities }),
        )
      : null,
    unmapped.length > 0
      ? table(
          'categories-unmapped',
          [
            tr('category'),
            tr('field'),
            tr('categoryFacilities'),
            tr('categoryExamples'),
            tr('reason'),
            ...(actions ? [tr('type')] : []),
          ],
          unmapped.map((u) =>
            h(
              'tr',
              {
                'data-testid': 'category-unmapped',
                'data-category': u.category,
                'data-facilities': String(u.facilities),
              },
              h('td', {}, u.category),
              h('td', {}, u.field),
              h('td', { class: 'num' }, i18n.int(u.facilities)),
              h('td', {}, u.examples.map((e) => e.name ?? e.id ?? `#${e.index}`).join('、')),
              h(
                'td',
                {},
                u.did_you_mean && u.did_you_mean.length > 0
                  ? `${u.why}; ${tr('categoryDidYouMean', { ids: u.did_you_mean.join(', ') })}`
                  : u.why,
              ),
              actions ? h('td', {}, mapTo(u.category)) : null,
            ),
          ),
        )
      : null,
    report?.how_to_map
      ? h(
          'p',
          { class: 'hint', 'data-testid': 'categories-how' },
          `${tr('categoryHowToMap')}${report.how_to_map}`,
        )
      : null,
    actions ? typeMapControls(typeMap, typedByMap, i18n, actions) : null,
  );
}

/** The loaded type map (its file, rows and facilities typed) with load, download and remove. */
function typeMapControls(
  typeMap: ViewerTypeMap | undefined,
  typedByMap: number,
  i18n: I18n,
  actions: TypeMapActions,
): HTMLElement {
  const input = hiddenFileInput('.csv,.tsv,.txt,.xlsx,.xls,text/csv', 'type-map-input', (file) =>
    actions.loadTypeMap(file),
  );
  const button = (testid: string, text: string, onclick: () => void) =>
    h('button', { type: 'button', 'data-testid': testid, onclick }, text);
  return h(
    'div',
    { class: 'type-map', 'data-testid': 'type-map' },
    h(
      'p',
      { class: typeMap ? '' : 'hint', 'data-testid': 'type-map-state' },
      typeMap
        ? i18n.t('typeMapLoaded', { file: typeMap.name, n: typeMap.entries.length, facilities: typedByMap })
        : i18n.t('typeMapNone'),
    ),
    input,
    h(
      'div',
      { class: 'row' },
      button('type-map-load', i18n.t('typeMapLoad'), () => input.click()),
      typeMap ? button('type-map-download', i18n.t('typeMapDownload'), actions.downloadTypeMap) : null,
      typeMap ? button('type-map-remove', i18n.t('typeMapRemove'), actions.removeTypeMap) : null,
    ),
  );
}
