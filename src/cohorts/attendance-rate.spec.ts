import { attendancePercent } from './attendance-rate';

describe('attendance rate', () => {
  it('counts present and late as attended', () => {
    expect(attendancePercent(['present', 'late', 'absent', 'excused', 'present'], 5)).toBe(60);
  });
  it('counts days with nothing recorded as not attended', () => {
    expect(attendancePercent(['present'], 4)).toBe(25);
  });
  it('is 0 before any day exists', () => {
    expect(attendancePercent([], 0)).toBe(0);
  });
  it('gives exactly 80 for 4 of 5 days', () => {
    expect(attendancePercent(['present', 'present', 'late', 'present', 'absent'], 5)).toBe(80);
  });
});
