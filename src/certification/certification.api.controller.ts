import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, Public, Roles } from '../common/decorators/access.decorators';
import { resolveLanguage } from '../i18n/language';
import { CertificationError, NotEligibleError } from './certification.errors';
import { t } from '../i18n/i18n';
import { conditionParams } from '../cohorts/cohorts.service';
import { OutboxService } from '../mail/outbox.service';
import { CertificationService } from './certification.service';
import { toCertificationJson, toVerificationJson } from './certification.view';
import { IssueCertificationDto, ListCertificationsQuery, RevokeDto } from './dto/certification.dto';

@ApiTags('certifications')
@Controller('api/v1')
export class CertificationApiController {
  constructor(
    private readonly certifications: CertificationService,
    private readonly outbox: OutboxService,
  ) {}

  @Post('certifications')
  @Roles('manager', 'admin')
  @ApiBearerAuth()
  async issue(@CurrentUser() actor: AuthUser, @Body() dto: IssueCertificationDto, @Req() req: Request) {
    try {
      const cert = await this.certifications.issue(actor, dto);
      return toCertificationJson(await this.certifications.get(actor, cert.code));
    } catch (error) {
      if (error instanceof NotEligibleError) {
        const lang = resolveLanguage(req);
        error.details = {
          conditions: error.unmet.map((c) => ({
            code: c.code,
            met: c.met,
            detail: t(lang, `certification.condition.${c.code}.detail`, conditionParams(lang, c.params)),
            values: c.params,
          })),
        };
      }
      throw error;
    }
  }

  @Get('certifications')
  @Authenticated()
  @ApiBearerAuth()
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListCertificationsQuery) {
    const page = await this.certifications.list(actor, query);
    return { items: page.items.map(toCertificationJson), total: page.total };
  }

  @Get('certifications/:code')
  @Authenticated()
  @ApiBearerAuth()
  async get(@CurrentUser() actor: AuthUser, @Param('code') code: string) {
    return toCertificationJson(await this.certifications.get(actor, code));
  }

  @Post('certifications/:code/renew')
  @Roles('manager', 'admin')
  @HttpCode(200)
  @ApiBearerAuth()
  async renew(@CurrentUser() actor: AuthUser, @Param('code') code: string) {
    const cert = await this.certifications.renew(actor, code);
    return toCertificationJson(await this.certifications.get(actor, cert.code));
  }

  @Post('certifications/:code/revoke')
  @Roles('manager', 'admin')
  @HttpCode(200)
  @ApiBearerAuth()
  async revoke(@CurrentUser() actor: AuthUser, @Param('code') code: string, @Body() dto: RevokeDto) {
    const cert = await this.certifications.revoke(actor, code, dto.reason);
    return toCertificationJson(await this.certifications.get(actor, cert.code));
  }

  /** Public: anyone holding a certificate's code (QR) may check it. */
  @Get('verify/:code')
  @Public()
  async verify(@Param('code') code: string, @Req() req: Request) {
    const view = await this.certifications.verify(code);
    if (!view) throw new CertificationError('not-found', 'unknown-code');
    const exact = view.certification.code;
    // Added fields only (API.md): where the portable credentials live, and the status-list entry a
    // third-party verifier reads; its bit is set exactly when `status` is revoked.
    return {
      ...toVerificationJson(view, resolveLanguage(req)),
      openBadgeCredential: this.outbox.link(`/ob/credentials/${exact}`),
      openBadgeV2Assertion: this.outbox.link(`/ob/v2/assertions/${exact}`),
      credentialStatus: {
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(view.certification.statusListIndex),
        statusListCredential: this.outbox.link('/ob/status/1'),
      },
    };
  }
}
