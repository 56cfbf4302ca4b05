import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (where package.json, views/ and content/ live), from src/ or dist/src/. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'views'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the Cascada root above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const VIEWS_DIR = join(PROJECT_ROOT, 'views');
export const CONTENT_DIR = join(PROJECT_ROOT, 'content');
