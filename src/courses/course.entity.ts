import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

/** A course package; its content lives in versions. `slug` never changes. */
@Entity('courses')
export class Course {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 80, unique: true })
  slug: string;

  /** The newest imported version: new enrolments are pinned to it. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  currentVersionId: string | null;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  createdAt: Date;
}
