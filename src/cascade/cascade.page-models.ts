import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/app-errors';
import type { AuthUser } from '../common/kernel/auth-user';
import type { Language } from '../common/kernel/user-role.enum';
import { paginate } from '../common/view/paginate';
import { CatalogueService } from '../courses/catalogue.service';
import { t } from '../i18n/i18n';
import { pick } from '../i18n/localised';
import { SchoolsService } from '../schools/schools.service';
import { CascadeService } from './cascade.service';
import type { ListSessionsQuery } from './dto/cascade.dto';

export const COUNT_FIELDS = ['female', 'male', 'unspecified'] as const;
export const AGE_FIELDS = ['under_10', '10_14', '15_17', '18_plus'] as const;

const PAGE = 50;
const CSV_HEADER = [
  'date',
  'status',
  'school',
  'school_code',
  'municipality',
  'country',
  'trainer',
  'course',
  'modules',
  'minutes',
  'female',
  'male',
  'unspecified',
  'under_10',
  '10_14',
  '15_17',
  '18_plus',
  'teachers',
  'parents',
];

type Sessions = Awaited<ReturnType<CascadeService['list']>>['items'];

/** What the session form needs from the request: the method, the typed body, the search boxes, the session edited. */
export interface SessionFormInput {
  isPost: boolean;
  body: Record<string, unknown>;
  schoolSearch?: string;
  trainerSearch?: string;
  editingId?: string;
}

/** What the cascade session pages (/cascade-sessions) render, and the rows of their CSV export. */
@Injectable()
export class CascadePageModels {
  constructor(
    private readonly cascade: CascadeService,
    private readonly schools: SchoolsService,
    private readonly catalogue: CatalogueService,
    private readonly clock: Clock,
  ) {}

  async indexModel(actor: AuthUser, query: ListSessionsQuery, lang: Language) {
    const paging = paginate(query.page, PAGE);
    const page = await this.cascade.list(actor, { ...query, limit: paging.limit, offset: paging.offset });
    const rows = await this.rows(page.items, lang);
    const filters = Object.fromEntries(
      Object.entries(query)
        .filter(([k, v]) => v !== undefined && k !== 'page')
        .map(([k, v]) => [k, String(v)]),
    );
    return {
      title: t(lang, actor.role === 'trainer' ? 'cascade.mine' : 'cascade.title'),
      rows,
      total: page.total,
      query,
      canLog: actor.role === 'trainer' || actor.role === 'coordinator',
      statuses: ['waiting-for-me', 'submitted', 'confirmed', 'rejected'].map((s) => ({
        value: s,
        selected: s === query.status,
      })),
      csvHref: `/cascade-sessions/export.csv?${new URLSearchParams(filters)}`,
      ...paging.pager(page.total, '/cascade-sessions', filters),
    };
  }

  /** Every session the list shows (up to 100 000), as the CSV's translated header and its cells. */
  async csvTable(actor: AuthUser, query: ListSessionsQuery, lang: Language) {
    const page = await this.cascade.list(actor, { ...query, limit: 500, offset: 0 });
    let all = page.items;
    for (let offset = 500; offset < Math.min(page.total, 100_000); offset += 500)
      all = all.concat((await this.cascade.list(actor, { ...query, limit: 500, offset })).items);
    const rows = await this.rows(all, lang);
    return {
      header: CSV_HEADER.map((h) => t(lang, `cascade.csv.${h}`)),
      rows: rows.map((r) => [
        r.date,
        t(lang, r.statusKey),
        r.schoolName,
        r.schoolCode,
        r.municipality,
        r.countryCode,
        r.trainerName,
        r.courseTitle,
        r.modules,
        r.s.durationMinutes,
        r.s.female,
        r.s.male,
        r.s.unspecified,
        r.s.ageUnder10,
        r.s.age10To14,
        r.s.age15To17,
        r.s.age18Plus,
        r.s.teachers,
        r.s.parents,
      ]),
    };
  }

