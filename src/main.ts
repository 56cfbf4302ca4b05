import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { createLogger, PinoNestLogger } from './common/logging';
import { ConfigError, loadConfig } from './config/app.config';

async function bootstrap(): Promise<void> {
  const logger = createLogger();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // One clear line naming the variable, then stop.
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register({ config }), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  await configureApp(app, config, logger);
  await app.listen(config.port);
  logger.info({ msg: `Cascada is listening on ${config.appUrl}`, port: config.port, database: config.databaseUrl ? 'postgres' : 'sqlite' });
}

void bootstrap();
