import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, FormView, Public, Roles } from '../common/decorators/access.decorators';
import { InputError } from '../common/errors/app-errors';
import { redirectWithFlash } from '../common/http/flash';
import { Lang } from '../common/decorators/lang.decorator';
import { resolveLanguage } from '../i18n/language';
import type { Language } from '../common/kernel/user-role.enum';
import { fileSafe, renderCertificate, zipFiles } from './certificate-pdf';
import { NotEligibleError } from './certification.errors';
import { CertificationPageModels } from './certification.page-models';
import { CertificationService } from './certification.service';
import { normaliseCode } from './code-generator';
import { IssueAllDto, ListCertificationsQuery, RevokeDto } from './dto/certification.dto';

@ApiExcludeController()
@Controller()
export class CertificationPagesController {
  constructor(
    private readonly certifications: CertificationService,
    private readonly pages: CertificationPageModels,
  ) {}

  @Get('certifications')
  @Authenticated()
  async index(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListCertificationsQuery,
    @Lang() lang: Language,
    @Res() res: Response,
  ) {
    res.render('certifications/index', await this.pages.indexModel(actor, query, lang));
  }

  @Get('certifications/:code')
  @Authenticated()
  async show(@Param('code') code: string, @Req() req: Request, @Res() res: Response) {
    res.render('certifications/show', await this.showModel(req));
  }

  @Get('certifications/:code/certificate.pdf')
  @Authenticated()
  async pdf(@CurrentUser() actor: AuthUser, @Param('code') code: string, @Res() res: Response) {
    const view = await this.certifications.get(actor, code);
    const pdf = await renderCertificate(this.pages.certificateFacts(view));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="certificate-${view.certification.code}-${fileSafe(view.holder?.name ?? '')}.pdf"`,
    );
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(pdf);
  }

  @Post('certifications/:code/renew')
  @Roles('manager', 'admin')
  async renew(@CurrentUser() actor: AuthUser, @Param('code') code: string, @Res() res: Response) {
    const cert = await this.certifications.renew(actor, code);
    redirectWithFlash(res, `/certifications/${cert.code}`, 'certification.renewed', 'success', {
      date: cert.expiresOn,
    });
  }

  @Post('certifications/:code/revoke')
  @Roles('manager', 'admin')
  @FormView('certifications/show', 'showModel')
  async revoke(
    @CurrentUser() actor: AuthUser,
    @Param('code') code: string,
    @Body() dto: RevokeDto,
    @Res() res: Response,
  ) {
    const cert = await this.certifications.revoke(actor, code, dto.reason);
    redirectWithFlash(res, `/certifications/${cert.code}`, 'certification.revoked');
  }

  @Post('cohorts/:id/certify')
  @Roles('manager', 'admin')
  async certifyAll(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: IssueAllDto,
    @Res() res: Response,
  ) {
    try {
      const issued = await this.certifications.issueAllEligible(actor, id, dto.issuedOn);
      redirectWithFlash(res, `/cohorts/${id}#roster`, 'certification.issued-many', 'success', {
        count: issued.length,
      });
    } catch (error) {
      // A refused issue date (before the workshop's last day, in the future) goes back to the cohort with its reason.
      const problem = error instanceof InputError ? Object.values(error.fields)[0]?.[0] : undefined;
      if (!problem) throw error;
      redirectWithFlash(
        res,
        `/cohorts/${id}#certify-h`,
        `validation.${problem.key}`,
        'error',
        problem.params,
      );
    }
  }

  @Post('cohorts/:id/participants/:userId/certify')
  @Roles('manager', 'admin')
  async certifyOne(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Param('userId') userId: string,
    @Body() dto: IssueAllDto,
    @Res() res: Response,
  ) {
    try {
      const cert = await this.certifications.issue(actor, { cohortId: id, userId, issuedOn: dto.issuedOn });
      redirectWithFlash(res, `/cohorts/${id}/participants/${userId}`, 'certification.issued', 'success', {
        code: cert.code,
      });
    } catch (error) {
      if (!(error instanceof NotEligibleError)) throw error;
      redirectWithFlash(
        res,
        `/cohorts/${id}/participants/${userId}`,
        'errors.certification.not-eligible',
        'error',
        { count: error.unmet.length },
      );
    }
  }

  @Get('cohorts/:id/certificates.zip')
  @Roles('manager', 'admin')
  async cohortZip(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Res() res: Response) {
    const { cohort, views } = await this.certifications.ofCohort(actor, id);
    const files = [];
    for (const view of views)
      files.push({
        name: `${view.certification.code}-${fileSafe(view.holder?.name ?? '')}.pdf`,
        data: await renderCertificate(this.pages.certificateFacts(view)),
      });
    const zip = await zipFiles(files);
    res.setHeader('Content-Type', 'application/zip');
    // The file holds names: say so in its name (DESIGN.md "Privacy").
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="certificates-with-names-${fileSafe(cohort.name)}.zip"`,
    );
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(zip);
  }

  @Get('verify')
  @Public()
  verifyForm(@Query('code') code: string | undefined, @Lang() lang: Language, @Res() res: Response) {
    if (typeof code === 'string' && code.trim())
      return res.redirect(303, `/verify/${encodeURIComponent(normaliseCode(code).slice(0, 20))}`);
    res.render('certifications/verify', this.pages.verifyFormModel(lang));
  }

  @Get('verify/:code')
  @Public()
  async verify(@Param('code') code: string, @Lang() lang: Language, @Res() res: Response) {
    const { found, model } = await this.pages.verifyModel(code, lang);
    res.status(found ? 200 : 404).render('certifications/verify', model);
  }

  /** The form view's model (@FormView re-renders it after a refused revocation). */
  async showModel(req: Request) {
    return this.pages.showModel(req.user as AuthUser, String(req.params.code), resolveLanguage(req));
  }
}
