import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant } from '../../database/columns';

/** A fixed-window counter, kept in the database so several instances share it. */
@Entity('rate_limit_buckets')
export class RateLimitBucket {
  /** `<scope>:<subject>`, e.g. `login-email:ana@example.org` or `login-ip:203.0.113.7`. */
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key: string;

  @Column({ type: 'varchar', length: 30, transformer: instant })
  windowStartedAt: Date;

  @Column({ type: 'integer' })
  count: number;
}
