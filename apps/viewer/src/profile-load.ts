// Loading a standards profile file on the page: its problems are listed by field (as the CLI lists
// them) and nothing changes; a good file joins the profile menu and the city is checked against it.
import { parseJsonBytes } from './json.js';
import type { Page } from './page.js';
import { readProfileFile } from './profile-file.js';
import { profileChosen } from './view/state.js';

/** Reads a profile file the user picked; with problems, shows them, else checks against it. */
export async function loadProfileFile(page: Page, file: File): Promise<void> {
  page.setNotice(null);
  try {
    const definition = { file: file.name, json: parseJsonBytes(await file.arrayBuffer(), file.name) };
    const { profile, problems } = readProfileFile(definition);
    if (!profile) {
      page.setNotice({ kind: 'error', title: page.t('profileProblemsTitle'), message: problems ?? '' });
      return;
    }
    page.profileFiles.set(profile.id, definition);
    page.view = profileChosen(page.view, profile.id);
    page.applyView();
    page.render();
    await page.runCheck();
  } catch (error) {
    page.showError(error);
  } finally {
    page.render();
  }
}
