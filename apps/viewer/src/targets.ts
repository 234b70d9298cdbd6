// Targets the side panel draws against the city's figures.
//
// HOOK(standards): standard profiles and targets belong in core as data (a profile loader with
// pass / fail / unknown per community). Until core has them, these few figures from the Pingliang
// 2022–2025 life-service action plan (平政办发〔2022〕121号, shared/standards/pingliang-2025-targets.json)
// are kept here, only for drawing target marks. Replace this file with core's profiles when they land.

export interface Target {
  /** Catalog type id the target is about. */
  readonly typeId: string;
  readonly measure: 'covered_share' | 'capacity_per_1000';
  readonly value: number;
  readonly name_zh: string;
  readonly name_en: string;
}

export const TARGETS: readonly Target[] = [
  {
    // 每千人口拥有3岁以下婴幼儿托位数 4.5 (places per 1,000 residents).
    typeId: 'nursery_childcare',
    measure: 'capacity_per_1000',
    value: 4.5,
    name_zh: '每千人口托位数 4.5（平凉 2025 目标）',
    name_en: 'Childcare places per 1,000 residents: 4.5 (Pingliang 2025 target)',
  },
  {
    // 社区托育服务机构覆盖率 ≥ 50 % (a share of communities; drawn against the covered share of residents).
    typeId: 'nursery_childcare',
    measure: 'covered_share',
    value: 0.5,
    name_zh: '社区托育服务机构覆盖率 ≥ 50%（平凉 2025 目标）',
    name_en: 'Community childcare coverage ≥ 50 % (Pingliang 2025 target)',
  },
  {
    // 老年助餐、居家照护服务覆盖社区 ≥ 80 %.
    typeId: 'elderly_service_station',
    measure: 'covered_share',
    value: 0.8,
    name_zh: '老年助餐、居家照护服务覆盖社区 ≥ 80%（平凉 2025 目标）',
    name_en: 'Elderly meal and home-care service coverage ≥ 80 % (Pingliang 2025 target)',
  },
  {
    // 城市社区综合服务设施覆盖率 100 %.
    typeId: 'community_integrated_service_station',
    measure: 'covered_share',
    value: 1,
    name_zh: '城市社区综合服务设施覆盖率 100%（平凉 2025 目标）',
    name_en: 'Urban community service facility coverage 100 % (Pingliang 2025 target)',
  },
];

export function targetFor(typeId: string, measure: Target['measure']): Target | undefined {
  return TARGETS.find((t) => t.typeId === typeId && t.measure === measure);
}
