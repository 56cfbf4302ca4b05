import { Injectable } from '@nestjs/common';
import { countryScopeOf } from '../common/access/scope';
import { InputError } from '../common/errors/app-errors';
import type { AuthUser } from '../common/kernel/auth-user';
import { LANGUAGES, SEXES } from '../common/kernel/user-role.enum';
import type { Language } from '../common/kernel/user-role.enum';
import { paginate } from '../common/view/paginate';
import { CatalogueService } from '../courses/catalogue.service';
import { t } from '../i18n/i18n';
import { pick } from '../i18n/localised';
import { conditionParams } from './eligibility';
import { ATTENDANCE_STATUSES, COHORT_STATUSES, NEXT_STATUSES } from './cohort-status.enum';
import { CohortsService } from './cohorts.service';
import type { ListCohortsQuery } from './dto/cohort.dto';
import { parseRoster, type RosterRow } from './roster-import';

const PAGE = 25;

type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** Checked roster rows as the participants to add. */
export function rosterEntries(rows: RosterRow[]) {
  return rows.map((r) => ({
    email: r.email,
    name: r.name,
    sex: r.sex,
    organisation: r.organisation || undefined,
    language: r.language ?? undefined,
  }));
}

/** What the cohort pages (/cohorts) render, from CohortsService (which asks certification for its facts) and the catalogue. */
@Injectable()
export class CohortsPageModels {
  constructor(
    private readonly cohorts: CohortsService,
    private readonly catalogue: CatalogueService,
  ) {}

  async indexModel(actor: AuthUser, query: ListCohortsQuery, lang: Language) {
    const paging = paginate(query.page, PAGE);
    const result = await this.cohorts.list(actor, { ...query, limit: paging.limit, offset: paging.offset });
    const outlines = await this.catalogue.currentOutlines();
    return {
      title: t(lang, 'cohorts.title'),
      canCreate: actor.role === 'manager' || actor.role === 'admin',
      cohorts: result.items.map((c) => ({
        ...c,
        courseTitle: pick(outlines.find((o) => o.courseId === c.courseId)?.manifest.title, lang),
        participants: result.counts.get(c.id) ?? 0,
        statusKey: `cohorts.status.${c.status}`,
      })),
      total: result.total,
      statuses: COHORT_STATUSES.map((s) => ({ value: s, selected: s === query.status })),
      courses: outlines.map((o) => ({
        value: o.slug,
        label: pick(o.manifest.title, lang),
        selected: o.slug === query.courseSlug,
      })),
      ...paging.pager(result.total, '/cohorts', {
        status: query.status || undefined,
        courseSlug: query.courseSlug || undefined,
      }),
    };
  }

  /** The new-cohort form, with its defaults. */
  async newModel(actor: AuthUser, lang: Language) {
    return {
      ...(await this.formModel(actor, null, {}, lang)),
      values: { countryCode: countryScopeOf(actor) ?? '', capacity: 30 },
    };
  }

  /** The edit form, filled from the cohort. */
  async editModel(actor: AuthUser, id: string, lang: Language) {
    const d = await this.cohorts.detail(actor, id);
    return {
      ...(await this.formModel(actor, id, {}, lang)),
      values: { ...d.cohort, courseSlug: d.outline.slug, facilitatorIds: d.facilitators.map((f) => f.id) },
    };
  }

  /** The cohort form for a new cohort (`id` null) or an existing one; `typed` is a refused form's body. */
  async formModel(actor: AuthUser, id: string | null, typed: Record<string, unknown>, lang: Language) {
    const outlines = await this.catalogue.currentOutlines();
    let cohort = null;
    let current: string[] = [];
    if (id) {
      const detail = await this.cohorts.detail(actor, id);
      cohort = detail.cohort;
      current = detail.facilitators.map((f) => f.id);
    }
    return {
      title: t(lang, cohort ? 'cohorts.edit' : 'cohorts.new'),
      cohort,
      action: cohort ? `/cohorts/${cohort.id}` : '/cohorts',
      courses: outlines.map((o) => ({ value: o.slug, label: pick(o.manifest.title, lang) })),
      statuses: cohort
        ? [cohort.status, ...NEXT_STATUSES[cohort.status]].map((s) => ({
            value: s,
            label: t(lang, `cohorts.status.${s}`),
          }))
        : [],
      countryLocked: countryScopeOf(actor),
      facilitatorOptions: (await this.cohorts.facilitatorCandidates()).map((u) => ({
        id: u.id,
        label: `${u.name} · ${t(lang, `roles.${u.role}`)}`,
        checked: ([] as unknown[]).concat(typed.facilitatorIds ?? current).includes(u.id),
      })),
    };
  }

