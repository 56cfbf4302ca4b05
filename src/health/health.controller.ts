import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/decorators/access.decorators';
import { Database } from '../database/database.service';

@ApiTags('operations')
@Controller('healthz')
export class HealthController {
  constructor(private readonly db: Database) {}

  /** 200 when the database answers, 503 otherwise (load balancers take the instance out). */
  @Get()
  @Public()
  async check(@Res() res: Response) {
    try {
      await this.db.ping();
      res.status(200).json({ status: 'ok', database: this.db.kind });
    } catch {
      res.status(503).json({ status: 'unavailable', database: this.db.kind });
    }
  }
}
