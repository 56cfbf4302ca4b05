import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditQueryService } from '../common/audit/audit-query.service';
import { Roles } from '../common/decorators/access.decorators';
import { notFound } from '../common/errors/app-errors';
import { MailTransport } from '../mail/mail-transport';
import type { OutboxStatus } from '../mail/outbox-message.entity';
import { OutboxService } from '../mail/outbox.service';

const PAGE = 50;
const STATUSES: OutboxStatus[] = ['pending', 'sending', 'sent', 'failed'];
const pageOf = (raw: unknown) => Math.min(10_000, Math.max(1, Number.parseInt(String(raw ?? '1'), 10) || 1));

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
    const pageNo = pageOf(page);
    const result = await this.outbox.page(PAGE, (pageNo - 1) * PAGE, filter);
    const pages = Math.max(1, Math.ceil(result.total / PAGE));
    const link = (p: number) =>
      `/admin/outbox?${new URLSearchParams({ ...(filter ? { status: filter } : {}), page: String(p) })}`;
    res.render('admin/outbox/index', {
      messages: result.items,
      total: result.total,
      statuses: STATUSES.map((s) => ({ value: s, selected: s === filter })),
      transport: this.transport.description,
      page: pageNo,
      pages,
      prev: pageNo > 1 ? link(pageNo - 1) : null,
      next: pageNo < pages ? link(pageNo + 1) : null,
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
    const pageNo = pageOf(page);
    const result = await this.audit.page(PAGE, (pageNo - 1) * PAGE);
    const pages = Math.max(1, Math.ceil(result.total / PAGE));
    res.render('admin/audit', {
      entries: result.items,
      total: result.total,
      page: pageNo,
      pages,
      prev: pageNo > 1 ? `/admin/audit?page=${pageNo - 1}` : null,
      next: pageNo < pages ? `/admin/audit?page=${pageNo + 1}` : null,
    });
  }
}
