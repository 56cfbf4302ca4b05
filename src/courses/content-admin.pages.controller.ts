import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { CurrentUser, FormView, Roles } from '../common/decorators/access.decorators';
import { Lang } from '../common/decorators/lang.decorator';
import { redirectWithFlash } from '../common/http/flash';
import type { Language } from '../common/kernel/user-role.enum';
import { msg } from '../common/validation';
import { counted } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import { ContentAdminPageModels } from './content-admin.page-models';
import { ContentImporter } from './content/content-importer';
import { CountryFactsService } from './country-facts.service';
import { ALL_COURSES, ReferralContactsService } from './referral-contacts.service';

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
    private readonly contacts: ReferralContactsService,
    private readonly facts: CountryFactsService,
    private readonly pages: ContentAdminPageModels,
  ) {}

  @Get()
  async index(@Lang() lang: Language, @Res() res: Response) {
    res.render('admin/content', await this.pages.indexModel(lang));
  }

  @Post('import')
  async reimport(@Res() res: Response) {
    const results = await this.importer.importAll();
    const refused = results.filter((r) => r.outcome === 'refused').length;
    const imported = results.filter((r) => r.outcome === 'imported').length;
    redirectWithFlash(
      res,
      '/admin/content',
      refused ? 'content.import-refused' : 'content.import-done',
      refused ? 'error' : 'success',
      {
        imported: counted('content.new-versions', imported),
        refused: counted('content.packages-refused', refused),
      },
    );
  }

  /** The all-courses contacts (course `*`): the lists entered before contacts were per course. */
  @Post('contacts')
  @FormView('admin/content', 'model')
  async saveContacts(@CurrentUser() actor: AuthUser, @Body() dto: ContactsDto, @Res() res: Response) {
    await this.contacts.save(actor, ALL_COURSES, dto.countryCode, dto.textEn, dto.textEs);
    redirectWithFlash(res, '/admin/content#contacts', 'content.contacts-saved');
  }

  /** The "another country" picker (a GET form): to that country's page, or back when none is chosen. */
  @Get(':course/countries')
  async pickCountry(
    @Param('course') course: string,
    @Query('country') country: unknown,
    @Res() res: Response,
  ) {
    res.redirect(303, await this.pages.pickedCountryHref(course, country));
  }

  /** One course and country: every declared fact and the course's referral contacts, in one form. */
  @Get(':course/countries/:country')
  async country(
    @Param('course') course: string,
    @Param('country') country: string,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('admin/content-country', await this.pages.countryModel(course, country, null, lang));
  }

  @Post(':course/countries/:country')
  @FormView('admin/content-country', 'countryModel')
  async saveCountry(
    @CurrentUser() actor: AuthUser,
    @Param('course') course: string,
    @Param('country') country: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const { outline, countryCode } = await this.pages.target(course, country);
    await this.facts.saveCountry(actor, outline, countryCode, body ?? {});
    redirectWithFlash(res, `/admin/content/${outline.slug}/countries/${countryCode}`, 'content.local.saved');
  }

  /** The form view's model (also after a refused save). */
  async model(req: Request) {
    return this.pages.indexModel(resolveLanguage(req));
  }

  /** On a refused save the form shows what was typed (the page interceptor passes the body as values). */
  async countryModel(req: Request) {
    const typed = req.method === 'POST' ? ((req.body ?? {}) as Record<string, unknown>) : null;
    return this.pages.countryModel(
      String(req.params.course),
      String(req.params.country),
      typed,
      resolveLanguage(req),
    );
  }
}
