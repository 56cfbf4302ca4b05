import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { join } from 'node:path';
import { Public } from '../common/decorators/access.decorators';
import { VIEWS_DIR } from '../common/paths';

/** The service worker must be served from the root to control /cascade-sessions/new. */
@ApiExcludeController()
@Controller()
export class ServiceWorkerController {
  @Get('sw.js')
  @Public()
  serviceWorker(@Res() res: Response) {
    res.sendFile(join(VIEWS_DIR, 'assets', 'js', 'sw.js'), {
      headers: {
        'Content-Type': 'application/javascript; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Service-Worker-Allowed': '/',
      },
    });
  }
}
