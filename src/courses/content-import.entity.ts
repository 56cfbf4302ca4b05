import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant, newId } from '../database/columns';

export type ImportOutcome = 'imported' | 'unchanged' | 'refused';

/** One package's result in one import run, for the admin content page. */
@Entity('content_imports')
export class ContentImport {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string = newId();

  @Column({ type: 'varchar', length: 100 })
  packageName: string;

  @Column({ type: 'integer', nullable: true })
  version: number | null;

  @Column({ type: 'varchar', length: 12 })
  outcome: ImportOutcome;

  /** JSON array of `{file, line?, reason}`. */
  @Column({ type: 'text' })
  problems: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  at: Date;
}
