import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Authenticated, CurrentUser, Public } from '../common/decorators/access.decorators';
import { clientAddress } from '../common/http/client-address';
import { UsersService } from '../users/users.service';
import type { AuthUser } from '../common/kernel/auth-user';
import { AuthService, SignedIn } from './auth.service';
import { LoginDto, PasswordResetRequestDto, SetPasswordDto } from './dto/auth.dto';
import { MeContributors } from './me-contributors.service';
import { SchoolsService } from '../schools/schools.service';

const signedInJson = (signedIn: SignedIn) => ({
  accessToken: signedIn.token,
  expiresAt: signedIn.expiresAt.toISOString(),
  user: {
    id: signedIn.user.id,
    email: signedIn.user.email,
    name: signedIn.user.name,
    role: signedIn.user.role,
  },
});

@ApiTags('auth')
@Controller('api/v1')
export class AuthApiController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly me: MeContributors,
    private readonly schools: SchoolsService,
  ) {}

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in; returns a Bearer access token' })
  async login(@Body() dto: LoginDto, @Req() req: Request) {
    return signedInJson(await this.auth.login(dto.email, dto.password, clientAddress(req)));
  }

  @Post('auth/logout')
  @Authenticated()
  @HttpCode(204)
  @ApiBearerAuth()
  async logout(@CurrentUser() actor: AuthUser) {
    await this.auth.logout(actor);
  }

  @Post('auth/accept-invitation')
  @Public()
  @HttpCode(200)
  async acceptInvitation(@Body() dto: SetPasswordDto, @Req() req: Request) {
    return signedInJson(
      await this.auth.completeWithToken(dto.token, 'invitation', dto.password, clientAddress(req)),
    );
  }

  @Post('auth/password-reset')
  @Public()
  @HttpCode(202)
  @ApiOperation({ summary: 'Mails a reset link; always 202, whether or not the email exists' })
  async requestReset(@Body() dto: PasswordResetRequestDto, @Req() req: Request) {
    await this.auth.requestPasswordReset(dto.email, clientAddress(req));
    return { accepted: true };
  }

  @Post('auth/password-reset/confirm')
  @Public()
  @HttpCode(200)
  async confirmReset(@Body() dto: SetPasswordDto, @Req() req: Request) {
    const signedIn = await this.auth.completeWithToken(
      dto.token,
      'password-reset',
      dto.password,
      clientAddress(req),
    );
    return { ok: true, ...signedInJson(signedIn) };
  }

  @Get('me')
  @Authenticated()
  @ApiBearerAuth()
  async getMe(@CurrentUser() actor: AuthUser) {
    const user = await this.users.findById(actor.id);
    return {
      id: actor.id,
      email: actor.email,
      name: actor.name,
      role: actor.role,
      language: actor.language,
      sex: user?.sex ?? 'unspecified',
      scope: {
        countryCode: actor.countryCode,
        schoolIds: actor.role === 'coordinator' ? await this.schools.schoolIdsOfCoordinator(actor.id) : [],
      },
      enrolments: await this.me.enrolmentsOf(actor),
    };
  }
}
