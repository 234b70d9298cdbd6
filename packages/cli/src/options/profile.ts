import { existsSync } from 'node:fs';
import {
  type AnalysisInput,
  BUILT_IN_PROFILE_IDS,
  builtInProfile,
  type CheckOptions,
  type FacilityCatalog,
  formatProfileProblems,
  InputError,
  parseProfile,
  type Rejection,
  type StandardProfile,
} from '@lifecircle/core';
import { type Console, type StepIo, UsageError } from '../command.js';
import { readJsonFile } from '../inputs/files.js';
import {
  analysisInputOptions,
  type DistanceSetup,
  type PoolFor,
  type RunSetup,
  readAnalysisInputs,
  typeMapOption,
  withReadingProblems,
} from './analysis.js';

/** A built-in profile by id, or a profile file; a bad file is an input error naming every field. */
export function loadProfile(text: string, catalog: FacilityCatalog): StandardProfile {
  if (BUILT_IN_PROFILE_IDS.includes(text)) return builtInProfile(text, catalog);
  if (!existsSync(text)) {
    throw new UsageError(
      `--profile: unknown profile '${text}'. Use one of: ${BUILT_IN_PROFILE_IDS.join(', ')}, or the path of a profile file (JSON).`,
    );
  }
  const { profile, problems } = parseProfile(readJsonFile(text), { catalog });
  if (!profile) {
    throw new InputError(
      text,
      `the profile has ${problems.length} problem(s):\n${formatProfileProblems(problems)}`,
    );
  }
  return profile;
}

/** The options check and monitor share with analyze. */
export const inputOptions = {
  ...analysisInputOptions,
  ...typeMapOption,
  profile: { type: 'string' },
} as const;

/** Reads the inputs, catalog, radii and profile shared by check and monitor. */
export async function readInputs(
  values: Record<string, unknown>,
  console: Console,
  poolFor?: PoolFor,
): Promise<{
  input: AnalysisInput;
  profile: StandardProfile;
  options: CheckOptions;
  distance: DistanceSetup;
}> {
  const profileText = values.profile as string | undefined;
  if (!profileText) {
    throw new UsageError(
      `--profile is required: one of ${BUILT_IN_PROFILE_IDS.join(', ')}, or a profile file.`,
    );
  }
  const { input, options, distance } = await readAnalysisInputs(values, console, poolFor);
  const profile = loadProfile(profileText, options.catalog);
  // With terrain or walkers, the verdicts come with who the hills and steps cost coverage.
  const checkOptions: CheckOptions = distance.flatWalk
    ? { ...options, flatWalk: distance.flatWalk }
    : options;
  return { input, profile, options: checkOptions, distance };
}

/** What check and monitor ran: the library's result, and how the run read and measured. */
export interface ProfileRun<R> {
  /** The result, with the rejections and warnings of reading every input file. */
  readonly result: R;
  readonly setup: RunSetup;
}

/**
 * The run step of check and monitor: reads the inputs and profile ({@link readInputs}), then
 * `measure`s them; the result carries the problems reading found, located in the files.
 */
export async function runProfile<
  R extends { readonly rejected: readonly Rejection[]; readonly warnings: readonly unknown[] },
>(
  inputs: Readonly<Record<string, unknown>>,
  { console, record, pool }: StepIo,
  measure: (input: AnalysisInput, profile: StandardProfile, options: CheckOptions) => R,
): Promise<ProfileRun<R>> {
  const { input, profile, options, distance } = await readInputs({ ...inputs }, console, pool);
  record.stage = 'analysing';
  const result = withReadingProblems(
    distance.reading.guard(() => measure(input, profile, options)),
    distance,
  );
  // A progress bar on a terminal ends its line before the tables.
  if (console.interactive && inputs.quiet !== true) console.err('\n');
  return { result, setup: distance };
}
