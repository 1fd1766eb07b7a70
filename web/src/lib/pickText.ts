import type { I18n } from '@contract';

/** The text of an I18n pair in the display language (zh-* → zh_cn, else en_us), falling back to the other. */
export function pickText(text: I18n | undefined | null, language: string): string {
  if (!text) return '';
  const zh = language.toLowerCase().startsWith('zh');
  const first = zh ? text.zh_cn : text.en_us;
  return first !== '' ? first : zh ? text.en_us : text.zh_cn;
}
