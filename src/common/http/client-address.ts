import type { Request } from 'express';

/** The caller's address (behind a proxy only when `trust proxy` is configured). */
export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
