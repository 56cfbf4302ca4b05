import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../common/decorators/access.decorators';
import { CreateUserDto, ListUsersQuery } from './dto/user.dto';
import { toUserJson } from './user.view';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
@Roles('admin', 'manager')
export class UsersApiController {
  constructor(private readonly users: UsersService) {}

  @Post()
  async create(@CurrentUser() actor: AuthUser, @Body() dto: CreateUserDto) {
    return toUserJson(await this.users.create(actor, dto));
  }

  @Get()
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListUsersQuery) {
    const page = await this.users.list(actor, query);
    return { items: page.items.map(toUserJson), total: page.total };
  }
}
