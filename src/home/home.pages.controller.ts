import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user';
import { Authenticated, CurrentUser } from '../common/decorators/access.decorators';

/** The dashboard per role. Figures arrive with the learning, certification and cascade features. */
@ApiExcludeController()
@Controller()
export class HomePagesController {
  @Get()
  @Authenticated()
  home(@CurrentUser() actor: AuthUser, @Res() res: Response) {
    res.render('home/index', {
      isAdmin: actor.role === 'admin',
      isManager: actor.role === 'manager',
      isTrainer: actor.role === 'trainer',
      isCoordinator: actor.role === 'coordinator',
      roleKey: `roles.${actor.role}`,
    });
  }
}
