/**
 * `npm run load`: a write-load test of cascade-session logging with idempotency keys.
 *
 * Starts the built app (dist/src/main.js) on 127.0.0.1 on a scratch database (SQLite in a temporary
 * DATA_DIR; PostgreSQL in a fresh schema, dropped afterwards, when DATABASE_URL is set), creates
 * schools, coordinators and certified trainers through the API, then lets LOAD_CONNECTIONS clients
 * (default 50) log sessions for LOAD_SECONDS (default 30): each request with its own Idempotency-Key,
 * every 10th a deliberate retry of an earlier key with the same body. Requests left unanswered when
 * the run stops are re-sent with their key. Prints throughput, latency and errors, then checks the
 * database: exactly one session per acknowledged key (zero lost, zero duplicated). Exits non-zero on
 * any error or mismatch. Only 127.0.0.1 is contacted; the run is bounded in time.
 *
 * The pieces (starting the server process, seeding a program, the load run) are exported for the
 * resilience tests in test/e2e/.
 */
import autocannon from 'autocannon';
import Sqlite from 'better-sqlite3';
import { load as loadYaml } from 'js-yaml';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { CONTENT_DIR, PROJECT_ROOT } from '../common/paths';

// ---------------------------------------------------------------------------------------------
// A JSON API call

export interface ApiResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One JSON request; the body is parsed when it is JSON. Network failures reject. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(
    `${base}${path.startsWith('/api') || path.startsWith('/healthz') ? path : `/api/v1${path}`}`,
    {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      // A hung server fails the caller instead of waiting for undici's 5-minute default.
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    },
  );
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body };
}

/** Like `call`, but the answer must have the expected status. */
export async function expectCall(
  base: string,
  method: string,
  path: string,
  status: number,
  options: Parameters<typeof call>[3] = {},
): Promise<ApiResponse> {
  const res = await call(base, method, path, options);
  if (res.status !== status)
    throw new Error(
      `${method} ${path} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body).slice(0, 500)}`,
    );
  return res;
}

// ---------------------------------------------------------------------------------------------
// The app as a child process

export const SERVER_SECRET = 'load-test-secret-0123456789-0123456789-abcdef';
export const SERVER_ADMIN = { email: 'load-admin@example.org', password: 'load admin password 2026' };

export interface ServerOptions {
  dataDir: string;
  /** PostgreSQL URL (pointing at a schema with `scratchSchema`); unset: SQLite in dataDir. */
  databaseUrl?: string;
  contentDir?: string;
  env?: Record<string, string>;
  /** How long start-up (migrations, content import, seeding) may take; 60 s by default. */
  startTimeoutMs?: number;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  /** Resolves with the exit code (or null after a signal) once the process has exited. */
  exited: Promise<number | null>;
  /** The last lines the process wrote (for failure messages). */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and waits until the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Starts dist/src/main.js in production mode (JWT_SECRET, no demo data, workers on) and resolves
 * when /healthz answers. The first start on an empty database creates SERVER_ADMIN.
 */
export async function startServerProcess(options: ServerOptions): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      // Another process took the free port between the probe and the listen: try another one.
      if (attempt < 3 && /EADDRINUSE/.test(String((error as Error).message))) continue;
      throw error;
    }
  }
}

