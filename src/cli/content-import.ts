import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { createLogger, PinoNestLogger } from '../common/logging';
import { ConfigError, loadConfig } from '../config/app.config';
import { ContentImporter } from '../courses/content/content-importer';

/**
 * `npm run content:import`: validates every package in content/ and imports new versions.
 * Prints each package's outcome and problems (file:line reason); exits 1 when any was refused.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, RUN_WORKERS: 'false', SEED_DEMO: 'false' });
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(AppModule.register({ config }), {
    logger: new PinoNestLogger(createLogger('warn')),
  });
  // Bootstrapping the app already ran one import; this second pass reports (unchanged ones stay unchanged).
  const results = await app.get(ContentImporter).importAll(config.contentDir);
  for (const r of results) {
    console.log(`${r.outcome.padEnd(9)} ${r.packageName}${r.version ? ` v${r.version}` : ''}`);
    for (const p of r.problems)
      console.log(`  ${p.warning ? 'warning' : 'error'}: ${p.file}${p.line ? `:${p.line}` : ''} ${p.reason}`);
  }
  await app.close();
  process.exit(results.some((r) => r.outcome === 'refused') ? 1 : 0);
}

void main();
