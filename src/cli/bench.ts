/**
 * `npm run bench`: generates a synthetic program at scale into a scratch SQLite database (5 countries,
 * 60 municipalities, 3,000 schools, 5,000 trainers, 1,000,000 cascade sessions over 5 years), starts
 * the app on it in production mode, and prints data-generation time, report latencies (median and p95
 * of 10 runs), page throughput with autocannon, the same while reports run, and server memory.
 * With DATABASE_URL=postgres://… it then copies the same program into a scratch PostgreSQL database
 * (`cascada_bench_<pid>`, created and dropped here; src/cli/bench-postgres.ts), measures the app on it
 * the same way and prints both side by side. BENCH_SESSIONS sets the scale (10,000,000 works: rows are
 * streamed and committed in batches, progress goes to stderr).
 * Only 127.0.0.1 and the DATABASE_URL server are contacted; every load loop is bounded in time.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../common/paths';
import { rebuildRollups } from '../cascade/reach-rollups';
import {
  benchDatabaseName,
  createDatabase,
  dropDatabase,
  loadIntoPostgres,
  withDatabase,
} from './bench-postgres';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const TRAINERS = 5_000;
const SCHOOLS = 3_000;
const MUNICIPALITIES_PER_COUNTRY = 12;
/** Workshops led by the admin; every later one is led by a trainer certified in an earlier one. */
const ROOT_COHORTS = 10;
const COUNTRIES = ['SV', 'PA', 'DO', 'BZ', 'PR'];
const PORT = 3900 + Math.floor(Math.random() * 50);
const BASE = `http://127.0.0.1:${PORT}`;
const ADMIN = { email: 'bench-admin@example.org', password: 'bench password 2026' };

/** Deterministic PRNG (mulberry32): the same data every run. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dayString = (start: number, offset: number) =>
  new Date(start + offset * 86_400_000).toISOString().slice(0, 10);

/** Progress of the long steps, on stderr (the figures go to stdout). */
const progress = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/** The built app on the SQLite file in `dataDir`, or on PostgreSQL at `databaseUrl`. */
function startApp(dataDir: string, databaseUrl?: string): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // DATABASE_URL names the server the PostgreSQL half runs on; the SQLite half must not inherit it.
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist/src/main.js')], {
    env: {
      ...env,
      NODE_ENV: 'production',
      PORT: String(PORT),
      DATA_DIR: dataDir,
      JWT_SECRET: 'bench-secret-0123456789-0123456789-abcdef',
      SEED_DEMO: 'false',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      APP_URL: BASE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept so that a start-up failure says why (the server logs to stdout).
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 120_000;
    const poll = async () => {
      try {
        const res = await fetch(`${BASE}/healthz`);
        if (res.ok) return resolve(child);
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline || child.exitCode !== null)
        return reject(
          new Error(`the app did not start (exit code ${child.exitCode}); its last output:\n${output}`),
        );
      setTimeout(poll, 300);
    };
    void poll();
  });
}

