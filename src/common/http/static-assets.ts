import type { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/** What we ship under views/assets; anything else is sent as bytes. */
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};

interface Asset {
  body: Buffer;
  etag: string;
  type: string;
}

function load(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const body = readFileSync(file);
    const url = `/${relative(dir, file).split(sep).join('/')}`;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(url, { body, etag, type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' });
  }
  return assets;
}

/**
 * Serves our few small CSS/JS/image files from memory, read once at start-up (ETag, 304, long cache).
 * A streamed file allocates a 64 KB read buffer per request; under load that churn alone grew the
 * process by ~100 MB (issue 6: RSS under 250 MB). In development (`maxAgeSeconds` 0) files are read
 * again on every request so edits show at once.
 */
export function staticAssets(dir: string, maxAgeSeconds: number) {
  let assets = load(dir);
  const cacheControl = maxAgeSeconds > 0 ? `public, max-age=${maxAgeSeconds}` : 'no-cache';
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (maxAgeSeconds === 0) assets = load(dir);
    const asset = assets.get(req.path);
    if (!asset) return next();
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('ETag', asset.etag);
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Content-Length', asset.body.length);
    res.status(200).end(req.method === 'HEAD' ? undefined : asset.body);
  };
}

const versions = new Map<string, { stamp: string; version: string }>();

/**
 * The address of one of our assets with its content's hash (`/assets/css/app.css?Xy1…`). Browsers keep
 * assets for 7 days; a changed file gets a new address, so nobody is served last week's stylesheet
 * after an upgrade. The hash is recomputed only when the file's size or time changes.
 */
export function assetUrl(dir: string, path: string): string {
  const file = join(dir, path);
  const info = statSync(file, { throwIfNoEntry: false });
  if (!info) return `/assets/${path}`;
  const stamp = `${info.size}:${info.mtimeMs}`;
  let known = versions.get(file);
  if (known?.stamp !== stamp) {
    known = {
      stamp,
      version: createHash('sha256').update(readFileSync(file)).digest('base64url').slice(0, 10),
    };
    versions.set(file, known);
  }
  return `/assets/${path}?${known.version}`; // no "=": Handlebars would escape it
}
