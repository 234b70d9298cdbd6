import type { LifeCircleTier } from '../../standards/catalog.js';
import type { IndicatorBase } from '../../standards/profile.js';
import type { IndicatorKindModule } from '../types.js';
import { communities } from '../values.js';

/** Share of communities that are complete (or, with `tier`, attain that life-circle tier). */
export type CompleteShareIndicator = IndicatorBase & {
  readonly kind: 'complete_share';
  readonly tier: LifeCircleTier | null;
};

/** `complete_share`: the share of the area's communities that are complete or attain a tier. */
export const completeShareIndicator: IndicatorKindModule<CompleteShareIndicator> = {
  names: { complete_share: { scale: null, share: true } },
  fields: ['tier'],
  read(kind, raw, path, reader, profile) {
    const tier = reader.tier(raw.tier, `${path}.tier`);
    if (tier !== null && !profile.tiers?.order.includes(tier)) {
      reader.problem(`${path}.tier`, `the profile's tiers.order does not list '${tier}'`);
    }
    return { kind, tier };
  },
  judge(indicator, area) {
    const { base } = area;
    const order = base.profile.tiers?.order ?? [];
    const at = indicator.tier === null ? -1 : order.indexOf(indicator.tier);
    let yes = 0;
    let maybe = 0;
    for (const { result } of area.members) {
      if (indicator.tier === null) {
        if (result.completeness === 'complete') yes++;
        else if (result.completeness === 'unknown') maybe++;
        continue;
      }
      const got = result.tierAttained === null ? -1 : order.indexOf(result.tierAttained);
      if (got >= at) {
        yes++;
        continue;
      }
      // Could it attain the tier once the unknown items are known? Only if nothing up to it fails.
      const blocked = base.requirements.some((rr, k) => {
        const tier = rr.info.tier;
        return (
          rr.info.required &&
          tier !== null &&
          order.indexOf(tier) >= 0 &&
          order.indexOf(tier) <= at &&
          result.items[k]!.status === 'fail'
        );
      });
      if (!blocked) maybe++;
    }
    const n = area.members.length;
    const result = area.judged(
      yes,
      n,
      1,
      'communities',
      maybe > 0 ? [`${communities(maybe)} could be complete once their unknown items are known`] : [],
      false,
    );
    return { ...result, valueMax: n > 0 ? (yes + maybe) / n : null };
  },
};
