import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { AuthUser } from '../common/kernel/auth-user';
import { Clock } from '../common/clock';
import { InputError } from '../common/errors/app-errors';
import { Database } from '../database/database.service';
import type { QuizOutline } from './catalogue.service';
import type { QuizQuestion } from './content/course-package';
import { CoursesError } from './courses.errors';
import { CoursesRepository } from './courses.repository';
import { EnrolmentProgress, LearningService, QuizState } from './learning.service';
import { QuizAttempt } from './quiz-attempt.entity';
import { MAX_SEED, planSitting, questionsAsShown, SittingPlan } from './quiz-draw';
import { QuizSitting } from './quiz-sitting.entity';
import { Answers, answerProblems, scoreAnswers } from './scoring';
import { isUuid } from '../common/ids';

/** Seeds for sittings: from crypto, injectable so tests could fix them. */
@Injectable()
export class SittingSeeds {
  next(): number {
    return randomInt(0, MAX_SEED);
  }
}

/** What one sitting shows: its id and the drawn questions in order, options in the order shown. */
export interface ShownSitting {
  id: string;
  questions: QuizQuestion[];
  bankSize: number;
}

export interface SubmittedAttempt {
  attempt: QuizAttempt;
  quiz: QuizOutline;
  /** True when this sitting had been submitted before (double submit, retry): nothing new was stored. */
  replayed: boolean;
}

const planOf = (row: Pick<QuizSitting, 'questionIds' | 'optionOrder'>): SittingPlan => ({
  questionIds: JSON.parse(row.questionIds) as string[],
  optionOrder: JSON.parse(row.optionOrder) as Record<string, string[]>,
});

/**
 * Quiz sittings and attempts (formats.md §1): each attempt shows the questions its seed drew, with
 * options shuffled, and is scored on those questions only. Opening a quiz stores an open sitting,
 * reused until it is submitted; the attempt keeps what was shown so its review shows it again.
 * Attempt counting, best score, maxAttempts and the pre-test rule are LearningService.quizState's.
 */
@Injectable()
export class QuizzesService {
  constructor(
    private readonly db: Database,
    private readonly courses: CoursesRepository,
    private readonly learning: LearningService,
    private readonly seeds: SittingSeeds,
    private readonly clock: Clock,
  ) {}

  /** The quiz and, while it is open, the owner's sitting (created now, or the one opened before). */
  async open(
    actor: AuthUser,
    enrolmentId: string,
    quizSlug: string,
  ): Promise<{ progress: EnrolmentProgress; state: QuizState; sitting: ShownSitting | null }> {
    const { progress, state } = await this.learning.quizState(actor, enrolmentId, quizSlug);
    if (state.closedBecause) return { progress, state, sitting: null };
    let sitting = await this.courses.findOpenSitting(enrolmentId, quizSlug);
    if (!sitting) {
      const fresh = this.newSitting(enrolmentId, state.quiz);
      await this.db.transaction((tx) => this.courses.insertSittingIfAbsent(tx, fresh));
      sitting = (await this.courses.findOpenSitting(enrolmentId, quizSlug)) ?? fresh;
    }
    return {
      progress,
      state,
      sitting: {
        id: sitting.id,
        questions: questionsAsShown(state.quiz.questions, planOf(sitting)),
        bankSize: state.quiz.questions.length,
      },
    };
  }

