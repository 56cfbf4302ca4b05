import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, FormView, Roles } from '../common/decorators/access.decorators';
import { redirectWithFlash } from '../common/http/flash';
import { msg } from '../common/validation';
import { counted, t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { CatalogueService } from './catalogue.service';
import { ContentImporter } from './content/content-importer';
import type { PackageProblem } from './content/course-package';
import { pick } from './course.view';
import { CoursesRepository } from './courses.repository';
import { DEFAULT_CONTACTS, ReferralContactsService } from './referral-contacts.service';

export class ContactsDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @Matches(/^([A-Z]{2}|--)$/, { message: msg('country-code') })
  countryCode: string;

  @IsString({ message: msg('text') })
  @MaxLength(2000, { message: msg('max-length', { max: 2000 }) })
  textEn: string;

  @IsString({ message: msg('text') })
  @MaxLength(2000, { message: msg('max-length', { max: 2000 }) })
  textEs: string;
}

@ApiExcludeController()
@Controller('admin/content')
@Roles('admin')
export class ContentAdminPagesController {
  constructor(
    private readonly importer: ContentImporter,
    private readonly courses: CoursesRepository,
    private readonly catalogue: CatalogueService,
    private readonly contacts: ReferralContactsService,
  ) {}

  @Get()
  async index(@Req() req: Request, @Res() res: Response) {
    res.render('admin/content', await this.model(req));
  }

  @Post('import')
  async reimport(@Res() res: Response) {
    const results = await this.importer.importAll();
    const refused = results.filter((r) => r.outcome === 'refused').length;
    const imported = results.filter((r) => r.outcome === 'imported').length;
    redirectWithFlash(res, '/admin/content', refused ? 'content.import-refused' : 'content.import-done', refused ? 'error' : 'success', {
      imported: counted('content.new-versions', imported),
      refused: counted('content.packages-refused', refused),
    });
  }

  @Post('contacts')
  @FormView('admin/content', 'model')
  async saveContacts(@CurrentUser() actor: AuthUser, @Body() dto: ContactsDto, @Res() res: Response) {
    await this.contacts.save(actor, dto.countryCode, dto.textEn, dto.textEs);
    redirectWithFlash(res, '/admin/content#contacts', 'content.contacts-saved');
  }

  async model(req: Request) {
    const lang = resolveLanguage(req);
    const [courses, imports, contacts] = await Promise.all([this.courses.findCourses(), this.courses.recentImports(200), this.contacts.list()]);
    const versions = await this.courses.findVersionsOfCourses(courses.map((c) => c.id));
    const outlines = await this.catalogue.outlines(courses.map((c) => c.currentVersionId).filter((id): id is string => !!id));
    // The last run's result per package: the newest import row of each package name.
    const lastByPackage = new Map<string, (typeof imports)[number]>();
    for (const row of imports) if (!lastByPackage.has(row.packageName)) lastByPackage.set(row.packageName, row);
    return {
      title: t(lang, 'content.title'),
      courses: courses.map((c) => {
        const outline = outlines.find((o) => o.courseId === c.id);
        return {
          slug: c.slug,
          title: outline ? pick(outline.manifest.title, lang) : c.slug,
          versions: versions.filter((v) => v.courseId === c.id).map((v) => ({ version: v.version, importedAt: v.importedAt, current: v.id === c.currentVersionId })),
        };
      }),
      packages: [...lastByPackage.values()].map((row) => ({
        name: row.packageName,
        version: row.version,
        outcomeKey: `content.outcome.${row.outcome}`,
        refused: row.outcome === 'refused',
        at: row.at,
        problems: (JSON.parse(row.problems) as PackageProblem[]).map((p) => ({ ...p, where: p.line ? `${p.file}:${p.line}` : p.file })),
      })),
      contacts: contacts.map((c) => ({ ...c, label: c.countryCode === DEFAULT_CONTACTS ? t(lang, 'content.contacts.default') : c.countryCode })),
    };
  }
}
