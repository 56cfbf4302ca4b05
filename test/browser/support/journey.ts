/**
 * Shared kit for the role journeys in a real browser (Debian's Chromium through playwright-core):
 * the app on a free port, the four variants every journey runs in (Spanish and English, a 360 px
 * phone and a desktop), and a `Journey` that audits every page it visits — axe-core (no serious or
 * critical violation) and the HTML weight of the page (under 100 KB, images aside) — and keeps a
 * screenshot of the last page in test/browser/screenshots/ (ignored by git, kept by CI).
 */
import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { createTestApp, type TestApp } from '../../support/create-test-app';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '..', 'screenshots');
export const MAX_HTML_BYTES = 100 * 1024;

export interface Variant {
  name: string;
  lang: 'es' | 'en';
  locale: string;
  viewport: { width: number; height: number };
}

export const VARIANTS: Variant[] = [
  { name: 'es-phone', lang: 'es', locale: 'es-419', viewport: { width: 360, height: 740 } },
  { name: 'en-phone', lang: 'en', locale: 'en-US', viewport: { width: 360, height: 740 } },
  { name: 'es-desktop', lang: 'es', locale: 'es-419', viewport: { width: 1280, height: 800 } },
  { name: 'en-desktop', lang: 'en', locale: 'en-US', viewport: { width: 1280, height: 800 } },
];

/** The real app (createTestApp) listening on 127.0.0.1 at a free port. */
export async function startApp(env: Record<string, string> = {}): Promise<{ t: TestApp; base: string }> {
  const t = await createTestApp(env);
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  return { t, base };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need it (npm test installs it as root; or apt-get install chromium).`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * One app and one Chromium for a spec file: started before its tests, closed after them. `use`
 * receives both once they run (a spec keeps them in its own variables).
 */
export function useJourneyApp(
  env: Record<string, string>,
  use: (started: { t: TestApp; base: string; browser: Browser }) => void,
): void {
  let t: TestApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    const app = await startApp(env);
    t = app.t;
    browser = await launchBrowser();
    use({ t: app.t, base: app.base, browser });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
}

export interface PageAudit {
  journey: string;
  variant: string;
  url: string;
  htmlBytes: number;
  violations: string[];
}

const audits: PageAudit[] = [];

/**
 * One journey in one variant: a fresh browser context (no cookies from another run), every page
 * audited by `audit()`, and `finish()` to keep the screenshot and write the weight report.
 */
export class Journey {
  readonly context: BrowserContext;
  readonly page: Page;
  private lastDocument?: { url: string; bytes: Promise<number> };

  private constructor(
    readonly journey: string,
    readonly variant: Variant,
    context: BrowserContext,
    page: Page,
  ) {
    this.context = context;
    this.page = page;
    page.on('response', (response: Response) => {
      if (response.request().resourceType() !== 'document' || response.frame() !== page.mainFrame()) return;
      this.lastDocument = {
        url: response.url(),
        bytes: response.body().then(
          (b) => b.length,
          () => 0,
        ),
      };
    });
  }

  static async open(
    browser: Browser,
    base: string,
    journey: string,
    variant: Variant,
    options: { acceptDownloads?: boolean } = {},
  ): Promise<Journey> {
    const context = await browser.newContext({
      baseURL: base,
      locale: variant.locale,
      viewport: variant.viewport,
      acceptDownloads: options.acceptDownloads ?? true,
    });
    const page = await context.newPage();
    return new Journey(journey, variant, context, page);
  }

  /** Opens a path and audits the page. */
  async visit(path: string): Promise<Page> {
    await this.page.goto(path);
    await this.audit();
    return this.page;
  }

  /**
   * Audits the page now on screen: axe-core finds no serious or critical violation, and the HTML
   * of the document is under 100 KB. Call it after every navigation the journey makes.
   */
  async audit(): Promise<PageAudit> {
    await this.page.waitForLoadState('load');
    // Legacy mode runs axe in the page itself instead of opening a helper page per audit (about 3× faster;
    // our pages have no cross-origin frames, which is all it gives up).
    const result = await new AxeBuilder({ page: this.page }).setLegacyMode(true).analyze();
    const violations = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
    const htmlBytes = this.lastDocument
      ? await this.lastDocument.bytes
      : Buffer.byteLength(await this.page.content());
    const entry: PageAudit = {
      journey: this.journey,
      variant: this.variant.name,
      url: new URL(this.page.url()).pathname,
      htmlBytes,
      violations,
    };
    audits.push(entry);
    expect({ url: entry.url, violations }).toEqual({ url: entry.url, violations: [] });
    expect(htmlBytes).toBeLessThan(MAX_HTML_BYTES);
    const width = this.variant.viewport.width;
    expect({ url: entry.url, width, overflow: await this.overflow() }).toEqual({
      url: entry.url,
      width,
      overflow: [],
    });
    return entry;
  }

  /**
   * What makes the whole page scroll sideways (at 360 px on a phone): the innermost elements wider
   * than the viewport that do not scroll inside a box of their own (wide tables sit in .table-wrap).
   */
  private overflow(): Promise<string[]> {
    return this.page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return [];
      const scrollsInside = (el: Element) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
        return false;
      };
      // An element ends where its box ends, or where its content spills out if it lets it (a long line in a <pre>).
      const end = (el: Element) => {
        const box = el.getBoundingClientRect();
        return getComputedStyle(el).overflowX === 'visible'
          ? Math.max(box.right, box.left + el.scrollWidth)
          : box.right;
      };
      const wide = [...document.body.querySelectorAll('*')].filter(
        (el) => end(el) > width + 1 && !scrollsInside(el),
      );
      const named = wide
        .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
        .slice(0, 5)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}" ends at ${Math.round(end(el))} px`,
        );
      return named.length ? named : [`the page is ${document.documentElement.scrollWidth} px wide`];
    });
  }

  /** Keeps a screenshot of the last page and closes the context. */
  async finish(): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page
      .screenshot({ path: join(SCREENSHOTS, `${this.journey}-${this.variant.name}.png`), fullPage: true })
      .catch(() => undefined);
    writeWeightReport();
    await this.context.close();
  }
}

/** test/browser/screenshots/page-weights-<journey>.md: every audited page with its HTML weight. */
function writeWeightReport(): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const byJourney = new Map<string, PageAudit[]>();
  for (const a of audits) byJourney.set(a.journey, [...(byJourney.get(a.journey) ?? []), a]);
  for (const [journey, rows] of byJourney) {
    const lines = [
      '| variant | page | HTML bytes | serious/critical axe violations |',
      '| --- | --- | ---: | ---: |',
    ];
    for (const r of rows) lines.push(`| ${r.variant} | ${r.url} | ${r.htmlBytes} | ${r.violations.length} |`);
    writeFileSync(
      join(SCREENSHOTS, `page-weights-${journey}.md`),
      `# ${journey}: pages visited\n\n${lines.join('\n')}\n`,
    );
  }
}
