// Known violations of the import boundaries in .dependency-cruiser.cjs, as of main on 2026-12-03
// (issue 14 item 1). One entry per importing file (or folder, for the cycle rule); `to` lists exactly
// the imports that are excused. "remove when" says what ends it. Do not add entries: fix the import.
// Regenerating is not the way to make a new violation pass.
module.exports = [
  // known violation, issue 14 item 1: remove when the import goes through the other feature's exported service or public types.
  {
    name: 'internals: admin/admin.pages.controller.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/admin/admin\\.pages\\.controller\\.ts$',
    to: ['^src/mail/mail-transport\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when course.view.ts becomes a public type (renamed *.types.ts) or its mapper moves behind CatalogueService.
  {
    name: 'internals: cascade/cascade.pages.controller.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/cascade/cascade\\.pages\\.controller\\.ts$',
    to: ['^src/reports/export\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when course.view.ts becomes a public type (renamed *.types.ts) or its mapper moves behind CatalogueService.
  {
    name: 'internals: cascade/cascade.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/cascade/cascade\\.service\\.ts$',
    to: ['^src/courses/course\\.view\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when course.view.ts becomes a public type (renamed *.types.ts) or its mapper moves behind CatalogueService.
  {
    name: 'internals: certification/certification.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/certification/certification\\.service\\.ts$',
    to: ['^src/courses/course\\.view\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the import goes through the other feature's exported service or public types.
  {
    name: 'internals: cli/bench.ts, cli/bench-postgres.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/cli/bench(-postgres)?\\.ts$',
    to: ['^src/cascade/reach-rollups\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the import goes through the other feature's exported service or public types.
  {
    name: 'internals: cli/content-import.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/cli/content-import\\.ts$',
    to: ['^src/courses/content/content-importer\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when course.view.ts becomes a public type (renamed *.types.ts) or its mapper moves behind CatalogueService.
  {
    name: 'internals: cohorts/cohorts.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/cohorts/cohorts\\.service\\.ts$',
    to: ['^src/courses/course\\.view\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the caller uses a UsersService method instead of the repository (issue 14 item 2).
  {
    name: 'internals: courses/country-facts.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/courses/country-facts\\.service\\.ts$',
    to: ['^src/users/users\\.repository\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the caller uses a UsersService method instead of the repository (issue 14 item 2).
  {
    name: 'internals: courses/learning.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/courses/learning\\.service\\.ts$',
    to: ['^src/users/users\\.repository\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the caller uses a UsersService method instead of the repository (issue 14 item 2).
  {
    name: 'internals: courses/referral-contacts.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/courses/referral-contacts\\.service\\.ts$',
    to: ['^src/users/users\\.repository\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the shared code moves behind an exported service (or to common/) so reports and dhis2 stop reaching into each other.
  {
    name: 'internals: dhis2/dhis2-admin.pages.controller.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/dhis2/dhis2-admin\\.pages\\.controller\\.ts$',
    to: ['^src/reports/export\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when course.view.ts becomes a public type (renamed *.types.ts) or its mapper moves behind CatalogueService.
  {
    name: 'internals: home/home.pages.controller.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/home/home\\.pages\\.controller\\.ts$',
    to: ['^src/certification/certification\\.view\\.ts$', '^src/certification/validity\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the import goes through the other feature's exported service or public types.
  {
    name: 'internals: open-badges/open-badge.builder.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/open-badges/open-badge\\.builder\\.ts$',
    to: ['^src/courses/content/course-package\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when course.view.ts becomes a public type (renamed *.types.ts) or its mapper moves behind CatalogueService.
  {
    name: 'internals: open-badges/open-badges.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/open-badges/open-badges\\.service\\.ts$',
    to: ['^src/certification/code-generator\\.ts$', '^src/courses/course\\.view\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the shared code moves behind an exported service (or to common/) so reports and dhis2 stop reaching into each other.
  {
    name: 'internals: reports/dhis2-export.query.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/reports/dhis2-export\\.query\\.ts$',
    to: ['^src/dhis2/dhis2-codes\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the shared code moves behind an exported service (or to common/) so reports and dhis2 stop reaching into each other.
  {
    name: 'internals: reports/dhis2-export.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/reports/dhis2-export\\.service\\.ts$',
    to: ['^src/dhis2/dhis2-codes\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the shared code moves behind an exported service (or to common/) so reports and dhis2 stop reaching into each other.
  {
    name: 'internals: reports/dhis2-export.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/reports/dhis2-export\\.ts$',
    to: ['^src/dhis2/dhis2-codes\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when course.view.ts becomes a public type (renamed *.types.ts) or its mapper moves behind CatalogueService.
  {
    name: 'internals: reports/reports.controller.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/reports/reports\\.controller\\.ts$',
    to: ['^src/courses/course\\.view\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when course.view.ts becomes a public type (renamed *.types.ts) or its mapper moves behind CatalogueService.
  {
    name: 'internals: reports/reports.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/reports/reports\\.service\\.ts$',
    to: ['^src/certification/validity\\.ts$', '^src/courses/course\\.view\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: auth',
    rule: 'no-circular-feature-folders',
    from: '^src/auth$',
    to: ['^src/schools$', '^src/users$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: cascade',
    rule: 'no-circular-feature-folders',
    from: '^src/cascade$',
    to: ['^src/certification$', '^src/courses$', '^src/reports$', '^src/schools$', '^src/users$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: certification',
    rule: 'no-circular-feature-folders',
    from: '^src/certification$',
    to: ['^src/cohorts$', '^src/courses$', '^src/users$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: cohorts',
    rule: 'no-circular-feature-folders',
    from: '^src/cohorts$',
    to: ['^src/courses$', '^src/users$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: courses',
    rule: 'no-circular-feature-folders',
    from: '^src/courses$',
    to: ['^src/auth$', '^src/schools$', '^src/users$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: dhis2',
    rule: 'no-circular-feature-folders',
    from: '^src/dhis2$',
    to: ['^src/reports$', '^src/schools$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: reports',
    rule: 'no-circular-feature-folders',
    from: '^src/reports$',
    to: ['^src/certification$', '^src/courses$', '^src/dhis2$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: schools',
    rule: 'no-circular-feature-folders',
    from: '^src/schools$',
    to: ['^src/users$'],
  },
  // known violation, issue 14 item 1: remove when the cycle is gone: seeds out of src/database, AuthModule split from users, certification asks cohorts for facts (issue 14 item 1).
  {
    name: 'cycle: users',
    rule: 'no-circular-feature-folders',
    from: '^src/users$',
    to: ['^src/cascade$', '^src/certification$', '^src/cohorts$', '^src/courses$', '^src/schools$'],
  },
  // known violation, issue 14 item 1: remove when the demo seed reaches these features through their services.
  {
    name: 'demo: bootstrap.service.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/demo/bootstrap\\.service\\.ts$',
    to: ['^src/users/users\\.repository\\.ts$', '^src/courses/content/content-importer\\.ts$'],
  },
  // known violation, issue 14 item 1: remove when the demo seed reaches these features through their services.
  {
    name: 'demo: demo-history.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/demo/demo-history\\.ts$',
    to: [
      '^src/courses/quiz-draw\\.ts$',
      '^src/certification/validity\\.ts$',
      '^src/cascade/reach-rollups\\.ts$',
      '^src/auth/password\\.ts$',
    ],
  },
  // known violation, issue 14 item 1: remove when the demo seed reaches these features through their services.
  {
    name: 'demo: demo.seed.ts',
    rule: 'feature-to-feature-internals',
    from: '^src/demo/demo\\.seed\\.ts$',
    to: ['^src/courses/content/course-package\\.ts$', '^src/certification/validity\\.ts$'],
  },
];
