/**
 * Crash safety of the real server process: a burst of cascade-session logging (with Idempotency-Key)
 * and certification writes, `SIGKILL` in the middle of it, a restart on the same data. Every write
 * that was acknowledged must be there exactly as acknowledged; no use case may be half-written; and
 * re-sending the unacknowledged requests (same key, same body) must create each exactly once and
 * answer 201: the key, the session and the stored answer commit in one transaction
 * (src/cascade/idempotency.service.ts), so a kill leaves all of them or none.
 * SQLite by default; PostgreSQL (a fresh schema) when DATABASE_URL is set.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { call, sessionBody, seedProgram, type ApiResponse, type Program } from '../../src/cli/load-test';
import {
  buildServer,
  openDatabase,
  scratchDir,
  scratchSchema,
  sqliteChecks,
  startServer,
  stopAllServers,
  type ServerProcess,
  type Sql,
} from '../support/server-process';

const PG = process.env.DATABASE_URL;
const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const SESSIONS = 160;
/** Requests in flight at once during the burst. */
const IN_FLIGHT = 16;
/** The kill comes once this many requests were answered, with IN_FLIGHT more on their way. */
const KILL_AT = 40;

interface Job {
  kind: 'session' | 'certification';
  /** Session: the Idempotency-Key; certification: the trainer id (and `#2` for a double submission). */
  key: string;
  token: string;
  path: string;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  dispatched: boolean;
  /** The answer, when one arrived before the kill. */
  response?: ApiResponse;
  /** Why no answer arrived (the connection died with the server). */
  failure?: string;
}