function stopApp(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function generate(file: string): Promise<{ seconds: number; cohortId: string; rollupSeconds: number }> {
  const started = Date.now();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  // A 10M-session file outgrows SQLite's default 2 MB page cache many times over.
  db.pragma('cache_size = -262144');
  const random = prng(20261126);
  const now = new Date().toISOString();
  const course = db
    .prepare("SELECT c.id, c.current_version_id FROM courses c WHERE c.slug = 'school-tip-awareness'")
    .get() as { id: string; current_version_id: string };
  const admin = db.prepare('SELECT id, password_hash FROM users WHERE email = ?').get(ADMIN.email) as {
    id: string;
    password_hash: string;
  };
  const modules = 'school-sessions-10-14';
  const insertMunicipality = db.prepare(
    'INSERT INTO municipalities (id, country_code, name) VALUES (?, ?, ?)',
  );
  const insertSchool = db.prepare(
    'INSERT INTO schools (id, country_code, municipality_id, name, code, level, address, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)',
  );
  const insertUser = db.prepare(
    "INSERT INTO users (id, email, name, role, sex, language, country_code, organisation, status, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'trainer', ?, 'es', ?, NULL, 'active', ?, ?, ?)",
  );
  const insertCohort = db.prepare(
    "INSERT INTO cohorts (id, course_id, name, country_code, municipality, venue, starts_on, ends_on, capacity, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 25, 'completed', ?, ?)",
  );
  const insertEnrolment = db.prepare(
    "INSERT INTO enrolments (id, user_id, course_id, course_version_id, status, enrolled_at, started_at, completed_at) VALUES (?, ?, ?, ?, 'completed', ?, ?, ?)",
  );
  const insertParticipant = db.prepare(
    'INSERT INTO cohort_participants (id, cohort_id, user_id, enrolment_id, added_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertFacilitator = db.prepare('INSERT INTO cohort_facilitators (cohort_id, user_id) VALUES (?, ?)');
  const insertCert = db.prepare(
    "INSERT INTO certifications (id, code, user_id, course_id, cohort_id, facilitator_id, issued_by, issued_on, expires_on, status, revoked_on, revoked_reason, reminder_sent_at, created_at, status_list_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', NULL, NULL, NULL, ?, ?)",
  );
  const insertSession =
    db.prepare(`INSERT INTO cascade_sessions (id, school_id, trainer_id, country_code, municipality_id, course_id, module_slugs, date, duration_minutes, female, male, unspecified,
    age_under10, age10_to14, age15_to17, age18_plus, teachers, parents, notes, status, logged_by_role, logged_by, decided_by, decided_at, rejection_reason, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 50, ?, ?, ?, 0, ?, ?, 0, ?, ?, NULL, ?, 'trainer', ?, NULL, NULL, NULL, ?, ?)`);
  const schoolsByCountry = new Map<string, Array<{ id: string; municipalityId: string }>>();
  const start = Date.UTC(new Date().getUTCFullYear() - 5, 0, 1);
  const totalDays = Math.floor((Date.now() - 86_400_000 - start) / 86_400_000);
  // Seasonal weight per month (school calendars: little in December–January and July).
  const monthWeight = [0.2, 1, 1, 1, 0.9, 1, 0.4, 0.9, 1, 1, 1, 0.3];
  let cohortId = '';
  // Committed every TRAINERS_PER_COMMIT trainers (about 20,000 sessions at 1M), so the WAL of a
  // 10M-session run is reused after each batch instead of holding the whole file; the data is the
  // same as in one transaction.
  const TRAINERS_PER_COMMIT = 100;
  let lastReport = Date.now();
  let written = 0;
  db.exec('BEGIN');
  {
    for (const country of COUNTRIES) {
      const schools: Array<{ id: string; municipalityId: string }> = [];
      for (let m = 0; m < MUNICIPALITIES_PER_COUNTRY; m++) {
        const municipalityId = randomUUID();
        insertMunicipality.run(municipalityId, country, `Bench ${country} ${m + 1}`);
        for (let s = 0; s < SCHOOLS / COUNTRIES.length / MUNICIPALITIES_PER_COUNTRY; s++) {
          const id = randomUUID();
          insertSchool.run(
            id,
            country,
            municipalityId,
            `School ${country}-${m + 1}-${s + 1}`,
            `B-${country}-${m + 1}-${s + 1}`,
            s % 2 ? 'primary' : 'secondary',
            now,
          );
          schools.push({ id, municipalityId });
        }
      }
      schoolsByCountry.set(country, schools);
    }
    let cohort = '';
    let facilitator = admin.id;
    const trainerIds: string[] = [];
    for (let t = 0; t < TRAINERS; t++) {
      if (t > 0 && t % TRAINERS_PER_COMMIT === 0) {
        db.exec('COMMIT');
        if (Date.now() - lastReport > 15_000) {
          lastReport = Date.now();
          const rate = written / ((Date.now() - started) / 1000);
          progress(
            `generating: ${written.toLocaleString('en')} / ${SESSIONS.toLocaleString('en')} sessions (${Math.round(rate).toLocaleString('en')}/s, about ${Math.round((SESSIONS - written) / rate)} s left)`,
          );
        }
        db.exec('BEGIN');
      }
      const country = COUNTRIES[t % COUNTRIES.length];
      if (t % 20 === 0) {
        cohort = randomUUID();
        if (!cohortId) cohortId = cohort;
        // The cascade lineage: the first ROOT_COHORTS workshops are led by the admin (generation 1); each
        // later one by a trainer of an earlier workshop, three per workshop, so the tree below workshop 1
        // is four generations and ~800 trainers deep (bench "lineage" lines).
        const k = t / 20;
        facilitator =
          k < ROOT_COHORTS
            ? admin.id
            : trainerIds[Math.floor((k - ROOT_COHORTS) / 3) * 20 + ((k - ROOT_COHORTS) % 3)];
        insertCohort.run(
          cohort,
          course.id,
          `Bench TOT ${k + 1}`,
          country,
          'Bench',
          dayString(start, 0),
          dayString(start, 2),
          admin.id,
          now,
        );
        insertFacilitator.run(cohort, facilitator);
      }
      const userId = randomUUID();
      trainerIds.push(userId);
      insertUser.run(
        userId,
        `bench-trainer-${t}@example.org`,
        `Trainer ${t}`,
        random() < 0.55 ? 'female' : 'male',
        country,
        admin.password_hash,
        now,
        now,
      );
      const enrolmentId = randomUUID();
      insertEnrolment.run(enrolmentId, userId, course.id, course.current_version_id, now, now, now);
      insertParticipant.run(randomUUID(), cohort, userId, enrolmentId, now);
      // Valid through the five years and two more: expiring within 60 days of the run would make the
      // app mail 5,000 reminders at start-up, in the middle of the measurements.
      insertCert.run(
        randomUUID(),
        `CSC-B${String(t).padStart(3, '0').slice(-3)}-${String(t).padStart(4, '0').slice(-4)}`,
        userId,
        course.id,
        cohort,
        facilitator,
        admin.id,
        dayString(start, 2),
        dayString(start, totalDays + 730),
        now,
        t,
      );
      const perTrainer = Math.floor(SESSIONS / TRAINERS) + (t < SESSIONS % TRAINERS ? 1 : 0);
      const schools = schoolsByCountry.get(country) as Array<{ id: string; municipalityId: string }>;
      const used = new Set<number>();
      // Past ~1,800 sessions per trainer (10M sessions) the days run out: a trainer then delivers
      // more than one session a day, at different schools (the unique index is school, trainer,
      // modules, date), hence the taken (day, school) pairs.
      const taken = new Set<number>();
      for (let k = 0; k < perTrainer; k++) {
        if (used.size >= totalDays - 3) used.clear();
        let day = 3 + Math.floor(random() * (totalDays - 3));
        for (
          let tries = 0;
          (used.has(day) || random() > monthWeight[new Date(start + day * 86_400_000).getUTCMonth()]) &&
          tries < 20;
          tries++
        )
          day = 3 + Math.floor(random() * (totalDays - 3));
        while (used.has(day)) day = day + 1 >= totalDays ? 3 : day + 1;
        used.add(day);
        const female = 5 + Math.floor(random() * 15);
        const male = 5 + Math.floor(random() * 15);
        const young = random() < 0.6;
        const r = random();
        const status = r < 0.95 ? 'confirmed' : r < 0.99 ? 'submitted' : 'rejected';
        let schoolIndex = Math.floor(random() * schools.length);
        while (taken.has(day * schools.length + schoolIndex))
          schoolIndex = (schoolIndex + 1) % schools.length;
        taken.add(day * schools.length + schoolIndex);
        const school = schools[schoolIndex];
        written++;
        insertSession.run(
          randomUUID(),
          school.id,
          userId,
          country,
          school.municipalityId,
          course.id,
          modules,
          dayString(start, day),
          female,
          male,
          0,
          young ? female + male : 0,
          young ? 0 : female + male,
          random() < 0.5 ? 1 : 0,
          random() < 0.2 ? 3 : 0,
          status,
          userId,
          now,
          now,
        );
      }
    }
  }
  db.exec('COMMIT');
  progress(
    `generated ${written.toLocaleString('en')} sessions in ${((Date.now() - started) / 1000).toFixed(0)} s; building the reach rollups`,
  );
  // The sessions went in around the session service: build the reach rollups it would have kept.
  const rollupStarted = Date.now();
  await rebuildRollups({ query: async (sql: string) => void db.exec(sql) });
  const rollupSeconds = (Date.now() - rollupStarted) / 1000;
  // Written with synchronous=OFF: flush it to disk now, or the kernel's write-back of a few hundred MB
  // lands inside the timed requests that follow.
  db.pragma('synchronous = FULL');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return { seconds: (Date.now() - started) / 1000, cohortId, rollupSeconds };
}

/**
 * Median and p95 of `runs` timed requests, after one untimed warm-up whose time is reported apart
 * (`first`): the first run of a report after start-up also pays for a cold page cache.
 */
async function timed(
  url: string,
  token: string,
  runs = 10,
): Promise<{ median: number; p95: number; first: number }> {
  const times: number[] = [];
  for (let i = -1; i < runs; i++) {
    const t0 = performance.now();
    // Pages take the session cookie, the API the Bearer header (a redirect to the login page is a failure, not a timing).
    const headers: Record<string, string> = new URL(url).pathname.startsWith('/api/')
      ? { Authorization: `Bearer ${token}` }
      : { Cookie: `cascada_session=${token}` };
    const res = await fetch(url, { headers, redirect: 'manual' });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - t0);
  }
  const first = times.shift() as number;
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(runs / 2)],
    p95: times[Math.min(runs - 1, Math.ceil(runs * 0.95) - 1)],
    first,
  };
}

