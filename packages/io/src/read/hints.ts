import { InputError, type Warning } from '@lifecircle/core';

/**
 * The reading option that would settle a problem, named the library's way. io's messages say what
 * to give ("name the id column to use", "choose one layer") without naming how: the CLI words the
 * hint as its flag (`--id-column ROLE=COL`), the viewer as its control.
 */
export interface OptionHint {
  readonly option:
    | 'layer'
    | 'crs'
    | 'encoding'
    | 'lonColumn'
    | 'latColumn'
    | 'positionColumn'
    | 'idColumn'
    | 'nameColumn'
    | 'typeColumn'
    | 'populationColumn'
    | 'householdsColumn'
    | 'capacityColumn'
    | 'districtColumn'
    | 'statusColumn';
}

/**
 * How a program names a reading option in io's messages: the CLI names its flag (`--layer`), the
 * viewer its control. Given the hint, it returns the words that complete "choose one with …".
 */
export type OptionWording = (hint: OptionHint) => string;

/** The library's own wording: the option's name (`the layer option`). */
export const LIBRARY_WORDING: OptionWording = (hint) => `the ${hint.option} option`;

/** The wording a program gave in its options, else the library's. */
export function wordingOf(options: { readonly optionWording?: OptionWording } | undefined): OptionWording {
  return options?.optionWording ?? LIBRARY_WORDING;
}

/** A warning of io's readers, with the option that would settle it when one would. */
export type ReadWarning = Warning & { readonly hint?: OptionHint };

/**
 * A file that cannot be read as it is, where a reading option would settle it (several layers and
 * none chosen, a named column the file lacks, coordinates in another system than the one read): an
 * {@link InputError} carrying the option.
 */
export class ReadOptionError extends InputError {
  readonly hint: OptionHint;
  constructor(file: string, message: string, hint: OptionHint) {
    super(file, message);
    this.hint = hint;
  }
}

/** The hint a warning or error carries, or undefined. */
export function hintOf(problem: unknown): OptionHint | undefined {
  if (typeof problem !== 'object' || problem === null) return undefined;
  const hint = (problem as { hint?: unknown }).hint;
  return typeof hint === 'object' && hint !== null && typeof (hint as OptionHint).option === 'string'
    ? (hint as OptionHint)
    : undefined;
}