  /** The session form: schools and trainers to choose from, the courses' deliverable modules, the typed values. */
  async formModel(actor: AuthUser, input: SessionFormInput, lang: Language) {
    if (actor.role !== 'trainer' && actor.role !== 'coordinator')
      throw new DomainError('forbidden', 'cascade.who-logs');
    const { body } = input;
    const search = input.schoolSearch?.slice(0, 100);
    const schools = await this.schools.list(actor, { q: search, limit: 200 });
    const outlines = (await this.catalogue.currentOutlines()).filter((o) =>
      o.manifest.modules.some((m) => m.deliverable),
    );
    const trainerSearch = input.trainerSearch?.trim().toLowerCase().slice(0, 100) ?? '';
    const trainers =
      actor.role === 'coordinator'
        ? await Promise.all(
            outlines.map(async (o) => ({
              course: pick(o.manifest.title, lang),
              people: (await this.cascade.certifiedTrainers(o.courseId)).filter(
                (p) => !trainerSearch || p.name.toLowerCase().includes(trainerSearch),
              ),
            })),
          )
        : [];
    const values = input.isPost ? body : { date: this.clock.today(), durationMinutes: 50 };
    const chosen = ([] as unknown[]).concat(values.moduleSlugs ?? []);
    // A refused edit (POST :id/edit) is shown again as the edit form, not as a new session.
    const editingId = input.isPost ? input.editingId : undefined;
    return {
      title: t(lang, editingId ? 'cascade.edit' : 'cascade.new'),
      action: editingId ? `/cascade-sessions/${editingId}/edit` : '/cascade-sessions',
      editing: editingId !== undefined,
      isCoordinator: actor.role === 'coordinator',
      schoolSearch: search ?? '',
      trainerSearch,
      schools: schools.items.map((s) => ({
        id: s.id,
        label: `${s.name} (${s.code})`,
        selected: s.id === values.schoolId,
      })),
      moreSchools: schools.total > schools.items.length,
      trainerGroups: trainers.map((g) => ({
        course: g.course,
        people: g.people.map((p) => ({ id: p.id, name: p.name, selected: p.id === values.trainerId })),
      })),
      courses: outlines.map((o) => ({
        slug: o.slug,
        title: pick(o.manifest.title, lang),
        selected: o.slug === values.courseSlug || outlines.length === 1,
        modules: o.manifest.modules
          .filter((m) => m.deliverable)
          .map((m) => ({ slug: m.slug, title: pick(m.title, lang), checked: chosen.includes(m.slug) })),
      })),
      idempotencyKey:
        typeof body.idempotencyKey === 'string' && body.idempotencyKey.length <= 100
          ? body.idempotencyKey
          : randomUUID(),
      values,
      sexFields: COUNT_FIELDS.map((f) => ({
        name: `p_${f}`,
        label: `cascade.sex.${f}`,
        value: values[`p_${f}`] ?? '',
      })),
      ageFields: AGE_FIELDS.map((f) => ({
        name: `a_${f}`,
        label: `cascade.age.${f}`,
        value: values[`a_${f}`] ?? '',
      })),
    };
  }

  /** The edit form, filled from the session; only its author may edit it. */
  async editModel(actor: AuthUser, id: string, input: SessionFormInput, lang: Language) {
    const { session, access } = await this.cascade.get(actor, id);
    if (!access.canEdit) throw new DomainError('forbidden', 'cascade.only-author-edits');
    const outline = (await this.catalogue.currentOutlines()).find((o) => o.courseId === session.courseId);
    return {
      ...(await this.formModel(actor, input, lang)),
      action: `/cascade-sessions/${id}/edit`,
      editing: true,
      values: {
        schoolId: session.schoolId,
        trainerId: session.trainerId,
        courseSlug: outline?.slug,
        moduleSlugs: session.moduleSlugs.split(','),
        date: session.date,
        durationMinutes: session.durationMinutes,
        p_female: session.female,
        p_male: session.male,
        p_unspecified: session.unspecified,
        a_under_10: session.ageUnder10,
        a_10_14: session.age10To14,
        a_15_17: session.age15To17,
        a_18_plus: session.age18Plus,
        teachers: session.teachers,
        parents: session.parents,
        notes: session.notes ?? '',
      },
    };
  }

  async showModel(actor: AuthUser, id: string, lang: Language) {
    const { session, access } = await this.cascade.get(actor, id);
    const [row] = await this.rows([session], lang);
    return { title: t(lang, 'cascade.session'), row, s: session, access, values: {} };
  }

  /** Sessions with their school, municipality, trainer, course and module names, for the list, the page and the CSV. */
  private async rows(sessions: Sessions, lang: Language) {
    const labels = await this.cascade.labels(sessions);
    const municipalities = new Map(
      (
        await this.schools.municipalitiesByIds([
          ...new Set([...labels.school.values()].map((s) => s.municipalityId)),
        ])
      ).map((m) => [m.id, m.name]),
    );
    return sessions.map((s) => {
      const school = labels.school.get(s.schoolId);
      const outline = labels.outlines.find((o) => o.courseId === s.courseId);
      return {
        s,
        id: s.id,
        date: s.date,
        statusKey: `cascade.status.${s.status}`,
        status: s.status,
        schoolName: school?.name ?? '',
        schoolCode: school?.code ?? '',
        countryCode: school?.countryCode ?? '',
        municipality: school ? (municipalities.get(school.municipalityId) ?? '') : '',
        trainerName: labels.trainer.get(s.trainerId) ?? '',
        courseTitle: outline ? pick(outline.manifest.title, lang) : '',
        modules: s.moduleSlugs
          .split(',')
          .map((slug) => pick(outline?.manifest.modules.find((m) => m.slug === slug)?.title, lang) || slug)
          .join('; '),
        students: s.female + s.male + s.unspecified,
      };
    });
  }
}
