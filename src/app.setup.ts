import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import hbs from 'hbs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { csrfMiddleware } from './common/http/csrf';
import { csvUploads } from './common/http/csv-upload';
import { renderErrorPage, sendApiError } from './common/filters/errors.filter';
import { requestContext } from './common/http/request-context';
import { staticAssets } from './common/http/static-assets';
import { isApiRequest } from './common/http/request-kind';
import { VIEWS_DIR } from './common/paths';
import { RawInputPipe, toInputError } from './common/validation';
import { viewHelpers } from './common/view/helpers';
import type { AppConfig } from './config/app.config';
import { t } from './i18n/i18n';
import { resolveLanguage } from './i18n/language';

let partialsLoaded: Promise<void> | undefined;

/** Registers helpers and partials once per process (hbs keeps them globally). */
function prepareHandlebars(): Promise<void> {
  if (!partialsLoaded) {
    for (const [name, helper] of Object.entries(viewHelpers)) hbs.registerHelper(name, helper);
    // registerPartials is asynchronous: wait for it, or the first render can miss a partial.
    partialsLoaded = new Promise((resolve) =>
      hbs.registerPartials(join(VIEWS_DIR, 'partials'), () => resolve()),
    );
  }
  return partialsLoaded;
}

/** Everything main.ts and the tests share: security headers, parsers, CSRF, views, validation. */
export async function configureApp(
  app: NestExpressApplication,
  config: AppConfig,
  logger: Logger,
): Promise<void> {
  const https = config.appUrl.startsWith('https://');
  const cookieSecret = createHash('sha256').update(`cookies:${config.jwtSecret}`).digest('hex');
  app.set('trust proxy', process.env.TRUST_PROXY === 'true' ? 1 : false);
  app.disable('x-powered-by');
  app.use(requestContext(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          ...(https ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      strictTransportSecurity: https ? { maxAge: 15552000 } : false,
      referrerPolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    '/assets',
    staticAssets(join(VIEWS_DIR, 'assets'), config.nodeEnv === 'development' ? 0 : 7 * 24 * 3600),
  );

  // Body parsers here (not Nest's defaults) so that a malformed body gets our translated error.
  const json = express.json({ limit: '256kb' });
  const form = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 500 });
  const parse = (parser: express.RequestHandler) => (req: Request, res: Response, next: NextFunction) =>
    parser(req, res, (error?: unknown) => {
      if (!error) return next();
      const status = (error as { status?: number }).status ?? 400;
      const lang = resolveLanguage(req);
      if (isApiRequest(req)) return sendApiError(res, lang, error, status);
      return renderErrorPage(req, res, status, t(lang, `errors.http-${status}`));
    });
  app.use(parse(json));
  app.use(parse(form));
  // The CSV import forms may carry a file (multipart): read before the CSRF check needs `_csrf`.
  app.use(csvUploads([/^\/cohorts\/[^/]+\/import$/, /^\/schools\/import$/, /^\/admin\/dhis2$/]));
  app.use(cookieParser(cookieSecret));
  app.use(
    csrfMiddleware(config.jwtSecret, https, (req, res) => {
      const lang = resolveLanguage(req);
      renderErrorPage(req, res, 403, t(lang, 'errors.csrf'));
    }),
  );

  // Bodies with unknown fields are refused (mass assignment); unknown query parameters are dropped, so
  // a shared link that picked up tracking parameters (utm_source, fbclid…) still opens its page.
  const validation = (forbidUnknown: boolean) =>
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: forbidUnknown,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => toInputError(errors),
    });
  const strict = validation(true);
  const lenient = validation(false);
  app.useGlobalPipes(new RawInputPipe(), {
    transform: (value: unknown, metadata: ArgumentMetadata) =>
      (metadata.type === 'query' ? lenient : strict).transform(value, metadata),
  });

  await prepareHandlebars();
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  app.set('view cache', config.nodeEnv !== 'development');

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cascada API')
      .setDescription(
        'JSON API v1 for integrations. Authenticate with POST /api/v1/auth/login, then send `Authorization: Bearer <accessToken>`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { customSiteTitle: 'Cascada API' });
  app.enableShutdownHooks();
}
