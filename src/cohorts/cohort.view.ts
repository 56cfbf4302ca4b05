import type { Cohort } from './cohort.entity';
import type { CohortDay } from './cohort-member.entities';

export function toCohortJson(cohort: Cohort, courseSlug: string, extra: Record<string, unknown> = {}) {
  return {
    id: cohort.id,
    courseSlug,
    name: cohort.name,
    countryCode: cohort.countryCode,
    municipality: cohort.municipality,
    venue: cohort.venue,
    startsOn: cohort.startsOn,
    endsOn: cohort.endsOn,
    capacity: cohort.capacity,
    status: cohort.status,
    ...extra,
  };
}

export const toDayJson = (day: CohortDay) => ({ id: day.id, date: day.date, title: day.title });