async function startOnce(options: ServerOptions, port: number): Promise<ServerProcess> {
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TZ: 'UTC',
    NODE_ENV: 'production',
    PORT: String(port),
    DATA_DIR: options.dataDir,
    APP_URL: base,
    JWT_SECRET: SERVER_SECRET,
    SEED_DEMO: 'false',
    ADMIN_EMAIL: SERVER_ADMIN.email,
    ADMIN_PASSWORD: SERVER_ADMIN.password,
    LOG_LEVEL: 'warn',
    CONTENT_DIR: options.contentDir ?? CONTENT_DIR,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  // The server exits when its stdin closes, that is when this process dies, even killed outright.
  const boot = `process.stdin.on('end', () => process.exit(1)).resume(); require(${JSON.stringify(join(PROJECT_ROOT, 'dist/src/main.js'))});`;
  const child = spawn(process.execPath, ['-e', boot], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle: ServerProcess = {
    child,
    pid: child.pid as number,
    port,
    base,
    exited,
    output: () => tail,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const limit = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + limit;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the app exited during start-up (${child.exitCode ?? child.signalCode}):\n${tail}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return handle;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await handle.stop('SIGKILL');
      throw new Error(`the app did not answer /healthz within ${limit / 1000} s:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A fresh PostgreSQL schema and a DATABASE_URL whose connections use it (search_path). */
export async function scratchSchema(
  databaseUrl: string,
  prefix: string,
): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${process.pid}_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    schema,
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A small program: schools, coordinators, a workshop and certified trainers, through the API

export interface SeedOptions {
  courseSlug: string;
  contentDir: string;
  schools: number;
  coordinators: number;
  trainers: number;
  /** How many of the trainers are certified now (the others are eligible, not yet certified). */
  certified: number;
  /** The workshop ended this many days ago; certifications are backdated to that day. */
  endedDaysAgo: number;
  countryCode?: string;
}

export interface Person {
  id: string;
  email: string;
  name: string;
  token: string;
}

export interface Program {
  base: string;
  adminToken: string;
  courseSlug: string;
  /** Deliverable modules of the course (a session may list them). */
  deliverable: string[];
  schoolIds: string[];
  /** Each coordinator is assigned to every school. */
  coordinators: Person[];
  trainers: Person[];
  cohortId: string;
  /** The workshop's last day: certifications are issued on it, sessions may be logged from it. */
  issuedOn: string;
  today: string;
  /** Certificate codes of the trainers certified by the seed, by trainer id. */
  codes: Map<string, string>;
}

export const PASSWORD = 'load test password 2026';
export const dayOffset = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function inBatches<T, R>(
  items: T[],
  size: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => work(item, i + j)))));
  return out;
}

/** The correct answers of a quiz, read from the course package (DESIGN.md: tests may read it). */
function correctAnswers(
  contentDir: string,
  courseSlug: string,
  moduleSlug: string,
  quizSlug: string,
): Record<string, string[]> {
  const quiz = loadYaml(
    readFileSync(join(contentDir, courseSlug, moduleSlug, `${quizSlug}.quiz.yaml`), 'utf8'),
  ) as {
    questions: Array<{ id: string; options: Array<{ id: string; correct?: boolean }> }>;
  };
  return Object.fromEntries(
    quiz.questions.map((q) => [q.id, q.options.filter((o) => o.correct).map((o) => o.id)]),
  );
}

/** Creates the program through the API as SERVER_ADMIN; every trainer ends eligible for certification. */
export async function seedProgram(base: string, options: SeedOptions): Promise<Program> {
  const country = options.countryCode ?? 'SV';
  const tag = randomBytes(3).toString('hex');
  const adminToken = (await expectCall(base, 'POST', '/auth/login', 200, { body: SERVER_ADMIN })).body
    .accessToken as string;
  const admin = { token: adminToken };
  const course = (await expectCall(base, 'GET', `/courses/${options.courseSlug}`, 200, admin)).body as {
    modules: Array<{
      slug: string;
      deliverable: boolean;
      lessons: Array<{ slug: string }>;
      quizzes: Array<{ slug: string; kind: string }>;
    }>;
  };
  const deliverable = course.modules.filter((m) => m.deliverable).map((m) => m.slug);
  const lessons = course.modules.flatMap((m) => m.lessons.map((l) => l.slug));
  const postModule = course.modules.find((m) => m.quizzes.some((q) => q.kind === 'post'));
  const postQuiz = postModule?.quizzes.find((q) => q.kind === 'post');

  const schoolIds = await inBatches(
    Array.from({ length: options.schools }),
    10,
    async (_, i) =>
      (
        await expectCall(base, 'POST', '/schools', 201, {
          ...admin,
          body: {
            name: `Load school ${tag}-${i + 1}`,
            code: `L${tag}${i + 1}`,
            countryCode: country,
            municipality: 'Santa Tecla',
          },
        })
      ).body.id as string,
  );
  const createPerson = async (role: 'coordinator' | 'trainer', i: number): Promise<Person> => {
    const email = `${role}.${tag}.${i + 1}@example.org`;
    const name = `${role === 'trainer' ? 'Trainer' : 'Coordinator'} ${i + 1}`;
    const body = {
      email,
      name,
      role,
      countryCode: country,
      password: PASSWORD,
      ...(role === 'coordinator' ? { schoolIds } : {}),
    };
    const id = (await expectCall(base, 'POST', '/users', 201, { ...admin, body })).body.id as string;
    const token = (
      await expectCall(base, 'POST', '/auth/login', 200, { body: { email, password: PASSWORD } })
    ).body.accessToken as string;
    return { id, email, name, token };
  };
  const coordinators = await inBatches(Array.from({ length: options.coordinators }), 4, (_, i) =>
    createPerson('coordinator', i),
  );
  const trainers = await inBatches(Array.from({ length: options.trainers }), 4, (_, i) =>
    createPerson('trainer', i),
  );

  const today = new Date().toISOString().slice(0, 10);
  const endsOn = dayOffset(today, -options.endedDaysAgo);
  const days = [-4, -3, -2, -1, 0].map((d) => dayOffset(endsOn, d));
  const cohort = {
    courseSlug: options.courseSlug,
    name: `Load TOT ${tag}`,
    countryCode: country,
    startsOn: days[0],
    endsOn,
    capacity: Math.max(5, options.trainers),
  };
  const cohortId = (await expectCall(base, 'POST', '/cohorts', 201, { ...admin, body: cohort })).body
    .id as string;
  for (const trainer of trainers)
    await expectCall(base, 'POST', `/cohorts/${cohortId}/participants`, 201, {
      ...admin,
      body: { email: trainer.email, name: trainer.name },
    });
  await inBatches(trainers, 4, async (trainer) => {
    const me = await expectCall(base, 'GET', '/me', 200, { token: trainer.token });
    const enrolment = (me.body.enrolments as Array<{ id: string; courseSlug: string }>).find(
      (e) => e.courseSlug === options.courseSlug,
    );
    if (!enrolment) throw new Error(`${trainer.email} was not enrolled in ${options.courseSlug}`);
    for (const lesson of lessons)
      await expectCall(base, 'POST', `/enrolments/${enrolment.id}/lessons/${lesson}/complete`, 200, {
        token: trainer.token,
      });
    if (postModule && postQuiz) {
      // Open the quiz first (its sitting) and answer the questions it drew: a post-test may draw from a bank.
      const key = correctAnswers(options.contentDir, options.courseSlug, postModule.slug, postQuiz.slug);
      const shown = (
        await expectCall(base, 'GET', `/enrolments/${enrolment.id}/quizzes/${postQuiz.slug}`, 200, {
          token: trainer.token,
        })
      ).body as { questions: Array<{ id: string }> };
      const answers = Object.fromEntries(shown.questions.map((q) => [q.id, key[q.id] ?? []]));
      await expectCall(base, 'POST', `/enrolments/${enrolment.id}/quizzes/${postQuiz.slug}/attempts`, 201, {
        token: trainer.token,
        body: { answers },
      });
    }
    await expectCall(base, 'PUT', `/cohorts/${cohortId}/participants/${trainer.id}/practicum`, 200, {
      ...admin,
      body: { passed: true, score: 90 },
    });
  });
  for (const date of days) {
    const day = (
      await expectCall(base, 'POST', `/cohorts/${cohortId}/days`, 201, { ...admin, body: { date } })
    ).body.id as string;
    await expectCall(base, 'PUT', `/cohorts/${cohortId}/days/${day}/attendance`, 200, {
      ...admin,
      body: { records: trainers.map((t) => ({ userId: t.id, status: 'present' })) },
    });
  }
  const codes = new Map<string, string>();
  for (const trainer of trainers.slice(0, options.certified)) {
    const cert = await expectCall(base, 'POST', '/certifications', 201, {
      ...admin,
      body: { cohortId, userId: trainer.id, issuedOn: endsOn },
    });
    codes.set(trainer.id, cert.body.code as string);
  }
  return {
    base,
    adminToken,
    courseSlug: options.courseSlug,
    deliverable,
    schoolIds,
    coordinators,
    trainers,
    cohortId,
    issuedOn: endsOn,
    today,
    codes,
  };
}

/**
 * The n-th distinct session of a program: school, trainer and date vary so no two are exact
 * duplicates; undefined once every combination (schools × certified trainers × days) is used.
 * `notes` carries the idempotency key so a response (and a row) tells which request it answers.
 */
export function sessionBody(
  program: Program,
  trainerIds: string[],
  n: number,
  key: string,
): Record<string, unknown> | undefined {
  const schools = program.schoolIds.length;
  const perDay = schools * trainerIds.length;
  const date = dayOffset(program.issuedOn, Math.floor(n / perDay));
  if (date > program.today) return undefined;
  const female = 3 + (n % 17);
  const male = 2 + (n % 13);
  return {
    schoolId: program.schoolIds[n % schools],
    trainerId: trainerIds[Math.floor(n / schools) % trainerIds.length],
    courseSlug: program.courseSlug,
    moduleSlugs: [program.deliverable[0]],
    date,
    durationMinutes: 30 + (n % 60),
    participants: { female, male, unspecified: n % 3 },
    ageBands: { under_10: 0, '10_14': female, '15_17': male, '18_plus': n % 3 },
    teachers: n % 4,
    parents: n % 5,
    notes: `load ${key}`,
  };
}

export const keyOfNotes = (notes: unknown): string | undefined =>
  typeof notes === 'string' && notes.startsWith('load ') ? notes.slice(5) : undefined;

// ---------------------------------------------------------------------------------------------
// The load run

export interface LoadOptions {
  seconds: number;
  connections: number;
  /** Every n-th request re-sends an earlier key with the same body (default 10). */
  retryEvery?: number;
  /** PostgreSQL when set (a fresh schema, dropped afterwards); SQLite otherwise. */
  databaseUrl?: string;
  contentDir?: string;
  courseSlug?: string;
  log?: (line: string) => void;
}

export interface LoadReport {
  database: 'sqlite' | 'postgres';
  seconds: number;
  connections: number;
  requests: number;
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  /** Connection errors and timeouts reported by autocannon. */
  errors: number;
  timeouts: number;
  /** Distinct keys sent. */
  keys: number;
  /** Requests that re-sent an earlier key during the run. */
  retries: number;
  /** Keys re-sent after the run because their answer had not arrived when it stopped. */
  settled: number;
  /** Distinct keys answered with 2xx. */
  acknowledged: number;
  rows: number;
  lost: number;
  duplicated: number;
  /** Rows whose key was never acknowledged, or that no request explains. */
  unexplained: number;
  /** Idempotency keys still claimed without a stored response. */
  pendingKeys: number;
  /** Everything that went wrong, one line each (empty on success). */
  problems: string[];
}

interface SentRequest {
  token: string;
  body: string;
}

/** Runs the whole load test (start, seed, load, settle, verify, clean up) and reports. */
export async function runLoadTest(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(join(tmpdir(), 'cascada-load-'));
  const scratch = options.databaseUrl ? await scratchSchema(options.databaseUrl, 'load') : undefined;
  let server: ServerProcess | undefined;
  try {
    const contentDir = options.contentDir ?? CONTENT_DIR;
    server = await startServerProcess({ dataDir, databaseUrl: scratch?.url, contentDir });
    log(
      `app started on ${server.base} (${scratch ? `PostgreSQL schema ${scratch.schema}` : `SQLite in ${dataDir}`})`,
    );
    const program = await seedProgram(server.base, {
      courseSlug: options.courseSlug ?? 'school-tip-awareness',
      contentDir,
      // Enough distinct sessions (schools × trainers × 366 days) for the run; fewer accounts for short runs.
      schools: Math.min(40, Math.max(4, Math.ceil((options.seconds * options.connections) / 25))),
      coordinators: Math.min(5, Math.max(2, Math.ceil(options.connections / 10))),
      trainers: 2,
      certified: 2,
      endedDaysAgo: 365,
    });
    log(
      `seeded ${program.schoolIds.length} schools, ${program.coordinators.length} coordinators, ${program.trainers.length} certified trainers`,
    );
    const run = await hammer(server.base, program, options);
    log(`settling ${run.unanswered.length} keys that had no answer when the run stopped`);
    const settleProblems = await settle(server.base, run);
    await server.stop();
    server = undefined;
    const db = await readSessions(dataDir, scratch?.url);
    return verify(run, db, settleProblems, options, scratch ? 'postgres' : 'sqlite');
  } catch (error) {
    // What the app logged (warnings and errors) explains most failures.
    if (server && error instanceof Error)
      error.message += `\n--- app output ---\n${server.output().slice(-5000)}`;
    throw error;
  } finally {
    if (server) await server.stop('SIGKILL');
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface RunState {
  result: autocannon.Result;
  sent: Map<string, SentRequest>;
  acknowledged: Map<string, string>;
  retries: number;
  problems: string[];
  unanswered: string[];
}

async function hammer(base: string, program: Program, options: LoadOptions): Promise<RunState> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const trainerIds = program.trainers.filter((t) => program.codes.has(t.id)).map((t) => t.id);
  const retryEvery = options.retryEvery ?? 10;
  const sent = new Map<string, SentRequest>();
  const order: string[] = [];
  const acknowledged = new Map<string, string>();
  const problems: string[] = [];
  const statuses = new Map<number, { count: number; sample: string }>();
  let n = 0;
  let made = 0;
  let retries = 0;
  let exhausted = false;

  const next = (): { key: string; request: SentRequest } => {
    made++;
    if (order.length > 0 && (made % retryEvery === 0 || exhausted)) {
      // A deliberate retry: an earlier key, the same user and byte-identical body.
      retries++;
      const key = order[(made * 7919) % order.length];
      return { key, request: sent.get(key) as SentRequest };
    }
    const key = `load-${runId}-${n}`;
    const body = sessionBody(program, trainerIds, n, key);
    if (!body) {
      exhausted = true;
      return next();
    }
    const request = {
      token: program.coordinators[n % program.coordinators.length].token,
      body: JSON.stringify(body),
    };
    n++;
    sent.set(key, request);
    order.push(key);
    return { key, request };
  };

  const result = await autocannon({
    url: base,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/cascade-sessions',
        setupRequest: (request) => {
          const { key, request: r } = next();
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${r.token}`,
              'idempotency-key': key,
            },
            body: r.body,
          };
        },
        onResponse: (status, body) => {
          if (status < 200 || status > 299) {
            const seen = statuses.get(status) ?? { count: 0, sample: body.slice(0, 300) };
            seen.count++;
            statuses.set(status, seen);
            return;
          }
          let parsed: { id?: string; notes?: string };
          try {
            parsed = JSON.parse(body);
          } catch {
            problems.push(`a ${status} answer that is not JSON: ${body.slice(0, 200)}`);
            return;
          }
          const key = keyOfNotes(parsed.notes);
          if (!key || !parsed.id)
            return void problems.push(`a ${status} answer without its key: ${body.slice(0, 200)}`);
          const first = acknowledged.get(key);
          if (first && first !== parsed.id)
            problems.push(`key ${key} answered with two different sessions (${first}, ${parsed.id})`);
          else acknowledged.set(key, parsed.id);
        },
      },
    ],
  });
  for (const [status, { count, sample }] of statuses)
    problems.push(`${count} answers with status ${status}, e.g. ${sample}`);
  if (exhausted)
    problems.push(`note: all ${n} distinct sessions were used up; the rest of the run re-sent earlier keys`);
  const unanswered = order.filter((key) => !acknowledged.has(key));
  return { result, sent, acknowledged, retries, problems, unanswered };
}

