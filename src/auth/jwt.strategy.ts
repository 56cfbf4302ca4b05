import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, type AppConfig } from '../config/app.config';
import type { AuthUser } from '../common/kernel/auth-user';
import { SessionsService } from './sessions.service';
import { isApiRequest } from '../common/http/request-kind';

export const SESSION_COOKIE = 'cascada_session';

export interface JwtPayload {
  sub: string;
  sid: string;
}

/**
 * Pages authenticate with the HttpOnly cookie only, the JSON API with the Bearer header only:
 * a cookie can never authorise an API call made by another site.
 */
function extractToken(req: Request): string | null {
  if (isApiRequest(req)) return ExtractJwt.fromAuthHeaderAsBearerToken()(req);
  return (req.cookies?.[SESSION_COOKIE] as string | undefined) ?? null;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: extractToken,
      // A pre-built key object: verifying with a string secret rebuilds the key on every request.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** The token's session must still be open and its user active: logout and disabling are immediate. */
  async validate(payload: JwtPayload): Promise<AuthUser | false> {
    if (typeof payload?.sid !== 'string' || typeof payload?.sub !== 'string') return false;
    return (await this.sessions.resolve(payload.sid, payload.sub)) ?? false;
  }
}
