import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '@contract';
import { pickLanguage } from '../lib/language';

/**
 * Catalogues: `locales/<language>/<namespace>.json`, each namespace owned by one area of the app.
 * Every file found is loaded, so a new namespace needs no change here.
 */
const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', {
  eager: true,
  import: 'default',
});

const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, catalogue] of Object.entries(files)) {
  const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (!match?.[1] || !match[2]) continue;
  (resources[match[1]] ??= {})[match[2]] = catalogue;
}

export const NAMESPACES = [
  'common',
  'auth',
  'inbox',
  'request',
  'process',
  'profile',
  'errors',
  'console',
  'consoleFlows',
  'consoleForm',
  'consoleFlow',
  'consoleSim',
  'consoleDirectory',
  'consoleApps',
  'consoleMonitor',
] as const;

/** Chosen before sign-in (the sign-in page's switch); the person's setting replaces it after. */
const STORED = 'peopleflow.language';

export function storedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORED);
    return value === 'en' || value === 'zh-CN' ? value : null;
  } catch {
    return null;
  }
}

export function storeLanguage(language: Language | null): void {
  try {
    if (language) localStorage.setItem(STORED, language);
    else localStorage.removeItem(STORED);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function browserLanguages(): readonly string[] {
  return typeof navigator === 'undefined' ? [] : navigator.languages;
}

void i18next.use(initReactI18next).init({
  resources,
  lng: pickLanguage(storedLanguage(), browserLanguages()),
  fallbackLng: 'en',
  supportedLngs: ['en', 'zh-CN'],
  ns: [...NAMESPACES],
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Applies the person's setting (null: the browser's). */
export function applyLanguage(setting: Language | null): void {
  const language = pickLanguage(setting ?? storedLanguage(), browserLanguages());
  if (i18next.language !== language) void i18next.changeLanguage(language);
}

export default i18next;