/** Re-sends, with its key and body, every request whose answer never arrived (the run was cut off). */
async function settle(base: string, run: RunState): Promise<string[]> {
  const problems: string[] = [];
  await inBatches(run.unanswered, 10, async (key) => {
    const request = run.sent.get(key) as SentRequest;
    for (let attempt = 1; attempt <= 5; attempt++) {
      let res: ApiResponse;
      try {
        res = await call(base, 'POST', '/cascade-sessions', {
          token: request.token,
          headers: { 'Idempotency-Key': key },
          body: JSON.parse(request.body),
        });
      } catch (error) {
        problems.push(`re-sending key ${key} failed: ${String((error as Error).cause ?? error)}`);
        return;
      }
      if (res.status === 201) {
        run.acknowledged.set(key, res.body.id as string);
        return;
      }
      // 409 idempotency-retry: the first request with this key is still running; ask again.
      if (!(res.status === 409 && res.body?.code === 'cascade.idempotency-retry')) {
        problems.push(
          `re-sending key ${key} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`,
        );
        return;
      }
    }
    problems.push(`re-sending key ${key} kept answering 409 (still running)`);
  });
  return problems;
}

interface Rows {
  sessions: Array<{ id: string; notes: string | null }>;
  pendingKeys: number;
}

async function readSessions(dataDir: string, databaseUrl: string | undefined): Promise<Rows> {
  if (databaseUrl) {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const sessions = (await client.query('SELECT id, notes FROM cascade_sessions'))
        .rows as Rows['sessions'];
      const pending = (
        await client.query('SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_status IS NULL')
      ).rows[0] as { n: string };
      return { sessions, pendingKeys: Number(pending.n) };
    } finally {
      await client.end();
    }
  }
  const db = new Sqlite(join(dataDir, 'cascada.sqlite'), { fileMustExist: true });
  try {
    const sessions = db.prepare('SELECT id, notes FROM cascade_sessions').all() as Rows['sessions'];
    const pending = db
      .prepare('SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_status IS NULL')
      .get() as { n: number };
    return { sessions, pendingKeys: pending.n };
  } finally {
    db.close();
  }
}

