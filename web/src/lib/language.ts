import type { I18n, Language } from '@contract';

export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

/** The person's own setting wins; else the first browser language we have (any Chinese → zh-CN). */
export function pickLanguage(setting: Language | null | undefined, browser: readonly string[]): Language {
  if (setting === 'zh-CN' || setting === 'en') return setting;
  for (const tag of browser) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The text in the shown language, falling back to the other one when it is empty. */
export function localized(text: I18n | undefined | null, language: string): string {
  if (!text) return '';
  const zh = language.toLowerCase().startsWith('zh');
  return zh ? text.zh_cn || text.en_us : text.en_us || text.zh_cn;
}
