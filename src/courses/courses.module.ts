import { Module, OnModuleInit } from '@nestjs/common';
import { MeContributors } from '../auth/me-contributors.service';
import { SchoolsModule } from '../schools/schools.module';
import { UsersModule } from '../users/users.module';
import { CatalogueService } from './catalogue.service';
import { ContentImporter } from './content/content-importer';
import { ContentRepository } from './content/content.repository';
import { ContentAdminPagesController } from './content-admin.pages.controller';
import { CoursesApiController } from './courses.api.controller';
import { CoursesPagesController } from './courses.pages.controller';
import { CoursesPageModels } from './courses.page-models';
import { ContentAdminPageModels } from './content-admin.page-models';
import { CountryFactsService } from './country-facts.service';
import { CoursesRepository } from './courses.repository';
import { LearningService } from './learning.service';
import { QuizzesService, SittingSeeds } from './quizzes.service';
import { ReferralContactsService } from './referral-contacts.service';
import { Course } from './course.entity';
import { CourseVersion } from './course-version.entity';
import { Lesson } from './lesson.entity';
import { Quiz } from './quiz.entity';
import { ContentImport } from './content-import.entity';
import { Enrolment } from './enrolment.entity';
import { LessonCompletion } from './lesson-completion.entity';
import { QuizAttempt } from './quiz-attempt.entity';
import { QuizSitting } from './quiz-sitting.entity';
import { ReferralContact } from './referral-contact.entity';
import { CountryFact } from './country-fact.entity';
import { Handout } from './handout.entity';
import { DatabaseModule } from '../database/database.module';

/** The tables this module owns (registered with the DataSource, issue 14 item 1). */
export const COURSES_ENTITIES = [
  Course,
  CourseVersion,
  Lesson,
  Quiz,
  ContentImport,
  Enrolment,
  LessonCompletion,
  QuizAttempt,
  QuizSitting,
  ReferralContact,
  CountryFact,
  Handout,
];

@Module({
  imports: [DatabaseModule.forFeature(COURSES_ENTITIES), UsersModule, SchoolsModule],
  controllers: [CoursesPagesController, CoursesApiController, ContentAdminPagesController],
  providers: [
    CoursesRepository,
    CatalogueService,
    LearningService,
    QuizzesService,
    SittingSeeds,
    ContentImporter,
    ContentRepository,
    ReferralContactsService,
    CountryFactsService,
    CoursesPageModels,
    ContentAdminPageModels,
  ],
  exports: [CatalogueService, LearningService, QuizzesService, ContentImporter],
})
export class CoursesModule implements OnModuleInit {
  constructor(
    private readonly me: MeContributors,
    private readonly learning: LearningService,
  ) {}

  onModuleInit(): void {
    this.me.registerEnrolmentSource(async (actor) =>
      (await this.learning.enrolmentsOf(actor.id)).map((p) => ({
        id: p.enrolment.id,
        courseSlug: p.outline.slug,
        percent: p.percent,
        status: p.enrolment.status,
      })),
    );
  }
}
