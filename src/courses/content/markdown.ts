import { escapeHtml } from '../../common/view/escape-html';
import { Marked, marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Where a lesson asks for the program's local referral contacts (configuration, never course text). */
export const CONTACTS_PLACEHOLDER = '{{local-referral-contacts}}';
export const CONTACTS_MARKER = '<!--cascada:local-referral-contacts-->';

/** `{{country-fact:<key>}}` alone in a paragraph becomes this marker, filled per reader at render time. */
export const factMarker = (key: string) => `<!--cascada:country-fact:${key}-->`;
export const FACT_MARKER_PATTERN = /<!--cascada:country-fact:([a-z0-9]+(?:-[a-z0-9]+)*)-->/g;

/** Where a handout is served: a lesson link `[text](handout:<slug>)` points here. */
export const handoutHref = (courseSlug: string, slug: string) => `/courses/${courseSlug}/handouts/${slug}`;

/**
 * Lesson Markdown → sanitised HTML, once, at import. Only plain document markup survives: no
 * scripts, styles, event handlers, iframes or foreign images. Images may only come from the
 * course's own assets folder.
 */
export function renderLesson(markdown: string, courseSlug: string): string {
  const raw = marked.parse(markdown, { async: false, gfm: true }) as string;
  const clean = sanitizeHtml(raw, {
    allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'code', 'pre', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img'],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt'], th: ['scope'] },
    allowedSchemes: ['https', 'http', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    transformTags: {
      // h1 belongs to the page; lesson headings start at h2.
      h1: 'h2',
      a: (tagName, attribs) => {
        const handout = /^handout:([a-z0-9]+(?:-[a-z0-9]+)*)$/.exec(attribs.href ?? '')?.[1];
        return { tagName, attribs: { ...attribs, ...(handout ? { href: handoutHref(courseSlug, handout) } : {}), rel: 'noopener' } };
      },
      img: (tagName, attribs): sanitizeHtml.Tag => {
        const src = attribs.src ?? '';
        const file = /^(?:\.\/)?assets\/([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(src)?.[1];
        const attrs: sanitizeHtml.Attributes = file ? { src: `/content/${courseSlug}/assets/${file}`, alt: attribs.alt ?? '' } : {};
        return { tagName, attribs: attrs };
      },
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src?.startsWith(`/content/${courseSlug}/assets/`),
  });
  return clean
    .replace(/<p>\s*\{\{local-referral-contacts\}\}\s*<\/p>/g, CONTACTS_MARKER)
    .replace(/<p>\s*\{\{country-fact:([a-z0-9]+(?:-[a-z0-9]+)*)\}\}\s*<\/p>/g, (_, key: string) => factMarker(key));
}


// Country-fact texts (the admin's and the package's): Markdown where any HTML typed is shown as text.
const factMarked = new Marked({ async: false, gfm: true, breaks: true, renderer: { html: ({ text }) => escapeHtml(text) } });

/**
 * A country fact's Markdown → HTML for the fact box: paragraphs, lists, emphasis, links and
 * tables only. HTML in the text is data (shown escaped, never run), then the result is sanitised
 * again, so nothing an admin types can add markup of its own.
 */
export function renderFactText(markdown: string): string {
  const raw = factMarked.parse(markdown) as string;
  return sanitizeHtml(raw, {
    allowedTags: ['p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'br', 'code', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
    allowedAttributes: { a: ['href', 'rel'], th: ['scope'] },
    allowedSchemes: ['https', 'http', 'mailto'],
    allowProtocolRelative: false,
    // Headings belong to the box; a heading typed in a fact becomes bold text.
    transformTags: { h1: 'strong', h2: 'strong', h3: 'strong', h4: 'strong', h5: 'strong', h6: 'strong', a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener' } }) },
  });
}

/** Words of a lesson body (front matter excluded), as `wc -w` counts them. */
export const countWords = (markdown: string): number => markdown.split(/\s+/).filter(Boolean).length;
