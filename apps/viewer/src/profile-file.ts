// A standards profile file the user loads (a bureau's own targets, usually `extends` of a built-in
// profile with overrides), read with core's profile reader on the page (to list its problems at once)
// and again in the worker (to check against it). Its problems are worded as the CLI words them for
// `lifecircle check --profile FILE`: the file, then one line per field.
import { formatProfileProblems, InputError, parseProfile, type StandardProfile } from '@lifecircle/core';

/** A profile file as loaded: its name and its parsed JSON. */
export interface ProfileFile {
  readonly file: string;
  readonly json: unknown;
}

/** The profile a file defines, or null with the message listing every problem by its field. */
export function readProfileFile(definition: ProfileFile): {
  readonly profile: StandardProfile | null;
  readonly problems: string | null;
} {
  const { profile, problems } = parseProfile(definition.json);
  if (profile) return { profile, problems: null };
  const error = new InputError(
    definition.file,
    `the profile has ${problems.length} problem(s):\n${formatProfileProblems(problems)}`,
  );
  return { profile: null, problems: error.message };
}
