import type { AttendanceStatus } from './cohort-status.enum';

/**
 * Share of the workshop's days a participant attended, in percent (not rounded). Present and late
 * count as attended; absent, excused and days with nothing recorded do not. With no days yet: 0.
 */
export function attendancePercent(statuses: AttendanceStatus[], dayCount: number): number {
  if (dayCount <= 0) return 0;
  const attended = statuses.filter((s) => s === 'present' || s === 'late').length;
  return (Math.min(attended, dayCount) / dayCount) * 100;
}
