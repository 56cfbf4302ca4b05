import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { CertificationError } from '../certification/certification.errors';
import { Authenticated, CurrentUser, Public } from '../common/decorators/access.decorators';
import { resolveLanguage } from '../i18n/language';
import { OpenBadgesService } from './open-badges.service';

/** VC Data Model 2.0 media type of a credential secured with an embedded (Data Integrity) proof. */
const VC = 'application/vc';
const JSON_LD = 'application/ld+json';

/**
 * Public, read-only documents a wallet, backpack or verifier fetches without an account: any origin
 * may read them (CORS), none of them carries more than /verify/:code already shows.
 */
function sendPublic(res: Response, type: string, body: object, maxAgeSeconds = 60, download?: string) {
  res.setHeader('Content-Type', `${type}; charset=utf-8`);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  res.setHeader('Cache-Control', `public, max-age=${maxAgeSeconds}`);
  if (download) res.setHeader('Content-Disposition', `attachment; filename="${download}"`);
  res.send(JSON.stringify(body, null, 2));
}

@ApiTags('open-badges')
@Controller()
export class OpenBadgesController {
  constructor(private readonly badges: OpenBadgesService) {}

  /** The issuer Profile, also the controller document of the signing key (Multikey). */
  @Get('ob/issuer')
  @Public()
  async issuer(@Res() res: Response) {
    sendPublic(res, JSON_LD, await this.badges.issuerProfile(), 3600);
  }

  /** The signed OpenBadgeCredential of a certification (`?download=1`: as a file). */
  @Get('ob/credentials/:code')
  @Public()
  async credential(
    @Param('code') code: string,
    @Query('download') download: string | undefined,
    @Res() res: Response,
  ) {
    const credential = (await this.badges.publicCredential(code)) as { id: string };
    const name = download ? `open-badge-${credential.id.split('/').pop()}.json` : undefined;
    sendPublic(res, VC, credential, 60, name);
  }

  /** The signed BitstringStatusListCredential (revocation). */
  @Get('ob/status/:list')
  @Public()
  async statusList(@Param('list') list: string, @Res() res: Response) {
    const credential = /^\d{1,4}$/.test(list) ? await this.badges.statusList(Number(list)) : undefined;
    if (!credential) throw new CertificationError('not-found', 'unknown-status-list');
    sendPublic(res, VC, credential, 60);
  }

  @Get('ob/v2/issuer')
  @Public()
  v2Issuer(@Res() res: Response) {
    sendPublic(res, JSON_LD, this.badges.v2Issuer(), 3600);
  }

  @Get('ob/v2/badges/:slug')
  @Public()
  async v2Badge(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response) {
    const badge = await this.badges.v2BadgeClass(slug, resolveLanguage(req));
    if (!badge) throw new CertificationError('not-found', 'unknown-badge');
    sendPublic(res, JSON_LD, badge, 3600);
  }

  @Get('ob/v2/assertions/:code')
  @Public()
  async v2Assertion(@Param('code') code: string, @Res() res: Response) {
    sendPublic(res, JSON_LD, await this.badges.v2Assertion(code), 60);
  }

  /** The same for API clients (Bearer): the signed credential with the hashed-email identifier. */
  @Get('api/v1/certifications/:code/open-badge')
  @Authenticated()
  @ApiBearerAuth()
  async personalApi(@CurrentUser() actor: AuthUser, @Param('code') code: string, @Res() res: Response) {
    const { credential } = await this.badges.personalCredential(actor, code);
    res.setHeader('Content-Type', `${VC}; charset=utf-8`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(JSON.stringify(credential, null, 2));
  }

  /** The holder's own credential file (with the hashed-email identifier): holder, managers in scope, admins. */
  @Get('certifications/:code/credential.json')
  @Authenticated()
  @ApiExcludeEndpoint()
  async personal(@CurrentUser() actor: AuthUser, @Param('code') code: string, @Res() res: Response) {
    const { code: exact, credential } = await this.badges.personalCredential(actor, code);
    res.setHeader('Content-Type', `${VC}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="open-badge-${exact}.json"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(JSON.stringify(credential, null, 2));
  }
}
