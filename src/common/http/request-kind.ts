import type { Request } from 'express';

export const API_PREFIX = '/api/v1';

/** Public Open Badges documents (src/open-badges/): JSON for machines, so errors answer in JSON too. */
export const OPEN_BADGES_PREFIX = '/ob';

export const isApiRequest = (req: Request): boolean =>
  req.path === API_PREFIX ||
  req.path.startsWith(`${API_PREFIX}/`) ||
  req.path.startsWith(`${OPEN_BADGES_PREFIX}/`);
