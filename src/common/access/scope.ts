import type { AuthUser } from '../kernel/auth-user';
import { forbidden } from '../errors/app-errors';

/**
 * Record-level access, used by services. A manager's scope is their country (null: all countries);
 * admins see everything.
 */
export function countryScopeOf(actor: AuthUser): string | null {
  return actor.role === 'manager' ? actor.countryCode : null;
}

/** Throws unless the country is within the actor's scope. */
export function requireCountry(actor: AuthUser, countryCode: string | null | undefined): void {
  const scope = countryScopeOf(actor);
  if (scope !== null && countryCode !== scope) throw forbidden('out-of-scope');
}
