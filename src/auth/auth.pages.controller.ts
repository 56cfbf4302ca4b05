import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, CurrentUser, FormView, Public } from '../common/decorators/access.decorators';
import { DomainError, InputError } from '../common/errors/app-errors';
import { clientAddress } from '../common/http/client-address';
import { redirectWithFlash } from '../common/http/flash';
import type { AuthUser } from '../common/kernel/auth-user';
import { AuthService } from './auth.service';
import { LoginDto, PasswordResetRequestDto, SetPasswordFormDto } from './dto/auth.dto';
import { clearSessionCookie, safeNext, setSessionCookie } from './session-cookie';
import { SessionsService } from './sessions.service';
import type { AuthTokenPurpose } from './auth-token.entity';

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Get('login')
  @Public()
  loginPage(@Req() req: Request, @Res() res: Response, @Query('next') next?: string) {
    if (req.user) return res.redirect(303, safeNext(next));
    res.render('auth/login', { values: {}, next: safeNext(next) });
  }

  @Post('login')
  @Public()
  @FormView('auth/login', 'loginModel')
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res() res: Response) {
    const signedIn = await this.auth.login(dto.email, dto.password, clientAddress(req));
    setSessionCookie(res, signedIn.token, signedIn.expiresAt, this.sessions.secureCookies);
    // The account's language wins from now on (shared computers).
    res.cookie('lang', signedIn.user.language, {
      sameSite: 'lax',
      maxAge: 365 * 24 * 3600 * 1000,
      path: '/',
    });
    res.redirect(303, safeNext(req.query.next));
  }

  async loginModel(req: Request) {
    return { next: safeNext(req.query.next) };
  }

  @Post('logout')
  @Authenticated()
  async logout(@CurrentUser() actor: AuthUser, @Res() res: Response) {
    await this.auth.logout(actor);
    clearSessionCookie(res, this.sessions.secureCookies);
    redirectWithFlash(res, '/login', 'auth.signed-out', 'info');
  }

  @Get('invite/:token')
  @Public()
  async invitationPage(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    await this.renderTokenPage(req, res, token, 'invitation');
  }

  @Post('invite/:token')
  @Public()
  @FormView('auth/set-password', 'invitationModel')
  async acceptInvitation(
    @Param('token') token: string,
    @Body() dto: SetPasswordFormDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.completeWithToken(req, res, token, 'invitation', dto);
  }

  async invitationModel(req: Request) {
    return this.tokenModel(req, 'invitation');
  }

  @Get('reset-password')
  @Public()
  resetRequestPage(@Res() res: Response) {
    res.render('auth/reset-request', { values: {} });
  }

  @Post('reset-password')
  @Public()
  @FormView('auth/reset-request')
  async requestReset(@Body() dto: PasswordResetRequestDto, @Req() req: Request, @Res() res: Response) {
    await this.auth.requestPasswordReset(dto.email, clientAddress(req));
    redirectWithFlash(res, '/login', 'auth.reset-requested', 'info');
  }

  @Get('reset-password/:token')
  @Public()
  async resetPage(@Param('token') token: string, @Req() req: Request, @Res() res: Response) {
    await this.renderTokenPage(req, res, token, 'password-reset');
  }

  @Post('reset-password/:token')
  @Public()
  @FormView('auth/set-password', 'resetModel')
  async confirmReset(
    @Param('token') token: string,
    @Body() dto: SetPasswordFormDto,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.completeWithToken(req, res, token, 'password-reset', dto);
  }

  async resetModel(req: Request) {
    return this.tokenModel(req, 'password-reset');
  }

  private async renderTokenPage(req: Request, res: Response, token: string, purpose: AuthTokenPurpose) {
    try {
      const user = await this.auth.peekToken(token, purpose, clientAddress(req));
      res.render('auth/set-password', {
        purpose,
        isInvitation: purpose === 'invitation',
        name: user.name,
        email: user.email,
        action: req.path,
        values: {},
      });
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'invalid') {
        res.status(400).render('auth/token-invalid', { isInvitation: purpose === 'invitation' });
        return;
      }
      throw error;
    }
  }

  private async tokenModel(req: Request, purpose: AuthTokenPurpose) {
    return { purpose, isInvitation: purpose === 'invitation', action: req.path };
  }

  private async completeWithToken(
    req: Request,
    res: Response,
    token: string,
    purpose: AuthTokenPurpose,
    dto: SetPasswordFormDto,
  ) {
    if (dto.password !== dto.confirm)
      throw new InputError({ confirm: [{ key: 'password-mismatch', params: {} }] });
    const signedIn = await this.auth.completeWithToken(token, purpose, dto.password, clientAddress(req));
    setSessionCookie(res, signedIn.token, signedIn.expiresAt, this.sessions.secureCookies);
    redirectWithFlash(
      res,
      '/',
      purpose === 'invitation' ? 'auth.invitation-accepted' : 'auth.password-reset-done',
    );
  }
}
