import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

/** A completed lesson, by slug: it survives new versions of the content. */
@Entity('lesson_completions')
export class LessonCompletion {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  enrolmentId: string;

  @Column({ type: 'varchar', length: 100 })
  lessonSlug: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  completedAt: Date;
}
