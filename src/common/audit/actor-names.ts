/**
 * Names of the people who made audited changes. Declared here so the audit log needs no feature
 * module; the users module provides it (ACTOR_NAMES).
 */
export interface ActorNames {
  namesOf(ids: string[]): Promise<Map<string, string>>;
}

export const ACTOR_NAMES = Symbol('ACTOR_NAMES');
