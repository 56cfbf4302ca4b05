import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/kernel/auth-user';
import { CurrentUser, Roles } from '../common/decorators/access.decorators';
import { AnonymiseUserDto, CreateUserDto, ListUsersQuery } from './dto/user.dto';
import { PersonalDataService } from './personal-data.service';
import { toUserJson } from './user.view';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
@Roles('admin', 'manager')
export class UsersApiController {
  constructor(
    private readonly users: UsersService,
    private readonly personalData: PersonalDataService,
  ) {}

  @Post()
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateUserDto) {
    return toUserJson(await this.users.create(actor, dto));
  }

  @Get()
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListUsersQuery) {
    const page = await this.users.list(actor, query);
    return { items: page.items.map(toUserJson), total: page.total };
  }

  /** Everything held about one person (admins). */
  @Get(':id/data')
  @Roles('admin')
  exportData(@CurrentUser() actor: AuthUser, @Param('id') id: string) {
    return this.personalData.export(actor, id);
  }

  /** Anonymises the account (admins; `{confirm: "yes"}`): name and email replaced, counts kept. */
  @Post(':id/anonymise')
  @HttpCode(200)
  @Roles('admin')
  async anonymise(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Body() _dto: AnonymiseUserDto) {
    return toUserJson(await this.personalData.anonymise(actor, id));
  }
}
