// Opening a shared link (share.ts writes them). A link made on the bundled city opens at once. A link
// made on the user's own files carries their settings, not the files: it waits, naming the files to
// drop again, and once every one of them is loaded it opens with them as a scenario file would, to the
// same figures (they are recomputed from the same inputs and settings).
import type { RasterRole } from './files.js';
import { rastersExpected } from './loading.js';
import type { Page } from './page.js';
import { isObject, type Scenario } from './scenario.js';
import { scenarioFromHash } from './share.js';

/** A shared link waiting for the files it names: its scenario and what is still missing. */
export interface PendingLink {
  readonly scenario: Record<string, unknown>;
  readonly missing: readonly { readonly role: string; readonly name: string }[];
}

/** The scenario's input roles, as a link's `missing` list names them. */
const INPUT_ROLES: readonly (keyof Scenario['inputs'])[] = [
  'communities',
  'facilities',
  'demand',
  'districts',
  'roads',
  'candidates',
  'excluded',
  'studyArea',
];

function missingOf(value: Record<string, unknown>): PendingLink['missing'] {
  return (Array.isArray(value.missing) ? value.missing : []).flatMap((m) =>
    isObject(m) && typeof m.role === 'string' && typeof m.name === 'string'
      ? [{ role: m.role, name: m.name }]
      : [],
  );
}

/**
 * Opens a shared link's scenario, or holds it until the files it names are dropped again (then
 * {@link resumeSharedLink} opens it). Says why a link cannot be read.
 */
export async function openSharedLink(page: Page, hash: string): Promise<void> {
  try {
    const value = scenarioFromHash(hash);
    const scenario = isObject(value) ? value : {};
    const missing = missingOf(scenario);
    const missingNames = missing.map((m) => m.name).join(', ');
    if (scenario.bundled !== 'pingliang' && missing.length > 0) {
      page.pendingLink = { scenario, missing };
      // Its GeoTIFFs, dropped again, are read in the role they had.
      page.inputs = rastersExpected(page.inputs, missing);
      page.setNotice({
        kind: 'info',
        title: page.t('shareOpened'),
        message: page.t('shareWaitsForFiles', { files: missingNames }),
      });
      return;
    }
    await page.openScenario(page.t('shareOpened'), value);
    if (missing.length > 0)
      page.setNotice({
        kind: 'info',
        title: page.t('shareOpened'),
        message: page.t('shareMissingFiles', { files: missingNames }),
      });
  } catch (error) {
    page.setBusy(null);
    page.showError(error);
  }
}

/**
 * After files were loaded: opens the waiting shared link once every file it names is loaded (by its
 * role; a renamed file still counts), with those files as the scenario's inputs.
 */
export async function resumeSharedLink(page: Page): Promise<void> {
  const pending = page.pendingLink;
  if (!pending) return;
  const embedded = page.inputs.embedded;
  const held = (m: PendingLink['missing'][number]) =>
    page.inputs.rasters.get(m.role as RasterRole)?.name === m.name;
  if (!pending.missing.every((m) => embedded.has(m.role as never) || held(m))) return;
  page.pendingLink = null;
  const inputs: Record<string, unknown> = {};
  for (const role of INPUT_ROLES) inputs[role] = embedded.get(role) ?? null;
  page.setNotice(null);
  try {
    // The GeoTIFFs stay named: opening keeps the ones held under their names and roles.
    const rasters = pending.missing.filter(held);
    await page.openScenario(page.t('shareOpened'), { ...pending.scenario, inputs, missing: rasters });
  } catch (error) {
    page.setBusy(null);
    page.showError(error);
  }
}
