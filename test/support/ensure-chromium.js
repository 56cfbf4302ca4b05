#!/usr/bin/env node
// `npm test` runs the browser tests in Debian's Chromium. On a fresh Debian machine where we are
// root, install it (the project's own files install what it needs); otherwise say how.
const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM) || process.env.SKIP_CHROMIUM_INSTALL) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot && existsSync('/usr/bin/apt-get')) {
  console.log('Installing Chromium from Debian for the browser tests (about 30 s)…');
  try {
    execSync('apt-get update -qq && apt-get install -y -qq chromium', {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    process.exit(0);
  } catch {
    console.error('Chromium could not be installed; the browser tests will fail.');
    process.exit(0);
  }
}
console.error(
  `Chromium is not at ${CHROMIUM}: install it (Debian: sudo apt-get install chromium) for the browser tests.`,
);
