import { Column, Entity, PrimaryColumn } from 'typeorm';
import { newId } from '../database/columns';

/** A printable handout of one course version; HTML rendered and sanitised once, at import. */
@Entity('handouts')
export class Handout {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 36 })
  courseVersionId: string;

  @Column({ type: 'varchar', length: 100 })
  slug: string;

  /** Order on the course page (file-name order). */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  titleEn: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  titleEs: string | null;

  @Column({ type: 'text', nullable: true })
  htmlEn: string | null;

  @Column({ type: 'text', nullable: true })
  htmlEs: string | null;
}
