import { AuthToken } from '../auth/auth-token.entity';
import { UserSession } from '../auth/user-session.entity';
import { AuditEntry } from '../common/audit/audit-entry.entity';
import { RateLimitBucket } from '../common/http/rate-limit-bucket.entity';
import { OutboxMessage } from '../mail/outbox-message.entity';
import { User } from '../users/user.entity';
import { JobLease } from './job-lease.entity';

export const entities = [User, AuthToken, UserSession, OutboxMessage, RateLimitBucket, AuditEntry, JobLease];
