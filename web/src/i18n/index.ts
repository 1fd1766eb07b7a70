import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '@contract';
import { pickLanguage } from '../lib/language';

/**
 * Catalogues: `locales/<language>/<namespace>.json`, each namespace owned by one area of the app.
 * Every file found is loaded, so a new namespace needs no change here. Namespaces that only some
 * pages use — sign-in (`auth`), the profile, the request form and process page (`request`, `process`,
 * `onApproval`), notifications, and the admin console's own
 * (`consoleFlows`, `consoleForm` …) — load with those pages (see the router), not with the first
 * page: the approval center's first download stays small.
 */
const files = import.meta.glob<Record<string, unknown>>(
  [
    './locales/*/*.json',
    '!./locales/*/console?*.json',
    '!./locales/*/auth.json',
    '!./locales/*/profile.json',
    '!./locales/*/request.json',
    '!./locales/*/notifications.json',
    '!./locales/*/onApproval.json',
    '!./locales/*/process.json',
  ],
  { eager: true, import: 'default' },
);
const lazyFiles = import.meta.glob<Record<string, unknown>>(
  [
    './locales/*/console?*.json',
    './locales/*/auth.json',
    './locales/*/profile.json',
    './locales/*/request.json',
    './locales/*/notifications.json',
    './locales/*/onApproval.json',
    './locales/*/process.json',
  ],
  { import: 'default' },
);

/** Language and namespace of a catalogue's path. */
function catalogueOf(path: string): [string, string] | undefined {
  const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  return match?.[1] && match[2] ? [match[1], match[2]] : undefined;
}

const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, catalogue] of Object.entries(files)) {
  const at = catalogueOf(path);
  if (at) (resources[at[0]] ??= {})[at[1]] = catalogue;
}

const loading = new Map<string, Promise<void>>();
/**
 * Adds the given namespaces' catalogues, in both languages (switching language needs no wait);
 * each namespace once. Namespaces loaded with the first page are already there.
 */
export function loadCatalogues(namespaces: readonly string[]): Promise<void> {
  return Promise.all(
    namespaces.map((namespace) => {
      let done = loading.get(namespace);
      if (!done) {
        done = Promise.all(
          Object.entries(lazyFiles)
            .filter(([path]) => catalogueOf(path)?.[1] === namespace)
            .map(async ([path, load]) => {
              const [language] = catalogueOf(path) as [string, string];
              i18next.addResourceBundle(language, namespace, await load(), true, true);
            }),
        ).then(() => undefined);
        loading.set(namespace, done);
      }
      return done;
    }),
  ).then(() => undefined);
}

export const CONSOLE_NAMESPACES = [
  'consoleFlows',
  'consoleForm',
  'consoleFlow',
  'consoleSim',
  'consoleDirectory',
  'consoleApps',
  'consoleMonitor',
  'consoleLeave',
  'consoleTimers',
] as const;

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
  'consoleLeave',
  'notifications',
  'consoleTimers',
  'consoleSmtp',
  'onApproval',
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