function verify(
  run: RunState,
  rows: Rows,
  settleProblems: string[],
  options: LoadOptions,
  database: 'sqlite' | 'postgres',
): LoadReport {
  const problems = [...run.problems.filter((p) => !p.startsWith('note:')), ...settleProblems];
  const rowsByKey = new Map<string, string[]>();
  let unexplained = 0;
  for (const row of rows.sessions) {
    const key = keyOfNotes(row.notes);
    if (!key) {
      unexplained++;
      continue;
    }
    rowsByKey.set(key, [...(rowsByKey.get(key) ?? []), row.id]);
  }
  let lost = 0;
  let duplicated = 0;
  for (const [key, id] of run.acknowledged) {
    const ids = rowsByKey.get(key) ?? [];
    if (!ids.includes(id)) {
      lost++;
      if (lost <= 5) problems.push(`acknowledged key ${key} (session ${id}) has no row`);
    }
    if (ids.length > 1) duplicated += ids.length - 1;
  }
  for (const key of rowsByKey.keys()) if (!run.acknowledged.has(key)) unexplained++;
  if (lost) problems.push(`${lost} acknowledged sessions lost`);
  if (duplicated) problems.push(`${duplicated} duplicated sessions`);
  if (unexplained) problems.push(`${unexplained} rows that no acknowledged key explains`);
  if (rows.sessions.length !== run.acknowledged.size)
    problems.push(`${rows.sessions.length} rows for ${run.acknowledged.size} acknowledged keys`);
  if (rows.pendingKeys) problems.push(`${rows.pendingKeys} idempotency keys left claimed without a response`);
  const r = run.result;
  if (r.errors) problems.push(`${r.errors} connection errors (${r.timeouts} timeouts)`);
  if (run.acknowledged.size === 0) problems.push('no request was acknowledged');
  return {
    database,
    seconds: options.seconds,
    connections: options.connections,
    requests: r.requests.total,
    requestsPerSecond: r.requests.average,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    keys: run.sent.size,
    retries: run.retries,
    settled: run.unanswered.length,
    acknowledged: run.acknowledged.size,
    rows: rows.sessions.length,
    lost,
    duplicated,
    unexplained,
    pendingKeys: rows.pendingKeys,
    problems,
  };
}

