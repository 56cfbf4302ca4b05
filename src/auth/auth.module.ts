import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { SchoolsModule } from '../schools/schools.module';
import { UsersModule } from '../users/users.module';
import { AccountPagesController } from './account.pages.controller';
import { AuthApiController } from './auth.api.controller';
import { AuthCoreModule } from './auth-core.module';
import { AuthPagesController } from './auth.pages.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';

/**
 * Authentication: login, logout, invitations, password reset and change, the JWT strategy and the
 * signed-in person's own pages. Depends on users (accounts), never the reverse.
 */
@Module({
  imports: [AuthCoreModule, UsersModule, SchoolsModule, PassportModule],
  controllers: [AuthPagesController, AuthApiController, AccountPagesController],
  providers: [AuthService, JwtStrategy],
  exports: [AuthService, AuthCoreModule],
})
export class AuthModule {}
