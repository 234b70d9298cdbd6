// The built-in standard profiles the viewer offers, with their names in both interface languages.
import type { Locale } from '../ui/i18n.js';

/** The built-in standard profiles of core, in the order the select lists them. */
export const PROFILES = ['complete-community', 'pingliang-2025', 'gb50180-2018'] as const;

const PROFILE_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  'complete-community': ['完整居住社区建设标准（2020）', 'Complete community standard (2020)'],
  'pingliang-2025': ['平凉市 2025 年目标', 'Pingliang 2025 targets'],
  'gb50180-2018': ['GB 50180-2018 生活圈', 'GB 50180-2018 life circles'],
};

/** A profile's name in the interface language; its id for a profile the viewer has no name for. */
export function profileName(id: string, locale: Locale): string {
  const names = PROFILE_NAMES[id];
  return names ? names[locale === 'zh-CN' ? 0 : 1] : id;
}
