import { Inject, Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/kernel/auth-user';
import type { ActorNames } from '../common/audit/actor-names';
import type { LanguagePreference } from '../common/view/language-preference';
import { AuditService } from '../common/audit/audit.service';
import { Clock } from '../common/clock';
import { countryScopeOf, requireCountry } from '../common/access/scope';
import { conflict, forbidden, InputError, notFound } from '../common/errors/app-errors';
import { Database } from '../database/database.service';
import { OutboxService } from '../mail/outbox.service';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import type { Language, Role } from '../common/kernel/user-role.enum';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';
import { SchoolsService } from '../schools/schools.service';
import { ACCOUNT_ACCESS, type AccountAccess } from './account-access.types';

const MANAGEABLE_BY_MANAGER: Role[] = ['trainer', 'coordinator'];

@Injectable()
export class UsersService implements LanguagePreference, ActorNames {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
    @Inject(ACCOUNT_ACCESS) private readonly access: AccountAccess,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly schools: SchoolsService,
  ) {}

  /**
   * Creates an account. Admins create any role; managers only trainers and coordinators, inside
   * their country scope. Without a password the user is invited by mail.
   */
  async create(actor: AuthUser, dto: CreateUserDto): Promise<User> {
    this.requireManageable(actor, dto.role);
    const countryCode = dto.countryCode ?? countryScopeOf(actor) ?? null;
    requireCountry(actor, countryCode);
    if (dto.schoolIds?.length && dto.role !== 'coordinator') {
      throw new InputError({ schoolIds: [{ key: 'schools-for-coordinators', params: {} }] });
    }
    if (dto.password !== undefined) {
      const problem = this.access.passwordProblem(dto.password);
      if (problem) throw new InputError({ password: [{ key: problem, params: { min: 8, max: 128 } }] });
    }
    const passwordHash = dto.password ? await this.access.hashPassword(dto.password) : null;
    return this.db.transaction(async (tx) => {
      if (await this.users.findByEmail(dto.email, tx)) throw conflict('users.email-taken', {}, 'email');
      const now = this.clock.now();
      const user = await this.users.insert(tx, {
        email: dto.email.toLowerCase(),
        name: dto.name,
        role: dto.role,
        sex: dto.sex ?? 'unspecified',
        language: dto.language ?? actor.language,
        countryCode,
        organisation: dto.organisation ?? null,
        status: passwordHash ? 'active' : 'invited',
        passwordHash,
        createdAt: now,
        updatedAt: now,
        lastLoginAt: null,
      });
      await this.audit.record(tx, actor.id, 'user.create', { type: 'user', id: user.id }, null, {
        role: user.role,
        countryCode,
      });
      if (dto.schoolIds?.length) await this.schools.addCoordinatorSchools(tx, actor, user.id, dto.schoolIds);
      if (!passwordHash) await this.sendInvitation(tx, user, actor.name);
      return user;
    });
  }

  /**
   * Inside the caller's transaction: the trainer with this email, or a new invited trainer (with the
   * invitation mail queued). Used by cohort rosters; an existing account must be an active or invited trainer.
   */
  async findOrInviteTrainer(
    tx: EntityManager,
    actor: AuthUser,
    data: {
      email: string;
      name: string;
      sex?: User['sex'];
      organisation?: string | null;
      countryCode: string | null;
      language?: User['language'];
    },
  ): Promise<{ user: User; created: boolean }> {
    const existing = await this.users.findByEmail(data.email, tx);
    if (existing) {
      if (existing.role !== 'trainer')
        throw conflict('users.not-a-trainer', { email: existing.email }, 'email');
      if (existing.status === 'disabled')
        throw conflict('users.account-disabled', { email: existing.email }, 'email');
      // A scoped manager may not pull another country's trainer into their workshops. One rule for every
      // scope check: an account without a country is outside every country scope (as in lists and
      // /admin/users/:id) until an admin or an unscoped manager gives it one.
      const scope = countryScopeOf(actor);
      if (scope && existing.countryCode !== scope) throw forbidden('out-of-scope');
      return { user: existing, created: false };
    }
    this.requireManageable(actor, 'trainer');
    // Callers other than the API (the roster CSV import) may pass text their own checks let through:
    // an account, and its invitation mail, only ever goes to a valid address (as CreateUserDto requires).
    const email = data.email.trim().toLowerCase();
    if (!isEmail(email) || email.length > 254)
      throw new InputError({ email: [{ key: 'email', params: {} }] });
    const now = this.clock.now();
    const user = await this.users.insert(tx, {
      email,
      name: data.name,
      role: 'trainer',
      sex: data.sex ?? 'unspecified',
      // The invitation goes out in this language: the participant's when given, else the inviter's.
      language: data.language ?? actor.language,
      countryCode: data.countryCode,
      organisation: data.organisation ?? null,
      status: 'invited',
      passwordHash: null,
      createdAt: now,
      updatedAt: now,
      lastLoginAt: null,
    });
    await this.audit.record(tx, actor.id, 'user.create', { type: 'user', id: user.id }, null, {
      role: 'trainer',
      countryCode: data.countryCode,
    });
    await this.sendInvitation(tx, user, actor.name);
    return { user, created: true };
  }

  /** Creates a user with no actor (first admin from the environment, demo seed). */
  async createSystemUser(
    tx: EntityManager,
    data: Pick<User, 'email' | 'name' | 'role'> & Partial<User>,
    password: string,
  ): Promise<User> {
    const now = this.clock.now();
    return this.users.insert(tx, {
      sex: 'unspecified',
      language: 'en',
      countryCode: null,
      organisation: null,
      lastLoginAt: null,
      ...data,
      email: data.email.toLowerCase(),
      status: 'active',
      passwordHash: await this.access.hashPassword(password),
      createdAt: now,
      updatedAt: now,
    });
  }

  async resendInvitation(actor: AuthUser, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const user = await this.getManageable(actor, id, tx);
      if (user.status !== 'invited') throw conflict('users.not-invited');
      await this.sendInvitation(tx, user, actor.name);
    });
  }

  async list(
    actor: AuthUser,
    query: ListUsersQuery,
  ): Promise<{ items: User[]; total: number; limit: number; offset: number }> {
    const limit = query.limit ?? 25;
    const offset = query.offset ?? (query.page && query.page > 1 ? (query.page - 1) * limit : 0);
    const scope = countryScopeOf(actor);
    if (scope && query.countryCode && query.countryCode !== scope)
      return { items: [], total: 0, limit, offset };
    const allowedRoles = actor.role === 'admin' ? undefined : MANAGEABLE_BY_MANAGER;
    const roles = query.role
      ? allowedRoles && !allowedRoles.includes(query.role)
        ? []
        : [query.role]
      : allowedRoles;
    if (roles && roles.length === 0) return { items: [], total: 0, limit, offset };
    const page = await this.users.page(
      { roles, countryCode: scope ?? query.countryCode ?? null, search: query.q },
      limit,
      offset,
    );
    return { ...page, limit, offset };
  }

  async get(actor: AuthUser, id: string): Promise<User> {
    return this.getManageable(actor, id);
  }

  /** Edits an account; role and status changes are audited, and disabling ends every session. */
  async update(actor: AuthUser, id: string, dto: UpdateUserDto): Promise<User> {
    return this.db.transaction(async (tx) => {
      const user = await this.getManageable(actor, id, tx);
      this.requireManageable(actor, dto.role);
      const countryCode = dto.countryCode ?? null;
      requireCountry(actor, countryCode ?? (actor.role === 'manager' ? actor.countryCode : null));
      if (user.id === actor.id && (dto.role !== user.role || dto.status === 'disabled'))
        throw forbidden('users.cannot-demote-self');
      const before = { role: user.role, status: user.status, countryCode: user.countryCode, name: user.name };
      let status = user.status;
      if (dto.status === 'disabled') status = 'disabled';
      else if (dto.status === 'active' && user.status === 'disabled')
        status = user.passwordHash ? 'active' : 'invited';
      Object.assign(user, {
        name: dto.name,
        role: dto.role,
        sex: dto.sex,
        language: dto.language,
        countryCode,
        organisation: dto.organisation || null,
        status,
        updatedAt: this.clock.now(),
      });
      await this.users.saveAccount(user, tx);
      const after = { role: user.role, status: user.status, countryCode: user.countryCode, name: user.name };
      if (before.role !== after.role)
        await this.audit.record(tx, actor.id, 'user.role-change', { type: 'user', id }, before, after);
      if (before.status !== after.status)
        await this.audit.record(tx, actor.id, 'user.status-change', { type: 'user', id }, before, after);
      if (status === 'disabled') await this.access.endSessions(tx, user.id);
      return user;
    });
  }

  async disable(actor: AuthUser, id: string): Promise<User> {
    const user = await this.get(actor, id);
    return this.update(actor, id, {
      name: user.name,
      role: user.role,
      sex: user.sex,
      language: user.language,
      countryCode: user.countryCode ?? undefined,
      organisation: user.organisation ?? undefined,
      status: 'disabled',
    });
  }

  /** The signed-in user's own settings: name and language. */
  async updateOwnProfile(actor: AuthUser, name: string, language: Language): Promise<void> {
    await this.db.transaction((tx) =>
      this.users.updateAccount(tx, actor.id, { name, language, updatedAt: this.clock.now() }),
    );
  }

  async setLanguage(userId: string, language: Language): Promise<void> {
    await this.db.transaction((tx) => this.users.updateAccount(tx, userId, { language }));
  }

  /** Names of the given accounts, by id (the audit log's actors; one query). */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    return ids.length ? this.users.namesByIds(ids) : new Map();
  }

  /** The account with this id, or null (no access check: for the auth feature and system callers). */
  findById(id: string, tx?: EntityManager): Promise<User | null> {
    return this.users.findById(id, tx);
  }

  /** The account with this email (case-insensitive), or null (no access check). */
  findByEmail(email: string, tx?: EntityManager): Promise<User | null> {
    return this.users.findByEmail(email, tx);
  }

  /** How many accounts exist (first start: is there anyone yet?). */
  countAll(): Promise<number> {
    return this.users.countAll();
  }

  /** Inside the caller's transaction: notes a successful sign-in. */
  async recordLogin(tx: EntityManager, userId: string, at: Date): Promise<void> {
    await this.users.updateAccount(tx, userId, { lastLoginAt: at });
  }

  /**
   * Inside the caller's transaction: the account's new password hash (set by the auth feature,
   * which checked the old password or a link token). `activate` also turns an invited account active.
   */
  async setPasswordHash(
    tx: EntityManager,
    userId: string,
    passwordHash: string,
    at: Date,
    options: { activate: boolean },
  ): Promise<void> {
    await this.users.updateAccount(
      tx,
      userId,
      options.activate
        ? { passwordHash, status: 'active', updatedAt: at, lastLoginAt: at }
        : { passwordHash, updatedAt: at },
    );
  }

  private requireManageable(actor: AuthUser, role: Role): void {
    if (actor.role === 'admin') return;
    if (actor.role === 'manager' && MANAGEABLE_BY_MANAGER.includes(role)) return;
    throw forbidden('users.role-not-allowed');
  }

  private async getManageable(actor: AuthUser, id: string, tx?: EntityManager): Promise<User> {
    const user = /^[0-9a-f-]{36}$/i.test(id) ? await this.users.findById(id, tx) : null;
    if (!user) throw notFound();
    if (actor.role === 'admin') return user;
    // Out of scope looks the same as absent: a manager learns nothing about other countries.
    if (!MANAGEABLE_BY_MANAGER.includes(user.role)) throw notFound();
    const scope = countryScopeOf(actor);
    if (scope && user.countryCode !== scope) throw notFound();
    return user;
  }

  private async sendInvitation(tx: EntityManager, user: User, inviterName: string): Promise<void> {
    const token = await this.access.issueInvitationToken(tx, user.id);
    await this.outbox.enqueue(tx, {
      to: user.email,
      template: 'invitation',
      language: user.language,
      data: { name: user.name, inviterName, role: user.role, link: this.outbox.link(`/invite/${token}`) },
    });
  }
}
