import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    id?: string;
  }
}

// Invitation and reset tokens travel in the path: never write them to logs.
const SECRET_PATHS = /^\/(invite|reset-password)\/[^/?]+/;
export const redactPath = (path: string): string => path.replace(SECRET_PATHS, '/$1/[token]');

/** A request id for every request (kept from X-Request-Id when sane) and one structured log line per request. */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const user = req.user as { id?: string } | undefined;
      logger.info({
        reqId: req.id,
        method: req.method,
        path: redactPath(req.path),
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        userId: user?.id,
      });
    });
    next();
  };
}
