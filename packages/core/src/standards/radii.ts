import { OptionError } from '../validate/problems.js';
import type { FacilityCatalog } from './catalog.js';

/**
 * The catalog with the radii a run gives (per type id, name or alias; a new custom type for an
 * unknown id), and the ids of the types whose radius the run set. A radius that is not a positive
 * number of metres is an {@link OptionError} naming the `radii` option.
 */
export function catalogWithRadii(
  catalog: FacilityCatalog,
  radii: Readonly<Record<string, number>> = {},
): { catalog: FacilityCatalog; userRadii: Set<string> } {
  const userRadii = new Set<string>();
  let out = catalog;
  for (const [type, radius] of Object.entries(radii)) {
    if (!(radius > 0) || !Number.isFinite(radius)) {
      throw new OptionError(
        'radii',
        `the radius of '${type}' must be a positive number of metres, got ${radius}.`,
      );
    }
    out = out.withRadius(type, radius);
    userRadii.add((out.get(type) ?? out.resolve(type))!.id);
  }
  return { catalog: out, userRadii };
}
