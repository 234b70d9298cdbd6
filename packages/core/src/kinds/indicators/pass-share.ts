import { yearOf } from '../../compliance/time.js';
import type { CommunityFilter, IndicatorBase } from '../../standards/profile.js';
import type { IndicatorKindModule } from '../types.js';
import { communities, matches } from '../values.js';

/** Share of communities passing a requirement (or only its access part). */
export type PassShareIndicator = IndicatorBase & {
  readonly kind: 'pass_share';
  readonly requirement: string;
  readonly access_only: boolean;
  /** `judged`: among communities where it could be judged; `all`: among every community. */
  readonly among: 'judged' | 'all';
  readonly communities: CommunityFilter;
};

/** `pass_share`: the share of the area's communities that pass one requirement. */
export const passShareIndicator: IndicatorKindModule<PassShareIndicator> = {
  names: { pass_share: { scale: null, share: true } },
  fields: ['requirement', 'access_only', 'among', 'communities'],
  read(kind, raw, path, reader, profile) {
    const requirement = reader.string(raw, 'requirement', path, { required: true });
    if (requirement !== null && !profile.requirements.has(requirement)) {
      reader.problem(
        `${path}.requirement`,
        `no requirement '${requirement}' in this profile. Use one of: ${[...profile.requirements].join(', ')}`,
      );
    }
    const among = raw.among ?? 'judged';
    if (among !== 'judged' && among !== 'all') {
      reader.problem(`${path}.among`, `expected "judged" or "all", got ${reader.describe(among)}`);
    }
    return {
      kind,
      requirement: requirement ?? '',
      access_only: reader.boolean(raw, 'access_only', path, false),
      among: among === 'all' ? 'all' : 'judged',
      communities: reader.communityFilter(raw.communities, `${path}.communities`),
    };
  },
  judge(indicator, area) {
    const k = area.base.requirements.findIndex((rr) => rr.info.id === indicator.requirement);
    const filter = indicator.communities;
    let pass = 0;
    let fail = 0;
    let unknown = 0;
    let undated = 0;
    for (const { result } of area.members) {
      if (filter.built_from !== null) {
        const built = yearOf(result.record.properties.built);
        if (built === null) {
          undated++;
          continue;
        }
        if (built < filter.built_from) continue;
      }
      if (
        filter.property !== null &&
        matches(result.record.properties[filter.property], filter.equals!) !== true
      ) {
        continue;
      }
      const item = result.items[k]!;
      const access = item.conditions.find((c) => c.kind === 'access');
      const status = indicator.access_only && access ? access.status : item.status;
      if (status === 'pass') pass++;
      else if (status === 'fail') fail++;
      else unknown++;
    }
    const denominator = indicator.among === 'judged' ? pass + fail : pass + fail + unknown;
    const notes: string[] = [];
    if (unknown > 0) {
      notes.push(
        indicator.among === 'judged'
          ? `${communities(unknown)} could not be judged (left out)`
          : `${communities(unknown)} could not be judged (counted as not passing)`,
      );
    }
    if (undated > 0) notes.push(`${communities(undated)} without a built year left out`);
    if (denominator === 0) notes.push('no community to count');
    return area.judged(pass, denominator, 1, 'communities', notes, unknown > 0 && indicator.among === 'all');
  },
};
