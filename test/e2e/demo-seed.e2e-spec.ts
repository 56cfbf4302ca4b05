import { CascadeSession } from '../../src/cascade/cascade-session.entity';
import { Certification } from '../../src/certification/certification.entity';
import { Cohort } from '../../src/cohorts/cohort.entity';
import { ReportsService } from '../../src/reports/reports.service';
import { createTestApp, TestApp } from '../support/create-test-app';

/** SEED_DEMO loads a believable program quickly and the same way every time (seeded random). */
describe('demo program', () => {
  const summary = async (t: TestApp) => {
    const m = t.db.manager;
    const byStatus = async (entity: typeof Certification | typeof CascadeSession) =>
      Object.fromEntries(
        (
          (await m
            .createQueryBuilder(entity, 'x')
            .select('x.status', 'status')
            .addSelect('COUNT(*)', 'n')
            .groupBy('x.status')
            .getRawMany()) as Array<{ status: string; n: string }>
        ).map((r) => [r.status, Number(r.n)]),
      );
    const [students] = await m.query(
      "SELECT SUM(female + male + unspecified) AS n FROM cascade_sessions WHERE status = 'confirmed'",
    );
    return {
      cohorts: await m.count(Cohort),
      certifications: await byStatus(Certification),
      sessions: await byStatus(CascadeSession),
      students: Number(students.n),
    };
  };

  it('loads three years of workshops, certifications (some expired, one revoked) and seasonal school sessions', async () => {
    // (How long it takes is a measurement, not a test: a loaded CI machine must not fail it.)
    const t = await createTestApp({ SEED_DEMO: 'true' });
    try {
      const first = await summary(t);
      expect(first.cohorts).toBeGreaterThanOrEqual(30);
      expect(first.certifications.expired).toBeGreaterThan(0);
      expect(first.certifications.revoked).toBe(1);
      expect(first.certifications.active).toBeGreaterThan(50);
      expect(first.sessions.confirmed).toBeGreaterThan(1000);
      expect(first.sessions.submitted).toBeGreaterThan(0);
      // School calendars: January has far fewer sessions than March.
      const months: Array<{ month: string; n: string }> = await t.db.manager.query(
        'SELECT SUBSTR(date, 6, 2) AS month, COUNT(*) AS n FROM cascade_sessions GROUP BY SUBSTR(date, 6, 2)',
      );
      const per = Object.fromEntries(months.map((r) => [r.month, Number(r.n)]));
      expect(per['01']).toBeLessThan(per['03'] / 2);
      // A real cascade tree: workshops led by certified trainers, whose own trainers deliver (three generations).
      const byGeneration = await t.app.get(ReportsService).cascade({}, 'generation', false, 'en');
      expect(byGeneration.rows.map((r) => r.key)).toEqual(['1', '2', '3']);
      for (const row of byGeneration.rows) expect(row.sessions).toBeGreaterThan(50);
      expect(byGeneration.rows.reduce((n, r) => n + r.sessions, 0)).toBe(first.sessions.confirmed);
      if (!process.env.DATABASE_URL) {
        const again = await createTestApp({ SEED_DEMO: 'true' });
        try {
          expect(await summary(again)).toEqual(first);
        } finally {
          await again.close();
        }
      }
    } finally {
      await t.close();
    }
  }, 90_000);
});
