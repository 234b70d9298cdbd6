// A walker file the user loads from the walking panel (the CLI's --walker-file): JSON walker profiles
// in the form of core's walkers.json, read with core's parseWalkerProfiles. With problems, they are
// listed one per walker and field as the CLI lists them and nothing changes; otherwise its walkers join
// every type's walker menu and the analysis runs again, each type for its walker.
import { formatWalkerProblems, InputError, parseWalkerProfiles } from '@lifecircle/core';
import { parseJsonBytes } from './json.js';
import type { Page } from './page.js';
import type { AnalyzeOptions } from './worker/protocol.js';

/** The walker file's part of the options, or the message listing its problems. */
export function readWalkerFile(
  name: string,
  json: unknown,
): { readonly walkerFile: NonNullable<AnalyzeOptions['walkerFile']> } | { readonly problems: string } {
  const { walkers, problems } = parseWalkerProfiles(json);
  if (problems.length === 0) return { walkerFile: { name, profiles: walkers } };
  const error = new InputError(
    name,
    `the walker file has ${problems.length} problem(s):\n${formatWalkerProblems(problems)}`,
  );
  return { problems: error.message };
}

/** Loads a walker file the user picked; with problems, shows them, else analyses with its walkers. */
export async function loadWalkerFile(page: Page, file: File): Promise<void> {
  page.setNotice(null);
  try {
    const read = readWalkerFile(file.name, parseJsonBytes(await file.arrayBuffer(), file.name));
    if ('problems' in read) {
      page.setNotice({ kind: 'error', title: page.t('walkerFileProblems'), message: read.problems });
      return;
    }
    const options = page.view.options;
    // Loading walkers asks for them: every type walks for its walker, as --walker-file does.
    await page.runAnalysis({ ...options, walkers: options.walkers ?? {}, walkerFile: read.walkerFile });
  } catch (error) {
    page.showError(error);
  } finally {
    page.render();
  }
}