function cannon(url: string, headers: Record<string, string>, seconds = 10): Promise<autocannon.Result> {
  return autocannon({ url, connections: 10, duration: seconds, headers });
}

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/**
 * Generates in a child process: this process measures latencies, and a heap left holding a million
 * generated rows made its own garbage collection land inside a timed request (a 3–4 s "report").
 * The PostgreSQL copy runs apart for the same reason.
 */
function runApart<T>(args: string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop() as string) as T)
        : reject(new Error(`${what} failed (exit code ${code})`)),
    );
  });
}

type Lines = Array<[string, string]>;

/** Report latencies, page throughput and RSS of the app already started as `app`. */
async function measure(app: ChildProcess, cohortId: string, lines: Lines, label: string): Promise<string> {
  const login = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const year = new Date().getUTCFullYear() - 1;
  const range = `from=${year}-01-01&to=${year}-12-31`;
  const reports: Array<[string, string]> = [
    ['cascade by municipality, one year', `/api/v1/reports/cascade?groupBy=municipality&${range}`],
    ['cascade by municipality, all time', '/api/v1/reports/cascade?groupBy=municipality'],
    ['cascade by month, all time', '/api/v1/reports/cascade?groupBy=month'],
    ['cascade by school, one year', `/api/v1/reports/cascade?groupBy=school&${range}`],
    ['donor summary, one year', `/api/v1/reports/donor?${range}`],
    ['certifications', '/api/v1/reports/certifications'],
    ['completion', '/api/v1/reports/completion'],
    ['cascade by generation, all time', '/api/v1/reports/cascade?groupBy=generation'],
    ['lineage of workshop 1 (4 generations)', `/api/v1/lineage/cohorts/${cohortId}`],
    ['lineage page of workshop 1', `/lineage/cohorts/${cohortId}`],
  ];
  for (const [name, path] of reports) {
    const r = await timed(`${BASE}${path}`, token);
    lines.push([
      name,
      `median ${r.median.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms (first run after start-up ${r.first.toFixed(0)} ms, not counted)`,
    ]);
    // As it comes: a 10M run takes long, and a figure seen early is not lost if the run is stopped.
    progress(`${label}: ${name}: ${lines[lines.length - 1][1]}`);
  }
  progress(`${label}: page throughput`);
  const cookie = { Cookie: `cascada_session=${token}` };
  const roster = `${BASE}/cohorts/${cohortId}`;
  await cannon(roster, cookie, 3); // warm-up (JIT, caches), not counted
  const page = await cannon(roster, cookie);
  const bare = await cannon(`${BASE}/assets/css/app.css`, {});
  // The fixed cost of a request, step by step: a Nest route without auth, then an authenticated API call.
  const health = await cannon(`${BASE}/healthz`, {});
  const me = await cannon(`${BASE}/api/v1/me`, { Authorization: `Bearer ${token}` });
  const ratio = (r: autocannon.Result) => (r.requests.average / bare.requests.average).toFixed(3);
  lines.push([
    'roster page (10 connections, 10 s)',
    `${page.requests.average.toFixed(0)} req/s, p99 ${page.latency.p99} ms, errors ${page.errors + page.non2xx} (roster/static ${ratio(page)})`,
  ]);
  lines.push(['static asset, same app', `${bare.requests.average.toFixed(0)} req/s`]);
  lines.push([
    'GET /healthz (no auth)',
    `${health.requests.average.toFixed(0)} req/s (healthz/static ${ratio(health)})`,
  ]);
  lines.push([
    'GET /api/v1/me (Bearer)',
    `${me.requests.average.toFixed(0)} req/s, errors ${me.errors + me.non2xx} (me/static ${ratio(me)})`,
  ]);
  let stop = false;
  const loop = (async () => {
    let n = 0;
    while (!stop) {
      await (
        await fetch(`${BASE}/api/v1/reports/cascade?groupBy=municipality`, {
          headers: { Authorization: `Bearer ${token}` },
        })
      ).arrayBuffer();
      n++;
    }
    return n;
  })();
  const busy = await cannon(roster, cookie);
  stop = true;
  const reportRuns = await loop;
  lines.push([
    'roster page while reports run',
    `${busy.requests.average.toFixed(0)} req/s (${(busy.requests.average / page.requests.average).toFixed(2)}× of idle), p99 ${busy.latency.p99} ms, ${reportRuns} reports ran meanwhile`,
  ]);
  lines.push(['server RSS', `${rssMb(app)} MB`]);
  // The all-time totals, so a run on both databases shows that they hold the same program.
  const res = await fetch(`${BASE}/api/v1/reports/cascade?groupBy=municipality`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const body = (await res.json()) as { totals?: unknown };
  return JSON.stringify(body.totals ?? body);
}

/**
 * A linear extrapolation to 10M sessions of a step measured at SESSIONS (stated as such); only from
 * 500,000 sessions up, below that the fixed costs (schema, courses, indexes of empty tables) dominate.
 */
function at10M(seconds: number): string {
  return SESSIONS >= 10_000_000 || SESSIONS < 500_000
    ? ''
    : `; at 10M about ${Math.round((seconds * 10_000_000) / SESSIONS / 60)} min (linear estimate)`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cascada-bench-'));
  const sqlite: Lines = [];
  const postgres: Lines = [];
  const serverUrl = process.env.DATABASE_URL;
  const pgName = benchDatabaseName();
  let pgCreated = false;
  try {
    progress(`SQLite: migrating an empty database in ${dataDir}`);
    let app = await startApp(dataDir); // migrations, course import, the bench admin
    await stopApp(app);
    progress(`SQLite: generating ${SESSIONS.toLocaleString('en')} sessions`);
    const file = join(dataDir, 'cascada.sqlite');
    const gen = await runApart<Awaited<ReturnType<typeof generate>>>(['--generate', file], 'data generation');
    sqlite.push([
      'data generation',
      `${gen.seconds.toFixed(1)} s (${SESSIONS.toLocaleString('en')} sessions, ${TRAINERS} trainers, ${SCHOOLS} schools; rollups built in ${gen.rollupSeconds.toFixed(1)} s)${serverUrl ? at10M(gen.seconds) : ''}`,
    ]);
    app = await startApp(dataDir);
    const sqliteTotals = await measure(app, gen.cohortId, sqlite, 'SQLite');
    await stopApp(app);
    if (serverUrl) {
      const pgUrl = withDatabase(serverUrl, pgName);
      progress(`PostgreSQL: creating database ${pgName} and migrating it`);
      await createDatabase(serverUrl, pgName);
      pgCreated = true;
      app = await startApp(dataDir, pgUrl);
      await stopApp(app);
      progress('PostgreSQL: copying the generated program (COPY FROM STDIN), then indexes, rollups, ANALYZE');
      const load = await runApart<Awaited<ReturnType<typeof loadIntoPostgres>>>(
        ['--load-postgres', file, pgUrl],
        'the PostgreSQL load',
      );
      sqlite.splice(1, 0, ['PostgreSQL load', '—']);
      postgres.push(['data generation', 'the SQLite data above, copied']);
      postgres.push([
        'PostgreSQL load',
        `${load.seconds.toFixed(1)} s (${load.rows.toLocaleString('en')} rows copied in ${load.copySeconds.toFixed(1)} s, indexes ${load.indexSeconds.toFixed(1)} s, rollups ${load.rollupSeconds.toFixed(1)} s, ANALYZE ${load.analyzeSeconds.toFixed(1)} s)${at10M(load.seconds)}`,
      ]);
      app = await startApp(dataDir, pgUrl);
      const pgTotals = await measure(app, gen.cohortId, postgres, 'PostgreSQL');
      sqlite.push([
        'all-time reach totals',
        sqliteTotals.length > 160 ? `${sqliteTotals.slice(0, 157)}…` : sqliteTotals,
      ]);
      postgres.push([
        'all-time reach totals',
        pgTotals === sqliteTotals ? 'the same' : `**DIFFERENT**: ${pgTotals.slice(0, 157)}`,
      ]);
      await stopApp(app);
    }
  } finally {
    if (process.env.BENCH_KEEP)
      console.log(`data kept in ${dataDir}${pgCreated ? ` and PostgreSQL database ${pgName}` : ''}`);
    else {
      rmSync(dataDir, { recursive: true, force: true });
      if (pgCreated && serverUrl) await dropDatabase(serverUrl, pgName);
    }
  }
  if (!serverUrl) {
    const width = Math.max(...sqlite.map(([k]) => k.length));
    console.log(`\nCascada bench — ${new Date().toISOString()} — node ${process.version}, SQLite`);
    for (const [k, v] of sqlite) console.log(`${k.padEnd(width)}  ${v}`);
    return;
  }
  // One table, metric | SQLite | PostgreSQL, in Markdown so it pastes into docs/performance.md.
  const pgValues = new Map(postgres);
  const rows = sqlite.map(([k, v]) => [k, v, pgValues.get(k) ?? '—']);
  console.log(
    `\nCascada bench — ${new Date().toISOString()} — node ${process.version}, ${SESSIONS.toLocaleString('en')} sessions, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  console.log('| metric | SQLite | PostgreSQL |');
  console.log('| --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

if (process.argv[2] === '--generate') {
  void generate(process.argv[3]).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else if (process.argv[2] === '--load-postgres') {
  void loadIntoPostgres(process.argv[3], process.argv[4], progress).then(
    (result) => console.log(JSON.stringify(result)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
} else
  void main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
