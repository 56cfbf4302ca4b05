/**
 * The DHIS2 export (issue 13, part 2): the admin's mapping (CSV, audited, all or nothing), the
 * dataValueSets JSON and ADX per month and quarter and org unit, the unmapped values, the scope, and
 * that every figure equals the reach and donor reports for the same period and country.
 *
 * Fixture (inserted directly, like reports.e2e-spec.ts): SV municipalities Santa Tecla, San Salvador
 * and one whose name is markup (`Villa <b>&"Nueva"</b>`, never mapped); PA Colón. Schools S1 S2 (Santa
 * Tecla), S3 (San Salvador), S4 (Colón), S5 (Villa). Workshops A (SV, "Santa Tecla"), B (PA, "Colón"),
 * C (SV, no municipality). Certifications issued in January 2026: Ana f (A), Beto m (A), Carla f (B),
 * Dora unspecified (C); in February: Eva f (A).
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { validateXML } from 'xmllint-wasm';
import { CascadeSession, SessionStatus } from '../../src/cascade/cascade-session.entity';
import { rebuildRollups } from '../../src/cascade/reach-rollups';
import { Certification } from '../../src/certification/certification.entity';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { AuditEntry } from '../../src/common/audit/audit-entry.entity';
import { Course } from '../../src/courses/course.entity';
import { Dhis2Mapping } from '../../src/dhis2/dhis2-mapping.entity';
import { Municipality, School } from '../../src/schools/school.entities';
import type { User } from '../../src/users/user.entity';
import type { Sex } from '../../src/common/kernel/user-role.enum';
import { createTestApp, TestApp } from '../support/create-test-app';
import { apiToken, csrfOf, pageAgent } from '../support/login';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const CONTENT = join(__dirname, '..', 'fixtures', 'content');
const XSD = readFileSync(join(__dirname, '..', 'fixtures', 'adx', 'adx.xsd'), 'utf8');
const NOW = new Date('2026-03-02T10:00:00.000Z');
const VILLA = 'Villa <b>&"Nueva"</b>';

// uids the admin maps (11 characters, a letter first).
const UID = {
  SV: 'CountrySV01',
  santaTecla: 'MuniTecla01',
  sanSalvador: 'MuniSanSal1',
  colon: 'MuniColon01',
  S1: 'SchoolS1aaa',
  S3: 'SchoolS3aaa',
  S4: 'SchoolS4aaa',
  people_trained: 'DePeople001',
  schools_reached: 'DeSchools01',
  students_by_sex: 'DeStudSex01',
  students_by_age: 'DeStudAge01',
  sessions: 'DeSessions1',
  female: 'CocFemale01',
  male: 'CocMale0001',
  under_10: 'CocUnder101',
  '10_14': 'Coc10to1401',
  '15_17': 'Coc15to1701',
  '18_plus': 'Coc18plus01',
  total: 'HllvX50cXC0',
  dataSet: 'DataSetCas1',
};
// Left unmapped on purpose: the `unspecified` combo, Villa, school S2 and S5, country PA.

interface SessionSpec {
  school: 'S1' | 'S2' | 'S3' | 'S4' | 'S5';
  date: string;
  status: SessionStatus;
  sex: [number, number, number];
  age: [number, number, number, number];
  noMunicipality?: true;
}
const SESSIONS: SessionSpec[] = [
  { school: 'S1', date: '2026-01-05', status: 'confirmed', sex: [10, 12, 1], age: [3, 20, 0, 0] },
  { school: 'S1', date: '2026-01-31', status: 'confirmed', sex: [4, 4, 0], age: [0, 8, 0, 0] },
  { school: 'S2', date: '2026-01-15', status: 'confirmed', sex: [6, 5, 0], age: [0, 0, 11, 0] },
  { school: 'S3', date: '2026-01-20', status: 'confirmed', sex: [7, 9, 2], age: [0, 0, 10, 8] },
  { school: 'S4', date: '2026-01-12', status: 'confirmed', sex: [9, 10, 0], age: [0, 19, 0, 0] },
  { school: 'S5', date: '2026-01-22', status: 'confirmed', sex: [3, 2, 0], age: [5, 0, 0, 0] },
  { school: 'S1', date: '2026-02-10', status: 'confirmed', sex: [5, 6, 0], age: [0, 11, 0, 0] },
  { school: 'S3', date: '2026-03-31', status: 'confirmed', sex: [2, 2, 0], age: [4, 0, 0, 0] },
  {
    school: 'S3',
    date: '2026-02-14',
    status: 'confirmed',
    sex: [1, 3, 0],
    age: [0, 4, 0, 0],
    noMunicipality: true,
  }, // older data: no place but the country
  { school: 'S1', date: '2026-01-25', status: 'submitted', sex: [50, 50, 0], age: [0, 100, 0, 0] }, // not confirmed: never counted
  { school: 'S2', date: '2026-01-26', status: 'rejected', sex: [40, 40, 0], age: [0, 80, 0, 0] },
  { school: 'S4', date: '2025-12-31', status: 'confirmed', sex: [1, 1, 0], age: [2, 0, 0, 0] }, // the day before January
];
const MAPPING_CSV = [
  'kind,key,uid',
  `country,SV,${UID.SV}`,
  `municipality,SV/Santa Tecla,${UID.santaTecla}`,
  `municipality,sv/san salvador,${UID.sanSalvador}`,
  `municipality,PA/Colón,${UID.colon}`,
  `school,SV/SV-001,${UID.S1}`,
  `school,SV/SV-003,${UID.S3}`,
  `school,PA/PA-001,${UID.S4}`,
  ...(['people_trained', 'schools_reached', 'students_by_sex', 'students_by_age', 'sessions'] as const).map(
    (i) => `indicator,${i},${UID[i]}`,
  ),
  ...(['female', 'male', 'under_10', '10_14', '15_17', '18_plus', 'total'] as const).map(
    (d) => `disaggregation,${d},${UID[d]}`,
  ),
  `data-set,default,${UID.dataSet}`,
].join('\n');

const SEXES = ['female', 'male', 'unspecified'] as const;
const AGES = ['under_10', '10_14', '15_17', '18_plus'] as const;

jest.setTimeout(90_000);

describe('DHIS2 export', () => {
  let t: TestApp;
  let admin: User;
  let manager: User;
  let managerSv: User;
  const tokens = new Map<string, string>();
  const m = {} as Record<'santaTecla' | 'sanSalvador' | 'colon' | 'villa', Municipality>;
  const s = {} as Record<SessionSpec['school'], School>;
  const get = (user: User, path: string) =>
    request(t.http)
      .get(path)
      .set({ Authorization: `Bearer ${tokens.get(user.id)}` });

  beforeAll(async () => {
    t = await createTestApp({ CONTENT_DIR: CONTENT });
    const db = t.db.manager;
    const course = await db.findOneByOrFail(Course, { slug: 'tiny-course' });
    admin = await t.createUser('admin');
    manager = await t.createUser('manager');
    managerSv = await t.createUser('manager', { countryCode: 'SV' });
    for (const u of [admin, manager, managerSv]) tokens.set(u.id, await apiToken(t, u.email));
    for (const [key, countryCode, name] of [
      ['santaTecla', 'SV', 'Santa Tecla'],
      ['sanSalvador', 'SV', 'San Salvador'],
      ['colon', 'PA', 'Colón'],
      ['villa', 'SV', VILLA],
    ] as const) {
      m[key] = await db.save(db.create(Municipality, { countryCode, name }));
    }
    const school = (name: string, code: string, mu: Municipality) =>
      db.save(
        db.create(School, {
          name,
          code,
          countryCode: mu.countryCode,
          municipalityId: mu.id,
          level: 'primary',
          address: null,
          createdAt: NOW,
        }),
      );
    s.S1 = await school('Las Flores', 'SV-001', m.santaTecla);
    s.S2 = await school('El Carmen', 'SV-002', m.santaTecla);
    s.S3 = await school('República de Chile', 'SV-003', m.sanSalvador);
    s.S4 = await school('Escuela Colón', 'PA-001', m.colon);
    s.S5 = await school('Escuela <i>Villa</i>', 'SV-005', m.villa);
    const cohort = (name: string, countryCode: string, municipality: string | null) =>
      db.save(
        db.create(Cohort, {
          courseId: course.id,
          name,
          countryCode,
          municipality,
          venue: null,
          startsOn: '2025-12-01',
          endsOn: '2025-12-05',
          capacity: 20,
          status: 'completed',
          createdBy: manager.id,
          createdAt: NOW,
        }),
      );
    const A = await cohort('A', 'SV', 'Santa Tecla');
    const B = await cohort('B', 'PA', 'Colón');
    const C = await cohort('C', 'SV', null);
    let n = 0;
    const certify = async (name: string, sex: Sex, c: Cohort, issuedOn: string) => {
      const user = await t.createUser('trainer', { name, sex, countryCode: c.countryCode });
      await db.save(
        db.create(Certification, {
          code: `CSC-DHIS-000${++n}`,
          userId: user.id,
          courseId: course.id,
          cohortId: c.id,
          facilitatorId: manager.id,
          issuedBy: manager.id,
          issuedOn,
          expiresOn: '2028-01-01',
          status: 'active',
          revokedOn: null,
          revokedReason: null,
          reminderSentAt: null,
          createdAt: NOW,
        }),
      );
      return user;
    };
    const ana = await certify('Ana', 'female', A, '2026-01-10');
    await certify('Beto', 'male', A, '2026-01-11');
    await certify('Carla', 'female', B, '2026-01-12');
    await certify('Dora', 'unspecified', C, '2026-01-13');
    await certify('Eva', 'female', A, '2026-02-02');
    for (const x of SESSIONS) {
      await db.save(
        db.create(CascadeSession, {
          schoolId: s[x.school].id,
          countryCode: s[x.school].countryCode,
          municipalityId: x.noMunicipality ? null : s[x.school].municipalityId,
          trainerId: ana.id,
          courseId: course.id,
          moduleSlugs: 'practice',
          date: x.date,
          durationMinutes: 45,
          female: x.sex[0],
          male: x.sex[1],
          unspecified: x.sex[2],
          ageUnder10: x.age[0],
          age10To14: x.age[1],
          age15To17: x.age[2],
          age18Plus: x.age[3],
          teachers: 0,
          parents: 0,
          notes: null,
          status: x.status,
          loggedByRole: 'trainer',
          loggedBy: ana.id,
          decidedBy: x.status === 'submitted' ? null : admin.id,
          decidedAt: x.status === 'submitted' ? null : NOW,
          rejectionReason: x.status === 'rejected' ? 'x' : null,
          createdAt: NOW,
          updatedAt: NOW,
        }),
      );
    }
    await rebuildRollups(db);
  });
  afterAll(() => t?.close());

  describe('before anything is mapped', () => {
    it('sends no value and lists every one as unmapped; ADX has nothing to send', async () => {
      const res = await get(admin, '/api/v1/exports/dhis2/data-value-sets?period=202601').expect(200);
      expect(res.body).toEqual({ dataValues: [] });
      const unmapped = (await get(admin, '/api/v1/exports/dhis2/unmapped?period=202601').expect(200)).body;
      expect(unmapped.total).toBeGreaterThan(0);
      expect(res.headers['x-dhis2-unmapped']).toBe(String(unmapped.total));
      expect(res.headers.link).toBe(
        '</api/v1/exports/dhis2/unmapped?period=202601&level=municipality>; rel="unmapped"',
      );
      await get(admin, '/api/v1/exports/dhis2/adx?period=202601').expect(422);
    });
  });

  describe('the admin mapping page', () => {
    it('offers the mapping as a CSV template with every place and indicator', async () => {
      const agent = await pageAgent(t, admin.email);
      const page = await agent.get('/admin/dhis2?lang=en').expect(200);
      expect(page.text).toContain('DHIS2 mapping');
      const csv = await agent.get('/admin/dhis2/mapping.csv').expect(200);
      const rows = parseCsv(csv.text.replace(/^\uFEFF/, ''), { columns: true }) as Array<
        Record<string, string>
      >;
      expect(rows).toEqual(
        expect.arrayContaining([
          { kind: 'indicator', key: 'students_by_sex', label: 'students_by_sex', uid: '' },
          { kind: 'municipality', key: 'SV/Santa Tecla', label: 'Santa Tecla', uid: '' },
          { kind: 'school', key: 'PA/PA-001', label: 'Escuela Colón (Colón)', uid: '' },
          { kind: 'country', key: 'SV', label: 'El Salvador', uid: '' },
        ]),
      );
    });

    it('refuses a CSV with a bad line, says why in Spanish, and changes nothing', async () => {
      const agent = await pageAgent(t, admin.email);
      const audits = await t.db.manager.count(AuditEntry);
      const bad = `${MAPPING_CSV}\nmunicipality,SV/Atlantis,MuniAtlant1\nschool,SV/SV-002,1badUid0000`;
      const res = await agent
        .post('/admin/dhis2?lang=es')
        .type('form')
        .send({ _csrf: await csrfOf(agent, '/admin/dhis2'), csv: bad })
        .expect(400);
      expect(res.text).toContain('Ningún municipio se llama SV/Atlantis.');
      expect(res.text).toContain('«1badUid0000» no es un uid de DHIS2');
      expect(res.text).toContain('SV/Atlantis'); // the text is kept for correcting
      expect(await t.db.manager.count(Dhis2Mapping)).toBe(0);
      expect(await t.db.manager.count(AuditEntry)).toBe(audits);
    });

    it('is for admins only', async () => {
      const agent = await pageAgent(t, manager.email);
      await agent.get('/admin/dhis2').expect(403);
      await agent
        .post('/admin/dhis2')
        .type('form')
        .send({ _csrf: await csrfOf(agent, '/reports'), csv: MAPPING_CSV })
        .expect(403);
      expect(await t.db.manager.count(Dhis2Mapping)).toBe(0);
    });

    it('saves a good CSV (uploaded as a file), audits every change, and an empty uid removes a mapping', async () => {
      const agent = await pageAgent(t, admin.email);
      const res = await agent
        .post('/admin/dhis2')
        .field('_csrf', await csrfOf(agent, '/admin/dhis2'))
        .field('csv', '')
        .attach('file', Buffer.from(`${MAPPING_CSV}\nschool,SV/SV-002,SchoolS2aaa`), 'dhis2.csv')
        .expect(303);
      expect(res.headers.location).toBe('/admin/dhis2');
      expect((await agent.get('/admin/dhis2?lang=en').expect(200)).text).toContain(
        'DHIS2 mapping saved: 21 set, 0 removed, 0 unchanged.',
      );
      expect(await t.db.manager.count(Dhis2Mapping)).toBe(21);
      expect(await t.db.manager.countBy(AuditEntry, { action: 'dhis2-mapping.create' })).toBe(21);
      await agent
        .post('/admin/dhis2')
        .type('form')
        .send({
          _csrf: await csrfOf(agent, '/admin/dhis2'),
          csv: 'kind,key,uid\nschool,SV/SV-002,\nindicator,sessions,' + UID.sessions,
        })
        .expect(303);
      expect((await agent.get('/admin/dhis2?lang=en').expect(200)).text).toContain(
        'DHIS2 mapping saved: 0 set, 1 removed, 1 unchanged.',
      );
      expect(await t.db.manager.count(Dhis2Mapping)).toBe(20);
      const removal = await t.db.manager.findOneByOrFail(AuditEntry, { action: 'dhis2-mapping.remove' });
      expect(removal).toMatchObject({
        actorId: admin.id,
        entityId: `school:${s.S2.id}`,
        before: JSON.stringify({ uid: 'SchoolS2aaa' }),
        after: null,
      });
    });
  });

  /** dataValues summed per (orgUnit, dataElement, combo). */
  const valuesOf = (body: Json) => {
    const out = new Map<string, number>();
    for (const v of body.dataValues as Json[]) {
      expect(typeof v.value).toBe('string');
      const key = `${v.orgUnit}|${v.dataElement}|${v.categoryOptionCombo}`;
      expect(out.has(key)).toBe(false); // one value per cell
      out.set(key, Number(v.value));
    }
    return out;
  };
  /** What the reach and donor reports say for the period, as the cells the export must hold (mapped) or list (unmapped). */
  const expectedFromReports = async (
    user: User,
    from: string,
    to: string,
    level: 'municipality' | 'school',
    countryCode?: string,
  ) => {
    const country = countryCode ? `&countryCode=${countryCode}` : '';
    const reach = (
      await get(user, `/api/v1/reports/cascade?groupBy=${level}&from=${from}&to=${to}${country}`).expect(200)
    ).body;
    const donor = (await get(user, `/api/v1/reports/donor?from=${from}&to=${to}${country}`).expect(200)).body;
    const ids: Record<string, string> =
      level === 'municipality'
        ? { ...Object.fromEntries(Object.values(m).map((x) => [x.name, x.id])), '': 'SV' } // a session with no municipality: its country
        : Object.fromEntries(Object.values(s).map((x) => [x.id, x.id]));
    const cells = new Map<string, number>(); // `${ourKey}|${indicator}|${disaggregation}`
    for (const row of reach.rows as Json[]) {
      const key = ids[row.key];
      const put = (indicator: string, d: string, v: number) => v && cells.set(`${key}|${indicator}|${d}`, v);
      put('sessions', 'total', row.sessions);
      put('schools_reached', 'total', row.schools);
      for (const x of SEXES) put('students_by_sex', x, row[x]);
      for (const x of AGES) put('students_by_age', x, row[x]);
    }
    return {
      cells,
      reachTotals: reach.totals as Json,
      certified: donor.certified as Json,
      rowSchools: (reach.rows as Json[]).reduce((a, r) => a + (r.schools as number), 0),
    };
  };
  const ourKeyOf = (uid: string) =>
    ({
      [UID.santaTecla]: m.santaTecla.id,
      [UID.sanSalvador]: m.sanSalvador.id,
      [UID.colon]: m.colon.id,
      [UID.S1]: s.S1.id,
      [UID.S3]: s.S3.id,
      [UID.S4]: s.S4.id,
      SchoolS2aaa: s.S2.id,
      [UID.SV]: 'SV',
    })[uid];
  const indicatorOf = (uid: string) => Object.entries(UID).find(([, v]) => v === uid)?.[0];
  const disaggregationOf = indicatorOf;

  for (const [period, from, to] of [
    ['202601', '2026-01-01', '2026-01-31'],
    ['2026Q1', '2026-01-01', '2026-03-31'],
  ] as const) {
    for (const level of ['municipality', 'school'] as const) {
      it(`${period} by ${level}: every reach figure equals the cascade report, in the file or in the unmapped list, and people trained equal the donor report`, async () => {
        const res = await get(
          manager,
          `/api/v1/exports/dhis2/data-value-sets?period=${period}&level=${level}`,
        ).expect(200);
        expect(res.body.dataSet).toBe(UID.dataSet);
        for (const v of res.body.dataValues as Json[]) expect(v.period).toBe(period);
        const unmapped = (
          await get(manager, `/api/v1/exports/dhis2/unmapped?period=${period}&level=${level}`).expect(200)
        ).body;
        expect(res.headers['x-dhis2-unmapped']).toBe(String(unmapped.total));
        const { cells, reachTotals, certified, rowSchools } = await expectedFromReports(
          manager,
          from,
          to,
          level,
        );
        // Everything the export holds, keyed like the report cells.
        const got = new Map<string, number>();
        for (const [key, value] of valuesOf(res.body)) {
          const [orgUnit, de, coc] = key.split('|');
          got.set(`${ourKeyOf(orgUnit)}|${indicatorOf(de)}|${disaggregationOf(coc)}`, value);
        }
        for (const u of unmapped.unmapped as Json[]) {
          const key = `${u.orgUnitKey}|${u.indicator}|${u.disaggregation}`;
          expect(got.has(key)).toBe(false); // never both sent and listed
          got.set(key, u.value);
        }
        const reachCells = new Map([...got].filter(([k]) => !k.includes('|people_trained|')));
        expect(Object.fromEntries(reachCells)).toEqual(Object.fromEntries(cells));
        // Totals too. Schools are distinct per org unit, as in the report's rows: S3's session with no municipality puts S3 in
        // San Salvador and in El Salvador, so the org units add up to the rows, not to the distinct total.
        const sum = (indicator: string, d?: string) =>
          [...got]
            .filter(([k]) => k.includes(`|${indicator}|`) && (!d || k.endsWith(`|${d}`)))
            .reduce((a, [, v]) => a + v, 0);
        expect(sum('sessions')).toBe(reachTotals.sessions);
        expect(sum('schools_reached')).toBe(rowSchools);
        expect(reachTotals.schools).toBe(
          level === 'municipality' && period === '2026Q1' ? rowSchools - 1 : rowSchools,
        );
        for (const x of SEXES) expect(sum('students_by_sex', x)).toBe(reachTotals[x]);
        for (const x of AGES) expect(sum('students_by_age', x)).toBe(reachTotals[x]);
        for (const x of SEXES) expect(sum('people_trained', x)).toBe(certified[x]);
      });
    }
  }

  it('holds the hand-computed January figures for Santa Tecla and lists what has no mapping', async () => {
    const body = (await get(admin, '/api/v1/exports/dhis2/data-value-sets?period=202601').expect(200)).body;
    const v = valuesOf(body);
    const at = (de: string, coc: string) => v.get(`${UID.santaTecla}|${de}|${coc}`);
    // Santa Tecla in January: S1 (two sessions) and S2 (one): 3 sessions, 2 schools, 20 f, 21 m, 1 unspecified; certified Ana (f), Beto (m).
    expect([
      at(UID.sessions, UID.total),
      at(UID.schools_reached, UID.total),
      at(UID.students_by_sex, UID.female),
      at(UID.students_by_sex, UID.male),
    ]).toEqual([3, 2, 20, 21]);
    expect([
      at(UID.students_by_age, UID.under_10),
      at(UID.students_by_age, UID['10_14']),
      at(UID.students_by_age, UID['15_17']),
    ]).toEqual([3, 28, 11]);
    expect([at(UID.people_trained, UID.female), at(UID.people_trained, UID.male)]).toEqual([1, 1]);
    const unmapped = (await get(admin, '/api/v1/exports/dhis2/unmapped?period=202601').expect(200)).body
      .unmapped as Json[];
    expect(unmapped).toEqual(
      expect.arrayContaining([
        // The unspecified combo is not mapped: Santa Tecla's one student of unstated sex, and Dora, certified in workshop C (no municipality: its country).
        {
          orgUnitKind: 'municipality',
          orgUnitKey: m.santaTecla.id,
          orgUnitLabel: 'Santa Tecla',
          countryCode: 'SV',
          indicator: 'students_by_sex',
          disaggregation: 'unspecified',
          value: 1,
          missing: ['category-option-combo'],
        },
        {
          orgUnitKind: 'country',
          orgUnitKey: 'SV',
          orgUnitLabel: 'El Salvador',
          countryCode: 'SV',
          indicator: 'people_trained',
          disaggregation: 'unspecified',
          value: 1,
          missing: ['category-option-combo'],
        },
        // Villa is not mapped at all.
        {
          orgUnitKind: 'municipality',
          orgUnitKey: m.villa.id,
          orgUnitLabel: VILLA,
          countryCode: 'SV',
          indicator: 'sessions',
          disaggregation: 'total',
          value: 1,
          missing: ['org-unit'],
        },
      ]),
    );
    // …and none of Villa's values is in the file.
    expect(JSON.stringify(body)).not.toContain(m.villa.id);
  });

  it('a manager scoped to El Salvador exports El Salvador only, whatever country they ask', async () => {
    const own = (await get(managerSv, '/api/v1/exports/dhis2/data-value-sets?period=202601').expect(200))
      .body;
    expect(own.dataValues.length).toBeGreaterThan(0);
    expect(own.dataValues.some((v: Json) => v.orgUnit === UID.colon)).toBe(false);
    const unmapped = (await get(managerSv, '/api/v1/exports/dhis2/unmapped?period=202601').expect(200)).body;
    expect(unmapped.countryCode).toBe('SV');
    expect(unmapped.unmapped.every((u: Json) => u.countryCode === 'SV')).toBe(true);
    const { cells } = await expectedFromReports(manager, '2026-01-01', '2026-01-31', 'municipality', 'SV');
    expect(valuesOf(own).get(`${UID.sanSalvador}|${UID.sessions}|${UID.total}`)).toBe(
      cells.get(`${m.sanSalvador.id}|sessions|total`),
    );
    const other = await get(
      managerSv,
      '/api/v1/exports/dhis2/data-value-sets?period=202601&countryCode=PA',
    ).expect(200);
    expect(other.body).toEqual({ dataSet: UID.dataSet, dataValues: [] });
    expect(other.headers['x-dhis2-unmapped']).toBe('0');
    const all = (
      await get(manager, '/api/v1/exports/dhis2/data-value-sets?period=202601&countryCode=PA').expect(200)
    ).body;
    expect(all.dataValues.every((v: Json) => v.orgUnit === UID.colon)).toBe(true);
    expect(all.dataValues.length).toBeGreaterThan(0);
  });

  it('ADX: the same values, one group per org unit, valid against the ADX schema', async () => {
    const res = await get(admin, '/api/v1/exports/dhis2/adx?period=2026Q1&level=school').expect(200);
    expect(res.headers['content-type']).toBe('application/adx+xml; charset=utf-8');
    const xml = res.text;
    const check = await validateXML({
      xml: [{ fileName: 'export.adx.xml', contents: xml }],
      schema: [{ fileName: 'adx.xsd', contents: XSD }],
    });
    expect(check.errors).toEqual([]);
    expect(check.valid).toBe(true);
    expect(xml).toContain(`<group orgUnit="${UID.S1}" period="2026-01-01/P3M" dataSet="${UID.dataSet}">`);
    const json = (
      await get(admin, '/api/v1/exports/dhis2/data-value-sets?period=2026Q1&level=school').expect(200)
    ).body;
    const adxValues = [
      ...xml.matchAll(/<dataValue dataElement="(\w+)" categoryOptionCombo="(\w+)" value="(\d+)"\/>/g),
    ];
    expect(adxValues.length).toBe(json.dataValues.length);
    expect(xml.match(/<group /g)?.length).toBe(new Set(json.dataValues.map((v: Json) => v.orgUnit)).size);
  });

  it('refuses a bad period, country or level with the fields named (API 400)', async () => {
    const res = await get(
      admin,
      '/api/v1/exports/dhis2/data-value-sets?period=2026-01&countryCode=Salvador&level=region',
    ).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(/period/);
    expect(JSON.stringify(res.body.message)).toMatch(/countryCode/);
    expect(JSON.stringify(res.body.message)).toMatch(/level/);
    await get(admin, '/api/v1/exports/dhis2/adx').expect(400);
    await request(t.http).get('/api/v1/exports/dhis2/adx?period=202601').expect(401);
  });

  describe('the /reports/dhis2 page', () => {
    it('shows the form, the download links and the unmapped values, names escaped (Spanish)', async () => {
      const agent = await pageAgent(t, manager.email);
      expect((await agent.get('/reports/dhis2?lang=es').expect(200)).text).toContain('Exportación a DHIS2');
      const page = await agent.get('/reports/dhis2?period=202601&level=municipality&lang=es').expect(200);
      const hrefs = [...page.text.matchAll(/href="([^"]+)"/g)].map((x) =>
        x[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'),
      );
      expect(hrefs).toContain('/reports/dhis2/data-value-sets.json?period=202601&level=municipality');
      expect(hrefs).toContain('/reports/dhis2/adx.xml?period=202601&level=municipality');
      expect(page.text).toContain('Valores sin correspondencia');
      expect(page.text).toContain('Villa &lt;b&gt;&amp;&quot;Nueva&quot;&lt;/b&gt;');
      expect(page.text).not.toContain(VILLA);
      expect(page.text).toContain('unidad organizativa');
      const download = await agent
        .get('/reports/dhis2/data-value-sets.json?period=202601&level=municipality')
        .expect(200);
      expect(download.headers['content-disposition']).toBe(
        'attachment; filename="cascada-dhis2-202601-municipality.json"',
      );
      expect(download.body).toEqual(
        (await get(manager, '/api/v1/exports/dhis2/data-value-sets?period=202601').expect(200)).body,
      );
      const adx = await agent.get('/reports/dhis2/adx.xml?period=202601&level=municipality').expect(200);
      expect(adx.text).toContain('<adx xmlns="urn:ihe:qrph:adx:2015"');
    });

    it('shows a translated message beside a bad period and exports nothing', async () => {
      const agent = await pageAgent(t, manager.email);
      const page = await agent.get('/reports/dhis2?period=2026-13&lang=es').expect(400);
      expect(page.text).toContain('Escriba un mes como AAAAMM (202601) o un trimestre como AAAAQn (2026Q1).');
      expect(page.text).not.toContain('data-value-sets.json');
    });

    it('is for managers and admins', async () => {
      const trainer = await t.createUser('trainer');
      await (await pageAgent(t, trainer.email)).get('/reports/dhis2?period=202601').expect(403);
      await (await pageAgent(t, admin.email)).get('/reports/dhis2').expect(200);
    });
  });
});
