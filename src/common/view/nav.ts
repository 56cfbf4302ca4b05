import type { AuthUser } from '../kernel/auth-user';
import type { Role } from '../kernel/user-role.enum';

interface NavItem {
  href: string;
  key: string;
  roles: Role[] | 'all';
}

/** Header navigation: only pages the user may open. Later features add their entries here. */
const ITEMS: NavItem[] = [
  { href: '/', key: 'nav.home', roles: 'all' },
  { href: '/learn', key: 'nav.learning', roles: ['trainer'] },
  { href: '/courses', key: 'nav.courses', roles: 'all' },
  { href: '/cohorts', key: 'nav.cohorts', roles: ['admin', 'manager', 'trainer'] },
  { href: '/certifications', key: 'nav.certifications', roles: ['admin', 'manager', 'trainer'] },
  { href: '/cascade-sessions', key: 'nav.sessions', roles: 'all' },
  { href: '/schools', key: 'nav.schools', roles: ['admin', 'manager', 'coordinator'] },
  { href: '/reports', key: 'nav.reports', roles: ['admin', 'manager'] },
  { href: '/admin/users', key: 'nav.users', roles: ['admin', 'manager'] },
  { href: '/admin/content', key: 'nav.content', roles: ['admin'] },
  { href: '/admin/outbox', key: 'nav.outbox', roles: ['admin'] },
  { href: '/admin/audit', key: 'nav.audit', roles: ['admin'] },
  { href: '/admin/dhis2', key: 'nav.dhis2', roles: ['admin'] },
  { href: '/account', key: 'nav.account', roles: 'all' },
];

export function navFor(user: AuthUser | undefined, currentPath: string) {
  if (!user) return [];
  return ITEMS.filter((item) => item.roles === 'all' || item.roles.includes(user.role)).map((item) => ({
    href: item.href,
    key: item.key,
    current:
      item.href === '/'
        ? currentPath === '/'
        : currentPath === item.href || currentPath.startsWith(`${item.href}/`),
  }));
}
