import type { Language } from '../kernel/user-role.enum';

/**
 * Saves the language a signed-in user picks with `?lang=`. Declared here so the page interceptor
 * needs no feature module; the users module provides it (LANGUAGE_PREFERENCE).
 */
export interface LanguagePreference {
  setLanguage(userId: string, language: Language): Promise<void>;
}

export const LANGUAGE_PREFERENCE = Symbol('LANGUAGE_PREFERENCE');
