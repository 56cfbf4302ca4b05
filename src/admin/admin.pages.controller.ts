import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditQueryService } from '../common/audit/audit-query.service';
import { Roles } from '../common/decorators/access.decorators';
import { notFound } from '../common/errors/app-errors';
import { paginate } from '../common/view/paginate';
import { MailTransport } from '../mail/mail-transport';
import type { OutboxStatus } from '../mail/outbox-message.entity';
import { OutboxService } from '../mail/outbox.service';

const PAGE = 50;
const STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];

@ApiExcludeController()
@Controller('admin')
@Roles('admin')
export class AdminPagesController {
  constructor(
    private readonly outbox: OutboxService,
    private readonly transport: MailTransport,
    private readonly audit: AuditQueryService,
  ) {}

  @Get('outbox')
  async outboxIndex(
    @Query('status') status: string | undefined,
    @Query('page') page: string | undefined,
    @Res() res: Response,
  ) {
    const filter = STATUSES.find((s) => s === status);
    const paging = paginate(page, PAGE);
    const result = await this.outbox.page(paging.limit, paging.offset, filter);
    res.render('admin/outbox/index', {
      messages: result.items,
      total: result.total,
      statuses: STATUSES.map((s) => ({ value: s, selected: s === filter })),
      transport: this.transport.description,
      ...paging.pager(result.total, '/admin/outbox', { status: filter }),
    });
  }

  @Get('outbox/:id')
  async outboxShow(@Param('id') id: string, @Res() res: Response) {
    const message = /^[0-9a-f-]{36}$/i.test(id) ? await this.outbox.findOne(id) : null;
    if (!message) throw notFound();
    // The HTML body is shown as text (escaped): it is what we rendered, but an admin page has no need to run it.
    res.render('admin/outbox/show', { message });
  }

  @Get('audit')
  async auditIndex(@Query('page') page: string | undefined, @Res() res: Response) {
    const paging = paginate(page, PAGE);
    const result = await this.audit.page(paging.limit, paging.offset);
    res.render('admin/audit', {
      entries: result.items,
      total: result.total,
      ...paging.pager(result.total, '/admin/audit'),
    });
  }
}
