import type { CascadeSession } from './cascade-session.entity';

/** The API shape of a session (API.md "Schools and cascade sessions"). */
export function toSessionJson(s: CascadeSession, courseSlug: string) {
  return {
    id: s.id,
    status: s.status,
    schoolId: s.schoolId,
    trainerId: s.trainerId,
    courseSlug,
    moduleSlugs: s.moduleSlugs.split(','),
    date: s.date,
    durationMinutes: s.durationMinutes,
    participants: { female: s.female, male: s.male, unspecified: s.unspecified },
    ageBands: { under_10: s.ageUnder10, '10_14': s.age10To14, '15_17': s.age15To17, '18_plus': s.age18Plus },
    students: s.female + s.male + s.unspecified,
    teachers: s.teachers,
    parents: s.parents,
    notes: s.notes,
    loggedBy: s.loggedBy,
    loggedByRole: s.loggedByRole,
    decidedBy: s.decidedBy,
    decidedAt: s.decidedAt ? s.decidedAt.toISOString() : null,
    rejectionReason: s.rejectionReason,
    createdAt: s.createdAt.toISOString(),
  };
}
