// The POI-category table of an analysis (core's `summary.categories`): how many facilities each
// category rule typed (exact or broad, and whether the name decided), and the categories that map to
// no facility type, one row each with its count and example names, and how to map them. A file of
// 2,000 unmapped POIs is a few rows here, not 2,000 rejections.
import type { CategoryReport } from '@lifecircle/core';
import { h } from '../ui/dom.js';
import type { I18n, TextKey } from '../ui/i18n.js';

/** The section for a category report, or null when no facility was typed by category. */
export function categoriesBlock(
  report: CategoryReport | null | undefined,
  i18n: I18n,
  typeNames: ReadonlyMap<string, { readonly name_zh: string; readonly name_en: string }>,
): HTMLElement | null {
  if (!report || (report.typed.length === 0 && report.unmapped.length === 0)) return null;
  const tr = (key: TextKey, values?: Record<string, string | number>) => i18n.t(key, values);
  const typeText = (id: string) => {
    const type = typeNames.get(id);
    return type ? i18n.typeName(type) : id;
  };
  const unmappedFacilities = report.unmapped.reduce((n, u) => n + u.facilities, 0);
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
    report.typed.length > 0 ? h('p', { class: 'hint' }, tr('categoriesTyped')) : null,
    report.typed.length > 0
      ? table(
          'categories-typed',
          [tr('categoryRule'), tr('type'), tr('categoryMapping'), tr('categoryFacilities')],
          report.typed.map((t) =>
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
    report.unmapped.length > 0
      ? h(
          'p',
          { 'data-testid': 'categories-unmapped-count' },
          tr('categoriesUnmapped', { n: report.unmapped.length, facilities: unmappedFacilities }),
        )
      : null,
    report.unmapped.length > 0
      ? table(
          'categories-unmapped',
          [tr('category'), tr('field'), tr('categoryFacilities'), tr('categoryExamples'), tr('reason')],
          report.unmapped.map((u) =>
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
            ),
          ),
        )
      : null,
    report.how_to_map
      ? h(
          'p',
          { class: 'hint', 'data-testid': 'categories-how' },
          `${tr('categoryHowToMap')}${report.how_to_map}`,
        )
      : null,
  );
}