describe(`resilience: SIGKILL in the middle of a burst of writes (${PG ? 'PostgreSQL' : 'SQLite'})`, () => {
  let dataDir: string;
  let scratch: Awaited<ReturnType<typeof scratchSchema>> | undefined;
  let server: ServerProcess;
  let program: Program;
  let db: Sql | undefined;
  const jobs: Job[] = [];

  const sessionJobs = () => jobs.filter((j) => j.kind === 'session');
  const certificationJobs = () => jobs.filter((j) => j.kind === 'certification');
  const acknowledged = (list: Job[]) =>
    list.filter((j) => j.response && j.response.status >= 200 && j.response.status < 300);
  const unacknowledged = (list: Job[]) => list.filter((j) => j.dispatched && !j.response);
  const admin = () => ({ token: program.adminToken });

  beforeAll(async () => {
    await buildServer();
    dataDir = scratchDir('crash');
    scratch = PG ? await scratchSchema(PG, 'crash') : undefined;
    server = await startServer({ dataDir, databaseUrl: scratch?.url, contentDir: CONTENT });
    // One certified trainer for the sessions; six more eligible, certified during the burst.
    program = await seedProgram(server.base, {
      courseSlug: 'tiny-course',
      contentDir: CONTENT,
      schools: 4,
      coordinators: 2,
      trainers: 7,
      certified: 1,
      endedDaysAgo: 120,
    });
    const certifiedTrainer = program.trainers[0].id;
    for (let n = 0; n < SESSIONS; n++) {
      const key = `crash-${n}-${program.cohortId.slice(0, 8)}`;
      const body = sessionBody(program, [certifiedTrainer], n, key);
      if (!body) throw new Error('not enough distinct sessions in the window');
      const token = program.coordinators[n % 2].token;
      jobs.push({
        kind: 'session',
        key,
        token,
        path: '/cascade-sessions',
        body,
        headers: { 'Idempotency-Key': key },
        dispatched: false,
      });
    }
    // Certifications spread through the burst; two of them submitted twice at once (a double click).
    const candidates = program.trainers.slice(1);
    candidates.forEach((trainer, i) => {
      const body = { cohortId: program.cohortId, userId: trainer.id, issuedOn: program.issuedOn };
      const job = (suffix = ''): Job => ({
        kind: 'certification',
        key: `${trainer.id}${suffix}`,
        token: program.adminToken,
        path: '/certifications',
        body,
        headers: {},
        dispatched: false,
      });
      jobs.splice(4 + i * 10, 0, job());
      if (i === 1 || i === 3) jobs.splice(5 + i * 10, 0, job('#2'));
    });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await stopAllServers();
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers part of a burst of session and certification writes, then the server is SIGKILLed mid-burst', async () => {
    let answered = 0;
    let killed = false;
    let next = 0;
    const kill = () => {
      if (killed) return;
      killed = true;
      process.kill(server.pid, 'SIGKILL');
    };
    let stalled: string | undefined;
    const worker = async () => {
      while (!killed && !stalled && next < jobs.length) {
        const job = jobs[next++];
        job.dispatched = true;
        try {
          job.response = await call(server.base, 'POST', job.path, {
            token: job.token,
            body: job.body,
            headers: job.headers,
            timeoutMs: 15_000,
          });
          if (++answered >= KILL_AT) kill();
        } catch (error) {
          job.failure = String((error as Error).cause ?? error);
          // Before the kill, a request without an answer means the server hangs: stop the burst.
          if (!killed) stalled ??= `${job.kind} ${job.key}: ${job.failure}`;
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    if (stalled) {
      const output = server.output();
      kill();
      await server.exited;
      throw new Error(
        `the server stopped answering after ${answered} answers, before the kill (${stalled}); its output:\n${output.slice(-3000)}`,
      );
    }
    await server.exited;

    expect(killed).toBe(true);
    // Every answer before the kill is a success, or the refusal of one copy of a double-submitted certification.
    const doubled = new Set(jobs.filter((j) => j.key.endsWith('#2')).map((j) => j.body.userId));
    const isRefusedTwin = (j: Job) =>
      doubled.has(j.body.userId) &&
      j.response?.status === 409 &&
      j.response.body?.code === 'certification.already-certified';
    const unexpected = jobs.filter((j) => j.response && !(j.response.status === 201 || isRefusedTwin(j)));
    expect(
      unexpected.map((j) => `${j.kind} ${j.key}: ${j.response?.status} ${JSON.stringify(j.response?.body)}`),
    ).toEqual([]);
    // The kill landed mid-burst: some writes of each kind were acknowledged, some requests were cut off.
    expect(acknowledged(sessionJobs()).length).toBeGreaterThan(10);
    expect(acknowledged(certificationJobs()).length).toBeGreaterThan(0);
    expect(unacknowledged(jobs).length).toBeGreaterThan(0);
    expect(jobs.filter((j) => !j.dispatched).length).toBeGreaterThan(0);
  }, 60_000);

  (PG ? it.skip : it)('leaves a SQLite file that passes integrity_check and foreign_key_check', () => {
    const checks = sqliteChecks(join(dataDir, 'cascada.sqlite'));
    expect(checks).toEqual({ integrity: 'ok', foreignKeyViolations: [] });
  });

  it('restarts on the same data, and the tokens issued before the crash still work', async () => {
    server = await startServer({ dataDir, databaseUrl: scratch?.url, contentDir: CONTENT });
    const me = await call(server.base, 'GET', '/me', { token: program.coordinators[0].token });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(program.coordinators[0].email);
    db = await openDatabase(dataDir, scratch?.url);
  }, 60_000);

  it('still has every acknowledged session and certification, exactly as acknowledged', async () => {
    const sessions = await call(server.base, 'GET', '/cascade-sessions?limit=500', admin());
    expect(sessions.status).toBe(200);
    const byId = new Map((sessions.body.items as Array<{ id: string }>).map((s) => [s.id, s]));
    for (const job of acknowledged(sessionJobs()))
      expect(byId.get(job.response?.body.id)).toEqual(job.response?.body);

    for (const job of acknowledged(certificationJobs())) {
      const cert = await call(server.base, 'GET', `/certifications/${job.response?.body.code}`, admin());
      expect(cert.status).toBe(200);
      expect(cert.body).toEqual(job.response?.body);
    }
  });

  it('has no half-written use case: each session and certification has its audit entry and its mail, and no extra ones', async () => {
    const sql = db as Sql;
    const ids = async (query: string) => (await sql.query<{ id: string }>(query)).map((r) => r.id).sort();
    const sessionIds = await ids('SELECT id FROM cascade_sessions');
    expect(await ids("SELECT entity_id AS id FROM audit_entries WHERE action = 'session.log'")).toEqual(
      sessionIds,
    );
    const [sessionMails] = await sql.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM outbox_messages WHERE template = 'session-to-confirm'",
    );
    expect(sessionMails.n).toBe(sessionIds.length);
    // Every row carries all its fields, and the two breakdowns agree (nothing partially written).
    const broken = await sql.query(
      `SELECT id FROM cascade_sessions WHERE notes IS NULL OR school_id IS NULL OR trainer_id IS NULL OR date IS NULL OR created_at IS NULL
         OR female + male + unspecified <> age_under10 + age10_to14 + age15_to17 + age18_plus`,
    );
    expect(broken).toEqual([]);

    const codes = await ids('SELECT code AS id FROM certifications');
    expect(
      await ids("SELECT entity_id AS id FROM audit_entries WHERE action = 'certification.issue'"),
    ).toEqual(codes);
    const [certMails] = await sql.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM outbox_messages WHERE template = 'certification-issued'",
    );
    expect(certMails.n).toBe(codes.length);
    // One certification per trainer, also for the double-submitted ones.
    expect(
      await sql.query(
        'SELECT user_id, COUNT(*) AS n FROM certifications GROUP BY user_id HAVING COUNT(*) > 1',
      ),
    ).toEqual([]);
  });

  it('answers a re-sent acknowledged session with the first response', async () => {
    for (const job of acknowledged(sessionJobs()).slice(0, 10)) {
      const again = await call(server.base, 'POST', job.path, {
        token: job.token,
        body: job.body,
        headers: job.headers,
      });
      expect({ status: again.status, body: again.body }).toEqual({ status: 201, body: job.response?.body });
    }
  });

  it('creates each unacknowledged session exactly once when its request is re-sent with the same Idempotency-Key', async () => {
    const sql = db as Sql;
    const cutOff = unacknowledged(sessionJobs());
    expect(cutOff.length).toBeGreaterThan(0);
    // A client re-sends what was not answered.
    const resend = (job: Job) =>
      call(server.base, 'POST', job.path, { token: job.token, body: job.body, headers: job.headers });
    const first = await Promise.all(cutOff.map(resend));
    const rows = new Map(
      (await sql.query<{ id: string; notes: string }>('SELECT id, notes FROM cascade_sessions')).map((r) => [
        r.id,
        r.notes,
      ]),
    );
    // Each gets 201 with its own session: created now (the first attempt never committed) or the
    // first attempt's stored answer (it committed, but its answer died with the server).
    const outcomes = first.map((res, i) =>
      res.status === 201 && rows.get(res.body.id) === cutOff[i].body.notes
        ? 'its session'
        : `${res.status} ${JSON.stringify(res.body)}`,
    );
    expect(outcomes).toEqual(cutOff.map(() => 'its session'));
    // Sent once more, each gets the same answer and creates nothing.
    const second = await Promise.all(cutOff.map(resend));
    expect(second.map((r) => [r.status, r.body])).toEqual(first.map((r) => [r.status, r.body]));

    // Every request that reached the server now has exactly one session; the others none.
    const counts = await sql.query<{ notes: string; n: number }>(
      'SELECT notes, COUNT(*) AS n FROM cascade_sessions GROUP BY notes',
    );
    const count = new Map(counts.map((r) => [r.notes, r.n]));
    for (const job of sessionJobs())
      expect([job.key, count.get(job.body.notes as string) ?? 0]).toEqual([job.key, job.dispatched ? 1 : 0]);
    const [pending] = await sql.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_status IS NULL',
    );
    expect(pending.n).toBe(0);
  }, 60_000);

  it('certifies each trainer at most once when unacknowledged certification requests are re-sent', async () => {
    for (const job of unacknowledged(certificationJobs())) {
      const again = await call(server.base, 'POST', job.path, { token: job.token, body: job.body });
      expect([201, 409]).toContain(again.status);
      if (again.status === 409) expect(again.body.code).toBe('certification.already-certified');
    }
    const rows = await (db as Sql).query<{ user_id: string; n: number }>(
      'SELECT user_id, COUNT(*) AS n FROM certifications GROUP BY user_id',
    );
    const count = new Map(rows.map((r) => [r.user_id, r.n]));
    const requested = new Set(
      certificationJobs()
        .filter((j) => j.dispatched)
        .map((j) => j.body.userId as string),
    );
    for (const trainer of program.trainers.slice(1))
      expect([trainer.email, count.get(trainer.id) ?? 0]).toEqual([
        trainer.email,
        requested.has(trainer.id) ? 1 : 0,
      ]);
  }, 60_000);
});
