import type { Language, Role } from './user-role.enum';

/** The signed-in user as every service sees it: the actor of a use case. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  language: Language;
  /** A manager's country scope; null = all countries. */
  countryCode: string | null;
  sessionId: string;
}