  async showModel(actor: AuthUser, id: string, lang: Language) {
    const d = await this.cohorts.detail(actor, id);
    const certs = await this.cohorts.issuedCertificates(d.cohort.id);
    const certOf = new Map(certs.filter((c) => !c.revokedOn).map((c) => [c.userId, c]));
    const canManage = d.access === 'manage';
    const canRecord = canManage || d.access === 'facilitate';
    const eligibleUncertified = d.standings.filter(
      (s) => s.eligibility.eligible && !certOf.has(s.userId),
    ).length;
    return {
      title: d.cohort.name,
      cohort: d.cohort,
      statusKey: `cohorts.status.${d.cohort.status}`,
      courseTitle: pick(d.outline.manifest.title, lang),
      courseSlug: d.outline.slug,
      facilitators: d.facilitators,
      days: d.days,
      canManage,
      canRecord,
      isParticipant: d.access === 'participate',
      myEligibilityHref:
        d.access === 'participate' ? `/cohorts/${d.cohort.id}/participants/${actor.id}` : null,
      participantCount: d.participants.length,
      roster: d.standings.map((s) => ({
        ...s,
        attendance: Math.round(s.attendancePercent),
        practicumKey: s.practicum
          ? s.practicum.passed
            ? 'cohorts.practicum.passed'
            : 'cohorts.practicum.failed'
          : 'cohorts.practicum.none',
        eligible: s.eligibility.eligible,
        unmet: s.eligibility.conditions
          .filter((c) => !c.met)
          .map((c) => t(lang, `certification.condition.${c.code}.label`))
          .join(', '),
        certificate: certOf.get(s.userId)?.code ?? null,
        invited: s.status === 'invited',
      })),
      eligibleUncertified,
      certifiedCount: certOf.size,
      sexes: SEXES,
      languages: LANGUAGES,
      today: d.cohort.endsOn,
      values: {},
    };
  }

  /** The roster import form (before any CSV is sent). */
  async importModel(actor: AuthUser, id: string, lang: Language) {
    const cohort = await this.cohorts.manageable(actor, id);
    return { title: t(lang, 'cohorts.import.title'), cohort };
  }

  async participantModel(actor: AuthUser, id: string, userId: string, lang: Language) {
    const { cohort, standing } = await this.cohorts.eligibilityOf(actor, id, userId);
    const { access } = await this.cohorts.get(actor, cohort.id);
    return {
      title: standing.name,
      cohort,
      participant: standing,
      attendance: Math.round(standing.attendancePercent),
      eligible: standing.eligibility.eligible,
      conditions: standing.eligibility.conditions.map((c) => ({
        met: c.met,
        label: t(lang, `certification.condition.${c.code}.label`),
        detail: t(lang, `certification.condition.${c.code}.detail`, conditionParams(lang, c.params)),
      })),
      canRecord: access === 'manage' || access === 'facilitate',
      canCertify: access === 'manage',
      practicum: standing.practicum,
      values: standing.practicum
        ? {
            passed: String(standing.practicum.passed),
            score: standing.practicum.score ?? '',
            notes: standing.practicum.notes ?? '',
          }
        : {},
    };
  }

  /** A day's attendance sheet (also printed as the sign-in sheet). */
  async attendanceModel(actor: AuthUser, id: string, dayId: string, lang: Language) {
    const d = await this.cohorts.detail(actor, id);
    if (d.access === 'participate') await this.cohorts.recordable(actor, id); // participants see their own page, not the sheet
    const day = d.days.find((x) => x.id === dayId);
    if (!day) throw new InputError({ dayId: [{ key: 'id', params: {} }] });
    const records = await this.cohorts.attendanceOfDay(dayId);
    const statusOf = new Map(records.map((r) => [r.userId, r.status]));
    return {
      title: t(lang, 'cohorts.attendance.title'),
      cohort: d.cohort,
      courseTitle: pick(d.outline.manifest.title, lang),
      day,
      statuses: ATTENDANCE_STATUSES,
      rows: d.standings.map((s) => ({
        userId: s.userId,
        name: s.name,
        organisation: s.organisation,
        status: statusOf.get(s.userId) ?? '',
        attendance: Math.round(s.attendancePercent),
      })),
    };
  }

  /**
   * The attendance form read against the roster: fields `s.<userId>` = status; the "mark all
   * present" button sends `all=present`. Unknown statuses are left out.
   */
  async attendanceForm(actor: AuthUser, id: string, body: Record<string, unknown>) {
    const participants = (await this.cohorts.detail(actor, id)).standings;
    const markAll = body.all === 'present';
    const records = participants
      .map((p) => ({ userId: p.userId, status: markAll ? 'present' : body[`s.${p.userId}`] }))
      .filter(
        (r): r is { userId: string; status: AttendanceStatus } =>
          typeof r.status === 'string' && (ATTENDANCE_STATUSES as readonly string[]).includes(r.status),
      );
    return { markAll, records };
  }

  /** The roster CSV checked against the cohort: every row with its problems, and whether it may be imported. */
  async previewModel(actor: AuthUser, id: string, csv: string, lang: Language) {
    const parsed = parseRoster(csv);
    if (parsed.fileProblem)
      throw new InputError({ csv: [{ key: parsed.fileProblem, params: { max: 500 } }] });
    const { cohort, rows, free } = await this.cohorts.previewRoster(actor, id, parsed.rows);
    const bad = rows.filter((r) => r.problems.length).length;
    return {
      title: t(lang, 'cohorts.import.title'),
      cohort,
      csv,
      free,
      parsed: rows,
      rows: rows.map((r) => ({
        ...r,
        sexKey: `sexes.${r.sex}`,
        problemTexts: r.problems.map((p) => t(lang, `validation.${p.key}`, p.params)),
      })),
      bad,
      good: rows.length - bad,
      canImport: bad === 0 && rows.length > 0,
      values: { csv },
    };
  }
}
