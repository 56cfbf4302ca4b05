import type { AttendanceStatus } from './cohort-status.enum';

/**
 * Share of the workshop's days a participant attended, in percent (not rounded). Present and late
 * count as attended; absent, excused and days with nothing recorded do not. With no days yet: 0.
 */
export function attendancePercent(statuses: AttendanceStatus[], dayCount: number): number {
  if (dayCount <= 0) return 0;
  const attended = statuses.filter((s) => s === 'present' || s === 'late').length;
  // Multiply first: 29 / 50 * 100 is 57.99999999999999, 29 * 100 / 50 is exactly 58.
  return (Math.min(attended, dayCount) * 100) / dayCount;
}
