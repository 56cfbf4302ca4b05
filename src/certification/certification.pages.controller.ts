import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, FormView, Public, Roles } from '../common/decorators/access.decorators';
import { InputError } from '../common/errors/app-errors';
import { redirectWithFlash } from '../common/http/flash';
import { t } from '../i18n/i18n';
import { resolveLanguage } from '../i18n/language';
import type { Language } from '../common/kernel/user-role.enum';
import { OutboxService } from '../mail/outbox.service';
import { fileSafe, renderCertificate, zipFiles } from './certificate-pdf';
import { NotEligibleError } from './certification.errors';
import { CertificationService, CertificationView } from './certification.service';
import { toVerificationJson, validityOf } from './certification.view';
import { normaliseCode } from './code-generator';
import { IssueAllDto, ListCertificationsQuery, RevokeDto } from './dto/certification.dto';

@ApiExcludeController()
@Controller()
export class CertificationPagesController {
  constructor(
    private readonly certifications: CertificationService,
    private readonly outbox: OutboxService,
  ) {}

  @Get('certifications')
  @Authenticated()
  async index(
    @CurrentUser() actor: AuthUser,
    @Query() query: ListCertificationsQuery,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const lang = resolveLanguage(req);
    const page = await this.certifications.list(actor, { ...query, limit: 100 });
    const isStaff = actor.role === 'manager' || actor.role === 'admin';
    res.render('certifications/index', {
      title: t(lang, isStaff ? 'certification.list.title' : 'certification.mine.title'),
      isStaff,
      total: page.total,
      items: page.items.map((v) => this.row(v, lang)),
      statuses: ['active', 'expired', 'revoked'].map((s) => ({ value: s, selected: s === query.status })),
    });
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
    const pdf = await renderCertificate(this.facts(view));
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
        data: await renderCertificate(this.facts(view)),
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
  verifyForm(@Query('code') code: string | undefined, @Req() req: Request, @Res() res: Response) {
    if (typeof code === 'string' && code.trim())
      return res.redirect(303, `/verify/${encodeURIComponent(normaliseCode(code).slice(0, 20))}`);
    res.render('certifications/verify', {
      title: t(resolveLanguage(req), 'certification.verify.title'),
      form: true,
    });
  }

  @Get('verify/:code')
  @Public()
  async verify(@Param('code') code: string, @Req() req: Request, @Res() res: Response) {
    const lang = resolveLanguage(req);
    const view = await this.certifications.verify(code);
    if (!view) {
      res.status(404).render('certifications/verify', {
        title: t(lang, 'certification.verify.title'),
        unknown: true,
        code: code.slice(0, 20),
        form: true,
      });
      return;
    }
    const v = toVerificationJson(view, lang);
    const validity = validityOf(v.status, v);
    res.render('certifications/verify', {
      title: t(lang, 'certification.verify.title'),
      result: v,
      code: view.certification.code,
      statusKey: `certification.status.${v.status}`,
      valid: v.valid,
      validityKey: `certification.${validity.kind}`,
      validityOn: validity.on,
      // Once it is not valid, a sentence says so and since when, not only the status word.
      noticeKey: v.status === 'active' ? null : `certification.verify.${v.status}-notice`,
      badges: {
        credentialUrl: `/ob/credentials/${view.certification.code}?download=1`,
        assertionUrl: this.outbox.link(`/ob/v2/assertions/${view.certification.code}`),
        textKey: 'badges.download.public-text',
      },
    });
  }

  async showModel(req: Request) {
    const lang = resolveLanguage(req);
    const actor = req.user as AuthUser;
    const view = await this.certifications.get(actor, String(req.params.code));
    const canManage = actor.role === 'manager' || actor.role === 'admin';
    return {
      title: view.certification.code,
      cert: this.row(view, lang),
      canManage,
      canRenew: canManage && view.status !== 'revoked',
      canRevoke: canManage && view.status !== 'revoked',
      verifyUrl: this.outbox.link(`/verify/${view.certification.code}`),
      // The signed-in download adds the holder's hashed email (src/open-badges/).
      badges: {
        credentialUrl: `/certifications/${view.certification.code}/credential.json`,
        assertionUrl: this.outbox.link(`/ob/v2/assertions/${view.certification.code}`),
        textKey: 'badges.download.text',
      },
      values: {},
    };
  }

  private row(view: CertificationView, lang: Language) {
    const c = view.certification;
    const validity = validityOf(view.status, c);
    return {
      code: c.code,
      holderName: view.holder?.name ?? '',
      courseTitle: view.courseTitle[lang] || view.courseTitle.en,
      cohortId: view.cohort?.id,
      cohortName: view.cohort?.name ?? '',
      countryCode: view.cohort?.countryCode ?? '',
      facilitatorName: view.facilitatorName,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      revokedOn: c.revokedOn,
      revokedReason: c.revokedReason,
      status: view.status,
      statusKey: `certification.status.${view.status}`,
      validityKey: `certification.${validity.kind}`,
      validityOn: validity.on,
    };
  }

  private facts(view: CertificationView) {
    const lang = view.holder?.language ?? 'en';
    return {
      code: view.certification.code,
      holderName: view.holder?.name ?? '',
      courseTitle: view.courseTitle[lang] || view.courseTitle.en,
      issuedOn: view.certification.issuedOn,
      expiresOn: view.certification.expiresOn,
      revokedOn: view.certification.revokedOn,
      cohortName: view.cohort?.name ?? '',
      facilitatorName: view.facilitatorName,
      status: view.status,
      verifyUrl: this.outbox.link(`/verify/${view.certification.code}`),
      language: lang,
    };
  }
}
