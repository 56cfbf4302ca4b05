import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { Access, ACCESS_KEY } from '../decorators/access.decorators';
import { DomainError } from '../errors/app-errors';
import type { AuthUser } from '../kernel/auth-user';

/**
 * The one global guard: authenticates (JWT from cookie or Bearer, session checked in the database)
 * and enforces the route's declared access. Record-level scope is the services' job.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!access) {
      this.logger.error(
        `Route without an access declaration refused: ${context.getClass().name}.${context.getHandler().name}`,
      );
      throw new DomainError('forbidden', 'forbidden');
    }
    try {
      await super.canActivate(context);
    } catch {
      // No token or an invalid one: anonymous. Public routes still answer.
    }
    const user = context.switchToHttp().getRequest().user as AuthUser | undefined;
    if (access.kind === 'public') return true;
    if (!user) throw new DomainError('unauthenticated', 'unauthenticated');
    if (access.kind === 'roles' && !access.roles.includes(user.role))
      throw new DomainError('forbidden', 'forbidden');
    return true;
  }

  override handleRequest<T>(_err: unknown, user: T): T {
    // Never throw here: canActivate decides, so a stale cookie on a public page is harmless.
    return (user || undefined) as T;
  }
}
