import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../kernel/user-role.enum';
import type { AuthUser } from '../kernel/auth-user';

/**
 * Every route declares who may call it: `@Public()`, `@Authenticated()` (any signed-in user) or
 * `@Roles(...)`. A route that declares nothing is refused (deny by default).
 */
export const ACCESS_KEY = 'cascada:access';
export type Access = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: Role[] };

export const Public = () => SetMetadata(ACCESS_KEY, { kind: 'public' } satisfies Access);
export const Authenticated = () => SetMetadata(ACCESS_KEY, { kind: 'authenticated' } satisfies Access);
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_KEY, { kind: 'roles', roles } satisfies Access);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<Request>().user as AuthUser;
});

/**
 * On refused input, re-render `view` with the messages beside the fields and the input kept.
 * `model` names a controller method `(req) => Promise<object>` that builds the page's own data.
 */
export const FORM_VIEW_KEY = 'cascada:form-view';
export interface FormViewOptions {
  view: string;
  model?: string;
}
export const FormView = (view: string, model?: string) =>
  SetMetadata(FORM_VIEW_KEY, { view, model } satisfies FormViewOptions);
