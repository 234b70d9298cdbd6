// The reason of a compliance item in the interface language. Core writes its reasons in English
// (`none within 300 m; nearest 640 m (F-1049)`), and keeps every figure behind them in the item's
// conditions (kind, status, value, target, unit, facility): in English the viewer shows core's text as
// it is; in Chinese it words the same conditions, picking them as core does (the failing or unknown
// ones that do not merely follow from a missing facility, or all when the item passes). No figure is
// computed here.
import type { ConditionResult, ItemResult, RequirementInfo } from '@lifecircle/core';
import type { I18n } from './i18n.js';

const KIND_ZH: Readonly<Record<string, string>> = {
  min_building_area_m2: '建筑面积',
  m2_per_100_households: '每百户建筑面积',
  m2_per_resident: '人均面积',
  per_1000: '每千人',
  share_of_floor_area: '占社区建筑面积比例',
  facility_ratio: '面积比例',
  attribute: '属性',
};

/** The item's reason in the interface language (core's own text in English). */
export function itemReason(item: ItemResult, info: RequirementInfo | undefined, i18n: I18n): string {
  if (i18n.locale !== 'zh-CN') return item.reason;
  const shown =
    item.status === 'pass'
      ? item.conditions
      : item.conditions.filter((c) => c.status === item.status && !c.dependent);
  const texts = [...new Set(shown.map((c) => conditionZh(c, item, info, i18n)))];
  return texts.join('；') || item.reason;
}

function conditionZh(
  c: ConditionResult,
  item: ItemResult,
  info: RequirementInfo | undefined,
  i18n: I18n,
): string {
  const radii = info?.radii.map((r) => r.radius) ?? [];
  const within =
    radii.length > 0 && radii.every((r) => r === radii[0]) ? `${i18n.int(radii[0]!)} 米内` : '服务范围内';
  const nearest = item.nearestCost === null ? null : `${i18n.int(item.nearestCost)} 米`;
  const figure = (v: number | null) =>
    v === null
      ? '–'
      : c.unit.includes('share') || c.unit === 'ratio'
        ? i18n.pct(v)
        : Math.abs(v) >= 100
          ? i18n.int(v)
          : i18n.dec(v);
  const unit = c.unit === 'm²' ? ' m²' : '';
  switch (c.kind) {
    case 'access': {
      if (c.status === 'pass') {
        const part =
          item.coveredShare !== null && item.coveredShare < 1
            ? `（覆盖 ${i18n.pct(item.coveredShare)} 居民）`
            : '';
        return `${within}有 ${i18n.int(item.withinCount)} 处；最近 ${nearest ?? '–'}${part}`;
      }
      if (item.withinCount === 0) {
        return nearest
          ? `${within}没有；最近 ${nearest}（${item.nearestId ?? ''}）`
          : `${within}没有，搜索范围内也没有`;
      }
      return `仅 ${i18n.pct(item.coveredShare ?? 0)} 的居民在 ${within}（需 ${i18n.pct(c.target ?? 0.5)}）；最近 ${nearest ?? '–'}`;
    }
    case 'attribute': {
      const property = attributeProperty(info, c);
      if (c.status === 'pass') return `${property}：符合`;
      if (c.status === 'fail') return `${property}：不符合`;
      return `${property}：数据未提供`;
    }
    default: {
      const label = KIND_ZH[c.kind] ?? c.kind;
      const facility = c.facilityId ? `${c.facilityId} ` : '';
      if (c.status === 'pass')
        return `${facility}${label} ${figure(c.value)}${unit} ≥ ${figure(c.target)}${unit}`;
      if (c.status === 'fail') {
        if (c.value === null) return `${within}没有设施可满足${label} ${figure(c.target)}${unit}`;
        return `${facility}${label} ${figure(c.value)}${unit}，低于 ${figure(c.target)}${unit}`;
      }
      return c.value === null
        ? `${label}：所需数据缺失`
        : `${label}：部分数据缺失（已知 ${figure(c.value)}${unit}，需 ${figure(c.target)}${unit}）`;
    }
  }
}

/** The community property an attribute condition reads, from the requirement's conditions. */
function attributeProperty(info: RequirementInfo | undefined, c: ConditionResult): string {
  const condition = info?.conditions.find((x) => x.kind === 'attribute') as { property?: string } | undefined;
  return condition?.property ?? c.kind;
}
