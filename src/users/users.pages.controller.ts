import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { CurrentUser, FormView, Roles } from '../common/decorators/access.decorators';
import { redirectWithFlash } from '../common/http/flash';
import { paginate } from '../common/view/paginate';
import { AnonymiseUserDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import { PersonalDataService } from './personal-data.service';
import { LANGUAGES, ROLES, Role, SEXES } from '../common/kernel/user-role.enum';
import { UsersService } from './users.service';

const rolesFor = (actor: AuthUser): readonly Role[] =>
  actor.role === 'admin' ? ROLES : (['trainer', 'coordinator'] as const);

@ApiExcludeController()
@Controller('admin/users')
@Roles('admin', 'manager')
export class UsersPagesController {
  constructor(
    private readonly users: UsersService,
    private readonly personalData: PersonalDataService,
  ) {}

  @Get()
  async index(@CurrentUser() actor: AuthUser, @Query() query: ListUsersQuery, @Res() res: Response) {
    const paging = paginate(query.page, 25);
    const result = await this.users.list(actor, { ...query, limit: paging.limit, offset: paging.offset });
    res.render('admin/users/index', {
      users: result.items,
      total: result.total,
      q: query.q ?? '',
      roleOptions: rolesFor(actor).map((role) => ({ value: role, selected: role === query.role })),
      ...paging.pager(result.total, '/admin/users', {
        q: query.q || undefined,
        role: query.role || undefined,
      }),
    });
  }

  @Get('new')
  async newForm(@Req() req: Request, @Res() res: Response) {
    res.render('admin/users/new', {
      ...(await this.formModel(req)),
      values: { sex: 'unspecified', role: 'trainer' },
    });
  }

  @Post()
  @FormView('admin/users/new', 'formModel')
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateUserDto, @Res() res: Response) {
    const user = await this.users.create(actor, dto);
    redirectWithFlash(
      res,
      `/admin/users/${user.id}`,
      user.status === 'invited' ? 'users.invited' : 'users.created',
      'success',
      { email: user.email },
    );
  }

  @Get(':id')
  async edit(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const user = await this.users.get(actor, id);
    res.render('admin/users/edit', {
      ...(await this.editModel(req)),
      values: { ...user, countryCode: user.countryCode ?? '' },
    });
  }

  /** DESIGN.md "Privacy": everything held about the person, before an anonymisation (admins only). */
  @Get(':id/data.json')
  @Roles('admin')
  async exportData(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Res() res: Response) {
    const data = await this.personalData.export(actor, id);
    res
      .attachment(`cascada-personal-data-${data.account.id as string}.json`)
      .type('application/json')
      .send(JSON.stringify(data, null, 2));
  }

  @Post(':id/anonymise')
  @Roles('admin')
  @FormView('admin/users/edit', 'editModel')
  async anonymise(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() _dto: AnonymiseUserDto,
    @Res() res: Response,
  ) {
    await this.personalData.anonymise(actor, id);
    redirectWithFlash(res, `/admin/users/${id}`, 'users.anonymised');
  }

  @Post(':id')
  @FormView('admin/users/edit', 'editModel')
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateUserDto,
    @Res() res: Response,
  ) {
    await this.users.update(actor, id, dto);
    redirectWithFlash(res, `/admin/users/${id}`, 'users.saved');
  }

  @Post(':id/disable')
  async disable(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Res() res: Response) {
    await this.users.disable(actor, id);
    redirectWithFlash(res, `/admin/users/${id}`, 'users.disabled');
  }

  @Post(':id/resend-invitation')
  async resend(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Res() res: Response) {
    await this.users.resendInvitation(actor, id);
    redirectWithFlash(res, `/admin/users/${id}`, 'users.invitation-resent');
  }

  async formModel(req: Request) {
    const actor = req.user as AuthUser;
    return {
      roles: rolesFor(actor),
      sexes: SEXES,
      languages: LANGUAGES,
      countryLocked: actor.role === 'manager' && actor.countryCode !== null,
      actorCountry: actor.countryCode,
    };
  }

  async editModel(req: Request) {
    const actor = req.user as AuthUser;
    const user = await this.users.get(actor, String(req.params.id));
    const canAnonymise = actor.role === 'admin' && actor.id !== user.id && !user.anonymisedAt;
    return { ...(await this.formModel(req)), user, isAdmin: actor.role === 'admin', canAnonymise };
  }
}
