// Import boundaries of issue 14 item 1, checked by `npx depcruise src` (part of `npm run lint`).
//   1. feature-to-feature-internals: a feature imports another feature only through its public
//      surface: the module file, services, and public types (entities, enums, errors, DTOs, AuthUser).
//   2. shared-imports-no-feature: common, config, database and i18n import no feature.
//   3. no-circular-feature-folders: no cycle between top-level folders of src/.
// KNOWN lists today's violations, each named, so that the check passes now and fails on any new one.
// Each exception covers only (its `from` files) x (its `to` files) for its rule: every other import of
// the same file is still checked. Remove an entry when its violation is gone (issue 14 item 1).
const FEATURES = [
  'auth',
  'users',
  'courses',
  'cohorts',
  'certification',
  'schools',
  'cascade',
  'reports',
  'mail',
  'home',
  'health',
  'admin',
  'dhis2',
  'open-badges',
  'cli',
  'demo',
];
const SHARED = ['common', 'config', 'database', 'i18n'];
const F = `(${FEATURES.join('|')})`;
/** What other features may import: `<name>.module.ts`, services, entities, enums, errors, DTOs, AuthUser. */
const PUBLIC_SURFACE = [
  '^src/[^/]+/[^/]+\\.module\\.ts$',
  '^src/[^/]+/[^/]+\\.service\\.ts$',
  '^src/[^/]+/[^/]+\\.(entity|entities|enum|errors|types)\\.ts$',
  '^src/[^/]+/dto/',
  '^src/auth/auth-user\\.ts$',
];

const KNOWN = require('./.dependency-cruiser-known.cjs');

const RULES = [
  {
    name: 'feature-to-feature-internals',
    comment:
      'features import each other only through the module file, services and public types (issue 14 item 1)',
    severity: 'error',
    from: { path: `^src/${F}/` },
    to: { path: `^src/${F}/`, pathNot: ['^src/$1/', ...PUBLIC_SURFACE] },
  },
  {
    name: 'shared-imports-no-feature',
    comment: 'common, config, database and i18n are below every feature: they import none (issue 14 item 1)',
    severity: 'error',
    from: { path: `^src/(${SHARED.join('|')})/` },
    to: { path: `^src/${F}/` },
  },
  {
    name: 'no-circular-feature-folders',
    comment: 'top-level folders of src/ form a one-way graph (issue 14 item 1)',
    severity: 'error',
    scope: 'folder',
    // Feature folders only, and cycles through feature folders only: a cycle through a shared folder
    // always contains a shared -> feature import, which shared-imports-no-feature already names.
    from: { path: `^src/${F}$` },
    to: { path: `^src/${F}$`, circular: true, viaOnly: { path: `^src/${F}$` } },
  },
];

const asList = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** The rule without its exceptions' pairs: one rule for everything else, one per exception. */
function withExceptions(rule) {
  const known = KNOWN.filter((k) => k.rule === rule.name);
  const base = {
    ...rule,
    from: { ...rule.from, pathNot: [...asList(rule.from.pathNot), ...known.map((k) => k.from)] },
  };
  const narrowed = known.map((k) => ({
    ...rule,
    from: { ...rule.from, pathNot: [...asList(rule.from.pathNot), `^(?!(?:${k.from}))`] },
    to: { ...rule.to, pathNot: [...asList(rule.to.pathNot), ...asList(k.to)] },
  }));
  return [base, ...narrowed];
}
for (const k of KNOWN) {
  if (!RULES.some((r) => r.name === k.rule)) throw new Error(`known violation ${k.name}: no rule ${k.rule}`);
}

module.exports = {
  forbidden: [
    ...RULES.flatMap(withExceptions),
    {
      name: 'not-to-unresolvable',
      comment: 'an import that resolves to nothing is a typo or a missing package',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-test',
      comment: 'application code never imports test code',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a feature's internal types are internal too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve package subpaths (`csv-parse/sync`) through package.json "exports", as Node does.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types'],
    },
    // Specs may reach into their own feature's internals; they are not part of the module graph.
    exclude: { path: '\\.spec\\.ts$' },
  },
};
