import type { Request } from 'express';

export const API_PREFIX = '/api/v1';

export const isApiRequest = (req: Request): boolean => req.path === API_PREFIX || req.path.startsWith(`${API_PREFIX}/`);
