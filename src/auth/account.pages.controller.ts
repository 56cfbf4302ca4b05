import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { AuthService } from './auth.service';
import { ChangePasswordDto, ProfileDto } from './dto/auth.dto';
import { setSessionCookie } from './session-cookie';
import { SessionsService } from './sessions.service';
import { Authenticated, CurrentUser, FormView } from '../common/decorators/access.decorators';
import { redirectWithFlash } from '../common/http/flash';
import { LANG_COOKIE } from '../i18n/language';
import { LANGUAGES } from '../common/kernel/user-role.enum';
import { PersonalDataService } from '../users/personal-data.service';
import { UsersService } from '../users/users.service';

@ApiExcludeController()
@Controller('account')
@Authenticated()
export class AccountPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly personalData: PersonalDataService,
  ) {}

  @Get()
  async show(@Req() req: Request, @Res() res: Response) {
    res.render('account/show', await this.model(req));
  }

  /** The signed-in person's own data (DESIGN.md "Privacy"). */
  @Get('data.json')
  async exportData(@CurrentUser() actor: AuthUser, @Res() res: Response) {
    const data = await this.personalData.export(actor, actor.id);
    res
      .attachment('cascada-my-data.json')
      .type('application/json')
      .send(JSON.stringify(data, null, 2));
  }

  @Post('profile')
  @FormView('account/show', 'model')
  async saveProfile(@CurrentUser() actor: AuthUser, @Body() dto: ProfileDto, @Res() res: Response) {
    await this.users.updateOwnProfile(actor, dto.name, dto.language);
    res.cookie(LANG_COOKIE, dto.language, { sameSite: 'lax', maxAge: 365 * 24 * 3600 * 1000, path: '/' });
    redirectWithFlash(res, `/account?lang=${dto.language}`, 'account.saved');
  }

  @Post('password')
  @FormView('account/show', 'model')
  async changePassword(@CurrentUser() actor: AuthUser, @Body() dto: ChangePasswordDto, @Res() res: Response) {
    const signedIn = await this.auth.changePassword(actor, dto.current, dto.password, dto.confirm);
    setSessionCookie(res, signedIn.token, signedIn.expiresAt, this.sessions.secureCookies);
    redirectWithFlash(res, '/account', 'account.password-changed');
  }

  async model(req: Request) {
    const actor = req.user as AuthUser;
    return { account: actor, languages: LANGUAGES, profile: { name: actor.name, language: actor.language } };
  }
}
