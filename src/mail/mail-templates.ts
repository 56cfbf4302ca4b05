import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { t } from '../i18n/i18n';
import { viewHelpers } from '../common/view/helpers';
import type { Language } from '../common/kernel/user-role.enum';

import { VIEWS_DIR } from '../common/paths';

/** Mail templates: `views/mail/<name>.hbs` (HTML body) and `<name>.text.hbs`, subject `mail.<name>.subject`. */
export class MailTemplates {
  private readonly handlebars = Handlebars.create();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly dir = join(VIEWS_DIR, 'mail')) {
    for (const [name, helper] of Object.entries(viewHelpers)) this.handlebars.registerHelper(name, helper);
    this.handlebars.registerPartial('layout-start', this.read('partials/layout-start.hbs'));
    this.handlebars.registerPartial('layout-end', this.read('partials/layout-end.hbs'));
  }

  render(name: string, language: Language, data: Record<string, unknown>) {
    const model = { ...data, lang: language };
    return {
      subject: t(language, `mail.${name}.subject`, data),
      html: this.template(`${name}.hbs`)(model),
      text: this.template(`${name}.text.hbs`)(model, { helpers: {} }),
    };
  }

  private template(file: string): Handlebars.TemplateDelegate {
    let compiled = this.cache.get(file);
    if (!compiled) {
      const source = this.read(file);
      // Text bodies are not HTML: no escaping of & or quotes in names.
      compiled = this.handlebars.compile(source, { noEscape: file.endsWith('.text.hbs'), strict: false });
      this.cache.set(file, compiled);
    }
    return compiled;
  }

  private read(file: string): string {
    return readFileSync(join(this.dir, file), 'utf8');
  }
}
