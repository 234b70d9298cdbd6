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

/**
 * Where a run's costs are minutes (a walker run, a cost matrix in minutes), a radius in metres is no
 * radius: each analysed type must have had its radius given in minutes (`radii`, such as
 * `walkerRun(...).radii`), not taken from the catalog's `radius_m`. An {@link OptionError} naming
 * every type without one, its metres and what was expected; nothing when costs are metres.
 */
export function assertRadiiInCostUnit(
  costUnit: 'm' | 'min',
  types: readonly { readonly id: string; readonly radius_m: number }[],
  userRadii: ReadonlySet<string>,
): void {
  if (costUnit !== 'min') return;
  const inMetres = types.filter((type) => !userRadii.has(type.id));
  if (inMetres.length === 0) return;
  throw new OptionError(
    'radii',
    `the distance source measures minutes (a walker run or a cost matrix in minutes), but ${inMetres
      .map((type) => `'${type.id}' has only the catalog's ${type.radius_m} m`)
      .join(
        ', ',
      )}. Expected a radius in minutes for every analysed type: give radii, such as walkerRun(...).radii (the catalog's metres at each type's walker's flat speed), or --minutes / --radius TYPE=METRES in the CLI, which converts them.`,
  );
}
