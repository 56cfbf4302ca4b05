import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/kernel/auth-user';

export interface MeEnrolment {
  id: string;
  courseSlug: string;
  percent: number;
  status: string;
}

/**
 * `GET /me` lists enrolments, which belong to the courses feature. Courses registers a provider
 * here instead of auth depending on courses.
 */
@Injectable()
export class MeContributors {
  private enrolmentSource: ((actor: AuthUser) => Promise<MeEnrolment[]>) | undefined;

  registerEnrolmentSource(source: (actor: AuthUser) => Promise<MeEnrolment[]>): void {
    this.enrolmentSource = source;
  }

  async enrolmentsOf(actor: AuthUser): Promise<MeEnrolment[]> {
    return this.enrolmentSource ? this.enrolmentSource(actor) : [];
  }
}