export function formatReport(report: LoadReport): string {
  const lines: Array<[string, string]> = [
    ['database', report.database],
    ['clients × seconds', `${report.connections} × ${report.seconds} s`],
    ['requests', `${report.requests} (${report.retries} deliberate retries of an earlier key)`],
    ['requests/s', report.requestsPerSecond.toFixed(0)],
    ['latency p50 / p99', `${report.latencyP50} ms / ${report.latencyP99} ms`],
    ['non-2xx answers', String(report.non2xx)],
    ['errors (timeouts)', `${report.errors} (${report.timeouts})`],
    [
      'keys sent / acknowledged',
      `${report.keys} / ${report.acknowledged} (${report.settled} re-sent after the run)`,
    ],
    ['session rows', String(report.rows)],
    ['lost / duplicated / unexplained', `${report.lost} / ${report.duplicated} / ${report.unexplained}`],
    ['keys left pending', String(report.pendingKeys)],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  const out = lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  out.push(
    report.problems.length
      ? `FAILED:\n  ${report.problems.join('\n  ')}`
      : 'OK: every acknowledged key has exactly one session row',
  );
  return out.join('\n');
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new Error(`${name} must be a whole number above 0 (got "${raw}")`);
  return Number(raw);
}

if (require.main === module) {
  const main = async () => {
    const seconds = positive('LOAD_SECONDS', 30);
    const connections = positive('LOAD_CONNECTIONS', 50);
    const report = await runLoadTest({
      seconds,
      connections,
      databaseUrl: process.env.DATABASE_URL || undefined,
      log: (line) => console.log(line),
    });
    console.log(`\nCascada load test — ${new Date().toISOString()} — node ${process.version}`);
    console.log(formatReport(report));
    process.exit(report.problems.length ? 1 : 0);
  };
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
