import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../common/kernel/auth-user';
import { Authenticated, CurrentUser, Roles } from '../common/decorators/access.decorators';
import { CascadeService } from './cascade.service';
import { toSessionJson } from './cascade.view';
import { ListSessionsQuery, LogSessionDto, RejectSessionDto } from './dto/cascade.dto';
import type { CascadeSession } from './cascade-session.entity';

@ApiTags('cascade sessions')
@ApiBearerAuth()
@Controller('api/v1/cascade-sessions')
export class CascadeApiController {
  constructor(private readonly cascade: CascadeService) {}

  @Post()
  @Roles('coordinator', 'trainer')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'the same key and body return the first response',
  })
  async log(
    @CurrentUser() actor: AuthUser,
    @Body() dto: LogSessionDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res() res: Response,
  ) {
    const response = await this.cascade.logOnce(actor, dto, key, (session: CascadeSession) => ({
      status: 201,
      body: toSessionJson(session, dto.courseSlug),
    }));
    res.status(response.status).json(response.body);
  }

  @Get()
  @Authenticated()
  async list(@CurrentUser() actor: AuthUser, @Query() query: ListSessionsQuery) {
    const page = await this.cascade.list(actor, query);
    const { outlines } = await this.cascade.labels([]);
    const slugOf = new Map(outlines.map((o) => [o.courseId, o.slug]));
    return {
      items: page.items.map((s) => toSessionJson(s, slugOf.get(s.courseId) ?? '')),
      total: page.total,
    };
  }

  @Get(':id')
  @Authenticated()
  async get(@CurrentUser() actor: AuthUser, @Param('id') id: string) {
    const { session } = await this.cascade.get(actor, id);
    const { outlines } = await this.cascade.labels([]);
    return toSessionJson(session, outlines.find((o) => o.courseId === session.courseId)?.slug ?? '');
  }

  @Post(':id/confirm')
  @Authenticated()
  @HttpCode(200)
  async confirm(@CurrentUser() actor: AuthUser, @Param('id') id: string) {
    const session = await this.cascade.confirm(actor, id);
    const { outlines } = await this.cascade.labels([]);
    return toSessionJson(session, outlines.find((o) => o.courseId === session.courseId)?.slug ?? '');
  }

  @Post(':id/reject')
  @Authenticated()
  @HttpCode(200)
  async reject(@CurrentUser() actor: AuthUser, @Param('id') id: string, @Body() dto: RejectSessionDto) {
    const session = await this.cascade.reject(actor, id, dto.reason);
    const { outlines } = await this.cascade.labels([]);
    return toSessionJson(session, outlines.find((o) => o.courseId === session.courseId)?.slug ?? '');
  }
}
