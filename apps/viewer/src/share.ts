// Sharing a scenario as a link: the scenario file's content (scenario.ts) without the data the user
// dropped, deflated (fflate) and written base64url into the URL hash, `#scenario=…`. Opening the link
// reopens the same view and the same figures, which are recomputed, never carried. The bundled city
// travels by name; a file the user dropped cannot travel in a link (its size would outgrow any URL, and
// a link should not carry a bureau's data), so it is left out and named in the scenario's `missing`
// list, which the viewer shows when the link is opened. The scenario file (export) keeps the data.
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { isObject } from './scenario.js';

/** The hash a shared link starts with. */
export const SHARE_HASH_PREFIX = '#scenario=';

/** Longest hash the viewer reads (deflated scenarios of settings and proposals are a few kilobytes). */
const SHARE_HASH_LIMIT = 200_000;

/** A loaded input left out of a shared link: to be dropped again after opening it. */
export interface MissingInput {
  readonly role: string;
  readonly name: string;
}

/** A shared link's scenario and the inputs it leaves out. */
export interface SharedScenario {
  /** The scenario file's content with every embedded input set to null and `missing` listing them. */
  readonly scenario: Record<string, unknown>;
  readonly missing: readonly MissingInput[];
}

/**
 * The scenario a link carries: `scenario` (as scenarioOf builds it) with its embedded inputs left out
 * and named in `missing`.
 */
export function shareableScenario(scenario: unknown): SharedScenario {
  const value = isObject(scenario) ? scenario : {};
  const inputs = isObject(value.inputs) ? value.inputs : {};
  // Files the scenario already names without carrying them (GeoTIFFs) stay named.
  const missing: MissingInput[] = Array.isArray(value.missing)
    ? value.missing.filter((m): m is MissingInput => isObject(m) && typeof m.name === 'string')
    : [];
  const kept: Record<string, null> = {};
  for (const [role, file] of Object.entries(inputs)) {
    kept[role] = null;
    if (isObject(file)) missing.push({ role, name: typeof file.name === 'string' ? file.name : role });
  }
  return { scenario: { ...value, inputs: kept, missing }, missing };
}

/** The URL hash of a scenario: deflated JSON in base64url after {@link SHARE_HASH_PREFIX}. */
export function shareHash(scenario: unknown): string {
  return SHARE_HASH_PREFIX + base64url(deflateSync(strToU8(JSON.stringify(scenario)), { level: 9 }));
}

export class ShareLinkError extends Error {}

/** Whether a URL hash is a shared scenario's. */
export function isShareHash(hash: string): boolean {
  return hash.startsWith(SHARE_HASH_PREFIX);
}

/**
 * The scenario in a shared link's hash, parsed as JSON (still untrusted: parseScenario checks it).
 * Throws {@link ShareLinkError} saying what is wrong with a damaged or truncated link.
 */
export function scenarioFromHash(hash: string): unknown {
  if (!isShareHash(hash)) throw new ShareLinkError(`the link has no "${SHARE_HASH_PREFIX}" part.`);
  const text = hash.slice(SHARE_HASH_PREFIX.length);
  if (text.length > SHARE_HASH_LIMIT)
    throw new ShareLinkError(
      `the link's scenario is ${text.length} characters; at most ${SHARE_HASH_LIMIT} are read.`,
    );
  if (!/^[A-Za-z0-9_-]*$/.test(text))
    throw new ShareLinkError('the link has characters that base64url has not (copy the whole link).');
  let bytes: Uint8Array;
  try {
    bytes = inflateSync(fromBase64url(text));
  } catch {
    throw new ShareLinkError('the scenario in the link is damaged or cut short (copy the whole link).');
  }
  try {
    return JSON.parse(strFromU8(bytes)) as unknown;
  } catch {
    throw new ShareLinkError('the scenario in the link is not JSON.');
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
