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
  type StandardProfile,
} from '@lifecircle/core';
import { type Console, UsageError } from '../command.js';
import { readJsonFile } from '../inputs/files.js';
import { analysisInputOptions, type DistanceSetup, readAnalysisInputs, typeMapOption } from './analysis.js';

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
  const { input, options, distance } = await readAnalysisInputs(values, console);
  const profile = loadProfile(profileText, options.catalog);
  // With terrain or walkers, the verdicts come with who the hills and steps cost coverage.
  const checkOptions: CheckOptions = distance.flatWalk
    ? { ...options, flatWalk: distance.flatWalk }
    : options;
  return { input, profile, options: checkOptions, distance };
}