  /**
   * Scores the answers to the owner's open sitting (an API client that never opened the quiz gets
   * one drawn now), on its drawn questions only: unanswered ones are wrong, answers to others are
   * refused. `sittingId` (the page form and API clients that send it) makes a repeated submit
   * return the first attempt instead of counting twice.
   */
  async submit(
    actor: AuthUser,
    enrolmentId: string,
    quizSlug: string,
    answers: unknown,
    sittingId?: string,
  ): Promise<SubmittedAttempt> {
    const { progress, state } = await this.learning.quizState(actor, enrolmentId, quizSlug);
    const quiz = state.quiz;
    if (sittingId !== undefined) {
      if (!isUuid(sittingId)) throw new InputError({ sittingId: [{ key: 'sitting-id', params: {} }] });
      const done = await this.courses.findAttemptBySitting(sittingId);
      if (done && done.enrolmentId === enrolmentId && done.quizSlug === quizSlug)
        return { attempt: done, quiz, replayed: true };
    }
    const open = await this.courses.findOpenSitting(enrolmentId, quizSlug);
    if (sittingId !== undefined && open?.id !== sittingId) {
      if (state.closedBecause)
        throw new CoursesError('unprocessable', state.closedBecause, { max: quiz.maxAttempts ?? 0 });
      throw new CoursesError('conflict', 'sitting-outdated');
    }
    const sitting = open ?? this.newSitting(enrolmentId, quiz);
    const plan = planOf(sitting);
    const problems = answerProblems(quiz.questions, answers, plan.questionIds);
    if (Object.keys(problems).length) throw new InputError(problems);
    if (state.closedBecause)
      throw new CoursesError('unprocessable', state.closedBecause, { max: quiz.maxAttempts ?? 0 });
    const scored = scoreAnswers(questionsAsShown(quiz.questions, plan), answers as Answers);
    const attempt = await this.db.transaction(async (tx) => {
      // Closing the stored sitting is the lock: of two submits of one sitting only one deletes it.
      if (open && !(await this.courses.deleteSitting(tx, open.id))) return null;
      const previous = await this.courses.countAttempts(tx, enrolmentId, quizSlug);
      if (quiz.maxAttempts !== null && previous >= quiz.maxAttempts) {
        throw new CoursesError('unprocessable', 'no-attempts-left', { max: quiz.maxAttempts });
      }
      const row = tx.create(QuizAttempt, {
        enrolmentId,
        quizSlug,
        kind: quiz.kind,
        attemptNumber: previous + 1,
        score: scored.score,
        passed: scored.score >= quiz.passMark,
        answers: JSON.stringify(answers),
        results: JSON.stringify(scored.results),
        submittedAt: this.clock.now(),
        sittingId: sitting.id,
        seed: sitting.seed,
        questionIds: sitting.questionIds,
        optionOrder: sitting.optionOrder,
      });
      await this.courses.insertAttempt(tx, row);
      await this.learning.markStarted(tx, progress.enrolment);
      return row;
    });
    if (attempt) return { attempt, quiz, replayed: false };
    const first = await this.courses.findAttemptBySitting(sitting.id);
    if (!first) throw new CoursesError('conflict', 'sitting-outdated');
    return { attempt: first, quiz, replayed: true };
  }

  /** The owner's last attempt with its questions as that attempt showed them (older attempts: every question in file order). */
  async lastAttempt(
    actor: AuthUser,
    enrolmentId: string,
    quizSlug: string,
  ): Promise<{
    progress: EnrolmentProgress;
    state: QuizState;
    attempt: QuizAttempt | null;
    shown: QuizQuestion[];
  }> {
    const { progress, state } = await this.learning.quizState(actor, enrolmentId, quizSlug);
    const attempt = await this.courses.lastAttempt(enrolmentId, quizSlug);
    const shown =
      attempt?.questionIds && attempt.optionOrder
        ? questionsAsShown(
            state.quiz.questions,
            planOf({ questionIds: attempt.questionIds, optionOrder: attempt.optionOrder }),
          )
        : state.quiz.questions;
    return { progress, state, attempt, shown };
  }

  private newSitting(enrolmentId: string, quiz: QuizOutline): QuizSitting {
    const seed = this.seeds.next();
    const plan = planSitting(quiz.questions, quiz.draw, seed);
    return Object.assign(new QuizSitting(), {
      enrolmentId,
      quizSlug: quiz.slug,
      seed,
      questionIds: JSON.stringify(plan.questionIds),
      optionOrder: JSON.stringify(plan.optionOrder),
      openedAt: this.clock.now(),
    });
  }
}
