export const COHORT_STATUSES = ['planned', 'open', 'in_progress', 'completed'] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];

/** planned → open → in_progress → completed; one step back is allowed to correct a mistake, never from completed. */
export const NEXT_STATUSES: Record<CohortStatus, CohortStatus[]> = {
  planned: ['open'],
  open: ['in_progress', 'planned'],
  in_progress: ['completed', 'open'],
  completed: [],
};

export const ATTENDANCE_STATUSES = ['present', 'late', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
