import type { Language } from '../common/kernel/user-role.enum';

/** A text in both languages, as content packages give titles and summaries. */
export interface LocalisedText {
  en: string;
  es: string;
}

/** The text in `lang`, else the English one; '' when there is none. */
export const pick = (text: LocalisedText | null | undefined, lang: Language): string =>
  text ? text[lang] || text.en : '';
